"""swf.flow.canvas: Group and Chain submitted as one future, with ids that do not depend on
when their members get scheduled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flowtools import Driver

from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow import ActivityFailed, Workflow, activity, futures, run_local
from swf.flow.canvas import Chain, Group, Task
from swf.flow.errors import ChildWorkflowFailed
from swf.models.history import History
from swf.replay import Replayer


@activity
def inc(x: int) -> int:
    return x + 1


@activity
def add(x: int, y: int) -> int:
    return x + y


@activity
def total(values: list[int]) -> int:
    return sum(values)


@activity
def boom(x: int) -> int:
    raise ValueError(f"boom {x}")


class Child(Workflow):
    def run(self, x: int) -> int:
        return self.submit(inc, x).result


def scheduled(decisions: list[Any]) -> list[tuple[str, Any]]:
    """``(activity id, input args)`` of each ScheduleActivityTask decision."""
    found = []
    for decision in decisions:
        if decision["decisionType"] == "ScheduleActivityTask":
            attributes = decision["scheduleActivityTaskDecisionAttributes"]
            found.append((attributes["activityId"], json.loads(attributes["input"])["args"]))
    return found


def most_open(history: History) -> int:
    """The most activities open at once, as the history tells."""
    open_now = most = 0
    for event in history:
        if event.event_type == "ActivityTaskScheduled":
            open_now += 1
            most = max(most, open_now)
        elif event.event_type in (
            "ActivityTaskCompleted",
            "ActivityTaskFailed",
            "ActivityTaskTimedOut",
        ):
            open_now -= 1
    return most


def replays_the_same(workflow: type[Workflow], history: History) -> None:
    report = Replayer(workflow).check(history)
    assert report.ok, str(report)


# -- groups ---------------------------------------------------------------------------------------


class Fan(Workflow):
    def run(self, n: int, max_parallel: int | None = None) -> Any:
        group = Group(*(Task(inc, i) for i in range(n)), max_parallel=max_parallel)
        return self.submit(group).result


def test_a_group_gives_its_members_results_in_order() -> None:
    run = run_local(Fan, 4)
    assert run.result == [1, 2, 3, 4]
    assert sorted(run.history.compiled.activities) == [f"group-1-{i}" for i in range(1, 5)]
    replays_the_same(Fan, run.history)


def test_max_parallel_never_lets_more_members_open_than_that() -> None:
    run = run_local(Fan, 7, 3)
    assert run.result == [1, 2, 3, 4, 5, 6, 7]
    assert most_open(run.history) == 3
    replays_the_same(Fan, run.history)


def test_max_parallel_schedules_the_next_members_as_earlier_ones_finish() -> None:
    driver = Driver(Fan, 4, 2)
    assert scheduled(driver.decide()) == [("group-1-1", [0]), ("group-1-2", [1])]
    driver.complete("group-1-2", 2)
    assert scheduled(driver.decide()) == [("group-1-3", [2])]
    driver.complete("group-1-1", 1).complete("group-1-3", 3)
    assert scheduled(driver.decide()) == [("group-1-4", [3])]
    driver.complete("group-1-4", 4)
    driver.decide()
    assert driver.types() == ["CompleteWorkflowExecution"]
    assert driver.closed.result == "[1,2,3,4]"


def test_a_group_fails_with_the_failure_that_came_first() -> None:
    class Two(Workflow):
        def run(self) -> Any:
            return self.submit(Group(Task(inc, 1), Task(inc, 2), Task(inc, 3))).result

    driver = Driver(Two)
    driver.decide()
    driver.fail("group-1-3", RuntimeError("third")).fail("group-1-1", RuntimeError("first"))
    driver.decide()
    assert driver.types() == ["FailWorkflowExecution"]
    reason = driver.answers[-1][0]["failWorkflowExecutionDecisionAttributes"]["reason"]
    assert "group-1-3" in reason and "third" in reason  # the earliest event, not the first member


def test_a_failure_can_be_caught_and_the_other_members_still_run() -> None:
    class Caught(Workflow):
        def run(self) -> Any:
            group = self.submit(Group(Task(boom, 1), Task(inc, 1), max_parallel=1))
            try:
                return group.result
            except ActivityFailed as error:
                return error.activity_id

    run = run_local(Caught)
    assert run.result == "group-1-1"
    # The failure did not stop the group: its next member went out as the execution closed.
    assert run.history.compiled.activities["group-1-2"].state == "scheduled"
    replays_the_same(Caught, run.history)


class Stopping(Workflow):
    def run(self, max_parallel: int | None) -> Any:
        group = self.submit(Group(Task(boom, 1), Task(inc, 2), max_parallel=max_parallel))
        try:
            return group.result
        except ActivityFailed as error:
            assert group.cancel()
            return error.activity_id


def test_cancel_stops_the_open_members_and_those_not_scheduled_yet() -> None:
    driver = Driver(Stopping, None)
    assert list(dict(scheduled(driver.decide()))) == ["group-1-1", "group-1-2"]
    driver.fail("group-1-1", ValueError("boom"))
    cancel, _ = driver.decide()
    assert cancel["requestCancelActivityTaskDecisionAttributes"] == {"activityId": "group-1-2"}
    assert driver.types() == ["RequestCancelActivityTask", "CompleteWorkflowExecution"]
    # With max_parallel=1, the second member would go out now: the cancel takes it back.
    driver = Driver(Stopping, 1)
    assert list(dict(scheduled(driver.decide()))) == ["group-1-1"]
    driver.fail("group-1-1", ValueError("boom"))
    driver.decide()
    assert driver.types() == ["CompleteWorkflowExecution"]
    assert driver.closed.result == '"group-1-1"'


def test_empty_composites_are_done_at_once() -> None:
    class Empty(Workflow):
        def run(self) -> Any:
            return self.submit(Group()).result, self.submit(Chain()).result

    run = run_local(Empty)
    assert run.result == [[], None]
    assert run.decision_tasks == 1


# -- chains ---------------------------------------------------------------------------------------


class Chained(Workflow):
    def run(self, send_result: bool) -> Any:
        if send_result:
            chain = Chain(Task(inc, 1), inc, Task(add, 10), send_result=True)
        else:
            chain = Chain(Task(inc, 1), Task(inc, 5), Task(add, 1, 2))
        return self.submit(chain).result


def test_a_chain_runs_its_members_one_after_the_other() -> None:
    driver = Driver(Chained, False)
    assert scheduled(driver.decide()) == [("chain-1-1", [1])]
    driver.complete("chain-1-1", 2)
    assert scheduled(driver.decide()) == [("chain-1-2", [5])]  # its own arguments only
    driver.complete("chain-1-2", 6)
    assert scheduled(driver.decide()) == [("chain-1-3", [1, 2])]
    driver.complete("chain-1-3", 3)
    driver.decide()
    assert driver.closed.result == "3"  # the last member's


def test_send_result_gives_the_previous_result_as_first_argument() -> None:
    driver = Driver(Chained, True)
    assert scheduled(driver.decide()) == [("chain-1-1", [1])]
    driver.complete("chain-1-1", 2)
    assert scheduled(driver.decide()) == [("chain-1-2", [2])]
    driver.complete("chain-1-2", 3)
    assert scheduled(driver.decide()) == [("chain-1-3", [3, 10])]
    run = run_local(Chained, True)
    assert run.result == 13
    replays_the_same(Chained, run.history)


def test_a_chain_stops_at_its_first_failure() -> None:
    class Broken(Workflow):
        def run(self) -> Any:
            return self.submit(Chain(Task(inc, 1), Task(boom, 2), Task(inc, 3))).result

    run = run_local(Broken)
    assert run.status == "FAILED"
    assert sorted(run.history.compiled.activities) == ["chain-1-1", "chain-1-2"]
    with pytest.raises(Exception, match="chain-1-2"):
        _ = run.result


# -- nesting, arguments, futures ------------------------------------------------------------------


class Nested(Workflow):
    def run(self) -> Any:
        fan_in = Chain(
            Group(Task(inc, 1), Chain(Task(inc, 10), inc, send_result=True), max_parallel=1),
            total,
            send_result=True,
        )
        first = self.submit(fan_in)
        second = self.submit(Group(inc, Chain(inc, inc, send_result=True)), 100)
        after = self.submit(inc, first)  # a composite's future as an argument
        return first.result, second.result, after.result


def test_nested_groups_and_chains_take_ids_from_their_parents() -> None:
    run = run_local(Nested)
    assert run.result == [2 + 12, [101, 102], 15]
    assert sorted(run.history.compiled.activities) == [
        "chain-1-1-1",
        "chain-1-1-2-1",
        "chain-1-1-2-2",
        "chain-1-2",
        "group-1-1",
        "group-1-2-1",
        "group-1-2-2",
        "test_flow_canvas.inc-1",
    ]
    replays_the_same(Nested, run.history)


class Interleaved(Workflow):
    """Plain submissions around composites whose members are scheduled late."""

    def run(self) -> Any:
        slow = self.submit(Group(*(Task(inc, i) for i in range(5)), max_parallel=1))
        chain = self.submit(Chain(inc, inc, inc, send_result=True), 0)
        plain = [self.submit(inc, 100) for _ in range(2)]
        later = self.submit(Group(Task(inc, 7)))
        return futures.wait(slow, chain, *plain, later)


def test_late_members_never_shift_the_other_ids_and_every_replay_decides_the_same() -> None:
    run = run_local(Interleaved)
    assert run.result == [[1, 2, 3, 4, 5], 3, 101, 101, [8]]
    ids = set(run.history.compiled.activities)
    assert {"test_flow_canvas.inc-1", "test_flow_canvas.inc-2", "group-2-1"} <= ids
    assert run.decision_tasks > 5  # members went out over several decision tasks
    replays_the_same(Interleaved, run.history)
    # Decision task by decision task with the Driver: at each point, replaying every
    # decision task of the history so far gives the decisions recorded.
    driver = Driver(Interleaved)
    for _ in range(20):
        decisions = driver.decide()
        if driver.closed.state != "started":
            break
        for activity_id, args in scheduled(decisions):
            driver.complete(activity_id, args[0] + 1)
        assert Replayer(Interleaved).check(driver.history).ok
    assert driver.closed.state == "completed"
    assert driver.closed.result == json.dumps(run.result, separators=(",", ":"))


def test_arguments_given_to_submit_go_first_to_the_members() -> None:
    class Given(Workflow):
        def run(self) -> Any:
            return self.submit(
                Group(Task(add, 1), Chain(Task(add, 2), inc, send_result=True)), 10
            ).result

    run = run_local(Given)
    assert run.result == [11, 13]


def test_an_async_run_awaits_a_composite() -> None:
    class Awaiting(Workflow):
        async def run(self) -> Any:
            group = self.submit(Group(Task(inc, 1), Task(inc, 2), max_parallel=1))
            chain = self.submit(Chain(Task(inc, 5), inc, send_result=True))
            return await futures.gather(group, chain)

    run = run_local(Awaiting)
    assert run.result == [[2, 3], 7]
    replays_the_same(Awaiting, run.history)


# -- child workflows, on built histories ----------------------------------------------------------


class WithChild(Workflow):
    def run(self) -> Any:
        return self.submit(Group(Task(Child, 1), Task(inc, 2))).result


def started_children(decisions: list[Any]) -> list[tuple[str, Any]]:
    found = []
    for decision in decisions:
        if decision["decisionType"] == "StartChildWorkflowExecution":
            attributes = decision["startChildWorkflowExecutionDecisionAttributes"]
            found.append((attributes["workflowId"], json.loads(attributes["input"])["args"]))
    return found


def test_a_child_member_gets_a_workflow_id_derived_from_the_group() -> None:
    driver = Driver(WithChild)
    decisions = driver.decide()
    assert started_children(decisions) == [("wf-1-group-1-1", [1])]
    assert scheduled(decisions) == [("group-1-2", [2])]
    driver.complete("group-1-2", 3)
    driver.writer.child_started("wf-1-group-1-1")
    assert driver.decide() == []
    driver.writer.child_closed("wf-1-group-1-1", "completed", result="2")
    driver.decide()
    assert driver.types() == ["CompleteWorkflowExecution"]
    assert driver.closed.result == "[2,3]"


def test_a_failed_child_member_fails_the_chain() -> None:
    class ChildChain(Workflow):
        def run(self) -> Any:
            return self.submit(Chain(Task(Child, 1), inc, send_result=True)).result

    driver = Driver(ChildChain)
    assert started_children(driver.decide()) == [("wf-1-chain-1-1", [1])]
    driver.writer.child_started("wf-1-chain-1-1")
    driver.writer.child_closed("wf-1-chain-1-1", "failed", reason="no", details="{}")
    driver.decide()
    assert driver.types() == ["FailWorkflowExecution"]
    reason = driver.answers[-1][0]["failWorkflowExecutionDecisionAttributes"]["reason"]
    assert "wf-1-chain-1-1" in reason


def test_a_child_chain_member_receives_the_previous_result() -> None:
    class Feeding(Workflow):
        def run(self) -> Any:
            return self.submit(Chain(Task(inc, 1), Child, send_result=True)).result

    driver = Driver(Feeding)
    driver.decide()
    driver.complete("chain-1-1", 2)
    assert started_children(driver.decide()) == [("wf-1-chain-1-2", [2])]


# -- refused --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "named"),
    [
        (lambda: Task(len, [1]), InvalidTypeError, "len"),
        (lambda: Group(inc, 42), InvalidTypeError, "42"),
        (lambda: Chain("inc"), InvalidTypeError, "'inc'"),
        (lambda: Group(inc, max_parallel=0), ValidationError, "0"),
        (lambda: Group(inc, max_parallel=1.5), InvalidTypeError, "1.5"),
        (lambda: Chain(inc, send_result="yes"), InvalidTypeError, "'yes'"),
    ],
)
def test_bad_members_and_options_are_refused_naming_the_value(
    build: Any, error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=named):
        build()


def test_keyword_arguments_to_a_composite_are_refused() -> None:
    class Keywords(Workflow):
        def run(self) -> Any:
            return self.submit(Group(inc), x=1).result

    run = run_local(Keywords)
    assert run.status == "FAILED"
    with pytest.raises(Exception, match="positional arguments only"):
        _ = run.result


def test_tasks_compare_and_show_their_calls() -> None:
    assert Task(add, 1, y=2) == Task(add, 1, y=2) != Task(add, 2, y=2)
    assert repr(Task(add, 1, y=2)) == "Task(test_flow_canvas.add, 1, y=2)"
    assert repr(Group(inc, Chain(Child, send_result=True), max_parallel=2)) == (
        "Group(Task(test_flow_canvas.inc), Chain(Task(test_flow_canvas.Child), "
        "send_result=True), max_parallel=2)"
    )


class TestWithChildrenLocally:
    """run_local with child workflows as members."""

    def test_a_group_of_children_and_activities(self) -> None:
        run = run_local(WithChild)
        assert run.result == [2, 3]
        replays_the_same(WithChild, run.history)

    def test_a_chain_through_a_child(self) -> None:
        class Through(Workflow):
            def run(self) -> Any:
                return self.submit(Chain(Task(inc, 1), Child, inc, send_result=True)).result

        run = run_local(Through)
        assert run.result == 4
        replays_the_same(Through, run.history)


def test_child_failures_reach_the_group_as_child_workflow_failed() -> None:
    class Caught(Workflow):
        def run(self) -> Any:
            try:
                return self.submit(Group(Child)).result
            except ChildWorkflowFailed as error:
                return error.workflow_id

    driver = Driver(Caught)
    driver.decide()
    driver.writer.child_started("wf-1-group-1-1")
    driver.writer.child_closed("wf-1-group-1-1", "timed_out")
    driver.decide()
    assert driver.closed.result == '"wf-1-group-1-1"'
