"""Which run of which workflow this thread is replaying (``Workflow.run`` is running in it),
and which activity task it runs (:func:`~swf.flow.activity_context`).

A context variable, so that each thread (and each decider of a process) has its own: the
``@nondeterministic`` functions and :class:`~swf.flow.engine.ReplayAwareStdout` read it.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from swf.flow.errors import FlowError

if TYPE_CHECKING:
    from swf.flow.engine import Run

__all__ = [
    "ActivityContext",
    "CancelActivity",
    "activity_context",
    "current_run",
    "replaying",
    "running_activity",
]

_current: contextvars.ContextVar[Run | None] = contextvars.ContextVar("swf_flow_run", default=None)


def current_run() -> Run | None:
    """The run being replayed in this thread (None outside ``Workflow.run``)."""
    return _current.get()


def replaying(
    run: Run | None, token: contextvars.Token[Run | None] | None = None
) -> contextvars.Token[Run | None] | None:
    """Enter ``run`` (returns the token to leave it), or, given the token, leave it."""
    if token is not None:
        _current.reset(token)
        return None
    return _current.set(run)


class CancelActivity(BaseException):
    """Raised by :meth:`ActivityContext.cancel`: the worker reports the task canceled
    (``RespondActivityTaskCanceled``) with these details. A ``BaseException``, so that an
    activity's ``except Exception`` does not swallow it."""

    def __init__(self, details: str | None = None) -> None:
        super().__init__(details)
        self.details = details


@attrs.frozen
class ActivityContext:
    """What an activity knows of its task, inside the activity (:func:`~swf.flow.activity_context`).

    Attributes:
        workflow_id: the execution's workflow id.
        run_id: its run id.
        activity_id: the activity id.
    """

    workflow_id: str
    run_id: str
    activity_id: str
    _attempt: Callable[[], int] = attrs.field(alias="attempt", repr=False)
    _heartbeat: Callable[[str | None], bool] = attrs.field(alias="heartbeat", repr=False)

    @property
    def attempt(self) -> int:
        """Which try this is (1 for the first; read from the execution's history on SWF)."""
        return self._attempt()

    def heartbeat(self, details: Any = None) -> bool:
        """Report progress (``details``: a string, or any JSON value; SWF keeps 2,048
        characters) and learn whether the task's cancellation was requested: the activity
        may then stop with :meth:`cancel`.

        Raises:
            TaskClosedError: the task is over (timed out, canceled) on SWF's side.
        """
        text = details if details is None or isinstance(details, str) else json.dumps(details)
        return self._heartbeat(text)

    def cancel(self, details: Any = None) -> NoReturn:
        """Stop the activity and report the task canceled (after a cancel request)."""
        text = details if details is None or isinstance(details, str) else json.dumps(details)
        raise CancelActivity(text)


_activity: contextvars.ContextVar[ActivityContext | None] = contextvars.ContextVar(
    "swf_flow_activity", default=None
)


def activity_context() -> ActivityContext:
    """The task of the activity running in this thread (its ids, attempt, heartbeat).

    Raises:
        FlowError: called outside an activity run by a ``WorkflowWorker`` or ``run_local``.
    """
    found = _activity.get()
    if found is None:
        raise FlowError(
            "activity_context() works inside an activity run by a WorkflowWorker or run_local"
        )
    return found


@contextlib.contextmanager
def running_activity(context: ActivityContext) -> Iterator[ActivityContext]:
    """Run the activity of ``context`` in this block (the worker and run_local do)."""
    token = _activity.set(context)
    try:
        yield context
    finally:
        _activity.reset(token)
