"""One class per SWF event family, one generated subclass per event type, and :func:`from_api`.

:data:`EVENT_TYPES` is the declared table ``eventType -> (family, state)`` for the 54 event
types of the SWF API (Lambda events included); everything else is derived from it once, at
import time, so parsing an event is a dict lookup and four slot writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from swf.exceptions import InvalidHistoryError
from swf.models.event.base import (
    Event,
    UnknownEvent,
    _Building,
    _set_attributes,
    _set_id,
    _set_raw,
    _set_timestamp,
    _set_unknown_type,
)

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


def _attributes_key(event_type: str) -> str:
    return event_type[0].lower() + event_type[1:] + "EventAttributes"


def _make_class(event_type: str, family: str, state: str) -> type[Event]:
    base = FAMILIES[family]
    namespace = {
        "__slots__": (),
        "__doc__": f"A ``{event_type}`` event ({family}, state {state!r}).",
        "__module__": __name__,
        "event_type": event_type,
        "state": state,
        "attributes_key": _attributes_key(event_type),
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

# Event types whose attribute dict may legitimately be absent (no required member).
_OPTIONAL_ATTRIBUTES = frozenset({"WorkflowExecutionCancelRequested", "StartLambdaFunctionFailed"})
_SPECS: dict[str, tuple[type[Event], str]] = {
    event_type: (cls, cls.attributes_key) for event_type, cls in EVENT_CLASSES.items()
}
_STAMP_TYPES = frozenset({float, int, dt.datetime})
_EMPTY: Mapping[str, Any] = {}
_new = object.__new__


def _bad(raw: Any, position: int | None, problem: str) -> InvalidHistoryError:
    event_id = raw.get("eventId") if isinstance(raw, Mapping) else None
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        event_id = None
    where = f"event at position {position}" if position is not None else "event"
    if event_id is not None:
        where += f" (id {event_id})"
    return InvalidHistoryError(
        f"{where}: {problem}", event_id=event_id, position=position, value=raw
    )


def from_api(raw: Mapping[str, Any], position: int | None = None) -> Event:
    """Build the typed event of one raw history event.

    Args:
        raw: one event as GetWorkflowExecutionHistory or PollForDecisionTask return it
            (``eventTimestamp`` a datetime from boto3, or seconds since the epoch from JSON).
        position: the event's index in its list, for error messages.

    Returns:
        An instance of the event type's class; an :class:`UnknownEvent` for a type this
        version of swf does not know.

    Raises:
        InvalidHistoryError: ``raw`` is not a mapping, or its ``eventId``, ``eventType``,
            ``eventTimestamp`` or attribute dict is missing or of the wrong type.
    """
    try:
        event_type = raw["eventType"]
        event_id = raw["eventId"]
        stamp = raw["eventTimestamp"]
        spec = _SPECS.get(event_type)
    except (KeyError, TypeError) as exc:
        raise _diagnose(raw, position) from exc
    if type(event_id) is not int or event_id < 1:
        raise _diagnose(raw, position)
    if type(stamp) not in _STAMP_TYPES and not isinstance(stamp, dt.datetime):
        raise _diagnose(raw, position)
    if spec is None:
        if not isinstance(event_type, str) or not event_type:
            raise _diagnose(raw, position)
        cls: type[Event] = UnknownEvent
        attributes = raw.get(_attributes_key(event_type), _EMPTY)
    else:
        cls, key = spec
        attributes = raw.get(key)
        if attributes is None:
            if event_type not in _OPTIONAL_ATTRIBUTES:
                raise _bad(raw, position, f"{event_type} has no {key}")
            attributes = _EMPTY
    if type(attributes) is not dict and not isinstance(attributes, Mapping):
        raise _bad(raw, position, f"{event_type} attributes are not a mapping: {attributes!r}")
    event: Event = _new(cls)
    if cls is UnknownEvent:
        _set_unknown_type(event, event_type)
    _set_id(event, event_id)
    _set_timestamp(event, stamp)
    _set_attributes(event, attributes)
    _set_raw(event, raw)
    return event


def from_api_list(events: Iterable[Mapping[str, Any] | Event]) -> list[Event]:
    """Build the typed events of a list of raw events (typed events are kept as they are).

    The same as ``[from_api(raw, position) for position, raw in enumerate(events)]``, at about
    half the cost: the common case (a known event type, an int id, a float or datetime
    timestamp, an attribute dict) is checked and built inline; anything else goes through
    :func:`from_api`, which builds it or says what is wrong.

    Raises:
        InvalidHistoryError: ``events`` is not a list (or other iterable) of events; or as
            :func:`from_api`, with the position of the malformed event.
    """
    if isinstance(events, (str, bytes, Mapping)) or not isinstance(events, Iterable):
        raise InvalidHistoryError(
            f"events must be a list of events, not {type(events).__name__}",
            argument="events",
            value=events,
        )
    built: list[Event] = []
    append = built.append
    specs = _SPECS
    stamp_types = _STAMP_TYPES
    building = _Building
    new = _new
    for raw in events:  # one event appended per item: the position is len(built)
        try:
            cls, key = specs[raw["eventType"]]  # type: ignore[index]
            event_id = raw["eventId"]  # type: ignore[index]
            stamp = raw["eventTimestamp"]  # type: ignore[index]
            attributes = raw[key]  # type: ignore[index]
        except (KeyError, TypeError):
            append(raw if isinstance(raw, Event) else from_api(raw, len(built)))
            continue
        if (
            type(event_id) is not int
            or event_id < 1
            or type(attributes) is not dict
            or type(stamp) not in stamp_types
        ):
            append(from_api(raw, len(built)))  # type: ignore[arg-type]
            continue
        event: Any = new(building)
        event.id = event_id
        event._timestamp = stamp
        event.attributes = attributes
        event.raw = raw
        event.__class__ = cls
        append(event)
    return built


def _diagnose(raw: Any, position: int | None) -> InvalidHistoryError:
    """Say what is wrong with a raw event that failed the fast checks of :func:`from_api`."""
    if not isinstance(raw, Mapping):
        return _bad(raw, position, f"not a mapping: {raw!r}")
    for key in ("eventId", "eventType", "eventTimestamp"):
        if key not in raw:
            return _bad(raw, position, f"missing {key}")
    event_id = raw["eventId"]
    if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id < 1:
        return _bad(raw, position, f"eventId must be a positive integer, not {event_id!r}")
    event_type = raw["eventType"]
    if not isinstance(event_type, str) or not event_type:
        return _bad(raw, position, f"eventType must be a non-empty string, not {event_type!r}")
    return _bad(
        raw,
        position,
        f"eventTimestamp must be a datetime or a number, not {raw['eventTimestamp']!r}",
    )
