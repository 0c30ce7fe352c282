"""Events, History and the compiler: every event type, valid and invalid transitions, fuzz."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from event_samples import required_attributes
from hypothesis import given, settings
from hypothesis import strategies as st

from swf.exceptions import InvalidHistoryError
from swf.models.event import EVENT_CLASSES, EVENT_TYPES, UnknownEvent, from_api, from_api_list
from swf.models.history import History
from swf.testing import HistoryBuilder


def everything() -> HistoryBuilder:
    b = HistoryBuilder(input="in")
    b.decision().schedule_activity("a").start_activity("a").fail_activity("a", "r")
    b.decision().schedule_activity("a").start_activity("a").request_cancel_activity("a")
    b.cancel_activity("a").decision().schedule_activity_failed("x").request_cancel_activity_failed(
        "y"
    )
    b.schedule_activity("b").start_activity("b").time_out_activity("b")
    b.decision().start_timer("t").cancel_timer("t").start_timer("t").fire_timer("t")
    b.decision().start_timer_failed("u").cancel_timer_failed("v")
    b.schedule_activity("k").start_activity("k").complete_activity("k", "ok")
    b.record_marker("m", "d").record_marker_failed("m")
    b.start_child("c").child_started("c").decision().child_closed("c", "completed", result="x")
    b.decision().start_child("c").start_child_failed("c")
    for outcome in ("failed", "timed_out", "canceled", "terminated"):
        b.decision().start_child(outcome).child_started(outcome).child_closed(outcome, outcome)
    b.decision().signal_external("w", "s").external_signaled("w")
    b.decision().signal_external("w", "s").signal_external_failed("w")
    b.decision().request_cancel_external("w").external_cancel_requested("w")
    b.decision().request_cancel_external("w").request_cancel_external_failed("w")
    b.decision().schedule_lambda("l").start_lambda("l").complete_lambda("l", "r")
    b.decision().schedule_lambda("l").start_lambda_failed("l")
    b.decision().schedule_lambda("f").start_lambda("f").fail_lambda("f", "r")
    b.decision().schedule_lambda("o").start_lambda("o").time_out_lambda("o")
    b.decision().schedule_lambda_failed("z")
    b.signal("go", "x").cancel_requested().decision_started().decision_timed_out()
    b.decision().close_failed("complete").close_failed("fail").close_failed("cancel")
    b.close_failed("continue_as_new").decision()
    return b


def test_every_event_type_is_built_and_compiled() -> None:
    history = everything().continue_as_new(new_run_id="r2").history()
    seen = {e.event_type for e in history}
    closing = {
        "WorkflowExecutionCompleted",
        "WorkflowExecutionFailed",
        "WorkflowExecutionCanceled",
        "WorkflowExecutionTerminated",
        "WorkflowExecutionTimedOut",
    }
    assert set(EVENT_TYPES) - seen == closing
    c = history.compiled
    assert c.workflow.state == "continued_as_new"
    assert c.workflow.continued_as_new_run_id == "r2"
    assert c.workflow.cancel_requested
    assert len(c.workflow.failed_decisions) == 4
    a = c.activities["a"]
    assert (a.state, a.attempts, a.cancel_requested, [t.state for t in a.tries]) == (
        "canceled",
        2,
        True,
        ["failed"],
    )
    assert c.activities["x"].state == "schedule_failed"
    assert c.activities["b"].timeout_type == "START_TO_CLOSE"
    assert c.timers["t"].state == "fired" and c.timers["u"].state == "start_failed"
    assert [m.state for m in c.markers["m"]] == ["recorded", "record_failed"]
    assert c.child_workflows["c"].state == "start_failed"
    assert c.child_workflows["c"].tries[0].result == "x"
    assert {
        k: c.child_workflows[k].state for k in ("failed", "timed_out", "canceled", "terminated")
    } == {
        "failed": "failed",
        "timed_out": "timed_out",
        "canceled": "canceled",
        "terminated": "terminated",
    }
    assert [r.state for r in c.external_signals.values()] == ["signaled", "signal_failed"]
    assert [r.state for r in c.external_cancels.values()] == [
        "cancel_requested",
        "request_cancel_failed",
    ]
    assert {k: r.state for k, r in c.lambda_functions.items()} == {
        "l": "start_failed",
        "f": "failed",
        "o": "timed_out",
        "z": "schedule_failed",
    }
    assert c.lambda_functions["l"].attempts == 2
    assert [s.name for s in c.signals] == ["go"]
    assert "timed_out" in [d.state for d in c.decision_tasks]
    assert c.last_event_id == len(history)
    assert history.validate() == []


@pytest.mark.parametrize("close", ["complete", "fail", "cancel", "terminate", "time_out"])
def test_each_close(close: str) -> None:
    history = getattr(HistoryBuilder().decision(), close)().history()
    state = {
        "complete": "completed",
        "fail": "failed",
        "cancel": "canceled",
        "terminate": "terminated",
        "time_out": "timed_out",
    }[close]
    assert history.compiled.workflow.state == state
    assert history.finished and history.last.closes_workflow


@pytest.mark.parametrize("build", [from_api, lambda raw: from_api_list([raw])[0]])
@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_from_api_every_type(event_type: str, build: Any) -> None:
    """Both the single-event builder and the list's inline fast path."""
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    # The type's required members (its shape in the service model), and one it does not know.
    attributes = {**required_attributes(event_type), "x": 1}
    raw = {"eventId": 3, "eventType": event_type, "eventTimestamp": 1.5, key: attributes}
    event = build(raw)
    assert type(event) is EVENT_CLASSES[event_type]
    assert (event.type, event.state, event.id) == (*EVENT_TYPES[event_type], 3)
    assert event.attributes == {**required_attributes(event_type), "x": 1} and event.raw is raw
    assert event.timestamp == dt.datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=dt.timezone.utc)
    assert event == from_api(raw) and hash(event) == hash(from_api(raw))
    for name in ("id", "attributes", "raw", "_timestamp", "__class__"):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(event, name, 4)
    assert event.id == 3 and type(event) is EVENT_CLASSES[event_type]


def test_from_api_list_slow_paths_keep_order() -> None:
    """Typed events are kept as they are; a datetime subclass, a missing optional attribute
    dict and an unknown type take the slow path, in place."""

    class Stamp(dt.datetime):
        pass

    typed = from_api(
        {"eventId": 1, "eventType": "WorkflowExecutionCancelRequested", "eventTimestamp": 0}
    )
    raws: list[Any] = [
        typed,
        {"eventId": 2, "eventType": "StartLambdaFunctionFailed", "eventTimestamp": 0},
        {"eventId": 3, "eventType": "NewThing", "eventTimestamp": Stamp(2020, 1, 1)},
    ]
    events = from_api_list(raws)
    assert events[0] is typed
    assert [type(e).__name__ for e in events] == [
        "WorkflowExecutionCancelRequested",
        "StartLambdaFunctionFailed",
        "UnknownEvent",
    ]
    assert [e.id for e in events] == [1, 2, 3] and events[1].attributes == {}


def test_unknown_type_is_kept() -> None:
    event = from_api({"eventId": 1, "eventType": "NewThing", "eventTimestamp": 0})
    assert isinstance(event, UnknownEvent) and event.type == "NewThing"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"eventType": "TimerFired", "eventTimestamp": 0}, "missing eventId"),
        ({"eventId": "1", "eventType": "TimerFired", "eventTimestamp": 0}, "eventId"),
        ({"eventId": 1, "eventTimestamp": 0}, "missing eventType"),
        ({"eventId": 1, "eventType": "TimerFired"}, "missing eventTimestamp"),
        ({"eventId": 1, "eventType": "TimerFired", "eventTimestamp": "x"}, "eventTimestamp"),
        ({"eventId": 1, "eventType": "TimerFired", "eventTimestamp": 0}, "no timerFired"),
        ([1], "not a mapping"),
    ],
)
@pytest.mark.parametrize("before", [0, 2])
def test_malformed_events(raw: Any, problem: str, before: int) -> None:
    valid = HistoryBuilder().events[:1] * before
    with pytest.raises(InvalidHistoryError, match=problem) as info:
        History.from_event_list([*valid, raw])
    assert info.value.position == before
    assert f"position {before}" in str(info.value)


def _mutate(events: list[dict[str, Any]], index: int, attrs: dict[str, Any]) -> None:
    key = next(k for k in events[index] if k.endswith("EventAttributes"))
    events[index][key].update(attrs)


def base() -> HistoryBuilder:
    return HistoryBuilder().decision().schedule_activity("a")


INVALID = [
    ("completed before started", lambda b: b.complete_activity("a"), "'scheduled' to 'completed'"),
    (
        "started twice",
        lambda b: b.start_activity("a").start_activity("a"),
        "'started' to 'started'",
    ),
    (
        "after close",
        lambda b: b.decision().complete().start_activity("a"),
        "after the workflow closed",
    ),
    ("scheduled while open", lambda b: b.schedule_activity("a"), "'scheduled' to 'scheduled'"),
    (
        "timer fired twice",
        lambda b: (
            b.start_timer("t")
            .fire_timer("t")
            .add("TimerFired", {"timerId": "t", "startedEventId": 6})
        ),
        "'fired' to 'fired'",
    ),
    (
        "unknown scheduled id",
        lambda b: b.add("ActivityTaskStarted", {"scheduledEventId": 99}),
        "scheduledEventId 99",
    ),
    (
        "unknown decision",
        lambda b: b.add("MarkerRecorded", {"markerName": "m", "decisionTaskCompletedEventId": 2}),
        "decisionTaskCompletedEventId 2",
    ),
    (
        "child closed unstarted",
        lambda b: b.start_child("c").child_closed("c", "completed"),
        "'start_initiated' to 'completed'",
    ),
    (
        "lambda started twice",
        lambda b: b.schedule_lambda("l").start_lambda("l").start_lambda("l"),
        "'started' to 'started'",
    ),
    (
        "signal twice",
        lambda b: b.signal_external("w", "s").external_signaled("w").external_signaled("w"),
        "'signaled' to 'signaled'",
    ),
    (
        "cancel request closed",
        lambda b: (
            b.start_activity("a").complete_activity("a").decision().request_cancel_activity("a")
        ),
        "'completed' to 'cancel_requested'",
    ),
]


@pytest.mark.parametrize(("name", "build", "message"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_transitions(name: str, build: Any, message: str) -> None:
    builder = base()
    build(builder)
    history = builder.history()
    with pytest.raises(InvalidHistoryError, match=message) as info:
        history.compile()
    assert info.value.event_id is not None
    assert any(message in p.message for p in history.validate())


def test_ids_out_of_order_and_validate_lists_all() -> None:
    events = base().start_activity("a").events
    events[3]["eventId"] = 40
    with pytest.raises(InvalidHistoryError, match="out of sequence"):
        History.from_event_list(events).compile()
    assert len(History.from_event_list(events).validate()) >= 1


def _problems(events: list[dict[str, Any]]) -> list[tuple[int | None, int | None, str]]:
    history = History.from_event_list(events)
    return [(p.position, p.event_id, p.message.split(": ", 1)[1]) for p in history.validate()]


def test_validate_checks_each_id_against_the_previous_event() -> None:
    """A wrong id is one problem, and the next event is checked against it (not 1..n)."""
    events = HistoryBuilder().decision().schedule_activity("a").events
    events[3]["eventId"] = 40
    assert _problems(events) == [
        (3, 40, "event id 40 out of sequence (expected 4)"),
        (4, 5, "event id 5 out of sequence (expected 41)"),
    ]
    events[4]["eventId"] = 41  # follows 40: only 40 is out of sequence (and was skipped)
    assert _problems(events) == [
        (3, 40, "event id 40 out of sequence (expected 4)"),
        (4, 41, "decisionTaskCompletedEventId 4 is not a DecisionTaskCompleted event"),
    ]


def test_validate_lists_every_event_after_the_close() -> None:
    b = HistoryBuilder().decision().complete().decision_scheduled().decision_started()
    events = b.decision_scheduled().events
    events[-2]["eventId"] = 99
    after = "event after the workflow closed: workflow cannot go from 'completed' to "
    assert _problems(events) == [
        (5, 6, after + "DecisionTask:'scheduled'"),
        (6, 99, "event id 99 out of sequence (expected 7)"),
        (7, 8, "event id 8 out of sequence (expected 100)"),
    ]
    with pytest.raises(InvalidHistoryError, match="after the workflow closed") as info:
        History.from_event_list(events).compile()
    assert (info.value.position, info.value.from_state, info.value.to_state) == (
        5,
        "completed",
        "scheduled",
    )


def test_a_history_starts_with_workflow_execution_started() -> None:
    events = HistoryBuilder().decision().events[1:]
    for position, event in enumerate(events):
        event["eventId"] = position + 1
    assert _problems(events) == [
        (0, 1, "a history starts with WorkflowExecutionStarted"),
        (1, 2, "scheduledEventId 2 does not refer to any decision task"),
        (2, 3, "scheduledEventId 2 does not refer to any decision task"),
    ]
    with pytest.raises(InvalidHistoryError, match="starts with") as info:
        History.from_event_list(events).compile()
    assert (info.value.position, info.value.event_type) == (0, "DecisionTaskScheduled")


def test_moto_quirks_compile() -> None:
    b = HistoryBuilder().decision().schedule_activity("a").start_activity("a")
    b.complete_activity("a").decision_scheduled().signal("s", schedule_decision=False)
    b.decision_scheduled().decision().schedule_activity("a")  # id reused after close
    assert b.history().compiled.activities["a"].attempts == 2


def test_history_container_and_json(tmp_path: Any) -> None:
    history = everything().complete().history()
    assert isinstance(history[2:5], History) and len(history[2:5]) == 3
    assert history.filter(type="ActivityTask", state="failed")[0].reason == "r"
    assert len(history.filter(timer_id="t")) == 4
    assert len(history.filter(activityId="a", type="ActivityTaskScheduled")) == 2
    path = tmp_path / "h.json"
    path.write_text(history.to_json())
    for source in (path, str(path), path.read_text()):
        assert History.from_json(source).to_json() == history.to_json()
    with path.open() as stream:
        assert History.from_json(stream).to_json() == history.to_json()
    with pytest.raises(InvalidHistoryError):
        History.from_json("{not json")
    assert history.compiled is history.compiled


def _history_events() -> list[dict[str, Any]]:
    return everything().complete().events


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(["drop", "dup", "swap", "corrupt", "type"]))
def test_fuzz_only_invalid_history_error(seed: int, how: str) -> None:
    rng = random.Random(seed)
    events = [dict(e) for e in _history_events()]
    i, j = rng.randrange(len(events)), rng.randrange(len(events))
    if how == "drop":
        del events[i]
    elif how == "dup":
        events.insert(i, events[j])
    elif how == "swap":
        events[i], events[j] = events[j], events[i]
    elif how == "corrupt":
        key = rng.choice(list(events[i]))
        events[i][key] = rng.choice([None, "x", -1, [], {}, 3.5])
    else:
        events[i]["eventType"] = rng.choice(sorted(EVENT_TYPES))
    try:
        history = History.from_event_list(events)
        history.validate()
        history.compile()
    except InvalidHistoryError:
        pass


def test_invalid_history_error_attributes() -> None:
    b = HistoryBuilder().decision().schedule_activity("a").start_activity("a")
    events = b.events
    started = dict(events[-1])
    events.append({**started, "eventId": started["eventId"] + 1})
    with pytest.raises(InvalidHistoryError) as info:
        History.from_event_list(events).compile()
    error = info.value
    assert error.event_id == started["eventId"] + 1
    assert error.event_type == "ActivityTaskStarted"
    assert error.entity == "activity 'a'"
    assert (error.from_state, error.to_state) == ("started", "started")
    assert error.position == len(events) - 1


def test_invalid_history_error_attributes_none_when_not_applicable() -> None:
    events = HistoryBuilder().decision().events
    events[1] = {**events[1], "eventId": 7}
    with pytest.raises(InvalidHistoryError) as info:
        History.from_event_list(events).compile()
    error = info.value
    assert (error.event_id, error.event_type) == (7, "DecisionTaskScheduled")
    assert error.entity == "event ids"
    assert (error.from_state, error.to_state) == (None, None)


def test_reused_activity_id_links_every_earlier_use() -> None:
    """Reusing an id costs the same however often it was used: records are linked by
    ``previous``; ``tries`` lists them oldest first, ``attempts`` counts the schedulings."""
    b = HistoryBuilder()
    for n in range(30):
        b.decision().schedule_activity("a").start_activity("a").fail_activity("a", f"r{n}")
    b.decision().schedule_activity_failed("a")
    record = b.history().compile().activities["a"]
    assert (record.state, record.attempts, len(record.tries)) == ("schedule_failed", 30, 30)
    assert [t.reason for t in record.tries] == [f"r{n}" for n in range(30)]
    assert record.previous is record.tries[-1]
    assert all(t.previous is p for p, t in zip(record.tries[:-1], record.tries[1:], strict=True))
    assert record.tries[0].previous is None and record.tries[0].tries == ()


def test_record_attributes_read_the_events_that_moved_them() -> None:
    """Each record attribute is the value of one of its events (None while that event is
    missing), and none can be written."""
    b = HistoryBuilder(input="in", tagList=["t1"])
    b.signal("go", "payload", external=("sender", "run-s"), external_initiated_event_id=9)
    b.decision("context-1")
    b.schedule_activity("a", input="x", control="c1").start_activity("a", identity="w1")
    b.time_out_activity("a", "HEARTBEAT", details="late")
    b.decision().start_timer("t", 5).fire_timer("t")
    b.decision().record_marker("m", details="d").record_marker_failed("bad")
    b.start_child("kid", control="c2").signal_external("other", "ping", run_id="run-o")
    b.schedule_lambda("f", "fn").start_lambda_failed("f", message="no role")
    b.child_started("kid", run_id="run-k").external_signaled("other")
    b.decision().continue_as_new(new_run_id="run-2")
    history = b.history()
    view = history.compile()
    last = {event.event_type: event for event in history}

    activity = view.activities["a"]
    scheduled, started, closed = (
        last[t] for t in ("ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskTimedOut")
    )
    assert (activity.scheduled_event, activity.started_event, activity.closed_event) == (
        scheduled,
        started,
        closed,
    )
    assert (activity.scheduled_event_id, activity.started_event_id, activity.closed_event_id) == (
        scheduled.id,
        started.id,
        closed.id,
    )
    assert (activity.scheduled_at, activity.started_at, activity.closed_at) == (
        scheduled.timestamp,
        started.timestamp,
        closed.timestamp,
    )
    assert (activity.input, activity.control, activity.identity) == ("x", "c1", "w1")
    assert (activity.timeout_type, activity.details, activity.result) == ("HEARTBEAT", "late", None)
    assert (activity.heartbeat_timeout, activity.task_list) == ("NONE", "workers")

    timer = view.timers["t"]
    assert (timer.started_event_id, timer.start_to_fire_timeout) == (last["TimerStarted"].id, "5")
    assert timer.closed_event_id == last["TimerFired"].id

    (marker,) = view.markers["m"]
    (failed_marker,) = view.markers["bad"]
    assert (marker.details, marker.cause) == ("d", None)
    assert (failed_marker.cause, failed_marker.details) == ("OPERATION_NOT_PERMITTED", None)

    (signal,) = view.signals
    assert (signal.input, signal.external_initiated_event_id) == ("payload", 9)
    assert signal.external_workflow_execution == {"workflowId": "sender", "runId": "run-s"}

    child = view.child_workflows["kid"]
    initiated = last["StartChildWorkflowExecutionInitiated"]
    assert (child.initiated_event, child.initiated_at) == (initiated, initiated.timestamp)
    assert (child.control, child.run_id, child.closed_event) == ("c2", "run-k", None)
    assert child.workflow_type == {"name": "child", "version": "1"}

    (sent,) = view.external_signals.values()
    assert (sent.workflow_id, sent.run_id, sent.signal_name, sent.state) == (
        "other",
        "run-o",
        "ping",
        "signaled",
    )

    function = view.lambda_functions["f"]
    assert (function.name, function.message, function.cause) == (
        "fn",
        "no role",
        "ASSUME_ROLE_FAILED",
    )
    assert function.started_event is None and function.started_at is None

    first_decision = view.decision_tasks[0]
    assert (first_decision.identity, first_decision.execution_context) == ("decider", "context-1")

    workflow = view.workflow
    assert (workflow.input, workflow.tag_list, workflow.parent) == ("in", ["t1"], None)
    assert (workflow.continued_as_new_run_id, workflow.started_event_id) == ("run-2", 1)
    assert workflow.workflow_type == {"name": "workflow", "version": "1"}

    with pytest.raises(AttributeError):
        activity.result = "forged"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        marker.details = "forged"  # type: ignore[misc]


# -- ids SWF writes as 0, and attributes its API marks optional (issue 12, correctness 1) -------


def test_an_activity_canceled_or_timed_out_before_a_worker_took_it_has_started_id_0() -> None:
    b = HistoryBuilder().decision().schedule_activity("a").schedule_activity("b")
    b.decision().request_cancel_activity("a").cancel_activity("a")
    b.time_out_activity("b", "SCHEDULE_TO_START")
    closed = [e for e in b.history() if e.state in ("canceled", "timed_out")]
    assert [(e.event_type, e.attributes["startedEventId"]) for e in closed] == [
        ("ActivityTaskCanceled", 0),
        ("ActivityTaskTimedOut", 0),
    ]
    c = b.history().compile()
    assert (c.activities["a"].state, c.activities["a"].started_event) == ("canceled", None)
    assert (c.activities["b"].state, c.activities["b"].timeout_type) == (
        "timed_out",
        "SCHEDULE_TO_START",
    )


def test_a_decision_task_no_decider_took_times_out_with_started_id_0() -> None:
    b = HistoryBuilder().decision_timed_out("SCHEDULE_TO_START")
    timed_out = b.history()[2]
    assert (timed_out.event_type, timed_out.attributes["startedEventId"]) == (
        "DecisionTaskTimedOut",
        0,
    )
    assert [d.state for d in b.history().compile().decision_tasks] == ["timed_out", "scheduled"]


def test_refused_starts_and_requests_have_initiated_id_0_and_compile() -> None:
    b = HistoryBuilder().decision().start_child_refused("c", "child", "2")
    b.signal_external_refused("w").request_cancel_external_refused("w")
    assert [e.attributes["initiatedEventId"] for e in b.history()[-3:]] == [0, 0, 0]
    c = b.history().compile()
    child = c.child_workflows["c"]
    assert (child.state, child.cause, child.initiated_event) == (
        "start_failed",
        "WORKFLOW_TYPE_DOES_NOT_EXIST",
        None,
    )
    assert child.workflow_type == {"name": "child", "version": "2"}  # from the failed event
    assert c.to_dict()["child_workflows"]["c"]["workflow_type"] == {"name": "child", "version": "2"}
    assert [r.state for r in c.external_signals.values()] == ["signal_failed"]
    assert [r.state for r in c.external_cancels.values()] == ["request_cancel_failed"]


def test_the_builder_writes_an_initiated_child_failure_only_as_swf_does() -> None:
    b = HistoryBuilder().decision().start_child("c")
    with pytest.raises(ValueError, match="WORKFLOW_ALREADY_RUNNING.*start_child_refused"):
        b.start_child_failed("c", cause="WORKFLOW_TYPE_DOES_NOT_EXIST")


@pytest.mark.parametrize("scheduled", [None, 0])
def test_start_lambda_failed_without_scheduled_id_is_the_lambda_waiting_to_start(
    scheduled: int | None,
) -> None:
    """SWF's API marks StartLambdaFunctionFailed's scheduledEventId optional."""
    b = HistoryBuilder().decision().schedule_lambda("l")
    attributes: dict[str, Any] = {"cause": "ASSUME_ROLE_FAILED", "message": "no role"}
    if scheduled is not None:
        attributes["scheduledEventId"] = scheduled
    b.add("StartLambdaFunctionFailed", attributes)
    record = b.history().compile().lambda_functions["l"]
    assert (record.state, record.message) == ("start_failed", "no role")


def test_start_lambda_failed_without_scheduled_id_and_two_waiting_changes_neither() -> None:
    b = HistoryBuilder().decision().schedule_lambda("l").schedule_lambda("m")
    b.add("StartLambdaFunctionFailed", {"cause": "ASSUME_ROLE_FAILED"})
    c = b.history().compile()
    assert [r.state for r in c.lambda_functions.values()] == ["scheduled", "scheduled"]


def test_an_empty_history_says_it_is_empty() -> None:
    for name in ("first", "last"):
        with pytest.raises(IndexError, match=f"History.{name}: the history is empty"):
            getattr(History(), name)


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"type": "Activity"}, "type 'Activity' is no event family or event type; families: "),
        ({"type": "ActivityTask", "state": "done"}, "state 'done' is no state of ActivityTask"),
        ({"state": "finished"}, "state 'finished' is no state of any event"),
    ],
)
def test_filter_refuses_a_family_or_state_that_matches_nothing(
    criteria: dict[str, str], message: str
) -> None:
    history = everything().history()
    with pytest.raises(ValueError, match=message):
        history.filter(**criteria)
    assert len(history.filter(type="ActivityTask", state="completed")) == 1
    assert len(history.filter(type="ActivityTaskCompleted")) == 1


def test_filter_takes_an_event_type_of_a_newer_swf_found_in_the_history() -> None:
    b = HistoryBuilder()
    b.add("SomethingNewHappened", {"x": 1})
    assert [e.id for e in b.history().filter(type="SomethingNewHappened")] == [3]
