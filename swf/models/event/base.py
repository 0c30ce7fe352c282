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
from swf.models.event import _shapes
from swf.validation import MAX_EPOCH, MIN_EPOCH, shorten, to_utc

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

        Raises:
            InvalidHistoryError: as :func:`~swf.models.event.from_api`: a timestamp out of
                range, attributes that break the event type's shape.
        """
        attributes = {} if attributes is None else attributes
        if raw is None:
            raw = {"eventId": event_id, "eventType": self.event_type, "eventTimestamp": timestamp}
            if self.attributes_key:
                raw[self.attributes_key] = attributes
        problem = _stamp_problem(timestamp)
        if problem is None and not isinstance(self, UnknownEvent):  # no shape known for those
            problem = _shapes.problem(self.event_type, attributes)
            if problem is not None:
                problem = f"{self.event_type} {self.attributes_key}: {problem}"
        if problem is not None:
            raise _bad(raw, None, problem)
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
    global _FAST
    _SPECS[cls.event_type] = (cls, cls.attributes_key)
    _FAST = None


#: The registered event classes: ``eventType`` -> (class, its attributes key).
_SPECS: dict[str, tuple[type[Event], str]] = {}
#: The same with each type's generated shape check (:mod:`._shapes`), built on first use.
_FAST: dict[str, tuple[type[Event], str, Any]] | None = None
_EMPTY: Mapping[str, Any] = {}
_new = object.__new__
_DT_MIN = dt.datetime(1, 1, 2, tzinfo=_UTC)
_DT_MAX = dt.datetime(9999, 12, 30, tzinfo=_UTC)
#: The timestamp types the fast path takes; others (bool, str, a datetime subclass) go the
#: slow way.
_STAMP_TYPES = frozenset({float, int, dt.datetime})
_RANGE = "between the years 1 and 9999"


def _accept(attributes: Any) -> bool:
    return True


def _fast_specs() -> dict[str, tuple[type[Event], str, Any]]:
    global _FAST
    fast = _FAST
    if fast is None:
        fast = _FAST = {
            event_type: (cls, key, _shapes.fast_check(event_type) or _accept)
            for event_type, (cls, key) in _SPECS.items()
        }
    return fast


def _optional_attributes(event_type: str) -> bool:
    """Whether ``event_type``'s attribute dict may be absent (it has no required member)."""
    members = _shapes.shapes().get(event_type, ())
    return not any(required for _, _, required, _ in members)


def _bad(raw: Any, position: int | None, problem: str) -> InvalidHistoryError:
    event_id = raw.get("eventId") if isinstance(raw, Mapping) else None
    if isinstance(raw, Event):
        event_id = raw.id
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        event_id = None
    event_type = raw.get("eventType") if isinstance(raw, Mapping) else None
    where = f"event at position {position}" if position is not None else "event"
    if event_id is not None:
        where += f" (id {event_id})"
    return InvalidHistoryError(
        f"{where}: {problem}",
        event_id=event_id,
        position=position,
        value=raw,
        event_type=event_type if isinstance(event_type, str) else None,
    )


def _stamp_problem(stamp: Any) -> str | None:
    """What is wrong with a raw ``eventTimestamp`` (``None``: nothing)."""
    if isinstance(stamp, dt.datetime):
        low, high = (_DT_MIN, _DT_MAX) if stamp.tzinfo is not None else (_NAIVE_MIN, _NAIVE_MAX)
        try:
            if low <= stamp <= high:
                return None
        except (TypeError, ValueError, OverflowError):  # a tzinfo that cannot say its offset
            pass
        return f"eventTimestamp {shorten(stamp)} is out of range (a time {_RANGE})"
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        if MIN_EPOCH <= stamp <= MAX_EPOCH:  # False for NaN
            return None
        return (
            f"eventTimestamp {shorten(stamp)} is out of range (seconds since 1970, from "
            f"{MIN_EPOCH:.0f} to {MAX_EPOCH:.0f}: a time {_RANGE})"
        )
    return f"eventTimestamp must be a datetime or a number, not {shorten(stamp)}"


_NAIVE_MIN = _DT_MIN.replace(tzinfo=None)
_NAIVE_MAX = _DT_MAX.replace(tzinfo=None)


def from_api(raw: Mapping[str, Any], position: int | None = None) -> Event:
    """Build the typed event of one raw history event.

    The event is checked against its shape in SWF's service model (botocore's): its
    ``eventId``, ``eventType`` and ``eventTimestamp``, then its attribute dict, whose
    required members must be there and whose known members must have their JSON type
    (strings, integers, nested mappings, lists of strings). Members the model does not know
    are kept (a newer SWF's), and so is an event type it does not know, as an
    :class:`UnknownEvent`.

    Args:
        raw: one event as GetWorkflowExecutionHistory or PollForDecisionTask return it
            (``eventTimestamp`` a datetime from boto3, seconds since the epoch from JSON, or
            ISO 8601 text as the AWS CLI writes it).
        position: the event's index in its list, for error messages.

    Returns:
        An instance of the event type's class; an :class:`UnknownEvent` for a type this
        version of swf does not know.

    Raises:
        InvalidHistoryError: ``raw`` is not a mapping; its ``eventId``, ``eventType`` or
            ``eventTimestamp`` is missing, of the wrong type or out of range (a time between
            the years 1 and 9999); or its attributes break the event type's shape. The
            message names the position, the event id and the member, with the value.
    """
    if not isinstance(raw, Mapping):
        raise _bad(raw, position, f"not a mapping: {shorten(raw)}")
    for key in ("eventId", "eventType", "eventTimestamp"):
        if key not in raw:
            raise _bad(raw, position, f"missing {key}")
    event_id = raw["eventId"]
    if type(event_id) is not int and (not isinstance(event_id, int) or isinstance(event_id, bool)):
        raise _bad(raw, position, f"eventId must be a positive integer, not {shorten(event_id)}")
    if event_id < 1:
        raise _bad(raw, position, f"eventId must be a positive integer, not {shorten(event_id)}")
    event_type = raw["eventType"]
    if not isinstance(event_type, str) or not event_type:
        raise _bad(
            raw, position, f"eventType must be a non-empty string, not {shorten(event_type)}"
        )
    stamp = raw["eventTimestamp"]
    if isinstance(stamp, str) and stamp.strip():  # ISO 8601 (the AWS CLI's output)
        parsed = _parse_stamp(stamp)
        problem = None if parsed is None else _stamp_problem(parsed)
        if parsed is None or problem is not None:  # said with the text as given
            problem = f"eventTimestamp {shorten(stamp)} is not an ISO 8601 time {_RANGE}"
        stamp = parsed
    else:
        problem = _stamp_problem(stamp)
    if problem is not None:
        raise _bad(raw, position, problem)
    spec = _SPECS.get(event_type)
    if spec is None:
        cls: type[Event] = UnknownEvent
        key = attributes_key(event_type)
        attributes = raw.get(key, _EMPTY)
    else:
        cls, key = spec
        attributes = raw.get(key)
        if attributes is None:
            if not _optional_attributes(event_type):
                raise _bad(raw, position, f"{event_type} has no {key}")
            attributes = _EMPTY
    if not isinstance(attributes, Mapping):
        raise _bad(
            raw, position, f"{event_type} attributes are not a mapping: {shorten(attributes)}"
        )
    if spec is not None:
        problem = _shapes.problem(event_type, attributes)
        if problem is not None:
            raise _bad(raw, position, f"{event_type} {key}: {problem}")
    event: Event = _new(cls)
    if cls is UnknownEvent:
        _set_unknown_type(event, event_type)
    _set_id(event, int(event_id))
    _set_timestamp(event, stamp)
    _set_attributes(event, attributes)
    _set_raw(event, raw)
    return event


def from_api_list(events: Iterable[Mapping[str, Any] | Event]) -> list[Event]:
    """Build the typed events of a list of raw events (typed events are kept as they are).

    The same as ``[from_api(raw, position) for position, raw in enumerate(events)]``, plus
    one check across events: timestamps never run backwards (equal ones are fine). At about
    half the cost: the common case (a known event type, an int id, a float or datetime
    timestamp in range and not before the previous one, an attribute dict that fits its
    shape) is checked and built inline; anything else goes through :func:`from_api`, which
    builds it or says what is wrong.

    Raises:
        InvalidHistoryError: ``events`` is not a list (or other iterable) of events; a
            timestamp before the previous event's; or as :func:`from_api`, with the position
            of the malformed event.
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
    specs = _FAST or _fast_specs()
    stamps = _STAMP_TYPES
    building = _Building
    new = _new
    # The previous event's raw timestamp: the first one is checked slowly (None <= x raises),
    # and since each one is at least the previous one, only the last needs its upper bound.
    last: Any = None
    checked_last: Any = None  # the last timestamp the slow path has checked entirely
    for raw in events:  # one event appended per item: the position is len(built)
        try:
            cls, key, check = specs[raw["eventType"]]  # type: ignore[index]
            event_id = raw["eventId"]  # type: ignore[index]
            stamp = raw["eventTimestamp"]  # type: ignore[index]
            attributes = raw[key]  # type: ignore[index]
            fast = (
                type(event_id) is int
                and event_id > 0
                and type(attributes) is dict
                and type(stamp) in stamps
                and last <= stamp
                and check(attributes)
            )
        except (KeyError, TypeError):
            fast = False
        if not fast:
            slow = _slow(raw, len(built), built)
            append(slow)
            last = checked_last = slow._timestamp
            continue
        event: Any = new(building)
        event.id = event_id
        event._timestamp = last = stamp
        event.attributes = attributes
        event.raw = raw
        event.__class__ = cls
        append(event)
    if last is not checked_last and _stamp_problem(last) is not None:
        _refuse_late_stamps(built)
    return built


def _refuse_late_stamps(built: list[Event]) -> None:
    """Name the first event whose timestamp is past the range (the last one is)."""
    for position, event in enumerate(built):
        problem = _stamp_problem(event._timestamp)
        if problem is not None:
            raise _bad(event.raw, position, problem)


def _slow(raw: Any, position: int, built: list[Event]) -> Event:
    """One event the inline checks of :func:`from_api_list` did not take: built (or refused)
    by :func:`from_api`, then its timestamp compared with the previous event's."""
    previous = built[-1] if built else None
    event = raw if isinstance(raw, Event) else from_api(raw, position)
    if isinstance(raw, Event):
        problem = _stamp_problem(raw._timestamp)
        if problem is not None:
            raise _bad(raw, position, problem)
    if previous is not None and event.epoch < previous.epoch:
        if _stamp_problem(previous._timestamp) is not None:  # an earlier one is out of range
            _refuse_late_stamps(built)
        raise _bad(
            raw,
            position,
            f"eventTimestamp {shorten(event._timestamp)} is before the previous event's "
            f"({shorten(previous._timestamp)}, event {previous.id}): timestamps never run "
            "backwards in a history",
        )
    return event
