"""Parse + compile a 25,000-event history vs a bare loop over the raw events; memory too."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

from benchmarks.common import Result, best_times
from swf.models.history import History
from swf.testing import HistoryBuilder

EVENTS = 25_000


#: The sizes whose cost per event is compared (issue 12: garbage collection made it grow).
SCALING = (5_000, 100_000)


def build(events: int = EVENTS) -> list[dict[str, Any]]:
    """A valid history of ``events`` events: fan-outs of activities, timers, markers, signals."""
    builder = HistoryBuilder(input="{}")
    n = 0
    while builder.last_event_id < events - 40:
        ids = [f"a{n}-{i}" for i in range(5)]
        builder.decision().activities(ids, result="r")
        builder.decision().start_timer(f"t{n}").fire_timer(f"t{n}")
        builder.decision().record_marker("m", "d")
        builder.signal("s", "x")
        n += 1
    builder.decision().complete("done")
    return builder.events


def _keys(events: list[dict[str, Any]]) -> dict[str, str]:
    return {
        e["eventType"]: e["eventType"][0].lower() + e["eventType"][1:] + "EventAttributes"
        for e in events
    }


def run() -> list[Result]:
    """Time and memory ratios against the bare loop and the raw event list.

    ``compile`` is :meth:`History.compile` of a history already built from the raw events
    (what the issue bounds: 10x); ``parse + compile`` adds building the typed events from the
    raw dicts (:meth:`History.from_event_list`), as a decider does once per task.
    """
    events = build()
    keys = _keys(events)
    history = History.from_event_list(events)

    def bare() -> None:
        for raw in events:
            raw["eventId"]
            raw["eventTimestamp"]
            raw[keys[raw["eventType"]]]

    best = best_times(
        {
            "bare": bare,
            "compile": history.compile,
            "parse": lambda: History.from_event_list(events),
            "parse+compile": lambda: History.from_event_list(events).compile(),
        },
        rounds=15,
    )
    results = [
        Result(f"compile {len(events)} events vs bare loop", best["compile"], best["bare"], 10.0),
        Result(f"parse {len(events)} events vs bare loop", best["parse"], best["bare"]),
        Result(
            f"parse+compile {len(events)} events vs bare loop", best["parse+compile"], best["bare"]
        ),
    ]
    results += _scaling()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    raw = build()
    raw_size = tracemalloc.get_traced_memory()[0] - before
    before = tracemalloc.get_traced_memory()[0]
    history = History.from_event_list(raw)
    compiled = history.compile()
    ours_size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert compiled.workflow.state == "completed"
    results.append(
        Result("events + compiled view vs raw events (memory)", ours_size, raw_size, 2.0, "B")
    )
    return results


def _scaling() -> list[Result]:
    """Parse + compile cost per event at 100,000 events against 5,000.

    Two lines: the cost per event itself (what a user sees), and the same divided by the
    bare loop's cost per event at each size, which takes out what no code reading the
    events escapes: a large history no longer fits in the CPU caches, and the bare loop
    itself costs more per event (the third line shows by how much on this machine). The
    garbage collector used to make the cost per event grow with the history
    (:mod:`swf.collector` pauses it during the build and the compile).
    """
    per_event: dict[int, tuple[float, float]] = {}
    for size in SCALING:
        events = build(size)
        keys = _keys(events)

        def bare(events: list[dict[str, Any]] = events, keys: dict[str, str] = keys) -> None:
            for raw in events:
                raw["eventId"]
                raw["eventTimestamp"]
                raw[keys[raw["eventType"]]]

        best = best_times(
            {"bare": bare, "ours": lambda events=events: History.from_event_list(events).compile()},
            rounds=7,
        )
        per_event[size] = (best["ours"] / len(events), best["bare"] / len(events))
        del events
    small, large = SCALING
    (ours_small, bare_small), (ours_large, bare_large) = per_event[small], per_event[large]
    label = f"{large // 1000}k vs {small // 1000}k events"
    return [
        Result(f"parse+compile per event, {label}", ours_large, ours_small, unit="s/event"),
        Result(
            f"parse+compile per event over the bare loop's, {label}",
            ours_large / bare_large,
            ours_small / bare_small,
            1.15,
            unit="x",
        ),
        Result(
            f"bare loop per event, {label} (the machine's floor)",
            bare_large,
            bare_small,
            unit="s/event",
        ),
    ]
