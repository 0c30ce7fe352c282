"""The errors of the workflow layer, all under :class:`~swf.exceptions.SWFError`.

::

    SWFError
    ├── FlowError                       a workflow or activity definition is wrong
    │   └── PayloadTooLargeError (ValidationError)  an input or result over SWF's 32 KB
    ├── NondeterminismError             the code no longer makes the calls its history records
    ├── ActivityError                   an activity did not complete (at ``future.result``)
    │   ├── ActivityFailed              its worker failed it (error type, reason, details)
    │   ├── ActivityTimedOut            it timed out (timeout type)
    │   └── ActivityCanceled            it was canceled
    ├── TimerCanceled                   a timer was canceled (at ``future.result``)
    ├── SignalTimeout                   no signal came before ``wait_signal``'s timeout
    ├── SignalFailed                    a signal could not be sent (unknown execution...)
    ├── ChildWorkflowFailed             a child workflow did not complete (at ``.result``)
    └── WorkflowError                   an execution did not complete (:func:`swf.flow.result`)
        ├── WorkflowFailed
        ├── WorkflowTimedOut
        ├── WorkflowTerminated
        └── WorkflowCanceled

An uncaught :class:`ActivityError` in ``Workflow.run`` fails the workflow with a reason that
names the activity; a :class:`NondeterminismError` never fails it by default (the decider logs
it and lets the decision task time out, so that a fixed deployment picks the execution up).
"""

from __future__ import annotations

from typing import Any

from swf.exceptions import SWFError, ValidationError

__all__ = [
    "ActivityCanceled",
    "ActivityError",
    "ActivityFailed",
    "ActivityTimedOut",
    "ChildWorkflowFailed",
    "FlowError",
    "NondeterminismError",
    "PayloadTooLargeError",
    "SignalFailed",
    "SignalTimeout",
    "TimerCanceled",
    "WorkflowCanceled",
    "WorkflowError",
    "WorkflowFailed",
    "WorkflowTerminated",
    "WorkflowTimedOut",
]


class FlowError(SWFError):
    """A workflow or activity is defined or used wrongly (caught before anything is sent)."""


class PayloadTooLargeError(FlowError, ValidationError):
    """An input, result or marker is over SWF's limit for that field once encoded.

    Attributes:
        size: the encoded size, in characters.
        limit: SWF's limit for the field.
    """

    def __init__(self, message: str, *, size: int, limit: int, value: Any = None) -> None:
        super().__init__(message, argument="payload", value=value)
        self.size = size
        self.limit = limit


class NondeterminismError(SWFError):
    """The workflow's code no longer makes the calls its history records.

    Raised when a replayed call differs from what the history recorded under its id (another
    activity, version or input), or when the history holds an entity no call claims.

    Attributes:
        task_id: the id of the activity, timer or marker concerned.
        event_id: the event that recorded it (None when the replay made a call the history
            does not have).
        recorded: the recorded call, in words (None when the history has none).
        replayed: the call made now, in words (None when the code made none).
    """

    def __init__(
        self,
        message: str,
        *,
        task_id: str | None = None,
        event_id: int | None = None,
        recorded: str | None = None,
        replayed: str | None = None,
    ) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.event_id = event_id
        self.recorded = recorded
        self.replayed = replayed


class ActivityError(SWFError):
    """An activity did not complete; raised at its ``future.result``.

    Attributes:
        activity_id: the activity's id in the execution.
        name: its activity type's name.
        attempts: how many times it was tried.
    """

    def __init__(self, message: str, *, activity_id: str, name: str, attempts: int) -> None:
        super().__init__(message)
        self.activity_id = activity_id
        self.name = name
        self.attempts = attempts


class ActivityFailed(ActivityError):
    """The worker failed the activity.

    Attributes:
        reason: the failure's reason.
        details: its details (for a ``swf.flow`` worker, JSON with ``type``, ``message`` and
            ``traceback``).
        error_type: the worker's exception type, ``"module.Name"`` (None when unknown).
    """

    def __init__(
        self,
        message: str,
        *,
        activity_id: str,
        name: str,
        attempts: int,
        reason: str | None = None,
        details: str | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message, activity_id=activity_id, name=name, attempts=attempts)
        self.reason = reason
        self.details = details
        self.error_type = error_type


class ActivityTimedOut(ActivityError):
    """The activity timed out.

    Attributes:
        timeout_type: SWF's timeout type (``START_TO_CLOSE``, ``HEARTBEAT``...).
    """

    def __init__(
        self,
        message: str,
        *,
        activity_id: str,
        name: str,
        attempts: int,
        timeout_type: str | None = None,
    ) -> None:
        super().__init__(message, activity_id=activity_id, name=name, attempts=attempts)
        self.timeout_type = timeout_type


class ActivityCanceled(ActivityError):
    """The activity was canceled."""


class TimerCanceled(SWFError):
    """The timer was canceled before it fired.

    Attributes:
        timer_id: the timer's id.
    """

    def __init__(self, message: str, *, timer_id: str) -> None:
        super().__init__(message)
        self.timer_id = timer_id


class SignalTimeout(SWFError):
    """No signal of that name came before the ``timeout`` of ``wait_signal``.

    Attributes:
        name: the signal's name.
        timeout: the timeout, in seconds.
    """

    def __init__(self, message: str, *, name: str, timeout: str) -> None:
        super().__init__(message)
        self.name = name
        self.timeout = timeout


class SignalFailed(SWFError):
    """SWF could not send a signal (``SignalExternalWorkflowExecutionFailed``).

    Attributes:
        name: the signal's name.
        workflow_id: the execution it was for.
        cause: SWF's cause (``UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION``...).
    """

    def __init__(self, message: str, *, name: str, workflow_id: str | None, cause: str | None):
        super().__init__(message)
        self.name = name
        self.workflow_id = workflow_id
        self.cause = cause


class ChildWorkflowFailed(SWFError):
    """A child workflow did not complete: failed, timed out, canceled, terminated, or could
    not start.

    Attributes:
        workflow_id: the child's workflow id.
        name: its workflow type's name.
        state: how it ended (``failed``, ``timed_out``, ``canceled``, ``terminated``,
            ``start_failed``).
        reason: the reason it recorded (or SWF's cause, for a start that failed).
        details: the details it recorded.
        attempts: how many times it was started.
    """

    def __init__(
        self,
        message: str,
        *,
        workflow_id: str,
        name: str,
        state: str,
        reason: str | None = None,
        details: str | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.workflow_id = workflow_id
        self.name = name
        self.state = state
        self.reason = reason
        self.details = details
        self.attempts = attempts


class WorkflowError(SWFError):
    """A workflow execution closed without completing (:func:`swf.flow.result`).

    Attributes:
        workflow_id: the execution's workflow id.
        run_id: its run id.
        reason: the reason SWF recorded, if any.
        details: the details SWF recorded, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        workflow_id: str | None = None,
        run_id: str | None = None,
        reason: str | None = None,
        details: str | None = None,
    ) -> None:
        super().__init__(message)
        self.workflow_id = workflow_id
        self.run_id = run_id
        self.reason = reason
        self.details = details


class WorkflowFailed(WorkflowError):
    """The workflow failed (its ``run()`` raised, or it called ``fail()``)."""


class WorkflowTimedOut(WorkflowError):
    """The workflow timed out (its execution start-to-close timeout)."""


class WorkflowTerminated(WorkflowError):
    """The workflow was terminated."""


class WorkflowCanceled(WorkflowError):
    """The workflow was canceled."""
