"""The walk of issue 17 (``tests/bad_input_walk.py``): every public entry point and every
history member, fed every value of the pool, then more values drawn by hypothesis.

Each call is refused with our exception showing the value, nothing sent, or accepted; each
oracle says which it must be when it can tell. A failure lists every offending call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bad_input_table import closed_port_connection
from bad_input_walk import (
    CASES,
    HISTORY_LOADERS,
    MISSING,
    Outcome,
    figures,
    load_outcome,
    members,
    run,
    walk,
    walk_histories,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swf.core import Connection

#: Drawn values: anything a user could pass, JSON-ish or not.
_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x2FF), min_size=250, max_size=270),
    st.binary(max_size=20),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.dates(),
    st.timedeltas(),
    st.lists(st.text(max_size=300), max_size=7),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
_WALK = settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def connection() -> Connection:
    return closed_port_connection()


def _report(outcomes: list[Outcome]) -> str:
    failed = [str(o) for o in outcomes if o.failed]
    return f"{len(failed)} failures:\n" + "\n".join(failed[:60])


def test_every_entry_point_with_every_value(connection: Connection) -> None:
    outcomes = walk(connection)
    assert not any(o.failed for o in outcomes), _report(outcomes)
    assert len(outcomes) == figures()["calls"] >= 14_000
    # Both outcomes happen: the walk is not vacuous.
    verdicts = {o.verdict for o in outcomes}
    assert verdicts == {"refused", "accepted"}


def test_history_loading_with_every_value_at_every_member() -> None:
    outcomes = walk_histories()
    assert not any(o.failed for o in outcomes), _report(outcomes)
    assert len(outcomes) == figures()["loads"]
    assert len({o.argument for o in outcomes}) == figures()["members"] == 221


@_WALK
@given(case=st.sampled_from(CASES), value=_ANY)
def test_drawn_values_at_every_entry_point(case: Any, value: Any) -> None:
    entry, argument = case
    outcome = run(entry, argument, value, closed_port_connection())
    assert not outcome.failed, str(outcome)


@_WALK
@given(
    member=st.sampled_from(members()),
    value=_ANY,
    loader=st.sampled_from(sorted(HISTORY_LOADERS)),
)
def test_drawn_values_at_every_history_member(member: Any, value: Any, loader: str) -> None:
    if loader == "History.from_json" and isinstance(value, bytes | dt.date | dt.timedelta):
        loader = "History.from_event_list"  # JSON cannot hold these
    outcome = load_outcome(member, value, HISTORY_LOADERS[loader])
    assert not outcome.failed, str(outcome)


def test_a_removed_required_member_is_named() -> None:
    required = [m for m in members() if m.required and m.kind not in ("id", "timestamp")]
    assert len(required) > 60
    for member in required:
        outcome = load_outcome(member, MISSING, HISTORY_LOADERS["from_api_list"])
        assert outcome.verdict == "refused" and member.key in outcome.detail, str(outcome)
