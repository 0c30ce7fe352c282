"""The state vocabulary (swf.states) is the compiler's, and the compiled view is read-only."""

from __future__ import annotations

import pytest

from swf import states
from swf.models.event import EVENT_TYPES
from swf.models.history import TRANSITIONS, CompiledHistory
from swf.testing import HistoryBuilder

_PSEUDO = {"cancel_requested", "signaled"}  # leave the entity's state unchanged

KINDS = {
    "workflow": states.WORKFLOW_STATES,
    "decision task": states.DECISION_TASK_STATES,
    "activity": states.ACTIVITY_STATES,
    "timer": states.TIMER_STATES,
    "child workflow": states.CHILD_WORKFLOW_STATES,
    "external signal": states.EXTERNAL_SIGNAL_STATES,
    "external cancel": states.EXTERNAL_CANCEL_STATES,
    "lambda function": states.LAMBDA_FUNCTION_STATES,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_has_exactly_the_states_its_transitions_reach(kind: str) -> None:
    table = TRANSITIONS[kind]
    reached = {to for targets in table.values() for to in targets} | (set(table) - {""})
    if kind == "workflow":
        reached = {s for s in reached if not s.endswith("_failed")} - _PSEUDO | {""}
    elif kind == "activity":
        reached -= {"cancel_requested"}
    assert reached == KINDS[kind]


def test_open_sets_are_states_of_their_kinds() -> None:
    assert states.OPEN_TASK_STATES <= states.ACTIVITY_STATES & states.LAMBDA_FUNCTION_STATES
    assert states.OPEN_TASK_STATES <= states.DECISION_TASK_STATES
    assert states.OPEN_TIMER_STATES <= states.TIMER_STATES
    assert states.OPEN_CHILD_STATES <= states.CHILD_WORKFLOW_STATES
    assert states.OPEN_WORKFLOW_STATES <= states.WORKFLOW_STATES
    assert not states.FAILED_STATES & states.OPEN_STATES


def test_every_event_state_is_in_the_vocabulary() -> None:
    every = set().union(*KINDS.values()) | {"recorded", "record_failed", "cancel_failed"}
    every |= {"cancel_requested", "request_cancel_failed", "signaled"}
    every |= {"complete_failed", "fail_failed", "cancel_failed", "continue_as_new_failed"}
    assert {state for _, state in EVENT_TYPES.values()} <= every


def _compiled() -> CompiledHistory:
    return (
        HistoryBuilder()
        .schedule_activity("a1")
        .start_activity("a1")
        .complete_activity("a1", result="1")
        .decision()
        .record_marker("m", "x")
        .start_timer("t")
        .history()
        .compiled
    )


def test_the_compiled_view_refuses_changes() -> None:
    view = _compiled()
    with pytest.raises(AttributeError, match="read-only"):
        view.last_event_id = 0
    with pytest.raises(TypeError, match="immutable"):
        view.activities["a2"] = None
    with pytest.raises(TypeError, match="immutable"):
        del view.timers["t"]
    assert isinstance(view.markers["m"], tuple)
    assert isinstance(view.decision_tasks, tuple)
    record = view.activities["a1"]
    for name in ("state", "attempts", "activity_id", "cancel_requested", "previous"):
        with pytest.raises(AttributeError):
            setattr(record, name, None)
    assert (record.state, record.attempts, record.activity_id) == ("completed", 1, "a1")
    workflow = view.workflow
    with pytest.raises(AttributeError):
        workflow.state = "completed"
    with pytest.raises(AttributeError):
        view.markers["m"][0].name = "n"
