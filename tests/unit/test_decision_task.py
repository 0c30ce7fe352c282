"""DecisionTask.from_history: the one way a decision task is built (poll, replay, engine)."""

from __future__ import annotations

import pytest

from swf.actors import DecisionTask
from swf.exceptions import InvalidTypeError, ValidationError
from swf.models import WorkflowExecution
from swf.testing import HistoryBuilder


def _history() -> HistoryBuilder:
    return (
        HistoryBuilder(("flow", "2"))
        .decision()  # 2 scheduled, 3 started, 4 completed
        .schedule_activity("a1")  # 5
        .start_activity("a1")  # 6
        .complete_activity("a1", result="1")  # 7, then 8 scheduled
        .decision_started()  # 9
    )


def test_the_last_decision_task_by_default() -> None:
    history = _history().history()
    task = DecisionTask.from_history(history, execution=WorkflowExecution("d", "w", "r"))
    assert (task.started_event_id, task.previous_started_event_id) == (9, 3)
    assert task.history is history  # nothing to cut
    assert (task.workflow_type.name, task.workflow_type.version) == ("flow", "2")
    assert [e.id for e in task.new_events] == [4, 5, 6, 7, 8, 9]
    assert (task.workflow_id, task.run_id, task.token) == ("w", "r", "")


def test_an_earlier_task_cuts_the_history_after_its_start() -> None:
    history = _history().decision_completed().complete(result="x").history()
    task = DecisionTask.from_history(
        history, execution=WorkflowExecution("d", "w", "r"), token="t", started_event_id=3
    )
    assert task.history.last.id == 3 and len(task.history) == 3
    assert task.previous_started_event_id is None
    assert task.token == "t"


def test_what_swf_says_of_the_previous_task_wins() -> None:
    task = DecisionTask.from_history(
        _history().history(),
        execution=WorkflowExecution("d", "w", "r"),
        previous_started_event_id=1,
    )
    assert task.previous_started_event_id == 1


@pytest.mark.parametrize("started", [2, 99])
def test_a_started_id_that_is_no_decision_task_start_is_refused(started: int) -> None:
    with pytest.raises(ValidationError, match=f"no decision task started at event {started}"):
        DecisionTask.from_history(
            _history().history(),
            execution=WorkflowExecution("d", "w", "r"),
            started_event_id=started,
        )
    with pytest.raises(InvalidTypeError, match="started_event_id"):
        DecisionTask.from_history(
            _history().history(), execution=WorkflowExecution("d", "w"), started_event_id="3"
        )  # type: ignore[arg-type]
