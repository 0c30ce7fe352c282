"""Layer II in the engine, on histories written as SWF writes them, outcome by outcome:
the failure paths, and what each replay must decide the same way."""

from __future__ import annotations

import json
from typing import Any

import flowapp
import pytest
from flowtools import Driver

from swf.flow import (
    ChildWorkflowFailed,
    FlowError,
    NondeterminismError,
    Workflow,
    futures,
    run_local,
)
from swf.flow.encoding import encode_input
from swf.replay import Replayer


def attributes(decision: Any) -> dict[str, Any]:
    return next(value for key, value in decision.items() if key.endswith("Attributes"))


# -- children ------------------------------------------------------------------------------------


def test_a_child_start_refused_by_swf_fails_its_future_without_retry() -> None:
    driver = Driver(flowapp.ParentOfFlaky, "k", 0)
    assert driver.decide()[0]["decisionType"] == "StartChildWorkflowExecution"
    driver.writer.start_child_failed("flaky-k", "WORKFLOW_ALREADY_RUNNING")
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["FailWorkflowExecution"]
    reason = attributes(decisions[0])["reason"]
    assert reason == (
        "child workflow 'flaky-k' (flowapp.FlakyChild) could not start: WORKFLOW_ALREADY_RUNNING"
    )


def test_a_failed_child_is_retried_after_its_backoff_with_the_same_id() -> None:
    driver = Driver(flowapp.ParentOfFlaky, "k", 1)
    driver.decide()
    driver.writer.child_started("flaky-k", "run-a")
    driver.decide()
    driver.writer.child_closed("flaky-k", "failed", reason="boom", details=None)
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["StartTimer"]
    assert attributes(decisions[0])["timerId"] == "swf.retry-1-flaky-k"
    driver.fire("swf.retry-1-flaky-k")
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["StartChildWorkflowExecution"]
    assert attributes(decisions[0])["workflowId"] == "flaky-k"


def test_a_child_of_another_type_under_a_recorded_id_is_nondeterminism() -> None:
    class Before(Workflow):
        name = "before"

        def run(self) -> Any:
            return self.child(flowapp.Child, 1, workflow_id="c").result

    class After(Workflow):
        name = "before"

        def run(self) -> Any:
            return self.child(flowapp.FailingChild, workflow_id="c").result

    driver = Driver(Before)
    driver.decide()
    driver.workflow = After
    with pytest.raises(NondeterminismError, match="child 'c'"):
        driver.decide()


def test_default_child_ids_follow_the_parent_and_stay_within_256() -> None:
    class LongParent(Workflow):
        def run(self) -> Any:
            return sum(futures.wait(*(self.submit(flowapp.Child, i) for i in range(2))))

    driver = Driver(LongParent)
    ids = [attributes(d)["workflowId"] for d in driver.decide()]
    assert ids == ["wf-1-flowapp.Child-1", "wf-1-flowapp.Child-2"]
    long_id = "w" * 250
    run = run_local(flowapp.Parent, 1, workflow_id=long_id)
    (child_id,) = run.history.compiled.child_workflows
    assert len(child_id) <= 256 and child_id.startswith("w" * 100)


# -- signals ---------------------------------------------------------------------------------------


def test_a_wait_whose_signal_came_cancels_its_timer_once() -> None:
    class Waits(Workflow):
        def run(self) -> Any:
            return self.wait_signal("go", timeout=60).result

    driver = Driver(Waits)
    assert [d["decisionType"] for d in driver.decide()] == ["StartTimer"]
    driver.writer.signal("go", encode_input([7], {}, "input"))
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["CancelTimer", "CompleteWorkflowExecution"]
    assert attributes(decisions[1])["result"] == "7"


def test_signal_values_read_arguments_as_sent() -> None:
    class Reads(Workflow):
        def run(self) -> Any:
            return [self.wait_signal("s").result for _ in range(4)]

    driver = Driver(Reads)
    driver.decide()
    for text in (
        encode_input([1, 2], {}, "x"),
        encode_input([], {"k": 1}, "x"),
        encode_input([1], {"k": 1}, "x"),
        "raw text is not JSON",
    ):
        driver.writer.signal("s", text)
    (decision,) = driver.decide()
    assert json.loads(attributes(decision)["result"]) == [
        [1, 2],
        {"k": 1},
        {"args": [1], "kwargs": {"k": 1}},
        "raw text is not JSON",  # what swf execution signal --input sends
    ]


def test_signals_lists_only_what_the_first_run_of_this_point_knew() -> None:
    class Lists(Workflow):
        def run(self) -> Any:
            before = self.signals("s")
            futures.wait(self.sleep(10))
            return [before, self.signals("s")]

    driver = Driver(Lists)
    driver.decide()
    driver.writer.signal("s", encode_input(["a"], {}, "x"))
    driver.decide()
    driver.fire("sleep-1")
    assert json.loads(attributes(driver.decide()[0])["result"]) == [[], ["a"]]


# -- cancellation ----------------------------------------------------------------------------------


def test_cancel_of_a_closed_activity_returns_false_and_decides_nothing() -> None:
    seen: list[bool] = []

    class Cancels(Workflow):
        def run(self) -> Any:
            job = self.submit(flowapp.square, 3)
            futures.wait(job)
            seen.append(job.cancel())
            return job.result

    driver = Driver(Cancels)
    driver.decide()
    driver.complete("flowapp.square-1", 9)
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["CompleteWorkflowExecution"]
    assert seen == [False]


def test_cancel_of_an_open_activity_is_requested_once() -> None:
    class Cancels(Workflow):
        def run(self) -> Any:
            job = self.submit(flowapp.square, 3)
            futures.wait(self.sleep(5))
            job.cancel()
            return job.result

    driver = Driver(Cancels)
    driver.decide()
    driver.start("flowapp.square-1").fire("sleep-1")
    assert driver.types() == ["ScheduleActivityTask", "StartTimer"]
    assert [d["decisionType"] for d in driver.decide()] == ["RequestCancelActivityTask"]
    driver.writer.signal("noise")
    assert driver.decide() == []  # asked already: the history says so
    driver.writer.cancel_activity("flowapp.square-1", "stopped")
    decisions = driver.decide()
    assert decisions[0]["decisionType"] == "FailWorkflowExecution"
    assert "was canceled" in attributes(decisions[0])["reason"]


def test_a_task_canceled_before_it_was_scheduled_is_never_scheduled() -> None:
    class TakesBack(Workflow):
        def run(self) -> Any:
            job = self.submit(flowapp.square, 3)
            job.cancel()
            return job.state

    driver = Driver(TakesBack)
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["CompleteWorkflowExecution"]
    assert attributes(decisions[0])["result"] == '"canceled"'


def test_a_cancel_request_reaches_run_at_its_next_wait() -> None:
    driver = Driver(flowapp.Patient)
    assert [d["decisionType"] for d in driver.decide()] == ["StartTimer"]
    driver.writer.cancel_requested()
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["CancelTimer", "CancelWorkflowExecution"]


def test_a_request_after_the_work_is_done_lets_the_run_complete() -> None:
    class Quick(Workflow):
        def run(self) -> Any:
            return self.submit(flowapp.square, 2).result

    driver = Driver(Quick)
    driver.decide()
    driver.complete("flowapp.square-1", 4)
    driver.writer.cancel_requested()
    assert [d["decisionType"] for d in driver.decide()] == ["CompleteWorkflowExecution"]


# -- continue-as-new, versions, async ------------------------------------------------------------


def test_continue_as_new_keeps_the_task_list_tags_and_version() -> None:
    class Loops(Workflow):
        version = "7"
        tag_list = ("a",)

        def run(self, n: int) -> Any:
            self.continue_as_new(n + 1)

    driver = Driver(Loops, 1)
    (decision,) = driver.decide()
    found = attributes(decision)
    assert decision["decisionType"] == "ContinueAsNewWorkflowExecution"
    assert found["input"] == '{"args":[2],"kwargs":{}}'
    assert (found["taskList"], found["workflowTypeVersion"]) == ({"name": "deciders"}, "7")


def test_patched_is_false_where_the_old_code_ran() -> None:
    class Old(Workflow):
        name = "evolving"

        def run(self) -> Any:
            first = self.submit(flowapp.increment, 1)
            futures.wait(first)
            return self.submit(flowapp.increment, first.result).result

    class New(Workflow):
        name = "evolving"

        def run(self) -> Any:
            first = self.submit(flowapp.increment, 1)
            futures.wait(first)
            if self.patched("square-second"):
                return self.submit(flowapp.square, first.result).result
            return self.submit(flowapp.increment, first.result).result

    driver = Driver(Old)
    driver.decide()
    driver.complete("flowapp.increment-1", 2)
    driver.decide()  # the old code scheduled increment-2
    driver.workflow = New
    driver.complete("flowapp.increment-2", 3)
    decisions = driver.decide()
    assert [d["decisionType"] for d in decisions] == ["CompleteWorkflowExecution"]
    fresh = run_local(New)
    assert fresh.result == 4 and "swf.patch" in fresh.history.compiled.markers


def test_an_async_run_may_not_read_a_result_it_did_not_await() -> None:
    class Reads(Workflow):
        async def run(self) -> Any:
            return self.submit(flowapp.square, 2).result

    decisions = Driver(Reads).decide()
    assert decisions[-1]["decisionType"] == "FailWorkflowExecution"
    assert "await it" in attributes(decisions[-1])["reason"]


def test_spawn_needs_an_async_run() -> None:
    class Spawns(Workflow):
        def run(self) -> Any:
            async def branch() -> int:
                return 1

            return self.spawn(branch())

    decisions = Driver(Spawns).decide()
    assert "need an async def run()" in attributes(decisions[-1])["reason"]


def test_async_branches_replay_in_the_order_they_first_ran() -> None:
    run = run_local(flowapp.AsyncFanIn, 4)
    assert run.result["pairs"] == [1, 5, 13, 25]
    assert Replayer(flowapp.AsyncFanIn).check(run.history).ok


def test_child_workflow_failed_names_the_child() -> None:
    error = ChildWorkflowFailed(
        "child workflow 'c' failed", workflow_id="c", name="n", state="failed", reason="r"
    )
    assert (error.workflow_id, error.state, error.reason) == ("c", "failed", "r")
    assert issubclass(FlowError, Exception)
