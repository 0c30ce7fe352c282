"""The state machine of each kind of history entity: :data:`TRANSITIONS`.

The compiler checks every event against it (turned around: :func:`sources`); the tests walk
every edge of it; docs/history.rst prints it. State names are :mod:`swf.states`'.
"""

from __future__ import annotations

__all__ = ["TRANSITIONS", "sources"]


def _table(**edges: str) -> dict[str, frozenset[str]]:
    return {("" if state == "new" else state): frozenset(to.split()) for state, to in edges.items()}


#: Allowed transitions per entity kind: ``from state -> {to states}``. ``""`` is "not seen
#: yet"; a closed state leading back to the opening state means the id may be reused.
#: Pseudo-states that leave the state unchanged: ``cancel_requested`` (activities and the
#: workflow), ``signaled`` and the ``*_failed`` close decisions (the workflow). One edge has a
#: condition the table cannot say: an activity goes from ``scheduled`` to ``canceled`` only
#: after an ``ActivityTaskCancelRequested`` (no worker holds it to report it canceled).
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "workflow": _table(
        new="started",
        started="completed failed canceled terminated timed_out continued_as_new "
        "cancel_requested signaled complete_failed fail_failed cancel_failed "
        "continue_as_new_failed",
    ),
    "decision task": _table(
        new="scheduled",
        scheduled="started timed_out",
        started="completed timed_out",
    ),
    "activity": _table(
        new="scheduled schedule_failed",
        scheduled="started timed_out canceled cancel_requested",
        started="completed failed timed_out canceled cancel_requested",
        completed="scheduled schedule_failed",
        failed="scheduled schedule_failed",
        timed_out="scheduled schedule_failed",
        canceled="scheduled schedule_failed",
        schedule_failed="scheduled schedule_failed",
    ),
    "timer": _table(
        new="started start_failed",
        started="fired canceled",
        fired="started start_failed",
        canceled="started start_failed",
        start_failed="started start_failed",
    ),
    "child workflow": _table(
        new="start_initiated",
        start_initiated="started start_failed",
        started="completed failed timed_out canceled terminated",
        completed="start_initiated",
        failed="start_initiated",
        timed_out="start_initiated",
        canceled="start_initiated",
        terminated="start_initiated",
        start_failed="start_initiated",
    ),
    "external signal": _table(
        new="signal_initiated",
        signal_initiated="signaled signal_failed",
    ),
    "external cancel": _table(
        new="request_cancel_initiated",
        request_cancel_initiated="cancel_requested request_cancel_failed",
    ),
    "lambda function": _table(
        new="scheduled schedule_failed",
        scheduled="started start_failed",
        started="completed failed timed_out",
        completed="scheduled schedule_failed",
        failed="scheduled schedule_failed",
        timed_out="scheduled schedule_failed",
        start_failed="scheduled schedule_failed",
        schedule_failed="scheduled schedule_failed",
    ),
}


def sources(kind: str) -> dict[str, frozenset[str]]:
    """``to state -> the states it may be reached from`` for one entity kind of
    :data:`TRANSITIONS`."""
    table = TRANSITIONS[kind]
    targets = {to for tos in table.values() for to in tos}
    return {to: frozenset(state for state, tos in table.items() if to in tos) for to in targets}
