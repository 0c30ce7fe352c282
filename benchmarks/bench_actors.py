"""Decider/worker round-trip overhead against a hand-written boto3 loop on the same moto server.

Both sides run the same sequential workflow of N activities on one local endpoint (moto's
server on 127.0.0.1, :mod:`swf.local`): poll a decision task (the whole history), schedule the
next activity, poll it, complete it, ... then complete the execution. The baseline is raw
boto3 (it counts completions in the raw events to decide); ours is ``Decider.run_once`` and
``ActivityWorker.run_once`` (History built and compiled for every decision, models, decision
builders, validation). After a warm-up of both, rounds alternate between the two on a freshly
reset backend; the best round of each is kept.
"""

from __future__ import annotations

import gc
import json
import time
from typing import Any

from benchmarks.common import Result, fresh_backend
from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.local import LocalConnection, LocalSWF
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision

N = 60
ROUNDS = 5
DOMAIN = "bench"
ACTIVITY = {"name": "step", "version": "1"}
WORKFLOW = {"name": "seq", "version": "1"}


def _setup(local: LocalSWF) -> Any:
    client = fresh_backend(local, DOMAIN, WORKFLOW, ACTIVITY)
    client.start_workflow_execution(domain=DOMAIN, workflowId="seq-1", workflowType=WORKFLOW)
    return client


def raw_loop(client: Any, n: int) -> None:
    """The baseline: plain boto3 calls, deciding from the raw events."""
    while True:
        task = client.poll_for_decision_task(domain=DOMAIN, taskList={"name": "deciders"})
        done = sum(1 for e in task["events"] if e["eventType"] == "ActivityTaskCompleted")
        if done == n:
            decision = {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": str(done)},
            }
            client.respond_decision_task_completed(
                taskToken=task["taskToken"], decisions=[decision]
            )
            return
        decision = {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": ACTIVITY,
                "activityId": f"step-{done}",
                "input": json.dumps({"i": done}),
            },
        }
        client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[decision])
        activity = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": "workers"})
        result = json.dumps({"i": json.loads(activity["input"])["i"] * 2})
        client.respond_activity_task_completed(taskToken=activity["taskToken"], result=result)


class SeqDecider(Decider):
    n = N
    finished = False

    def decide(self, task: DecisionTask) -> list[Any]:
        activities = task.history.compiled.activities
        done = sum(1 for a in activities.values() if a.state == "completed")
        if done == self.n:
            self.finished = True
            return [WorkflowExecutionDecision.complete(result=str(done))]
        return [
            ActivityTaskDecision.schedule(
                f"step-{done}",
                (ACTIVITY["name"], ACTIVITY["version"]),
                input=json.dumps({"i": done}),
            )
        ]


class SeqWorker(ActivityWorker):
    def process(self, task: ActivityTask) -> str:
        return json.dumps({"i": json.loads(task.input or "{}")["i"] * 2})


def actors_loop(client: Any, endpoint_url: str, n: int) -> None:
    """Ours: the actors' run_once, in the same order as the baseline."""
    conn = LocalConnection(endpoint_url, client)
    decider = SeqDecider(DOMAIN, "deciders", client=conn)
    decider.n = n
    worker = SeqWorker(DOMAIN, "workers", client=conn)
    for _ in range(n + 1):
        decider.run_once()
        if decider.finished:
            return
        worker.run_once()
    raise RuntimeError("the actors did not finish the workflow; see the swf.actors log")


def _timed(function: Any) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run() -> list[Result]:
    raw_best = ours_best = float("inf")
    with LocalSWF() as local:
        # warm up both paths (imports, botocore's loaders, connection pools) before timing
        raw_loop(_setup(local), 5)
        actors_loop(_setup(local), local.endpoint_url, 5)
        for _ in range(ROUNDS):
            client = _setup(local)
            raw_best = min(raw_best, _timed(lambda c=client: raw_loop(c, N)))
            client = _setup(local)
            ours_best = min(
                ours_best, _timed(lambda c=client: actors_loop(c, local.endpoint_url, N))
            )
    return [
        Result(
            f"decider/worker round trip, {N} sequential activities on moto (per activity)",
            ours_best / N,
            raw_best / N,
            target=1.1,
        )
    ]
