"""The new user's path: `swf demo` on `swf local`'s endpoint, then list, history, profile."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from swf.actors import ActivityWorker
from swf.cli import cli
from swf.local import DUMMY_CREDENTIALS, LocalSWF
from swf.models import ActivityType, Domain, WorkflowType

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


def test_worker_start_with_processes_stops_on_sigterm() -> None:
    # polls wait 1 s, not SWF's 60: the workers stop within a poll of SIGTERM
    with LocalSWF(poll_timeout=1) as local:
        conn = local.connection()
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
        execution = wtype.start_execution("p-1")
        task = conn.call("PollForDecisionTask", domain="procs", taskList={"name": "d"})
        schedule = {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "upper", "version": "1"},
                "activityId": "a1",
                "input": "hello",
            },
        }
        conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[schedule])

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
