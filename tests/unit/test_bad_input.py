"""The bad-input table (``tests/bad_input_table.py``) against a closed loopback port.

Every row must raise our exception naming the argument and showing the value, with nothing
sent (``connection.calls`` unchanged); ``docs/bad-input.rst`` must be what
``docs/gen_bad_input.py`` writes from the table today.
"""

from __future__ import annotations

import json

import pytest
from bad_input_table import DOC, ROWS, Row, check_row, closed_port_connection, render_doc

from swf.core import Connection
from swf.exceptions import SWFError
from swf.models.decision import WorkflowExecutionDecision
from swf.models.event import UnknownEvent
from swf.models.history import History
from swf.testing import HistoryBuilder


@pytest.fixture
def stubbed() -> Connection:
    return closed_port_connection()


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input_refused_before_sending(row: Row, stubbed: Connection) -> None:
    check_row(row, stubbed)


def test_row_ids_are_unique() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert len(ROWS) >= 150


def test_doc_is_what_the_generator_writes() -> None:
    assert DOC.read_text(encoding="utf-8") == render_doc(), (
        f"{DOC} is stale: run .venv/bin/python docs/gen_bad_input.py"
    )


def test_json_payload_roundtrip_is_plain_json() -> None:
    """Payloads are JSON text: the library does not accept objects it would have to pickle."""
    with pytest.raises(SWFError, match="json.dumps"):
        WorkflowExecutionDecision.complete({"a": 1})  # type: ignore[arg-type]
    assert WorkflowExecutionDecision.complete(json.dumps({"a": 1})).attributes == {
        "result": '{"a": 1}'
    }


def test_an_unknown_event_type_is_kept_not_refused() -> None:
    """Not bad input: a newer SWF's event type becomes an UnknownEvent, and compiles."""
    events = HistoryBuilder().decision().events
    stamp = events[3]["eventTimestamp"]  # in time order, as SWF writes events
    events.insert(4, {"eventId": 5, "eventType": "WorkflowExploded", "eventTimestamp": stamp})
    for position, event in enumerate(events):
        event["eventId"] = position + 1
    history = History.from_event_list(events)
    assert isinstance(history[4], UnknownEvent)
    unknown = history[4]
    assert (unknown.event_type, unknown.type, unknown.id) == (
        "WorkflowExploded",
        "WorkflowExploded",
        5,
    )
    assert history.compile().last_event_id == len(events) and history.validate() == []
