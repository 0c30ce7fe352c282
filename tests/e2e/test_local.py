"""swf.local: the LocalSWF server, its connection guards, serve() and `python -m swf local`."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from swf.exceptions import InvalidDecisionError
from swf.local import (
    DUMMY_CREDENTIALS,
    MOTO_DECISION_TYPES,
    LocalConnection,
    LocalSWF,
    check_decisions,
    serve,
)
from swf.models import Domain
from swf.models.decision import DecisionType, TimerDecision

pytestmark = pytest.mark.e2e


def test_local_swf_serves_on_a_free_loopback_port_and_resets() -> None:
    local = LocalSWF()
    assert repr(local) == "<LocalSWF stopped>"
    with local:
        assert local.is_running
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", local.endpoint_url)
        assert local.port != 0
        assert repr(local) == f"<LocalSWF {local.endpoint_url}>"
        assert local.env == {
            "SWF_ENDPOINT_URL": local.endpoint_url,
            "AWS_ENDPOINT_URL_S3": local.endpoint_url,
            **DUMMY_CREDENTIALS,
        }
        conn = local.connection()
        assert isinstance(conn, LocalConnection)
        assert conn.endpoint_url == local.endpoint_url
        Domain("local-test", retention_period=1, client=conn).save()
        assert Domain("local-test", client=conn).exists
        local.reset()
        assert not Domain("local-test", client=conn).exists
        assert local.start() is local  # starting twice is a no-op
    assert not local.is_running
    local.stop()  # and so is stopping twice


def test_check_decisions_names_a_decision_of_no_swf_type() -> None:
    assert len(MOTO_DECISION_TYPES) == 13  # the local endpoint processes every decision type
    assert {t.value for t in DecisionType} == MOTO_DECISION_TYPES
    check_decisions([TimerDecision.start("t", 1)])
    check_decisions([{"decisionType": "ScheduleLambdaFunction"}])
    check_decisions(None)
    bad = {"decisionType": "ScheduleLambda"}
    with pytest.raises(InvalidDecisionError, match=r"decision 1 \(ScheduleLambda\)") as info:
        check_decisions([TimerDecision.start("t", 1), bad])
    assert info.value.decision == "ScheduleLambda"
    assert info.value.argument == "decisions[1]"


def test_serve_prints_the_endpoint_and_env_and_stops_on_request() -> None:
    out = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=serve, kwargs={"out": out, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while "Ctrl-C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        text = out.getvalue()
        url = re.search(r"on (http://127\.0\.0\.1:\d+)", text)
        assert url is not None
        assert f"export SWF_ENDPOINT_URL={url.group(1)}" in text
        assert "export AWS_DEFAULT_REGION=us-east-1" in text
        conn = LocalConnection(url.group(1))
        assert conn.call("ListDomains", registrationStatus="REGISTERED")["domainInfos"] == []
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert out.getvalue().endswith("stopped\n")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_python_m_swf_local_stops_cleanly(signum: int) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "swf", "local", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Local SWF endpoint (moto) on http://127.0.0.1:")
        time.sleep(0.2)
        process.send_signal(signum)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert out.rstrip().endswith("stopped")
    assert "Traceback" not in err


def test_a_closed_activity_id_can_be_scheduled_again_but_not_an_open_one() -> None:
    def schedule(conn: LocalConnection) -> None:
        task = conn.call("PollForDecisionTask", domain="reuse", taskList={"name": "d"})
        decision = {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "a", "version": "1"},
                "activityId": "a-0",
                "taskList": {"name": "w"},
            },
        }
        conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[decision])

    with LocalSWF() as local:
        conn = local.connection()
        conn.call("RegisterDomain", name="reuse", workflowExecutionRetentionPeriodInDays="1")
        conn.call(
            "RegisterWorkflowType",
            domain="reuse",
            name="w",
            version="1",
            defaultTaskList={"name": "d"},
            defaultExecutionStartToCloseTimeout="60",
            defaultTaskStartToCloseTimeout="60",
            defaultChildPolicy="TERMINATE",
        )
        conn.call(
            "RegisterActivityType",
            domain="reuse",
            name="a",
            version="1",
            defaultTaskHeartbeatTimeout="60",
            defaultTaskScheduleToCloseTimeout="60",
            defaultTaskScheduleToStartTimeout="60",
            defaultTaskStartToCloseTimeout="60",
        )
        run = conn.call(
            "StartWorkflowExecution",
            domain="reuse",
            workflowId="wf",
            workflowType={"name": "w", "version": "1"},
        )
        schedule(conn)
        activity = conn.call("PollForActivityTask", domain="reuse", taskList={"name": "w"})
        conn.call("RespondActivityTaskFailed", taskToken=activity["taskToken"], reason="x")
        schedule(conn)  # a-0 is closed (failed): SWF accepts its id again
        conn.call(
            "SignalWorkflowExecution", domain="reuse", workflowId="wf", signalName="s", input="i"
        )  # a new decision task
        schedule(conn)  # a-0 is open: refused, as SWF does
        history = conn.call(
            "GetWorkflowExecutionHistory",
            domain="reuse",
            execution={"workflowId": "wf", "runId": run["runId"]},
        )
    wanted = {"ActivityTaskScheduled", "ScheduleActivityTaskFailed"}
    kinds = [e["eventType"] for e in history["events"] if e["eventType"] in wanted]
    assert kinds == [
        "ActivityTaskScheduled",
        "ActivityTaskScheduled",
        "ScheduleActivityTaskFailed",
    ]
    (failure,) = [e for e in history["events"] if e["eventType"] == "ScheduleActivityTaskFailed"]
    cause = failure["scheduleActivityTaskFailedEventAttributes"]["cause"]
    assert cause == "ACTIVITY_ID_ALREADY_IN_USE"
