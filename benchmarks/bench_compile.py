"""Parse + compile a 25,000-event history vs a bare loop over the raw events; memory too."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

from benchmarks.common import Result, best_times
from swf.models.history import History
from swf.testing import HistoryBuilder

EVENTS = 25_000


def build() -> list[dict[str, Any]]:
    """A valid history of ``EVENTS`` events: fan-outs of activities, timers, markers, signals."""
    builder = HistoryBuilder(input="{}")
    n = 0
    while builder.last_event_id < EVENTS - 40:
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
