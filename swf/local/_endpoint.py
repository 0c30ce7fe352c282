"""The local endpoint itself: moto's server in a thread, its clients and connections."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import urllib.request
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, TextIO

from swf import settings as _settings
from swf.core import Connection
from swf.exceptions import InvalidDecisionError, ResponseError
from swf.extras import require
from swf.local._engine import (
    SETTINGS,
    SWF_POLL_TIMEOUT,
    LambdaFunction,
    end_polls,
    register_lambda,
    unregister_lambda,
)
from swf.local._install import cancel_timers, install

__all__ = [
    "DUMMY_CREDENTIALS",
    "MOTO_DECISION_TYPES",
    "LocalConnection",
    "LocalEndpointError",
    "LocalSWF",
    "check_decisions",
    "local_client",
    "serve",
]

logger = logging.getLogger(__name__)

#: The decision types the local endpoint processes: all 13 of SWF's (moto alone processes 7;
#: :func:`~swf.local.install` adds the other six).
MOTO_DECISION_TYPES = frozenset(
    {
        "ScheduleActivityTask",
        "RequestCancelActivityTask",
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
        "RecordMarker",
        "StartTimer",
        "CancelTimer",
        "SignalExternalWorkflowExecution",
        "RequestCancelExternalWorkflowExecution",
        "StartChildWorkflowExecution",
        "ScheduleLambdaFunction",
    }
)

#: Credentials and region for the local endpoint: fake, and recognisably so.
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIALOCALSWF0000000",
    "AWS_SECRET_ACCESS_KEY": "swf-local-secret-key-not-real",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class LocalEndpointError(ResponseError):
    """The local endpoint (moto) failed internally (HTTP 500): a moto limit or bug."""

    template = "{operation} for {subject}: the local SWF endpoint (moto) failed"


def check_decisions(decisions: Iterable[Mapping[str, Any]] | None) -> None:
    """Refuse a decision whose type SWF does not know, before anything is sent.

    Every SWF decision type is processed by the local endpoint (:data:`MOTO_DECISION_TYPES`
    holds all 13); this catches a misspelt ``decisionType`` with a clear error rather than
    SWF's validation message.

    Raises:
        InvalidDecisionError: a decision type outside :data:`MOTO_DECISION_TYPES`.
    """
    for position, decision in enumerate(decisions or ()):
        kind = decision.get("decisionType")
        if kind not in MOTO_DECISION_TYPES:
            raise InvalidDecisionError(
                f"decision {position} ({kind}) is not an SWF decision type (SWF has "
                f"{', '.join(sorted(MOTO_DECISION_TYPES))})",
                decision=str(kind),
                argument=f"decisions[{position}]",
                value=kind,
            )


def _no_retry_on_500(**kwargs: Any) -> None:
    """botocore ``needs-retry`` hook: a moto 500 is a bug, not a transient error."""
    response = kwargs.get("response")
    if not response or getattr(response[0], "status_code", None) != 500:
        return
    operation = getattr(kwargs.get("operation"), "name", "the request")
    raise LocalEndpointError(
        code="InternalFailure",
        operation=operation,
        subject="the local endpoint",
        swf_message=(
            "HTTP 500 (moto raised an exception; its traceback is in the server's log). "
            "Not retried: a retry would report a misleading error"
        ),
    )


def local_client(endpoint_url: str, *, region: str = "us-east-1", **settings: Any) -> Any:
    """Build a boto3 SWF client for a local endpoint, with dummy credentials.

    The retry and timeout settings come from :mod:`swf.settings` (and ``settings``), except
    that an HTTP 500 is never retried (:class:`LocalEndpointError`).
    """
    import boto3

    # The region and the endpoint get the checks of any setting (a usage error on the CLI).
    resolved = _settings.get(region=region, endpoint_url=endpoint_url, **settings)
    client = boto3.session.Session(
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    ).client("swf", endpoint_url=endpoint_url, config=resolved.botocore_config())
    client.meta.events.register("needs-retry.swf", _no_retry_on_500)
    return client


class LocalConnection(Connection):
    """A :class:`~swf.core.Connection` to the local endpoint (see :func:`local_client`).

    Args:
        endpoint_url: the local endpoint, e.g. ``http://127.0.0.1:5000``.
        client: an existing boto3 client for it (built by :func:`local_client` otherwise).
        **settings: settings for the client (retries, timeouts).
    """

    def __init__(self, endpoint_url: str, client: Any = None, **settings: Any) -> None:
        super().__init__(client or local_client(endpoint_url, **settings))
        self.endpoint_url = endpoint_url

    def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        /,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Like :meth:`Connection.call`; first checks the decision types (:func:`check_decisions`).

        Raises:
            InvalidDecisionError: a decision of no SWF type (before anything is sent).
        """
        if operation == "RespondDecisionTaskCompleted":
            decisions = kwargs.get("decisions", (params or {}).get("decisions"))
            check_decisions(decisions)
        return super().call(operation, params, **kwargs)


class LocalSWF:
    """moto's SWF server, extended to behave as SWF (:func:`install`), in a background thread.

    Args:
        host: the address to listen on (loopback by default).
        port: the port; 0 picks a free one.
        region: the region clients use (moto keeps one backend per region).
        quiet: silence the per-request log lines of the HTTP server.
        poll_timeout: how long (seconds) a poll waits for a task before it answers empty;
            SWF's 60 by default. It applies to every local endpoint of the process (moto's
            backends are per process) while this one runs.
        lambda_functions: Python callables to run for ``ScheduleLambdaFunction`` decisions,
            by function name (see :func:`register_lambda`); registered while it runs.

    Example::

        with LocalSWF() as local:
            print(local.endpoint_url)       # http://127.0.0.1:40123
            conn = local.connection()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        region: str = "us-east-1",
        quiet: bool = True,
        poll_timeout: float = SWF_POLL_TIMEOUT,
        lambda_functions: Mapping[str, LambdaFunction] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.region = region
        self.quiet = quiet
        self.poll_timeout = poll_timeout
        self.lambda_functions = dict(lambda_functions or {})
        self._server: Any = None
        self._previous_poll_timeout = SWF_POLL_TIMEOUT

    def __repr__(self) -> str:
        state = self.endpoint_url if self._server is not None else "stopped"
        return f"<LocalSWF {state}>"

    @property
    def is_running(self) -> bool:
        """Whether the server is started."""
        return self._server is not None

    def start(self) -> LocalSWF:
        """Start the server (a no-op when it runs); returns self."""
        if self._server is not None:
            return self
        require("local", "the local SWF endpoint (LocalSWF)")
        from moto.server import ThreadedMotoServer

        if self.quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._previous_poll_timeout = SETTINGS.poll_timeout
        install(poll_timeout=self.poll_timeout)
        for name, function in self.lambda_functions.items():
            register_lambda(name, function)
        server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        server.start()
        self._server = server
        self.host, self.port = server.get_host_and_port()
        logger.info("local SWF endpoint on %s", self.endpoint_url)
        return self

    def stop(self) -> None:
        """Stop the server (a no-op when it is stopped); pending polls end at once, empty."""
        server, self._server = self._server, None
        if server is not None:
            cancel_timers()
            end_polls()
            server.stop()
            for name in self.lambda_functions:
                unregister_lambda(name)
            SETTINGS.poll_timeout = self._previous_poll_timeout

    def __enter__(self) -> LocalSWF:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        """The endpoint, e.g. ``http://127.0.0.1:40123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment variables that point swf (and boto3) at this endpoint."""
        return {
            "SWF_ENDPOINT_URL": self.endpoint_url,
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,  # moto's S3, for swf.flow.payload
            **DUMMY_CREDENTIALS,
            "AWS_DEFAULT_REGION": self.region,
        }

    def client(self, **settings: Any) -> Any:
        """A new boto3 SWF client for this endpoint (see :func:`local_client`)."""
        return local_client(self.endpoint_url, region=self.region, **settings)

    def connection(self, **settings: Any) -> LocalConnection:
        """A new :class:`LocalConnection` to this endpoint."""
        return LocalConnection(self.endpoint_url, self.client(**settings))

    def reset(self) -> None:
        """Forget every domain, type and execution (moto's ``POST /moto-api/reset``); pending
        polls end, empty."""
        cancel_timers()
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
    poll_timeout: float = SWF_POLL_TIMEOUT,
) -> int:
    """Run a local SWF endpoint until Ctrl-C (or SIGTERM, or ``stop`` is set).

    Prints the endpoint and the environment to export, for ``python -m swf local``.

    Args:
        host: the address to listen on.
        port: the port; 0 picks a free one.
        out: where to print (standard output by default).
        stop: an event that ends the server when set (for tests and embedding).
        poll_timeout: how long a poll waits for a task before it answers empty (SWF's 60 s).

    Returns:
        The exit code, 0.
    """
    out = out or sys.stdout
    stop = stop or threading.Event()
    previous: dict[signal.Signals, Any] = {}
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:  # Ctrl-C too, even when started in the background (which ignores SIGINT)
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    with LocalSWF(host, port, poll_timeout=poll_timeout) as local:
        print(f"Local SWF endpoint (moto) on {local.endpoint_url}", file=out)
        print("Point swf and boto3 at it with:", file=out)
        for name, value in local.env.items():
            print(f"  export {name}={value}", file=out)
        print("Ctrl-C stops it.", file=out, flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        print("stopped", file=out, flush=True)
    return 0
