"""End to end on a moto server: deciders and workers complete real workflows."""

from __future__ import annotations

import collections
import json
import multiprocessing
import signal
import threading
from typing import Any

import pytest
from workflow_app import (
    DECIDERS,
    DOMAIN,
    WORKERS,
    DoubleWorker,
    FanOutDecider,
    register,
    run_in_thread,
    start,
    wait_for,
    worker_process,
)

from swf.actors import Decider, DecisionTask
from swf.exceptions import InvalidDecisionError
from swf.local import LocalConnection, LocalEndpointError
from swf.models import WorkflowExecution
from swf.models.decision import ChildWorkflowExecutionDecision, TimerDecision

pytestmark = pytest.mark.e2e


def closed(execution: WorkflowExecution) -> WorkflowExecution | None:
    current = execution.upstream()
    return current if current.status == "CLOSED" else None


def test_decider_and_worker_complete_a_multi_activity_workflow(
    local_connection: LocalConnection,
) -> None:
    workflow_type, _ = register(local_connection)
    execution = start(workflow_type, 4)
    decider = FanOutDecider(DOMAIN, DECIDERS, client=local_connection)
    worker = DoubleWorker(DOMAIN, WORKERS, client=local_connection)
    threads = [run_in_thread(decider), run_in_thread(worker)]
    try:
        final = wait_for(lambda: closed(execution), timeout=20)
    finally:
        decider.stop()
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)
    assert final.close_status == "COMPLETED"
    compiled = execution.history().compiled
    assert compiled.workflow.state == "completed"
    assert sorted(compiled.activities) == [f"double-{i}" for i in range(4)]
    assert {a.state for a in compiled.activities.values()} == {"completed"}
    results = [json.loads(a.result)["y"] for a in compiled.activities.values()]
    assert sorted(results) == [0, 2, 4, 6]


def test_a_failing_activity_is_retried_by_the_decider(local_connection: LocalConnection) -> None:
    workflow_type, _ = register(local_connection)
    execution = start(workflow_type, 3, fail_once=("double-1",))
    decider = FanOutDecider(DOMAIN, DECIDERS, client=local_connection)
    worker = DoubleWorker(DOMAIN, WORKERS, client=local_connection)
    threads = [run_in_thread(decider), run_in_thread(worker)]
    try:
        final = wait_for(lambda: closed(execution), timeout=20)
    finally:
        decider.stop()
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert final.close_status == "COMPLETED"
    history = execution.history()
    compiled = history.compiled
    retried = compiled.activities["double-1"]
    assert retried.state == "completed"
    assert retried.attempts == 2
    assert json.loads(retried.result) == {
        "y": 2,
        "pid": json.loads(retried.result)["pid"],
        "attempt": 2,
    }
    assert compiled.activities["double-0"].attempts == 1
    failed = [e for e in history if e.type == "ActivityTask" and e.state == "failed"]
    assert len(failed) == 1
    assert failed[0].attributes["reason"] == "double-1: transient failure"
    assert "ValueError" in failed[0].attributes["details"]


def test_several_worker_processes_run_every_activity_exactly_once(
    local_swf: Any, local_connection: LocalConnection
) -> None:
    workflow_type, _ = register(local_connection)
    n = 12
    context = multiprocessing.get_context("spawn")
    ready = [context.Event() for _ in range(3)]
    processes = [
        context.Process(target=worker_process, args=(local_swf.endpoint_url, event), daemon=True)
        for event in ready
    ]
    for process in processes:
        process.start()
    for event in ready:  # every worker polls (and handles SIGTERM) before the work starts
        assert event.wait(timeout=20), "a worker process did not start"
    execution = start(workflow_type, n, sleep=0.05)
    decider = FanOutDecider(DOMAIN, DECIDERS, client=local_connection)
    thread = run_in_thread(decider)
    try:
        final = wait_for(lambda: closed(execution), timeout=40)
    finally:
        decider.stop()
        for process in processes:
            process.terminate()  # SIGTERM: each finishes its task in hand, then exits
        for process in processes:
            process.join(timeout=10)
        thread.join(timeout=5)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert final.close_status == "COMPLETED"
    assert final.upstream().close_status == "COMPLETED"
    history = execution.history()
    scheduled = collections.Counter(
        e.attributes["activityId"]
        for e in history
        if e.type == "ActivityTask" and e.state == "scheduled"
    )
    assert scheduled == {f"double-{i}": 1 for i in range(n)}
    completed = [e for e in history if e.type == "ActivityTask" and e.state == "completed"]
    assert len(completed) == n
    started = [e for e in history if e.type == "ActivityTask" and e.state == "started"]
    assert len(started) == n
    compiled = history.compiled
    assert sorted(json.loads(a.result)["y"] for a in compiled.activities.values()) == [
        2 * i for i in range(n)
    ]


def test_sigterm_during_a_task_lets_it_finish(
    local_swf: Any, local_connection: LocalConnection
) -> None:
    workflow_type, _ = register(local_connection)
    execution = start(workflow_type, 2, sleep=1.5)
    decider = FanOutDecider(DOMAIN, DECIDERS, client=local_connection)
    decider.run_once()  # schedules double-0 and double-1
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    process = context.Process(
        target=worker_process, args=(local_swf.endpoint_url, None, started), daemon=True
    )
    process.start()
    try:
        assert started.wait(timeout=20), "the worker process never got a task"
        process.terminate()  # SIGTERM while process() sleeps 1.5 s
        process.join(timeout=15)
    finally:
        if process.is_alive():
            process.kill()
    assert process.exitcode == 0
    history = execution.history()
    completed = [e for e in history if e.type == "ActivityTask" and e.state == "completed"]
    assert len(completed) == 1  # the task in hand finished...
    started_events = [e for e in history if e.type == "ActivityTask" and e.state == "started"]
    assert len(started_events) == 1  # ...and no other task was taken
    assert json.loads(completed[0].attributes["result"])["y"] in (0, 2)


def test_a_child_decision_goes_through_and_a_bogus_type_is_refused_before_sending(
    local_connection: LocalConnection,
) -> None:
    workflow_type, _ = register(local_connection)
    execution = start(workflow_type, 1)

    class Spawner(Decider):
        def decide(self, task: DecisionTask) -> list[Any]:
            return [ChildWorkflowExecutionDecision.start(workflow_type, "child-1")]

    spawner = Spawner(DOMAIN, DECIDERS, client=local_connection)
    task = spawner.poll()
    bogus = {"decisionType": "StartGrandchild"}
    with pytest.raises(InvalidDecisionError, match="not an SWF decision type") as info:
        local_connection.call(
            "RespondDecisionTaskCompleted", taskToken=task.token, decisions=[bogus]
        )
    assert info.value.decision == "StartGrandchild"
    assert local_connection.calls["RespondDecisionTaskCompleted"] == 0
    # the local endpoint processes every SWF decision type (moto alone wedged on this one)
    spawner.complete(task.token, spawner.decide(task))
    child = execution.history().compiled.child_workflows["child-1"]
    assert child.state == "started"
    child_run = WorkflowExecution(DOMAIN, "child-1", client=local_connection).upstream()
    assert child_run.status == "OPEN"


def test_a_moto_500_surfaces_as_itself_not_as_a_retried_unknown_resource(
    local_swf: Any, local_connection: LocalConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.swf.responses import SWFResponse

    from swf.core import Connection

    def internal_failure(self: Any) -> str:
        raise RuntimeError("a bug inside the endpoint")

    workflow_type, _ = register(local_connection)
    start(workflow_type, 1)
    raw = Connection(local_swf.client(retries=3))
    task = raw.call("PollForDecisionTask", domain=DOMAIN, taskList={"name": DECIDERS})
    # a failure inside the endpoint (the server runs in this process): moto answers HTTP 500
    monkeypatch.setattr(SWFResponse, "respond_decision_task_completed", internal_failure)
    timer = TimerDecision.start("t1", 60)
    with pytest.raises(LocalEndpointError, match="HTTP 500") as info:
        raw.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[timer])
    assert info.value.code == "InternalFailure"
    assert info.value.operation == "RespondDecisionTaskCompleted"
    assert raw.calls["RespondDecisionTaskCompleted"] == 1


def test_sigint_handlers_are_restored_after_start_returns(
    local_connection: LocalConnection,
) -> None:
    register(local_connection)
    worker = DoubleWorker(DOMAIN, WORKERS, client=local_connection)
    before = signal.getsignal(signal.SIGINT)
    timer = threading.Timer(0.2, worker.stop)
    timer.start()
    worker.start()  # one empty poll (~1 s), then it sees the stop
    timer.join()
    assert signal.getsignal(signal.SIGINT) is before
    assert not worker.is_running
