"""The checks SWF applies to a decision task's answer, in one place: :func:`check_decisions`.

Used by :meth:`swf.actors.Decider.complete` before it sends, by the offline
:class:`swf.replay.Replayer` on what a decider returns, and by the workflow engine, so that a
decider that passes replay cannot fail live on the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from swf import constants
from swf.exceptions import InvalidDecisionError
from swf.models.decision.base import Decision
from swf.validation import check_payload, shorten

__all__ = ["check_decisions"]

#: Room left in SWF's 1 MB request for the HTTP headers and the request's own keys.
_REQUEST_OVERHEAD = 16_384


def check_decisions(
    decisions: Iterable[Mapping[str, Any]] | None,
    *,
    execution_context: str | None = None,
) -> list[Decision]:
    """Check the decisions of one decision task's answer as SWF would, before sending.

    Args:
        decisions: the decisions: builders of :mod:`swf.models.decision`, or plain dicts
            (each goes through :meth:`Decision.from_api
            <swf.models.decision.Decision.from_api>`); None is no decision.
        execution_context: the execution context sent with them (at most 32,768 characters).

    Returns:
        The decisions, each a :class:`~swf.models.decision.Decision`.

    Raises:
        InvalidDecisionError: something that is not a decision (naming its position), more
            than 100 decisions, or an answer over SWF's 1 MB request limit (naming its size);
            nothing is sent.
        ValidationError: an execution context that is not a string or is too long.
    """
    if decisions is None:
        decisions = ()
    if isinstance(decisions, Mapping | str | bytes | bytearray) or not isinstance(
        decisions, Iterable
    ):
        raise InvalidDecisionError(
            f"decisions must be a list of decisions, got {type(decisions).__name__} "
            f"{shorten(decisions)}",
            argument="decisions",
            value=decisions,
        )
    checked: list[Decision] = []
    for decision in decisions:
        if isinstance(decision, Decision):
            checked.append(decision)
        elif isinstance(decision, Mapping):
            checked.append(Decision.from_api(decision))
        else:
            raise InvalidDecisionError(
                f"decisions[{len(checked)}] is not a decision: {decision!r:.80}",
                argument=f"decisions[{len(checked)}]",
                value=decision,
            )
    if len(checked) > constants.MAX_DECISIONS:
        raise InvalidDecisionError(
            f"{len(checked)} decisions in one response, over SWF's limit of "
            f"{constants.MAX_DECISIONS}; schedule the rest in the next decision task",
            argument="decisions",
            value=len(checked),
        )
    context = check_payload(
        execution_context, "execution_context", max_length=constants.MAX_EXECUTION_CONTEXT_LENGTH
    )
    size = len(json.dumps([checked, context], separators=(",", ":")).encode())
    if size > constants.MAX_REQUEST_SIZE - _REQUEST_OVERHEAD:
        raise InvalidDecisionError(
            f"the decisions take {size:,} bytes, over what SWF's 1 MB request limit leaves "
            f"for them ({constants.MAX_REQUEST_SIZE - _REQUEST_OVERHEAD:,}); send fewer or "
            "smaller decisions in this decision task",
            argument="decisions",
            value=size,
        )
    return checked
