"""The cyclic garbage collector is paused while a history is built and compiled, and always
restored (issue 12, performance 1; the timing is in benchmarks/bench_compile.py)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from swf.collector import collector_paused
from swf.exceptions import InvalidHistoryError
from swf.models.history import History
from swf.testing import HistoryBuilder


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations collected while the test runs, with a low threshold so that any
    unpaused build of a few thousand objects collects often."""
    seen: list[int] = []

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    threshold = gc.get_threshold()
    enabled = gc.isenabled()
    gc.enable()
    gc.set_threshold(50, 2, 2)
    gc.callbacks.append(callback)
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()


def _events(activities: int = 400) -> list[dict[str, Any]]:
    return HistoryBuilder().activities([f"a{i}" for i in range(activities)]).events


def test_building_and_compiling_runs_no_collection_inside(collections: list[int]) -> None:
    events = _events()
    gc.collect()
    collections.clear()
    history = History.from_event_list(events)
    compiled = history.compile()
    assert len(compiled.activities) == 400
    # Only the young-generation passes due when the collector resumes after each step (with
    # the threshold at 50, an unpaused build of ~2,000 events collects hundreds of times).
    assert len(collections) <= 4, collections
    assert 2 not in collections


def test_loading_json_runs_no_collection_inside(collections: list[int]) -> None:
    text = History.from_event_list(_events()).to_json()
    gc.collect()
    collections.clear()
    assert len(History.from_json(text)) > 1000
    assert len(collections) <= 4, collections


def test_the_collector_is_restored_when_an_exception_escapes() -> None:
    assert gc.isenabled()
    bad = [*_events(3), {"eventId": "x"}]
    with pytest.raises(InvalidHistoryError):
        History.from_event_list(bad)
    assert gc.isenabled()
    events = _events(3)
    events[4]["activityTaskScheduledEventAttributes"]["decisionTaskCompletedEventId"] = 99
    with pytest.raises(InvalidHistoryError):
        History.from_event_list(events).compile()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_program_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        History.from_event_list(_events(3)).compile()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_and_concurrent_pauses_resume_once_the_last_ends() -> None:
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(10)
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(10)
    assert gc.isenabled()
