"""Decision builders: exact wire dicts, immutability, bad inputs, the botocore service model."""

# ruff: noqa: E501  (the table of bad inputs reads best one case per line)

from __future__ import annotations

import copy
import datetime as dt
import pickle
from collections.abc import Callable, Mapping
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from swf.exceptions import InvalidDecisionError
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    Decision,
    DecisionType,
    ExternalWorkflowExecutionDecision,
    LambdaFunctionDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
    check_decisions,
)


class _Type:
    """Stands for an ActivityType/WorkflowType model: name, version, default task list."""

    def __init__(self, name: str, version: str, task_list: str | None) -> None:
        self.name, self.version, self.task_list = name, version, task_list


LONG = "x" * 32_769

# (builder call, expected wire dict): one or more per decision type, all 13 covered.
CASES: list[tuple[str, Callable[[], Decision], dict[str, Any]]] = [
    (
        "schedule-minimal",
        lambda: ActivityTaskDecision.schedule("a1", ("resize", "1")),
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "resize", "version": "1"},
                "activityId": "a1",
            },
        },
    ),
    (
        "schedule-full",
        lambda: ActivityTaskDecision.schedule(
            "a1",
            "resize",
            version="2",
            input="in",
            control="ctl",
            task_list="work",
            task_priority=-3,
            schedule_to_close_timeout=dt.timedelta(minutes=5),
            schedule_to_start_timeout="NONE",
            start_to_close_timeout=60,
            heartbeat_timeout="30",
        ),
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "resize", "version": "2"},
                "activityId": "a1",
                "control": "ctl",
                "input": "in",
                "scheduleToCloseTimeout": "300",
                "taskList": {"name": "work"},
                "taskPriority": "-3",
                "scheduleToStartTimeout": "NONE",
                "startToCloseTimeout": "60",
                "heartbeatTimeout": "30",
            },
        },
    ),
    (
        "schedule-type-default-task-list",
        lambda: ActivityTaskDecision.schedule("a1", _Type("resize", "1", "defaults")),
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "resize", "version": "1"},
                "activityId": "a1",
                "taskList": {"name": "defaults"},
            },
        },
    ),
    (
        "request-cancel-activity",
        lambda: ActivityTaskDecision.request_cancel("a1"),
        {
            "decisionType": "RequestCancelActivityTask",
            "requestCancelActivityTaskDecisionAttributes": {"activityId": "a1"},
        },
    ),
    (
        "complete",
        lambda: WorkflowExecutionDecision.complete("done"),
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": "done"},
        },
    ),
    (
        "complete-empty",
        lambda: WorkflowExecutionDecision.complete(),
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {},
        },
    ),
    (
        "fail",
        lambda: WorkflowExecutionDecision.fail(reason="boom", details="trace"),
        {
            "decisionType": "FailWorkflowExecution",
            "failWorkflowExecutionDecisionAttributes": {"reason": "boom", "details": "trace"},
        },
    ),
    (
        "cancel",
        lambda: WorkflowExecutionDecision.cancel(details="bye"),
        {
            "decisionType": "CancelWorkflowExecution",
            "cancelWorkflowExecutionDecisionAttributes": {"details": "bye"},
        },
    ),
    (
        "continue-as-new",
        lambda: WorkflowExecutionDecision.continue_as_new(
            input="i",
            execution_start_to_close_timeout=3600,
            task_list={"name": "deciders"},
            task_priority="5",
            task_start_to_close_timeout="NONE",
            child_policy="ABANDON",
            tag_list=["a", "b"],
            workflow_type_version="2",
            lambda_role="arn:aws:iam::1:role/r",
        ),
        {
            "decisionType": "ContinueAsNewWorkflowExecution",
            "continueAsNewWorkflowExecutionDecisionAttributes": {
                "input": "i",
                "executionStartToCloseTimeout": "3600",
                "taskList": {"name": "deciders"},
                "taskPriority": "5",
                "taskStartToCloseTimeout": "NONE",
                "childPolicy": "ABANDON",
                "tagList": ["a", "b"],
                "workflowTypeVersion": "2",
                "lambdaRole": "arn:aws:iam::1:role/r",
            },
        },
    ),
    (
        "record-marker",
        lambda: MarkerDecision.record("checkpoint", details="3"),
        {
            "decisionType": "RecordMarker",
            "recordMarkerDecisionAttributes": {"markerName": "checkpoint", "details": "3"},
        },
    ),
    (
        "start-timer",
        lambda: TimerDecision.start("t1", 30, control="c"),
        {
            "decisionType": "StartTimer",
            "startTimerDecisionAttributes": {
                "timerId": "t1",
                "control": "c",
                "startToFireTimeout": "30",
            },
        },
    ),
    (
        "cancel-timer",
        lambda: TimerDecision.cancel("t1"),
        {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "t1"}},
    ),
    (
        "signal-external",
        lambda: ExternalWorkflowExecutionDecision.signal(
            "wf", "go", run_id="r1", input="i", control="c"
        ),
        {
            "decisionType": "SignalExternalWorkflowExecution",
            "signalExternalWorkflowExecutionDecisionAttributes": {
                "workflowId": "wf",
                "runId": "r1",
                "signalName": "go",
                "input": "i",
                "control": "c",
            },
        },
    ),
    (
        "request-cancel-external",
        lambda: ExternalWorkflowExecutionDecision.request_cancel("wf", control="c"),
        {
            "decisionType": "RequestCancelExternalWorkflowExecution",
            "requestCancelExternalWorkflowExecutionDecisionAttributes": {
                "workflowId": "wf",
                "control": "c",
            },
        },
    ),
    (
        "start-child",
        lambda: ChildWorkflowExecutionDecision.start(
            _Type("child", "1", "child-deciders"),
            "c1",
            input="i",
            control="c",
            execution_start_to_close_timeout=600,
            task_priority=1,
            task_start_to_close_timeout=30,
            child_policy="TERMINATE",
            tag_list=("t",),
        ),
        {
            "decisionType": "StartChildWorkflowExecution",
            "startChildWorkflowExecutionDecisionAttributes": {
                "workflowType": {"name": "child", "version": "1"},
                "workflowId": "c1",
                "control": "c",
                "input": "i",
                "executionStartToCloseTimeout": "600",
                "taskList": {"name": "child-deciders"},
                "taskPriority": "1",
                "taskStartToCloseTimeout": "30",
                "childPolicy": "TERMINATE",
                "tagList": ["t"],
            },
        },
    ),
    (
        "schedule-lambda",
        lambda: LambdaFunctionDecision.schedule(
            "l1", "thumbnail", input="{}", start_to_close_timeout=10
        ),
        {
            "decisionType": "ScheduleLambdaFunction",
            "scheduleLambdaFunctionDecisionAttributes": {
                "id": "l1",
                "name": "thumbnail",
                "input": "{}",
                "startToCloseTimeout": "10",
            },
        },
    ),
]


@pytest.fixture(scope="module")
def stubbed() -> Any:
    client = boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    return client


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_builder_produces_the_exact_wire_dict(
    name: str, build: Callable[[], Decision], expected: dict[str, Any]
) -> None:
    decision = build()
    assert decision == expected
    assert decision.to_api() == expected
    assert isinstance(decision, Mapping)
    assert decision.decision_type == DecisionType(expected["decisionType"])
    key = next(k for k in expected if k != "decisionType")
    assert decision.attributes == expected[key]


def test_every_decision_type_is_covered() -> None:
    built = {build()["decisionType"] for _, build, _ in CASES}
    assert built == {t.value for t in DecisionType}
    assert len(DecisionType) == 13
    assert "TerminateWorkflowExecution" not in built


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_botocore_accepts_each_decision_as_is(
    stubbed: Any, name: str, build: Callable[[], Decision], expected: dict[str, Any]
) -> None:
    # Stubber runs botocore's parameter validation against the SWF service model.
    decision = build()
    with Stubber(stubbed) as stubber:
        stubber.add_response(
            "respond_decision_task_completed",
            {},
            {"taskToken": "token", "decisions": [expected]},
        )
        response = stubbed.respond_decision_task_completed(taskToken="token", decisions=[decision])
        assert response == {}
        stubber.assert_no_pending_responses()


def test_the_service_model_lists_the_same_decision_types(stubbed: Any) -> None:
    shape = stubbed.meta.service_model.shape_for("DecisionType")
    assert set(shape.enum) == {t.value for t in DecisionType}
    decision_shape = stubbed.meta.service_model.shape_for("Decision")
    assert {t.attributes_key for t in DecisionType} == set(decision_shape.members) - {
        "decisionType"
    }


def test_decisions_are_immutable_also_nested() -> None:
    decision = ActivityTaskDecision.schedule("a1", ("t", "1"), task_list="tl")
    with pytest.raises(TypeError, match="immutable"):
        decision["decisionType"] = "StartTimer"  # type: ignore[index]
    with pytest.raises(TypeError):
        del decision["decisionType"]  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        decision.attributes["activityId"] = "a2"  # type: ignore[index]
    for method in ("clear", "popitem"):
        with pytest.raises(TypeError):
            getattr(decision, method)()
    with pytest.raises(TypeError):
        decision.update({"x": 1})
    tagged = ChildWorkflowExecutionDecision.start(("w", "1"), "c", tag_list=["a"])
    with pytest.raises(TypeError):
        tagged.attributes["tagList"].append("b")
    assert pickle.loads(pickle.dumps(tagged)) == tagged
    assert decision.attributes["activityId"] == "a1"


def test_decisions_pickle_and_copy_to_equal_values() -> None:
    decision = TimerDecision.start("t1", 5)
    clone = pickle.loads(pickle.dumps(decision))
    assert clone == decision and type(clone) is TimerDecision
    assert copy.deepcopy(decision) is decision
    assert copy.copy(decision) is decision


def test_to_api_is_a_plain_mutable_copy() -> None:
    decision = ExternalWorkflowExecutionDecision.signal("wf", "s")
    raw = decision.to_api()
    raw["signalExternalWorkflowExecutionDecisionAttributes"]["input"] = "x"
    assert "input" not in decision.attributes
    assert type(raw) is dict


def test_repr_names_the_class_and_content() -> None:
    assert repr(TimerDecision.cancel("t1")) == (
        "TimerDecision({'decisionType': 'CancelTimer', "
        "'cancelTimerDecisionAttributes': {'timerId': 't1'}})"
    )


def test_from_api_round_trips_and_refuses_unknown_types() -> None:
    raw = MarkerDecision.record("m").to_api()
    assert Decision.from_api(raw) == raw
    with pytest.raises(InvalidDecisionError, match="TerminateWorkflowExecution") as info:
        Decision.from_api({"decisionType": "TerminateWorkflowExecution"})
    assert info.value.argument == "decisionType"


def test_type_without_default_task_list_requires_one() -> None:
    with pytest.raises(InvalidDecisionError, match="no default task list") as info:
        ActivityTaskDecision.schedule("a1", _Type("t", "1", None))
    assert info.value.argument == "task_list"
    explicit = ActivityTaskDecision.schedule("a1", _Type("t", "1", None), task_list="tl")
    assert explicit.attributes["taskList"] == {"name": "tl"}
    with pytest.raises(InvalidDecisionError, match="no default task list"):
        ChildWorkflowExecutionDecision.start(_Type("w", "1", None), "c1")


def test_given_task_list_beats_the_types_default() -> None:
    decision = ActivityTaskDecision.schedule("a1", _Type("t", "1", "dflt"), task_list="mine")
    assert decision.attributes["taskList"] == {"name": "mine"}


BAD: list[tuple[Callable[[], Decision], str, str, Any]] = [
    # (builder call, decision type, field named, value)
    (lambda: ActivityTaskDecision.schedule("", ("t", "1")), "ScheduleActivityTask", "activity_id", ""),
    (lambda: ActivityTaskDecision.schedule(None, ("t", "1")), "ScheduleActivityTask", "activity_id", None),  # type: ignore[arg-type]
    (lambda: ActivityTaskDecision.schedule("a" * 257, ("t", "1")), "ScheduleActivityTask", "activity_id", "a" * 257),
    (lambda: ActivityTaskDecision.schedule("a:1", ("t", "1")), "ScheduleActivityTask", "activity_id", "a:1"),
    (lambda: ActivityTaskDecision.schedule("a1", "t"), "ScheduleActivityTask", "activity_type.version", None),
    (lambda: ActivityTaskDecision.schedule("a1", 42), "ScheduleActivityTask", "activity_type", 42),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "v" * 65)), "ScheduleActivityTask", "activity_type.version", "v" * 65),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), input=LONG), "ScheduleActivityTask", "input", LONG),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), input={"a": 1}), "ScheduleActivityTask", "input", {"a": 1}),  # type: ignore[arg-type]
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), control=LONG), "ScheduleActivityTask", "control", LONG),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), heartbeat_timeout=-1), "ScheduleActivityTask", "heartbeat_timeout", -1),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), heartbeat_timeout="soon"), "ScheduleActivityTask", "heartbeat_timeout", "soon"),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), start_to_close_timeout=1.5), "ScheduleActivityTask", "start_to_close_timeout", 1.5),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), schedule_to_close_timeout=10**9), "ScheduleActivityTask", "schedule_to_close_timeout", 10**9),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), task_priority=2**31), "ScheduleActivityTask", "task_priority", 2**31),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), task_priority="high"), "ScheduleActivityTask", "task_priority", "high"),
    (lambda: ActivityTaskDecision.schedule("a1", ("t", "1"), task_list="a|b"), "ScheduleActivityTask", "task_list", "a|b"),
    (lambda: ActivityTaskDecision.request_cancel(""), "RequestCancelActivityTask", "activity_id", ""),
    (lambda: WorkflowExecutionDecision.complete(LONG), "CompleteWorkflowExecution", "result", LONG),
    (lambda: WorkflowExecutionDecision.fail(reason="r" * 257), "FailWorkflowExecution", "reason", "r" * 257),
    (lambda: WorkflowExecutionDecision.fail(details=LONG), "FailWorkflowExecution", "details", LONG),
    (lambda: WorkflowExecutionDecision.cancel(details=3), "CancelWorkflowExecution", "details", 3),  # type: ignore[arg-type]
    (lambda: WorkflowExecutionDecision.continue_as_new(child_policy="KILL"), "ContinueAsNewWorkflowExecution", "child_policy", "KILL"),
    (lambda: WorkflowExecutionDecision.continue_as_new(tag_list=list("abcdef")), "ContinueAsNewWorkflowExecution", "tag_list", list("abcdef")),
    (lambda: WorkflowExecutionDecision.continue_as_new(execution_start_to_close_timeout="NONE"), "ContinueAsNewWorkflowExecution", "execution_start_to_close_timeout", "NONE"),
    (lambda: WorkflowExecutionDecision.continue_as_new(workflow_type_version=""), "ContinueAsNewWorkflowExecution", "workflow_type_version", ""),
    (lambda: MarkerDecision.record(""), "RecordMarker", "name", ""),
    (lambda: MarkerDecision.record("m" * 257), "RecordMarker", "name", "m" * 257),
    (lambda: MarkerDecision.record("m", details=LONG), "RecordMarker", "details", LONG),
    (lambda: TimerDecision.start("t1", None), "StartTimer", "start_to_fire_timeout", None),
    (lambda: TimerDecision.start("t1", "NONE"), "StartTimer", "start_to_fire_timeout", "NONE"),
    (lambda: TimerDecision.start("t/1", 5), "StartTimer", "id", "t/1"),
    (lambda: TimerDecision.cancel("arn"), "CancelTimer", "id", "arn"),
    (lambda: ExternalWorkflowExecutionDecision.signal("wf", ""), "SignalExternalWorkflowExecution", "signal_name", ""),
    (lambda: ExternalWorkflowExecutionDecision.signal("wf", "s", run_id="r" * 65), "SignalExternalWorkflowExecution", "run_id", "r" * 65),
    (lambda: ExternalWorkflowExecutionDecision.signal("", "s"), "SignalExternalWorkflowExecution", "workflow_id", ""),
    (lambda: ExternalWorkflowExecutionDecision.request_cancel("wf", control=LONG), "RequestCancelExternalWorkflowExecution", "control", LONG),
    (lambda: ChildWorkflowExecutionDecision.start(("w", "1"), "w" * 257), "StartChildWorkflowExecution", "workflow_id", "w" * 257),
    (lambda: ChildWorkflowExecutionDecision.start(("w", "1"), "c", lambda_role=""), "StartChildWorkflowExecution", "lambda_role", ""),
    (lambda: ChildWorkflowExecutionDecision.start(("w", "1"), "c", tag_list="one"), "StartChildWorkflowExecution", "tag_list", "one"),
    (lambda: LambdaFunctionDecision.schedule("l1", "f" * 65), "ScheduleLambdaFunction", "name", "f" * 65),
    (lambda: LambdaFunctionDecision.schedule("l1", "f", start_to_close_timeout="NONE"), "ScheduleLambdaFunction", "start_to_close_timeout", "NONE"),
    (lambda: LambdaFunctionDecision.schedule("l|1", "f"), "ScheduleLambdaFunction", "id", "l|1"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "decision", "field", "value"), BAD)
def test_bad_input_names_decision_field_and_value(
    build: Callable[[], Decision], decision: str, field: str, value: Any
) -> None:
    with pytest.raises(InvalidDecisionError) as info:
        build()
    error = info.value
    assert error.decision == decision
    assert error.argument == field
    assert error.value == value
    assert isinstance(error, ValueError)
    message = str(error)
    assert message.startswith(f"{decision} decision: ")
    assert field in message


def test_none_is_never_sent() -> None:
    decision = ActivityTaskDecision.schedule("a1", ("t", "1"), input=None, control=None)
    assert set(decision.attributes) == {"activityType", "activityId"}


# A plain dict decision gets exactly the builders' checks (issue 12, correctness 3).
_A = "scheduleActivityTaskDecisionAttributes"
_ATYPE = {"name": "t", "version": "1"}
BAD_DICTS: list[tuple[str, dict[str, Any], str, str]] = [
    # (decision type, attributes, the builder's argument named, the dict's field named)
    ("StartTimer", {"timerId": "t/x", "startToFireTimeout": "5"}, "id", "timerId"),
    ("StartTimer", {"timerId": "t"}, "start_to_fire_timeout", "startToFireTimeout"),
    ("StartTimer", {"timerId": "t", "startToFireTimeout": "NONE"}, "start_to_fire_timeout", "startToFireTimeout"),
    ("CancelTimer", {"timerId": ""}, "id", "timerId"),
    ("ScheduleActivityTask", {"activityId": "a", "activityType": {"name": "t"}}, "activity_type.version", "activityType"),
    ("ScheduleActivityTask", {"activityId": "a:1", "activityType": _ATYPE}, "activity_id", "activityId"),
    ("ScheduleActivityTask", {"activityId": "a", "activityType": _ATYPE, "heartbeatTimeout": "-1"}, "heartbeat_timeout", "heartbeatTimeout"),
    ("ScheduleActivityTask", {"activityId": "a", "activityType": _ATYPE, "taskPriority": "high"}, "task_priority", "taskPriority"),
    ("ScheduleActivityTask", {"activityId": "a", "activityType": _ATYPE, "input": LONG}, "input", "input"),
    ("RequestCancelActivityTask", {}, "activity_id", "activityId"),
    ("CompleteWorkflowExecution", {"result": LONG}, "result", "result"),
    ("FailWorkflowExecution", {"reason": "r" * 257}, "reason", "reason"),
    ("CancelWorkflowExecution", {"details": LONG}, "details", "details"),
    ("ContinueAsNewWorkflowExecution", {"childPolicy": "KILL"}, "child_policy", "childPolicy"),
    ("ContinueAsNewWorkflowExecution", {"tagList": list("abcdef")}, "tag_list", "tagList"),
    ("RecordMarker", {"markerName": ""}, "name", "markerName"),
    ("SignalExternalWorkflowExecution", {"workflowId": "w"}, "signal_name", "signalName"),
    ("RequestCancelExternalWorkflowExecution", {"workflowId": "w|x"}, "workflow_id", "workflowId"),
    ("StartChildWorkflowExecution", {"workflowId": "c", "workflowType": {"name": "w", "version": "1"}, "executionStartToCloseTimeout": "NONE"}, "execution_start_to_close_timeout", "executionStartToCloseTimeout"),
    ("ScheduleLambdaFunction", {"id": "l", "name": ""}, "name", "name"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("decision_type", "attributes", "argument", "field"), BAD_DICTS, ids=[r[0] for r in BAD_DICTS]
)
def test_a_dict_decision_gets_the_builders_checks(
    decision_type: str, attributes: dict[str, Any], argument: str, field: str
) -> None:
    kind = DecisionType(decision_type)
    raw = {"decisionType": decision_type, kind.attributes_key: attributes}
    with pytest.raises(InvalidDecisionError) as info:
        Decision.from_api(raw)
    assert (info.value.decision, info.value.argument) == (decision_type, argument)
    assert f"{kind.attributes_key}.{field}" in str(info.value)
    with pytest.raises(InvalidDecisionError):
        check_decisions([raw])


def test_every_decision_type_has_a_dict_case() -> None:
    assert {row[0] for row in BAD_DICTS} == {kind.value for kind in DecisionType}


def test_a_dict_decision_is_built_by_its_builder() -> None:
    raw = {
        "decisionType": "ScheduleActivityTask",
        _A: {"activityId": "a", "activityType": _ATYPE, "heartbeatTimeout": 30},
    }
    decision = Decision.from_api(raw)
    assert type(decision) is ActivityTaskDecision
    assert decision == ActivityTaskDecision.schedule("a", ("t", "1"), heartbeat_timeout=30)
    assert decision.attributes["heartbeatTimeout"] == "30"
    for builder in (
        TimerDecision.start("t", 5, control="c"),
        MarkerDecision.record("m", "d"),
        ChildWorkflowExecutionDecision.start(("w", "1"), "c", task_list="tl", tag_list=["x"]),
        ExternalWorkflowExecutionDecision.signal("w", "s", run_id="r", input="i"),
        WorkflowExecutionDecision.continue_as_new(input="i", workflow_type_version="2"),
    ):
        again = Decision.from_api(builder.to_api())
        assert again == builder and type(again) is type(builder)
