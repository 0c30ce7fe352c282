"""A small fan-out workflow for the e2e tests: a Decider and an ActivityWorker subclass.

Importable by worker processes started with the ``spawn`` method (pytest puts this directory
on ``sys.path``).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.core import Connection
from swf.local import LocalConnection
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision

DOMAIN = "e2e"
DECIDERS = "deciders"
WORKERS = "workers"


def register(conn: Connection) -> tuple[WorkflowType, ActivityType]:
    """Register the domain and the two types (the models' save())."""
    Domain(DOMAIN, retention_period=1, client=conn).save()
    workflow_type = WorkflowType(
        DOMAIN,
        "fan-out",
        "1",
        task_list=DECIDERS,
        execution_timeout=300,
        decision_tasks_timeout=30,
        child_policy="TERMINATE",
        client=conn,
    )
    workflow_type.save()
    activity_type = ActivityType(
        DOMAIN,
        "double",
        "1",
        task_list=WORKERS,
        task_heartbeat_timeout=300,
        task_schedule_to_close_timeout=300,
        task_schedule_to_start_timeout=300,
        task_start_to_close_timeout=300,
        client=conn,
    )
    activity_type.save()
    return workflow_type, activity_type


def start(
    workflow_type: WorkflowType,
    n: int,
    *,
    fail_once: tuple[str, ...] = (),
    sleep: float = 0.0,
    workflow_id: str = "fan-out-1",
) -> WorkflowExecution:
    """Start an execution that doubles 0..n-1 and sums the results."""
    payload = {"n": n, "fail_once": list(fail_once), "sleep": sleep}
    return workflow_type.start_execution(workflow_id=workflow_id, input=json.dumps(payload))


class FanOutDecider(Decider):
    """Schedules n activities, reschedules failed ones (3 attempts), completes with the sum."""

    max_attempts = 3

    def decide(self, task: DecisionTask) -> list[Any]:
        compiled = task.history.compiled
        params = json.loads(task.history.first.attributes["input"])
        activity_type = ActivityType(DOMAIN, "double", "1", task_list=WORKERS)
        activities = compiled.activities

        def schedule(i: int, attempt: int) -> Any:
            activity_id = f"double-{i}"
            data = {
                "x": i,
                "attempt": attempt,
                "fail": activity_id in params["fail_once"] and attempt == 1,
                "sleep": params["sleep"],
            }
            return ActivityTaskDecision.schedule(activity_id, activity_type, input=json.dumps(data))

        if not activities:
            return [schedule(i, 1) for i in range(params["n"])]
        decisions = []
        for i in range(params["n"]):
            activity = activities[f"double-{i}"]
            if activity.state in ("failed", "timed_out"):
                if activity.attempts >= self.max_attempts:
                    return [WorkflowExecutionDecision.fail(reason=f"double-{i} kept failing")]
                decisions.append(schedule(i, activity.attempts + 1))
        if decisions:
            return decisions
        if all(activities[f"double-{i}"].state == "completed" for i in range(params["n"])):
            total = sum(
                json.loads(activities[f"double-{i}"].result)["y"] for i in range(params["n"])
            )
            return [WorkflowExecutionDecision.complete(result=str(total))]
        return []


class DoubleWorker(ActivityWorker):
    """Doubles x; fails the first attempt when asked; reports its pid in the result."""

    def process(self, task: ActivityTask) -> dict[str, Any]:
        data = json.loads(task.input or "{}")
        if data.get("sleep"):
            time.sleep(data["sleep"])
        if data.get("fail"):
            raise ValueError(f"{task.activity_id}: transient failure")
        return {"y": 2 * data["x"], "pid": os.getpid(), "attempt": data["attempt"]}


class BrokenWorker(DoubleWorker):
    """Crashes as it is built, as a worker with a bad configuration would at start-up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("bad configuration")


def run_in_thread(actor: Decider | ActivityWorker) -> threading.Thread:
    thread = threading.Thread(target=actor.start, name=repr(actor), daemon=True)
    thread.start()
    return thread


def wait_for(condition: Callable[[], Any], timeout: float, interval: float = 0.1) -> Any:
    """Poll ``condition`` until it is truthy or ``timeout`` seconds pass (then fail)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        time.sleep(interval)


def worker_process(endpoint_url: str, ready: Any = None, started: Any = None) -> None:
    """Entry point of a worker process: runs DoubleWorker until SIGTERM.

    ``ready`` is set once the SIGTERM handler is installed, ``started`` when a task arrives.
    """
    conn = LocalConnection(endpoint_url, retries=2, read_timeout=10, connect_timeout=2)

    class Signalling(DoubleWorker):
        def _install_signal_handlers(self) -> dict[int, Any]:
            previous = super()._install_signal_handlers()
            if ready is not None:
                ready.set()
            return previous

        def process(self, task: ActivityTask) -> dict[str, Any]:
            if started is not None:
                started.set()
            return super().process(task)

    Signalling(DOMAIN, WORKERS, client=conn).start()
