"""One ``swf.flow`` decision on a 25,000-event history: against the compile alone, and
against simpleflow 0.36's replay of a history of the same shape (issue 13).

The workflow runs rounds of a fan-out of 5 activities, a marker and a 1 s timer, until the
history holds about 25,000 events; the decision measured is its last one, which completes the
execution (so ``run()`` replays every round). Its histories are written directly with
:class:`~swf.models.history.writer.HistoryWriter` (replaying thousands of decision tasks
through ``run_local`` would be quadratic), each decision exactly what the deciding engine
makes: the benchmark checks that on a small history, decision task by decision task, for
both engines, and that the last decision of each big history completes the workflow.

- ``compile``: what a decider pays to get the compiled view from a poll's raw events,
  ``History.from_event_list(raw).compiled``;
- ``decision``: that, plus ``DecisionTask.from_history`` (given the previous started event
  id, as a poll gives it) and :func:`~swf.flow.engine.decide`.

simpleflow runs in a side virtualenv (``benchmarks/.cache/simpleflow-venv``, made on the
first run, reused after) by :mod:`benchmarks.simpleflow_replay`, which times its decider's
``History.from_event_list`` + ``Executor.replay`` in its own process; its runs interleave
with ours. simpleflow records a marker with a zero-second wake-up timer after it (one more
timer and one more decision task a round): the comparison gives our engine a history of
that very shape (the wake-up timers named as our engine names its own), event for event.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from benchmarks.common import Note, Result, best_times
from swf.actors.decider import DecisionTask
from swf.flow import Workflow, activity, futures
from swf.flow.encoding import encode, encode_input
from swf.flow.engine import WAKE_UP_TIMER, decide, fingerprint
from swf.flow.errors import NondeterminismError
from swf.models import Domain, WorkflowExecution, WorkflowType
from swf.models.decision import ActivityTaskDecision, MarkerDecision, TimerDecision
from swf.models.history import History
from swf.models.history.writer import HistoryWriter, ticking_clock

EVENTS = 25_000
FAN_OUT = 5
ROUNDS = 15  # best of
SIMPLEFLOW = "simpleflow==0.36.*"
CACHE = Path(__file__).parent / ".cache"
SIDE_VENV = CACHE / "simpleflow-venv"
SIDE_SCRIPT = Path(__file__).parent / "simpleflow_replay.py"


@activity(
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
    """Rounds of a fan-out of 5 activities, a marker and a 1 s timer."""

    name = "bench-flow"
    version = "1"
    task_list = "bench"

    def run(self, rounds: int) -> int:
        total = 0
        for n in range(rounds):
            results = [self.submit(work, n, i) for i in range(FAN_OUT)]
            total += sum(future.result for future in results)
            self.record_marker("round", n)
            futures.wait(self.sleep(1))
        return total


def total(rounds: int) -> int:
    """What ``BenchFlow.run(rounds)`` returns."""
    return sum(work(n, i) for n in range(rounds) for i in range(FAN_OUT))


# -- the histories -------------------------------------------------------------------------


def _control(call: str) -> str:
    return json.dumps({"swf.flow": call}, separators=(",", ":"))


def _ours(n: int, i: int, count: int) -> dict[str, Any]:
    """The ScheduleActivityTask our engine decides for ``work(n, i)``, its ``count``-th."""
    payload = encode_input([n, i], {}, "input")
    return ActivityTaskDecision.schedule(
        f"{work.name}-{count}",
        work.key,
        input=payload,
        control=_control(fingerprint("activity", work.name, work.version, payload)),
        task_list=work.task_list,
        task_priority=work.task_priority,
        schedule_to_start_timeout=work.schedule_to_start_timeout,
        schedule_to_close_timeout=work.schedule_to_close_timeout,
        start_to_close_timeout=work.start_to_close_timeout,
        heartbeat_timeout=work.heartbeat_timeout,
    )


def _simpleflow(n: int, i: int, count: int) -> dict[str, Any]:
    """The ScheduleActivityTask simpleflow decides for ``work(n, i)`` (its own format: id
    ``activity-{name}-{n}``, input ``{"args", "kwargs"}`` sorted and compact, no control)."""
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityId": f"activity-{work.name}-{count}",
            "activityType": {"name": work.name, "version": work.version},
            "heartbeatTimeout": "300",
            "input": json.dumps({"args": [n, i], "kwargs": {}}, separators=(",", ":")),
            "scheduleToCloseTimeout": "300",
            "scheduleToStartTimeout": "300",
            "startToCloseTimeout": "300",
            "taskList": {"name": "bench"},
        },
    }


def write(rounds: int, flavor: str) -> list[dict[str, Any]]:
    """The history of ``BenchFlow.run(rounds)`` up to its last decision task, started.

    ``flavor``: ``"ours"`` (what our engine decides), ``"ours+wake-up"`` (the same with a
    zero-second wake-up timer after each marker, the shape simpleflow writes) or
    ``"simpleflow"`` (what simpleflow 0.36 decides).
    """
    simpleflow = flavor == "simpleflow"
    schedule = _simpleflow if simpleflow else _ours
    writer = HistoryWriter(clock=ticking_clock())
    writer.start(
        ("bench-flow", "1"),
        task_list="bench",
        input=encode_input([rounds], {}, "input"),
    )
    count = 0
    for n in range(rounds):
        writer.decision_started()
        ids = []
        decisions = []
        for i in range(FAN_OUT):
            count += 1
            decisions.append(schedule(n, i, count))
            ids.append(f"activity-{work.name}-{count}" if simpleflow else f"{work.name}-{count}")
        writer.complete_decision_task(decisions)
        for activity_id in ids:
            writer.start_activity(activity_id)
        for i, activity_id in enumerate(ids):
            writer.complete_activity(activity_id, encode(work(n, i), "result"))
        writer.decision_started()
        sleep = f"sleep-{n + 1}"
        if simpleflow:
            wake_up = "_simpleflow_wake_up_timer"
            decisions = [
                {
                    "decisionType": "RecordMarker",
                    "recordMarkerDecisionAttributes": {
                        "markerName": "round",
                        "details": json.dumps(n),
                    },
                },
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {"timerId": sleep, "startToFireTimeout": "1"},
                },
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {"timerId": wake_up, "startToFireTimeout": "0"},
                },
            ]
        else:
            wake_up = f"{WAKE_UP_TIMER}{writer.last_event_id}"
            decisions = [
                MarkerDecision.record("round", encode(n, "details")),
                TimerDecision.start(
                    sleep, 1, control=_control(fingerprint("timer", "sleep", "", "1"))
                ),
            ]
            if flavor == "ours+wake-up":
                decisions.append(TimerDecision.start(wake_up, 0))
        writer.complete_decision_task(decisions)
        if flavor != "ours":
            writer.fire_timer(wake_up)
            writer.decision_started()
            writer.complete_decision_task([])
        writer.fire_timer(sleep)
    writer.decision_started()
    return writer.events


def rounds_for(flavor: str) -> int:
    """How many rounds make about ``EVENTS`` events."""
    one, two = len(write(1, flavor)), len(write(2, flavor))
    return (EVENTS - one) // (two - one) + 1


# -- our decision ----------------------------------------------------------------------------

EXECUTION = WorkflowExecution(
    Domain("bench"),
    "bench-flow-1",
    "run-1",
    workflow_type=WorkflowType(Domain("bench"), "bench-flow", "1"),
)


def _previous_started(raw: list[dict[str, Any]]) -> int:
    """The previous decision task's started event, as a poll tells it."""
    started = [e["eventId"] for e in raw if e["eventType"] == "DecisionTaskStarted"]
    return started[-2]


def decision(raw: list[dict[str, Any]], previous: int | None) -> list[Any]:
    """One decision of ours from a poll's raw events (``decide`` compiles the history)."""
    history = History.from_event_list(raw)
    task = DecisionTask.from_history(
        history, execution=EXECUTION, previous_started_event_id=previous
    )
    return decide(BenchFlow, task)


def _recorded(raw: list[dict[str, Any]], completed: int) -> list[dict[str, Any]]:
    found = []
    for event in raw:
        attributes = next(v for k, v in event.items() if k.endswith("EventAttributes"))
        if attributes.get("decisionTaskCompletedEventId") == completed:
            found.append(
                {
                    "type": event["eventType"],
                    **{k: v for k, v in attributes.items() if k != "decisionTaskCompletedEventId"},
                }
            )
    return found


_EVENT_OF = {
    "ScheduleActivityTask": "ActivityTaskScheduled",
    "RecordMarker": "MarkerRecorded",
    "StartTimer": "TimerStarted",
}


def check(flavor: str) -> None:
    """Our engine, at each decision task of a 3-round history, decides what it recorded
    (its wake-up timers aside); raises AssertionError naming the first difference."""
    raw = write(3, flavor)
    for position, event in enumerate(raw[:-1]):
        if event["eventType"] != "DecisionTaskStarted":
            continue
        made = [
            {"type": _EVENT_OF[d.decision_type.value], **d.attributes}
            for d in decision(raw[: position + 1], None)
        ]
        recorded = [
            e
            for e in _recorded(raw, raw[position + 1]["eventId"])
            if not e.get("timerId", "").startswith(WAKE_UP_TIMER)
        ]
        assert made == recorded, f"{flavor} at event {event['eventId']}: {made} != {recorded}"


def _completes(raw: list[dict[str, Any]], rounds: int) -> None:
    try:
        made = decision(raw, _previous_started(raw))
    except NondeterminismError as error:  # pragma: no cover - the bench is broken
        raise AssertionError(f"the last decision is not deterministic: {error}") from error
    assert [(d.decision_type.value, dict(d.attributes)) for d in made] == [
        ("CompleteWorkflowExecution", {"result": str(total(rounds))})
    ], made


# -- simpleflow ------------------------------------------------------------------------------


def _side_python() -> Path | str:
    """The side virtualenv's python with simpleflow installed, or why there is none."""
    python = SIDE_VENV / "bin" / "python"
    stamp = SIDE_VENV / ".installed"
    if stamp.exists():
        return python
    try:
        if not python.exists():
            subprocess.run(
                [sys.executable, "-m", "venv", str(SIDE_VENV)], check=True, capture_output=True
            )
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                SIMPLEFLOW,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", None) or str(error)
        return f"cannot install {SIMPLEFLOW}: {detail.strip().splitlines()[-1]}"
    stamp.write_text(SIMPLEFLOW + "\n")
    return python


def _epoch(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "eventTimestamp": e["eventTimestamp"].timestamp()} for e in raw]


class SideReplay:
    """simpleflow's replay in its side virtualenv: one timed decision per :meth:`run`."""

    def __init__(self, python: Path, rounds: int) -> None:
        CACHE.mkdir(exist_ok=True)
        data = {
            "check": _epoch(write(3, "simpleflow")),
            "check_result": total(3),
            "events": _epoch(write(rounds, "simpleflow")),
            "result": total(rounds),
        }
        self.events = len(data["events"])
        self._histories = CACHE / "flow-histories.json"
        self._log = CACHE / "simpleflow-replay.log"
        with self._histories.open("w") as file:
            json.dump(data, file)
        with self._log.open("w") as errors:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [str(python), str(SIDE_SCRIPT), str(self._histories)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                env={**os.environ, "LOG_LEVEL": "WARNING"},
            )
        hello = self._read()
        self.version = hello["version"]
        self.check = hello["check"]

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] = self.process.stdout  # type: ignore[assignment]
        line = stdout.readline()
        if not line:
            tail = self._log.read_text().strip().splitlines()[-5:]
            raise RuntimeError("simpleflow's replay stopped: " + " | ".join(tail))
        return json.loads(line)  # type: ignore[no-any-return]

    def run(self) -> float:
        """One decision's CPU time, in the side process."""
        stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        stdin.write("run\n")
        stdin.flush()
        return float(self._read()["cpu"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)
        self._histories.unlink()


# -- the benchmark ---------------------------------------------------------------------------


def _shape(raw: list[dict[str, Any]]) -> str:
    compiled = History.from_event_list(raw).compiled
    markers = sum(len(records) for records in compiled.markers.values())
    return (
        f"{len(raw)} events: {len(compiled.activities)} activities, {markers} markers, "
        f"{len(compiled.timers)} timer ids, {len(compiled.decision_tasks)} decision tasks"
    )


def run() -> list[Result | Note]:
    """Our decision vs our compile, and vs simpleflow's, on histories of the same shape."""
    check("ours")
    check("ours+wake-up")
    rounds = rounds_for("ours")
    raw = write(rounds, "ours")
    previous = _previous_started(raw)
    _completes(raw, rounds)
    side_rounds = rounds_for("ours+wake-up")
    side_raw = write(side_rounds, "ours+wake-up")
    side_previous = _previous_started(side_raw)
    _completes(side_raw, side_rounds)

    history = History.from_event_list(raw)
    history.compile()  # the re-run alone: on a history compiled once

    functions: dict[str, Callable[[], Any]] = {
        "compile": lambda: History.from_event_list(raw).compiled,
        "decision": lambda: decision(raw, previous),
        "re-run": lambda: decide(
            BenchFlow,
            DecisionTask.from_history(
                history, execution=EXECUTION, previous_started_event_id=previous
            ),
        ),
        "decision, simpleflow's shape": lambda: decision(side_raw, side_previous),
    }
    python = _side_python()
    side: SideReplay | None = None
    skipped = python if isinstance(python, str) else None
    if isinstance(python, Path):
        try:
            side = SideReplay(python, side_rounds)
        except (OSError, RuntimeError) as error:  # a broken side venv: remove it to rebuild
            skipped = f"simpleflow's replay does not start in {SIDE_VENV}: {error}"
        if side is not None and side.check != "ok":
            skipped = f"simpleflow {side.version}'s history is not what it writes: {side.check}"
            side.close()
            side = None
        else:
            functions["simpleflow"] = side.run
    try:
        best = best_times(
            functions, rounds=ROUNDS, self_timed=("simpleflow",) if side is not None else ()
        )
    finally:
        if side is not None:
            side.close()

    per_activity = best["re-run"] / (rounds * FAN_OUT) * 1e6
    results: list[Result | Note] = [
        Result(f"decision vs compile, {len(raw)} events", best["decision"], best["compile"], 2.0),
        Note(
            "  breakdown",
            f"compile {best['compile'] * 1e3:.1f} ms, re-run (from_history + decide) "
            f"{best['re-run'] * 1e3:.1f} ms = {per_activity:.1f} us per activity "
            f"({_shape(raw)})",
        ),
    ]
    name = f"decision vs simpleflow's replay, {len(side_raw)} events"
    if side is None:
        results.append(Note(name, f"skipped ({skipped})"))
        return results
    ours, theirs = best["decision, simpleflow's shape"], best["simpleflow"]
    side_activities = side_rounds * FAN_OUT
    results += [
        Result(f"{name} (simpleflow {side.version})", ours, theirs, 0.25),
        Note(
            "  per activity",
            f"ours {ours / side_activities * 1e6:.1f} us, simpleflow "
            f"{theirs / side_activities * 1e6:.1f} us, whole decisions ({_shape(side_raw)})",
        ),
    ]
    return results
