"""The decisions a history records, as comparable keys: :class:`DecisionKey`.

Each decision (made now) and each decision event (recorded: the events whose
``decisionTaskCompletedEventId`` is a task's ``DecisionTaskCompleted``) reduces to a
:class:`DecisionKey`: the decision type and its identifying and payload attributes (ids, type
names, input, control, result, reason, details, marker name, timer duration). Timeouts, task
lists and priorities are left out: an event records the defaults SWF filled in, a decision
usually omits them. A failure event (``ScheduleActivityTaskFailed``...) records only the ids,
so only those are compared. :func:`recorded_decisions` lists a history's, per decision task;
:mod:`swf.replay` compares them with what a decider decides now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from swf.models.decision import Decision, DecisionType
from swf.models.event import Event

__all__ = [
    "KEY_FIELDS",
    "RECORDING_EVENTS",
    "VOLATILE_MARKERS",
    "DecisionKey",
    "recorded_decisions",
]


_D = DecisionType

#: Per decision type, the attributes a replayed decision and a recorded event are compared on.
KEY_FIELDS: dict[DecisionType, tuple[str, ...]] = {
    _D.SCHEDULE_ACTIVITY_TASK: ("activityId", "activityType", "input", "control"),
    _D.REQUEST_CANCEL_ACTIVITY_TASK: ("activityId",),
    _D.COMPLETE_WORKFLOW_EXECUTION: ("result",),
    _D.FAIL_WORKFLOW_EXECUTION: ("reason", "details"),
    _D.CANCEL_WORKFLOW_EXECUTION: ("details",),
    _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION: ("input",),
    _D.RECORD_MARKER: ("markerName", "details"),
    _D.START_TIMER: ("timerId", "startToFireTimeout", "control"),
    _D.CANCEL_TIMER: ("timerId",),
    _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: (
        "workflowId",
        "runId",
        "signalName",
        "input",
        "control",
    ),
    _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: ("workflowId", "runId", "control"),
    _D.START_CHILD_WORKFLOW_EXECUTION: ("workflowId", "workflowType", "input", "control"),
    _D.SCHEDULE_LAMBDA_FUNCTION: ("id", "name", "input", "control"),
}

#: The events that record a decision: event type -> (decision type, the key attributes the
#: event records; None when it records all of them).
RECORDING_EVENTS: dict[str, tuple[DecisionType, tuple[str, ...] | None]] = {
    "ActivityTaskScheduled": (_D.SCHEDULE_ACTIVITY_TASK, None),
    "ScheduleActivityTaskFailed": (_D.SCHEDULE_ACTIVITY_TASK, ("activityId", "activityType")),
    "ActivityTaskCancelRequested": (_D.REQUEST_CANCEL_ACTIVITY_TASK, None),
    "RequestCancelActivityTaskFailed": (_D.REQUEST_CANCEL_ACTIVITY_TASK, None),
    "WorkflowExecutionCompleted": (_D.COMPLETE_WORKFLOW_EXECUTION, None),
    "CompleteWorkflowExecutionFailed": (_D.COMPLETE_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionFailed": (_D.FAIL_WORKFLOW_EXECUTION, None),
    "FailWorkflowExecutionFailed": (_D.FAIL_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionCanceled": (_D.CANCEL_WORKFLOW_EXECUTION, None),
    "CancelWorkflowExecutionFailed": (_D.CANCEL_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionContinuedAsNew": (_D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION, None),
    "ContinueAsNewWorkflowExecutionFailed": (_D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION, ()),
    "MarkerRecorded": (_D.RECORD_MARKER, None),
    "RecordMarkerFailed": (_D.RECORD_MARKER, ("markerName",)),
    "TimerStarted": (_D.START_TIMER, None),
    "StartTimerFailed": (_D.START_TIMER, ("timerId",)),
    "TimerCanceled": (_D.CANCEL_TIMER, None),
    # moto 5 writes a CancelTimer as "TimerCancelled" with no attributes at all
    "TimerCancelled": (_D.CANCEL_TIMER, ("timerId",)),
    "CancelTimerFailed": (_D.CANCEL_TIMER, None),
    "SignalExternalWorkflowExecutionInitiated": (_D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION, None),
    "SignalExternalWorkflowExecutionFailed": (
        _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
        ("workflowId", "runId", "control"),
    ),
    "RequestCancelExternalWorkflowExecutionInitiated": (
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        None,
    ),
    "RequestCancelExternalWorkflowExecutionFailed": (
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        ("workflowId", "runId", "control"),
    ),
    "StartChildWorkflowExecutionInitiated": (_D.START_CHILD_WORKFLOW_EXECUTION, None),
    "StartChildWorkflowExecutionFailed": (
        _D.START_CHILD_WORKFLOW_EXECUTION,
        ("workflowId", "workflowType", "control"),
    ),
    "LambdaFunctionScheduled": (_D.SCHEDULE_LAMBDA_FUNCTION, None),
    "ScheduleLambdaFunctionFailed": (_D.SCHEDULE_LAMBDA_FUNCTION, ("id", "name")),
}

#: Failure events that follow an ``...Initiated`` event (its ``initiatedEventId``): the
#: decision is already recorded by the initiated event, the failure is a later outcome.
_FAILED_AFTER_INITIATED = {
    "SignalExternalWorkflowExecutionFailed": "SignalExternalWorkflowExecutionInitiated",
    "RequestCancelExternalWorkflowExecutionFailed": (
        "RequestCancelExternalWorkflowExecutionInitiated"
    ),
    "StartChildWorkflowExecutionFailed": "StartChildWorkflowExecutionInitiated",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


#: Markers whose details are a value computed when first recorded (the workflow layer's side
#: effects): a replay cannot compute it again, so only their name and place are compared.
VOLATILE_MARKERS = frozenset({"swf.side-effect"})


def _key_attributes(
    decision_type: DecisionType, attributes: Mapping[str, Any], fields: Sequence[str] | None
) -> dict[str, Any]:
    # Absent, None and "" are the same value: SWF (and moto) leave empty strings out of events.
    selected = KEY_FIELDS[decision_type] if fields is None else fields
    if decision_type is DecisionType.RECORD_MARKER and attributes.get("markerName") in (
        VOLATILE_MARKERS
    ):
        selected = ("markerName",)
    return {
        name: _plain(attributes[name])
        for name in selected
        if attributes.get(name) not in (None, "")
    }


@attrs.frozen
class DecisionKey:
    """What a decision is compared on: its type and its key attributes.

    Attributes:
        decision_type: the decision type, e.g. ``'ScheduleActivityTask'``.
        attributes: the key attributes
            (:data:`~swf.models.history.recorded.KEY_FIELDS`), with SWF's names; empty ones
            are left out.
        compared: the attribute names compared (None: all of
            :data:`~swf.models.history.recorded.KEY_FIELDS`); a failure event records only
            the ids.
        event_id: the event that recorded it (None for a replayed decision).
        event_type: that event's type (None for a replayed decision).
    """

    decision_type: str
    attributes: Mapping[str, Any] = attrs.field(factory=dict)
    compared: tuple[str, ...] | None = None
    event_id: int | None = None
    event_type: str | None = None

    @classmethod
    def from_decision(cls, decision: Mapping[str, Any]) -> DecisionKey:
        """The key of a decision (a :class:`~swf.models.decision.Decision` or its dict)."""
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        decision_type = wrapped.decision_type
        return cls(decision_type.value, _key_attributes(decision_type, wrapped.attributes, None))

    @classmethod
    def from_event(cls, event: Event) -> DecisionKey | None:
        """The key of the decision an event records, or None if it records no decision."""
        known = RECORDING_EVENTS.get(event.event_type)
        if known is None:
            return None
        decision_type, fields = known
        return cls(
            decision_type.value,
            _key_attributes(decision_type, event.attributes, fields),
            compared=fields,
            event_id=event.id,
            event_type=event.event_type,
        )

    def matches(self, replayed: DecisionKey) -> bool:
        """Whether ``replayed`` (a decision made now) is the decision this key recorded."""
        if self.decision_type != replayed.decision_type:
            return False
        if self.compared is None:
            return dict(self.attributes) == dict(replayed.attributes)
        return all(
            self.attributes.get(name) == replayed.attributes.get(name)
            for name in self.compared
            if name in self.attributes
        )

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={_short(value)}" for name, value in self.attributes.items())
        return f"{self.decision_type}({shown})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "decision_type": self.decision_type,
            "attributes": dict(self.attributes),
            "event_id": self.event_id,
            "event_type": self.event_type,
        }


def _short(value: Any) -> str:
    if isinstance(value, Mapping) and set(value) == {"name", "version"}:
        return f"{value['name']}/{value['version']}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def recorded_decisions(history: Sequence[Event]) -> dict[int, list[DecisionKey]]:
    """The decisions recorded in ``history``, per ``DecisionTaskCompleted`` event id.

    A decision event is attributed by its ``decisionTaskCompletedEventId``; one that lacks it
    (moto's ``TimerCancelled``) goes to the latest ``DecisionTaskCompleted`` before it. A
    failure of a signal, cancel request or child start that follows its ``...Initiated``
    event is an outcome, not a decision, and is skipped.
    """
    recorded: dict[int, list[DecisionKey]] = {}
    types_by_id: dict[int, str] = {}
    last_completed: int | None = None
    for event in history:
        types_by_id[event.id] = event.event_type
        if event.event_type == "DecisionTaskCompleted":
            last_completed = event.id
            recorded.setdefault(event.id, [])
            continue
        key = DecisionKey.from_event(event)
        if key is None:
            continue
        initiated = _FAILED_AFTER_INITIATED.get(event.event_type)
        if initiated is not None:
            source = event.attributes.get("initiatedEventId")
            if isinstance(source, int) and types_by_id.get(source) == initiated:
                continue
        completed = event.attributes.get("decisionTaskCompletedEventId", last_completed)
        if completed is None:
            continue
        recorded.setdefault(int(completed), []).append(key)
    return recorded
