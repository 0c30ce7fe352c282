"""swf.flow end to end on moto in-process: a WorkflowDecider and WorkflowWorkers (threads)."""

from __future__ import annotations

from typing import Any

import flowapp
import pytest

from swf.core import Connection
from swf.flow import WorkflowFailed, result, run_standalone
from swf.flow.executor import run_local


def _run(connection: Connection, workflow: type, *args: object, workers: int = 1) -> Any:
    return run_standalone(
        workflow, *args, domain="flow", workers=workers, client=connection, timeout=60
    )


def test_the_seed_example_on_moto(swf_backend: Connection) -> None:
    execution = _run(swf_backend, flowapp.BasicWorkflow, 1, 0)
    assert result(execution) == 4
    activities = execution.history().compiled.activities
    assert sorted(activities) == ["flowapp.Delay-1", "flowapp.double-1", "flowapp.increment-1"]


def test_a_fan_out_of_50_on_moto(swf_backend: Connection) -> None:
    execution = _run(swf_backend, flowapp.FanOut, 50, workers=2)
    assert result(execution) == sum(n * n for n in range(50))
    compiled = execution.history().compiled
    assert len(compiled.activities) == 50
    assert all(record.attempts == 1 for record in compiled.activities.values())


def test_a_retry_reuses_the_activity_id_on_moto(swf_backend: Connection) -> None:
    flowapp.FLAKY_CALLS.pop("moto", None)
    execution = _run(swf_backend, flowapp.RetryingNow, "moto", 1)
    assert result(execution) == "moto ok after 2"
    record = execution.history().compiled.activities["flowapp.flaky_now-1"]
    assert (record.attempts, [t.state for t in record.tries]) == (2, ["failed"])


def test_a_timer_and_side_effects_on_moto(swf_backend: Connection) -> None:
    slept = _run(swf_backend, flowapp.Sleeper, 1)
    assert result(slept) == "slept 1"
    assert slept.history().compiled.timers["sleep-1"].state == "fired"
    effects = _run(swf_backend, flowapp.SideEffects)
    value = result(effects)
    assert value["squared"] == value["dice"] ** 2


def test_a_failing_workflow_fails_on_moto_as_locally(swf_backend: Connection) -> None:
    execution = _run(swf_backend, flowapp.Failing)
    with pytest.raises(WorkflowFailed) as remote:
        result(execution)
    with pytest.raises(WorkflowFailed) as local:
        _ = run_local(flowapp.Failing).result
    assert remote.value.reason == local.value.reason
