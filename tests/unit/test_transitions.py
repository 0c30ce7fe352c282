"""Every transition of every entity state machine, valid and invalid, through the public API.

The cases are generated from :data:`swf.models.history.compiler.TRANSITIONS`: for each entity
kind, each state ``S`` it can be in and each state ``T`` an event can move it to, a minimal raw
history brings one entity to ``S`` (along the shortest path the table allows), then one event
whose state is ``T`` is applied to it, with the ids SWF would put in it. The history must compile
to a record in the expected state when the table allows ``S -> T``, and must raise an
:class:`~swf.exceptions.InvalidHistoryError` naming the event, the entity and both states
otherwise.

Three exceptions to "the table decides" (the first two documented in ``compiler.py``):

* pseudo-states (``cancel_requested`` of activities and of the workflow, ``signaled`` and the
  ``*_failed`` close decisions of the workflow) are allowed transitions that leave the state
  unchanged;
* SWF records a failed decision when an id is already in use (``ScheduleActivityTaskFailed``,
  ``ScheduleLambdaFunctionFailed`` with ``*_ID_ALREADY_IN_USE``, ``StartTimerFailed`` with
  ``TIMER_ID_ALREADY_IN_USE``) and initiates then fails a child whose workflow id is running
  (``WORKFLOW_ALREADY_RUNNING``): on an open entity these compile and leave it unchanged;
* some events open a new entity by construction and can never refer to an existing one
  (``DecisionTaskScheduled``, ``SignalExternalWorkflowExecutionInitiated``,
  ``RequestCancelExternalWorkflowExecutionInitiated``: keyed by their own event id), so from
  any state they compile and leave the earlier entity as it was.

Some transitions cannot be expressed at all, because the event correlates by the id of an
event the entity never had: a ``*Started``/closing event of an activity, Lambda task or
decision task that was never scheduled (``""``, or reached ``schedule_failed`` without a
schedule), a ``TimerFired``/``TimerCanceled`` of a timer that never started, a child event of
a child never initiated, an external outcome never initiated, ``ActivityTaskCancelRequested``
for an unknown activity id, and any first event of a history other than
``WorkflowExecutionStarted``. Those cases reference an id that does not exist (or are the
first event) and must be refused naming the event and the entity kind, with no states.

Besides: the table itself is checked against the cases (every edge exercised, every state
reachable, all 54 event types used); any event after the workflow closed is refused; closing
events naming another start, and every decision event naming an id that is not a completed
decision task, are refused. One behaviour that no SWF could produce but the compiler accepts
is marked ``xfail(strict=True)`` (see the end of this file).
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from swf.exceptions import InvalidHistoryError
from swf.models.event import EVENT_TYPES
from swf.models.history import History
from swf.models.history.compiler import TRANSITIONS

ACTIVITY_ID = "a1"
TIMER_ID = "t1"
CHILD_ID = "c1"
LAMBDA_ID = "l1"
UNKNOWN_ID = 999
WORKFLOW_TYPE = {"name": "wf", "version": "1"}
ACTIVITY_TYPE = {"name": "act", "version": "1"}
CHILD_EXECUTION = {"workflowId": CHILD_ID, "runId": "run-c1"}
TARGET = {"workflowId": "other", "runId": "run-other"}


class Raw:
    """A raw GetWorkflowExecutionHistory event list, plus the ids of the entity under test.

    ``ids`` maps each state the entity went through to the id of the event that moved it
    there (the latest one); ``ref`` reads the id an event correlates by and notes when there
    is none (the event then carries an id that refers to nothing).
    """

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.ids: dict[str, int] = {}
        self.dtc = UNKNOWN_ID  # the DecisionTaskCompleted id decisions refer to
        self.missing = False

    def add(self, event_type: str, attributes: dict[str, Any]) -> int:
        event_id = len(self.events) + 1
        if event_id == 1 and event_type != "WorkflowExecutionStarted":
            self.missing = True  # a history must start with WorkflowExecutionStarted
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": 1_700_000_000.0 + event_id,
                key: attributes,
            }
        )
        return event_id

    def started(self) -> Raw:
        """The workflow started and one decision task completed (events 1..4)."""
        self.add("WorkflowExecutionStarted", WORKFLOW_EVENTS["started"][1](self))
        scheduled = self.add("DecisionTaskScheduled", {"taskList": {"name": "d"}})
        started = self.add("DecisionTaskStarted", {"scheduledEventId": scheduled})
        self.dtc = self.add(
            "DecisionTaskCompleted", {"scheduledEventId": scheduled, "startedEventId": started}
        )
        return self

    def ref(self, state: str) -> int:
        """The id of the event that moved the entity to ``state``: what the event correlates by."""
        if state not in self.ids:
            self.missing = True
            return UNKNOWN_ID
        return self.ids[state]

    def known(self) -> None:
        """The event names the entity by its own id: it must have been seen."""
        if not self.ids:
            self.missing = True

    def get(self, state: str) -> int:
        """A secondary id (``startedEventId`` of a closing event); 0 if none, as SWF writes it."""
        return self.ids.get(state, 0)

    def compile(self) -> Any:
        return History.from_event_list(self.events).compile()


Attributes = Callable[[Raw], "dict[str, Any]"]


def _decision(**attributes: Any) -> Attributes:
    """Attributes of an event recorded for a decision (``decisionTaskCompletedEventId``)."""
    return lambda raw: {**attributes, "decisionTaskCompletedEventId": raw.dtc}


WORKFLOW_EVENTS: dict[str, tuple[str, Attributes]] = {
    "started": (
        "WorkflowExecutionStarted",
        lambda raw: {
            "workflowType": WORKFLOW_TYPE,
            "taskList": {"name": "d"},
            "childPolicy": "TERMINATE",
            "executionStartToCloseTimeout": "3600",
            "taskStartToCloseTimeout": "60",
        },
    ),
    "completed": ("WorkflowExecutionCompleted", _decision(result="done")),
    "failed": ("WorkflowExecutionFailed", _decision(reason="r", details="d")),
    "canceled": ("WorkflowExecutionCanceled", _decision(details="d")),
    "continued_as_new": (
        "WorkflowExecutionContinuedAsNew",
        _decision(
            newExecutionRunId="run-2",
            workflowType=WORKFLOW_TYPE,
            taskList={"name": "d"},
            childPolicy="TERMINATE",
        ),
    ),
    "timed_out": (
        "WorkflowExecutionTimedOut",
        lambda raw: {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"},
    ),
    "terminated": (
        "WorkflowExecutionTerminated",
        lambda raw: {"childPolicy": "TERMINATE", "reason": "r"},
    ),
    "cancel_requested": ("WorkflowExecutionCancelRequested", lambda raw: {}),
    "signaled": ("WorkflowExecutionSignaled", lambda raw: {"signalName": "go", "input": "i"}),
    "complete_failed": ("CompleteWorkflowExecutionFailed", _decision(cause="UNHANDLED_DECISION")),
    "fail_failed": ("FailWorkflowExecutionFailed", _decision(cause="UNHANDLED_DECISION")),
    "cancel_failed": ("CancelWorkflowExecutionFailed", _decision(cause="UNHANDLED_DECISION")),
    "continue_as_new_failed": (
        "ContinueAsNewWorkflowExecutionFailed",
        _decision(cause="UNHANDLED_DECISION"),
    ),
}


def _task_closed(**attributes: Any) -> Attributes:
    """Attributes of a closing event of a decision, activity or Lambda task."""
    return lambda raw: {
        **attributes,
        "scheduledEventId": raw.ref("scheduled"),
        "startedEventId": raw.get("started"),
    }


DECISION_TASK_EVENTS: dict[str, tuple[str, Attributes]] = {
    "scheduled": ("DecisionTaskScheduled", lambda raw: {"taskList": {"name": "d"}}),
    "started": ("DecisionTaskStarted", lambda raw: {"scheduledEventId": raw.ref("scheduled")}),
    "completed": ("DecisionTaskCompleted", _task_closed()),
    "timed_out": ("DecisionTaskTimedOut", _task_closed(timeoutType="START_TO_CLOSE")),
}


def _activity_cancel_requested(raw: Raw) -> dict[str, Any]:
    raw.known()
    return {"activityId": ACTIVITY_ID, "decisionTaskCompletedEventId": raw.dtc}


ACTIVITY_EVENTS: dict[str, tuple[str, Attributes]] = {
    "scheduled": (
        "ActivityTaskScheduled",
        _decision(activityId=ACTIVITY_ID, activityType=ACTIVITY_TYPE, taskList={"name": "a"}),
    ),
    "schedule_failed": (
        "ScheduleActivityTaskFailed",
        _decision(
            activityId=ACTIVITY_ID,
            activityType=ACTIVITY_TYPE,
            cause="OPEN_ACTIVITIES_LIMIT_EXCEEDED",
        ),
    ),
    "started": (
        "ActivityTaskStarted",
        lambda raw: {"scheduledEventId": raw.ref("scheduled"), "identity": "worker"},
    ),
    "completed": ("ActivityTaskCompleted", _task_closed(result="r")),
    "failed": ("ActivityTaskFailed", _task_closed(reason="r", details="d")),
    "timed_out": ("ActivityTaskTimedOut", _task_closed(timeoutType="SCHEDULE_TO_CLOSE")),
    "canceled": ("ActivityTaskCanceled", _task_closed(details="d")),
    "cancel_requested": ("ActivityTaskCancelRequested", _activity_cancel_requested),
}


def _timer_closed(decision: bool) -> Attributes:
    def attributes(raw: Raw) -> dict[str, Any]:
        result = {"timerId": TIMER_ID, "startedEventId": raw.ref("started")}
        if decision:
            result["decisionTaskCompletedEventId"] = raw.dtc
        return result

    return attributes


TIMER_EVENTS: dict[str, tuple[str, Attributes]] = {
    "started": ("TimerStarted", _decision(timerId=TIMER_ID, startToFireTimeout="10")),
    "start_failed": (
        "StartTimerFailed",
        _decision(timerId=TIMER_ID, cause="OPEN_TIMERS_LIMIT_EXCEEDED"),
    ),
    "fired": ("TimerFired", _timer_closed(decision=False)),
    "canceled": ("TimerCanceled", _timer_closed(decision=True)),
}


def _child_event(**attributes: Any) -> Attributes:
    """Attributes of an event about a child after its initiation."""
    return lambda raw: {
        **attributes,
        "workflowExecution": CHILD_EXECUTION,
        "workflowType": WORKFLOW_TYPE,
        "initiatedEventId": raw.ref("start_initiated"),
        "startedEventId": raw.get("started"),
    }


def _child_start_failed(raw: Raw) -> dict[str, Any]:
    return {
        "workflowId": CHILD_ID,
        "workflowType": WORKFLOW_TYPE,
        "cause": "WORKFLOW_TYPE_DOES_NOT_EXIST",
        "initiatedEventId": raw.ref("start_initiated"),
        "decisionTaskCompletedEventId": raw.dtc,
    }


CHILD_EVENTS: dict[str, tuple[str, Attributes]] = {
    "start_initiated": (
        "StartChildWorkflowExecutionInitiated",
        _decision(
            workflowId=CHILD_ID,
            workflowType=WORKFLOW_TYPE,
            childPolicy="TERMINATE",
            taskList={"name": "children"},  # SWF always writes it (the type's default)
        ),
    ),
    "start_failed": ("StartChildWorkflowExecutionFailed", _child_start_failed),
    "started": ("ChildWorkflowExecutionStarted", _child_event()),
    "completed": ("ChildWorkflowExecutionCompleted", _child_event(result="r")),
    "failed": ("ChildWorkflowExecutionFailed", _child_event(reason="r")),
    "timed_out": ("ChildWorkflowExecutionTimedOut", _child_event(timeoutType="START_TO_CLOSE")),
    "canceled": ("ChildWorkflowExecutionCanceled", _child_event(details="d")),
    "terminated": ("ChildWorkflowExecutionTerminated", _child_event()),
}


def _external_outcome(initiated: str, **attributes: Any) -> Attributes:
    return lambda raw: {
        **attributes,
        "workflowExecution": TARGET,
        "initiatedEventId": raw.ref(initiated),
    }


def _external_failed(initiated: str, cause: str) -> Attributes:
    return lambda raw: {
        "workflowId": TARGET["workflowId"],
        "cause": cause,
        "initiatedEventId": raw.ref(initiated),
        "decisionTaskCompletedEventId": raw.dtc,
    }


EXTERNAL_SIGNAL_EVENTS: dict[str, tuple[str, Attributes]] = {
    "signal_initiated": (
        "SignalExternalWorkflowExecutionInitiated",
        _decision(workflowId=TARGET["workflowId"], signalName="ping"),
    ),
    "signaled": (
        "ExternalWorkflowExecutionSignaled",
        _external_outcome("signal_initiated"),
    ),
    "signal_failed": (
        "SignalExternalWorkflowExecutionFailed",
        _external_failed("signal_initiated", "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"),
    ),
}

EXTERNAL_CANCEL_EVENTS: dict[str, tuple[str, Attributes]] = {
    "request_cancel_initiated": (
        "RequestCancelExternalWorkflowExecutionInitiated",
        _decision(workflowId=TARGET["workflowId"]),
    ),
    "cancel_requested": (
        "ExternalWorkflowExecutionCancelRequested",
        _external_outcome("request_cancel_initiated"),
    ),
    "request_cancel_failed": (
        "RequestCancelExternalWorkflowExecutionFailed",
        _external_failed("request_cancel_initiated", "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"),
    ),
}

LAMBDA_EVENTS: dict[str, tuple[str, Attributes]] = {
    "scheduled": ("LambdaFunctionScheduled", _decision(id=LAMBDA_ID, name="fn")),
    "schedule_failed": (
        "ScheduleLambdaFunctionFailed",
        _decision(id=LAMBDA_ID, name="fn", cause="LAMBDA_FUNCTION_DOES_NOT_EXIST"),
    ),
    "started": ("LambdaFunctionStarted", lambda raw: {"scheduledEventId": raw.ref("scheduled")}),
    "start_failed": (
        "StartLambdaFunctionFailed",
        lambda raw: {"scheduledEventId": raw.ref("scheduled"), "cause": "ASSUME_ROLE_FAILED"},
    ),
    "completed": ("LambdaFunctionCompleted", _task_closed(result="r")),
    "failed": ("LambdaFunctionFailed", _task_closed(reason="r")),
    "timed_out": ("LambdaFunctionTimedOut", _task_closed(timeoutType="START_TO_CLOSE")),
}


@dataclass(frozen=True)
class Kind:
    """How to drive and observe one entity kind.

    Attributes:
        events: to state -> (event type, attributes of that event given the history so far).
        key: the entity's key in error messages, given the history (None: the workflow).
        find: the entity's record in a compiled view, given its key.
        pseudo: to states that leave the state unchanged (allowed, recorded aside).
        opens_new: to states whose event always opens a new entity, keyed by its own id.
        in_use: to states SWF refuses on an open entity with the id in use (unchanged).
        open_states: the states in which the id is in use.
    """

    events: dict[str, tuple[str, Attributes]]
    key: Callable[[Raw], Any]
    find: Callable[[Any, Any], Any]
    pseudo: frozenset[str] = frozenset()
    opens_new: frozenset[str] = frozenset()
    in_use: frozenset[str] = frozenset()
    open_states: frozenset[str] = frozenset()


def _fixed(value: str) -> Callable[[Raw], str]:
    return lambda raw: value


KINDS: dict[str, Kind] = {
    "workflow": Kind(
        WORKFLOW_EVENTS,
        key=lambda raw: None,
        find=lambda view, key: view.workflow,
        pseudo=frozenset(
            [
                "cancel_requested",
                "signaled",
                "complete_failed",
                "fail_failed",
                "cancel_failed",
                "continue_as_new_failed",
            ]
        ),
    ),
    "decision task": Kind(
        DECISION_TASK_EVENTS,
        key=lambda raw: raw.ids.get("scheduled"),
        find=lambda view, key: next(r for r in view.decision_tasks if r.scheduled_event_id == key),
        opens_new=frozenset({"scheduled"}),
    ),
    "activity": Kind(
        ACTIVITY_EVENTS,
        key=_fixed(ACTIVITY_ID),
        find=lambda view, key: view.activities[key],
        pseudo=frozenset({"cancel_requested"}),
        in_use=frozenset({"schedule_failed"}),
        open_states=frozenset({"scheduled", "started"}),
    ),
    "timer": Kind(
        TIMER_EVENTS,
        key=_fixed(TIMER_ID),
        find=lambda view, key: view.timers[key],
        in_use=frozenset({"start_failed"}),
        open_states=frozenset({"started"}),
    ),
    "child workflow": Kind(
        CHILD_EVENTS,
        key=_fixed(CHILD_ID),
        find=lambda view, key: view.child_workflows[key],
        in_use=frozenset({"start_initiated"}),
        open_states=frozenset({"start_initiated", "started"}),
    ),
    "external signal": Kind(
        EXTERNAL_SIGNAL_EVENTS,
        key=lambda raw: raw.ids.get("signal_initiated"),
        find=lambda view, key: view.external_signals[key],
        opens_new=frozenset({"signal_initiated"}),
    ),
    "external cancel": Kind(
        EXTERNAL_CANCEL_EVENTS,
        key=lambda raw: raw.ids.get("request_cancel_initiated"),
        find=lambda view, key: view.external_cancels[key],
        opens_new=frozenset({"request_cancel_initiated"}),
    ),
    "lambda function": Kind(
        LAMBDA_EVENTS,
        key=_fixed(LAMBDA_ID),
        find=lambda view, key: view.lambda_functions[key],
        in_use=frozenset({"schedule_failed"}),
        open_states=frozenset({"scheduled", "started"}),
    ),
}


def to_states(kind: str) -> set[str]:
    """Every state an event can move an entity of ``kind`` to, per TRANSITIONS."""
    return {to for tos in TRANSITIONS[kind].values() for to in tos}


def from_states(kind: str) -> set[str]:
    """Every state an entity of ``kind`` can be in (pseudo-states leave it where it was)."""
    return (set(TRANSITIONS[kind]) | to_states(kind)) - KINDS[kind].pseudo


#: Edges of TRANSITIONS allowed only after a pseudo-state (documented beside the table):
#: a scheduled activity is canceled only after a cancel request.
CONDITIONAL = {("activity", "scheduled", "canceled"): "cancel_requested"}


def path(kind: str, state: str) -> list[str]:
    """The shortest sequence of transitions TRANSITIONS allows from ``""`` to ``state``
    (without the conditional edges)."""
    paths: dict[str, list[str]] = {"": []}
    queue = collections.deque([""])
    while queue:
        current = queue.popleft()
        for to in sorted(TRANSITIONS[kind].get(current, ())):
            if (kind, current, to) in CONDITIONAL:
                continue
            if to not in paths and to not in KINDS[kind].pseudo:
                paths[to] = [*paths[current], to]
                queue.append(to)
    return paths[state]


def reach(kind: str, state: str, via: str = "") -> Raw:
    """A history bringing one entity of ``kind`` to ``state``, then through pseudo-state ``via``."""
    raw = Raw()
    if kind == "workflow" and state == "":
        return raw  # not started: the history is empty
    raw.started()
    for step in path(kind, state):
        if kind == "workflow" and step == "started":
            continue  # done by raw.started()
        apply(raw, kind, step)
    if via:
        apply(raw, kind, via)
    return raw


def apply(raw: Raw, kind: str, to_state: str) -> tuple[int, str]:
    """Append the event moving the entity of ``kind`` to ``to_state``; its id and type."""
    event_type, attributes = KINDS[kind].events[to_state]
    event_id = raw.add(event_type, attributes(raw))
    raw.ids[to_state] = event_id
    return event_id, event_type


@dataclass(frozen=True)
class Case:
    """Bring an entity of ``kind`` to ``from_state`` (then through pseudo-state ``via``)."""

    kind: str
    from_state: str
    to_state: str
    via: str = ""

    @property
    def allowed(self) -> bool:
        condition = CONDITIONAL.get((self.kind, self.from_state, self.to_state))
        if condition is not None and self.via != condition:
            return False
        return self.to_state in TRANSITIONS[self.kind].get(self.from_state, frozenset())

    def __str__(self) -> str:
        via = f"+{self.via}" if self.via else ""
        return f"{self.kind}:{self.from_state or 'new'}{via}->{self.to_state}"


CASES = [
    Case(kind, from_state, to_state)
    for kind in TRANSITIONS
    for from_state in sorted(from_states(kind))
    for to_state in sorted(to_states(kind))
]
# Pseudo-states as from-states: after one, the entity behaves as in the state it stayed in.
CASES += [
    Case(kind, from_state, to_state, via)
    for kind in TRANSITIONS
    for from_state in sorted(from_states(kind))
    for via in sorted(KINDS[kind].pseudo & TRANSITIONS[kind].get(from_state, frozenset()))
    for to_state in sorted(to_states(kind))
]

# Where each pseudo-state is recorded: view, record -> the id of the event recorded there.
PSEUDO_EFFECTS: dict[str, Callable[[Any, Any], int]] = {
    "cancel_requested": lambda view, record: (
        record.cancel_requested and record.cancel_requested_event.id
    ),
    "signaled": lambda view, record: view.signals[-1].event_id,
    **{
        failed: lambda view, record: record.failed_decisions[-1].id
        for failed in ("complete_failed", "fail_failed", "cancel_failed", "continue_as_new_failed")
    },
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_transition(case: Case) -> None:
    kind = KINDS[case.kind]
    raw = reach(case.kind, case.from_state, case.via)
    assert not raw.missing, f"{case.from_state!r} is reachable"
    before = kind.key(raw)
    if case.from_state:
        assert kind.find(raw.compile(), before).state == case.from_state
    event_id, event_type = apply(raw, case.kind, case.to_state)
    in_use = case.to_state in kind.in_use and case.from_state in kind.open_states

    if raw.missing:
        # The event correlates by an id the entity never had, or would start the history.
        assert_refused(raw, event_id, event_type, case.kind, None, None)
    elif not (case.allowed or in_use or case.to_state in kind.opens_new):
        entity = case.kind if before is None else f"{case.kind} {before!r}"
        assert_refused(raw, event_id, event_type, entity, case.from_state, case.to_state)
    else:
        view = raw.compile()
        assert view.last_event_id == event_id
        assert History.from_event_list(raw.events).validate() == []
        if case.to_state in kind.opens_new:
            assert kind.find(view, event_id).state == case.to_state
            if case.from_state:
                assert kind.find(view, before).state == case.from_state
        elif in_use:
            assert not case.allowed
            assert kind.find(view, before).state == case.from_state
        elif case.to_state in kind.pseudo:
            record = kind.find(view, before)
            assert record.state == case.from_state
            assert PSEUDO_EFFECTS[case.to_state](view, record) == event_id
        else:
            assert kind.find(view, kind.key(raw)).state == case.to_state


def assert_refused(
    raw: Raw,
    event_id: int,
    event_type: str,
    entity: str,
    from_state: str | None,
    to_state: str | None,
) -> None:
    """``raw`` does not compile, because of that event, and ``validate()`` says only that."""
    with pytest.raises(InvalidHistoryError) as info:
        raw.compile()
    error = info.value
    assert (error.event_id, error.event_type) == (event_id, event_type)
    assert (error.entity, error.from_state, error.to_state) == (entity, from_state, to_state)
    assert str(event_id) in str(error) and event_type in str(error)
    problems = History.from_event_list(raw.events).validate()
    assert [(p.event_id, p.event_type, p.entity, p.from_state, p.to_state) for p in problems] == [
        (event_id, event_type, entity, from_state, to_state)
    ]


def test_every_edge_of_transitions_is_a_valid_case() -> None:
    exercised = {(c.kind, c.from_state, c.to_state) for c in CASES if c.allowed}
    declared = {
        (kind, state, to)
        for kind, table in TRANSITIONS.items()
        for state, tos in table.items()
        for to in tos
    }
    assert exercised == declared
    assert len(declared) == 86


def test_every_state_has_its_event_and_is_reachable() -> None:
    assert set(KINDS) == set(TRANSITIONS)
    for name, kind in KINDS.items():
        assert set(kind.events) == to_states(name), name
        for state in from_states(name):
            assert path(name, state)[-1:] == ([state] if state else [])


def test_every_event_type_is_exercised() -> None:
    exercised = {KINDS[c.kind].events[c.to_state][0] for c in CASES}
    exercised |= set(OUTSIDE_EVENTS)
    assert exercised == set(EVENT_TYPES)
    assert len(EVENT_TYPES) == 54


# Events outside every state machine: recorded for a decision, no entity state changes.
OUTSIDE_EVENTS: dict[str, dict[str, Any]] = {
    "MarkerRecorded": {"markerName": "m", "details": "d"},
    "RecordMarkerFailed": {"markerName": "m", "cause": "OPERATION_NOT_PERMITTED"},
    "CancelTimerFailed": {"timerId": TIMER_ID, "cause": "TIMER_ID_UNKNOWN"},
    "RequestCancelActivityTaskFailed": {
        "activityId": ACTIVITY_ID,
        "cause": "ACTIVITY_ID_UNKNOWN",
    },
}


@pytest.mark.parametrize("event_type", sorted(OUTSIDE_EVENTS))
def test_outside_event_compiles_for_a_completed_decision(event_type: str) -> None:
    raw = Raw().started()
    event_id = raw.add(
        event_type, {**OUTSIDE_EVENTS[event_type], "decisionTaskCompletedEventId": raw.dtc}
    )
    view = raw.compile()
    assert view.last_event_id == event_id
    assert view.workflow.state == "started"
    assert not view.activities and not view.timers
    if event_type in ("MarkerRecorded", "RecordMarkerFailed"):
        assert [marker.event_id for marker in view.markers["m"]] == [event_id]


def _attributes_by_event_type() -> dict[str, Attributes]:
    table: dict[str, Attributes] = {}
    for kind in KINDS.values():
        table.update(dict(kind.events.values()))
    for event_type, attributes in OUTSIDE_EVENTS.items():
        table[event_type] = _decision(**attributes)
    return table


EVENT_ATTRIBUTES = _attributes_by_event_type()


@pytest.mark.parametrize("closing", ["completed", "terminated"])
@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_any_event_after_the_workflow_closed_is_refused(closing: str, event_type: str) -> None:
    raw = reach("workflow", closing)
    event_id = raw.add(event_type, EVENT_ATTRIBUTES[event_type](raw))
    to_state = EVENT_TYPES[event_type][1]
    assert_refused(raw, event_id, event_type, "workflow", closing, to_state)


# A closing event must name the entity's start in its startedEventId: kind -> closing state.
CLOSINGS = {
    "decision task": "completed",
    "activity": "completed",
    "child workflow": "completed",
    "lambda function": "completed",
}


@pytest.mark.parametrize("kind", sorted(CLOSINGS))
def test_closing_event_with_another_started_event_id_is_refused(kind: str) -> None:
    raw = reach(kind, "started")
    event_type, attributes = KINDS[kind].events[CLOSINGS[kind]]
    wrong = {**attributes(raw), "startedEventId": raw.ids["started"] - 1}
    event_id = raw.add(event_type, wrong)
    entity = f"{kind} {KINDS[kind].key(raw)!r}"
    assert_refused(raw, event_id, event_type, entity, None, None)


@pytest.mark.parametrize("to_state", ["fired", "canceled"])
def test_timer_event_naming_another_timer_is_refused(to_state: str) -> None:
    raw = reach("timer", "started")
    event_type, attributes = TIMER_EVENTS[to_state]
    event_id = raw.add(event_type, {**attributes(raw), "timerId": "t2"})
    assert_refused(raw, event_id, event_type, "timer 't2'", None, None)


def _decision_event_cases() -> list[Any]:
    """Every event type recorded for a decision, with a history where it would be allowed."""
    cases = [pytest.param(event_type, "", "", id=event_type) for event_type in OUTSIDE_EVENTS]
    for name, kind in KINDS.items():
        for to_state, (event_type, attributes) in kind.events.items():
            if "decisionTaskCompletedEventId" in attributes(Raw()):
                allowed = sorted(s for s, tos in TRANSITIONS[name].items() if to_state in tos)
                cases.append(pytest.param(event_type, name, allowed[0], id=event_type))
    return cases


@pytest.mark.parametrize(("event_type", "kind", "from_state"), _decision_event_cases())
def test_decision_event_refuses_an_id_that_is_not_a_completed_decision(
    event_type: str, kind: str, from_state: str
) -> None:
    raw = reach(kind, from_state) if kind else Raw().started()
    raw.dtc = 3  # the DecisionTaskStarted, not the DecisionTaskCompleted
    event_id = raw.add(event_type, EVENT_ATTRIBUTES[event_type](raw))
    assert History.from_event_list(raw.events[:-1]).validate() == []
    assert_refused(raw, event_id, event_type, "decision task", None, None)


# Against SWF's semantics, though TRANSITIONS allows it: a scheduled activity no worker has
# started can only be canceled by SWF in answer to a RequestCancelActivityTask decision, so an
# ActivityTaskCanceled without an ActivityTaskCancelRequested before it is something no SWF
# could produce (a started one may be canceled by its worker unasked: RespondActivityTaskCanceled).
def test_activity_canceled_before_start_needs_a_cancel_request() -> None:
    raw = reach("activity", "scheduled")
    event_id, event_type = apply(raw, "activity", "canceled")
    assert_refused(raw, event_id, event_type, "activity 'a1'", "scheduled", "canceled")


def test_activity_canceled_before_start_after_a_cancel_request() -> None:
    raw = reach("activity", "scheduled", via="cancel_requested")
    event_id, _ = apply(raw, "activity", "canceled")
    record = raw.compile().activities[ACTIVITY_ID]
    assert (record.state, record.cancel_requested, record.closed_event_id) == (
        "canceled",
        True,
        event_id,
    )


@pytest.mark.parametrize("running", ["start_initiated", "started"])
def test_child_with_a_running_workflow_id_is_initiated_then_fails_aside(running: str) -> None:
    # SWF's sequence for WORKFLOW_ALREADY_RUNNING: Initiated, then Failed naming it.
    raw = reach("child workflow", running)
    running_id = raw.ids[running]
    apply(raw, "child workflow", "start_initiated")
    apply(raw, "child workflow", "start_failed")
    view = raw.compile()
    child = view.child_workflows[CHILD_ID]
    assert (child.state, child.attempts) == (running, 1)
    assert running_id in (child.initiated_event_id, child.started_event_id)
    assert child.closed_event_id is None
    assert History.from_event_list(raw.events).validate() == []
