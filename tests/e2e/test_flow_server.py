"""swf.flow on a moto server: the `swf workflow` commands as subprocesses, and the local
executor's histories against the server's (the same shapes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import flowapp
import pytest

from swf.flow import result, run_local, run_standalone
from swf.flow.ids import call_of
from swf.local import LocalSWF
from swf.models.history import History

TESTS = Path(__file__).parent.parent  # flowapp lives there


def swf_cli(
    local: LocalSWF | None, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(local.env if local is not None else {}), "PYTHONPATH": str(TESTS)}
    return subprocess.run(
        [sys.executable, "-m", "swf", *args],
        cwd=TESTS,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_start_local_prints_once_and_the_result() -> None:
    done = swf_cli(
        None, "workflow", "start", "--local", "flowapp.BasicWorkflow", "--input", "[1, 0]"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "(1 + 1) * 2 = 4"
    assert lines.count("(1 + 1) * 2 = 4") == 1
    assert any(line.split() == ["result", "4"] for line in lines)


def test_start_local_of_a_failing_workflow_exits_1_with_its_reason() -> None:
    done = swf_cli(None, "-o", "json", "workflow", "start", "--local", "flowapp:Failing")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["status"] == "FAILED" and "bad value 3" in report["reason"]


def test_run_on_the_local_endpoint(local_swf: LocalSWF) -> None:
    local_swf.reset()
    done = swf_cli(
        local_swf,
        "-o", "json", "-d", "flow-cli", "workflow", "run", "flowapp.BasicWorkflow",
        "--input", '{"args": [1], "kwargs": {"t": 0}}', "--workers", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("(1 + 1) * 2 = 4") == 1
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert (report["status"], report["result"]) == ("COMPLETED", 4)


def test_register_start_decider_worker_and_result(local_swf: LocalSWF) -> None:
    local_swf.reset()
    connection = local_swf.connection()
    from swf.models import Domain

    Domain("flow-cli", retention_period=1, client=connection).save()
    plan = swf_cli(local_swf, "-d", "flow-cli", "workflow", "register", "flowapp", "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert "created (dry run)" in plan.stdout and "flowapp.square" in plan.stdout
    registered = swf_cli(local_swf, "-d", "flow-cli", "workflow", "register", "flowapp")
    assert registered.returncode == 0, registered.stderr
    assert "created" in registered.stdout and "dry run" not in registered.stdout
    actors = [
        subprocess.Popen(
            [sys.executable, "-m", "swf", "-d", "flow-cli", kind, "start", spec, "-t", "fan"],
            cwd=TESTS,
            env={**os.environ, **local_swf.env, "PYTHONPATH": str(TESTS)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind, spec in (("decider", "flowapp.FanOut"), ("worker", "flowapp"))
    ]
    try:
        for actor in actors:
            assert actor.stderr is not None
            assert "polling flow-cli/fan" in actor.stderr.readline()
        started = swf_cli(
            local_swf, "-o", "json", "-d", "flow-cli", "workflow", "start", "flowapp.FanOut",
            "--input", "[4]", "--workflow-id", "fan-4",
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        run_id = json.loads(started.stdout)["run_id"]
        done = swf_cli(
            local_swf, "-o", "json", "-d", "flow-cli", "workflow", "result", "fan-4", "--wait"
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {
            "workflow_id": "fan-4", "run_id": None, "status": "COMPLETED", "result": 14,
        }  # fmt: skip
        assert run_id
    finally:
        for actor in actors:
            actor.send_signal(signal.SIGTERM)
        for actor in actors:
            actor.wait(timeout=90)
            if actor.stderr:
                actor.stderr.close()


def _shape(history: History) -> dict[str, Any]:
    """What must be the same locally and on the server: entities, states, attempts (child
    ids without the parent's workflow id, which differs)."""
    compiled = history.compiled
    return {
        "children": sorted(
            (call_of(r.control) or k, r.state, r.attempts)  # "child:{name}-{n}"
            for k, r in compiled.child_workflows.items()
        ),
        "signals sent": sorted(r.state for r in compiled.external_signals.values()),
        "signals": [r.name for r in compiled.signals],
        "workflow": compiled.workflow.state,
        "result": compiled.workflow.result,
        "activities": {k: (r.state, r.attempts) for k, r in compiled.activities.items()},
        "timers": {k: r.state for k, r in compiled.timers.items()},
        "markers": {k: [m.state for m in v] for k, v in compiled.markers.items()},
    }


@pytest.mark.parametrize(
    ("workflow", "args"),
    [
        (flowapp.BasicWorkflow, (3, 0)),
        (flowapp.FanOut, (20,)),
        (flowapp.RetryingNow, ("conformance", 1)),
        (flowapp.Sleeper, (1,)),
        (flowapp.Caught, ()),
        (flowapp.Parent, (2,)),
        (flowapp.SelfSignal, ()),
        (flowapp.CancelsTimer, ()),
        (flowapp.Versioned, ()),
        (flowapp.AsyncFanIn, (2,)),
    ],
    ids=lambda value: getattr(value, "__name__", None) or repr(value),
)
def test_the_local_executor_writes_the_histories_swf_writes(
    local_swf: LocalSWF, workflow: type, args: tuple[Any, ...]
) -> None:
    local_swf.reset()
    flowapp.FLAKY_CALLS.pop("conformance", None)
    remote = run_standalone(
        workflow, *args, domain="conformance", client=local_swf.connection(), timeout=60
    )
    flowapp.FLAKY_CALLS.pop("conformance", None)
    local = run_local(workflow, *args)
    assert _shape(remote.history()) == _shape(local.history)
    assert result(remote) == local.result
