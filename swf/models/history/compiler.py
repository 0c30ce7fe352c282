"""The history compiler: one pass over the events, dispatching by event type.

Every entity kind follows the state machine declared in :data:`TRANSITIONS`; events are
correlated by the ids SWF puts in them (``scheduledEventId``, ``startedEventId``,
``initiatedEventId``, ``decisionTaskCompletedEventId``, ``timerId``, ``activityId``,
``workflowId``, the Lambda ``id``), never by their position. A transition the table does not
allow, an unknown referenced id, an event id out of sequence or an event after the execution
closed is a :class:`~swf.models.history.records.HistoryProblem`: raised as
:class:`~swf.exceptions.InvalidHistoryError` by :func:`compile_history`, or collected (and the
event skipped) with ``strict=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from swf.exceptions import InvalidHistoryError
from swf.models.event import EVENT_CLASSES, Event
from swf.models.history.records import (
    ActivityRecord,
    ChildWorkflowRecord,
    CompiledHistory,
    DecisionTaskRecord,
    ExternalCancelRecord,
    ExternalSignalRecord,
    HistoryProblem,
    LambdaFunctionRecord,
    MarkerRecord,
    SignalRecord,
    TimerRecord,
    _Record,
)

__all__ = ["TRANSITIONS", "compile_history"]


def _table(**edges: str) -> dict[str, frozenset[str]]:
    return {("" if state == "new" else state): frozenset(to.split()) for state, to in edges.items()}


#: Allowed transitions per entity kind: ``from state -> {to states}``. ``""`` is "not seen
#: yet"; a closed state leading back to the opening state means the id may be reused.
#: Pseudo-states that leave the state unchanged: ``cancel_requested`` (activities and the
#: workflow), ``signaled`` and the ``*_failed`` close decisions (the workflow).
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "workflow": _table(
        new="started",
        started="completed failed canceled terminated timed_out continued_as_new "
        "cancel_requested signaled complete_failed fail_failed cancel_failed "
        "continue_as_new_failed",
    ),
    "decision task": _table(
        new="scheduled",
        scheduled="started timed_out",
        started="completed timed_out",
    ),
    "activity": _table(
        new="scheduled schedule_failed",
        scheduled="started timed_out canceled cancel_requested",
        started="completed failed timed_out canceled cancel_requested",
        completed="scheduled schedule_failed",
        failed="scheduled schedule_failed",
        timed_out="scheduled schedule_failed",
        canceled="scheduled schedule_failed",
        schedule_failed="scheduled schedule_failed",
    ),
    "timer": _table(
        new="started start_failed",
        started="fired canceled",
        fired="started start_failed",
        canceled="started start_failed",
        start_failed="started start_failed",
    ),
    "child workflow": _table(
        new="start_initiated",
        start_initiated="started start_failed",
        started="completed failed timed_out canceled terminated",
        completed="start_initiated",
        failed="start_initiated",
        timed_out="start_initiated",
        canceled="start_initiated",
        terminated="start_initiated",
        start_failed="start_initiated",
    ),
    "external signal": _table(
        new="signal_initiated",
        signal_initiated="signaled signal_failed",
    ),
    "external cancel": _table(
        new="request_cancel_initiated",
        request_cancel_initiated="cancel_requested request_cancel_failed",
    ),
    "lambda function": _table(
        new="scheduled schedule_failed",
        scheduled="started start_failed",
        started="completed failed timed_out",
        completed="scheduled schedule_failed",
        failed="scheduled schedule_failed",
        timed_out="scheduled schedule_failed",
        start_failed="scheduled schedule_failed",
        schedule_failed="scheduled schedule_failed",
    ),
}

_WORKFLOW_CLOSED = frozenset(
    {"completed", "failed", "canceled", "terminated", "timed_out", "continued_as_new"}
)
_OPEN = frozenset({"scheduled", "started", "start_initiated"})


class _Reject(Exception):
    """Internal: carries one problem out of a handler."""

    def __init__(self, problem: HistoryProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _reject(
    event: Event,
    text: str,
    entity: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
) -> _Reject:
    message = f"event {event.id} ({event.event_type}): {text}"
    return _Reject(
        HistoryProblem(
            message,
            event_id=event.id,
            event_type=event.event_type,
            entity=entity,
            from_state=from_state,
            to_state=to_state,
        )
    )


def _move(kind: str, key: Any, from_state: str, event: Event, to_state: str = "") -> None:
    """Check one transition against :data:`TRANSITIONS`."""
    to_state = to_state or event.state
    if to_state not in TRANSITIONS[kind].get(from_state, ()):
        entity = f"{kind} {key!r}" if key is not None else kind
        shown = repr(from_state) if from_state else "(not seen)"
        raise _reject(
            event, f"{entity} cannot go from {shown} to {to_state!r}", entity, from_state, to_state
        )


def _ref(index: Mapping[Any, Any], event: Event, key: str, kind: str) -> Any:
    """The record an id attribute of ``event`` refers to."""
    value = event.attributes[key]
    record = index.get(value)
    if record is None:
        raise _reject(event, f"{key} {value!r} does not refer to any {kind}", kind)
    return record


def _check_started(record: _Record, event: Event, kind: str, key: Any) -> None:
    """A closing event's ``startedEventId`` must be the record's start."""
    started = record._started
    if started is not None and event.attributes.get("startedEventId") != started.id:
        value = event.attributes.get("startedEventId")
        raise _reject(
            event,
            f"startedEventId {value!r} is not the start of {kind} {key!r} (event {started.id})",
            f"{kind} {key!r}",
        )


class _Compiler:
    """One compile: the view being built and the id indexes used to correlate events."""

    __slots__ = (
        "activities_by_scheduled",
        "children_by_initiated",
        "completed_decisions",
        "decisions_by_scheduled",
        "lambdas_by_scheduled",
        "out",
        "strict",
        "timers_by_started",
    )

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.out = CompiledHistory()
        self.activities_by_scheduled: dict[int, ActivityRecord] = {}
        self.decisions_by_scheduled: dict[int, DecisionTaskRecord] = {}
        self.completed_decisions: set[int] = set()
        self.timers_by_started: dict[int, TimerRecord] = {}
        self.children_by_initiated: dict[int, ChildWorkflowRecord] = {}
        self.lambdas_by_scheduled: dict[int, LambdaFunctionRecord] = {}

    def run(self, events: Sequence[Event]) -> CompiledHistory:
        out = self.out
        workflow = out.workflow
        dispatch = _DISPATCH
        expected = 1
        for position, event in enumerate(events):
            try:
                if event.id != expected:
                    raise _reject(
                        event,
                        f"event id {event.id} out of sequence (expected {expected})",
                        "event ids",
                    )
                if workflow.state in _WORKFLOW_CLOSED:
                    raise _reject(
                        event,
                        f"event after the workflow closed: workflow cannot go from "
                        f"{workflow.state!r} to {event.type}:{event.state!r}",
                        "workflow",
                        workflow.state,
                        event.state,
                    )
                if position == 0 and event.event_type != "WorkflowExecutionStarted":
                    raise _reject(
                        event, "a history starts with WorkflowExecutionStarted", "workflow"
                    )
                handler = dispatch.get(type(event))
                if handler is not None:
                    handler(self, event)
            except _Reject as exc:
                self._problem(exc.problem, position)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                if isinstance(exc, KeyError):
                    text = f"missing attribute {exc.args[0]!r}"
                else:
                    text = f"malformed attributes ({exc})"
                self._problem(_reject(event, text).problem, position, exc)
            expected = event.id + 1
        out.last_event_id = events[-1].id if events else 0
        return out

    def _problem(
        self, problem: HistoryProblem, position: int, cause: BaseException | None = None
    ) -> None:
        problem.position = position
        if self.strict:
            raise InvalidHistoryError(
                problem.message,
                event_id=problem.event_id,
                position=position,
                event_type=problem.event_type,
                entity=problem.entity,
                from_state=problem.from_state,
                to_state=problem.to_state,
            ) from cause
        self.out.problems.append(problem)

    def _decision(self, event: Event) -> None:
        """The event's ``decisionTaskCompletedEventId`` must be a completed decision task."""
        value = event.attributes["decisionTaskCompletedEventId"]
        if value not in self.completed_decisions:
            raise _reject(
                event,
                f"decisionTaskCompletedEventId {value!r} is not a DecisionTaskCompleted event",
                "decision task",
            )

    # Workflow execution

    def workflow_started(self, event: Event) -> None:
        workflow = self.out.workflow
        _move("workflow", None, workflow.state, event)
        workflow.state = "started"
        workflow._opened = event

    def workflow_closed_by_decision(self, event: Event) -> None:
        self._decision(event)
        self.workflow_closed(event)

    def workflow_closed(self, event: Event) -> None:
        workflow = self.out.workflow
        _move("workflow", None, workflow.state, event)
        workflow.state = event.state
        workflow._closed = event

    def workflow_close_failed(self, event: Event) -> None:
        self._decision(event)
        workflow = self.out.workflow
        _move("workflow", None, workflow.state, event)
        workflow.failed_decisions.append(event)

    def workflow_cancel_requested(self, event: Event) -> None:
        workflow = self.out.workflow
        _move("workflow", None, workflow.state, event)
        workflow.cancel_requested = True
        workflow.cancel_requested_event = event

    def workflow_signaled(self, event: Event) -> None:
        name = event.attributes["signalName"]
        _move("workflow", None, self.out.workflow.state, event)
        self.out.signals.append(SignalRecord(name, event))

    # Decision tasks

    def decision_scheduled(self, event: Event) -> None:
        # Several may be scheduled at once on moto (one per signal or completion): harmless.
        record = DecisionTaskRecord("scheduled", event)
        self.out.decision_tasks.append(record)
        self.decisions_by_scheduled[event.id] = record

    def decision_started(self, event: Event) -> None:
        record = _ref(self.decisions_by_scheduled, event, "scheduledEventId", "decision task")
        _move("decision task", record.scheduled_event_id, record.state, event)
        record.state = "started"
        record._started = event

    def decision_completed(self, event: Event) -> None:
        record = _ref(self.decisions_by_scheduled, event, "scheduledEventId", "decision task")
        _move("decision task", record.scheduled_event_id, record.state, event)
        _check_started(record, event, "decision task", record.scheduled_event_id)
        record.state = "completed"
        record._closed = event
        self.completed_decisions.add(event.id)
        self.out.previous_started_event_id = record._started.id  # type: ignore[union-attr, unused-ignore]

    def decision_timed_out(self, event: Event) -> None:
        record = _ref(self.decisions_by_scheduled, event, "scheduledEventId", "decision task")
        _move("decision task", record.scheduled_event_id, record.state, event)
        _check_started(record, event, "decision task", record.scheduled_event_id)
        record.state = "timed_out"
        record._closed = event

    # Activity tasks

    def activity_scheduled(self, event: Event) -> None:
        self._decision(event)
        activity_id = event.attributes["activityId"]
        activities = self.out.activities
        previous = activities.get(activity_id)
        _move("activity", activity_id, previous.state if previous else "", event)
        record = ActivityRecord(activity_id, "scheduled", event, None, previous)
        activities[activity_id] = record
        self.activities_by_scheduled[event.id] = record

    def activity_schedule_failed(self, event: Event) -> None:
        self._decision(event)
        activity_id = event.attributes["activityId"]
        activities = self.out.activities
        previous = activities.get(activity_id)
        if previous is not None and previous.state in _OPEN:
            return  # ACTIVITY_ID_ALREADY_IN_USE: the open activity is unchanged
        _move("activity", activity_id, previous.state if previous else "", event)
        activities[activity_id] = ActivityRecord(
            activity_id, "schedule_failed", None, event, previous
        )

    def activity_started(self, event: Event) -> None:
        record = _ref(self.activities_by_scheduled, event, "scheduledEventId", "activity")
        _move("activity", record.activity_id, record.state, event)
        record.state = "started"
        record._started = event

    def activity_closed(self, event: Event) -> None:
        record = _ref(self.activities_by_scheduled, event, "scheduledEventId", "activity")
        _move("activity", record.activity_id, record.state, event)
        _check_started(record, event, "activity", record.activity_id)
        record.state = event.state
        record._closed = event

    def activity_cancel_requested(self, event: Event) -> None:
        self._decision(event)
        record = _ref(self.out.activities, event, "activityId", "activity")
        _move("activity", record.activity_id, record.state, event)
        record.cancel_requested = True
        record.cancel_requested_event = event

    def decision_failed(self, event: Event) -> None:
        # RequestCancelActivityTaskFailed, CancelTimerFailed: no state changes.
        self._decision(event)

    # Markers

    def marker(self, event: Event) -> None:
        self._decision(event)
        name = event.attributes["markerName"]
        records = self.out.markers.get(name)
        if records is None:
            self.out.markers[name] = [MarkerRecord(name, event)]
        else:
            records.append(MarkerRecord(name, event))

    # Timers

    def timer_started(self, event: Event) -> None:
        self._decision(event)
        timer_id = event.attributes["timerId"]
        timers = self.out.timers
        previous = timers.get(timer_id)
        _move("timer", timer_id, previous.state if previous else "", event)
        record = TimerRecord(timer_id, "started", event)
        timers[timer_id] = record
        self.timers_by_started[event.id] = record

    def timer_start_failed(self, event: Event) -> None:
        self._decision(event)
        timer_id = event.attributes["timerId"]
        timers = self.out.timers
        previous = timers.get(timer_id)
        if previous is not None and previous.state == "started":
            return  # TIMER_ID_ALREADY_IN_USE: the running timer is unchanged
        _move("timer", timer_id, previous.state if previous else "", event)
        timers[timer_id] = TimerRecord(timer_id, "start_failed", None, event)

    def timer_fired(self, event: Event) -> None:
        record = _ref(self.timers_by_started, event, "startedEventId", "timer")
        self._timer_close(record, event)

    def timer_canceled(self, event: Event) -> None:
        self._decision(event)
        record = _ref(self.timers_by_started, event, "startedEventId", "timer")
        self._timer_close(record, event)

    def _timer_close(self, record: TimerRecord, event: Event) -> None:
        timer_id = event.attributes["timerId"]
        if timer_id != record.timer_id:
            raise _reject(
                event,
                f"timerId {timer_id!r} is not the timer started by event "
                f"{record.started_event_id} ({record.timer_id!r})",
                f"timer {timer_id!r}",
            )
        _move("timer", timer_id, record.state, event)
        record.state = event.state
        record._closed = event

    def timer_cancel_failed(self, event: Event) -> None:
        self._decision(event)
        record = self.out.timers.get(event.attributes["timerId"])
        if record is not None:
            record.cancel_failed_event = event

    # Child workflows

    def child_initiated(self, event: Event) -> None:
        self._decision(event)
        workflow_id = event.attributes["workflowId"]
        children = self.out.child_workflows
        previous = children.get(workflow_id)
        if previous is not None and previous.state in _OPEN:
            # SWF fails this start (WORKFLOW_ALREADY_RUNNING); the running child stays.
            record = ChildWorkflowRecord(workflow_id, "start_initiated", event)
        else:
            _move("child workflow", workflow_id, previous.state if previous else "", event)
            record = ChildWorkflowRecord(workflow_id, "start_initiated", event, previous)
            children[workflow_id] = record
        self.children_by_initiated[event.id] = record

    def child_start_failed(self, event: Event) -> None:
        self._decision(event)
        self.child_event(event)

    def child_event(self, event: Event) -> None:
        record = _ref(self.children_by_initiated, event, "initiatedEventId", "child workflow")
        _move("child workflow", record.workflow_id, record.state, event)
        if event.state == "started":
            record._started = event
        else:
            if event.state != "start_failed":
                _check_started(record, event, "child workflow", record.workflow_id)
            record._closed = event
        record.state = event.state

    # Signals and cancel requests to other executions

    def external_initiated(self, event: Event) -> None:
        self._decision(event)
        if event.state == "signal_initiated":
            self.out.external_signals[event.id] = ExternalSignalRecord(event.state, event)
        else:
            self.out.external_cancels[event.id] = ExternalCancelRecord(event.state, event)

    def external_failed(self, event: Event) -> None:
        self._decision(event)
        self.external_closed(event)

    def external_closed(self, event: Event) -> None:
        if event.state in ("signaled", "signal_failed"):
            index: Mapping[int, _Record] = self.out.external_signals
            kind = "external signal"
        else:
            index = self.out.external_cancels
            kind = "external cancel"
        record = _ref(index, event, "initiatedEventId", kind)
        _move(kind, record.initiated_event_id, record.state, event)
        record.state = event.state
        record._closed = event

    # Lambda functions

    def lambda_scheduled(self, event: Event) -> None:
        self._decision(event)
        lambda_id = event.attributes["id"]
        lambdas = self.out.lambda_functions
        previous = lambdas.get(lambda_id)
        _move("lambda function", lambda_id, previous.state if previous else "", event)
        record = LambdaFunctionRecord(lambda_id, "scheduled", event, None, previous)
        lambdas[lambda_id] = record
        self.lambdas_by_scheduled[event.id] = record

    def lambda_schedule_failed(self, event: Event) -> None:
        self._decision(event)
        lambda_id = event.attributes["id"]
        lambdas = self.out.lambda_functions
        previous = lambdas.get(lambda_id)
        if previous is not None and previous.state in _OPEN:
            return  # ID_ALREADY_IN_USE: the open task is unchanged
        _move("lambda function", lambda_id, previous.state if previous else "", event)
        lambdas[lambda_id] = LambdaFunctionRecord(
            lambda_id, "schedule_failed", None, event, previous
        )

    def lambda_event(self, event: Event) -> None:
        record = _ref(self.lambdas_by_scheduled, event, "scheduledEventId", "lambda function")
        _move("lambda function", record.lambda_id, record.state, event)
        if event.state == "started":
            record._started = event
        else:
            if event.state != "start_failed":
                _check_started(record, event, "lambda function", record.lambda_id)
            record._closed = event
        record.state = event.state


_Handler = Callable[[_Compiler, Event], None]
_C = _Compiler
_HANDLERS: dict[str, _Handler] = {
    "WorkflowExecutionStarted": _C.workflow_started,
    "WorkflowExecutionCancelRequested": _C.workflow_cancel_requested,
    "WorkflowExecutionCompleted": _C.workflow_closed_by_decision,
    "CompleteWorkflowExecutionFailed": _C.workflow_close_failed,
    "WorkflowExecutionFailed": _C.workflow_closed_by_decision,
    "FailWorkflowExecutionFailed": _C.workflow_close_failed,
    "WorkflowExecutionTimedOut": _C.workflow_closed,
    "WorkflowExecutionCanceled": _C.workflow_closed_by_decision,
    "CancelWorkflowExecutionFailed": _C.workflow_close_failed,
    "WorkflowExecutionContinuedAsNew": _C.workflow_closed_by_decision,
    "ContinueAsNewWorkflowExecutionFailed": _C.workflow_close_failed,
    "WorkflowExecutionTerminated": _C.workflow_closed,
    "WorkflowExecutionSignaled": _C.workflow_signaled,
    "DecisionTaskScheduled": _C.decision_scheduled,
    "DecisionTaskStarted": _C.decision_started,
    "DecisionTaskCompleted": _C.decision_completed,
    "DecisionTaskTimedOut": _C.decision_timed_out,
    "ActivityTaskScheduled": _C.activity_scheduled,
    "ScheduleActivityTaskFailed": _C.activity_schedule_failed,
    "ActivityTaskStarted": _C.activity_started,
    "ActivityTaskCompleted": _C.activity_closed,
    "ActivityTaskFailed": _C.activity_closed,
    "ActivityTaskTimedOut": _C.activity_closed,
    "ActivityTaskCanceled": _C.activity_closed,
    "ActivityTaskCancelRequested": _C.activity_cancel_requested,
    "RequestCancelActivityTaskFailed": _C.decision_failed,
    "MarkerRecorded": _C.marker,
    "RecordMarkerFailed": _C.marker,
    "TimerStarted": _C.timer_started,
    "StartTimerFailed": _C.timer_start_failed,
    "TimerFired": _C.timer_fired,
    "TimerCanceled": _C.timer_canceled,
    "CancelTimerFailed": _C.timer_cancel_failed,
    "StartChildWorkflowExecutionInitiated": _C.child_initiated,
    "StartChildWorkflowExecutionFailed": _C.child_start_failed,
    "ChildWorkflowExecutionStarted": _C.child_event,
    "ChildWorkflowExecutionCompleted": _C.child_event,
    "ChildWorkflowExecutionFailed": _C.child_event,
    "ChildWorkflowExecutionTimedOut": _C.child_event,
    "ChildWorkflowExecutionCanceled": _C.child_event,
    "ChildWorkflowExecutionTerminated": _C.child_event,
    "SignalExternalWorkflowExecutionInitiated": _C.external_initiated,
    "SignalExternalWorkflowExecutionFailed": _C.external_failed,
    "ExternalWorkflowExecutionSignaled": _C.external_closed,
    "RequestCancelExternalWorkflowExecutionInitiated": _C.external_initiated,
    "RequestCancelExternalWorkflowExecutionFailed": _C.external_failed,
    "ExternalWorkflowExecutionCancelRequested": _C.external_closed,
    "LambdaFunctionScheduled": _C.lambda_scheduled,
    "ScheduleLambdaFunctionFailed": _C.lambda_schedule_failed,
    "LambdaFunctionStarted": _C.lambda_event,
    "StartLambdaFunctionFailed": _C.lambda_event,
    "LambdaFunctionCompleted": _C.lambda_event,
    "LambdaFunctionFailed": _C.lambda_event,
    "LambdaFunctionTimedOut": _C.lambda_event,
}
# Keyed by event class: one identity-hashed lookup per event.
_DISPATCH: dict[type[Event], _Handler] = {
    EVENT_CLASSES[event_type]: handler for event_type, handler in _HANDLERS.items()
}
assert set(_HANDLERS) == set(EVENT_CLASSES), "every event type has a handler"


def compile_history(events: Sequence[Event], *, strict: bool = True) -> CompiledHistory:
    """Compile ``events`` (in history order) into a :class:`CompiledHistory`, in one pass.

    Args:
        events: the typed events of one execution, from its first event.
        strict: raise at the first problem (True), or collect every problem in the view's
            ``problems`` and skip the offending events (False).

    Raises:
        InvalidHistoryError: (strict only) an event id out of sequence, an unknown referenced
            id, a transition the entity's state machine forbids, or an event after the
            execution closed; the message names the event id and type, the entity and the
            from/to states.
    """
    return _Compiler(strict).run(events)
