"""The states of the entities of a history, in one vocabulary.

Each event moves one entity (the workflow, a decision task, an activity, a timer, a child
workflow, a signal or cancel request sent to another execution, a Lambda task) to a state, the
event's ``state`` (``ActivityTaskCompleted`` -> ``"completed"``); the compiled history's records
hold the state their entity reached. The names are plain strings (``record.state ==
"completed"`` reads naturally and costs nothing in the compiler's loop); the ``Literal`` types
below say which strings each kind of entity can be in, and the sets say which are open.

>>> from swf import states
>>> "started" in states.OPEN_TASK_STATES
True
"""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = [
    "ACTIVITY_STATES",
    "CANCELED",
    "CANCEL_REQUESTED",
    "CHILD_WORKFLOW_STATES",
    "COMPLETED",
    "CONTINUED_AS_NEW",
    "DECISION_TASK_STATES",
    "EXTERNAL_CANCEL_STATES",
    "EXTERNAL_SIGNAL_STATES",
    "FAILED",
    "FAILED_STATES",
    "FIRED",
    "LAMBDA_FUNCTION_STATES",
    "NOT_SEEN",
    "OPEN_CHILD_STATES",
    "OPEN_EXTERNAL_STATES",
    "OPEN_STATES",
    "OPEN_TASK_STATES",
    "OPEN_TIMER_STATES",
    "OPEN_WORKFLOW_STATES",
    "RECORDED",
    "RECORD_FAILED",
    "REQUEST_CANCEL_FAILED",
    "REQUEST_CANCEL_INITIATED",
    "SCHEDULED",
    "SCHEDULE_FAILED",
    "SIGNALED",
    "SIGNAL_FAILED",
    "SIGNAL_INITIATED",
    "STARTED",
    "START_FAILED",
    "START_INITIATED",
    "TERMINATED",
    "TIMED_OUT",
    "TIMER_STATES",
    "WORKFLOW_STATES",
    "ActivityState",
    "ChildWorkflowState",
    "DecisionTaskState",
    "ExternalCancelState",
    "ExternalSignalState",
    "LambdaFunctionState",
    "MarkerState",
    "TimerState",
    "WorkflowState",
]

#: Before any event of the entity (the workflow record of an empty history).
NOT_SEEN: Final = ""
SCHEDULED: Final = "scheduled"
STARTED: Final = "started"
COMPLETED: Final = "completed"
FAILED: Final = "failed"
TIMED_OUT: Final = "timed_out"
CANCELED: Final = "canceled"
TERMINATED: Final = "terminated"
CONTINUED_AS_NEW: Final = "continued_as_new"
SCHEDULE_FAILED: Final = "schedule_failed"
START_FAILED: Final = "start_failed"
START_INITIATED: Final = "start_initiated"
FIRED: Final = "fired"
RECORDED: Final = "recorded"
RECORD_FAILED: Final = "record_failed"
SIGNAL_INITIATED: Final = "signal_initiated"
SIGNALED: Final = "signaled"
SIGNAL_FAILED: Final = "signal_failed"
REQUEST_CANCEL_INITIATED: Final = "request_cancel_initiated"
#: An activity, the workflow or another execution was asked to cancel (the first two keep
#: their state; a cancel request sent to another execution reaches this state).
CANCEL_REQUESTED: Final = "cancel_requested"
REQUEST_CANCEL_FAILED: Final = "request_cancel_failed"

WorkflowState = Literal[
    "", "started", "completed", "failed", "canceled", "terminated", "timed_out", "continued_as_new"
]
DecisionTaskState = Literal["scheduled", "started", "completed", "timed_out"]
ActivityState = Literal[
    "scheduled", "started", "completed", "failed", "timed_out", "canceled", "schedule_failed"
]
TimerState = Literal["started", "fired", "canceled", "start_failed"]
ChildWorkflowState = Literal[
    "start_initiated",
    "started",
    "completed",
    "failed",
    "timed_out",
    "canceled",
    "terminated",
    "start_failed",
]
ExternalSignalState = Literal["signal_initiated", "signaled", "signal_failed"]
ExternalCancelState = Literal[
    "request_cancel_initiated", "cancel_requested", "request_cancel_failed"
]
LambdaFunctionState = Literal[
    "scheduled", "started", "completed", "failed", "timed_out", "schedule_failed", "start_failed"
]
MarkerState = Literal["recorded", "record_failed"]

#: Every state each kind of entity can be in (the keys of ``TRANSITIONS`` in the compiler).
WORKFLOW_STATES: Final = frozenset(get_args(WorkflowState))
DECISION_TASK_STATES: Final = frozenset(get_args(DecisionTaskState))
ACTIVITY_STATES: Final = frozenset(get_args(ActivityState))
TIMER_STATES: Final = frozenset(get_args(TimerState))
CHILD_WORKFLOW_STATES: Final = frozenset(get_args(ChildWorkflowState))
EXTERNAL_SIGNAL_STATES: Final = frozenset(get_args(ExternalSignalState))
EXTERNAL_CANCEL_STATES: Final = frozenset(get_args(ExternalCancelState))
LAMBDA_FUNCTION_STATES: Final = frozenset(get_args(LambdaFunctionState))

#: Open states: the entity has not reached a final state yet.
OPEN_WORKFLOW_STATES: Final = frozenset({NOT_SEEN, STARTED})
#: Activities, Lambda tasks and decision tasks.
OPEN_TASK_STATES: Final = frozenset({SCHEDULED, STARTED})
OPEN_TIMER_STATES: Final = frozenset({STARTED})
OPEN_CHILD_STATES: Final = frozenset({START_INITIATED, STARTED})
OPEN_EXTERNAL_STATES: Final = frozenset({SIGNAL_INITIATED, REQUEST_CANCEL_INITIATED})
#: Any open state of any entity that a later event can close.
OPEN_STATES: Final = OPEN_TASK_STATES | OPEN_CHILD_STATES | OPEN_EXTERNAL_STATES

#: States that end an entity badly (reported by inspection, drawn in red).
FAILED_STATES: Final = frozenset(
    {
        FAILED,
        TIMED_OUT,
        CANCELED,
        TERMINATED,
        SCHEDULE_FAILED,
        START_FAILED,
        REQUEST_CANCEL_FAILED,
        SIGNAL_FAILED,
    }
)
