"""run_local: the workflow layer with no SWF, in virtual time, writing SWF's history."""

from __future__ import annotations

import io
import json

import flowapp
import pytest

from swf.flow import (
    NondeterminismError,
    Workflow,
    WorkflowFailed,
    WorkflowTimedOut,
    activity,
    futures,
    run_local,
)
from swf.models.history import History
from swf.replay import Replayer, ReplayError


def test_the_seed_example_prints_once_and_returns_its_result() -> None:
    out = io.StringIO()
    run = run_local(flowapp.BasicWorkflow, 1, 0, stdout=out)
    assert (run.result, run.status) == (4, "COMPLETED")
    assert out.getvalue() == "(1 + 1) * 2 = 4\n"  # once: the replays do not print
    history = run.history
    assert History.from_json(history.to_json()).compiled.workflow.state == "completed"
    activities = history.compiled.activities
    assert sorted(activities) == ["flowapp.Delay-1", "flowapp.double-1", "flowapp.increment-1"]
    assert all(record.state == "completed" for record in activities.values())
    assert Replayer(flowapp.BasicWorkflow).check(history).ok


def test_a_fan_out_runs_every_activity_once() -> None:
    run = run_local(flowapp.FanOut, 50)
    assert run.result == sum(n * n for n in range(50))
    assert len(run.history.compiled.activities) == 50
    assert Replayer(flowapp.FanOut).check(run.history).ok


def test_retries_back_off_in_virtual_time() -> None:
    flowapp.FLAKY_CALLS.pop("virtual", None)
    run = run_local(flowapp.Retrying, "virtual", 2)
    assert run.result == "virtual ok after 3"
    record = run.history.compiled.activities["flowapp.flaky-1"]
    assert [t.state for t in record.tries] == ["failed", "failed"] and record.attempts == 3
    timers = run.history.compiled.timers
    assert [t.start_to_fire_timeout for t in timers.values()] == ["5", "10"]
    elapsed = run.history.last.timestamp - run.history.first.timestamp
    assert elapsed.total_seconds() >= 15  # the backoffs, on the virtual clock


def test_an_hour_of_sleep_is_an_hour_of_virtual_time() -> None:
    run = run_local(flowapp.Sleeper, 3600)
    assert run.result == "slept 3600"
    fired = run.history.filter(type="TimerFired").first
    started = run.history.filter(type="TimerStarted").first
    assert (fired.timestamp - started.timestamp).total_seconds() == 3600


def test_side_effects_and_markers_survive_replay() -> None:
    run = run_local(flowapp.SideEffects)
    result = run.result
    assert result["squared"] == result["dice"] ** 2 and result["markers"] == [
        {"dice": result["dice"]}
    ]
    values = [
        json.loads(m.details)["value"] for m in run.history.compiled.markers["swf.side-effect"]
    ]
    assert values == [result["token"], result["dice"]]
    assert Replayer(flowapp.SideEffects).check(run.history).ok


def test_a_failure_that_escapes_fails_the_workflow_naming_the_task() -> None:
    run = run_local(flowapp.Failing)
    assert run.status == "FAILED"
    with pytest.raises(
        WorkflowFailed, match="'flowapp.refuses-1' .flowapp.refuses. failed"
    ) as info:
        _ = run.result
    assert "after 6 attempts" in str(info.value) and "bad value 3" in (info.value.reason or "")
    assert json.loads(info.value.details or "{}")["type"] == "swf.flow.errors.ActivityFailed"


def test_non_retryable_errors_are_final_and_catchable() -> None:
    run = run_local(flowapp.Caught)
    assert run.result == "caught ActivityFailed: builtins.ValueError"
    assert run.history.compiled.activities["flowapp.refuses_once-1"].attempts == 1


def test_an_activity_nobody_defined_is_refused_as_swf_refuses_an_unregistered_type() -> None:
    ghost = activity(name="ghost")(lambda: 1)

    class Haunted(Workflow):
        def run(self) -> int:
            return int(self.submit(ghost).result)

    run = run_local(Haunted, activities=[flowapp.square])
    failed = run.history.filter(type="ScheduleActivityTaskFailed").first
    assert failed.attributes["cause"] == "ACTIVITY_TYPE_DOES_NOT_EXIST"
    with pytest.raises(WorkflowFailed, match="ACTIVITY_TYPE_DOES_NOT_EXIST"):
        _ = run.result


def test_a_workflow_waiting_past_its_timeout_times_out() -> None:
    class Slow(Workflow):
        execution_timeout = 60

        def run(self) -> None:
            futures.wait(self.sleep(3600))

    run = run_local(Slow)
    assert run.status == "TIMED_OUT"
    with pytest.raises(WorkflowTimedOut):
        _ = run.result
    assert run.history.last.event_type == "WorkflowExecutionTimedOut"


def test_replay_of_changed_code_reports_a_mismatch_or_the_nondeterminism() -> None:
    run = run_local(flowapp.FanOut, 3)

    class More(flowapp.FanOut):  # one more call: the first decision task differs
        name = flowapp.FanOut.type_name()

        def run(self, n: int) -> int:
            return sum(futures.wait(*self.map(flowapp.square, range(n + 1))))

    report = Replayer(More).check(run.history)
    assert not report.ok
    assert report.mismatches[0].got is not None and report.mismatches[0].expected is None

    class Other(flowapp.FanOut):  # other inputs under the recorded ids
        name = flowapp.FanOut.type_name()

        def run(self, n: int) -> int:
            return sum(futures.wait(*self.map(flowapp.square, range(1, n + 1))))

    with pytest.raises(ReplayError) as info:
        Replayer(Other).check(run.history)
    assert isinstance(info.value.__cause__, NondeterminismError)
    assert info.value.__cause__.task_id == "flowapp.square-1"
