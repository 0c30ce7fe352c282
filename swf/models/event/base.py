"""The event base class: immutable, slotted, built from one raw SWF history event.

An :class:`Event` keeps the raw dict it came from (``raw``, for an exact round trip) and its
attribute dict (``attributes``); everything else is a property reading those, so building an
event costs a handful of slot writes and nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, NoReturn, cast

from swf.collector import collector_paused
from swf.exceptions import InvalidHistoryError
from swf.validation import to_utc

__all__ = [
    "Event",
    "UnknownEvent",
    "attributes_key",
    "from_api",
    "from_api_list",
    "register",
    "to_utc",
]

_UTC = dt.timezone.utc


def _parse_stamp(value: str) -> dt.datetime | None:
    """An ISO 8601 ``eventTimestamp`` (``aws swf get-workflow-execution-history`` writes them,
    and ``json.dumps(default=str)``), as a datetime (naive means UTC); None if it is not one."""
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        from dateutil.parser import isoparse

        return isoparse(value.strip())
    except (ValueError, OverflowError):
        return None


def _epoch(value: Any) -> float:
    """Seconds since the epoch of a raw ``eventTimestamp`` (a datetime or a number)."""
    if isinstance(value, dt.datetime):
        stamp: dt.datetime = value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
        return stamp.timestamp()
    return float(value)


class _EventSlots:
    """The storage of every event: four slots, and nothing that forbids writing them."""

    __slots__ = ("_timestamp", "attributes", "id", "raw")

    id: int
    attributes: Mapping[str, Any]
    raw: Mapping[str, Any]
    _timestamp: Any


class _Building(_EventSlots):
    """An event being built: plain slot writes, then its ``__class__`` becomes the event's.

    Same layout as every event class, so the class switch is allowed, and the built event is
    immutable from then on; far cheaper than writing through the slot descriptors. This trick
    lives here only, on the measured hot path of every decision task (``make bench``:
    bench_compile); one twin serves every class because a parse loop meets some 50 classes,
    and per-class twins measured ~30% slower (the slot stores' inline caches keep missing).
    """

    __slots__ = ()


class Event(_EventSlots):
    """One event of a workflow execution's history.

    Built by :func:`swf.models.event.from_api`; one class per SWF event type, grouped under
    one class per family (:class:`~swf.models.event.ActivityTaskEvent`, ...).

    Attributes:
        id: the ``eventId`` (1 for the first event of the history).
        attributes: the event's attribute dict, as SWF sent it (never copied).
        raw: the whole event dict, as SWF sent it.
        event_type: the SWF event type (``"ActivityTaskCompleted"``).
        type: the entity family (``"ActivityTask"``).
        state: the entity's state after this event, snake_case (``"completed"``).
        closes_workflow: True for the six events that close the execution.
    """

    __slots__ = ()

    event_type: ClassVar[str] = ""
    type: ClassVar[str] = ""
    state: ClassVar[str] = ""
    attributes_key: ClassVar[str] = ""
    closes_workflow: ClassVar[bool] = False

    def __init__(
        self,
        event_id: int,
        timestamp: Any,
        attributes: Mapping[str, Any] | None = None,
        raw: Mapping[str, Any] | None = None,
    ) -> None:
        """Build an event directly (prefer :func:`~swf.models.event.from_api`).

        Args:
            event_id: the event id.
            timestamp: a datetime or seconds since the epoch.
            attributes: the attribute dict.
            raw: the whole raw event; built from the other arguments when omitted.
        """
        attributes = {} if attributes is None else attributes
        if raw is None:
            raw = {"eventId": event_id, "eventType": self.event_type, "eventTimestamp": timestamp}
            if self.attributes_key:
                raw[self.attributes_key] = attributes
        _set_id(self, event_id)
        _set_timestamp(self, timestamp)
        _set_attributes(self, attributes)
        _set_raw(self, raw)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        # The same event, however its timestamp was written (a datetime from boto3, seconds
        # from JSON, ISO 8601 text): type, id, instant and attributes.
        if not isinstance(other, Event):
            return NotImplemented
        return (
            self.event_type == other.event_type
            and self.id == other.id
            and self.attributes == other.attributes
            and (self._timestamp == other._timestamp or self.epoch == other.epoch)
        )

    def __hash__(self) -> int:
        return hash((self.event_type, self.id))

    def __repr__(self) -> str:
        return f"<{self.event_type} id={self.id} {self.type}:{self.state}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # The class travels by reference (each event type's class is a module attribute of
        # swf.models.event.types), the raw event by value.
        return (_unpickle, (type(self), dict(self.raw)))

    @property
    def timestamp(self) -> dt.datetime:
        """When the event happened, as an aware UTC datetime."""
        return to_utc(self._timestamp)

    @property
    def epoch(self) -> float:
        """When the event happened, in seconds since the epoch."""
        return _epoch(self._timestamp)

    def to_api(self) -> dict[str, Any]:
        """The event in the JSON form of GetWorkflowExecutionHistory (epoch-float timestamp)."""
        out = dict(self.raw)
        stamp = self._timestamp
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            out["eventTimestamp"] = _epoch(stamp)
        return out

    # Accessors shared by several families; None when the event lacks the attribute.

    @property
    def input(self) -> str | None:
        """The ``input`` attribute."""
        return cast("str | None", self.attributes.get("input"))

    @property
    def result(self) -> str | None:
        """The ``result`` attribute."""
        return cast("str | None", self.attributes.get("result"))

    @property
    def reason(self) -> str | None:
        """The ``reason`` attribute (failures, terminations)."""
        return cast("str | None", self.attributes.get("reason"))

    @property
    def details(self) -> str | None:
        """The ``details`` attribute."""
        return cast("str | None", self.attributes.get("details"))

    @property
    def cause(self) -> str | None:
        """The ``cause`` attribute (failed decisions, terminations, cancel requests)."""
        return cast("str | None", self.attributes.get("cause"))

    @property
    def control(self) -> str | None:
        """The ``control`` attribute (data the decider attached to its decision)."""
        return cast("str | None", self.attributes.get("control"))

    @property
    def timeout_type(self) -> str | None:
        """The ``timeoutType`` attribute (``"START_TO_CLOSE"``, ``"HEARTBEAT"``, ...)."""
        return cast("str | None", self.attributes.get("timeoutType"))

    @property
    def identity(self) -> str | None:
        """The ``identity`` attribute of a started task (who polled it)."""
        return cast("str | None", self.attributes.get("identity"))

    @property
    def scheduled_event_id(self) -> int | None:
        """The ``scheduledEventId`` attribute."""
        return cast("int | None", self.attributes.get("scheduledEventId"))

    @property
    def started_event_id(self) -> int | None:
        """The ``startedEventId`` attribute."""
        return cast("int | None", self.attributes.get("startedEventId"))

    @property
    def initiated_event_id(self) -> int | None:
        """The ``initiatedEventId`` attribute."""
        return cast("int | None", self.attributes.get("initiatedEventId"))

    @property
    def decision_task_completed_event_id(self) -> int | None:
        """The ``decisionTaskCompletedEventId`` attribute."""
        return cast("int | None", self.attributes.get("decisionTaskCompletedEventId"))

    @property
    def task_list(self) -> str | None:
        """The name of the ``taskList`` attribute."""
        task_list = self.attributes.get("taskList")
        return task_list.get("name") if isinstance(task_list, Mapping) else None


# Slot descriptors' setters: how the (otherwise immutable) events get their values.
_set_id = vars(_EventSlots)["id"].__set__
_set_timestamp = vars(_EventSlots)["_timestamp"].__set__
_set_attributes = vars(_EventSlots)["attributes"].__set__
_set_raw = vars(_EventSlots)["raw"].__set__


class UnknownEvent(Event):
    """An event of a type this version of swf does not know (a newer SWF): kept, never dropped.

    Its ``type`` is the raw event type and its ``state`` is ``""``.
    """

    __slots__ = ("_event_type",)

    _event_type: str

    @property
    def event_type(self) -> str:  # type: ignore[override]
        """The raw ``eventType``."""
        return self._event_type

    @property
    def type(self) -> str:  # type: ignore[override]
        """The raw ``eventType`` (no family is known)."""
        return self._event_type


_set_unknown_type = vars(UnknownEvent)["_event_type"].__set__


def _unpickle(cls: type[Event], raw: dict[str, Any]) -> Event:
    """Rebuild a pickled event of class ``cls`` from its raw dict."""
    event = object.__new__(cls)
    if cls is UnknownEvent:
        _set_unknown_type(event, raw["eventType"])
    attributes = raw.get(cls.attributes_key) if cls.attributes_key else None
    if attributes is None and cls is UnknownEvent:
        attributes = raw.get(attributes_key(str(raw["eventType"])))
    stamp = raw["eventTimestamp"]
    _set_id(event, raw["eventId"])
    _set_timestamp(event, _parse_stamp(stamp) if isinstance(stamp, str) else stamp)
    _set_attributes(event, {} if attributes is None else attributes)
    _set_raw(event, raw)
    return event


def attributes_key(event_type: str) -> str:
    """The key of an event type's attribute dict: ``ActivityTaskCompleted`` ->
    ``activityTaskCompletedEventAttributes``."""
    return event_type[0].lower() + event_type[1:] + "EventAttributes"


def register(cls: type[Event]) -> None:
    """Make :func:`~swf.models.event.from_api` build events of type ``cls.event_type`` as ``cls``
    (:mod:`swf.models.event.types` registers its 54 classes on import)."""
    _SPECS[cls.event_type] = (cls, cls.attributes_key)


# Event types whose attribute dict may legitimately be absent (no required member).
_OPTIONAL_ATTRIBUTES = frozenset({"WorkflowExecutionCancelRequested", "StartLambdaFunctionFailed"})
#: The registered event classes: ``eventType`` -> (class, its attributes key).
_SPECS: dict[str, tuple[type[Event], str]] = {}
_STAMP_TYPES = frozenset({float, int, dt.datetime})
_EMPTY: Mapping[str, Any] = {}
_new = object.__new__


def _bad(raw: Any, position: int | None, problem: str) -> InvalidHistoryError:
    event_id = raw.get("eventId") if isinstance(raw, Mapping) else None
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        event_id = None
    where = f"event at position {position}" if position is not None else "event"
    if event_id is not None:
        where += f" (id {event_id})"
    return InvalidHistoryError(
        f"{where}: {problem}", event_id=event_id, position=position, value=raw
    )


def from_api(raw: Mapping[str, Any], position: int | None = None) -> Event:
    """Build the typed event of one raw history event.

    Args:
        raw: one event as GetWorkflowExecutionHistory or PollForDecisionTask return it
            (``eventTimestamp`` a datetime from boto3, seconds since the epoch from JSON, or
            ISO 8601 text as the AWS CLI writes it).
        position: the event's index in its list, for error messages.

    Returns:
        An instance of the event type's class; an :class:`UnknownEvent` for a type this
        version of swf does not know.

    Raises:
        InvalidHistoryError: ``raw`` is not a mapping, or its ``eventId``, ``eventType``,
            ``eventTimestamp`` or attribute dict is missing or of the wrong type.
    """
    try:
        event_type = raw["eventType"]
        event_id = raw["eventId"]
        stamp = raw["eventTimestamp"]
        spec = _SPECS.get(event_type)
    except (KeyError, TypeError) as exc:
        raise _diagnose(raw, position) from exc
    if type(event_id) is not int or event_id < 1:
        raise _diagnose(raw, position)
    if type(stamp) not in _STAMP_TYPES and not isinstance(stamp, dt.datetime):
        parsed = _parse_stamp(stamp) if isinstance(stamp, str) and stamp else None
        if parsed is None or isinstance(stamp, bool):
            raise _diagnose(raw, position)
        stamp = parsed
    if spec is None:
        if not isinstance(event_type, str) or not event_type:
            raise _diagnose(raw, position)
        cls: type[Event] = UnknownEvent
        attributes = raw.get(attributes_key(event_type), _EMPTY)
    else:
        cls, key = spec
        attributes = raw.get(key)
        if attributes is None:
            if event_type not in _OPTIONAL_ATTRIBUTES:
                raise _bad(raw, position, f"{event_type} has no {key}")
            attributes = _EMPTY
    if type(attributes) is not dict and not isinstance(attributes, Mapping):
        raise _bad(raw, position, f"{event_type} attributes are not a mapping: {attributes!r}")
    event: Event = _new(cls)
    if cls is UnknownEvent:
        _set_unknown_type(event, event_type)
    _set_id(event, event_id)
    _set_timestamp(event, stamp)
    _set_attributes(event, attributes)
    _set_raw(event, raw)
    return event


def from_api_list(events: Iterable[Mapping[str, Any] | Event]) -> list[Event]:
    """Build the typed events of a list of raw events (typed events are kept as they are).

    The same as ``[from_api(raw, position) for position, raw in enumerate(events)]``, at about
    half the cost: the common case (a known event type, an int id, a float or datetime
    timestamp, an attribute dict) is checked and built inline; anything else goes through
    :func:`from_api`, which builds it or says what is wrong.

    Raises:
        InvalidHistoryError: ``events`` is not a list (or other iterable) of events; or as
            :func:`from_api`, with the position of the malformed event.
    """
    if isinstance(events, (str, bytes, Mapping)) or not isinstance(events, Iterable):
        raise InvalidHistoryError(
            f"events must be a list of events, not {type(events).__name__}",
            argument="events",
            value=events,
        )
    with collector_paused():  # no cycles built here: keep the cost per event flat
        return _build_list(events)


def _build_list(events: Iterable[Mapping[str, Any] | Event]) -> list[Event]:
    built: list[Event] = []
    append = built.append
    specs = _SPECS
    stamp_types = _STAMP_TYPES
    building = _Building
    new = _new
    for raw in events:  # one event appended per item: the position is len(built)
        try:
            cls, key = specs[raw["eventType"]]  # type: ignore[index]
            event_id = raw["eventId"]  # type: ignore[index]
            stamp = raw["eventTimestamp"]  # type: ignore[index]
            attributes = raw[key]  # type: ignore[index]
        except (KeyError, TypeError):
            append(raw if isinstance(raw, Event) else from_api(raw, len(built)))
            continue
        if (
            type(event_id) is not int
            or event_id < 1
            or type(attributes) is not dict
            or type(stamp) not in stamp_types
        ):
            append(from_api(raw, len(built)))  # type: ignore[arg-type]
            continue
        event: Any = new(building)
        event.id = event_id
        event._timestamp = stamp
        event.attributes = attributes
        event.raw = raw
        event.__class__ = cls
        append(event)
    return built


def _diagnose(raw: Any, position: int | None) -> InvalidHistoryError:
    """Say what is wrong with a raw event that failed the fast checks of :func:`from_api`."""
    if not isinstance(raw, Mapping):
        return _bad(raw, position, f"not a mapping: {raw!r}")
    for key in ("eventId", "eventType", "eventTimestamp"):
        if key not in raw:
            return _bad(raw, position, f"missing {key}")
    event_id = raw["eventId"]
    if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id < 1:
        return _bad(raw, position, f"eventId must be a positive integer, not {event_id!r}")
    event_type = raw["eventType"]
    if not isinstance(event_type, str) or not event_type:
        return _bad(raw, position, f"eventType must be a non-empty string, not {event_type!r}")
    return _bad(
        raw,
        position,
        f"eventTimestamp must be a datetime or a number, not {raw['eventTimestamp']!r}",
    )
