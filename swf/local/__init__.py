"""A local SWF endpoint (moto's SWF, extended) for tests, demos and development.

In code::

    from swf.local import LocalSWF
    with LocalSWF() as local:            # moto on 127.0.0.1, a free port
        conn = local.connection()        # a Connection to it (dummy credentials)
        Domain("demo", retention_period=1, client=conn).save()

From a terminal, ``python -m swf local`` (or ``swf local``) runs the same server until
Ctrl-C and prints the environment to export so that other processes use it.

moto's SWF backend is the engine; :func:`install` extends it, in this process, so that it
behaves as SWF does: all 13 decision types, all 39 operations, long polls, timeouts that fire
on time, paging and filters (docs/local.rst lists what remains different). The extensions
apply to moto in-process (``mock_aws``, the ``swf_backend`` fixture) and to the server alike.

The package::

    _endpoint   LocalSWF, serve, the clients and connections
    _install    install(): the version check and the patches, in one place
    _engine     one lock, long-poll conditions, the deadline thread, Lambda functions
    _model      executions, task lists, activity tasks, timeouts (on moto's models)
    _decisions  the 13 decision types
    _api        the operations (handlers on moto's SWFResponse)
"""

from __future__ import annotations

from swf.local._endpoint import (
    DUMMY_CREDENTIALS,
    MOTO_DECISION_TYPES,
    LocalConnection,
    LocalEndpointError,
    LocalSWF,
    check_decisions,
    local_client,
    serve,
)
from swf.local._engine import (
    SWF_POLL_TIMEOUT,
    LambdaFunction,
    end_polls,
    poll_timeout,
    register_lambda,
    registered_lambdas,
    unregister_lambda,
)
from swf.local._install import (
    MOTO_VERSION,
    MotoVersionError,
    allow_closed_activity_id_reuse,
    cancel_timers,
    install,
)

__all__ = [
    "DUMMY_CREDENTIALS",
    "MOTO_DECISION_TYPES",
    "MOTO_VERSION",
    "SWF_POLL_TIMEOUT",
    "LambdaFunction",
    "LocalConnection",
    "LocalEndpointError",
    "LocalSWF",
    "MotoVersionError",
    "allow_closed_activity_id_reuse",
    "cancel_timers",
    "check_decisions",
    "end_polls",
    "install",
    "local_client",
    "poll_timeout",
    "register_lambda",
    "registered_lambdas",
    "serve",
    "unregister_lambda",
]
