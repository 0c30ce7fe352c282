"""Load: 4 activity worker processes and 1 decider run 1,000 activities on one moto server.

Both sides use the same layout on one local endpoint (moto's server on 127.0.0.1, in this
process, :mod:`swf.local`): 4 worker processes (``spawn``) poll the ``workers`` task list, and
one decider thread in this process polls ``deciders``. The work is 10 executions of 100
activities each, fanned out 25 at a time per execution (the decider keeps 25 open, schedules
more as they complete, and completes the execution after the 100th).

The baseline is raw boto3 (a worker loop of poll/complete; a decider that counts the raw
events); ours is :class:`~swf.actors.ActivityWorker` (``start()``, stopped by SIGTERM) and
:class:`~swf.actors.Decider` (``run_once``, history compiled for every decision). The time runs
from the first StartWorkflowExecution to the last CompleteWorkflowExecution, with the workers
already polling. One round each (raw first, then ours) on a freshly reset backend; the figure
is activities per second, and the ratio is ours' time per activity over the baseline's.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import Result, fresh_backend
from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.exceptions import PollTimeout
from swf.local import LocalConnection, LocalSWF, local_client
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision

EXECUTIONS = 10
PER_EXECUTION = 100
N = EXECUTIONS * PER_EXECUTION
BATCH = 25
WORKERS = 4
DOMAIN = "load"
ACTIVITY = {"name": "double", "version": "1"}
WORKFLOW = {"name": "fan-out", "version": "1"}
#: A bound on one side's run (seconds); past it the benchmark fails rather than hang.
MAX_SECONDS = 600.0


def _start_all(client: Any) -> None:
    for i in range(EXECUTIONS):
        client.start_workflow_execution(
            domain=DOMAIN, workflowId=f"load-{i}", workflowType=WORKFLOW, input="{}"
        )


# -- the baseline: raw boto3 ------------------------------------------------------------------


def raw_worker(endpoint_url: str, ready: Any) -> None:
    """A worker process of the baseline: poll, double x, complete, until SIGTERM."""
    client = local_client(endpoint_url)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    ready.set()
    while not stopping.is_set():
        task = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": "workers"})
        if not task.get("taskToken"):
            continue
        result = json.dumps({"y": 2 * json.loads(task["input"])["x"]})
        client.respond_activity_task_completed(taskToken=task["taskToken"], result=result)


def raw_decider(client: Any, finished: threading.Event, stop: threading.Event) -> None:
    """The baseline decider: counts scheduled and completed activities in the raw events."""
    closed = 0
    while closed < EXECUTIONS and not stop.is_set():
        task = client.poll_for_decision_task(domain=DOMAIN, taskList={"name": "deciders"})
        if not task.get("taskToken"):
            continue
        events = task["events"]
        while task.get("nextPageToken"):
            task = client.poll_for_decision_task(
                domain=DOMAIN, taskList={"name": "deciders"}, nextPageToken=task["nextPageToken"]
            )
            events.extend(task["events"])
        scheduled = sum(1 for e in events if e["eventType"] == "ActivityTaskScheduled")
        completed = sum(1 for e in events if e["eventType"] == "ActivityTaskCompleted")
        if completed == PER_EXECUTION:
            decisions = [
                {
                    "decisionType": "CompleteWorkflowExecution",
                    "completeWorkflowExecutionDecisionAttributes": {"result": str(completed)},
                }
            ]
            closed += 1
        else:
            fresh = range(scheduled, min(PER_EXECUTION, completed + BATCH))
            decisions = [
                {
                    "decisionType": "ScheduleActivityTask",
                    "scheduleActivityTaskDecisionAttributes": {
                        "activityType": ACTIVITY,
                        "activityId": f"double-{i}",
                        "taskList": {"name": "workers"},
                        "input": json.dumps({"x": i}),
                    },
                }
                for i in fresh
            ]
        client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
    finished.set()


# -- ours: the actors -------------------------------------------------------------------------


class LoadWorker(ActivityWorker):
    """Doubles x."""

    def process(self, task: ActivityTask) -> dict[str, int]:
        return {"y": 2 * json.loads(task.input or "{}")["x"]}


class LoadDecider(Decider):
    """Keeps BATCH activities open per execution; completes it after PER_EXECUTION."""

    closed = 0

    def decide(self, task: DecisionTask) -> list[Any]:
        activities = task.history.compiled.activities
        completed = sum(1 for a in activities.values() if a.state == "completed")
        if completed == PER_EXECUTION:
            self.closed += 1
            return [WorkflowExecutionDecision.complete(result=str(completed))]
        fresh = range(len(activities), min(PER_EXECUTION, completed + BATCH))
        activity_type = (ACTIVITY["name"], ACTIVITY["version"])
        return [
            ActivityTaskDecision.schedule(
                f"double-{i}", activity_type, task_list="workers", input=json.dumps({"x": i})
            )
            for i in fresh
        ]


def our_worker(endpoint_url: str, ready: Any) -> None:
    """A worker process of ours: ``LoadWorker.start()`` until SIGTERM."""

    class Ready(LoadWorker):
        def _install_signal_handlers(self) -> dict[int, Any]:
            previous = super()._install_signal_handlers()
            ready.set()
            return previous

    Ready(DOMAIN, "workers", identity="load-worker", client=LocalConnection(endpoint_url)).start()


def our_decider(endpoint_url: str, finished: threading.Event, stop: threading.Event) -> None:
    """Ours: ``LoadDecider.run_once`` until every execution is completed."""
    decider = LoadDecider(DOMAIN, "deciders", client=LocalConnection(endpoint_url))
    while decider.closed < EXECUTIONS and not stop.is_set():
        try:
            decider.run_once()
        except PollTimeout:
            continue
    finished.set()


# -- the run ----------------------------------------------------------------------------------


def _round(local: LocalSWF, worker: Callable[..., None], decider: Callable[..., None]) -> float:
    """Start the workers, then time the executions from their start to the last completion."""
    client = fresh_backend(local, DOMAIN, WORKFLOW, ACTIVITY)
    context = multiprocessing.get_context("spawn")
    ready = [context.Event() for _ in range(WORKERS)]
    processes = [
        context.Process(target=worker, args=(local.endpoint_url, event), daemon=True)
        for event in ready
    ]
    for process in processes:
        process.start()
    finished, stop = threading.Event(), threading.Event()
    try:
        for event in ready:
            if not event.wait(timeout=60):
                raise RuntimeError("a worker process did not start")
        decider_args = client if decider is raw_decider else local.endpoint_url
        thread = threading.Thread(target=decider, args=(decider_args, finished, stop), daemon=True)
        started = time.perf_counter()
        _start_all(client)
        thread.start()
        if not finished.wait(timeout=MAX_SECONDS):
            raise RuntimeError(f"{decider.__name__} did not finish in {MAX_SECONDS:.0f} s")
        elapsed = time.perf_counter() - started
        _check(client)
    finally:
        stop.set()
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
    return elapsed


def _check(client: Any) -> None:
    """Every execution completed, with PER_EXECUTION activities completed once each."""
    for i in range(EXECUTIONS):
        execution = client.describe_workflow_execution(
            domain=DOMAIN, execution=_run_of(client, f"load-{i}")
        )
        info = execution["executionInfo"]
        if info.get("closeStatus") != "COMPLETED":
            raise RuntimeError(f"load-{i} is {info['executionStatus']} {info.get('closeStatus')}")
        counts = execution["openCounts"]
        if counts["openActivityTasks"]:
            raise RuntimeError(f"load-{i} left {counts['openActivityTasks']} activities open")


def _run_of(client: Any, workflow_id: str) -> dict[str, str]:
    listing = client.list_closed_workflow_executions(
        domain=DOMAIN,
        startTimeFilter={"oldestDate": 0},
        executionFilter={"workflowId": workflow_id},
    )
    return dict(listing["executionInfos"][0]["execution"])


def run() -> list[Result]:
    # polls answer empty after 1 s (SWF: 60 s), so that SIGTERM stops an idle worker process
    # within a second instead of the 15 s join and kill of each one
    with LocalSWF(poll_timeout=1.0) as local:
        raw_seconds = _round(local, raw_worker, raw_decider)
        our_seconds = _round(local, our_worker, our_decider)
    print(
        f"  load: {N} activities, {WORKERS} worker processes + 1 decider: "
        f"raw boto3 {N / raw_seconds:.1f} activities/s ({raw_seconds:.1f} s), "
        f"actors {N / our_seconds:.1f} activities/s ({our_seconds:.1f} s)"
    )
    return [
        Result(
            f"load: {N} activities, {WORKERS} worker processes + 1 decider (per activity)",
            our_seconds / N,
            raw_seconds / N,
            target=1.25,
        )
    ]
