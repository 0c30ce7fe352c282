"""simpleflow's side of ``bench_flow``: its replay of the same workflow, timed in its own venv.

Run by :mod:`benchmarks.bench_flow` with the python of a side virtualenv where simpleflow is
installed (``benchmarks/.cache/simpleflow-venv``); it imports nothing of ``swf`` and cannot be
imported elsewhere. Usage::

    python simpleflow_replay.py HISTORIES.json

``HISTORIES.json`` holds ``{"check": [events], "check_result": total, "events": [events],
"result": total}``: raw
events as SWF returns them (``eventTimestamp`` in epoch seconds; turned into datetimes here,
as boto3 gives them), written by ``bench_flow`` in simpleflow's format. The script:

1. replays the small ``check`` history at each of its decision tasks and compares
   simpleflow's decisions with the ones the history recorded (the history must be what
   simpleflow itself writes), and checks that the last decision of ``events`` completes the
   workflow with ``result``; then prints one JSON line: ``{"version", "check"}`` (``check``:
   ``"ok"`` or what differs);
2. for each ``run`` line read on standard input, times one decision as simpleflow's decider
   makes it from a poll's raw events (``History.from_event_list`` + ``Executor.replay``) and
   prints ``{"cpu": seconds}`` (CPU time of this process); ``quit`` or end of input stops it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
import time
from typing import Any

import simpleflow
from simpleflow import Workflow, activity, futures
from simpleflow.swf.executor import Executor
from simpleflow.swf.mapper.models import Domain, WorkflowExecution, WorkflowType
from simpleflow.swf.mapper.models.history import History
from simpleflow.swf.mapper.responses import Response

FAN_OUT = 5


@activity.with_attributes(
    name="bench.work",
    version="1",
    task_list="bench",
    start_to_close_timeout=300,
    schedule_to_close_timeout=300,
    schedule_to_start_timeout=300,
    heartbeat_timeout=300,
)
def work(n: int, i: int) -> int:
    return n * FAN_OUT + i


class BenchFlow(Workflow):
    """Rounds of a fan-out of 5 activities, a marker and a 1 s timer (as bench_flow's)."""

    name = "bench-flow"
    version = "1"
    task_list = "bench"

    def run(self, rounds: int) -> int:
        total = 0
        for n in range(rounds):
            results = [self.submit(work, n, i) for i in range(FAN_OUT)]
            futures.wait(*results)
            total += sum(future.result for future in results)
            self.submit(self.record_marker("round", n))
            timer = self.submit(self.start_timer(f"sleep-{n + 1}", 1))
            _ = timer.result  # blocks until it fired
        return total


DOMAIN = Domain("bench")
EXECUTION = WorkflowExecution(
    DOMAIN, "bench-flow-1", "run-1", workflow_type=WorkflowType(DOMAIN, "bench-flow", "1")
)
# What the decider holds across decision tasks (its poller keeps one executor per workflow).
EXECUTOR = Executor(DOMAIN, BenchFlow)
# The events simpleflow's decisions become, to compare what it decides with what was recorded.
EVENT_OF = {
    "ScheduleActivityTask": "ActivityTaskScheduled",
    "RecordMarker": "MarkerRecorded",
    "StartTimer": "TimerStarted",
    "CompleteWorkflowExecution": "WorkflowExecutionCompleted",
}


def decide(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One decision, as simpleflow's decider makes it from a poll's raw events."""
    history = History.from_event_list(raw)
    response = Response(token="token", history=history, execution=EXECUTION)
    return list(EXECUTOR.replay(response).decisions)


def _attributes(event: dict[str, Any]) -> dict[str, Any]:
    key = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
    return {k: v for k, v in event[key].items() if k != "decisionTaskCompletedEventId"}


def _as_events(decisions: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for decision in decisions:
        kind = decision["decisionType"]
        attributes = decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]
        found.append((EVENT_OF.get(kind, kind), dict(attributes)))
    return found


def check(events: list[dict[str, Any]], small: int, raw: list[dict[str, Any]], result: int) -> str:
    """What differs between simpleflow's decisions and the recorded ones ("ok": nothing)."""
    for position, event in enumerate(events):
        if event["eventType"] != "DecisionTaskStarted" or position + 1 == len(events):
            continue
        completed = events[position + 1]
        if completed["eventType"] != "DecisionTaskCompleted":
            continue
        recorded = [
            (e["eventType"], _attributes(e))
            for e in events[position + 2 :]
            if any(
                isinstance(v, dict)
                and v.get("decisionTaskCompletedEventId") == completed["eventId"]
                for k, v in e.items()
                if k.endswith("EventAttributes")
            )
        ]
        made = _as_events(decide(events[: position + 1]))
        if made != recorded:
            first = next(
                (pair for pair in zip(made, recorded, strict=False) if pair[0] != pair[1]),
                (made[len(recorded) :], recorded[len(made) :]),
            )
            return (
                f"at the decision task started at event {event['eventId']}, simpleflow "
                f"decides {first[0]} where the history recorded {first[1]}"
            )
    for history, value in ((events, small), (raw, result)):
        made = _as_events(decide(history))
        wanted = [("WorkflowExecutionCompleted", {"result": json.dumps(value)})]
        if made != wanted:
            return f"the last decision of a {len(history)}-event history is {made}, not {wanted}"
    return "ok"


def _load(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for event in events:
        event["eventTimestamp"] = dt.datetime.fromtimestamp(
            event["eventTimestamp"], dt.timezone.utc
        )
    return events


def main(path: str) -> int:
    with open(path) as file:
        data = json.load(file)
    events = _load(data["events"])
    verdict = check(_load(data["check"]), data["check_result"], events, data["result"])
    print(json.dumps({"version": simpleflow.__version__, "check": verdict}), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        gc.collect()
        started = time.process_time()
        decide(events)
        print(json.dumps({"cpu": time.process_time() - started}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
