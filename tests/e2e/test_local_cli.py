"""The swf command on the local endpoint (moto's server extended by swf.local): execution
count and cancel, which printed moto's HTML 500 page before, and the paging of execution list
and history past SWF's 1,000-item pages."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from click.testing import CliRunner, Result

from swf.cli import cli
from swf.local import DUMMY_CREDENTIALS, LocalConnection, LocalSWF

pytestmark = pytest.mark.e2e

DOMAIN = "cli-local"
WORKFLOW = {"name": "job", "version": "1"}


@pytest.fixture
def local(
    local_swf: LocalSWF, local_connection: LocalConnection, monkeypatch: pytest.MonkeyPatch
) -> LocalSWF:
    for name, value in DUMMY_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    local_connection.call("RegisterDomain", name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    local_connection.call(
        "RegisterWorkflowType",
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList={"name": "jobs"},
        defaultExecutionStartToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="60",
        defaultChildPolicy="TERMINATE",
    )
    return local_swf


def swf(local: LocalSWF, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["--endpoint-url", local.endpoint_url, "-d", DOMAIN, *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def start(client: Any, workflow_id: str, **params: Any) -> str:
    response = client.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType=WORKFLOW, **params
    )
    run_id: str = response["runId"]
    return run_id


def test_execution_count_with_filters(local: LocalSWF) -> None:
    client = local.client()
    for i in range(4):
        start(client, f"w{i}", tagList=["even"] if i % 2 == 0 else [])
    client.terminate_workflow_execution(domain=DOMAIN, workflowId="w3")
    assert swf(local, "execution", "count").output == "4\n"
    assert swf(local, "execution", "count", "-s", "open").output == "3\n"
    assert swf(local, "execution", "count", "-s", "open", "--tag", "even").output == "2\n"
    closed = swf(local, "-o", "json", "execution", "count", "--close-status", "terminated")
    assert json.loads(closed.output) == {"count": 1, "truncated": False}
    assert swf(local, "execution", "count", "--workflow-id", "w1").output == "1\n"
    assert swf(local, "execution", "count", "--type", "job").output == "4\n"


def test_execution_cancel_requests_a_cancel(local: LocalSWF) -> None:
    client = local.client()
    run = start(client, "w")
    out = swf(local, "execution", "cancel", "w")
    assert out.output == "Execution w cancel requested.\n"
    history = client.get_workflow_execution_history(
        domain=DOMAIN, execution={"workflowId": "w", "runId": run}
    )
    kinds = [e["eventType"] for e in history["events"]]
    assert kinds == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "WorkflowExecutionCancelRequested",
    ]
    described = client.describe_workflow_execution(
        domain=DOMAIN, execution={"workflowId": "w", "runId": run}
    )
    assert described["executionInfo"]["cancelRequested"] is True


def test_execution_list_pages_past_a_thousand(local: LocalSWF) -> None:
    client = local.client()
    runs = {start(client, f"w{i:04d}") for i in range(1005)}
    first = client.list_open_workflow_executions(domain=DOMAIN, startTimeFilter={"oldestDate": 0})
    assert len(first["executionInfos"]) == 1000 and first["nextPageToken"]  # SWF's page
    listed = json.loads(swf(local, "-o", "json", "execution", "list", "-s", "open").output)
    assert {row["run_id"] for row in listed} == runs
    assert listed[0]["workflow_id"] == "w1004"  # newest first, as SWF lists


def test_history_pages_past_a_thousand_events(local: LocalSWF) -> None:
    client = local.client()
    run = start(client, "chatty")
    for i in range(1010):
        client.signal_workflow_execution(
            domain=DOMAIN, workflowId="chatty", signalName="tick", input=str(i)
        )
    page = client.get_workflow_execution_history(
        domain=DOMAIN, execution={"workflowId": "chatty", "runId": run}
    )
    assert len(page["events"]) == 1000 and page["nextPageToken"]
    raw = swf(local, "history", "chatty", "--raw").output.splitlines()
    events = [json.loads(line) for line in raw]
    assert [e["eventId"] for e in events] == list(range(1, 1013))
    inputs = [
        e["workflowExecutionSignaledEventAttributes"]["input"]
        for e in events
        if e["eventType"] == "WorkflowExecutionSignaled"
    ]
    assert inputs == [str(i) for i in range(1010)]
    compiled = json.loads(swf(local, "-o", "json", "history", "chatty", "--compiled").output)
    assert len(compiled["signals"]) == 1010


@pytest.mark.parametrize(("host", "warned"), [("0.0.0.0", True), ("127.0.0.1", False)])
def test_swf_local_warns_off_loopback_and_takes_a_poll_timeout(host: str, warned: bool) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "swf", "local", "--host", host, "--poll-timeout", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        assert lines[0].startswith("Local SWF endpoint (moto) on http://")
        url = lines[0].rsplit(" ", 1)[-1].strip()
        connection = LocalConnection(url.replace("0.0.0.0", "127.0.0.1"))
        connection.call("RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1")
        started = time.monotonic()
        connection.call("PollForDecisionTask", domain="d", taskList={"name": "nobody"})
        assert time.monotonic() - started < 10  # the 1 s poll, not SWF's 60 s
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    assert ("not a loopback address" in err) is warned
