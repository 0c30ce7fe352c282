"""Decider on in-process moto (and Stubber for paging): poll, complete, the run loop."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from botocore.stub import Stubber

from swf.actors import Decider, DecisionTask
from swf.core import Connection
from swf.exceptions import InvalidDecisionError, PollTimeout, TaskClosedError
from swf.models import Domain, WorkflowExecution, WorkflowType
from swf.models.decision import MarkerDecision, TimerDecision

DOMAIN = "deciders"


def setup_execution(conn: Connection) -> WorkflowExecution:
    Domain(DOMAIN, retention_period=1, client=conn).save()
    wtype = WorkflowType(
        DOMAIN,
        "wf",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=60,
        child_policy="TERMINATE",
        client=conn,
    )
    wtype.save()
    return wtype.start_execution(workflow_id="wf-1", input="hello")


class Scripted(Decider):
    """Answers with what `answer` returns (set per test)."""

    def __init__(self, *args: Any, answer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer = answer or (lambda task: [])
        self.tasks: list[DecisionTask] = []

    def decide(self, task: DecisionTask) -> Any:
        self.tasks.append(task)
        return self.answer(task)


def event_types(execution: WorkflowExecution) -> list[str]:
    return [e["eventType"] for e in execution.raw_events()]


def test_poll_returns_the_task_with_its_history(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)
    decider = Scripted(DOMAIN, "deciders", client=swf_backend)
    task = decider.poll()
    assert task.token
    assert task.execution.workflow_id == "wf-1"
    assert task.execution.run_id == execution.run_id
    assert task.workflow_id == "wf-1" and task.run_id == execution.run_id
    assert task.workflow_type == WorkflowType(DOMAIN, "wf", "1")
    assert task.previous_started_event_id is None  # moto omits it on the first task
    assert task.started_event_id == 3
    assert len(task.history) == 3
    assert task.history.first.attributes["input"] == "hello"
    assert [e.id for e in task.new_events] == [1, 2, 3]


def test_empty_poll_raises_poll_timeout(swf_backend: Connection) -> None:
    setup_execution(swf_backend)
    decider = Scripted(DOMAIN, "deciders", client=swf_backend)
    decider.complete(decider.poll().token, [])
    with pytest.raises(PollTimeout, match="'deciders'"):
        decider.poll()


def test_complete_sends_builders_and_plain_dicts(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)
    decider = Scripted(DOMAIN, "deciders", client=swf_backend)
    task = decider.poll()
    plain = {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "b"}}
    decider.complete(task.token, [MarkerDecision.record("a", "1"), plain], execution_context="c")
    assert event_types(execution)[-3:] == [
        "DecisionTaskCompleted",
        "MarkerRecorded",
        "MarkerRecorded",
    ]
    compiled = execution.history().compiled
    assert set(compiled.markers) == {"a", "b"}
    with pytest.raises(TaskClosedError, match="is closed"):
        decider.complete(task.token, [])


@pytest.mark.parametrize(
    ("decisions", "match"),
    [
        ([TimerDecision.start(f"t{i}", 5) for i in range(101)], "101 decisions"),
        ([{"decisionType": "TerminateWorkflowExecution"}], "TerminateWorkflowExecution"),
        (["StartTimer"], "not a decision"),
        (TimerDecision.start("t", 5), "must be a list"),
        (
            [
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {"timerId": "t/x", "startToFireTimeout": "5"},
                }
            ],
            "forbidden character '/'.*startTimerDecisionAttributes.timerId",
        ),
    ],
)
def test_bad_decisions_are_refused_before_sending(
    swf_backend: Connection, decisions: Any, match: str
) -> None:
    decider = Scripted(DOMAIN, "deciders", client=swf_backend)
    with pytest.raises(InvalidDecisionError, match=match):
        decider.complete("token", decisions)
    assert swf_backend.calls["RespondDecisionTaskCompleted"] == 0


def test_exactly_100_decisions_are_fine(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)
    decider = Scripted(DOMAIN, "deciders", client=swf_backend)
    task = decider.poll()
    decider.complete(task.token, [TimerDecision.start(f"t{i}", 600) for i in range(100)])
    assert event_types(execution).count("TimerStarted") == 100


def test_run_once_sends_what_decide_returns(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)
    decider = Scripted(
        DOMAIN, "deciders", client=swf_backend, answer=lambda t: [TimerDecision.start("t", 60)]
    )
    report = decider.run_once()
    assert (report.kind, report.outcome, report.detail) == ("decision", "completed", "1 decision")
    assert (report.workflow_id, report.activity_id) == ("wf-1", None)
    assert event_types(execution)[-1] == "TimerStarted"


def test_a_failing_decide_is_logged_and_the_task_left_to_time_out(
    swf_backend: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    execution = setup_execution(swf_backend)

    def boom(task: DecisionTask) -> None:
        raise RuntimeError("boom")

    decider = Scripted(DOMAIN, "deciders", client=swf_backend, answer=boom)
    with caplog.at_level(logging.ERROR, logger="swf.actors"):
        report = decider.run_once()
    assert (report.outcome, report.detail) == ("decide_failed", "RuntimeError: boom")
    assert "DecisionTaskCompleted" not in event_types(execution)
    assert swf_backend.calls["RespondDecisionTaskCompleted"] == 0
    (record,) = caplog.records
    assert "'wf-1'" in record.getMessage() and "left to time out" in record.getMessage()
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])


def test_fail_on_error_fails_the_workflow_with_the_reason(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)

    class Strict(Scripted):
        fail_on_error = True

    def boom(task: DecisionTask) -> None:
        raise RuntimeError("boom")

    Strict(DOMAIN, "deciders", client=swf_backend, answer=boom).run_once()
    closed = execution.upstream()
    assert closed.close_status == "FAILED"
    last = list(execution.raw_events())[-1]
    assert last["eventType"] == "WorkflowExecutionFailed"
    attributes = last["workflowExecutionFailedEventAttributes"]
    assert attributes["reason"] == "RuntimeError: boom"
    assert "Traceback" in attributes["details"]


def test_invalid_decisions_from_decide_count_as_a_decide_error(swf_backend: Connection) -> None:
    execution = setup_execution(swf_backend)
    decider = Scripted(DOMAIN, "deciders", client=swf_backend, answer=lambda t: ["nonsense"])
    decider.run_once()
    assert "DecisionTaskCompleted" not in event_types(execution)


def _event(event_id: int, event_type: str, attributes: dict[str, Any]) -> dict[str, Any]:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    return {
        "eventId": event_id,
        "eventType": event_type,
        "eventTimestamp": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
        key: attributes,
    }


EVENTS = [
    _event(
        1,
        "WorkflowExecutionStarted",
        {
            "workflowType": {"name": "wf", "version": "1"},
            "taskList": {"name": "deciders"},
            "childPolicy": "TERMINATE",
            "input": "paged",
        },
    ),
    _event(2, "DecisionTaskScheduled", {"taskList": {"name": "deciders"}}),
    _event(3, "DecisionTaskStarted", {"scheduledEventId": 2}),
]
PAGE = {
    "taskToken": "tok",
    "startedEventId": 3,
    "previousStartedEventId": 0,
    "workflowExecution": {"workflowId": "wf-1", "runId": "run-1"},
    "workflowType": {"name": "wf", "version": "1"},
}


@pytest.mark.parametrize("reverse", [False, True])
def test_poll_fetches_every_page_of_the_history(swf_backend: Connection, reverse: bool) -> None:
    conn = Connection(swf_backend.client)
    ordered = EVENTS[::-1] if reverse else EVENTS
    request = {"domain": DOMAIN, "taskList": {"name": "deciders"}, "identity": "me"}
    if reverse:
        request["reverseOrder"] = True
    with Stubber(conn.client) as stubber:
        stubber.add_response(
            "poll_for_decision_task",
            {**PAGE, "events": ordered[:2], "nextPageToken": "p2"},
            request,
        )
        stubber.add_response(
            "poll_for_decision_task",
            {**PAGE, "events": ordered[2:]},
            {**request, "nextPageToken": "p2"},
        )
        task = Scripted(DOMAIN, "deciders", identity="me", client=conn).poll(reverse_order=reverse)
        stubber.assert_no_pending_responses()
    assert [e.id for e in task.history] == [1, 2, 3]
    assert task.token == "tok"
    assert task.previous_started_event_id is None
    assert conn.calls["PollForDecisionTask"] == 2
