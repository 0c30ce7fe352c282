"""Decisions about timers and markers."""

from __future__ import annotations

from typing import Any

from swf.models.decision.base import (
    Decision,
    DecisionType,
    _register_builder,
    check_duration,
    check_id,
    check_label,
    check_payload_field,
)

__all__ = ["MarkerDecision", "TimerDecision"]


class TimerDecision(Decision):
    """Start or cancel a timer."""

    __slots__ = ()

    @classmethod
    def start(
        cls, id: str, start_to_fire_timeout: Any, *, control: str | None = None
    ) -> TimerDecision:
        """Build a ``StartTimer`` decision.

        Args:
            id: the timer's id (1 to 256 characters).
            start_to_fire_timeout: seconds or a ``timedelta`` until it fires (required;
                ``'NONE'`` is not allowed).
            control: data for the decider.

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.START_TIMER
        attributes = {
            "timerId": check_id(kind, id, "id"),
            "control": check_payload_field(kind, control, "control"),
            "startToFireTimeout": check_duration(
                kind,
                start_to_fire_timeout,
                "start_to_fire_timeout",
                required=True,
                allow_none=False,
            ),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def cancel(cls, id: str) -> TimerDecision:
        """Build a ``CancelTimer`` decision.

        Raises:
            InvalidDecisionError: ``id`` is missing or invalid.
        """
        kind = DecisionType.CANCEL_TIMER
        return cls._build(kind, {"timerId": check_id(kind, id, "id")})  # type: ignore[return-value]


class MarkerDecision(Decision):
    """Record a marker in the history."""

    __slots__ = ()

    @classmethod
    def record(cls, name: str, details: str | None = None) -> MarkerDecision:
        """Build a ``RecordMarker`` decision.

        Args:
            name: the marker's name (1 to 256 characters).
            details: the marker's details (at most 32,768 characters).

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.RECORD_MARKER
        attributes = {
            "markerName": check_label(kind, name, "name"),
            "details": check_payload_field(kind, details, "details"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]


_register_builder(DecisionType.START_TIMER, TimerDecision.start, timerId="id")
_register_builder(DecisionType.CANCEL_TIMER, TimerDecision.cancel, timerId="id")
_register_builder(DecisionType.RECORD_MARKER, MarkerDecision.record, markerName="name")
