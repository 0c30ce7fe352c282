"""The new user's path: `swf demo` on `swf local`'s endpoint, then list, history, profile."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from swf.actors import ActivityWorker, Decider
from swf.cli import cli
from swf.local import DUMMY_CREDENTIALS, LocalSWF
from swf.models import ActivityType, Domain, WorkflowType
from swf.models.decision import WorkflowExecutionDecision

pytestmark = pytest.mark.e2e  # a moto server on 127.0.0.1


def test_demo_on_a_local_endpoint_then_inspect_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in DUMMY_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    with LocalSWF() as local:
        base = ["--endpoint-url", local.endpoint_url]
        demo = runner.invoke(cli, [*base, "demo"], catch_exceptions=False)
        assert demo.exit_code == 0, demo.output
        assert "(COMPLETED)" in demo.stdout

        listed = runner.invoke(cli, [*base, "-d", "swf-demo", "-o", "json", "execution", "list"])
        (execution,) = json.loads(listed.stdout)
        assert execution["close_status"] == "COMPLETED"
        workflow_id = execution["workflow_id"]
        assert demo.stdout.startswith(f"Started execution {workflow_id}")

        compiled = runner.invoke(
            cli, [*base, "-d", "swf-demo", "-o", "json", "history", workflow_id, "--compiled"]
        )
        data = json.loads(compiled.stdout)
        assert data["workflow"]["state"] == "completed"
        assert data["activities"]["double-3"]["attempts"] == 2
        assert data["timers"]["settle"]["state"] == "fired"

        svg = tmp_path / "out.svg"
        profile = runner.invoke(
            cli, [*base, "-d", "swf-demo", "profile", workflow_id, "--svg", str(svg)]
        )
        assert profile.exit_code == 0, profile.output
        assert f"{workflow_id}: completed" in profile.stdout
        root = ET.parse(svg).getroot()
        ns = {"s": "http://www.w3.org/2000/svg"}
        assert len(root.findall(".//s:rect[@class='run']", ns)) == 9  # 7 activities + retry + timer
        assert len(root.findall(".//s:path[@class='failure']", ns)) == 1  # double-3's first try

        again = runner.invoke(cli, [*base, "demo"], catch_exceptions=False)
        assert again.exit_code == 0  # the domain and types exist: reused


class UpperWorker(ActivityWorker):
    """Upper-cases its input, and says which process did it."""

    def process(self, task: Any) -> str:
        return f"{task.input.upper()} by {os.getpid()}"


class SlowUpperWorker(UpperWorker):
    """UpperWorker taking its time, so that a task waits for the other process."""

    def process(self, task: Any) -> str:
        time.sleep(0.3)
        return super().process(task)


def register_procs(conn: Any) -> WorkflowType:
    """The domain ``procs``: activity type ``upper`` (task list ``workers``), workflow ``flow``."""
    Domain("procs", retention_period=1, client=conn).save()
    ActivityType(
        "procs",
        "upper",
        "1",
        task_list="workers",
        task_heartbeat_timeout=60,
        task_schedule_to_close_timeout=60,
        task_schedule_to_start_timeout=60,
        task_start_to_close_timeout=60,
        client=conn,
    ).save()
    wtype = WorkflowType(
        "procs", "flow", "1", task_list="d", execution_timeout=60, decision_tasks_timeout=30,
        child_policy="TERMINATE", client=conn,
    )  # fmt: skip
    wtype.save()
    return wtype


def schedule(conn: Any, inputs: dict[str, str]) -> None:
    """Take the next decision task and schedule one ``upper`` activity per id."""
    task = conn.call("PollForDecisionTask", domain="procs", taskList={"name": "d"})
    decisions = [
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "upper", "version": "1"},
                "activityId": activity_id,
                "input": text,
            },
        }
        for activity_id, text in inputs.items()
    ]
    conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=decisions)


def results(execution: Any) -> dict[str, tuple[str, int]]:
    """Activity id -> (upper-cased input, pid of the process that did it)."""
    scheduled = {
        e["eventId"]: e["activityTaskScheduledEventAttributes"]["activityId"]
        for e in execution.raw_events()
        if e["eventType"] == "ActivityTaskScheduled"
    }
    done = {}
    for event in execution.raw_events():
        if event["eventType"] == "ActivityTaskCompleted":
            attributes = event["activityTaskCompletedEventAttributes"]
            text, _, pid = attributes["result"].partition(" by ")
            done[scheduled[attributes["scheduledEventId"]]] = (text, int(pid))
    return done


def test_worker_start_with_processes_stops_on_sigterm() -> None:
    # polls wait 1 s, not SWF's 60: the workers stop within a poll of SIGTERM
    with LocalSWF(poll_timeout=1) as local:
        conn = local.connection()
        wtype = register_procs(conn)
        execution = wtype.start_execution("p-1")
        schedule(conn, {"a1": "hello"})

        env = {**os.environ, **local.env}
        process = subprocess.Popen(
            [
                sys.executable, "-m", "swf", "-d", "procs", "worker", "start",
                "test_cli_local:UpperWorker", "--task-list", "workers", "--processes", "2",
            ],
            cwd=Path(__file__).parent,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        try:
            assert process.stderr is not None
            first = process.stderr.readline()
            assert first.startswith("2 x UpperWorker polling procs/workers (pids ")
            pids = [int(p) for p in first.split("(pids ")[1].split(";")[0].split(", ")]
            assert len(pids) == 2 and process.pid not in pids
            deadline = time.monotonic() + 20
            result = None
            while result is None and time.monotonic() < deadline:
                for event in execution.raw_events():
                    if event["eventType"] == "ActivityTaskCompleted":
                        result = event["activityTaskCompletedEventAttributes"]["result"]
                time.sleep(0.2)
            assert result is not None
            text, _, pid = result.partition(" by ")
            assert text == "HELLO" and int(pid) in pids
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=20)
            rest = process.stderr.read() if process.stderr else ""
            if process.stderr:
                process.stderr.close()
        assert code == 0, rest
        for pid in pids:  # every child is gone
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            raise AssertionError(f"process {pid} still runs")


def test_worker_start_with_processes_replaces_a_killed_process() -> None:
    """`swf worker start --processes 2`: kill -9 one child, a new process takes up the work."""
    with LocalSWF(poll_timeout=1) as local:
        local.reset()  # moto's state is the process's: other tests may have left "procs"
        conn = local.connection()
        wtype = register_procs(conn)
        execution = wtype.start_execution("p-2")
        schedule(conn, {"a0": "first"})
        process = subprocess.Popen(
            [
                sys.executable, "-m", "swf", "-d", "procs", "worker", "start",
                "test_cli_local:SlowUpperWorker", "--task-list", "workers", "--processes", "2",
            ],
            cwd=Path(__file__).parent,
            env={**os.environ, **local.env},
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert process.stderr is not None
        stderr = process.stderr
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(stderr), daemon=True)
        try:
            first = stderr.readline()
            pids = [int(p) for p in first.split("(pids ")[1].split(";")[0].split(", ")]
            reader.start()
            deadline = time.monotonic() + 20
            while "a0" not in results(execution) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert results(execution)["a0"][0] == "FIRST"

            os.kill(pids[0], signal.SIGKILL)
            # The killed child may have left a poll waiting (1 s): a task scheduled before it
            # ends would go to nobody until its timeout, as on SWF. Let it end first.
            time.sleep(1.5)
            newcomers: set[int] = set()
            deadline = time.monotonic() + 40
            batch = 0
            while not newcomers and time.monotonic() < deadline:
                batch += 1
                ids = {f"b{batch}-{n}": f"batch {batch}" for n in range(4)}
                schedule(conn, ids)
                while not set(ids) <= set(results(execution)) and time.monotonic() < deadline:
                    time.sleep(0.2)
                done = results(execution)
                assert all(done[i][0] == f"BATCH {batch}" for i in ids)
                newcomers = {pid for _, pid in done.values()} - set(pids)
            assert newcomers, "no new process took a task after the kill"
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=20)
            reader.join(timeout=5)
            stderr.close()
        assert code == 0, "".join(lines)
        warning = next(line for line in lines if "killed by SIGKILL" in line)
        assert warning.startswith(f"SlowUpperWorker-0 (pid {pids[0]}) was killed by SIGKILL")
        assert "; replacing it " in warning  # in 1 s, or now if it had run 10 s (a slow machine)
        for pid in (*pids, *newcomers):  # every child is gone
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


class CompleteDecider(Decider):
    """Completes the workflow at its first decision task."""

    def decide(self, task: Any) -> list[Any]:
        return [WorkflowExecutionDecision.complete(result="done")]


def _read_until(stream: Any, wanted: str, lines: list[str], timeout: float = 20) -> str:
    """Read lines from ``stream`` (in a thread) until one contains ``wanted``."""
    found: list[str] = []

    def read() -> None:
        for line in stream:
            lines.append(line)
            if wanted in line:
                found.append(line)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f"no line with {wanted!r} in {lines}"
    return found[0]


@pytest.mark.parametrize("kind", ["worker", "decider"])
def test_actors_started_from_the_command_line_print_one_line_per_task(kind: str) -> None:
    """Issue 12, command line 6: workflow id, activity id (or run), outcome, duration."""
    with LocalSWF(poll_timeout=1) as local:  # SIGTERM waits for the poll in hand
        local.reset()  # moto's state is the process's: other tests may have left "procs"
        conn = local.connection()
        wtype = register_procs(conn)
        execution = wtype.start_execution(f"lines-{kind}")
        if kind == "worker":
            schedule(conn, {"a1": "hello"})
            spec, task_list = "test_cli_local:UpperWorker", "workers"
            wanted = f"activity  lines-{kind}  a1  completed  "
        else:
            spec, task_list = "test_cli_local:CompleteDecider", "d"
            wanted = f"decision  lines-{kind}  run {execution.run_id}  completed  1 decision  "
        process = subprocess.Popen(
            [sys.executable, "-m", "swf", "-d", "procs", kind, "start", spec, "-t", task_list],
            cwd=Path(__file__).parent,
            env={**os.environ, **local.env},
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        try:
            assert process.stderr is not None
            line = _read_until(process.stderr, wanted, lines)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
            if process.stderr:
                process.stderr.close()
        assert re.fullmatch(rf"{re.escape(wanted)}\d+\.\d{{3}}s\n", line)
        assert not [seen for seen in lines if "botocore" in seen or "DEBUG" in seen]


def test_a_moto_failure_is_one_line_not_an_html_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12, command line 8: the CLI connects to a local endpoint as LocalSWF does."""
    for name, value in DUMMY_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    from moto.swf.responses import SWFResponse

    def broken(self: object) -> str:
        raise RuntimeError("a bug in moto")  # what moto's server turns into an HTML 500 page

    with LocalSWF() as local:
        local.reset()
        Domain("html", retention_period=1, client=local.connection()).save()
        monkeypatch.setattr(SWFResponse, "count_open_workflow_executions", broken)
        result = CliRunner().invoke(
            cli, ["--endpoint-url", local.endpoint_url, "-d", "html", "execution", "count"]
        )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: CountOpenWorkflowExecutions for ")
    assert "the local SWF endpoint (moto) failed" in result.stderr
    assert result.stderr.count("\n") == 1 and "<" not in result.stderr
