"""One class per SWF event family, one generated subclass per event type, and :func:`from_api`.

:data:`EVENT_TYPES` is the declared table ``eventType -> (family, state)`` for the 54 event
types of the SWF API (Lambda events included); everything else is derived from it once, at
import time, so parsing an event is a dict lookup and four slot writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from swf.models.event.base import Event, attributes_key, from_api, from_api_list, register

__all__ = [
    "CLOSING_EVENT_TYPES",
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "FAMILIES",
    "ActivityTaskEvent",
    "ChildWorkflowExecutionEvent",
    "DecisionTaskEvent",
    "ExternalWorkflowExecutionEvent",
    "LambdaFunctionEvent",
    "MarkerEvent",
    "TimerEvent",
    "WorkflowExecutionEvent",
    "from_api",
    "from_api_list",
]


def _name(value: Any) -> str | None:
    return value.get("name") if isinstance(value, Mapping) else None


class WorkflowExecutionEvent(Event):
    """Events of the workflow execution itself (start, signals, cancel requests, closing)."""

    __slots__ = ()
    type = "WorkflowExecution"

    @property
    def workflow_type(self) -> Mapping[str, str] | None:
        """The ``workflowType`` attribute (``{"name": ..., "version": ...}``)."""
        return cast("Mapping[str, str] | None", self.attributes.get("workflowType"))

    @property
    def signal_name(self) -> str | None:
        """The ``signalName`` of a ``WorkflowExecutionSignaled`` event."""
        return cast("str | None", self.attributes.get("signalName"))

    @property
    def external_workflow_execution(self) -> Mapping[str, str] | None:
        """Who signaled or asked to cancel (``{"workflowId": ..., "runId": ...}``), if known."""
        return cast("Mapping[str, str] | None", self.attributes.get("externalWorkflowExecution"))

    @property
    def tag_list(self) -> list[str]:
        """The ``tagList`` of a started (or continued) execution."""
        return list(self.attributes.get("tagList") or ())

    @property
    def child_policy(self) -> str | None:
        """The ``childPolicy`` attribute."""
        return cast("str | None", self.attributes.get("childPolicy"))

    @property
    def parent_workflow_execution(self) -> Mapping[str, str] | None:
        """The parent execution of a child workflow (``WorkflowExecutionStarted``)."""
        return cast("Mapping[str, str] | None", self.attributes.get("parentWorkflowExecution"))

    @property
    def continued_execution_run_id(self) -> str | None:
        """The run this execution continues (``WorkflowExecutionStarted``)."""
        return cast("str | None", self.attributes.get("continuedExecutionRunId"))

    @property
    def new_execution_run_id(self) -> str | None:
        """The run id of the new execution (``WorkflowExecutionContinuedAsNew``)."""
        return cast("str | None", self.attributes.get("newExecutionRunId"))


class DecisionTaskEvent(Event):
    """Decision task events (scheduled, started, completed, timed out)."""

    __slots__ = ()
    type = "DecisionTask"

    @property
    def execution_context(self) -> str | None:
        """The ``executionContext`` a decider left on completion."""
        return cast("str | None", self.attributes.get("executionContext"))


class ActivityTaskEvent(Event):
    """Activity task events, including the failed and cancel-request decisions."""

    __slots__ = ()
    type = "ActivityTask"

    @property
    def activity_id(self) -> str | None:
        """The ``activityId`` (only on scheduling and cancel-request events)."""
        return cast("str | None", self.attributes.get("activityId"))

    @property
    def activity_type(self) -> Mapping[str, str] | None:
        """The ``activityType`` attribute (``{"name": ..., "version": ...}``)."""
        return cast("Mapping[str, str] | None", self.attributes.get("activityType"))

    @property
    def latest_cancel_requested_event_id(self) -> int | None:
        """The ``latestCancelRequestedEventId`` of an ``ActivityTaskCanceled`` event."""
        return cast("int | None", self.attributes.get("latestCancelRequestedEventId"))


class TimerEvent(Event):
    """Timer events."""

    __slots__ = ()
    type = "Timer"

    @property
    def timer_id(self) -> str | None:
        """The ``timerId`` attribute."""
        return cast("str | None", self.attributes.get("timerId"))

    @property
    def start_to_fire_timeout(self) -> str | None:
        """The ``startToFireTimeout`` of a started timer (seconds, as a string)."""
        return cast("str | None", self.attributes.get("startToFireTimeout"))


class MarkerEvent(Event):
    """Marker events (recorded, or the RecordMarker decision failed)."""

    __slots__ = ()
    type = "Marker"

    @property
    def marker_name(self) -> str | None:
        """The ``markerName`` attribute."""
        return cast("str | None", self.attributes.get("markerName"))


class _WorkflowIdMixin(Event):
    __slots__ = ()

    @property
    def workflow_id(self) -> str | None:
        """The target workflow id (from ``workflowId`` or ``workflowExecution``)."""
        workflow_id = self.attributes.get("workflowId")
        if workflow_id is None:
            execution = self.attributes.get("workflowExecution")
            if isinstance(execution, Mapping):
                workflow_id = execution.get("workflowId")
        return workflow_id

    @property
    def run_id(self) -> str | None:
        """The target run id, if known (from ``runId`` or ``workflowExecution``)."""
        run_id = self.attributes.get("runId")
        if run_id is None:
            execution = self.attributes.get("workflowExecution")
            if isinstance(execution, Mapping):
                run_id = execution.get("runId")
        return run_id

    @property
    def workflow_execution(self) -> Mapping[str, str] | None:
        """The ``workflowExecution`` attribute (``{"workflowId": ..., "runId": ...}``)."""
        return cast("Mapping[str, str] | None", self.attributes.get("workflowExecution"))


class ChildWorkflowExecutionEvent(_WorkflowIdMixin):
    """Child workflow events, from the start decision to the child's close."""

    __slots__ = ()
    type = "ChildWorkflowExecution"

    @property
    def workflow_type(self) -> Mapping[str, str] | None:
        """The child's ``workflowType``."""
        return cast("Mapping[str, str] | None", self.attributes.get("workflowType"))


class ExternalWorkflowExecutionEvent(_WorkflowIdMixin):
    """Signals and cancel requests this workflow sent to other executions."""

    __slots__ = ()
    type = "ExternalWorkflowExecution"

    @property
    def signal_name(self) -> str | None:
        """The ``signalName`` of a ``SignalExternalWorkflowExecutionInitiated`` event."""
        return cast("str | None", self.attributes.get("signalName"))


class LambdaFunctionEvent(Event):
    """AWS Lambda task events."""

    __slots__ = ()
    type = "LambdaFunction"

    @property
    def lambda_id(self) -> str | None:
        """The Lambda task's ``id`` (on scheduling events)."""
        return cast("str | None", self.attributes.get("id"))

    @property
    def name(self) -> str | None:
        """The Lambda function's ``name`` (on scheduling events)."""
        return cast("str | None", self.attributes.get("name"))

    @property
    def message(self) -> str | None:
        """The ``message`` of a ``StartLambdaFunctionFailed`` event."""
        return cast("str | None", self.attributes.get("message"))


#: Family name -> family class.
FAMILIES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        WorkflowExecutionEvent,
        DecisionTaskEvent,
        ActivityTaskEvent,
        TimerEvent,
        MarkerEvent,
        ChildWorkflowExecutionEvent,
        ExternalWorkflowExecutionEvent,
        LambdaFunctionEvent,
    )
}

_WE = "WorkflowExecution"
_DT = "DecisionTask"
_AT = "ActivityTask"
_CH = "ChildWorkflowExecution"
_EX = "ExternalWorkflowExecution"
_LF = "LambdaFunction"

#: The 54 SWF event types: ``eventType -> (family, state)``.
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "WorkflowExecutionStarted": (_WE, "started"),
    "WorkflowExecutionCancelRequested": (_WE, "cancel_requested"),
    "WorkflowExecutionCompleted": (_WE, "completed"),
    "CompleteWorkflowExecutionFailed": (_WE, "complete_failed"),
    "WorkflowExecutionFailed": (_WE, "failed"),
    "FailWorkflowExecutionFailed": (_WE, "fail_failed"),
    "WorkflowExecutionTimedOut": (_WE, "timed_out"),
    "WorkflowExecutionCanceled": (_WE, "canceled"),
    "CancelWorkflowExecutionFailed": (_WE, "cancel_failed"),
    "WorkflowExecutionContinuedAsNew": (_WE, "continued_as_new"),
    "ContinueAsNewWorkflowExecutionFailed": (_WE, "continue_as_new_failed"),
    "WorkflowExecutionTerminated": (_WE, "terminated"),
    "WorkflowExecutionSignaled": (_WE, "signaled"),
    "DecisionTaskScheduled": (_DT, "scheduled"),
    "DecisionTaskStarted": (_DT, "started"),
    "DecisionTaskCompleted": (_DT, "completed"),
    "DecisionTaskTimedOut": (_DT, "timed_out"),
    "ActivityTaskScheduled": (_AT, "scheduled"),
    "ScheduleActivityTaskFailed": (_AT, "schedule_failed"),
    "ActivityTaskStarted": (_AT, "started"),
    "ActivityTaskCompleted": (_AT, "completed"),
    "ActivityTaskFailed": (_AT, "failed"),
    "ActivityTaskTimedOut": (_AT, "timed_out"),
    "ActivityTaskCanceled": (_AT, "canceled"),
    "ActivityTaskCancelRequested": (_AT, "cancel_requested"),
    "RequestCancelActivityTaskFailed": (_AT, "request_cancel_failed"),
    "MarkerRecorded": ("Marker", "recorded"),
    "RecordMarkerFailed": ("Marker", "record_failed"),
    "TimerStarted": ("Timer", "started"),
    "StartTimerFailed": ("Timer", "start_failed"),
    "TimerFired": ("Timer", "fired"),
    "TimerCanceled": ("Timer", "canceled"),
    "CancelTimerFailed": ("Timer", "cancel_failed"),
    "StartChildWorkflowExecutionInitiated": (_CH, "start_initiated"),
    "StartChildWorkflowExecutionFailed": (_CH, "start_failed"),
    "ChildWorkflowExecutionStarted": (_CH, "started"),
    "ChildWorkflowExecutionCompleted": (_CH, "completed"),
    "ChildWorkflowExecutionFailed": (_CH, "failed"),
    "ChildWorkflowExecutionTimedOut": (_CH, "timed_out"),
    "ChildWorkflowExecutionCanceled": (_CH, "canceled"),
    "ChildWorkflowExecutionTerminated": (_CH, "terminated"),
    "SignalExternalWorkflowExecutionInitiated": (_EX, "signal_initiated"),
    "SignalExternalWorkflowExecutionFailed": (_EX, "signal_failed"),
    "ExternalWorkflowExecutionSignaled": (_EX, "signaled"),
    "RequestCancelExternalWorkflowExecutionInitiated": (_EX, "request_cancel_initiated"),
    "RequestCancelExternalWorkflowExecutionFailed": (_EX, "request_cancel_failed"),
    "ExternalWorkflowExecutionCancelRequested": (_EX, "cancel_requested"),
    "LambdaFunctionScheduled": (_LF, "scheduled"),
    "ScheduleLambdaFunctionFailed": (_LF, "schedule_failed"),
    "LambdaFunctionStarted": (_LF, "started"),
    "StartLambdaFunctionFailed": (_LF, "start_failed"),
    "LambdaFunctionCompleted": (_LF, "completed"),
    "LambdaFunctionFailed": (_LF, "failed"),
    "LambdaFunctionTimedOut": (_LF, "timed_out"),
}

#: The event types that close the execution.
CLOSING_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "WorkflowExecutionCompleted",
        "WorkflowExecutionFailed",
        "WorkflowExecutionTimedOut",
        "WorkflowExecutionCanceled",
        "WorkflowExecutionContinuedAsNew",
        "WorkflowExecutionTerminated",
    }
)


def _make_class(event_type: str, family: str, state: str) -> type[Event]:
    base = FAMILIES[family]
    namespace = {
        "__slots__": (),
        "__doc__": f"A ``{event_type}`` event ({family}, state {state!r}).",
        "__module__": __name__,
        "event_type": event_type,
        "state": state,
        "attributes_key": attributes_key(event_type),
        "closes_workflow": event_type in CLOSING_EVENT_TYPES,
    }
    return type(event_type, (base,), namespace)


#: ``eventType`` -> its event class (a subclass of the family class).
EVENT_CLASSES: dict[str, type[Event]] = {
    event_type: _make_class(event_type, family, state)
    for event_type, (family, state) in EVENT_TYPES.items()
}

# Each class is also a module attribute, so that pickle finds it by name.
globals().update(EVENT_CLASSES)

for _cls in EVENT_CLASSES.values():
    register(_cls)
