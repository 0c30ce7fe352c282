"""HistoryWriter: the events SWF writes for decisions (applied or refused) and outcomes.

Every history written here must compile with the strict compiler: the writer is how the
workflow layer's local executor produces histories that replay like SWF's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from swf.exceptions import InvalidDecisionError
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    ExternalWorkflowExecutionDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.history import History
from swf.models.history.writer import HistoryWriter, ticking_clock


class Types:
    """Registered types, as DescribeActivityType / DescribeWorkflowType configurations."""

    activities: dict[tuple[str, str], dict[str, Any]] = {
        ("resize", "1"): {
            "status": "REGISTERED",
            "defaultTaskList": {"name": "workers"},
            "defaultTaskScheduleToCloseTimeout": "600",
            "defaultTaskScheduleToStartTimeout": "300",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultTaskHeartbeatTimeout": "NONE",
            "defaultTaskPriority": "3",
        },
        ("old", "1"): {"status": "DEPRECATED"},
        ("bare", "1"): {"status": "REGISTERED"},
    }
    workflows: dict[tuple[str, str], dict[str, Any]] = {
        ("child", "1"): {
            "status": "REGISTERED",
            "defaultTaskList": {"name": "deciders"},
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        }
    }

    def activity_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        return self.activities.get((name, version))

    def workflow_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        return self.workflows.get((name, version))


def _writer(types: Any = None) -> HistoryWriter:
    writer = HistoryWriter(clock=ticking_clock(), types=types)
    return writer.start(("flow", "1"), task_list="deciders", input="{}").decision_started()


def _types(writer: HistoryWriter) -> list[str]:
    return [event["eventType"] for event in writer.events]


def _attributes(writer: HistoryWriter, position: int) -> dict[str, Any]:
    event = writer.events[position]
    key = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
    return dict(event[key])


def _compiled(writer: HistoryWriter) -> Any:
    return History.from_event_list(writer.events).compiled  # strict: raises if impossible


def test_a_decision_task_applies_its_decisions_in_order() -> None:
    writer = _writer().complete_decision_task(
        [
            MarkerDecision.record("m", "1"),
            ActivityTaskDecision.schedule("a1", ("resize", "1"), task_list="workers"),
            TimerDecision.start("t1", 30),
        ],
        execution_context="ctx",
    )
    assert _types(writer) == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "MarkerRecorded",
        "ActivityTaskScheduled",
        "TimerStarted",
    ]
    assert _attributes(writer, 3) == {
        "scheduledEventId": 2,
        "startedEventId": 3,
        "executionContext": "ctx",
    }
    assert all(_attributes(writer, n)["decisionTaskCompletedEventId"] == 4 for n in (4, 5, 6))
    view = _compiled(writer)
    assert view.activities["a1"].state == "scheduled" and view.timers["t1"].state == "started"


def test_outcomes_schedule_a_decision_task_unless_one_is_scheduled() -> None:
    writer = _writer().complete_decision_task(
        [ActivityTaskDecision.schedule(f"a{n}", ("resize", "1"), task_list="w") for n in (1, 2)]
    )
    writer.start_activity("a1").start_activity("a2")
    writer.complete_activity("a1", "1").complete_activity("a2", "2")
    assert _types(writer)[-3:] == [
        "ActivityTaskCompleted",
        "DecisionTaskScheduled",
        "ActivityTaskCompleted",
    ]
    assert _attributes(writer, len(writer.events) - 1)["startedEventId"] == 8
    assert _compiled(writer).activities["a2"].result == "2"


def test_an_event_during_a_decision_task_gets_the_next_one_and_blocks_closing() -> None:
    writer = _writer().complete_decision_task([TimerDecision.start("t", 5)])
    writer.fire_timer("t").decision_started()
    writer.signal("go", "now")  # arrives while the decider works
    assert writer.open.unhandled_events
    writer.complete_decision_task([WorkflowExecutionDecision.complete("done")])
    assert _types(writer)[-4:] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskCompleted",
        "CompleteWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert _attributes(writer, len(writer.events) - 2)["cause"] == "UNHANDLED_DECISION"
    assert not writer.closed
    writer.decision_started().complete_decision_task([WorkflowExecutionDecision.complete("ok")])
    assert writer.closed and _compiled(writer).workflow.result == "ok"


@pytest.mark.parametrize(
    ("decisions", "cause"),
    [
        (
            [
                ActivityTaskDecision.schedule("a", ("resize", "1"), task_list="w"),
                ActivityTaskDecision.schedule("a", ("resize", "1"), task_list="w"),
            ],
            "ACTIVITY_ID_ALREADY_IN_USE",
        ),
        ([ActivityTaskDecision.request_cancel("nope")], "ACTIVITY_ID_UNKNOWN"),
        ([TimerDecision.start("t", 1), TimerDecision.start("t", 1)], "TIMER_ID_ALREADY_IN_USE"),
        ([TimerDecision.cancel("nope")], "TIMER_ID_UNKNOWN"),
    ],
)
def test_swf_refuses_with_its_cause_and_the_decider_hears_of_it(
    decisions: list[Any], cause: str
) -> None:
    writer = _writer().complete_decision_task(decisions)
    failed = _attributes(writer, len(writer.events) - 2)
    assert failed["cause"] == cause and failed["decisionTaskCompletedEventId"] == 4
    assert _types(writer)[-1] == "DecisionTaskScheduled"  # a failure wakes the decider
    _compiled(writer)


def test_registered_types_fill_the_defaults_and_refuse_unknown_ones() -> None:
    writer = _writer(Types()).complete_decision_task(
        [
            ActivityTaskDecision.schedule("a1", ("resize", "1")),
            ActivityTaskDecision.schedule("a2", ("nope", "1")),
            ActivityTaskDecision.schedule("a3", ("old", "1")),
            ActivityTaskDecision.schedule("a4", ("bare", "1")),
            ActivityTaskDecision.schedule("a5", ("bare", "1"), task_list="w"),
        ]
    )
    scheduled = _attributes(writer, 4)
    assert scheduled["taskList"] == {"name": "workers"}
    assert (scheduled["startToCloseTimeout"], scheduled["heartbeatTimeout"]) == ("300", "NONE")
    assert scheduled["taskPriority"] == "3"
    causes = [_attributes(writer, n).get("cause") for n in range(5, 9)]
    assert causes == [
        "ACTIVITY_TYPE_DOES_NOT_EXIST",
        "ACTIVITY_TYPE_DEPRECATED",
        "DEFAULT_TASK_LIST_UNDEFINED",
        "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
    ]
    assert _compiled(writer).activities["a2"].state == "schedule_failed"


def test_a_cancel_request_cancels_an_activity_no_worker_holds() -> None:
    writer = _writer().complete_decision_task(
        [ActivityTaskDecision.schedule("a1", ("resize", "1"), task_list="w")]
    )
    writer.decision_started().complete_decision_task([ActivityTaskDecision.request_cancel("a1")])
    assert _types(writer)[-3:] == [
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "DecisionTaskScheduled",
    ]
    record = _compiled(writer).activities["a1"]
    assert (record.state, record.cancel_requested) == ("canceled", True)


def test_a_started_activity_waits_for_its_worker_to_report_the_cancel() -> None:
    writer = _writer().complete_decision_task(
        [ActivityTaskDecision.schedule("a1", ("resize", "1"), task_list="w")]
    )
    writer.start_activity("a1").decision_started()
    writer.complete_decision_task([ActivityTaskDecision.request_cancel("a1")])
    assert _types(writer)[-1] == "ActivityTaskCancelRequested"
    writer.cancel_activity("a1", "stopped")
    assert _compiled(writer).activities["a1"].state == "canceled"


def test_children_start_fail_and_close() -> None:
    child = ChildWorkflowExecutionDecision.start(("child", "1"), "c1")
    writer = _writer(Types()).complete_decision_task(
        [child, ChildWorkflowExecutionDecision.start(("nope", "1"), "c2")]
    )
    initiated = _attributes(writer, 4)
    assert initiated["taskList"] == {"name": "deciders"}
    assert initiated["taskStartToCloseTimeout"] == "60"
    refused = _attributes(writer, 5)
    assert (refused["cause"], refused["initiatedEventId"]) == (
        "WORKFLOW_TYPE_DOES_NOT_EXIST",
        0,
    )
    writer.child_started("c1", "run-1").decision_started()
    writer.complete_decision_task([child])  # c1 is running: initiated, then failed aside
    failed = _attributes(writer, len(writer.events) - 2)
    assert (failed["cause"], failed["initiatedEventId"]) == (
        "WORKFLOW_ALREADY_RUNNING",
        len(writer.events) - 2,
    )
    writer.child_closed("c1", "completed", result="7")
    view = _compiled(writer)
    assert (view.child_workflows["c1"].state, view.child_workflows["c1"].result) == (
        "completed",
        "7",
    )
    assert (view.child_workflows["c2"].state, view.child_workflows["c2"].attempts) == (
        "start_failed",
        0,
    )


def test_signals_and_cancel_requests_to_other_executions() -> None:
    writer = _writer().complete_decision_task(
        [
            ExternalWorkflowExecutionDecision.signal("other", "go"),
            ExternalWorkflowExecutionDecision.signal("other", "again"),
            ExternalWorkflowExecutionDecision.request_cancel("other"),
        ]
    )
    writer.external_signaled("other", "r1", initiated_event_id=5)
    writer.signal_external_failed("other")  # the latest signal: event 6
    writer.external_cancel_requested("other", "r1")
    view = _compiled(writer)
    assert [view.external_signals[n].state for n in (5, 6)] == ["signaled", "signal_failed"]
    assert view.external_cancels[7].state == "cancel_requested"


def test_continue_as_new_carries_the_run_settings() -> None:
    writer = HistoryWriter(clock=ticking_clock(), new_run_id=lambda: "run-2")
    writer.start(("flow", "1"), task_list="d", tag_list=["x"], execution_timeout="60")
    writer.decision_started().complete_decision_task(
        [WorkflowExecutionDecision.continue_as_new(input="[1]")]
    )
    continued = _attributes(writer, 4)
    assert continued["newExecutionRunId"] == "run-2"
    assert continued["taskList"] == {"name": "d"} and continued["tagList"] == ["x"]
    assert continued["executionStartToCloseTimeout"] == "60"
    assert continued["workflowType"] == {"name": "flow", "version": "1"}
    assert _compiled(writer).workflow.state == "continued_as_new"


def test_the_open_activities_limit_is_swfs() -> None:
    decisions = [
        ActivityTaskDecision.schedule(f"a{n}", ("resize", "1"), task_list="w") for n in range(99)
    ]
    writer = _writer()
    for _ in range(10):
        writer.complete_decision_task(decisions).decision_started()
        decisions = [
            ActivityTaskDecision.schedule(f"{d.attributes['activityId']}x", ("resize", "1"))
            for d in decisions
        ]
    assert len(writer.open.activities) == 990
    writer.complete_decision_task(decisions[:11])
    causes = [
        e.get("scheduleActivityTaskFailedEventAttributes", {}).get("cause") for e in writer.events
    ]
    assert causes.count("OPEN_ACTIVITIES_LIMIT_EXCEEDED") == 1
    assert len(writer.open.activities) == 1000


def test_nothing_after_the_close_and_no_decision_before_a_task() -> None:
    writer = HistoryWriter(clock=ticking_clock()).start(("flow", "1"), task_list="d")
    with pytest.raises(InvalidDecisionError, match="no decision task completed yet"):
        writer.apply(TimerDecision.start("t", 1))
    writer.decision_started().complete_decision_task([WorkflowExecutionDecision.fail("r")])
    with pytest.raises(InvalidDecisionError, match="after the execution closed"):
        writer.apply(TimerDecision.start("t", 1))
    writer.signal("late")  # an outcome after the close schedules nothing
    assert _types(writer)[-1] == "WorkflowExecutionSignaled"
