"""Every decision type on the local endpoint, in-process and on the server: the events SWF
writes (types and attributes of botocore's service model) and the executions they affect.

moto 5.2.1 alone wedged the execution on six of these (children, external signals and cancels,
continue-as-new, activity cancel, Lambda); swf.local processes all 13.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from local_kit import (
    ACTIVITY,
    CHILD,
    CHILD_DECIDERS,
    DOMAIN,
    WORKFLOW,
    Kit,
    after,
    decision,
    endpoint,
    last,
    poll_timeout,
)

from swf.core import Connection
from swf.exceptions import DoesNotExistError
from swf.local import register_lambda, unregister_lambda
from swf.models.history import History


@pytest.fixture(params=["in-process", "server"])
def kit(request: pytest.FixtureRequest) -> Kit:
    return Kit(endpoint(request))


def child_start(workflow_id: str = "c1", **extra: Any) -> dict[str, Any]:
    return decision(
        "StartChildWorkflowExecution",
        workflowType=CHILD,
        workflowId=workflow_id,
        input="child-in",
        control="ctl",
        **extra,
    )


def compiled(kit: Kit, workflow_id: str, run_id: str) -> Any:
    return History.from_event_list(kit.events(workflow_id, run_id)).compiled


# -- StartChildWorkflowExecution --------------------------------------------------------------


def test_a_child_starts_and_its_completion_is_written_in_the_parent(kit: Kit) -> None:
    parent = kit.start("p", tagList=["t"])
    kit.decide([child_start()])
    events = kit.events("p", parent)
    initiated = last(events, "StartChildWorkflowExecutionInitiated")
    assert initiated["workflowId"] == "c1"
    assert initiated["workflowType"] == CHILD
    assert initiated["childPolicy"] == "TERMINATE"  # the child type's default, resolved
    assert initiated["taskList"] == {"name": CHILD_DECIDERS}
    assert (initiated["input"], initiated["control"]) == ("child-in", "ctl")
    assert (
        initiated["decisionTaskCompletedEventId"]
        == last(events, "DecisionTaskCompleted")["event_id"]
    )
    started = last(events, "ChildWorkflowExecutionStarted")
    assert started["initiatedEventId"] == initiated["event_id"]
    child_run = started["workflowExecution"]["runId"]
    assert started["workflowExecution"]["workflowId"] == "c1"
    assert after(events, started["event_id"]) == ["DecisionTaskScheduled"]

    child_events = kit.events("c1", child_run)
    first = last(child_events, "WorkflowExecutionStarted")
    assert first["parentWorkflowExecution"] == {"workflowId": "p", "runId": parent}
    assert first["parentInitiatedEventId"] == initiated["event_id"]
    assert first["input"] == "child-in"
    listed = kit.call("ListOpenWorkflowExecutions", startTimeFilter={"oldestDate": 0})
    (child_info,) = [e for e in listed["executionInfos"] if e["execution"]["workflowId"] == "c1"]
    assert child_info["parent"] == {"workflowId": "p", "runId": parent}

    kit.decide([decision("CompleteWorkflowExecution", result="done")], CHILD_DECIDERS)
    events = kit.events("p", parent)
    completed = last(events, "ChildWorkflowExecutionCompleted")
    assert completed["result"] == "done"
    assert (completed["initiatedEventId"], completed["startedEventId"]) == (
        initiated["event_id"],
        started["event_id"],
    )
    assert completed["workflowExecution"] == {"workflowId": "c1", "runId": child_run}
    assert completed["workflowType"] == CHILD
    assert after(events, completed["event_id"]) == []  # a decision task is already scheduled
    assert compiled(kit, "p", parent).child_workflows["c1"].state == "completed"
    assert kit.describe("p", parent)["openCounts"]["openChildWorkflowExecutions"] == 0


@pytest.mark.parametrize(
    ("close", "event_type", "expected"),
    [
        (
            decision("FailWorkflowExecution", reason="r", details="d"),
            "ChildWorkflowExecutionFailed",
            {"reason": "r", "details": "d"},
        ),
        (
            decision("CancelWorkflowExecution", details="bye"),
            "ChildWorkflowExecutionCanceled",
            {"details": "bye"},
        ),
        ("terminate", "ChildWorkflowExecutionTerminated", {}),
    ],
)
def test_every_close_of_a_child_is_written_in_the_parent(
    kit: Kit, close: Any, event_type: str, expected: dict[str, str]
) -> None:
    parent = kit.start("p")
    kit.decide([child_start()])
    if close == "terminate":
        kit.call("TerminateWorkflowExecution", workflowId="c1", reason="stop")
    else:
        kit.decide([close], CHILD_DECIDERS)
    closed = last(kit.events("p", parent), event_type)
    for key, value in expected.items():
        assert closed[key] == value
    state = event_type.removeprefix("ChildWorkflowExecution").lower()
    assert compiled(kit, "p", parent).child_workflows["c1"].state == state


def test_a_child_that_times_out_is_written_in_the_parent(kit: Kit) -> None:
    parent = kit.start("p")
    kit.decide([child_start(executionStartToCloseTimeout="1")])
    deadline = time.monotonic() + 20
    while "ChildWorkflowExecutionTimedOut" not in kit.types("p", parent):
        assert time.monotonic() < deadline, kit.types("p", parent)
        time.sleep(0.1)
    timed_out = last(kit.events("p", parent), "ChildWorkflowExecutionTimedOut")
    assert timed_out["timeoutType"] == "START_TO_CLOSE"
    child = timed_out["workflowExecution"]["runId"]
    assert kit.describe("c1", child)["executionInfo"]["closeStatus"] == "TIMED_OUT"


@pytest.mark.parametrize(
    ("setup", "attributes", "cause"),
    [
        ("", {"workflowType": {"name": "ghost", "version": "1"}}, "WORKFLOW_TYPE_DOES_NOT_EXIST"),
        ("deprecate", {}, "WORKFLOW_TYPE_DEPRECATED"),
        ("running", {}, "WORKFLOW_ALREADY_RUNNING"),
        (
            "bare",
            {"workflowType": {"name": "bare", "version": "1"}, "executionStartToCloseTimeout": "9"},
            "DEFAULT_TASK_LIST_UNDEFINED",
        ),
    ],
)
def test_start_child_failed_with_swf_causes(
    kit: Kit, setup: str, attributes: dict[str, Any], cause: str
) -> None:
    if setup == "deprecate":
        kit.call("DeprecateWorkflowType", workflowType=CHILD)
    elif setup == "running":
        kit.start("c1", CHILD)
    elif setup == "bare":
        kit.call("RegisterWorkflowType", domain=DOMAIN, name="bare", version="1")
    parent = kit.start("p")
    start = child_start()
    start["startChildWorkflowExecutionDecisionAttributes"].update(attributes)
    kit.decide([start])
    events = kit.events("p", parent)
    failed = last(events, "StartChildWorkflowExecutionFailed")
    assert failed["cause"] == cause
    assert (
        failed["decisionTaskCompletedEventId"] == last(events, "DecisionTaskCompleted")["event_id"]
    )
    assert (failed["workflowId"], failed["control"]) == ("c1", "ctl")
    assert (
        failed["workflowType"]
        == start["startChildWorkflowExecutionDecisionAttributes"]["workflowType"]
    )
    assert after(events, failed["event_id"]) == ["DecisionTaskScheduled"]
    if cause == "WORKFLOW_ALREADY_RUNNING":
        # found when the child starts, after the decision: it was initiated
        initiated = last(events, "StartChildWorkflowExecutionInitiated")
        assert failed["initiatedEventId"] == initiated["event_id"]
        assert compiled(kit, "p", parent).child_workflows["c1"].state == "start_failed"
    else:
        # refused as the decision is applied: never initiated (the Initiated event's task
        # list and child policy would have no value), as a ScheduleActivityTaskFailed comes
        # with no ActivityTaskScheduled
        assert "StartChildWorkflowExecutionInitiated" not in [e["eventType"] for e in events]
        assert failed["initiatedEventId"] == 0


@pytest.mark.parametrize("policy", ["TERMINATE", "REQUEST_CANCEL", "ABANDON"])
def test_the_child_policy_applies_when_the_parent_closes(kit: Kit, policy: str) -> None:
    parent = kit.start("p", childPolicy=policy)
    kit.decide([child_start()])
    child = last(kit.events("p", parent), "ChildWorkflowExecutionStarted")["workflowExecution"]
    before = kit.types("c1", child["runId"])
    kit.decide([decision("CompleteWorkflowExecution")])
    child_events = kit.events("c1", child["runId"])
    info = kit.describe("c1", child["runId"])["executionInfo"]
    if policy == "TERMINATE":
        assert info["closeStatus"] == "TERMINATED"
        terminated = last(child_events, "WorkflowExecutionTerminated")
        assert terminated["cause"] == "CHILD_POLICY_APPLIED"
        assert terminated["childPolicy"] == "TERMINATE"  # the child's own, for its children
    elif policy == "REQUEST_CANCEL":
        assert info["executionStatus"] == "OPEN" and info["cancelRequested"] is True
        requested = last(child_events, "WorkflowExecutionCancelRequested")
        assert requested["cause"] == "CHILD_POLICY_APPLIED"
        assert after(child_events, requested["event_id"]) == []  # its decision task is scheduled
    else:
        assert info["executionStatus"] == "OPEN"
        assert [e["eventType"] for e in child_events] == before
    assert "ChildWorkflowExecutionTerminated" not in kit.types("p", parent)  # it is closed


def test_terminating_a_parent_terminates_its_children_by_its_policy(kit: Kit) -> None:
    parent = kit.start("p", childPolicy="ABANDON")
    kit.decide([child_start()])
    child = last(kit.events("p", parent), "ChildWorkflowExecutionStarted")["workflowExecution"]
    kit.call("TerminateWorkflowExecution", workflowId="p", childPolicy="TERMINATE")
    assert last(kit.events("p", parent), "WorkflowExecutionTerminated")["childPolicy"] == (
        "TERMINATE"
    )
    info = kit.describe("c1", child["runId"])["executionInfo"]
    assert info["closeStatus"] == "TERMINATED"


# -- SignalExternalWorkflowExecution, RequestCancelExternalWorkflowExecution ------------------


def test_signal_external_reaches_the_target_and_is_confirmed(kit: Kit) -> None:
    sender, target = kit.start("sender"), kit.start("target")
    kit.decide([])  # one of them: consume both first decision tasks
    kit.decide([])
    kit.signal("sender", "wake")
    signal = decision(
        "SignalExternalWorkflowExecution",
        workflowId="target",
        signalName="ping",
        input="hello",
        control="c",
    )
    kit.decide([signal])
    events = kit.events("sender", sender)
    initiated = last(events, "SignalExternalWorkflowExecutionInitiated")
    assert (initiated["workflowId"], initiated["signalName"], initiated["input"]) == (
        "target",
        "ping",
        "hello",
    )
    signaled = last(events, "ExternalWorkflowExecutionSignaled")
    assert signaled["initiatedEventId"] == initiated["event_id"]
    assert signaled["workflowExecution"] == {"workflowId": "target", "runId": target}
    assert after(events, signaled["event_id"]) == ["DecisionTaskScheduled"]

    target_events = kit.events("target", target)
    received = last(target_events, "WorkflowExecutionSignaled")
    assert (received["signalName"], received["input"]) == ("ping", "hello")
    assert received["externalWorkflowExecution"] == {"workflowId": "sender", "runId": sender}
    assert received["externalInitiatedEventId"] == initiated["event_id"]
    assert after(target_events, received["event_id"]) == ["DecisionTaskScheduled"]
    assert (
        compiled(kit, "sender", sender).external_signals[initiated["event_id"]].state == "signaled"
    )


@pytest.mark.parametrize("kind", ["SignalExternal", "RequestCancelExternal"])
def test_an_unknown_external_execution_fails_the_decision(kit: Kit, kind: str) -> None:
    run = kit.start("sender")
    extra = {"signalName": "s"} if kind == "SignalExternal" else {}
    kit.decide([decision(f"{kind}WorkflowExecution", workflowId="ghost", control="c", **extra)])
    events = kit.events("sender", run)
    initiated = last(events, f"{kind}WorkflowExecutionInitiated")
    failed = last(events, f"{kind}WorkflowExecutionFailed")
    assert failed["cause"] == "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    assert failed["initiatedEventId"] == initiated["event_id"]
    assert (failed["workflowId"], failed["control"]) == ("ghost", "c")
    assert (
        failed["decisionTaskCompletedEventId"] == last(events, "DecisionTaskCompleted")["event_id"]
    )
    assert after(events, failed["event_id"]) == ["DecisionTaskScheduled"]
    History.from_event_list(events).compiled  # noqa: B018 - it compiles


def test_request_cancel_external_asks_the_target_to_cancel(kit: Kit) -> None:
    sender, target = kit.start("sender"), kit.start("target")
    kit.decide([])
    kit.decide([])
    kit.signal("sender", "wake")
    cancel = decision("RequestCancelExternalWorkflowExecution", workflowId="target", runId=target)
    kit.decide([cancel])
    events = kit.events("sender", sender)
    initiated = last(events, "RequestCancelExternalWorkflowExecutionInitiated")
    assert (initiated["workflowId"], initiated["runId"]) == ("target", target)
    confirmed = last(events, "ExternalWorkflowExecutionCancelRequested")
    assert confirmed["initiatedEventId"] == initiated["event_id"]
    assert confirmed["workflowExecution"] == {"workflowId": "target", "runId": target}
    target_events = kit.events("target", target)
    requested = last(target_events, "WorkflowExecutionCancelRequested")
    assert requested["externalWorkflowExecution"] == {"workflowId": "sender", "runId": sender}
    assert requested["externalInitiatedEventId"] == initiated["event_id"]
    assert "cause" not in requested
    assert kit.describe("target", target)["executionInfo"]["cancelRequested"] is True


# -- ContinueAsNewWorkflowExecution -----------------------------------------------------------


def test_continue_as_new_closes_the_run_and_starts_the_next(kit: Kit) -> None:
    first = kit.start("loop", input="1", tagList=["a"])
    again = decision(
        "ContinueAsNewWorkflowExecution",
        input="2",
        tagList=["b"],
        executionStartToCloseTimeout="60",
    )
    kit.decide([again])
    events = kit.events("loop", first)
    continued = last(events, "WorkflowExecutionContinuedAsNew")
    assert (
        continued["decisionTaskCompletedEventId"]
        == last(events, "DecisionTaskCompleted")["event_id"]
    )
    assert (continued["input"], continued["tagList"]) == ("2", ["b"])
    assert continued["executionStartToCloseTimeout"] == "60"
    assert continued["taskList"] == {"name": "deciders"}
    assert continued["childPolicy"] == "TERMINATE"
    assert continued["workflowType"] == WORKFLOW
    second = continued["newExecutionRunId"]
    assert second != first
    assert kit.describe("loop", first)["executionInfo"]["closeStatus"] == "CONTINUED_AS_NEW"
    started = last(kit.events("loop", second), "WorkflowExecutionStarted")
    assert started["continuedExecutionRunId"] == first
    assert (started["input"], started["tagList"]) == ("2", ["b"])
    info = kit.describe("loop", second)["executionInfo"]
    assert (info["executionStatus"], info["tagList"]) == ("OPEN", ["b"])
    closed = kit.call(
        "ListClosedWorkflowExecutions",
        startTimeFilter={"oldestDate": 0},
        closeStatusFilter={"status": "CONTINUED_AS_NEW"},
    )
    assert [e["execution"]["runId"] for e in closed["executionInfos"]] == [first]
    task = kit.decide([decision("CompleteWorkflowExecution", result="2")])
    assert task["workflowExecution"] == {"workflowId": "loop", "runId": second}
    assert compiled(kit, "loop", first).workflow.state == "continued_as_new"


def test_continue_as_new_to_an_unknown_version_fails(kit: Kit) -> None:
    run = kit.start("loop")
    kit.decide([decision("ContinueAsNewWorkflowExecution", workflowTypeVersion="9")])
    events = kit.events("loop", run)
    failed = last(events, "ContinueAsNewWorkflowExecutionFailed")
    assert failed["cause"] == "WORKFLOW_TYPE_DOES_NOT_EXIST"
    assert after(events, failed["event_id"]) == ["DecisionTaskScheduled"]
    assert kit.describe("loop", run)["executionInfo"]["executionStatus"] == "OPEN"


def test_a_continued_child_reports_to_its_parent_when_its_last_run_closes(kit: Kit) -> None:
    parent = kit.start("p")
    kit.decide([child_start()])
    kit.decide([decision("ContinueAsNewWorkflowExecution", input="again")], CHILD_DECIDERS)
    assert "ChildWorkflowExecutionCompleted" not in kit.types("p", parent)
    task = kit.decide([decision("CompleteWorkflowExecution", result="last")], CHILD_DECIDERS)
    completed = last(kit.events("p", parent), "ChildWorkflowExecutionCompleted")
    assert completed["result"] == "last"
    assert completed["workflowExecution"] == task["workflowExecution"]


# -- RequestCancelActivityTask ----------------------------------------------------------------


def schedule(activity_id: str = "a1", **extra: Any) -> dict[str, Any]:
    return decision(
        "ScheduleActivityTask", activityId=activity_id, activityType=ACTIVITY, input="x", **extra
    )


def test_a_scheduled_activity_is_canceled_at_once(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([schedule()])
    kit.signal("w")
    kit.decide([decision("RequestCancelActivityTask", activityId="a1")])
    events = kit.events("w", run)
    requested = last(events, "ActivityTaskCancelRequested")
    assert requested["activityId"] == "a1"
    assert (
        requested["decisionTaskCompletedEventId"]
        == last(events, "DecisionTaskCompleted")["event_id"]
    )
    canceled = last(events, "ActivityTaskCanceled")
    assert canceled["scheduledEventId"] == last(events, "ActivityTaskScheduled")["event_id"]
    assert canceled["startedEventId"] == 0
    assert canceled["latestCancelRequestedEventId"] == requested["event_id"]
    assert after(events, canceled["event_id"]) == ["DecisionTaskScheduled"]
    with_short_polls = kit.call("PollForActivityTask", taskList={"name": "workers"})
    assert "taskToken" not in with_short_polls  # nothing left to hand out
    assert compiled(kit, "w", run).activities["a1"].state == "canceled"


def test_a_started_activity_learns_of_the_cancel_by_heartbeat(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([schedule()])
    task = kit.work()
    assert kit.call("RecordActivityTaskHeartbeat", taskToken=task["taskToken"]) == {
        "cancelRequested": False
    }
    kit.signal("w")
    kit.decide([decision("RequestCancelActivityTask", activityId="a1")])
    events = kit.events("w", run)
    requested = last(events, "ActivityTaskCancelRequested")
    assert after(events, requested["event_id"]) == []  # the worker decides what to do
    answer = kit.call("RecordActivityTaskHeartbeat", taskToken=task["taskToken"], details="half")
    assert answer == {"cancelRequested": True}
    kit.call("RespondActivityTaskCanceled", taskToken=task["taskToken"], details="undone")
    events = kit.events("w", run)
    canceled = last(events, "ActivityTaskCanceled")
    assert canceled["details"] == "undone"
    assert canceled["startedEventId"] == last(events, "ActivityTaskStarted")["event_id"]
    assert canceled["latestCancelRequestedEventId"] == requested["event_id"]
    assert after(events, canceled["event_id"]) == ["DecisionTaskScheduled"]
    assert compiled(kit, "w", run).activities["a1"].state == "canceled"
    with pytest.raises(DoesNotExistError):  # closed: UnknownResourceFault, not a 500
        kit.call("RespondActivityTaskCompleted", taskToken=task["taskToken"])


def test_cancelling_an_unknown_activity_fails(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([decision("RequestCancelActivityTask", activityId="nope")])
    events = kit.events("w", run)
    failed = last(events, "RequestCancelActivityTaskFailed")
    assert (failed["activityId"], failed["cause"]) == ("nope", "ACTIVITY_ID_UNKNOWN")
    assert after(events, failed["event_id"]) == ["DecisionTaskScheduled"]


# -- ScheduleLambdaFunction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "cause"),
    [
        (None, "OPERATION_NOT_PERMITTED"),
        ("arn:aws:iam::1:role/r", "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION"),
    ],
)
def test_a_lambda_with_no_local_function_fails_to_schedule(
    kit: Kit, role: str | None, cause: str
) -> None:
    run = kit.start("w", **({"lambdaRole": role} if role else {}))
    kit.decide([decision("ScheduleLambdaFunction", id="l1", name="nowhere", input="x")])
    events = kit.events("w", run)
    failed = last(events, "ScheduleLambdaFunctionFailed")
    assert (failed["id"], failed["name"], failed["cause"]) == ("l1", "nowhere", cause)
    assert (
        failed["decisionTaskCompletedEventId"] == last(events, "DecisionTaskCompleted")["event_id"]
    )
    assert after(events, failed["event_id"]) == ["DecisionTaskScheduled"]
    assert compiled(kit, "w", run).lambda_functions["l1"].state == "schedule_failed"


@pytest.fixture
def functions() -> Any:
    release = threading.Event()

    def slow(data: str | None) -> str:
        release.wait(30)
        return "late"

    def broken(data: str | None) -> str:
        raise ValueError(f"cannot take {data}")

    register_lambda("upper", lambda data: (data or "").upper())
    register_lambda("broken", broken)
    register_lambda("slow", slow)
    yield
    release.set()
    for name in ("upper", "broken", "slow"):
        unregister_lambda(name)


@pytest.mark.parametrize(
    ("name", "timeout", "event_type", "expected"),
    [
        ("upper", None, "LambdaFunctionCompleted", {"result": "HI"}),
        ("broken", None, "LambdaFunctionFailed", {"reason": "ValueError: cannot take hi"}),
        ("slow", "1", "LambdaFunctionTimedOut", {"timeoutType": "START_TO_CLOSE"}),
    ],
)
def test_a_registered_lambda_function_runs(
    kit: Kit,
    functions: Any,
    name: str,
    timeout: str | None,
    event_type: str,
    expected: dict[str, str],
) -> None:
    run = kit.start("w")
    extra = {"startToCloseTimeout": timeout} if timeout else {}
    kit.decide([decision("ScheduleLambdaFunction", id="l1", name=name, input="hi", **extra)])
    with poll_timeout(30):  # the next decision task comes when the function is done
        task = kit.poll()
    assert task.get("taskToken")
    events = kit.events("w", run)
    scheduled = last(events, "LambdaFunctionScheduled")
    assert (scheduled["id"], scheduled["name"], scheduled["input"]) == ("l1", name, "hi")
    assert scheduled["startToCloseTimeout"] == (timeout or "300")
    started = last(events, "LambdaFunctionStarted")
    assert started["scheduledEventId"] == scheduled["event_id"]
    closed = last(events, event_type)
    assert (closed["scheduledEventId"], closed["startedEventId"]) == (
        scheduled["event_id"],
        started["event_id"],
    )
    for key, value in expected.items():
        assert closed[key] == value
    if event_type == "LambdaFunctionFailed":
        assert "ValueError" in closed["details"]  # the traceback
    state = {"LambdaFunctionCompleted": "completed", "LambdaFunctionFailed": "failed"}
    assert compiled(kit, "w", run).lambda_functions["l1"].state == state.get(
        event_type, "timed_out"
    )


# -- close decisions, timers ------------------------------------------------------------------


def test_a_close_decision_with_unhandled_events_fails(kit: Kit) -> None:
    run = kit.start("w")
    task = kit.poll()
    kit.signal("w", "late")  # arrives while the decider works
    complete = decision("CompleteWorkflowExecution", result="too early")
    kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[complete])
    events = kit.events("w", run)
    failed = last(events, "CompleteWorkflowExecutionFailed")
    assert failed["cause"] == "UNHANDLED_DECISION"
    assert (
        failed["decisionTaskCompletedEventId"] == last(events, "DecisionTaskCompleted")["event_id"]
    )
    assert kit.describe("w", run)["executionInfo"]["executionStatus"] == "OPEN"
    again = kit.decide([complete])
    assert "WorkflowExecutionSignaled" in [e["eventType"] for e in again["events"]]
    assert kit.describe("w", run)["executionInfo"]["closeStatus"] == "COMPLETED"


def test_timer_decisions_and_their_failures(kit: Kit) -> None:
    run = kit.start("w")
    start = decision("StartTimer", timerId="t1", startToFireTimeout="600", control="c")
    kit.decide([start, start])  # the second: already in use
    events = kit.events("w", run)
    failed = last(events, "StartTimerFailed")
    assert (failed["timerId"], failed["cause"]) == ("t1", "TIMER_ID_ALREADY_IN_USE")
    assert kit.describe("w", run)["openCounts"]["openTimers"] == 1
    cancel = decision("CancelTimer", timerId="t1")
    kit.decide([cancel, cancel])
    events = kit.events("w", run)
    canceled = last(events, "TimerCanceled")
    assert canceled["startedEventId"] == last(events, "TimerStarted")["event_id"]
    assert canceled["timerId"] == "t1"
    cancel_failed = last(events, "CancelTimerFailed")
    assert (cancel_failed["timerId"], cancel_failed["cause"]) == ("t1", "TIMER_ID_UNKNOWN")
    assert kit.describe("w", run)["openCounts"]["openTimers"] == 0
    assert compiled(kit, "w", run).timers["t1"].state == "canceled"


def test_a_timer_fires_without_any_call(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([decision("StartTimer", timerId="t1", startToFireTimeout="1")])
    deadline = time.monotonic() + 20
    while "TimerFired" not in kit.types("w", run):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    events = kit.events("w", run)
    fired = last(events, "TimerFired")
    assert fired["startedEventId"] == last(events, "TimerStarted")["event_id"]
    assert after(events, fired["event_id"]) == ["DecisionTaskScheduled"]


def test_every_decision_type_is_processed(swf_backend: Connection) -> None:
    """The 13 decision types in one execution's life, and a history that compiles."""
    kit = Kit(swf_backend)
    register_lambda("echo", lambda data: data)
    try:
        kit.start("target", taskList={"name": "targets"})
        kit.decide([], "targets")
        run = kit.start("all")
        kit.decide(
            [
                schedule("a1"),
                decision("RecordMarker", markerName="m", details="d"),
                decision("StartTimer", timerId="t1", startToFireTimeout="600"),
                decision("SignalExternalWorkflowExecution", workflowId="target", signalName="s"),
                decision("StartChildWorkflowExecution", workflowType=CHILD, workflowId="c1"),
                decision("ScheduleLambdaFunction", id="l1", name="echo", input="e"),
            ]
        )
        deadline = time.monotonic() + 20
        while "LambdaFunctionCompleted" not in kit.types("all", run):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        kit.decide(
            [
                decision("RequestCancelActivityTask", activityId="a1"),
                decision("CancelTimer", timerId="t1"),
                decision("RequestCancelExternalWorkflowExecution", workflowId="target"),
            ]
        )
        kit.decide([decision("ContinueAsNewWorkflowExecution")])
        history = History.from_event_list(kit.events("all", run))
        compiled = history.compiled
        assert compiled.workflow.state == "continued_as_new"
        assert compiled.activities["a1"].state == "canceled"
        assert compiled.timers["t1"].state == "canceled"
        assert compiled.child_workflows["c1"].state == "started"
        assert compiled.lambda_functions["l1"].state == "completed"
        assert [m.details for m in compiled.markers["m"]] == ["d"]
        kinds = {e.event_type for e in history}
        assert {"ExternalWorkflowExecutionSignaled", "ExternalWorkflowExecutionCancelRequested"} < (
            kinds
        )
        (following,) = kit.call(
            "ListOpenWorkflowExecutions",
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": "all"},
        )["executionInfos"]
        kit.decide([decision("FailWorkflowExecution", reason="r")])
        info = kit.describe("all", following["execution"]["runId"])["executionInfo"]
        assert info["closeStatus"] == "FAILED"
    finally:
        unregister_lambda("echo")
