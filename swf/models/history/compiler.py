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

from swf import states
from swf.collector import collector_paused
from swf.exceptions import InvalidHistoryError
from swf.models.event import EVENT_CLASSES, Event, UnknownEvent
from swf.models.history.compiled import CompiledHistory
from swf.models.history.records import (
    ActivityRecord,
    ChildWorkflowRecord,
    DecisionTaskRecord,
    ExternalCancelRecord,
    ExternalSignalRecord,
    HistoryProblem,
    LambdaFunctionRecord,
    MarkerRecord,
    Record,
    SignalRecord,
    TimerRecord,
    WorkflowRecord,
)
from swf.models.history.transitions import TRANSITIONS, sources

__all__ = ["TRANSITIONS", "compile_history"]


# TRANSITIONS turned around, so that a check is one set lookup: to state -> from states.
_SOURCES = {kind: sources(kind) for kind in TRANSITIONS}
_WORKFLOW = _SOURCES["workflow"]
_DECISION = _SOURCES["decision task"]
_ACTIVITY = _SOURCES["activity"]
_TIMER = _SOURCES["timer"]
_CHILD = _SOURCES["child workflow"]
_SIGNAL = _SOURCES["external signal"]
_CANCEL = _SOURCES["external cancel"]
_LAMBDA = _SOURCES["lambda function"]
_ACTIVITY_CANCEL_REQUESTED = _ACTIVITY["cancel_requested"]
_ACTIVITY_SCHEDULED = _ACTIVITY["scheduled"]
_ACTIVITY_STARTED = _ACTIVITY["started"]
_CHILD_START_INITIATED = _CHILD["start_initiated"]
_DECISION_STARTED = _DECISION["started"]
_LAMBDA_SCHEDULED = _LAMBDA["scheduled"]
_TIMER_STARTED = _TIMER["started"]
_TIMER_START_FAILED = _TIMER["start_failed"]
_WORKFLOW_CANCEL_REQUESTED = _WORKFLOW["cancel_requested"]
_WORKFLOW_SIGNALED = _WORKFLOW["signaled"]
_WORKFLOW_STARTED = _WORKFLOW["started"]
_OPEN = states.OPEN_TASK_STATES | states.OPEN_CHILD_STATES
_STARTED = EVENT_CLASSES["WorkflowExecutionStarted"]


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


def _out_of_sequence(event: Event, expected: int) -> _Reject:
    return _reject(event, f"event id {event.id} out of sequence (expected {expected})", "event ids")


_UNASKED = " without an ActivityTaskCancelRequested"


def _cannot(kind: str, key: Any, from_state: str, event: Event, why: str = "") -> _Reject:
    """A transition :data:`TRANSITIONS` does not allow (or only under a condition: ``why``)."""
    to_state = event.state
    entity = f"{kind} {key!r}" if key is not None else kind
    shown = repr(from_state) if from_state else "(not seen)"
    return _reject(
        event,
        f"{entity} cannot go from {shown} to {to_state!r}{why}",
        entity,
        from_state,
        to_state,
    )


def _unknown(event: Event, key: str, kind: str) -> _Reject:
    """An id attribute of ``event`` that refers to nothing."""
    value = event.attributes[key]
    return _reject(event, f"{key} {value!r} does not refer to any {kind}", kind)


def _not_started(record: Record, event: Event, kind: str, key: Any) -> _Reject:
    """A closing event whose ``startedEventId`` is not the record's start."""
    value = event.attributes.get("startedEventId")
    started = record._started.id  # type: ignore[union-attr]
    return _reject(
        event,
        f"startedEventId {value!r} is not the start of {kind} {key!r} (event {started})",
        f"{kind} {key!r}",
    )


def _not_a_decision(event: Event) -> _Reject:
    value = event.attributes["decisionTaskCompletedEventId"]
    return _reject(
        event,
        f"decisionTaskCompletedEventId {value!r} is not a DecisionTaskCompleted event",
        "decision task",
    )


def _advance(record: Record, event: Event, kind: str, key: Any) -> None:
    """Move a child workflow or Lambda task to ``event.state`` (already checked allowed):
    record its start, or its close once ``startedEventId`` names that start."""
    state = event.state
    if state == "started":
        record._started = event
    else:
        started = record._started
        if (
            started is not None
            and state != "start_failed"
            and event.attributes.get("startedEventId") != started.id
        ):
            raise _not_started(record, event, kind, key)
        record._closed = event
    record._state = state


class _Compiler:
    """One compile: the view being built and the id indexes used to correlate events.

    Each handler checks and applies one event; those that close the workflow return True.
    Checks are inlined (one set lookup against the turned-around :data:`TRANSITIONS`), and
    the slow paths only build the problem: this loop is what ``make bench`` measures.
    """

    __slots__ = (
        "activities",
        "activities_by_scheduled",
        "child_workflows",
        "children_by_initiated",
        "completed_decisions",
        "decision_tasks",
        "decisions_by_scheduled",
        "external_cancels",
        "external_signals",
        "lambda_functions",
        "lambdas_by_scheduled",
        "markers",
        "previous_started_event_id",
        "problems",
        "signals",
        "strict",
        "timers",
        "timers_by_started",
        "workflow",
    )

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        # What the view will hold (handed over to CompiledHistory at the end).
        self.activities: dict[str, ActivityRecord] = {}
        self.timers: dict[str, TimerRecord] = {}
        self.child_workflows: dict[str, ChildWorkflowRecord] = {}
        self.external_signals: dict[int, ExternalSignalRecord] = {}
        self.external_cancels: dict[int, ExternalCancelRecord] = {}
        self.signals: list[SignalRecord] = []
        self.markers: dict[str, list[MarkerRecord]] = {}
        self.lambda_functions: dict[str, LambdaFunctionRecord] = {}
        self.decision_tasks: list[DecisionTaskRecord] = []
        self.workflow = WorkflowRecord()
        self.previous_started_event_id: int | None = None
        self.problems: list[HistoryProblem] = []
        # Id indexes, to correlate events.
        self.activities_by_scheduled: dict[int, ActivityRecord] = {}
        self.decisions_by_scheduled: dict[int, DecisionTaskRecord] = {}
        self.completed_decisions: set[int] = set()
        self.timers_by_started: dict[int, TimerRecord] = {}
        self.children_by_initiated: dict[int, ChildWorkflowRecord] = {}
        self.lambdas_by_scheduled: dict[int, LambdaFunctionRecord] = {}

    def run(self, events: Sequence[Event]) -> CompiledHistory:
        if not events:
            return CompiledHistory()
        dispatch = _DISPATCH
        start = 0
        first = events[0]
        if first.id == 1 and type(first) is not _STARTED:
            problem = _reject(first, "a history starts with WorkflowExecutionStarted", "workflow")
            self._problem(problem.problem, 0)
            start = 1
        closed = -1
        shift = 1  # each id must follow the previous event's: id == position + shift
        for position, event in enumerate(events[start:] if start else events, start):
            try:
                if event.id != position + shift:
                    expected = position + shift
                    shift = event.id - position
                    raise _out_of_sequence(event, expected)
                if dispatch[type(event)](self, event):
                    closed = position
                    break
            except _Reject as exc:
                self._problem(exc.problem, position)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                if isinstance(exc, KeyError):
                    text = f"missing attribute {exc.args[0]!r}"
                else:
                    text = f"malformed attributes ({exc})"
                self._problem(_reject(event, text).problem, position, exc)
        if closed >= 0:
            self._after_close(events, closed, shift)
        return CompiledHistory(
            activities=self.activities,
            timers=self.timers,
            child_workflows=self.child_workflows,
            external_signals=self.external_signals,
            external_cancels=self.external_cancels,
            signals=self.signals,
            markers=self.markers,
            lambda_functions=self.lambda_functions,
            decision_tasks=self.decision_tasks,
            workflow=self.workflow,
            last_event_id=events[-1].id,
            previous_started_event_id=self.previous_started_event_id,
            problems=self.problems,
        )

    def _after_close(self, events: Sequence[Event], closed: int, shift: int) -> None:
        """Every event after the one that closed the workflow is a problem."""
        state = self.workflow._state
        for position in range(closed + 1, len(events)):
            event = events[position]
            if event.id != position + shift:
                expected = position + shift
                shift = event.id - position
                self._problem(_out_of_sequence(event, expected).problem, position)
                continue
            problem = _reject(
                event,
                f"event after the workflow closed: workflow cannot go from "
                f"{state!r} to {event.type}:{event.state!r}",
                "workflow",
                state,
                event.state,
            )
            self._problem(problem.problem, position)

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
        self.problems.append(problem)

    def _decision(self, event: Event) -> None:
        """The event's ``decisionTaskCompletedEventId`` must be a completed decision task.

        (Inlined in the handlers of the events a history has most of.)
        """
        if event.attributes["decisionTaskCompletedEventId"] not in self.completed_decisions:
            raise _not_a_decision(event)

    # Workflow execution

    def workflow_started(self, event: Event) -> None:
        workflow = self.workflow
        if workflow._state not in _WORKFLOW_STARTED:
            raise _cannot("workflow", None, workflow._state, event)
        workflow._state = "started"
        workflow._opened = event

    def workflow_closed_by_decision(self, event: Event) -> bool:
        self._decision(event)
        return self.workflow_closed(event)

    def workflow_closed(self, event: Event) -> bool:
        workflow = self.workflow
        if workflow._state not in _WORKFLOW[event.state]:
            raise _cannot("workflow", None, workflow._state, event)
        workflow._state = event.state
        workflow._closed = event
        return True

    def workflow_close_failed(self, event: Event) -> None:
        self._decision(event)
        workflow = self.workflow
        if workflow._state not in _WORKFLOW[event.state]:
            raise _cannot("workflow", None, workflow._state, event)
        workflow._failed_decisions.append(event)

    def workflow_cancel_requested(self, event: Event) -> None:
        workflow = self.workflow
        if workflow._state not in _WORKFLOW_CANCEL_REQUESTED:
            raise _cannot("workflow", None, workflow._state, event)
        workflow._cancel_requested = True
        workflow._cancel_requested_event = event

    def workflow_signaled(self, event: Event) -> None:
        name = event.attributes["signalName"]
        state = self.workflow._state
        if state not in _WORKFLOW_SIGNALED:
            raise _cannot("workflow", None, state, event)
        self.signals.append(SignalRecord(name, event))

    # Decision tasks

    def decision_scheduled(self, event: Event) -> None:
        # Several may be scheduled at once on moto (one per signal or completion): harmless.
        record = DecisionTaskRecord("scheduled", event)
        self.decision_tasks.append(record)
        self.decisions_by_scheduled[event.id] = record

    def decision_started(self, event: Event) -> None:
        record = self.decisions_by_scheduled.get(event.attributes["scheduledEventId"])
        if record is None:
            raise _unknown(event, "scheduledEventId", "decision task")
        if record._state not in _DECISION_STARTED:
            raise _cannot("decision task", record.scheduled_event_id, record._state, event)
        record._state = "started"
        record._started = event

    def decision_closed(self, event: Event) -> None:
        record = self.decisions_by_scheduled.get(event.attributes["scheduledEventId"])
        if record is None:
            raise _unknown(event, "scheduledEventId", "decision task")
        state = event.state
        if record._state not in _DECISION[state]:
            raise _cannot("decision task", record.scheduled_event_id, record._state, event)
        started = record._started
        if started is not None and event.attributes.get("startedEventId") != started.id:
            raise _not_started(record, event, "decision task", record.scheduled_event_id)
        record._state = state
        record._closed = event
        if state == "completed":
            self.completed_decisions.add(event.id)
            self.previous_started_event_id = started.id  # type: ignore[union-attr]

    # Activity tasks

    def activity_scheduled(self, event: Event) -> None:
        attributes = event.attributes
        if attributes["decisionTaskCompletedEventId"] not in self.completed_decisions:
            raise _not_a_decision(event)
        activity_id = attributes["activityId"]
        activities = self.activities
        previous = activities.get(activity_id)
        state = "" if previous is None else previous._state
        if state not in _ACTIVITY_SCHEDULED:
            raise _cannot("activity", activity_id, state, event)
        record = ActivityRecord(activity_id, "scheduled", event, None, previous)
        activities[activity_id] = record
        self.activities_by_scheduled[event.id] = record

    def activity_schedule_failed(self, event: Event) -> None:
        self._schedule_failed(event, "activity", "activityId", self.activities, ActivityRecord)

    def activity_started(self, event: Event) -> None:
        record = self.activities_by_scheduled.get(event.attributes["scheduledEventId"])
        if record is None:
            raise _unknown(event, "scheduledEventId", "activity")
        if record._state not in _ACTIVITY_STARTED:
            raise _cannot("activity", record._activity_id, record._state, event)
        record._state = "started"
        record._started = event

    def activity_closed(self, event: Event) -> None:
        attributes = event.attributes
        record = self.activities_by_scheduled.get(attributes["scheduledEventId"])
        if record is None:
            raise _unknown(event, "scheduledEventId", "activity")
        state = event.state
        if record._state not in _ACTIVITY[state]:
            raise _cannot("activity", record._activity_id, record._state, event)
        started = record._started
        if started is None:
            if state == "canceled" and not record._cancel_requested:
                # Only a cancel request cancels a task no worker has picked up.
                raise _cannot("activity", record._activity_id, record._state, event, _UNASKED)
        elif attributes.get("startedEventId") != started.id:
            raise _not_started(record, event, "activity", record._activity_id)
        record._state = state
        record._closed = event

    def activity_cancel_requested(self, event: Event) -> None:
        self._decision(event)
        record = self.activities.get(event.attributes["activityId"])
        if record is None:
            raise _unknown(event, "activityId", "activity")
        if record._state not in _ACTIVITY_CANCEL_REQUESTED:
            raise _cannot("activity", record._activity_id, record._state, event)
        record._cancel_requested = True
        record._cancel_requested_event = event

    def decision_failed(self, event: Event) -> None:
        # RequestCancelActivityTaskFailed: no state changes.
        self._decision(event)

    # Markers

    def marker(self, event: Event) -> None:
        attributes = event.attributes
        if attributes["decisionTaskCompletedEventId"] not in self.completed_decisions:
            raise _not_a_decision(event)
        name = attributes["markerName"]
        records = self.markers.get(name)
        if records is None:
            self.markers[name] = [MarkerRecord(name, event)]
        else:
            records.append(MarkerRecord(name, event))

    # Timers

    def timer_started(self, event: Event) -> None:
        attributes = event.attributes
        if attributes["decisionTaskCompletedEventId"] not in self.completed_decisions:
            raise _not_a_decision(event)
        timer_id = attributes["timerId"]
        timers = self.timers
        previous = timers.get(timer_id)
        state = "" if previous is None else previous._state
        if state not in _TIMER_STARTED:
            raise _cannot("timer", timer_id, state, event)
        record = TimerRecord(timer_id, "started", event)
        timers[timer_id] = record
        self.timers_by_started[event.id] = record

    def timer_start_failed(self, event: Event) -> None:
        self._decision(event)
        timer_id = event.attributes["timerId"]
        timers = self.timers
        previous = timers.get(timer_id)
        state = "" if previous is None else previous._state
        if state == "started":
            return  # TIMER_ID_ALREADY_IN_USE: the running timer is unchanged
        if state not in _TIMER_START_FAILED:
            raise _cannot("timer", timer_id, state, event)
        timers[timer_id] = TimerRecord(timer_id, "start_failed", None, event)

    def timer_canceled(self, event: Event) -> None:
        self._decision(event)
        self.timer_fired(event)

    def timer_fired(self, event: Event) -> None:
        attributes = event.attributes
        record = self.timers_by_started.get(attributes["startedEventId"])
        if record is None:
            raise _unknown(event, "startedEventId", "timer")
        timer_id = attributes["timerId"]
        if timer_id != record._timer_id:
            raise _reject(
                event,
                f"timerId {timer_id!r} is not the timer started by event "
                f"{record.started_event_id} ({record._timer_id!r})",
                f"timer {timer_id!r}",
            )
        state = event.state
        if record._state not in _TIMER[state]:
            raise _cannot("timer", timer_id, record._state, event)
        record._state = state
        record._closed = event

    def timer_cancel_failed(self, event: Event) -> None:
        self._decision(event)
        record = self.timers.get(event.attributes["timerId"])
        if record is not None:
            record._cancel_failed_event = event

    # Child workflows

    def child_initiated(self, event: Event) -> None:
        self._decision(event)
        workflow_id = event.attributes["workflowId"]
        children = self.child_workflows
        previous = children.get(workflow_id)
        state = "" if previous is None else previous._state
        if state in _OPEN:
            # SWF fails this start (WORKFLOW_ALREADY_RUNNING); the running child stays.
            record = ChildWorkflowRecord(workflow_id, "start_initiated", event)
        else:
            if state not in _CHILD_START_INITIATED:
                raise _cannot("child workflow", workflow_id, state, event)
            record = ChildWorkflowRecord(workflow_id, "start_initiated", event, previous)
            children[workflow_id] = record
        self.children_by_initiated[event.id] = record

    def child_start_failed(self, event: Event) -> None:
        self._decision(event)
        if event.attributes.get("initiatedEventId", 0):
            self.child_event(event)  # WORKFLOW_ALREADY_RUNNING: the start was initiated
            return
        # SWF refused the decision itself (initiatedEventId 0): nothing was initiated.
        workflow_id = event.attributes["workflowId"]
        previous = self.child_workflows.get(workflow_id)
        if previous is not None and previous._state in _OPEN:
            return  # the child running under that id is unchanged
        record = ChildWorkflowRecord(workflow_id, "start_failed", None, previous)
        record._closed = event
        self.child_workflows[workflow_id] = record

    def child_event(self, event: Event) -> None:
        record = self.children_by_initiated.get(event.attributes["initiatedEventId"])
        if record is None:
            raise _unknown(event, "initiatedEventId", "child workflow")
        if record._state not in _CHILD[event.state]:
            raise _cannot("child workflow", record._workflow_id, record._state, event)
        _advance(record, event, "child workflow", record._workflow_id)

    # Signals and cancel requests to other executions

    def external_initiated(self, event: Event) -> None:
        self._decision(event)
        if event.state == "signal_initiated":
            self.external_signals[event.id] = ExternalSignalRecord(event.state, event)
        else:
            self.external_cancels[event.id] = ExternalCancelRecord(event.state, event)

    def external_failed(self, event: Event) -> None:
        self._decision(event)
        if event.attributes.get("initiatedEventId", 0):
            self.external_closed(event)
        elif event.state == "signal_failed":  # SWF refused the decision: nothing initiated
            self.external_signals[event.id] = ExternalSignalRecord(event.state, None, event)
        else:
            self.external_cancels[event.id] = ExternalCancelRecord(event.state, None, event)

    def external_closed(self, event: Event) -> None:
        state = event.state
        index: Mapping[int, Record]
        if state in ("signaled", "signal_failed"):
            index, kind, sources = self.external_signals, "external signal", _SIGNAL
        else:
            index, kind, sources = self.external_cancels, "external cancel", _CANCEL
        record = index.get(event.attributes["initiatedEventId"])
        if record is None:
            raise _unknown(event, "initiatedEventId", kind)
        if record._state not in sources[state]:
            raise _cannot(kind, record._opened.id, record._state, event)  # type: ignore[union-attr]
        record._state = state
        record._closed = event

    # Lambda functions

    def lambda_scheduled(self, event: Event) -> None:
        self._decision(event)
        lambda_id = event.attributes["id"]
        lambdas = self.lambda_functions
        previous = lambdas.get(lambda_id)
        state = "" if previous is None else previous._state
        if state not in _LAMBDA_SCHEDULED:
            raise _cannot("lambda function", lambda_id, state, event)
        record = LambdaFunctionRecord(lambda_id, "scheduled", event, None, previous)
        lambdas[lambda_id] = record
        self.lambdas_by_scheduled[event.id] = record

    def lambda_start_failed(self, event: Event) -> None:
        if event.attributes.get("scheduledEventId"):
            self.lambda_event(event)
            return
        # SWF's API makes scheduledEventId optional here: without it (or 0), the failure
        # is the start of the one Lambda task waiting to start, when there is exactly one;
        # otherwise the event is kept in the history with no entity to follow.
        waiting = [r for r in self.lambdas_by_scheduled.values() if r._state == "scheduled"]
        if len(waiting) == 1:
            _advance(waiting[0], event, "lambda function", waiting[0]._lambda_id)

    def lambda_schedule_failed(self, event: Event) -> None:
        self._schedule_failed(
            event, "lambda function", "id", self.lambda_functions, LambdaFunctionRecord
        )

    def lambda_event(self, event: Event) -> None:
        record = self.lambdas_by_scheduled.get(event.attributes["scheduledEventId"])
        if record is None:
            raise _unknown(event, "scheduledEventId", "lambda function")
        if record._state not in _LAMBDA[event.state]:
            raise _cannot("lambda function", record._lambda_id, record._state, event)
        _advance(record, event, "lambda function", record._lambda_id)

    def _schedule_failed(
        self,
        event: Event,
        kind: str,
        id_key: str,
        records: dict[str, Any],
        record_class: type[ActivityRecord | LambdaFunctionRecord],
    ) -> None:
        """A failed ScheduleActivityTask / ScheduleLambdaFunction decision."""
        self._decision(event)
        key = event.attributes[id_key]
        previous = records.get(key)
        state = "" if previous is None else previous._state
        if state in _OPEN:
            return  # *ID_ALREADY_IN_USE: the open task is unchanged
        if state not in _SOURCES[kind]["schedule_failed"]:
            raise _cannot(kind, key, state, event)
        records[key] = record_class(key, "schedule_failed", None, event, previous)

    def unknown(self, event: Event) -> None:
        """An event type of a newer SWF: kept in the history, no entity to follow."""


_Handler = Callable[[_Compiler, Event], "bool | None"]
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
    "DecisionTaskCompleted": _C.decision_closed,
    "DecisionTaskTimedOut": _C.decision_closed,
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
    "StartLambdaFunctionFailed": _C.lambda_start_failed,
    "LambdaFunctionCompleted": _C.lambda_event,
    "LambdaFunctionFailed": _C.lambda_event,
    "LambdaFunctionTimedOut": _C.lambda_event,
}
assert set(_HANDLERS) == set(EVENT_CLASSES), "every event type has a handler"
# Keyed by event class: one identity-hashed lookup per event.
_DISPATCH: dict[type[Event], _Handler] = {
    EVENT_CLASSES[event_type]: handler for event_type, handler in _HANDLERS.items()
}
_DISPATCH[UnknownEvent] = _C.unknown


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
    with collector_paused():  # records hold no cycles: keep the cost per event flat
        return _Compiler(strict).run(events)
