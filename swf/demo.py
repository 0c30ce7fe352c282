"""The demo run by ``make demo`` (``python -m swf demo``): a real workflow on a local SWF.

It starts the local endpoint (moto, :mod:`swf.local`), registers a domain and the types, and
runs a decider and two activity workers in threads. The workflow, ``FanOutFanIn``, is
written with :mod:`swf.flow`:

1. it draws a batch tag (a ``side_effect``: drawn once, the same on every replay), records a
   marker, then fans out: one ``double`` activity per number;
2. one of them fails on its first attempt: its ``RetryPolicy`` schedules it again;
3. when every ``double`` completed, it sleeps 1 s (a durable timer), then fans in: one
   ``sum`` activity over the doubled numbers;
4. it completes the execution with the sum.

Then it prints the compiled history: a table of the activities with their states, attempts
and timings. ``swf demo --core`` runs the same workflow written by hand against the core
(:class:`DemoDecider`, :class:`DemoWorker`): the same history, decided without the workflow
layer.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from swf import states
from swf.actors import ActivityTask, ActivityWorker, Actor, Decider, DecisionTask
from swf.flow import RetryPolicy, Workflow, WorkflowDecider, WorkflowWorker, activity, futures
from swf.flow.encoding import encode_input
from swf.local import LocalSWF, end_polls
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import (
    ActivityTaskDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)

__all__ = ["DemoDecider", "DemoWorker", "FanOutFanIn", "add", "double", "main", "register", "run"]

DOMAIN = "swf-demo"
DECIDERS = "demo-deciders"
WORKERS = "demo-workers"
NUMBERS = (3, 1, 4, 1, 5, 9)
FLAKY = "double-3"  #: fails on its first attempt
MAX_ATTEMPTS = 3
TIMEOUT = 60.0
#: The workflow type's version: 2 is ``FanOutFanIn``, 1 the hand-written decider's.
FLOW_VERSION, CORE_VERSION = "2", "1"
_TIMEOUTS = {
    "heartbeat_timeout": 60,
    "schedule_to_close_timeout": 120,
    "schedule_to_start_timeout": 60,
    "start_to_close_timeout": 60,
}
_failed_once: set[str] = set()
_failed_lock = threading.Lock()


@activity(
    name="double",
    version=FLOW_VERSION,
    task_list=WORKERS,
    retry=RetryPolicy(max_attempts=MAX_ATTEMPTS),
    description="doubles a number",
    **_TIMEOUTS,
)
def double(x: int, key: str = "", flaky: bool = False) -> int:
    """Double ``x`` (slowly); a ``flaky`` call fails the first time its ``key`` is seen."""
    time.sleep(0.2)  # some "work", so that both workers get tasks
    with _failed_lock:
        first = flaky and key not in _failed_once
        _failed_once.add(key)
    if first:
        raise RuntimeError(f"{key}: simulated failure (first attempt)")
    return 2 * x


@activity(name="sum", version=FLOW_VERSION, task_list=WORKERS, description="adds numbers up",
          **_TIMEOUTS)  # fmt: skip
def add(numbers: list[int]) -> int:
    """Add the numbers up."""
    return sum(numbers)


class FanOutFanIn(Workflow):
    """Fan out ``double`` activities (one retried), sleep 1 s, fan in with ``sum``."""

    name = "fan-out-fan-in"
    version = FLOW_VERSION
    task_list = DECIDERS
    execution_timeout = 300
    decision_task_timeout = 30

    def run(self, numbers: list[int]) -> int:
        """Double each number, then add them up."""
        batch = self.side_effect(lambda: f"batch-{uuid.uuid4().hex[:8]}")  # once per execution
        self.record_marker("fan-out", {"activities": len(numbers), "batch": batch})
        ids = [f"double-{i}" for i in range(len(numbers))]
        doubled = futures.wait(
            *(
                self.submit(double.options(id=key), n, f"{batch}/{key}", key == FLAKY)
                for key, n in zip(ids, numbers, strict=True)
            )
        )
        futures.wait(self.sleep(1, id="settle"))
        total: int = self.submit(add.options(id="sum"), doubled).result
        return total


def _types(domain: Domain, client: Any = None) -> tuple[ActivityType, ActivityType]:
    timeouts: dict[str, Any] = {
        "client": client,
        "task_list": WORKERS,
        "task_heartbeat_timeout": 60,
        "task_schedule_to_close_timeout": 120,
        "task_schedule_to_start_timeout": 60,
        "task_start_to_close_timeout": 60,
    }
    return (
        ActivityType(domain, "double", "1", description="doubles a number", **timeouts),
        ActivityType(domain, "sum", "1", description="adds numbers up", **timeouts),
    )


class DemoDecider(Decider):
    """Fan out ``double`` activities, retry failures, wait on a timer, fan in with ``sum``."""

    fail_on_error = True

    def decide(self, task: DecisionTask) -> list[Any]:
        """Decide from the compiled history alone (no state kept between tasks)."""
        compiled = task.history.compiled
        given = task.history.first.attributes.get("input")  # absent: started without input
        numbers = json.loads(given)["numbers"] if given else list(NUMBERS)
        double, total = _types(task.execution.domain)
        activities = compiled.activities
        ids = [f"double-{i}" for i in range(len(numbers))]

        def schedule_double(i: int, attempt: int) -> ActivityTaskDecision:
            data = {"x": numbers[i], "fail": ids[i] == FLAKY and attempt == 1}
            return ActivityTaskDecision.schedule(ids[i], double, input=json.dumps(data))

        if not activities:
            return [
                MarkerDecision.record("fan-out", details=json.dumps({"activities": len(ids)})),
                *(schedule_double(i, 1) for i in range(len(ids))),
            ]
        retries = []
        for i, activity_id in enumerate(ids):
            activity = activities[activity_id]
            if activity.state in states.FAILED_STATES:
                if activity.attempts >= MAX_ATTEMPTS:
                    reason = f"{activity_id} failed {activity.attempts} times"
                    return [WorkflowExecutionDecision.fail(reason=reason)]
                retries.append(schedule_double(i, activity.attempts + 1))
        if retries:
            return retries
        if any(activities[activity_id].state != "completed" for activity_id in ids):
            return []
        if "settle" not in compiled.timers:
            return [TimerDecision.start("settle", start_to_fire_timeout=1)]
        if compiled.timers["settle"].state != "fired":
            return []
        if "sum" not in activities:
            doubled = [json.loads(activities[a].result or "null") for a in ids]
            return [ActivityTaskDecision.schedule("sum", total, input=json.dumps(doubled))]
        if activities["sum"].state == "completed":
            return [WorkflowExecutionDecision.complete(result=activities["sum"].result)]
        if activities["sum"].state in states.FAILED_STATES:
            return [WorkflowExecutionDecision.fail(reason="sum failed")]
        return []


class DemoWorker(ActivityWorker):
    """Runs ``double`` and ``sum``; ``double`` fails when its input says so."""

    def process(self, task: ActivityTask) -> Any:
        """Double a number (slowly) or add numbers up."""
        data = json.loads(task.input or "null")
        if task.activity_type.name == "sum":
            return sum(data)
        time.sleep(0.2)  # some "work", so that both workers get tasks
        if data["fail"]:
            raise RuntimeError(f"{task.activity_id}: simulated failure (first attempt)")
        return 2 * data["x"]


def register(client: Any, *, core: bool = False) -> WorkflowType:
    """Register the demo's domain, workflow type and activity types (those not there yet).

    Args:
        client: where to register.
        core: the hand-written decider's types (version 1) rather than ``FanOutFanIn``'s
            (version 2).

    Returns:
        The workflow type to start (:func:`run` runs the actors that match its version).
    """
    import swf.flow

    domain = Domain(DOMAIN, description="swf demo", retention_period=1, client=client)
    if not domain.exists:
        domain.save()
    if not core:
        swf.flow.register(domain, [FanOutFanIn], [double, add], client=client)
        return WorkflowType(domain, FanOutFanIn.name, FLOW_VERSION, client=client)
    workflow_type = WorkflowType(
        domain,
        "fan-out-fan-in",
        CORE_VERSION,
        task_list=DECIDERS,
        execution_timeout=300,
        decision_tasks_timeout=30,
        child_policy="TERMINATE",
        client=client,
    )
    for model in (workflow_type, *_types(domain, client)):
        if not model.exists:
            model.save()
    return workflow_type


def run(
    workflow_type: WorkflowType,
    connect: Callable[[], Any],
    workflow_id: str,
    numbers: Sequence[int] = NUMBERS,
    out: TextIO | None = None,
) -> WorkflowExecution:
    """Start the demo workflow and run a decider and two workers (threads, each on its own
    ``connect()`` client) until the execution closes or :data:`TIMEOUT` passes.

    The actors are ``FanOutFanIn``'s (a ``WorkflowDecider`` and two ``WorkflowWorker``)
    for a version 2 ``workflow_type``, else the hand-written :class:`DemoDecider` and
    :class:`DemoWorker`.

    Returns the execution as SWF has it then; says what it does on ``out`` (if given).
    """
    domain = workflow_type.domain
    began = time.monotonic()
    actors: list[Actor]
    if workflow_type.version == FLOW_VERSION:
        payload = encode_input([list(numbers)], {}, "the demo's input")
        actors = [
            WorkflowDecider(
                domain,
                DECIDERS,
                workflows=[FanOutFanIn],
                register=False,
                identity="decider",
                client=connect(),
            ),
            *(
                WorkflowWorker(
                    domain,
                    WORKERS,
                    activities=[double, add],
                    register=False,
                    identity=f"worker-{n}",
                    client=connect(),
                )
                for n in (1, 2)
            ),
        ]
    else:
        payload = json.dumps({"numbers": list(numbers)})
        actors = [
            DemoDecider(domain, DECIDERS, identity="decider", client=connect()),
            DemoWorker(domain, WORKERS, identity="worker-1", client=connect()),
            DemoWorker(domain, WORKERS, identity="worker-2", client=connect()),
        ]
    execution = workflow_type.start_execution(workflow_id=workflow_id, input=payload)
    threads = [threading.Thread(target=actor.start, daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    if out is not None:
        print(
            f"Started execution {workflow_id} in domain {DOMAIN!r}: doubling {list(numbers)} "
            f"({FLAKY} fails once), a 1 s timer, then a sum; 1 decider, 2 workers",
            file=out,
        )
    try:
        final = _wait_closed(execution, TIMEOUT)
    finally:
        for actor in actors:
            actor.stop()
        # their long polls would hold them up to a minute: end those of a local endpoint
        # in this process now, and give the others 5 s in all (the threads are daemons)
        deadline = time.monotonic() + 5
        for thread in threads:
            while thread.is_alive() and time.monotonic() < deadline:
                end_polls()  # again: a poll may have begun just before the stop
                thread.join(timeout=0.05)
    if out is not None:
        print(
            f"Execution {final.workflow_id} is {final.status} ({final.close_status}) "
            f"after {time.monotonic() - began:.1f} s",
            file=out,
        )
    return final


def _wait_closed(execution: WorkflowExecution, timeout: float) -> WorkflowExecution:
    deadline = time.monotonic() + timeout
    while True:
        current = execution.upstream()
        if current.status == "CLOSED" or time.monotonic() > deadline:
            return current
        time.sleep(0.2)


def _seconds(start: Any, end: Any) -> str:
    if start is None or end is None:
        return "-"
    return f"{(end - start).total_seconds():.3f}s"


def print_report(execution: WorkflowExecution, out: TextIO) -> None:
    """Print the compiled history of ``execution``: a table of its activities."""
    history = execution.history()
    compiled = history.compiled
    print(f"\nCompiled history of {execution.workflow_id} ({len(history)} events):", file=out)
    header = ("activity id", "state", "attempts", "wait (sched->start)", "run time", "result")
    rows = [header]
    for activity_id, record in compiled.activities.items():
        rows.append(
            (
                activity_id,
                str(record.state),
                str(record.attempts),
                _seconds(record.scheduled_at, record.started_at),
                _seconds(record.started_at, record.closed_at),
                str(record.result if record.result is not None else record.reason or "-"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print(f"  {line}".rstrip(), file=out)
        if n == 0:
            print("  " + "  ".join("-" * width for width in widths), file=out)
    for timer_id, timer in compiled.timers.items():
        print(f"  timer {timer_id}: {timer.state}", file=out)
    for name in compiled.markers:
        print(f"  marker {name}: recorded", file=out)
    print(f"  workflow: {compiled.workflow.state}", file=out)


def main(out: TextIO | None = None, *, core: bool = False) -> int:
    """Run the demo; returns the exit code (0 when the workflow completed).

    Args:
        out: where to print (default: standard output).
        core: run the hand-written decider rather than ``FanOutFanIn``.
    """
    out = out or sys.stdout
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with LocalSWF() as local:
        print(f"Local SWF endpoint (moto) on {local.endpoint_url}", file=out)
        workflow_type = register(local.connection(), core=core)
        written = "by hand (DemoDecider)" if core else "with swf.flow (FanOutFanIn)"
        print(
            f"Registered domain {DOMAIN!r}, workflow type 'fan-out-fan-in' "
            f"{workflow_type.version} ({written}) and activity types 'double', 'sum'",
            file=out,
        )
        final = run(workflow_type, local.connection, "demo-1", out=out)
        print_report(final, out)
    return 0 if final.close_status == "COMPLETED" else 1
