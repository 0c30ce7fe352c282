"""Histories recorded from in-process moto: a saved one compiles and round-trips; a fresh one
has the same shape; WorkflowExecution.history()/iter_events() page lazily (Stubber)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from swf.core import Connection
from swf.exceptions import InvalidHistoryError
from swf.models import WorkflowExecution
from swf.models.history import History

SAVED = Path(__file__).parent.parent / "data" / "moto_history.json"
DOMAIN = "recorded"


def _decide(conn: Connection, decisions: list[dict[str, Any]]) -> dict[str, Any]:
    task = conn.call("PollForDecisionTask", domain=DOMAIN, taskList={"name": "deciders"})
    conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=decisions)
    return task


def _work(conn: Connection, *, fail: bool = False) -> None:
    task = conn.call("PollForActivityTask", domain=DOMAIN, taskList={"name": "workers"})
    if fail:
        conn.call(
            "RespondActivityTaskFailed", taskToken=task["taskToken"], reason="boom", details="d"
        )
    else:
        conn.call("RespondActivityTaskCompleted", taskToken=task["taskToken"], result="done")


def _schedule(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "act", "version": "1"},
            "activityId": activity_id,
            "taskList": {"name": "workers"},
            "input": f"in-{activity_id}",
        },
    }


def record(conn: Connection) -> list[dict[str, Any]]:
    """Run one execution on moto with raw calls: fan-out of two activities (one failing, then
    a third), a marker, a timer started then canceled, a signal, completion."""
    conn.call("RegisterDomain", name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    conn.call(
        "RegisterWorkflowType",
        domain=DOMAIN,
        name="wf",
        version="1",
        defaultTaskList={"name": "deciders"},
        defaultExecutionStartToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="60",
        defaultChildPolicy="TERMINATE",
    )
    conn.call(
        "RegisterActivityType",
        domain=DOMAIN,
        name="act",
        version="1",
        defaultTaskList={"name": "workers"},
        defaultTaskScheduleToStartTimeout="60",
        defaultTaskScheduleToCloseTimeout="120",
        defaultTaskStartToCloseTimeout="60",
        defaultTaskHeartbeatTimeout="60",
    )
    run = conn.call(
        "StartWorkflowExecution",
        domain=DOMAIN,
        workflowId="rec-1",
        workflowType={"name": "wf", "version": "1"},
        input='{"numbers": [1, 2]}',
        tagList=["recorded"],
    )["runId"]
    marker = {
        "decisionType": "RecordMarker",
        "recordMarkerDecisionAttributes": {"markerName": "fan-out", "details": "2"},
    }
    timer = {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "t1", "startToFireTimeout": "600"},
    }
    _decide(conn, [marker, _schedule("a1"), _schedule("a2"), timer])
    _work(conn)
    _work(conn, fail=True)
    _decide(conn, [_schedule("a3")])  # in-process moto refuses a reused id (swf.local adapts)
    _work(conn)
    conn.call(
        "SignalWorkflowExecution",
        domain=DOMAIN,
        workflowId="rec-1",
        runId=run,
        signalName="go",
        input="now",
    )
    cancel = {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "t1"}}
    complete = {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {"result": "finished"},
    }
    _decide(conn, [cancel, complete])
    pages = conn.call(
        "GetWorkflowExecutionHistory",
        domain=DOMAIN,
        execution={"workflowId": "rec-1", "runId": run},
    )
    return list(pages["events"])


def test_saved_history_compiles() -> None:
    history = History.from_json(SAVED)
    compiled = history.compiled
    assert compiled.workflow.state == "completed"
    assert compiled.workflow.result == "finished"
    assert compiled.workflow.tag_list == []  # moto leaves tagList out of the event
    assert history.first.attributes["input"] == '{"numbers": [1, 2]}'
    a1, a2 = compiled.activities["a1"], compiled.activities["a2"]
    assert (a1.state, a1.attempts, a1.result, a1.input) == ("completed", 1, "done", "in-a1")
    assert (a2.state, a2.attempts, a2.reason, a2.details) == ("failed", 1, "boom", "d")
    assert compiled.activities["a3"].result == "done"
    assert compiled.timers["t1"].state == "started"  # moto writes no TimerCanceled here
    assert [m.details for m in compiled.markers["fan-out"]] == ["2"]
    assert [(s.name, s.input) for s in compiled.signals] == [("go", "now")]
    assert compiled.open_activities == []
    assert [t.timer_id for t in compiled.open_timers] == ["t1"]
    assert compiled.last_event_id == len(history)
    assert history.finished
    assert history.validate() == []


def test_saved_history_round_trips_exactly() -> None:
    text = SAVED.read_text()
    history = History.from_json(text)
    assert json.loads(history.to_json()) == json.loads(text)
    assert History.from_json(history.to_json()) == history


#: What ``record`` writes on the local endpoint, as SWF writes it. The saved history (plain moto
#: 5.2.1) differs where moto did: an extra DecisionTaskScheduled after the failure and after the
#: signal, and a ``TimerCancelled`` event (SWF's type is ``TimerCanceled``).
SWF_SHAPE = [
    *("WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"),
    *("DecisionTaskCompleted", "MarkerRecorded", "ActivityTaskScheduled"),
    *("ActivityTaskScheduled", "TimerStarted", "ActivityTaskStarted", "ActivityTaskCompleted"),
    *("DecisionTaskScheduled", "ActivityTaskStarted", "ActivityTaskFailed"),
    *("DecisionTaskStarted", "DecisionTaskCompleted", "ActivityTaskScheduled"),
    *("ActivityTaskStarted", "ActivityTaskCompleted", "DecisionTaskScheduled"),
    *("WorkflowExecutionSignaled", "DecisionTaskStarted", "DecisionTaskCompleted"),
    *("TimerCanceled", "WorkflowExecutionCompleted"),
]


def test_a_fresh_moto_run_has_the_saved_shape(swf_backend: Connection) -> None:
    events = record(swf_backend)
    history = History.from_event_list(events)
    saved = History.from_json(SAVED)
    assert [e.event_type for e in history] == SWF_SHAPE
    extra = (13, 21)  # moto's extra DecisionTaskScheduled; and its spelling TimerCancelled
    assert [t for t in SWF_SHAPE if t != "TimerCanceled"] == [
        e.event_type
        for i, e in enumerate(saved)
        if e.event_type != "TimerCancelled" and i not in extra
    ]
    assert history.compiled.activities["a3"].state == "completed"
    assert history.compiled.timers["t1"].state == "canceled"
    again = History.from_json(history.to_json())
    assert [e.timestamp for e in again] == [e.timestamp for e in history]
    assert all(e.timestamp.tzinfo is dt.timezone.utc for e in history)


def _page(events: list[dict[str, Any]], token: str | None) -> dict[str, Any]:
    page: dict[str, Any] = {"events": events}
    if token:
        page["nextPageToken"] = token
    return page


@pytest.fixture
def stubbed() -> Any:
    saved = json.loads(SAVED.read_text())["events"]
    return [
        {**e, "eventTimestamp": dt.datetime.fromtimestamp(e["eventTimestamp"], dt.timezone.utc)}
        for e in saved
    ]


def test_history_fetches_every_page(swf_backend: Connection, stubbed: list[dict[str, Any]]) -> None:
    execution = WorkflowExecution(DOMAIN, "rec-1", "run-1", client=swf_backend)
    stubber = Stubber(swf_backend.client)
    half = len(stubbed) // 2
    stubber.add_response("get_workflow_execution_history", _page(stubbed[:half], "p2"))
    stubber.add_response("get_workflow_execution_history", _page(stubbed[half:], None))
    with stubber:
        history = execution.history()
    assert [e.id for e in history] == list(range(1, len(stubbed) + 1))
    assert swf_backend.calls["GetWorkflowExecutionHistory"] == 2
    assert history.compiled.workflow.state == "completed"


def test_iter_events_is_lazy_and_reverses(
    swf_backend: Connection, stubbed: list[dict[str, Any]]
) -> None:
    execution = WorkflowExecution(DOMAIN, "rec-1", "run-1", client=swf_backend)
    newest_first = stubbed[::-1]
    stubber = Stubber(swf_backend.client)
    stubber.add_response("get_workflow_execution_history", _page(newest_first[:3], "p2"))
    stubber.add_response("get_workflow_execution_history", _page(newest_first[3:], None))
    with stubber:
        events = execution.iter_events(reverse=True)
        assert swf_backend.calls["GetWorkflowExecutionHistory"] == 0
        first = [next(events) for _ in range(3)]
        assert swf_backend.calls["GetWorkflowExecutionHistory"] == 1
        assert first[0].event_type == "WorkflowExecutionCompleted"
        assert first[0].closes_workflow
        rest = list(events)
    assert swf_backend.calls["GetWorkflowExecutionHistory"] == 2
    assert [e.id for e in first + rest] == list(range(len(stubbed), 0, -1))


def test_a_fetched_history_equals_itself_after_a_json_round_trip(swf_backend: Connection) -> None:
    """Issue 12, correctness 5: a fetched history has datetime timestamps, JSON has seconds."""
    history = History.from_event_list(record(swf_backend))
    assert isinstance(history.first.raw["eventTimestamp"], dt.datetime)
    again = History.from_json(history.to_json())
    assert again == history
    assert again[3] == history[3] and history[3] != history[4]


def _iso(events: list[dict[str, Any]], write: Any) -> str:
    return json.dumps(
        {"events": [{**e, "eventTimestamp": write(e["eventTimestamp"])} for e in events]}
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda stamp: stamp.isoformat(),  # the AWS CLI's form
        str,  # json.dumps(default=str)
        lambda stamp: stamp.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat(),
        lambda stamp: stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    ],
    ids=["isoformat", "str", "offset", "zulu"],
)
def test_iso_8601_timestamps_load(stubbed: list[dict[str, Any]], write: Any) -> None:
    saved = History.from_json(SAVED)
    loaded = History.from_json(_iso(stubbed, write))
    assert loaded == saved
    assert [e.timestamp for e in loaded] == [e.timestamp for e in saved]
    assert json.loads(loaded.to_json()) == json.loads(saved.to_json())
    assert loaded.compiled.workflow.state == "completed"


def test_a_timestamp_that_is_no_date_is_refused_with_its_position() -> None:
    events = json.loads(SAVED.read_text())["events"]
    events[2]["eventTimestamp"] = "yesterday-ish"
    with pytest.raises(InvalidHistoryError, match="position 2.*'yesterday-ish' is not"):
        History.from_event_list(events)
