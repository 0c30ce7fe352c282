"""Installing the extensions of moto's SWF backend: one place, idempotent, version-checked.

:func:`install` patches moto's SWF classes (in this process) so that its backend behaves as
SWF does: every decision type, every operation, long polls, timeouts that fire on time,
paging and filters. The behaviour itself is in :mod:`swf.local._model` (what happens to an
execution), :mod:`swf.local._decisions` (the 13 decision types) and :mod:`swf.local._api`
(the operations), on the runtime of :mod:`swf.local._engine`; this module only wires them in.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from swf.exceptions import ConfigurationError, InvalidTypeError, ValidationError
from swf.local import _engine

__all__ = [
    "MOTO_VERSION",
    "MotoVersionError",
    "allow_closed_activity_id_reuse",
    "cancel_timers",
    "install",
]

#: The moto version the extensions are written for: they patch its SWF classes, whose
#: internals change between versions, so any other version is refused.
MOTO_VERSION = "5.2.1"

_install_lock = threading.Lock()
_installed = False


class MotoVersionError(ConfigurationError):
    """The installed moto is not the version the local endpoint's extensions are written for."""


def _check_moto_version() -> None:
    try:
        import moto
    except ImportError as exc:  # pragma: no cover - moto is in the [test] extra
        raise MotoVersionError(
            f"the local SWF endpoint needs moto[server]=={MOTO_VERSION}, which is not "
            f"installed (pip install 'moto[server]=={MOTO_VERSION}')"
        ) from exc
    found = getattr(moto, "__version__", "unknown")
    if found != MOTO_VERSION:
        raise MotoVersionError(
            f"the local SWF endpoint extends moto {MOTO_VERSION}'s SWF backend, but moto "
            f"{found} is installed; install moto[server]=={MOTO_VERSION}"
        )


def install(*, poll_timeout: float | None = None) -> bool:
    """Extend moto's SWF backend in this process (idempotent).

    The extensions apply to moto in-process (``mock_aws``) and to the server
    :class:`~swf.local.LocalSWF` runs in this process alike: both use the same backends.

    Args:
        poll_timeout: if given, how long (seconds) a poll waits for a task before it answers
            empty, for every local endpoint of this process (SWF's is 60).

    Returns:
        True (the extensions are installed).

    Raises:
        MotoVersionError: moto is missing or not version ``MOTO_VERSION``.
        ValidationError: ``poll_timeout`` is not a positive number (a ``ValueError``).
    """
    global _installed
    if poll_timeout is not None:
        if isinstance(poll_timeout, bool) or not isinstance(poll_timeout, int | float):
            raise InvalidTypeError(
                f"poll_timeout must be a number of seconds, got {poll_timeout!r}",
                argument="poll_timeout",
                value=poll_timeout,
            )
        if not 0 < poll_timeout < float("inf"):
            raise ValidationError(
                f"poll_timeout must be a positive, finite number of seconds, got {poll_timeout!r}",
                argument="poll_timeout",
                value=poll_timeout,
            )
    with _install_lock:
        if not _installed:
            _check_moto_version()
            _patch()
            _installed = True
    if poll_timeout is not None:
        _engine.SETTINGS.poll_timeout = float(poll_timeout)
    return True


def allow_closed_activity_id_reuse() -> bool:
    """Make moto (in this process) accept an activity id again once its activity is closed.

    Kept for compatibility: it is one of the extensions :func:`install` applies (SWF refuses
    an activity id only while an activity with that id is open).

    Returns:
        True.
    """
    return install()


def cancel_timers() -> int:
    """Cancel every timer that the local endpoint (in this process) is running.

    Each ``StartTimer`` runs as a :class:`threading.Timer` until it fires. Called by
    :meth:`LocalSWF.stop`, :meth:`LocalSWF.reset` and the ``swf_backend`` fixture; a
    canceled timer never fires (its execution is thrown away).

    Returns:
        The number of timers canceled.
    """
    try:
        from moto.swf.models import swf_backends
    except ImportError:  # pragma: no cover - moto is a dependency of swf.local
        return 0
    canceled = 0
    with _engine.LOCK:
        for regions in list(swf_backends.values()):
            for backend in list(regions.values()):
                for domain in list(backend.domains):
                    for execution in list(domain.workflow_executions):
                        for timer in list(getattr(execution, "_timers", {}).values()):
                            timer.cancel()
                            canceled += 1
    return canceled


def _patch() -> None:
    """Graft the extensions onto moto's classes (once)."""
    from moto.swf import models
    from moto.swf.models import domain as domain_module
    from moto.swf.models import generic_type as type_module
    from moto.swf.models import workflow_execution as execution_module
    from moto.swf.responses import SWFResponse

    from swf.local import _api, _model

    _model.bind()
    _api.bind()
    _patch_response(SWFResponse, _api)
    _patch_backend(models.SWFBackend, _model)
    _patch_domain(domain_module.Domain, _model)
    _patch_execution(execution_module.WorkflowExecution, _model)
    _patch_types(type_module.GenericType)


def _patch_response(response_class: Any, api: Any) -> None:
    for name in api.handler_names():
        setattr(response_class, name, vars(api.Handlers)[name])
    call_action = response_class.call_action
    find_backend = response_class.swf_backend.fget

    def locked_call_action(self: Any) -> Any:
        # Find the backend first: moto takes its own lock to do so, and so does a reset, which
        # then takes LOCK (to forget the backend's executions). Taking moto's lock while
        # holding LOCK could deadlock with a reset.
        self._swf_backend = find_backend(self)
        # one SWF call at a time: moto's models have no locking (a long poll releases it)
        with _engine.LOCK:
            return call_action(self)

    def swf_backend(self: Any) -> Any:
        found = self.__dict__.get("_swf_backend")
        return found if found is not None else find_backend(self)

    response_class.call_action = locked_call_action
    response_class.swf_backend = property(swf_backend)


def _patch_backend(backend_class: Any, model: Any) -> None:
    reset = backend_class.reset
    deprecate_type = backend_class.deprecate_type
    undeprecate_type = backend_class.undeprecate_type

    def reset_backend(self: Any) -> None:
        with _engine.LOCK:
            model.forget(self)
            reset(self)
        _engine.end_polls()

    def deprecate(self: Any, kind: str, domain_name: str, name: str, version: str) -> None:
        deprecate_type(self, kind, domain_name, name, version)
        self._get_domain(domain_name).get_type(kind, name, version)._swf_deprecated = time.time()

    def undeprecate(self: Any, kind: str, domain_name: str, name: str, version: str) -> None:
        undeprecate_type(self, kind, domain_name, name, version)
        self._get_domain(domain_name).get_type(kind, name, version)._swf_deprecated = None

    backend_class.reset = reset_backend
    backend_class.deprecate_type = deprecate
    backend_class.undeprecate_type = undeprecate
    # timeouts fire on time (swf.local._engine's scheduler), not when a call scans them all
    backend_class._process_timeouts = lambda self: None


def _patch_domain(domain_class: Any, model: Any) -> None:
    init = domain_class.__init__
    add_to_decision = domain_class.add_to_decision_task_list
    add_to_activity = domain_class.add_to_activity_task_list
    from moto.swf.exceptions import (
        SWFUnknownResourceFault,
        SWFWorkflowExecutionAlreadyStartedFault,
    )

    def domain_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        model.init_domain(self)

    def add_workflow_execution(self: Any, wfe: Any) -> None:
        if model.open_run(self, wfe.workflow_id) is not None:
            raise SWFWorkflowExecutionAlreadyStartedFault()
        self.workflow_executions.append(wfe)
        self._swf_runs.setdefault(wfe.workflow_id, []).append(wfe)

    def get_workflow_execution(
        self: Any,
        workflow_id: str,
        run_id: str | None = None,
        raise_if_none: bool = True,
        raise_if_closed: bool = False,
    ) -> Any:
        runs = self._swf_runs.get(workflow_id) or ()
        if run_id:
            wfe = next((w for w in runs if w.run_id == run_id), None)
        else:
            wfe = model.open_run(self, workflow_id)
        if raise_if_closed and wfe is not None and not wfe.open:
            wfe = None
        if wfe is None and raise_if_none:
            if run_id:
                raise SWFUnknownResourceFault(
                    "execution", f"WorkflowExecution=[workflowId={workflow_id}, runId={run_id}]"
                )
            raise SWFUnknownResourceFault(f"execution, workflowId = {workflow_id}")
        return wfe

    def add_to_decision_task_list(self: Any, task_list: str, task: Any) -> None:
        add_to_decision(self, task_list, task)
        model.add_task(self, "decision", task_list, task)

    def add_to_activity_task_list(self: Any, task_list: str, task: Any) -> None:
        add_to_activity(self, task_list, task)
        model.add_task(self, "activity", task_list, task)

    domain_class.__init__ = domain_init
    domain_class.add_workflow_execution = add_workflow_execution
    domain_class.get_workflow_execution = get_workflow_execution
    domain_class.add_to_decision_task_list = add_to_decision_task_list
    domain_class.add_to_activity_task_list = add_to_activity_task_list


def _patch_execution(execution_class: Any, model: Any) -> None:
    init = execution_class.__init__

    def execution_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        model.init_execution(self, kwargs)

    def complete_decision_task(
        self: Any,
        task_token: str,
        decisions: list[dict[str, Any]] | None = None,
        execution_context: str | None = None,
    ) -> None:
        task = self.domain._swf_tokens[task_token]
        from swf.local._decisions import complete_decision

        complete_decision(task, decisions or [], execution_context, None, None)

    patches: dict[str, Any] = {
        "__init__": execution_init,
        # an event id is the history's length plus one, not a scan of every event
        "next_event_id": lambda self: len(self._events) + 1,
        "start": model.start_execution,
        "schedule_decision_task": model.schedule_decision,
        "_schedule_decision_task": model.schedule_decision,
        "decision_tasks": property(lambda self: list(self._swf_decision_tasks)),
        "activity_tasks": property(lambda self: list(self._swf_activity_tasks)),
        "_process_timeouts": model.check_timeouts,
        "start_decision_task": lambda self, token, identity=None: model.start_decision(
            self.domain._swf_tokens[token], identity
        ),
        "complete_decision_task": complete_decision_task,
        "start_activity_task": lambda self, token, identity=None: model.start_activity(
            self.domain._swf_tokens[token], identity
        ),
        "signal": lambda self, name, workflow_input=None: model.signal(self, name, workflow_input),
        "terminate": lambda self, child_policy=None, details=None, reason=None: model.terminate(
            self, child_policy=child_policy, details=details, reason=reason
        ),
    }
    for name, value in patches.items():
        setattr(execution_class, name, value)


def _patch_types(type_class: Any) -> None:
    init = type_class.__init__

    def type_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self._swf_created = time.time()
        self._swf_deprecated = None

    type_class.__init__ = type_init
