"""swf.flow end to end on moto in-process: a WorkflowDecider and WorkflowWorkers (threads)."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import flowapp
import pytest

from swf.core import Connection
from swf.flow import (
    Workflow,
    WorkflowCanceled,
    WorkflowDecider,
    WorkflowFailed,
    WorkflowWorker,
    register,
    result,
    run_standalone,
    start,
)
from swf.flow import signal as flow_signal
from swf.flow.executor import run_local
from swf.models import Domain


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


# -- layer II on the local endpoint --------------------------------------------------------------


def _open_execution(connection: Connection, workflow: type) -> Any:
    """The open execution of ``workflow`` in the domain "flow", once it started."""
    from swf.querysets import WorkflowExecutionQuerySet

    executions = WorkflowExecutionQuerySet("flow", client=connection).filter(
        status="OPEN", workflow_type_name=workflow.type_name()
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for execution in executions:
            return execution
        time.sleep(0.05)
    raise AssertionError(f"no open execution of {workflow.type_name()}")


def _run_with(connection: Connection, workflow: type, act: Any, *args: object) -> Any:
    """Run ``workflow``; meanwhile, ``act(execution)`` from outside once it is open."""
    helper = threading.Thread(target=lambda: act(_open_execution(connection, workflow)))
    helper.start()
    try:
        return _run(connection, workflow, *args)
    finally:
        helper.join(timeout=40)


def test_children_on_moto(swf_backend: Connection) -> None:
    execution = _run(swf_backend, flowapp.Parent, 3)
    assert result(execution) == 5
    children = execution.history().compiled.child_workflows
    assert {record.state for record in children.values()} == {"completed"}
    failing = _run(swf_backend, flowapp.ParentOfFailing)
    assert result(failing).startswith("ChildWorkflowFailed: failed builtins.ValueError")


def test_signals_between_executions_and_to_itself_on_moto(swf_backend: Connection) -> None:
    assert result(_run(swf_backend, flowapp.SelfSignal)) == [1, 2]
    assert result(_run(swf_backend, flowapp.Broadcaster)) == "hello"
    unknown = _run(swf_backend, flowapp.SignalsUnknown)
    assert result(unknown) == "SignalFailed: UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"


def test_a_signal_from_outside_on_moto(swf_backend: Connection) -> None:
    execution = _run_with(swf_backend, flowapp.Listener, lambda e: flow_signal(e, "news", {"n": 1}))
    assert result(execution) == {"n": 1}


def test_cancellation_on_moto(swf_backend: Connection) -> None:
    assert result(_run(swf_backend, flowapp.CancelsTimer)) == "TimerCanceled"
    assert result(_run(swf_backend, flowapp.CancelsChild)) == "ChildWorkflowFailed: canceled"
    stopped = _run(swf_backend, flowapp.CancelsActivity, 400)
    assert result(stopped).startswith("ActivityCanceled:")
    record = stopped.history().compiled.activities["flowapp.long_job-1"]
    assert record.state == "canceled" and (record.details or "").startswith("stopped at step")
    patient = _run_with(swf_backend, flowapp.Patient, lambda e: e.request_cancel())
    with pytest.raises(WorkflowCanceled):
        result(patient)


def test_continue_as_new_on_moto_and_result_follows_the_runs(swf_backend: Connection) -> None:
    execution = _run(swf_backend, flowapp.Counter, 0, 12)
    assert result(execution) == 12
    assert execution.history().compiled.workflow.state == "continued_as_new"


def test_versions_async_and_the_activity_context_on_moto(swf_backend: Connection) -> None:
    assert result(_run(swf_backend, flowapp.Versioned)) == "new 9"
    assert result(_run(swf_backend, flowapp.AsyncFanIn, 2)) == {"pairs": [1, 5], "spawned": 221}
    info = result(_run(swf_backend, flowapp.ContextUser))
    assert info == {
        "attempt": 2,
        "activity_id": "flowapp.attempt_number-1",
        "cancel_requested": False,
        "gives_up": "ActivityCanceled",
    }


class _Before(Workflow):
    name = "evolving-on-moto"

    def run(self) -> Any:
        return self.submit(flowapp.square, 3).result


class _After(Workflow):
    name = "evolving-on-moto"

    def run(self) -> Any:
        return self.submit(flowapp.increment, 3).result


@pytest.mark.parametrize("fail", [False, True])
def test_a_decider_meeting_changed_code_waits_or_fails_the_execution(
    swf_backend: Connection, fail: bool
) -> None:
    domain = Domain("flow", retention_period=1, client=swf_backend)
    with contextlib.suppress(Domain.AlreadyExists):
        domain.save()
    register(domain, [_Before], [flowapp.square, flowapp.increment], client=swf_backend)
    task_list = f"evolving-{fail}"
    execution = start(_Before, domain=domain, task_list=task_list, client=swf_backend)

    def decider(workflow: type[Workflow]) -> WorkflowDecider:
        return WorkflowDecider(
            domain,
            task_list,
            workflows=[workflow],
            fail_on_nondeterminism=fail,
            activity_task_list=task_list,
            register=False,
            client=swf_backend,
        )

    assert decider(_Before).run_once().outcome == "completed"
    worker = WorkflowWorker(
        domain, task_list, activities=[flowapp.square], register=False, client=swf_backend
    )
    assert worker.run_once().outcome == "completed"
    report = decider(_After).run_once()  # the code changed under the running execution
    assert report.outcome == ("failed" if fail else "decide_failed")
    assert "NondeterminismError" in (report.detail or "")
    workflow = execution.history().compiled.workflow
    assert workflow.state == ("failed" if fail else "started")
    if fail:
        assert (workflow.reason or "").startswith("swf.flow.errors.NondeterminismError")
