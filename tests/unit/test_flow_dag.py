"""swf.flow.dag: DAG specs (floto's), checked when built, run by the replay engine with the
node ids as the history's ids."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flowtools import Driver

from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow import RetryPolicy, Workflow, activity, run_local
from swf.flow.dag import (
    DAG,
    ActivityNode,
    ChildNode,
    DagWorkflow,
    DynamicDagWorkflow,
    GeneratorNode,
    TimerNode,
    find_workflow,
    run_dag,
)
from swf.replay import Replayer

CALLS: dict[str, int] = {}


@activity(version="dag")
def echo(argument: dict[str, Any]) -> dict[str, Any]:
    """Gives back its argument: the tests read what each node received."""
    return argument


@activity(version="dag")
def count(argument: dict[str, Any]) -> int:
    return len(argument)


@activity(version="dag")
def days(argument: dict[str, Any]) -> list[dict[str, Any]]:
    """A generator: one node per day of the workflow's input, and one after the first."""
    nodes: list[Any] = [
        ActivityNode(f"day-{day}", echo, input=day) for day in argument["workflow"]["days"]
    ]
    if nodes:
        nodes.append(ActivityNode("after-first", count, requires=[nodes[0].id]))
    return [node.to_dict() for node in nodes]


@activity(version="dag")
def bad_nodes(argument: dict[str, Any]) -> Any:
    return argument["input"]


@activity(version="dag")
def shaky(argument: dict[str, Any]) -> str:
    key = argument["input"]
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] < 3:
        raise RuntimeError(f"try {CALLS[key]}")
    return f"ok after {CALLS[key]}"


@activity(version="dag")
def broken(argument: dict[str, Any]) -> None:
    raise ValueError("broken node")


class Child(Workflow):
    version = "dag"

    def run(self, argument: dict[str, Any]) -> Any:
        return {"child got": argument["input"]}


NIGHTLY = DAG(
    [
        ActivityNode("extract", echo, input={"table": "users"}),
        TimerNode("cool-down", 600, requires=["extract"]),
        GeneratorNode("split", days, requires=["extract"]),
        ActivityNode("load", count, requires=["split", "cool-down"], retry=2, task_list="db"),
    ]
)


class Nightly(DagWorkflow):
    dag = NIGHTLY


def scheduled(decisions: list[Any]) -> dict[str, Any]:
    """Activity id -> its argument, of the ScheduleActivityTask decisions."""
    found = {}
    for decision in decisions:
        if decision["decisionType"] == "ScheduleActivityTask":
            attributes = decision["scheduleActivityTaskDecisionAttributes"]
            found[attributes["activityId"]] = json.loads(attributes["input"])["args"][0]
    return found


def failure_reason(driver: Driver) -> str:
    (decision,) = driver.answers[-1]
    assert decision["decisionType"] == "FailWorkflowExecution"
    return str(decision["failWorkflowExecutionDecisionAttributes"]["reason"])


# -- running --------------------------------------------------------------------------------------


def test_a_dag_with_activities_a_timer_and_a_generator_runs_locally() -> None:
    run = run_local(Nightly, {"days": ["mon", "tue"]})
    assert run.status == "COMPLETED"
    compiled = run.history.compiled
    assert sorted(compiled.activities) == [
        "after-first",
        "day-mon",
        "day-tue",
        "extract",
        "load",
        "split",
    ]
    assert list(compiled.timers) == ["cool-down"]
    # load required split and cool-down: it waited for the generated nodes too, and got
    # their results, and the list of their ids under the generator's.
    assert run.result == {"load": 7}  # workflow, split, cool-down, 3 generated, input
    day = compiled.activities["day-tue"]
    assert json.loads(day.result) == {
        "workflow": {"days": ["mon", "tue"]},
        "split": ["day-mon", "day-tue", "after-first"],
        "input": "tue",
    }
    assert compiled.activities["load"].scheduled_event.attributes["taskList"] == {"name": "db"}
    elapsed = run.history.last.timestamp - run.history.first.timestamp
    assert elapsed.total_seconds() >= 600  # the timer, in virtual time
    assert Replayer(Nightly).check(run.history).ok


def test_nodes_are_scheduled_by_id_once_what_they_require_is_done() -> None:
    driver = Driver(Nightly, {"days": []})
    assert scheduled(driver.decide()) == {
        "extract": {"workflow": {"days": []}, "input": {"table": "users"}}
    }
    driver.complete("extract", "rows")
    decisions = driver.decide()
    assert scheduled(decisions) == {
        "split": {"workflow": {"days": []}, "extract": "rows", "input": None}
    }
    timer = next(d for d in decisions if d["decisionType"] == "StartTimer")
    assert timer["startTimerDecisionAttributes"]["timerId"] == "cool-down"
    driver.complete("split", [])
    assert driver.decide() == []  # load waits for the timer
    driver.fire("cool-down")
    assert scheduled(driver.decide()) == {
        "load": {"workflow": {"days": []}, "split": [], "cool-down": None, "input": None}
    }
    driver.complete("load", 4)
    driver.decide()
    assert driver.closed.result == '{"load":4}'


def test_every_decision_task_replays_to_the_same_decisions() -> None:
    run = run_local(Nightly, {"days": ["mon", "tue", "wed"]})
    report = Replayer(Nightly).check(run.history)
    assert report.ok, str(report)
    assert run.decision_tasks >= 5


def test_a_node_retry_policy_retries_under_the_same_id() -> None:
    class Shaky(DagWorkflow):
        dag = DAG([ActivityNode("shaky", shaky, input="retried", retry=RetryPolicy(3))])

    CALLS.pop("retried", None)
    run = run_local(Shaky)
    assert run.result == {"shaky": "ok after 3"}
    assert run.history.compiled.activities["shaky"].attempts == 3
    assert Replayer(Shaky).check(run.history).ok


def test_the_first_failure_fails_the_execution_and_nothing_after_it_runs() -> None:
    class Failing(DagWorkflow):
        dag = DAG(
            [
                ActivityNode("bad", broken),
                ActivityNode("slow", echo),
                ActivityNode("after-bad", echo, requires=["bad"]),
                ActivityNode("after-slow", echo, requires=["slow"]),
            ]
        )

    driver = Driver(Failing)
    assert set(scheduled(driver.decide())) == {"bad", "slow"}
    # Both closed before the next decision task: after-slow is ready, but the execution
    # fails, so nothing new goes out (and "slow", in the history, is claimed).
    driver.complete("slow", 1).fail("bad", ValueError("broken node"))
    driver.decide()
    assert "'bad'" in failure_reason(driver) and "broken node" in failure_reason(driver)
    run = run_local(Failing)
    assert run.status == "FAILED"
    assert "after-bad" not in run.history.compiled.activities


def test_a_dag_runs_inside_any_workflow() -> None:
    class Around(Workflow):
        def run(self, x: int) -> Any:
            first = self.submit(echo, {"before": x}).result
            return run_dag(self, DAG([ActivityNode("only", count)]), first)

    run = run_local(Around, 5)
    assert run.result == {"only": 2}  # workflow and input


# -- generators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("returned", "named"),
    [
        ([ActivityNode("extract", echo).to_dict()], "'extract'"),  # an id taken
        ([ActivityNode("x", echo, requires=["nowhere"]).to_dict()], "'nowhere'"),
        ([{"type": "activity", "id": "x"}], "activity"),  # a spec without its activity
        ("not a list", "list"),
        ([ActivityNode("x", echo, requires=["after"]).to_dict()], "cycle"),  # after waits on x
    ],
)
def test_a_generator_whose_nodes_cannot_be_added_fails_the_execution(
    returned: Any, named: str
) -> None:
    class Generating(DagWorkflow):
        dag = DAG(
            [
                ActivityNode("extract", echo),
                GeneratorNode("gen", bad_nodes, requires=["extract"]),
                ActivityNode("after", echo, requires=["gen"]),
            ]
        )

    driver = Driver(Generating)
    driver.decide()
    driver.complete("extract", 1)
    driver.decide()
    driver.complete("gen", returned)
    driver.decide()
    reason = failure_reason(driver)
    assert "generator 'gen'" in reason and named in reason


# -- children on built histories ------------------------------------------------------------------


class WithChild(DagWorkflow):
    dag = DAG(
        [
            ActivityNode("first", echo),
            ChildNode("kid", Child, input=7, requires=["first"]),
        ]
    )


def test_a_child_node_starts_a_child_whose_id_is_derived_from_the_node() -> None:
    driver = Driver(WithChild, "in")
    driver.decide()
    driver.complete("first", "one")
    (decision,) = driver.decide()
    attributes = decision["startChildWorkflowExecutionDecisionAttributes"]
    assert attributes["workflowId"] == "wf-1-kid"
    assert attributes["workflowType"] == {"name": Child.type_name(), "version": "dag"}
    assert json.loads(attributes["input"])["args"] == [
        {"workflow": "in", "first": "one", "input": 7}
    ]
    driver.writer.child_started("wf-1-kid")
    driver.writer.child_closed("wf-1-kid", "completed", result='{"child got":7}')
    driver.decide()
    assert json.loads(driver.closed.result) == {"kid": {"child got": 7}}


def test_a_failed_child_node_fails_the_execution_naming_it() -> None:
    driver = Driver(WithChild, None)
    driver.decide()
    driver.complete("first", 1)
    driver.decide()
    driver.writer.child_started("wf-1-kid")
    driver.writer.child_closed("wf-1-kid", "failed", reason="nope")
    driver.decide()
    assert "wf-1-kid" in failure_reason(driver)


# -- refused before anything is scheduled ---------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "named"),
    [
        (
            [
                ActivityNode("a", echo, requires=["c"]),
                ActivityNode("b", echo, requires=["a"]),
                ActivityNode("c", echo, requires=["b"]),
            ],
            "'a' requires 'c' requires 'b' requires 'a'",
        ),
        ([ActivityNode("self", echo, requires="self")], "'self' requires 'self'"),
        (
            [ActivityNode("a", echo), TimerNode("t", 5, requires=["a", "ghost"])],
            "'t' requires 'ghost'",
        ),
        ([ActivityNode("a", echo), TimerNode("a", 5)], "'a'"),
    ],
)
def test_cycles_unknown_requirements_and_duplicates_are_refused_naming_the_nodes(
    nodes: list[Any], named: str
) -> None:
    with pytest.raises(ValidationError, match=named):
        DAG(nodes)


def test_a_dynamic_dag_with_a_cycle_fails_before_anything_is_scheduled() -> None:
    spec = {
        "nodes": [
            {"type": "activity", "id": "x", "activity": echo.key, "requires": ["y"]},
            {"type": "timer", "id": "y", "seconds": 5, "requires": ["x"]},
        ]
    }
    spec["nodes"][0]["activity"] = {"name": echo.name, "version": echo.version}
    driver = Driver(DynamicDagWorkflow, spec)
    driver.decide()
    assert "'x' requires 'y' requires 'x'" in failure_reason(driver)


def test_a_fixed_dag_given_as_a_list_is_checked_when_the_class_is_defined() -> None:
    class Listed(DagWorkflow):
        dag = [ActivityNode("a", echo), ActivityNode("b", count, requires=["a"])]  # type: ignore[assignment]

    assert isinstance(Listed.dag, DAG) and Listed.dag.sinks == ["b"]
    with pytest.raises(ValidationError, match="'b' requires 'nope'"):

        class Wrong(DagWorkflow):
            dag = [ActivityNode("b", count, requires=["nope"])]  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("build", "error", "named"),
    [
        (lambda: ActivityNode("a", len), InvalidTypeError, "len"),
        (lambda: ActivityNode("workflow", echo), ValidationError, "'workflow'"),
        (lambda: ActivityNode("a", echo, input={1, 2}), InvalidTypeError, "not JSON"),
        (lambda: ActivityNode("a", echo, requires=[3]), InvalidTypeError, "3"),
        (lambda: ActivityNode("a", echo, retry=-1), InvalidTypeError, "-1"),
        (lambda: TimerNode("t", -5), ValidationError, "-5"),
        (lambda: ChildNode("c", dict), InvalidTypeError, "dict"),
        (lambda: DAG([echo]), InvalidTypeError, "echo"),
        (lambda: DAG("a"), InvalidTypeError, "'a'"),
    ],
)
def test_bad_nodes_are_refused_naming_the_value(
    build: Any, error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=named):
        build()


def test_the_driver_sees_no_decision_from_a_refused_spec() -> None:
    driver = Driver(DynamicDagWorkflow, {"nodes": [{"type": "nope", "id": "a"}]})
    driver.decide()
    assert "activity, timer, child or generator" in failure_reason(driver)


# -- JSON -----------------------------------------------------------------------------------------


FULL = DAG(
    [
        ActivityNode("a", echo, input={"k": [1, 2]}, retry=RetryPolicy(3, 1.5, 2.0, 30, ["x.E"])),
        TimerNode("t", 2, requires=["a"]),
        ChildNode("c", Child, input="hi", requires=["a", "t"]),
        GeneratorNode("g", days, requires=["c"]),
        ActivityNode("z", count, requires=["g"], task_list="tl"),
    ]
)


def test_a_timer_takes_whole_seconds_or_a_timedelta() -> None:
    assert TimerNode("t", dt.timedelta(minutes=2)).seconds == 120
    assert TimerNode("t", 30.0).to_dict()["seconds"] == 30
    with pytest.raises(ValidationError, match="2.5"):
        TimerNode("t", 2.5)


def test_a_dag_goes_through_json_and_back() -> None:
    text = FULL.to_json()
    assert DAG.from_json(text) == FULL
    assert DAG.from_json(json.loads(text)) == FULL
    spec = json.loads(text)
    assert spec["nodes"][0]["activity"] == {"name": echo.name, "version": "dag"}
    assert spec["nodes"][2]["workflow"] == {"name": Child.type_name(), "version": "dag"}
    assert spec["nodes"][0]["retry"]["non_retryable"] == ["x.E"]


def test_a_dynamic_dag_runs_the_spec_of_its_input() -> None:
    dag = DAG([ActivityNode("a", echo, input=1), ActivityNode("b", count, requires=["a"])])
    run = run_local(DynamicDagWorkflow, dag.to_json(), "given")
    assert run.result == {"b": 3}
    assert json.loads(run.history.compiled.activities["a"].result)["workflow"] == "given"
    assert Replayer(DynamicDagWorkflow).check(run.history).ok


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("{not json", "JSON"),
        ({"nodes": [], "more": 1}, "nodes"),
        ({"nodes": [{"type": "timer", "id": "t"}]}, "seconds"),
        ({"nodes": [{"type": "timer", "id": "t", "seconds": 1, "color": "red"}]}, "color"),
        (
            {
                "nodes": [
                    {"type": "activity", "id": "a", "activity": {"name": "no", "version": "1"}}
                ]
            },
            "no activity 'no' version '1'",
        ),
        (
            {"nodes": [{"type": "child", "id": "c", "workflow": {"name": "no", "version": "1"}}]},
            "no workflow 'no' version '1'",
        ),
        (
            {"nodes": [{"type": "activity", "id": "a", "activity": "test_flow_dag.echo"}]},
            "name",
        ),
        (
            {
                "nodes": [
                    {
                        "type": "activity",
                        "id": "a",
                        "activity": {"name": "test_flow_dag.echo", "version": "dag"},
                        "retry": {"tries": 3},
                    }
                ]
            },
            "tries",
        ),
    ],
)
def test_bad_specs_are_refused_naming_what_is_wrong(spec: Any, named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        DAG.from_json(spec)


def test_workflows_are_found_by_name_and_version() -> None:
    assert find_workflow(Child.type_name(), "dag") is Child

    class Twin(Workflow):
        name = "twin"

    class OtherTwin(Workflow):
        name = "twin"

    with pytest.raises(ValidationError, match="several workflows are 'twin'"):
        find_workflow("twin", "1")
    assert find_workflow("twin", "1", [OtherTwin]) is OtherTwin
    spec = {"nodes": [{"type": "child", "id": "c", "workflow": {"name": "twin", "version": "1"}}]}
    assert DAG.from_json(spec, workflows=[Twin]).nodes[0].workflow is Twin  # type: ignore[union-attr]


class TestWithChildrenLocally:
    """run_local with child nodes."""

    def test_a_dag_with_a_child_node(self) -> None:
        run = run_local(WithChild, "in")
        assert run.result == {"kid": {"child got": 7}}
        assert Replayer(WithChild).check(run.history).ok
