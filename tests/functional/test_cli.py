"""The swf command, run in-process with click's CliRunner against moto (and Stubber)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from click.testing import CliRunner, Result

from swf.actors import Decider
from swf.cli import CliState, cli, main
from swf.core import Connection
from swf.models import ActivityType, Domain, WorkflowType
from swf.models.decision import WorkflowExecutionDecision


def invoke(
    conn: Connection, *args: str, domain: str | None = "cli", input: str | None = None
) -> Result:
    """Run ``swf ARGS`` on ``conn``; exceptions other than exits propagate."""
    state = CliState(conn, domain=domain)
    return CliRunner().invoke(cli, list(args), obj=state, input=input, catch_exceptions=False)


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def conn(swf_backend: Connection) -> Connection:
    Domain("cli", description="for the CLI", retention_period=1, client=swf_backend).save()
    return swf_backend


@pytest.fixture
def wtype(conn: Connection) -> WorkflowType:
    wt = WorkflowType(
        "cli",
        "flow",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=30,
        child_policy="TERMINATE",
        client=conn,
    )
    wt.save()
    return wt


# -- domains --------------------------------------------------------------------------------


def test_domain_commands_round_trip(conn: Connection) -> None:
    result = invoke(
        conn, "domain", "register", "other", "--description", "second", "--retention-days", "3"
    )
    assert result.exit_code == 0
    assert result.stdout == "Domain 'other' registered.\n"

    listed = invoke(conn, "domain", "list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert any(line.split() == ["cli", "REGISTERED", "for", "the", "CLI"] for line in lines)
    assert any(line.split() == ["other", "REGISTERED", "second"] for line in lines)

    data = as_json(invoke(conn, "--output", "json", "domain", "list"))
    assert {d["name"]: d["description"] for d in data} == {"cli": "for the CLI", "other": "second"}
    assert set(data[0]) == {"name", "status", "description", "retention_period"}

    described = as_json(invoke(conn, "-o", "json", "domain", "describe", "other"))
    assert described == {
        "name": "other",
        "status": "REGISTERED",
        "description": "second",
        "retention_period": "3",
    }
    table = invoke(conn, "domain", "describe", "other")
    assert "retention (days)" in table.stdout and "second" in table.stdout

    assert as_json(invoke(conn, "-o", "json", "domain", "deprecate", "other")) == {
        "action": "deprecated",
        "name": "other",
    }
    deprecated = as_json(invoke(conn, "-o", "json", "domain", "list", "--status", "deprecated"))
    assert [d["name"] for d in deprecated] == ["other"]
    assert invoke(conn, "domain", "undeprecate", "other").stdout == "Domain 'other' undeprecated.\n"
    assert Domain("other", client=conn).upstream().status == "REGISTERED"


def test_unknown_domain_is_one_line_on_stderr_and_exit_1(conn: Connection) -> None:
    result = invoke(conn, "domain", "describe", "nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ") and "'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_debug_shows_the_exception(conn: Connection) -> None:
    with pytest.raises(Domain.DoesNotExist):
        invoke(conn, "--debug", "domain", "describe", "nope")


def test_already_registered_domain_exits_1(conn: Connection) -> None:
    result = invoke(conn, "domain", "register", "cli")
    assert result.exit_code == 1
    assert "cli" in result.stderr and result.stderr.count("\n") == 1


def test_bad_retention_is_a_usage_error_before_any_request(conn: Connection) -> None:
    before = sum(conn.calls.values())
    result = invoke(conn, "domain", "register", "x", "--retention-days", "many")
    assert result.exit_code == 2
    assert "retention" in result.stderr
    assert sum(conn.calls.values()) == before


# -- types ----------------------------------------------------------------------------------


def test_type_commands(conn: Connection) -> None:
    out = invoke(
        conn, "type", "register", "flow", "1", "--task-list", "deciders",
        "--execution-timeout", "600", "--decision-tasks-timeout", "30",
        "--child-policy", "TERMINATE",
    )  # fmt: skip
    assert out.exit_code == 0
    assert out.stdout == "Workflow type 'flow' '1' registered.\n"
    registered = as_json(
        invoke(
            conn,
            "-o",
            "json",
            "type",
            "register",
            "work",
            "2",
            "--kind",
            "activity",
            "--task-list",
            "workers",
            "--heartbeat-timeout",
            "20",
            "--start-to-close-timeout",
            "60",
            "--schedule-to-start-timeout",
            "NONE",
            "--schedule-to-close-timeout",
            "120",
        )
    )
    assert registered["action"] == "registered"
    assert registered["task_heartbeat_timeout"] == "20"

    listed = as_json(invoke(conn, "-o", "json", "type", "list"))
    assert [(t["kind"], t["name"], t["version"]) for t in listed] == [
        ("workflow", "flow", "1"),
        ("activity", "work", "2"),
    ]
    only = as_json(invoke(conn, "-o", "json", "type", "list", "--kind", "activity"))
    assert [t["name"] for t in only] == ["work"]
    table = invoke(conn, "type", "list").stdout
    assert "workflow   flow" in table and "activity   work" in table

    described = as_json(invoke(conn, "-o", "json", "type", "describe", "flow", "1"))
    assert described["execution_timeout"] == "600"
    assert described["decision_tasks_timeout"] == "30"
    assert described["child_policy"] == "TERMINATE"
    assert described["task_list"] == "deciders"
    activity = as_json(
        invoke(conn, "-o", "json", "type", "describe", "work", "2", "-k", "activity")
    )
    assert activity["task_start_to_close_timeout"] == "60"
    assert activity["task_schedule_to_start_timeout"] == "NONE"
    assert (
        "heartbeat timeout"
        in invoke(conn, "type", "describe", "work", "2", "-k", "activity").stdout
    )

    gone = invoke(conn, "type", "deprecate", "work", "2", "--kind", "activity")
    assert gone.stdout == "Activity type 'work' '2' deprecated.\n"
    assert ActivityType("cli", "work", "2", client=conn).upstream().status == "DEPRECATED"
    deprecated = as_json(invoke(conn, "-o", "json", "type", "list", "--status", "DEPRECATED"))
    assert [t["name"] for t in deprecated] == ["work"]
    back = as_json(invoke(conn, "-o", "json", "type", "undeprecate", "work", "2", "-k", "activity"))
    assert back == {
        "action": "undeprecated",
        "kind": "activity",
        "domain": "cli",
        "name": "work",
        "version": "2",
    }


def test_type_errors(conn: Connection) -> None:
    missing = invoke(conn, "type", "describe", "ghost", "9")
    assert missing.exit_code == 1
    assert "ghost" in missing.stderr and missing.stderr.count("\n") == 1
    wrong = invoke(conn, "type", "register", "a", "1", "--heartbeat-timeout", "5")
    assert wrong.exit_code == 2
    assert "--heartbeat-timeout does not apply to workflow types" in wrong.stderr
    no_domain = invoke(conn, "type", "list", domain=None)
    assert no_domain.exit_code == 2
    assert "SWF_DOMAIN" in no_domain.stderr


def test_domain_from_the_environment(conn: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWF_DOMAIN", "cli")
    WorkflowType("cli", "env", "1", client=conn).save()
    data = as_json(invoke(conn, "-o", "json", "type", "list", domain=None))
    assert [t["name"] for t in data] == ["env"]


# -- executions -----------------------------------------------------------------------------


def test_execution_start_list_info_signal_terminate(conn: Connection, wtype: WorkflowType) -> None:
    started = as_json(
        invoke(
            conn,
            "-o",
            "json",
            "execution",
            "start",
            "flow",
            "1",
            "--workflow-id",
            "wf-1",
            "--input",
            '{"n": 1}',
            "--tag",
            "blue",
            "--tag",
            "big",
        )
    )
    assert started["action"] == "started" and started["workflow_id"] == "wf-1"
    run_id = started["run_id"]
    plain = invoke(conn, "execution", "start", "flow", "1", "--workflow-id", "wf-2", input="in")
    assert plain.stdout.startswith("Started wf-2 (run ")

    listed = as_json(invoke(conn, "-o", "json", "execution", "list"))
    assert sorted(e["workflow_id"] for e in listed) == ["wf-1", "wf-2"]
    one = next(e for e in listed if e["workflow_id"] == "wf-1")
    assert one["run_id"] == run_id
    assert one["workflow_type"] == {"name": "flow", "version": "1"}
    assert one["status"] == "OPEN" and one["close_status"] is None
    assert one["tag_list"] == ["blue", "big"]
    dt.datetime.fromisoformat(one["start_timestamp"])  # ISO 8601
    assert set(one) == {
        "domain", "workflow_id", "run_id", "workflow_type", "status", "close_status",
        "tag_list", "start_timestamp", "close_timestamp", "cancel_requested", "parent",
    }  # fmt: skip

    table = invoke(conn, "execution", "list", "--status", "open", "--limit", "5").stdout
    assert "wf-1" in table and "flow 1" in table and "blue, big" in table

    info = as_json(invoke(conn, "-o", "json", "execution", "info", "wf-1"))
    assert info["run_id"] == run_id
    assert info["task_list"] == "deciders"
    assert info["open_counts"]["decision_tasks"] == 1
    assert "open counts" in invoke(conn, "execution", "info", "wf-1", "--run-id", run_id).stdout

    signaled = as_json(
        invoke(conn, "-o", "json", "execution", "signal", "wf-1", "go", "--input", "x")
    )
    assert signaled == {
        "action": "signaled",
        "domain": "cli",
        "workflow_id": "wf-1",
        "run_id": None,
        "signal": "go",
    }
    events = [
        e["eventType"]
        for e in conn.call(
            "GetWorkflowExecutionHistory",
            domain="cli",
            execution={"workflowId": "wf-1", "runId": run_id},
        )["events"]
    ]
    assert "WorkflowExecutionSignaled" in events

    done = invoke(conn, "execution", "terminate", "wf-1", "--reason", "enough")
    assert done.stdout == "Execution wf-1 terminated.\n"
    closed = as_json(invoke(conn, "-o", "json", "execution", "list", "--status", "closed"))
    assert [(e["workflow_id"], e["close_status"]) for e in closed] == [("wf-1", "TERMINATED")]


def test_execution_errors(conn: Connection, wtype: WorkflowType) -> None:
    missing = invoke(conn, "execution", "info", "nobody")
    assert missing.exit_code == 1
    assert "'nobody'" in missing.stderr and missing.stderr.count("\n") == 1
    no_type = invoke(conn, "execution", "start", "ghost", "1")
    assert no_type.exit_code == 1 and "ghost" in no_type.stderr
    assert invoke(conn, "execution", "start", "flow", "1", "--workflow-id", "dup").exit_code == 0
    again = invoke(conn, "execution", "start", "flow", "1", "--workflow-id", "dup")
    assert again.exit_code == 1 and "dup" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--started-after", "someday"], "not a date"),
        (["--tag", "a", "--workflow-id", "b"], "only one of"),
        (["--started-after", "2 days ago", "--closed-before", "2026-01-01"], "not both"),
        (["--status", "open", "--close-status", "FAILED"], "closed executions only"),
        (["--type-version", "1"], "--type-version '1' needs --type"),
        (["--started-after", "2026-02-01", "--started-before", "2026-01-01"], "is after"),
        (["--status", "sideways"], "Invalid value"),
    ],
)
def test_bad_filters_are_usage_errors_before_any_request(
    conn: Connection, args: list[str], message: str
) -> None:
    before = sum(conn.calls.values())
    result = invoke(conn, "execution", "list", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert sum(conn.calls.values()) == before


def test_filters_go_to_swf(conn: Connection, wtype: WorkflowType) -> None:
    wtype.start_execution("old")
    data = as_json(
        invoke(
            conn,
            "-o",
            "json",
            "execution",
            "list",
            "--started-after",
            "1 day ago",
            "--type",
            "flow",
            "--type-version",
            "1",
        )
    )
    assert [e["workflow_id"] for e in data] == ["old"]
    assert (
        as_json(invoke(conn, "-o", "json", "execution", "list", "--started-before", "2 days ago"))
        == []
    )
    assert as_json(invoke(conn, "-o", "json", "execution", "list", "--workflow-id", "other")) == []


def _stubbed() -> tuple[Connection, Stubber]:
    client = boto3.client("swf", region_name="us-east-1")
    return Connection(client), Stubber(client)


def test_execution_count_uses_the_count_operations() -> None:
    conn, stub = _stubbed()
    stub.add_response(
        "count_open_workflow_executions",
        {"count": 3, "truncated": False},
        {
            "domain": "cli",
            "startTimeFilter": {"oldestDate": ANY},
            "tagFilter": {"tag": "t"},
        },
    )
    stub.add_response(
        "count_closed_workflow_executions",
        {"count": 4, "truncated": False},
        {
            "domain": "cli",
            "startTimeFilter": {"oldestDate": ANY},
            "tagFilter": {"tag": "t"},
        },
    )
    stub.add_response(
        "count_closed_workflow_executions",
        {"count": 2, "truncated": False},
        {
            "domain": "cli",
            "closeTimeFilter": {"oldestDate": ANY},
            "closeStatusFilter": {"status": "FAILED"},
        },
    )
    with stub:
        assert invoke(conn, "execution", "count", "--tag", "t").stdout == "7\n"
        result = invoke(
            conn,
            "-o",
            "json",
            "execution",
            "count",
            "--closed-after",
            "1 day ago",
            "--close-status",
            "failed",
        )
        assert as_json(result) == {"count": 2, "truncated": False}
    stub.assert_no_pending_responses()


def test_execution_count_says_when_swf_truncated_it() -> None:
    conn, stub = _stubbed()
    stub.add_response(
        "count_open_workflow_executions",
        {"count": 1000, "truncated": True},
        {"domain": "cli", "startTimeFilter": {"oldestDate": ANY}},
    )
    stub.add_response(
        "count_open_workflow_executions",
        {"count": 1000, "truncated": True},
        {"domain": "cli", "startTimeFilter": {"oldestDate": ANY}},
    )
    with stub:
        text = invoke(conn, "execution", "count", "--status", "open").stdout
        assert text == "1000 (at least: SWF truncated its count)\n"
        data = as_json(invoke(conn, "execution", "count", "--status", "open", "-o", "json"))
        assert data == {"count": 1000, "truncated": True}


def test_execution_cancel_requests_cancellation() -> None:
    conn, stub = _stubbed()
    stub.add_response(
        "request_cancel_workflow_execution",
        {},
        {"domain": "cli", "workflowId": "wf", "runId": "r1"},
    )
    stub.add_client_error(
        "request_cancel_workflow_execution",
        "UnknownResourceFault",
        "Unknown execution: wf",
        expected_params={"domain": "cli", "workflowId": "gone"},
    )
    with stub:
        out = invoke(conn, "execution", "cancel", "wf", "--run-id", "r1")
        assert out.stdout == "Execution wf (run r1) cancel requested.\n"
        gone = invoke(conn, "execution", "cancel", "gone")
        assert gone.exit_code == 1 and "gone" in gone.stderr
    stub.assert_no_pending_responses()


# -- actors, main ---------------------------------------------------------------------------


class OneShotDecider(Decider):
    """Completes the first execution it sees, then stops."""

    seen: list[str] = []

    def decide(self, task: Any) -> list[Any]:
        OneShotDecider.seen.append(task.workflow_id)
        self.stop()
        return [WorkflowExecutionDecision.complete(result="done")]


def test_decider_start_runs_the_class_until_it_stops(conn: Connection, wtype: WorkflowType) -> None:
    wtype.start_execution("to-decide")
    result = invoke(
        conn, "decider", "start", f"{__name__}:OneShotDecider", "--task-list", "deciders"
    )
    assert result.exit_code == 0, result.output
    assert OneShotDecider.seen == ["to-decide"]
    closed = as_json(invoke(conn, "-o", "json", "execution", "list", "--status", "closed"))
    assert [(e["workflow_id"], e["close_status"]) for e in closed] == [("to-decide", "COMPLETED")]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nomodule_xyz:Thing", "cannot import"),
        (f"{__name__}:Nothing", "is not a ActivityWorker subclass"),
        (f"{__name__}:OneShotDecider", "is not a ActivityWorker subclass"),
        ("justaname", "is not MODULE:CLASS"),
    ],
)
def test_worker_start_refuses_bad_classes(conn: Connection, spec: str, message: str) -> None:
    result = invoke(conn, "worker", "start", spec, "-t", "workers")
    assert result.exit_code == 2
    assert message in result.stderr


def test_main_returns_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "execution" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err
    assert main(["execution", "list", "--started-after", "x", "-d", "d"]) == 2


def test_type_describe_finds_the_kind_by_name(conn: Connection, wtype: WorkflowType) -> None:
    """Issue 12, command line 7: no --kind needed when the name and version say which."""
    ActivityType("cli", "work", "1", task_list="workers", client=conn).save()
    described = as_json(invoke(conn, "-o", "json", "type", "describe", "work", "1"))
    assert (described["kind"], described["name"]) == ("activity", "work")
    assert as_json(invoke(conn, "type", "describe", "flow", "1", "-o", "json"))["kind"] == (
        "workflow"
    )
    ActivityType("cli", "flow", "1", task_list="workers", client=conn).save()
    both = invoke(conn, "type", "describe", "flow", "1")
    assert both.exit_code == 2
    assert both.stderr == (
        "Error: both a workflow type and an activity type 'flow' version '1' exist in domain "
        "'cli': pass --kind workflow or --kind activity\n"
    )
    chosen = as_json(
        invoke(conn, "type", "describe", "flow", "1", "--kind", "activity", "-o", "json")
    )
    assert chosen["kind"] == "activity"
    missing = invoke(conn, "type", "describe", "nope", "1")
    assert missing.exit_code == 1
    assert missing.stderr == (
        "Error: no workflow type or activity type 'nope' version '1' in domain 'cli'\n"
    )
    deprecated = invoke(conn, "type", "deprecate", "work", "1")
    assert deprecated.stdout == "Activity type 'work' '1' deprecated.\n"
