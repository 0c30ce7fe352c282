"""swf history / tasks / profile / diagnose, and the inspection methods, on a real moto run."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from swf.cli import CliState, cli
from swf.core import Connection
from swf.inspection import diagnose, pending, timeline
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.history import History


def invoke(conn: Connection, *args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), obj=CliState(conn, domain="insp"), catch_exceptions=False
    )


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _decide(conn: Connection, decisions: list[dict[str, Any]]) -> None:
    task = conn.call("PollForDecisionTask", domain="insp", taskList={"name": "deciders"})
    conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=decisions)


def _schedule(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "double", "version": "1"},
            "activityId": activity_id,
            "taskList": {"name": "workers"},
            "input": "21",
        },
    }


def _work(conn: Connection) -> str:
    task = conn.call("PollForActivityTask", domain="insp", taskList={"name": "workers"})
    return str(task["taskToken"])


@pytest.fixture
def conn(swf_backend: Connection) -> Connection:
    Domain("insp", retention_period=1, client=swf_backend).save()
    WorkflowType(
        "insp",
        "flow",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=30,
        child_policy="TERMINATE",
        client=swf_backend,
    ).save()
    ActivityType(
        "insp",
        "double",
        "1",
        task_list="workers",
        task_heartbeat_timeout=60,
        task_schedule_to_close_timeout=120,
        task_schedule_to_start_timeout=60,
        task_start_to_close_timeout=60,
        client=swf_backend,
    ).save()
    return swf_backend


@pytest.fixture
def finished(conn: Connection) -> WorkflowExecution:
    """a1 fails, a2 completes, a marker, then the workflow completes."""
    execution = WorkflowType("insp", "flow", "1", client=conn).start_execution("done-1")
    _decide(conn, [_schedule("a1")])
    conn.call("RespondActivityTaskFailed", taskToken=_work(conn), reason="boom", details="trace")
    _decide(conn, [_schedule("a2")])
    conn.call("RespondActivityTaskCompleted", taskToken=_work(conn), result="42")
    marker = {
        "decisionType": "RecordMarker",
        "recordMarkerDecisionAttributes": {"markerName": "half", "details": "d"},
    }
    complete = {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {"result": "42"},
    }
    _decide(conn, [marker, complete])
    return execution


@pytest.fixture
def stuck(conn: Connection) -> WorkflowExecution:
    """An activity scheduled that nobody picks up."""
    execution = WorkflowType("insp", "flow", "1", client=conn).start_execution("stuck-1")
    _decide(conn, [_schedule("lonely")])
    return execution


def test_history_typed_raw_json_compiled(conn: Connection, finished: WorkflowExecution) -> None:
    typed = invoke(conn, "history", "done-1")
    assert typed.exit_code == 0
    assert "WorkflowExecutionStarted" in typed.stdout
    assert "activityId=a1" in typed.stdout and "reason=boom" in typed.stdout

    # -o json and --json give one shape (issue 12, command line 4): the whole history as
    # {"events": [...]}, SWF's events with ISO 8601 timestamps, which History.from_json reads.
    document = as_json(invoke(conn, "-o", "json", "history", "done-1"))
    assert as_json(invoke(conn, "history", "done-1", "--json")) == document
    assert as_json(invoke(conn, "history", "done-1", "-o", "json")) == document
    events = document["events"]
    assert events[0]["eventType"] == "WorkflowExecutionStarted"
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert [e["eventId"] for e in events] == list(range(1, len(events) + 1))
    assert dt.datetime.fromisoformat(events[0]["eventTimestamp"]).tzinfo == dt.timezone.utc
    failed = next(e for e in events if e["eventType"] == "ActivityTaskFailed")
    assert failed["activityTaskFailedEventAttributes"]["reason"] == "boom"

    raw = invoke(conn, "history", "done-1", "--raw").stdout.splitlines()
    assert len(raw) == len(events)
    assert json.loads(raw[0])["eventType"] == "WorkflowExecutionStarted"

    saved = invoke(conn, "history", "done-1", "--json").stdout
    history = History.from_json(saved)
    assert len(history) == len(events)
    assert history == finished.history()
    assert history.to_json() == finished.history().to_json()

    compiled = as_json(invoke(conn, "-o", "json", "history", "done-1", "--compiled"))
    assert compiled["workflow"]["state"] == "completed"
    assert compiled["workflow"]["result"] == "42"
    assert compiled["activities"]["a1"]["state"] == "failed"
    assert compiled["activities"]["a1"]["reason"] == "boom"
    assert compiled["activities"]["a2"]["result"] == "42"
    assert compiled["activities"]["a2"]["activity_type"] == {"name": "double", "version": "1"}
    assert compiled["markers"] == {"half": [{"state": "recorded", "details": "d"}]}
    table = invoke(conn, "history", "done-1", "--compiled").stdout
    assert "Activities" in table and "boom" in table and "Markers" in table


def test_tasks_and_pending(
    conn: Connection, finished: WorkflowExecution, stuck: WorkflowExecution
) -> None:
    tasks = as_json(invoke(conn, "-o", "json", "tasks", "done-1"))
    assert [(t["kind"], t["id"], t["state"], t["attempts"]) for t in tasks] == [
        ("activity", "a1", "failed", 1),
        ("activity", "a2", "completed", 1),
    ]
    assert tasks[0]["reason"] == "boom" and tasks[1]["result"] == "42"
    table = invoke(conn, "tasks", "done-1").stdout
    assert "a1" in table and "boom" in table

    items = as_json(invoke(conn, "-o", "json", "tasks", "stuck-1", "--pending"))
    assert [(i["kind"], i["id"], i["state"]) for i in items] == [
        ("activity", "lonely", "scheduled")
    ]
    assert [d["timeout"] for d in items[0]["deadlines"]] == [
        "schedule_to_start",
        "schedule_to_close",
    ]
    assert 0 < items[0]["deadlines"][0]["left"] <= 60
    assert "schedule_to_start" in invoke(conn, "tasks", "stuck-1", "--pending").stdout


def test_profile_table_json_and_svg(
    conn: Connection, finished: WorkflowExecution, tmp_path: Path
) -> None:
    svg = tmp_path / "run.svg"
    out = invoke(conn, "profile", "done-1", "--svg", str(svg))
    assert out.exit_code == 0
    assert "done-1: completed" in out.stdout
    assert f"Gantt chart written to {svg}" in out.stdout
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:rect[@class='run']", ns)) == 2
    assert len(root.findall(".//s:path[@class='failure']", ns)) == 1

    data = as_json(invoke(conn, "-o", "json", "profile", "done-1"))
    assert data["workflow_id"] == "done-1" and data["state"] == "completed"
    assert data["svg"] is None
    assert [t["id"] for t in data["tasks"]] == ["a1", "a2"]
    assert all(0 <= t["share"] <= 1 for t in data["tasks"])
    assert data["total"] >= 0


def test_profile_svg_to_a_missing_directory_exits_1(
    conn: Connection, finished: WorkflowExecution, tmp_path: Path
) -> None:
    result = invoke(conn, "profile", "done-1", "--svg", str(tmp_path / "no" / "x.svg"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write ") and "Traceback" not in result.output


def test_diagnose(conn: Connection, finished: WorkflowExecution, stuck: WorkflowExecution) -> None:
    done = as_json(invoke(conn, "-o", "json", "diagnose", "done-1"))
    assert [f["code"] for f in done] == ["last-failure", "closed"]
    assert done[0]["message"] == "last failure: activity 'a1' failed: boom (trace)"

    found = diagnose(WorkflowExecution("insp", "stuck-1", client=conn))
    assert [f.code for f in found] == ["open"]  # scheduled a moment ago: not stuck yet
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=45)
    found_later = diagnose(WorkflowExecution("insp", "stuck-1", client=conn), now=now)
    assert found_later[0].code == "no-worker"
    assert "1 activity task pending there" in found_later[0].message

    text = invoke(conn, "diagnose", "stuck-1").stdout
    assert text.startswith("info: the execution is open")


def test_diagnose_exits_1_on_an_error_finding(conn: Connection, stuck: WorkflowExecution) -> None:
    stuck.terminate(reason="operator gave up")
    result = invoke(conn, "diagnose", "stuck-1")
    assert result.exit_code == 1
    assert result.stdout.startswith("error: the execution is closed: terminated")
    as_json_result = invoke(conn, "-o", "json", "diagnose", "stuck-1")
    assert as_json_result.exit_code == 1
    findings = json.loads(as_json_result.stdout)  # the JSON is printed whole all the same
    assert findings[0]["level"] == "error" and findings[0]["code"] == "closed"


def test_diagnose_exits_0_without_error_finding(
    conn: Connection, finished: WorkflowExecution
) -> None:
    result = invoke(conn, "diagnose", "done-1")
    assert result.exit_code == 0
    assert "warning: last failure" in result.stdout


def test_execution_methods(conn: Connection, finished: WorkflowExecution) -> None:
    execution = WorkflowExecution("insp", "done-1", client=conn)
    t = timeline(execution)
    assert [task.id for task in t] == ["a1", "a2"]
    assert t.state == "completed"
    assert pending(execution) == []
    assert "<svg" in t.to_svg()


def test_inspection_of_an_unknown_execution_exits_1(conn: Connection) -> None:
    for command in ("history", "tasks", "profile", "diagnose"):
        result = invoke(conn, command, "ghost")
        assert result.exit_code == 1
        assert "'ghost'" in result.stderr and result.stderr.count("\n") == 1


def test_compiled_view_of_children_lambdas_and_signals() -> None:
    """Histories moto cannot produce (children, Lambda), served by Stubber."""
    import boto3
    from botocore.stub import Stubber

    t0 = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    kid = {"workflowId": "kid-1", "runId": "r1"}
    kid_type = {"name": "kid", "version": "2"}

    def event(n: int, event_type: str, **attributes: Any) -> dict[str, Any]:
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        return {
            "eventId": n,
            "eventType": event_type,
            "eventTimestamp": t0 + dt.timedelta(seconds=n),
            key: attributes,
        }

    events = [
        event(
            1, "WorkflowExecutionStarted", workflowType={"name": "flow", "version": "1"},
            taskList={"name": "d"}, childPolicy="TERMINATE",
        ),
        event(2, "DecisionTaskScheduled", taskList={"name": "d"}),
        event(3, "DecisionTaskStarted", scheduledEventId=2),
        event(4, "DecisionTaskCompleted", scheduledEventId=2, startedEventId=3),
        event(
            5, "StartChildWorkflowExecutionInitiated", workflowId="kid-1", workflowType=kid_type,
            childPolicy="TERMINATE", decisionTaskCompletedEventId=4, taskList={"name": "k"},
            taskStartToCloseTimeout="10",
        ),
        event(6, "ChildWorkflowExecutionStarted", workflowExecution=kid, workflowType=kid_type,
              initiatedEventId=5),
        event(
            7, "LambdaFunctionScheduled", id="l1", name="resize", decisionTaskCompletedEventId=4
        ),
        event(8, "LambdaFunctionStarted", scheduledEventId=7),
        event(9, "LambdaFunctionCompleted", scheduledEventId=7, startedEventId=8, result="ok"),
        event(10, "WorkflowExecutionSignaled", signalName="go", input="now"),
    ]  # fmt: skip
    client = boto3.client("swf", region_name="us-east-1")
    conn = Connection(client)
    stub = Stubber(client)
    params = {
        "domain": "insp",
        "execution": {"workflowId": "wf", "runId": "run"},
        "maximumPageSize": 1000,
    }
    for _ in range(2):
        stub.add_response("get_workflow_execution_history", {"events": events}, params)
    with stub:
        table = invoke(conn, "history", "wf", "--run-id", "run", "--compiled").stdout
        data = as_json(invoke(conn, "-o", "json", "history", "wf", "-r", "run", "--compiled"))
    stub.assert_no_pending_responses()
    assert "Child workflows" in table and "kid 2" in table and "r1" in table
    assert "Lambda functions" in table and "resize" in table
    assert "Signals" in table and "now" in table
    assert data["child_workflows"]["kid-1"]["state"] == "started"
    assert data["child_workflows"]["kid-1"]["run_id"] == "r1"
    assert data["lambda_functions"]["l1"] == {
        "state": "completed",
        "attempts": 1,
        "result": "ok",
        "reason": None,
        "details": None,
        "timeout_type": None,
        "cause": None,
        "input": None,
        "scheduled_at": "2026-11-01T00:00:07+00:00",
        "started_at": "2026-11-01T00:00:08+00:00",
        "closed_at": "2026-11-01T00:00:09+00:00",
        "name": "resize",
    }
    assert data["signals"] == [
        {"name": "go", "input": "now", "received_at": "2026-11-01T00:00:10+00:00"}
    ]
    assert data["workflow"]["state"] == "started"


def test_diagnose_and_pending_agree_in_the_first_seconds(conn: Connection) -> None:
    """Issue 12, command line 7: a just-started execution has its first decision task
    pending; diagnose counts what tasks --pending lists."""
    WorkflowType(
        "insp", "fresh", "1", task_list="deciders", execution_timeout=600,
        decision_tasks_timeout=30, child_policy="TERMINATE", client=conn,
    ).save()  # fmt: skip
    WorkflowType("insp", "fresh", "1", client=conn).start_execution("fresh-1")
    listed = as_json(invoke(conn, "-o", "json", "tasks", "fresh-1", "--pending"))
    assert [(i["kind"], i["state"]) for i in listed] == [("decision", "scheduled")]
    (finding,) = as_json(invoke(conn, "-o", "json", "diagnose", "fresh-1"))
    assert finding["code"] == "open"
    assert finding["message"].endswith("with 1 pending task: 1 decision task")
