"""The local endpoint's latency and idle cost: a sequential activity round trip, idle pollers.

Round trip: one execution runs N activities one after the other, the way a user runs it: a
:class:`~swf.actors.Decider` and an :class:`~swf.actors.ActivityWorker` looping in threads
(``start()``) on :class:`~swf.local.LocalSWF` (moto's server on 127.0.0.1, in this process).
The figure is the wall time from StartWorkflowExecution to the execution's close, per
activity; each activity costs two decision tasks' worth of history and four calls. The target
is 50 ms; the same actors on plain moto 5.2.1 (its server in a subprocess, no swf.local
extensions: polls that sleep 1 s when empty) are measured in the same run for comparison.

Idle: four actors (two deciders, two workers) long-poll empty task lists for a few seconds;
the figure is the CPU this process used meanwhile (the server is in it too), as a fraction of
one core, with SWF's 60 s polls and with the 1 s polls of the test fixtures. Target: < 5 %.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from typing import Any

from benchmarks.common import Result, fresh_backend
from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.models import WorkflowExecution
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision

N = 40
ROUNDS = 3
PLAIN_N = 6
IDLE_SECONDS = 3.0
DOMAIN = "bench-local"
ACTIVITY = {"name": "step", "version": "1"}
WORKFLOW = {"name": "seq", "version": "1"}
TARGET_ROUND_TRIP = 0.050
TARGET_IDLE_CPU = 0.05


class SeqDecider(Decider):
    """Schedules ``step-i`` once ``step-(i-1)`` completed; completes after the last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closed = threading.Event()

    def complete(
        self, task_token: str, decisions: Any = None, execution_context: Any = None
    ) -> None:
        """Send the decisions; note when the execution was completed."""
        decisions = list(decisions or ())
        super().complete(task_token, decisions, execution_context)
        if any(d["decisionType"] == "CompleteWorkflowExecution" for d in decisions):
            self.closed.set()

    def decide(self, task: DecisionTask) -> list[Any]:
        n = json.loads(task.history.first.attributes["input"])["n"]
        done = sum(1 for a in task.history.compiled.activities.values() if a.state == "completed")
        if done == n:
            return [WorkflowExecutionDecision.complete(result=str(done))]
        if f"step-{done}" in task.history.compiled.activities:
            return []  # still running
        step = ActivityTaskDecision.schedule(
            f"step-{done}", (ACTIVITY["name"], ACTIVITY["version"]), input=str(done)
        )
        return [step]


class SeqWorker(ActivityWorker):
    """Doubles its input."""

    def process(self, task: ActivityTask) -> str:
        return str(2 * int(task.input or 0))


def round_trip(local: Any, n: int, workflow_id: str) -> float:
    """Run one execution of ``n`` sequential activities with looping actors; seconds each."""
    client = fresh_backend(local, DOMAIN, WORKFLOW, ACTIVITY)
    connection = local.connection()
    decider = SeqDecider(DOMAIN, "deciders", client=connection)
    actors = [decider, SeqWorker(DOMAIN, "workers", client=local.connection())]
    threads = [threading.Thread(target=actor.start, daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # both are polling
    started = time.perf_counter()
    run_id = client.start_workflow_execution(
        domain=DOMAIN,
        workflowId=workflow_id,
        workflowType=WORKFLOW,
        input=json.dumps({"n": n}),
    )["runId"]
    if not decider.closed.wait(600):
        raise RuntimeError(f"{workflow_id} did not finish in 10 minutes")
    elapsed = time.perf_counter() - started
    execution = WorkflowExecution(DOMAIN, workflow_id, run_id, client=connection)
    _stop(actors, threads)
    if execution.upstream().close_status != "COMPLETED":
        raise RuntimeError(f"{workflow_id} did not complete")
    return elapsed / n


def _stop(actors: list[Any], threads: list[threading.Thread]) -> None:
    """Stop the actors; end their long polls (again, should one start meanwhile)."""
    from swf.local import end_polls

    for actor in actors:
        actor.stop()
    deadline = time.monotonic() + 70
    for thread in threads:
        while thread.is_alive() and time.monotonic() < deadline:
            end_polls()
            thread.join(timeout=0.05)


def idle_cpu(local: Any, seconds: float) -> float:
    """CPU fraction of one core used while four actors poll empty task lists."""
    fresh_backend(local, DOMAIN, WORKFLOW, ACTIVITY)
    actors: list[Decider | ActivityWorker] = [
        SeqDecider(DOMAIN, "deciders", client=local.connection()),
        SeqDecider(DOMAIN, "deciders", client=local.connection()),
        SeqWorker(DOMAIN, "workers", client=local.connection()),
        SeqWorker(DOMAIN, "workers", client=local.connection()),
    ]
    threads = [threading.Thread(target=actor.start, daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # past the start-up (imports, connections)
    cpu, wall = time.process_time(), time.perf_counter()
    time.sleep(seconds)
    used = (time.process_time() - cpu) / (time.perf_counter() - wall)
    _stop(actors, threads)
    return used


_PLAIN = """
import json, logging, sys
from moto.server import ThreadedMotoServer
from benchmarks.bench_local import round_trip
from swf.local import DUMMY_CREDENTIALS, LocalSWF

class PlainMoto(LocalSWF):
    '''moto's server without swf.local's extensions (what LocalSWF ran before them).'''

    def start(self):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address=self.host, port=0, verbose=False)
        self._server.start()
        self.host, self.port = self._server.get_host_and_port()
        return self

    def stop(self):
        self._server.stop()

with PlainMoto() as local:
    print(json.dumps(round_trip(local, int(sys.argv[1]), "plain")))
"""


def plain_moto_round_trip(n: int) -> float:
    """The same round trip on plain moto 5.2.1, in a subprocess (no extensions installed)."""
    out = subprocess.run(
        [sys.executable, "-c", _PLAIN, str(n)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    value: float = json.loads(out.stdout.strip().splitlines()[-1])
    return value


def run() -> list[Result]:
    from swf.local import LocalSWF

    with LocalSWF() as local:
        round_trip(local, 3, "warm-up")
        best = min(round_trip(local, N, f"seq-{i}") for i in range(ROUNDS))
        idle_swf = idle_cpu(local, IDLE_SECONDS)
    with LocalSWF(poll_timeout=1.0) as local:
        idle_short = idle_cpu(local, IDLE_SECONDS)
    plain = plain_moto_round_trip(PLAIN_N)
    return [
        Result(
            f"sequential activity round trip, actors looping on LocalSWF ({N} activities, "
            "per activity) vs the 50 ms target",
            best,
            TARGET_ROUND_TRIP,
            target=1.0,
        ),
        Result(
            "the same round trip vs plain moto 5.2.1 (no swf.local extensions)",
            best,
            plain,
        ),
        Result(
            "idle CPU, 4 actors long-polling empty lists (SWF's 60 s polls), vs 5 % of a core",
            idle_swf,
            TARGET_IDLE_CPU,
            target=1.0,
            unit="core",
        ),
        Result(
            "idle CPU, 4 actors polling empty lists (the fixtures' 1 s polls), vs 5 % of a core",
            idle_short,
            TARGET_IDLE_CPU,
            target=1.0,
            unit="core",
        ),
    ]
