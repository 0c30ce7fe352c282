"""A real workflow on the local endpoint (moto's server, extended by swf.local): a parent with
two children, an activity, an external signal, an activity cancel, an external cancel and a
continue-as-new, driven by hand-written Decider and ActivityWorker subclasses looping in
threads. moto alone wedged the execution at the first of these decisions.

The parent schedules ``prepare`` (doubles its input) and starts two children of one type: a
working one and an idle one. When ``prepare`` is done it signals the working child
``proceed`` with the result. The working child runs a ``wait`` activity that heartbeats until
it is canceled; on ``proceed`` it cancels that activity, then continues as new; its second run
completes with the value. The parent then asks the idle child to cancel itself, which it does,
and completes with the working child's result.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.local import LocalConnection, end_polls
from swf.models import ActivityType, Domain, WorkflowType
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    ExternalWorkflowExecutionDecision,
    WorkflowExecutionDecision,
)
from swf.querysets import WorkflowExecutionQuerySet

pytestmark = pytest.mark.e2e

DOMAIN = "family"
PARENTS, CHILDREN, WORK = "parents", "children", "work"


def register(conn: LocalConnection) -> WorkflowType:
    Domain(DOMAIN, retention_period=1, client=conn).save()
    timeouts = {"execution_timeout": 120, "decision_tasks_timeout": 30, "client": conn}
    parent = WorkflowType(
        DOMAIN, "parent", "1", task_list=PARENTS, child_policy="TERMINATE", **timeouts
    )
    parent.save()
    WorkflowType(
        DOMAIN, "child", "1", task_list=CHILDREN, child_policy="TERMINATE", **timeouts
    ).save()
    for name in ("prepare", "wait"):
        ActivityType(
            DOMAIN,
            name,
            "1",
            task_list=WORK,
            task_heartbeat_timeout=30,
            task_schedule_to_close_timeout=120,
            task_schedule_to_start_timeout=60,
            task_start_to_close_timeout=60,
            client=conn,
        ).save()
    return parent


def _closed_result(task: DecisionTask, workflow_id: str) -> str | None:
    for event in task.history.filter(type="ChildWorkflowExecution", state="completed"):
        if event.attributes["workflowExecution"]["workflowId"] == workflow_id:
            result: str | None = event.attributes.get("result")
            return result
    return None


class ParentDecider(Decider):
    """Prepare, start two children, signal one, cancel the other, complete."""

    def decide(self, task: DecisionTask) -> list[Any]:
        compiled = task.history.compiled
        children = compiled.child_workflows
        if not children:
            child = WorkflowType(
                DOMAIN,
                "child",
                "1",
                task_list=CHILDREN,
                child_policy="TERMINATE",
                execution_timeout=120,
                decision_tasks_timeout=30,
            )
            return [
                ActivityTaskDecision.schedule(
                    "prepare", ("prepare", "1"), input=task.history.first.attributes["input"]
                ),
                ChildWorkflowExecutionDecision.start(child, "worker-child", input="work"),
                ChildWorkflowExecutionDecision.start(child, "idle-child", input="idle"),
            ]
        decisions: list[Any] = []
        prepare = compiled.activities["prepare"]
        worker, idle = children["worker-child"], children["idle-child"]
        ready = prepare.state == "completed" and worker.state == "started"
        if ready and not compiled.external_signals:
            signal = ExternalWorkflowExecutionDecision.signal(
                "worker-child", "proceed", input=prepare.result
            )
            decisions.append(signal)
        done = worker.state == "completed"
        if done and idle.state == "started" and not compiled.external_cancels:
            decisions.append(ExternalWorkflowExecutionDecision.request_cancel("idle-child"))
        if worker.state == "completed" and idle.state == "canceled":
            return [WorkflowExecutionDecision.complete(result=_closed_result(task, "worker-child"))]
        return decisions


class ChildDecider(Decider):
    """The idle child waits for a cancel request; the working one is described above."""

    def decide(self, task: DecisionTask) -> list[Any]:
        compiled = task.history.compiled
        given = task.history.first.attributes.get("input") or ""
        if compiled.workflow.cancel_requested:
            return [WorkflowExecutionDecision.cancel(details="as the parent asked")]
        if given.startswith("work-2:"):
            return [WorkflowExecutionDecision.complete(result=given.split(":", 1)[1] + "!")]
        if given != "work":
            return []
        wait = compiled.activities.get("wait")
        if wait is None:
            return [ActivityTaskDecision.schedule("wait", ("wait", "1"))]
        proceed = [s for s in compiled.signals if s.name == "proceed"]
        if proceed and wait.state in ("scheduled", "started") and not wait.cancel_requested:
            return [ActivityTaskDecision.request_cancel("wait")]
        if wait.state == "canceled":
            return [WorkflowExecutionDecision.continue_as_new(input=f"work-2:{proceed[0].input}")]
        return []


class FamilyWorker(ActivityWorker):
    """``prepare`` doubles; ``wait`` heartbeats until it is canceled."""

    def process(self, task: ActivityTask) -> Any:
        if task.activity_type.name == "prepare":
            return str(2 * int(task.input or 0))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if task.heartbeat("waiting"):
                task.cancel("stopped as asked")
                return None
            time.sleep(0.05)
        raise RuntimeError("never canceled")


def test_a_family_of_workflows_runs_end_to_end(local_connection: LocalConnection) -> None:
    parent_type = register(local_connection)
    execution = parent_type.start_execution(workflow_id="family-1", input="21")
    actors: list[Decider | ActivityWorker] = [
        ParentDecider(DOMAIN, PARENTS, client=local_connection),
        ChildDecider(DOMAIN, CHILDREN, client=local_connection),
        FamilyWorker(DOMAIN, WORK, client=local_connection),
        FamilyWorker(DOMAIN, WORK, client=local_connection),
    ]
    threads = [threading.Thread(target=actor.start, daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while (current := execution.upstream()).status != "CLOSED":
            assert time.monotonic() < deadline, execution.history().compiled.child_workflows
            time.sleep(0.1)
    finally:
        for actor in actors:
            actor.stop()
        for thread in threads:
            while thread.is_alive():
                end_polls()
                thread.join(timeout=0.1)
    assert current.close_status == "COMPLETED"

    parent = execution.history().compiled
    assert parent.workflow.result == "42!"
    assert parent.activities["prepare"].result == "42"
    assert parent.child_workflows["worker-child"].state == "completed"
    assert parent.child_workflows["idle-child"].state == "canceled"
    assert [r.state for r in parent.external_signals.values()] == ["signaled"]
    assert [r.state for r in parent.external_cancels.values()] == ["cancel_requested"]

    closed = {
        (e.workflow_id, e.close_status): e
        for e in WorkflowExecutionQuerySet(DOMAIN, client=local_connection).filter(status="CLOSED")
    }
    assert set(closed) == {
        ("family-1", "COMPLETED"),
        ("worker-child", "CONTINUED_AS_NEW"),
        ("worker-child", "COMPLETED"),
        ("idle-child", "CANCELED"),
    }
    first = closed[("worker-child", "CONTINUED_AS_NEW")].history()
    assert first.compiled.activities["wait"].state == "canceled"
    assert [s.input for s in first.compiled.signals] == ["42"]
    second = closed[("worker-child", "COMPLETED")].history()
    started = second.first.attributes
    assert started["continuedExecutionRunId"] == closed[("worker-child", "CONTINUED_AS_NEW")].run_id
    assert started["parentWorkflowExecution"]["workflowId"] == "family-1"
    assert second.compiled.workflow.result == "42!"
    idle = closed[("idle-child", "CANCELED")].history().compiled
    assert idle.workflow.cancel_requested
    assert idle.workflow.state == "canceled"
