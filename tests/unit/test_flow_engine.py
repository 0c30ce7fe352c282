"""The engine (swf.flow.engine.decide) on histories written as SWF writes them.

Each test drives one execution through flowtools.Driver: the engine decides, the history
writer applies the decisions as SWF would, and the test reports the outcomes it wants.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flowapp import BasicWorkflow, double, increment, lookup, square
from flowtools import Driver

from swf.flow import (
    ActivityFailed,
    ActivityTimedOut,
    NondeterminismError,
    PayloadTooLargeError,
    Workflow,
    activity,
    futures,
)
from swf.flow.engine import WAKE_UP_TIMER, EngineOptions, fingerprint
from swf.models.decision import DecisionType


def attrs_of(decision: Any) -> Any:
    return decision.attributes


# -- the seed example, step by step ---------------------------------------------------------------


def test_the_seed_example_binds_each_call_to_its_history() -> None:
    run = Driver(BasicWorkflow, 1, 5)
    (schedule,) = run.decide()
    attributes = attrs_of(schedule)
    assert attributes["activityId"] == "flowapp.increment-1"
    assert attributes["activityType"] == {"name": "flowapp.increment", "version": "example"}
    assert json.loads(attributes["input"]) == {"args": [1], "kwargs": {}}
    assert attributes["taskList"] == {"name": "quickstart"}
    expected = fingerprint("activity", "flowapp.increment", "example", attributes["input"])
    assert json.loads(attributes["control"]) == {"swf.flow": expected}

    run.complete("flowapp.increment-1", 2)
    second = run.decide()  # y is done: Delay(5, 2) and double(2), in call order
    assert [attrs_of(d)["activityId"] for d in second] == ["flowapp.Delay-1", "flowapp.double-1"]
    assert json.loads(attrs_of(second[0])["input"])["args"] == [5, 2]

    run.complete("flowapp.double-1", 4)
    assert run.decide() == []  # waits for Delay
    run.complete("flowapp.Delay-1", 2)
    (close,) = run.decide()
    assert close.decision_type is DecisionType.COMPLETE_WORKFLOW_EXECUTION
    assert attrs_of(close)["result"] == "4"
    assert run.history.compiled.workflow.state == "completed"


def test_an_argument_that_failed_fails_the_task_that_waited_for_it() -> None:
    class Chain(Workflow):
        def run(self) -> Any:
            y = self.submit(increment, 1)
            return self.submit(double, y).result

    run = Driver(Chain)
    run.decide()
    run.fail("flowapp.increment-1", KeyError("k"))
    (close,) = run.decide()
    assert close.decision_type is DecisionType.FAIL_WORKFLOW_EXECUTION
    reason = attrs_of(close)["reason"]
    assert "'flowapp.increment-1' (flowapp.increment) failed" in reason
    assert "flowapp.double" not in json.dumps(run.answers)  # never scheduled


# -- failures, timeouts, retries ------------------------------------------------------------------


def test_failure_details_carry_the_type_and_a_non_retryable_one_is_final() -> None:
    run = Driver(_single(double))
    run.decide()
    run.fail("flowapp.double-1", ValueError("no"))
    (close,) = run.decide()
    details = json.loads(attrs_of(close)["details"])
    assert details["type"] == "swf.flow.errors.ActivityFailed"
    assert "builtins.ValueError: no" in attrs_of(close)["reason"]


def test_retries_wait_their_backoff_then_reuse_the_activity_id() -> None:
    run = Driver(_single(double))  # max_attempts=3, initial 1 s, backoff 2
    run.decide()
    run.fail("flowapp.double-1", RuntimeError("first"))
    (timer,) = run.decide()
    assert timer.decision_type is DecisionType.START_TIMER
    assert attrs_of(timer)["startToFireTimeout"] == "1"
    timer_id = attrs_of(timer)["timerId"]
    run.fire(timer_id)
    (again,) = run.decide()
    assert attrs_of(again)["activityId"] == "flowapp.double-1"
    run.time_out("flowapp.double-1")
    (second_timer,) = run.decide()
    assert attrs_of(second_timer)["startToFireTimeout"] == "2"
    run.fire(attrs_of(second_timer)["timerId"])
    run.decide()
    run.complete("flowapp.double-1", 8)
    (close,) = run.decide()
    assert attrs_of(close)["result"] == "8"
    record = run.history.compiled.activities["flowapp.double-1"]
    assert (record.attempts, [t.state for t in record.tries]) == (3, ["failed", "timed_out"])


def test_attempts_run_out_with_the_last_error() -> None:
    quick = activity(name="quick", retry=1)(lambda: None)

    class Once(Workflow):
        def run(self) -> Any:
            return self.submit(quick).result

    run = Driver(Once)
    run.decide()
    run.time_out("quick-1", "HEARTBEAT")
    (again,) = run.decide()  # interval 0: at once
    assert again.decision_type is DecisionType.SCHEDULE_ACTIVITY_TASK
    run.time_out("quick-1", "SCHEDULE_TO_START")
    (close,) = run.decide()
    assert attrs_of(close)["reason"] == (
        "activity 'quick-1' (quick) timed out (SCHEDULE_TO_START) after 2 attempts"
    )


def test_errors_raised_at_result_say_what_happened() -> None:
    seen: list[BaseException] = []

    class Catches(Workflow):
        def run(self) -> Any:
            for future in (self.submit(square, 1), self.submit(square, 2)):
                try:
                    _ = future.result
                except Exception as exc:
                    seen.append(exc)
            return len(seen)

    run = Driver(Catches)
    run.decide()
    run.fail("flowapp.square-1", TypeError("t"))
    run.time_out("flowapp.square-2", "START_TO_CLOSE")
    run.decide()
    failed, timed_out = seen[-2:]
    assert isinstance(failed, ActivityFailed) and failed.error_type == "builtins.TypeError"
    assert (failed.activity_id, failed.name, failed.attempts) == (
        "flowapp.square-1",
        "flowapp.square",
        1,
    )
    assert isinstance(timed_out, ActivityTimedOut) and timed_out.timeout_type == "START_TO_CLOSE"


# -- ids ------------------------------------------------------------------------------------------


def test_ids_count_per_activity_and_idempotent_ones_hash_the_input() -> None:
    class Ids(Workflow):
        def run(self) -> Any:
            first = self.submit(lookup, "a")
            again = self.submit(lookup, "a")  # the same input: the same future
            self.submit(square, 1)
            self.submit(square, 2)
            self.submit(square.options(id="the-square"), 3)
            self.submit(lookup, "b")
            return first is again

    run = Driver(Ids)
    decisions = run.decide()
    ids = [attrs_of(d)["activityId"] for d in decisions[:-1]]
    assert attrs_of(decisions[-1])["result"] == "true"  # the same future, twice
    assert ids[1:4] == ["flowapp.square-1", "flowapp.square-2", "the-square"]
    assert ids[0].startswith("flowapp.lookup-") and ids[4].startswith("flowapp.lookup-")
    assert ids[0] != ids[4] and len(ids) == 5


def test_long_names_keep_ids_within_256_characters() -> None:
    long = activity(name="n" * 256)(lambda: None)

    class Long(Workflow):
        def run(self) -> None:
            self.submit(long)

    decision, close = Driver(Long).decide()  # run() returns at once: scheduled, completed
    assert len(attrs_of(decision)["activityId"]) <= 256
    assert close.decision_type is DecisionType.COMPLETE_WORKFLOW_EXECUTION


# -- markers, side effects, time ------------------------------------------------------------------


def test_side_effects_run_once_and_markers_are_recorded_once() -> None:
    calls: list[int] = []

    def roll() -> int:
        calls.append(1)
        return 4

    class Marks(Workflow):
        def run(self) -> Any:
            value = self.side_effect(roll)
            self.record_marker("seen", {"value": value})
            futures.wait(self.submit(square, value))
            return [value, [m.details for m in self.markers()]]

    run = Driver(Marks)
    first = run.decide()
    assert [d.decision_type for d in first] == [
        DecisionType.RECORD_MARKER,
        DecisionType.RECORD_MARKER,
        DecisionType.SCHEDULE_ACTIVITY_TASK,
    ]
    run.complete("flowapp.square-1", 16)
    (close,) = run.decide()
    assert json.loads(attrs_of(close)["result"]) == [4, [{"value": 4}]]
    assert calls == [1]  # the replay read the marker


def test_now_and_is_replaying_follow_the_decision_task_that_first_ran_the_code() -> None:
    seen: list[Any] = []

    class Clock(Workflow):
        def run(self) -> None:
            seen.append(("start", self.now(), self.info.is_replaying))
            futures.wait(self.sleep(30))
            seen.append(("after", self.now(), self.info.is_replaying))
            futures.wait(self.sleep(30))

    run = Driver(Clock)
    run.decide()
    run.fire("sleep-1")
    run.decide()
    first_start, replayed_start, after = seen[0], seen[1], seen[2]
    assert first_start[2] is False and replayed_start[2] is True
    assert replayed_start[1] == first_start[1]  # the same time on replay
    assert after[2] is False and after[1] > first_start[1]


def test_first_completed_returns_the_same_set_on_every_replay() -> None:
    picked: list[list[str]] = []

    class Race(Workflow):
        def run(self) -> None:
            a, b = self.submit(square, 1), self.submit(square, 2)
            done = futures.wait(a, b, return_when=futures.FIRST_COMPLETED)
            picked.append([future.id for future in done])
            futures.wait(self.sleep(1))

    run = Driver(Race)
    run.decide()
    run.complete("flowapp.square-2", 4)
    run.decide()
    run.complete("flowapp.square-1", 1)
    run.decide()  # both done now: the replay must still pick square-2 alone
    assert picked == [["flowapp.square-2"], ["flowapp.square-2"]]


# -- SWF's limits ---------------------------------------------------------------------------------


def test_250_ready_activities_go_out_100_decisions_at_most_per_answer() -> None:
    run = Driver(_fan_out(250))
    counts = []
    while True:
        decisions = run.decide()
        counts.append(len(decisions))
        wake = [d for d in decisions if d.decision_type is DecisionType.START_TIMER]
        if not wake:
            break
        assert attrs_of(wake[0])["timerId"].startswith(WAKE_UP_TIMER)
        run.fire(attrs_of(wake[0])["timerId"])
    assert counts == [100, 100, 52]  # 99 and a wake-up timer, twice, then the last 52
    assert len(run.history.compiled.activities) == 250
    for event in run.history:
        if event.event_type == "DecisionTaskCompleted":
            made = [
                e
                for e in run.history
                if e.attributes.get("decisionTaskCompletedEventId") == event.id
            ]
            assert len(made) <= 100


def test_max_open_activities_is_never_exceeded() -> None:
    run = Driver(_fan_out(50, limit=20))
    most = 0
    while not run.history.finished:
        run.decide()
        open_ = run.history.compiled.open_activities
        most = max(most, len(open_))
        for record in open_[:7]:
            run.complete(record.activity_id, 1)
    assert most == 20
    assert run.history.compiled.workflow.result == "50"


def test_an_input_over_32_kb_is_refused_naming_the_task() -> None:
    class Big(Workflow):
        def run(self) -> None:
            self.submit(square, "x" * 40_000)

    (close,) = Driver(Big).decide()
    assert close.decision_type is DecisionType.FAIL_WORKFLOW_EXECUTION
    assert "the input of activity 'flowapp.square-1'" in attrs_of(close)["reason"]
    assert "PayloadTooLargeError" in attrs_of(close)["reason"]
    assert issubclass(PayloadTooLargeError, ValueError)


def test_a_task_list_override_reaches_every_activity() -> None:
    (decision,) = Driver(
        BasicWorkflow, 1, options=EngineOptions(activity_task_list="mine")
    ).decide()
    assert attrs_of(decision)["taskList"] == {"name": "mine"}


# -- determinism ----------------------------------------------------------------------------------


def test_a_changed_input_is_a_nondeterminism_error_naming_both_calls() -> None:
    run = Driver(_single(square, 2))
    run.decide()
    run.workflow = _single(square, 3)  # a deployment changed the code
    with pytest.raises(NondeterminismError) as info:
        run.decide()
    error = info.value
    assert (error.task_id, error.event_id) == ("flowapp.square-1", 5)
    assert '"args":[2]' in (error.recorded or "") and '"args":[3]' in (error.replayed or "")


def test_a_changed_activity_under_the_same_id_is_caught() -> None:
    run = Driver(_single(square, 2))
    run.decide()
    run.workflow = _single(square.options(version="2"), 2)
    with pytest.raises(NondeterminismError, match="flowapp.square/2"):
        run.decide()


def test_history_no_call_claims_is_an_error_or_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    run = Driver(_single(square, 2))
    run.decide()

    class Nothing(Workflow):
        def run(self) -> None:
            self.sleep(5)

    run.workflow = Nothing
    with pytest.raises(NondeterminismError, match="activity 'flowapp.square-1' .event 5."):
        run.decide()
    run.workflow = type("Lenient", (Nothing,), {"ignore_unclaimed_history": True})
    timer, close = run.decide()
    assert timer.decision_type is DecisionType.START_TIMER
    assert close.decision_type is DecisionType.COMPLETE_WORKFLOW_EXECUTION
    assert "no call of Lenient.run() makes" in caplog.text


def test_user_code_cannot_swallow_the_suspension_or_a_nondeterminism_error() -> None:
    class Swallows(Workflow):
        def run(self) -> str:
            try:
                futures.wait(self.submit(square, 2))
            except Exception:
                return "swallowed"
            return "done"

    run = Driver(Swallows)
    assert run.decide()[0].decision_type is DecisionType.SCHEDULE_ACTIVITY_TASK
    run.workflow = type("Changed", (Swallows,), {"run": lambda self: _swallow(self)})
    with pytest.raises(NondeterminismError):
        run.decide()


def _swallow(workflow: Workflow) -> str:
    try:
        futures.wait(workflow.submit(square, 3))
    except Exception:
        return "swallowed"
    return "done"


# -- helpers --------------------------------------------------------------------------------------


def _single(task: Any, *args: Any) -> type[Workflow]:
    arguments = args or (2,)

    class Single(Workflow):
        def run(self) -> Any:
            return self.submit(task, *arguments).result

    return Single


def _fan_out(n: int, limit: int = 1000) -> type[Workflow]:
    class Fan(Workflow):
        max_open_activities = limit

        def run(self) -> Any:
            return len(futures.wait(*self.map(square, range(n))))

    return Fan
