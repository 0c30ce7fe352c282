"""swf.replay: offline replay of deciders on saved histories, and the nondeterminism check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.stub import Stubber

from swf.actors import Decider, DecisionTask
from swf.core import Connection
from swf.exceptions import (
    InvalidDecisionError,
    InvalidHistoryError,
    InvalidTypeError,
    ValidationError,
)
from swf.models import ActivityType
from swf.models.decision import (
    ActivityTaskDecision,
    Decision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.history import History
from swf.replay import (
    KEY_FIELDS,
    RECORDING_EVENTS,
    DecisionKey,
    Mismatch,
    Replayer,
    ReplayError,
    ReplayReport,
    recorded_decisions,
)
from swf.testing import HistoryBuilder

SAVED = Path(__file__).parent.parent / "data" / "moto_history.json"


# -- a decider that made tests/data/moto_history.json --------------------------------------------


class Recorded(Decider):
    """Decides what tests/functional/test_history_moto.py's script decided, from the history."""

    timer = 600
    a2_input = "in-a2"

    def schedule(self, task: DecisionTask, activity_id: str, input: str) -> Decision:
        activity_type = ActivityType(task.execution.domain, "act", "1", task_list="workers")
        return ActivityTaskDecision.schedule(activity_id, activity_type, input=input)

    def decide(self, task: DecisionTask) -> list[Any]:
        compiled = task.history.compiled
        if not compiled.activities:
            return [
                MarkerDecision.record("fan-out", details="2"),
                self.schedule(task, "a1", "in-a1"),
                self.schedule(task, "a2", self.a2_input),
                TimerDecision.start("t1", start_to_fire_timeout=self.timer),
            ]
        if "a3" not in compiled.activities:
            return [self.schedule(task, "a3", "in-a3")]
        return [TimerDecision.cancel("t1"), WorkflowExecutionDecision.complete(result="finished")]


class ChangedInput(Recorded):
    a2_input = "in-a2-v2"


class ChangedTimer(Recorded):
    timer = 300


class Reordered(Recorded):
    def decide(self, task: DecisionTask) -> list[Any]:
        decisions = super().decide(task)
        return decisions[::-1]


class OneMore(Recorded):
    def decide(self, task: DecisionTask) -> list[Any]:
        decisions = super().decide(task)
        if decisions and decisions[0]["decisionType"] == "ScheduleActivityTask":
            return [MarkerDecision.record("retry"), *decisions]
        return decisions


class OneLess(Recorded):
    def decide(self, task: DecisionTask) -> list[Any]:
        return [d for d in super().decide(task) if d["decisionType"] != "CancelTimer"]


def test_saved_history_replays_without_mismatch() -> None:
    replayer = Replayer(Recorded)
    report = replayer.check(SAVED)
    assert isinstance(report, ReplayReport)
    assert report.ok
    assert list(report) == []
    assert report.decision_tasks == (4, 16, 24)
    assert report.events == 26
    assert str(report).startswith("OK: 3 decision tasks (26 events) replayed")
    assert replayer.connection.calls == {}


def test_replay_upto_returns_the_decisions_of_that_task() -> None:
    replayer = Replayer(Recorded)
    first = replayer.replay(SAVED, upto_event_id=3)
    assert [d["decisionType"] for d in first] == [
        "RecordMarker",
        "ScheduleActivityTask",
        "ScheduleActivityTask",
        "StartTimer",
    ]
    assert all(isinstance(d, Decision) for d in first)
    # "at or under": event 10 is before the second task started (15): still the first task
    assert replayer.replay(SAVED, upto_event_id=14) == first
    second = replayer.replay(SAVED, upto_event_id=15)
    assert [d.attributes["activityId"] for d in second] == ["a3"]
    # default: the last decision task started (event 23)
    last = replayer.replay(SAVED)
    assert [d["decisionType"] for d in last] == ["CancelTimer", "CompleteWorkflowExecution"]


def test_the_task_is_the_one_a_poll_builds() -> None:
    replayer = Replayer(Recorded, domain="media", workflow_id="wf-7", run_id="run-7")
    task = replayer.task(SAVED, upto_event_id=20)
    assert isinstance(task, DecisionTask)
    assert task.started_event_id == 15
    assert task.previous_started_event_id == 3
    assert len(task.history) == 15 and task.history.last.id == 15
    assert [e.id for e in task.new_events] == list(range(4, 16))
    assert (task.workflow_id, task.run_id) == ("wf-7", "run-7")
    assert task.execution.domain.name == "media"
    assert (task.workflow_type.name, task.workflow_type.version) == ("wf", "1")
    first = replayer.task(SAVED, upto_event_id=3)
    assert first.previous_started_event_id is None
    last = replayer.task(SAVED)
    assert (last.started_event_id, last.previous_started_event_id) == (23, 15)


def test_history_sources_json_text_file_and_history_agree() -> None:
    text = SAVED.read_text()
    replayer = Replayer(Recorded)
    expected = replayer.replay(SAVED)
    assert replayer.replay(str(SAVED)) == expected
    assert replayer.replay(text) == expected
    with SAVED.open() as stream:
        assert replayer.replay(stream) == expected
    history = History.from_json(text)
    assert replayer.replay(history) == expected
    assert replayer.replay(json.loads(text)["events"]) == expected


def test_changed_input_is_a_mismatch_at_the_scheduled_event() -> None:
    report = Replayer(ChangedInput).check(SAVED)
    assert not report.ok
    (mismatch,) = report
    assert mismatch.event_id == 7  # ActivityTaskScheduled a2
    assert mismatch.decision_task_event_id == 4
    assert mismatch.expected is not None and mismatch.got is not None
    assert mismatch.expected.attributes["input"] == "in-a2"
    assert mismatch.got.attributes["input"] == "in-a2-v2"
    assert mismatch.expected.event_type == "ActivityTaskScheduled"
    text = str(report)
    assert "1 mismatch in 3 decision tasks" in text
    assert "event 7 (decision task completed at event 4)" in text
    assert "input='in-a2'" in text and "input='in-a2-v2'" in text


def test_changed_timer_duration_is_a_mismatch_at_the_timer_event() -> None:
    (mismatch,) = Replayer(ChangedTimer).check(SAVED)
    assert mismatch.event_id == 8
    assert mismatch.expected == DecisionKey(
        "StartTimer",
        {"timerId": "t1", "startToFireTimeout": "600"},
        event_id=8,
        event_type="TimerStarted",
    )
    assert mismatch.got == DecisionKey("StartTimer", {"timerId": "t1", "startToFireTimeout": "300"})


def test_extra_decision_is_reported_at_the_completed_event_and_shifts_nothing() -> None:
    report = Replayer(OneMore).check(SAVED)
    assert [(m.event_id, m.expected, m.got) for m in report] == [
        (16, None, DecisionKey("RecordMarker", {"markerName": "retry"}))
    ]
    assert "expected nothing, got RecordMarker(markerName='retry')" in str(report)


def test_missing_decision_is_reported_at_its_recorded_event() -> None:
    (mismatch,) = Replayer(OneLess).check(SAVED)
    assert mismatch.event_id == 25  # moto's TimerCancelled, attributed to event 24
    assert mismatch.got is None
    assert mismatch.expected is not None
    assert mismatch.expected.decision_type == "CancelTimer"


def test_order_counts_unless_asked_otherwise() -> None:
    report = Replayer(Reordered).check(SAVED)
    assert not report.ok
    assert {m.decision_task_event_id for m in report} == {4, 24}
    unordered = Replayer(Reordered).check(SAVED, ordered=False)
    assert unordered.ok
    assert "in any order" in str(unordered)
    assert unordered.to_dict()["ordered"] is False


def test_report_json_shape() -> None:
    data = json.loads(json.dumps(Replayer(ChangedInput).check(SAVED).to_dict()))
    assert data["ok"] is False
    assert data["decision_tasks"] == [4, 16, 24]
    assert data["mismatches"] == [
        {
            "event_id": 7,
            "decision_task_event_id": 4,
            "expected": {
                "decision_type": "ScheduleActivityTask",
                "attributes": {
                    "activityId": "a2",
                    "activityType": {"name": "act", "version": "1"},
                    "input": "in-a2",
                },
                "event_id": 7,
                "event_type": "ActivityTaskScheduled",
            },
            "got": {
                "decision_type": "ScheduleActivityTask",
                "attributes": {
                    "activityId": "a2",
                    "activityType": {"name": "act", "version": "1"},
                    "input": "in-a2-v2",
                },
                "event_id": None,
                "event_type": None,
            },
        }
    ]


# -- no SWF call ------------------------------------------------------------------------------


def test_an_instance_on_a_client_that_refuses_everything_replays() -> None:
    client = boto3.client("swf", region_name="us-east-1")
    conn = Connection(client)
    with Stubber(client) as stubber:  # no response queued: any request would fail
        decider = Recorded("prod", "deciders", client=conn)
        replayer = Replayer(decider)
        assert replayer.check(SAVED).ok
        stubber.assert_no_pending_responses()
    assert conn.calls == {}
    assert replayer.connection.calls == {}
    assert replayer.task(SAVED).execution.domain.name == "prod"


class AsksSWF(Decider):
    def decide(self, task: DecisionTask) -> list[Any]:
        task.execution.upstream()  # DescribeWorkflowExecution
        return []


def test_a_decider_that_calls_swf_fails_naming_the_event() -> None:
    replayer = Replayer(AsksSWF)
    with pytest.raises(ReplayError) as info:
        replayer.replay(SAVED, upto_event_id=16)
    assert info.value.event_id == 15
    assert "decision task started at event 15" in str(info.value)
    assert "DescribeWorkflowExecution" in str(info.value)
    assert replayer.connection.calls == {"DescribeWorkflowExecution": 1}


# -- decider errors ---------------------------------------------------------------------------


class Broken(Recorded):
    def decide(self, task: DecisionTask) -> list[Any]:
        if task.started_event_id == 15:
            raise KeyError("a3")
        return super().decide(task)


def test_decider_exception_names_the_event_id() -> None:
    with pytest.raises(ReplayError) as info:
        Replayer(Broken).check(SAVED)
    assert info.value.event_id == 15
    assert isinstance(info.value.__cause__, KeyError)
    assert str(info.value) == (
        "decide() raised KeyError while replaying the decision task started at event 15: 'a3'"
    )


class Returns(Decider):
    value: ClassVar[Any] = None

    def decide(self, task: DecisionTask) -> Any:
        return self.value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"decisionType": "StartTimer"}, "returned dict, not a list of decisions"),
        ("complete", "returned str, not a list of decisions"),
        (42, "returned int, not a list of decisions"),
        ([42], "returned 42 as decision 0, not a decision"),
        ([{"decisionType": "Nope"}], "invalid decision 0"),
    ],
)
def test_decider_returning_no_decisions_is_a_replay_error(value: Any, words: str) -> None:
    decider = type("R", (Returns,), {"value": value})
    with pytest.raises(ReplayError, match=words) as info:
        Replayer(decider).replay(SAVED)
    assert info.value.event_id == 23


def test_none_and_plain_dicts_are_decisions() -> None:
    assert Replayer(type("R", (Returns,), {"value": None})).replay(SAVED) == []
    raw = {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "5"},
    }
    (decision,) = Replayer(type("R", (Returns,), {"value": [raw]})).replay(SAVED)
    assert isinstance(decision, Decision) and decision == raw


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("decider", [object(), int, "swf.demo:DemoDecider", None])
def test_not_a_decider(decider: Any) -> None:
    with pytest.raises(InvalidTypeError) as info:
        Replayer(decider)
    assert info.value.argument == "decider"


class NeedsMore(Recorded):
    def __init__(self, domain: Any, task_list: Any, extra: Any, **kwargs: Any) -> None:
        super().__init__(domain, task_list, **kwargs)


def test_a_class_with_another_constructor_asks_for_an_instance() -> None:
    with pytest.raises(InvalidTypeError, match="pass an instance to Replayer instead"):
        Replayer(NeedsMore).replay(SAVED)
    instance = NeedsMore("d", "deciders", "x", client=Connection(object()))
    assert len(Replayer(instance).replay(SAVED)) == 2


@pytest.mark.parametrize("upto", ["3", 2.5, True])
def test_upto_must_be_an_int(upto: Any) -> None:
    with pytest.raises(InvalidTypeError, match="upto_event_id"):
        Replayer(Recorded).replay(SAVED, upto_event_id=upto)


def test_upto_before_any_decision_task() -> None:
    with pytest.raises(ValidationError, match="no decision task started at or before event 2"):
        Replayer(Recorded).replay(SAVED, upto_event_id=2)


def test_history_without_decision_task_or_start() -> None:
    with pytest.raises(ValidationError, match="no decision task started in the history"):
        Replayer(Recorded).replay(HistoryBuilder().history())
    with pytest.raises(ValidationError, match="does not begin with WorkflowExecutionStarted"):
        Replayer(Recorded).replay(History.from_json(SAVED)[3:])


@pytest.mark.parametrize("source", ["{not json", '{"events": 3}', 42])
def test_unreadable_history(source: Any) -> None:
    with pytest.raises((InvalidHistoryError, InvalidTypeError)):
        Replayer(Recorded).replay(source)


def test_workflow_id_must_be_a_string() -> None:
    with pytest.raises(InvalidTypeError, match="workflow_id"):
        Replayer(Recorded, workflow_id="")


# -- every decision type, from builder histories ----------------------------------------------


def _raw(decision_type: str, **attributes: Any) -> Decision:
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    return Decision.from_api({"decisionType": decision_type, key: attributes})


class Scripted(Decider):
    """Returns the decisions scripted for each DecisionTaskStarted event id."""

    script: ClassVar[dict[int, list[Decision]]] = {}

    def decide(self, task: DecisionTask) -> list[Any]:
        return self.script.get(task.started_event_id, [])


def _scripted(script: dict[int, list[Decision]]) -> type[Scripted]:
    return type("S", (Scripted,), {"script": script})


def _every_type() -> tuple[History, dict[int, list[Decision]]]:
    """A builder history whose decision tasks record each of the 13 decision types."""
    act = {"name": "activity", "version": "1"}
    b = HistoryBuilder(input="{}").decision()  # events 2, 3, 4
    b.schedule_activity("a1", input="x", control="c")
    b.schedule_activity_failed("a2")
    b.start_timer("t1", 30)
    b.record_marker("m", details="d")
    b.record_marker_failed("m2")
    b.start_child("child-1", input="ci")
    b.signal_external("other", "sig", run_id="r1", input="si")
    b.request_cancel_external("other2")
    b.schedule_lambda("l1", input="li")
    b.schedule_lambda_failed("l2")
    first = [
        _raw("ScheduleActivityTask", activityId="a1", activityType=act, input="x", control="c"),
        # the failure event records only the ids: the input is not compared
        _raw("ScheduleActivityTask", activityId="a2", activityType=act, input="whatever"),
        _raw("StartTimer", timerId="t1", startToFireTimeout="30"),
        _raw("RecordMarker", markerName="m", details="d"),
        _raw("RecordMarker", markerName="m2", details="lost"),
        _raw(
            "StartChildWorkflowExecution",
            workflowId="child-1",
            workflowType={"name": "child", "version": "1"},
            input="ci",
        ),
        _raw(
            "SignalExternalWorkflowExecution",
            workflowId="other",
            runId="r1",
            signalName="sig",
            input="si",
        ),
        _raw("RequestCancelExternalWorkflowExecution", workflowId="other2"),
        _raw("ScheduleLambdaFunction", id="l1", name="function", input="li"),
        _raw("ScheduleLambdaFunction", id="l2", name="function"),
    ]
    b.signal_external_failed("other")  # an outcome of the initiated signal, not a decision
    b.decision()
    second_started = b.last_event_id - 1
    b.request_cancel_activity("a1")
    b.cancel_timer("t1")
    b.request_cancel_activity_failed("zz")
    b.cancel_timer_failed("t9")
    second = [
        _raw("RequestCancelActivityTask", activityId="a1"),
        _raw("CancelTimer", timerId="t1"),
        _raw("RequestCancelActivityTask", activityId="zz"),
        _raw("CancelTimer", timerId="t9"),
    ]
    b.decision()
    third_started = b.last_event_id - 1
    b.continue_as_new(input="next")
    third = [_raw("ContinueAsNewWorkflowExecution", input="next", workflowTypeVersion="1")]
    return b.history(), {3: first, second_started: second, third_started: third}


def test_every_decision_type_is_recognised_in_builder_histories() -> None:
    history, script = _every_type()
    report = Replayer(_scripted(script)).check(history)
    assert report.ok, str(report)
    assert len(report.decision_tasks) == 3
    recorded = recorded_decisions(history)
    kinds = {key.decision_type for keys in recorded.values() for key in keys}
    assert len(kinds) == 10  # all but Complete/Fail/Cancel workflow, tested below
    assert "SignalExternalWorkflowExecutionFailed" not in {
        key.event_type for keys in recorded.values() for key in keys
    }


@pytest.mark.parametrize(
    ("close", "decision", "wrong"),
    [
        (
            lambda b: b.complete(result="r"),
            _raw("CompleteWorkflowExecution", result="r"),
            _raw("CompleteWorkflowExecution", result="r2"),
        ),
        (
            lambda b: b.fail(reason="why", details="d"),
            _raw("FailWorkflowExecution", reason="why", details="d"),
            _raw("FailWorkflowExecution", reason="why"),
        ),
        (
            lambda b: b.cancel(details="d"),
            _raw("CancelWorkflowExecution", details="d"),
            _raw("CompleteWorkflowExecution"),
        ),
        (
            lambda b: b.close_failed("complete"),
            _raw("CompleteWorkflowExecution", result="anything"),
            _raw("FailWorkflowExecution", reason="x"),
        ),
    ],
)
def test_closing_decisions(close: Any, decision: Decision, wrong: Decision) -> None:
    builder = HistoryBuilder(input="{}").decision()
    close(builder)
    history = builder.history()
    assert Replayer(_scripted({3: [decision]})).check(history).ok
    (mismatch,) = Replayer(_scripted({3: [wrong]})).check(history)
    assert mismatch.event_id == 5
    assert mismatch.got == DecisionKey.from_decision(wrong)


def test_timed_out_decision_tasks_are_not_replayed() -> None:
    builder = HistoryBuilder(input="{}").decision_timed_out().decision()
    builder.start_timer("t", 5)
    history = builder.history()
    # 1 started, 2 scheduled, 3 started, 4 timed out, 5 scheduled, 6 started, 7 completed
    script = {6: [_raw("StartTimer", timerId="t", startToFireTimeout="5")]}
    report = Replayer(_scripted(script)).check(history)
    assert report.ok and report.decision_tasks == (7,)
    task = Replayer(Recorded).task(history)
    assert task.previous_started_event_id is None  # the timed-out task was never processed


def test_a_deterministic_decider_of_a_long_builder_history() -> None:
    builder = HistoryBuilder(input="{}").decision()
    script: dict[int, list[Decision]] = {}
    for n in range(30):
        started = builder.last_event_id - 1
        builder.schedule_activity(f"a{n}", input=str(n))
        script[started] = [
            _raw(
                "ScheduleActivityTask",
                activityId=f"a{n}",
                activityType={"name": "activity", "version": "1"},
                input=str(n),
            )
        ]
        builder.start_activity(f"a{n}").complete_activity(f"a{n}", result="ok").decision()
    report = Replayer(_scripted(script)).check(builder.history())
    assert report.ok and len(report.decision_tasks) == 31


def test_tables_cover_the_13_decision_types() -> None:
    assert len(KEY_FIELDS) == 13
    assert {decision for decision, _ in RECORDING_EVENTS.values()} == set(KEY_FIELDS)


def test_key_normalisation_empty_strings_and_partial_events() -> None:
    full = DecisionKey.from_decision(_raw("CompleteWorkflowExecution", result=""))
    assert full.attributes == {}
    recorded = DecisionKey("RecordMarker", {"markerName": "m"}, compared=("markerName",))
    assert recorded.matches(DecisionKey("RecordMarker", {"markerName": "m", "details": "x"}))
    assert not recorded.matches(DecisionKey("RecordMarker", {"markerName": "n"}))
    assert not recorded.matches(DecisionKey("StartTimer", {"markerName": "m"}))
    assert (
        str(Mismatch(5, None, recorded, 5))
        == "event 5: expected nothing, got RecordMarker(markerName='m')"
    )


def test_the_offline_connection_refuses_clients_and_pages() -> None:
    replayer = Replayer(Recorded)
    assert repr(replayer.connection) == "<Connection offline (replay)>"
    assert repr(replayer).startswith("<Replayer ") and repr(replayer).endswith(".Recorded>")
    with pytest.raises(ReplayError, match="a boto3 client"):
        _ = replayer.connection.client
    with pytest.raises(ReplayError, match="ListDomains"):
        replayer.connection.paginate("ListDomains", registrationStatus="REGISTERED")
    assert replayer.connection.calls == {"ListDomains": 1}


def test_check_refuses_more_than_100_decisions_as_the_live_decider_does() -> None:
    many = [TimerDecision.start(f"t{n}", start_to_fire_timeout=1) for n in range(101)]
    decider = type("R", (Returns,), {"value": many})
    with pytest.raises(ReplayError, match="101 decisions in one response") as info:
        Replayer(decider).check(SAVED)
    assert isinstance(info.value.__cause__, InvalidDecisionError)
    with pytest.raises(InvalidDecisionError, match="101 decisions"):
        Decider.complete(decider("d", "l"), "token", many)  # the live path, nothing sent
