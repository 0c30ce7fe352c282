"""Installing the extensions of moto's SWF backend: one place, idempotent, version-checked."""

from __future__ import annotations

import threading
from typing import Any

from swf.exceptions import ConfigurationError

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
_scheduling = threading.local()


class MotoVersionError(ConfigurationError):
    """The installed moto is not the version the local endpoint's extensions are written for."""


def _check_moto_version() -> None:
    try:
        import moto
    except ImportError as exc:  # pragma: no cover - moto is in the [test] extra
        raise MotoVersionError(
            f"the local SWF endpoint needs moto[server]=={MOTO_VERSION}, which is not "
            "installed (pip install 'moto[server]=={MOTO_VERSION}')"
        ) from exc
    found = getattr(moto, "__version__", "unknown")
    if found != MOTO_VERSION:
        raise MotoVersionError(
            f"the local SWF endpoint extends moto {MOTO_VERSION}'s SWF backend, but moto "
            f"{found} is installed; install moto[server]=={MOTO_VERSION}"
        )


def install() -> bool:
    """Extend moto's SWF backend in this process (idempotent).

    Applies to moto in-process (``mock_aws``) and to the server :class:`~swf.local.LocalSWF`
    runs in this process alike: both use the same backends.

    Returns:
        True (the extensions are installed).

    Raises:
        MotoVersionError: moto is missing or not version :data:`MOTO_VERSION`.
    """
    global _installed
    with _install_lock:
        if _installed:
            return True
        _check_moto_version()
        _patch_activity_id_reuse()
        _installed = True
        return True


def allow_closed_activity_id_reuse() -> bool:
    """Make moto (in this process) accept an activity id again once its activity is closed.

    Kept for compatibility: it is now one of the extensions :func:`install` applies.

    Returns:
        True.
    """
    return install()


def _patch_activity_id_reuse() -> None:
    from moto.swf.models.workflow_execution import WorkflowExecution

    every_task = WorkflowExecution.__dict__["activity_tasks"]
    schedule = WorkflowExecution.__dict__["schedule_activity_task"]

    def activity_tasks(self: Any) -> list[Any]:
        tasks: list[Any] = every_task.fget(self)
        if getattr(_scheduling, "active", False):
            return [task for task in tasks if task.open]
        return tasks

    def schedule_activity_task(self: Any, *args: Any, **kwargs: Any) -> Any:
        _scheduling.active = True
        try:
            return schedule(self, *args, **kwargs)
        finally:
            _scheduling.active = False

    setattr(WorkflowExecution, "activity_tasks", property(activity_tasks))  # noqa: B010
    setattr(WorkflowExecution, "schedule_activity_task", schedule_activity_task)  # noqa: B010


def cancel_timers() -> int:
    """Cancel every timer that moto's SWF (in this process) is running.

    Called by :meth:`LocalSWF.stop`, :meth:`LocalSWF.reset` and the ``swf_backend``
    fixture; a canceled timer never fires (its execution is thrown away).

    Returns:
        The number of timers canceled.
    """
    try:
        from moto.swf.models import swf_backends
    except ImportError:  # pragma: no cover - moto is a dependency of swf.local
        return 0
    canceled = 0
    for regions in list(swf_backends.values()):
        for backend in list(regions.values()):
            for domain in list(backend.domains):
                for execution in list(domain.workflow_executions):
                    for timer in list(getattr(execution, "_timers", {}).values()):
                        timer.cancel()
                        canceled += 1
    return canceled
