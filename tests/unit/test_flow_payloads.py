"""Large payloads in the workflow layer: what is over a field's 32 KB goes to the payload
store, the history holds its reference, every reader resolves it."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import flowapp
import pytest

from swf.exceptions import PayloadMissingError
from swf.flow import PayloadTooLargeError, run_local
from swf.flow import payload as payloads
from swf.flow.payload import FileStore, MemoryStore
from swf.replay import Replayer, ReplayError

BIG = 40_000  # over SWF's 32,768 characters


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    payloads.reset()
    memory = MemoryStore()
    payloads.configure(memory)
    yield memory
    payloads.reset()


def references(history: object) -> list[str]:
    found = []
    for event in history:  # type: ignore[attr-defined]
        for value in event.attributes.values():
            if isinstance(value, str) and value.startswith("swf+memory://"):
                found.append(value)
    return found


def test_large_inputs_results_markers_and_side_effects_go_to_the_store(store: MemoryStore) -> None:
    run = run_local(flowapp.BigData, BIG)
    assert run.result == {"size": BIG, "echo": BIG, "tail": "xxx"}
    refs = references(run.history)
    # the result of blow_up, the input of measure, the marker, the side effect
    assert len(refs) == 4
    assert all(len(value) < 200 for value in refs)
    assert len(store) == 4  # one object per content, however many replays wrote it
    assert Replayer(flowapp.BigData).check(run.history).ok


def test_without_a_store_a_large_value_is_refused_naming_it() -> None:
    payloads.reset()
    run = run_local(flowapp.BigData, BIG)
    assert run.status == "FAILED"
    reason = run.history.compiled.workflow.reason or ""
    assert "PayloadTooLargeError: the details of marker 'big' is 40," in reason
    run = run_local(flowapp.Sleeper, 1)  # a small one is fine
    assert run.status == "COMPLETED"
    with pytest.raises(PayloadTooLargeError, match="over SWF's limit of 32,768"):
        run_local(flowapp.Sleeper, "s" * BIG)


def test_a_missing_payload_is_a_clear_error_never_a_silent_replacement(
    tmp_path: pathlib.Path,
) -> None:
    payloads.reset()
    payloads.configure(FileStore(tmp_path))
    try:
        run = run_local(flowapp.BigData, BIG)
        payloads.clear_cache()
        for path in tmp_path.rglob("*"):
            if path.is_file():
                path.unlink()  # an expired payload (the lifecycle rule)
        with pytest.raises(ReplayError) as caught:
            Replayer(flowapp.BigData).check(run.history)
        assert isinstance(caught.value.__cause__, PayloadMissingError)
    finally:
        payloads.reset()
