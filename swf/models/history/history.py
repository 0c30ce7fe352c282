"""History: the events of one workflow execution, with JSON in/out, filters and the compiler."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, overload

from swf.collector import collector_paused
from swf.exceptions import InvalidHistoryError, ValidationError
from swf.models.event import EVENT_TYPES, FAMILIES, Event, from_api_list
from swf.models.history.compiled import CompiledHistory
from swf.models.history.compiler import compile_history
from swf.models.history.records import HistoryProblem
from swf.validation import shorten

__all__ = ["History"]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _states(kind: str | None) -> frozenset[str]:
    """The states of the events of a family or an event type (of every event when None)."""
    return frozenset(
        state
        for event_type, (family, state) in EVENT_TYPES.items()
        if kind is None or kind in (family, event_type)
    )


class History(Sequence[Event]):
    """The events of one workflow execution, in order.

    Build it with :meth:`from_event_list`, :meth:`from_json` or
    :meth:`swf.models.WorkflowExecution.history`. It is a read-only sequence of
    :class:`~swf.models.event.Event`; slicing returns a History.

    >>> history.first.attributes["input"]            # doctest: +SKIP
    >>> history.filter(type="ActivityTask", state="failed")  # doctest: +SKIP
    >>> history.compiled.activities["resize"].state  # doctest: +SKIP
    """

    __slots__ = ("_compiled", "_events")

    def __init__(self, events: Iterable[Event] = ()) -> None:
        """Wrap typed events (see :meth:`from_event_list` for raw ones).

        Raises:
            InvalidHistoryError: an item is not an :class:`~swf.models.event.Event`, or its
                timestamp is before the previous event's.
        """
        items = list(events)
        previous: Event | None = None
        for position, event in enumerate(items):
            if not isinstance(event, Event):
                raise InvalidHistoryError(
                    f"event at position {position} is not an Event: {shorten(event)}",
                    position=position,
                    value=event,
                )
            if previous is not None and event.epoch < previous.epoch:
                raise InvalidHistoryError(
                    f"event at position {position} (id {event.id}): eventTimestamp "
                    f"{shorten(event.raw.get('eventTimestamp'))} is before the previous "
                    f"event's (event {previous.id}): timestamps never run backwards in a history",
                    event_id=event.id,
                    position=position,
                    value=event,
                )
            previous = event
        self._events: list[Event] = items
        self._compiled: CompiledHistory | None = None

    @classmethod
    def _trusted(cls, events: list[Event]) -> History:
        history = cls.__new__(cls)
        history._events = events
        history._compiled = None
        return history

    @classmethod
    def from_event_list(cls, events: Iterable[Mapping[str, Any] | Event]) -> History:
        """Build a history from raw event dicts (as SWF returns them) or typed events.

        Each event is checked against its shape in SWF's service model, and the timestamps
        must not run backwards (see :func:`~swf.models.event.from_api`).

        Raises:
            InvalidHistoryError: ``events`` is not a list of events, is empty (a history
                starts with ``WorkflowExecutionStarted``), or has a malformed event (with its
                position, id and the problem).
        """
        built = from_api_list(events)
        if not built:
            raise InvalidHistoryError(
                "events: a history has at least one event (WorkflowExecutionStarted), got none",
                argument="events",
                value=events,
            )
        return cls._trusted(built)

    @classmethod
    def from_json(cls, source: str | bytes | os.PathLike[str] | IO[Any]) -> History:
        """Load a history saved by :meth:`to_json` (GetWorkflowExecutionHistory's format).

        Args:
            source: the JSON text, a path to a JSON file, or an open file. The document is
                ``{"events": [...]}`` (a bare list of events is accepted too); timestamps are
                seconds since the epoch or ISO 8601 text (what ``aws swf
                get-workflow-execution-history`` and ``json.dumps(default=str)`` write).

        Raises:
            InvalidHistoryError: the source is not JSON (or nested too deeply to read), not a
                history, has no event, or has a malformed event (as :meth:`from_event_list`).
        """
        if not isinstance(source, (str, bytes, os.PathLike)) and not hasattr(source, "read"):
            raise InvalidHistoryError(
                f"source: cannot read a history from {type(source).__name__} {source!r} "
                "(JSON text, a path or an open file)",
                argument="source",
                value=source,
            )
        text: Any = source  # what the message shows if reading fails
        try:
            if isinstance(source, (str, bytes)) and source.lstrip()[:1] in ("{", "[", b"{", b"["):
                text = source
            elif isinstance(source, (str, os.PathLike)):
                with open(source, encoding="utf-8") as stream:
                    text = stream.read()
            else:
                text = source.read()  # type: ignore[union-attr]
            with collector_paused():  # a large history is many dicts, and no cycle
                data = json.loads(text)
        except OSError as exc:
            raise InvalidHistoryError(
                f"source: cannot read history file {source!r}: {exc}",
                argument="source",
                value=source,
            ) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidHistoryError(
                f"source: history is not valid JSON ({exc}): {shorten(text)}",
                argument="source",
                value=None,
            ) from exc
        except RecursionError:  # arrays or objects nested thousands deep: no SWF history
            raise InvalidHistoryError(
                f"source: history nests arrays or objects too deeply to be read: {shorten(text)}",
                argument="source",
                value=None,
            ) from None
        events = data.get("events") if isinstance(data, dict) else data
        if not isinstance(events, list):
            raise InvalidHistoryError(
                f'source: a history document is {{"events": [...]}}, not {shorten(text)}',
                argument="source",
                value=None,
            )
        return cls.from_event_list(events)

    def to_json(self, indent: int | None = None) -> str:
        """The history as GetWorkflowExecutionHistory's JSON: ``{"events": [...]}``.

        Timestamps become seconds since the epoch; everything else is the raw event, so
        ``History.from_json(h.to_json()) == h`` (events are equal when their type, id,
        attributes and instant are) and ``History.from_json(h.to_json()).to_json() ==
        h.to_json()``.
        """
        return json.dumps({"events": [event.to_api() for event in self._events]}, indent=indent)

    # Sequence protocol

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> History: ...

    def __getitem__(self, index: int | slice) -> Event | History:
        if isinstance(index, slice):
            return History._trusted(self._events[index])
        return self._events[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __reversed__(self) -> Iterator[Event]:
        return reversed(self._events)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self._events == other._events

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        last = self._events[-1] if self._events else None
        tail = f", last={last.event_type} #{last.id}" if last is not None else ""
        return f"<History {len(self._events)} events{tail}>"

    # Queries

    @property
    def first(self) -> Event:
        """The first event (``WorkflowExecutionStarted`` for a whole history).

        A decision task's history is never empty, so this is an
        :class:`~swf.models.event.Event`, not an
        optional one; check ``len(history)`` (or ``if history:``) where it may be.

        Raises:
            IndexError: the history is empty (the message says so).
        """
        if not self._events:
            raise IndexError("History.first: the history is empty (it has no event yet)")
        return self._events[0]

    @property
    def last(self) -> Event:
        """The last event.

        Raises:
            IndexError: the history is empty (the message says so).
        """
        if not self._events:
            raise IndexError("History.last: the history is empty (it has no event yet)")
        return self._events[-1]

    @property
    def finished(self) -> bool:
        """True when the execution closed (completed, failed, canceled, terminated, timed out
        or continued as new)."""
        return any(event.closes_workflow for event in reversed(self._events))

    def filter(
        self, type: str | None = None, state: str | None = None, **attributes: Any
    ) -> History:
        """The events matching every criterion, as a History.

        Args:
            type: the event family (``"ActivityTask"``) or the SWF event type
                (``"ActivityTaskCompleted"``).
            state: the state (``"completed"``).
            **attributes: attribute values, by SWF name or its snake_case spelling
                (``activity_id="a1"`` or ``activityId="a1"``); events lacking the attribute
                do not match.

        Raises:
            ValidationError: ``type`` is no event family or event type (``"Activity"``), or
                ``state`` is no state of the events asked for: a misspelling would match
                nothing.
        """
        if (
            type is not None
            and type not in FAMILIES
            and type not in EVENT_TYPES
            and not any(event.type == type for event in self._events)  # a newer SWF's type
        ):
            raise ValidationError(
                f"type {type!r} is no event family or event type; families: "
                f"{', '.join(FAMILIES)} (or an event type such as 'ActivityTaskCompleted')",
                argument="type",
                value=type,
            )
        if state is not None:
            known = _states(type)
            if known and state not in known and not any(e.state == state for e in self._events):
                raise ValidationError(
                    f"state {state!r} is no state of {type or 'any event'}; "
                    f"states: {', '.join(sorted(known))}",
                    argument="state",
                    value=state,
                )
        wanted = {_camel(name): value for name, value in attributes.items()}
        missing = object()
        selected = []
        for event in self._events:
            if type is not None and event.type != type and event.event_type != type:
                continue
            if state is not None and event.state != state:
                continue
            found = event.attributes
            if any(found.get(key, missing) != value for key, value in wanted.items()):
                continue
            selected.append(event)
        return History._trusted(selected)

    # Compiling

    def compile(self) -> CompiledHistory:
        """Compile the history (one pass; see :mod:`swf.models.history.compiler`).

        Raises:
            InvalidHistoryError: the history is impossible; the message names the event id
                and type, the entity and the from/to states.
        """
        compiled = compile_history(self._events)
        self._compiled = compiled
        return compiled

    @property
    def compiled(self) -> CompiledHistory:
        """The compiled view, computed on first use and kept.

        Raises:
            InvalidHistoryError: as :meth:`compile`.
        """
        compiled = self._compiled
        if compiled is None:
            compiled = self.compile()
        return compiled

    def validate(self) -> list[HistoryProblem]:
        """Every problem of the history (empty when it is valid), instead of the first one."""
        return list(compile_history(self._events, strict=False).problems)
