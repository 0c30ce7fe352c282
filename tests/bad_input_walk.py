"""The walk of issue 17: every public entry point, each argument fed values a user gets wrong.

Beside the table of known rows (``bad_input_table.py``), this walks the public entry points
(models, querysets, decisions, the actors' constructors and calls, settings, history loading)
and feeds *each argument* every value of :data:`VALUES` (wrong types, NaN and infinities, huge
and negative numbers, empty and over-long strings, control characters, out-of-range dates),
the other arguments keeping a valid value, against a client whose endpoint is a closed
loopback port. For each call (:func:`run`):

- it is *refused*: it raises an :class:`~swf.exceptions.SWFError` whose message shows the
  offending value (a credential's value is never shown: the message says so instead) and
  ``Connection.calls`` did not grow: nothing was sent;
- or it is *accepted*: it returns, or it sent a request (which the closed port answers with
  a :class:`~swf.exceptions.TransportError`).

Anything else (a bare ``ValueError``, ``TypeError``, ``OverflowError``...) is a failure. Each
argument has a *kind* with an oracle, written from SWF's documentation and not from swf's
code, that says whether a value is valid (accepting an invalid value or refusing a valid one is
a failure) or that it cannot tell (then either outcome is fine, as long as it is one of the
two). ``tests/unit/test_bad_input_walk.py`` runs the whole walk, and hypothesis draws more
values; ``docs/bad-input.rst`` gives the figures (:func:`figures`).

History loading is walked the same way, member by member: each event type's attribute
members (from botocore's service model, ``event_samples``), ``eventId`` and
``eventTimestamp``, are replaced by each value (or removed), and the history must load or be
refused with :class:`~swf.exceptions.InvalidHistoryError` naming the event id, the member and
the value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import dateutil.parser
from bad_input_table import LONG_NAME
from event_samples import attribute_shapes, full_attributes

from swf import settings
from swf.actors import ActivityWorker, Decider
from swf.core import Connection
from swf.exceptions import InvalidHistoryError, SWFError
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    ExternalWorkflowExecutionDecision,
    LambdaFunctionDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.event import from_api_list
from swf.models.history import History
from swf.querysets import (
    ActivityTypeQuerySet,
    DomainQuerySet,
    WorkflowExecutionQuerySet,
    WorkflowTypeQuerySet,
)
from swf.validation import shorten

UTC = dt.timezone.utc
YEAR = 31_536_000  # SWF's longest timeout, in seconds (its developer guide)
INT32 = (-(2**31), 2**31 - 1)


class _Opaque:
    """An object of no known kind (its repr is stable, unlike object()'s)."""

    def __repr__(self) -> str:
        return "<opaque>"


#: The values fed to every argument.
VALUES: list[Any] = [
    # wrong types
    None,
    True,
    b"bytes",
    bytearray(b"ba"),
    ["x"],
    ("x",),
    {"k": 1},
    {"x"},
    _Opaque(),
    Decimal("NaN"),
    Decimal("1e400"),
    Fraction(1, 3),
    complex(1, 1),
    # numbers: NaN, infinities, huge, negative, fractional, edges
    0,
    1,
    -1,
    61,
    90,
    91,
    1000,
    1001,
    YEAR,
    YEAR + 1,
    2**31,
    -(2**31) - 1,
    10**30,
    -(10**30),
    0.0,
    1.5,
    -1.5,
    60.0,
    math.nan,
    math.inf,
    -math.inf,
    1e300,
    -1e300,
    1e-300,
    # strings: empty, over-long, control characters, SWF's words, dates and durations
    "",
    " ",
    " x",
    "x",
    "ok-name",
    "arn",
    "a:b",
    "a\nb",
    "\x00",
    "t" * 65,
    LONG_NAME,
    "x" * 1025,
    "x" * 2049,
    "x" * 32_769,
    "NONE",
    "none",
    "60",
    " 60 ",
    "-5",
    "1e3",
    "nan",
    "inf",
    "\u00b3",  # a superscript three: str.isdigit() says True, int() refuses it
    "\u0661\u0662",  # Arabic-Indic digits
    "REGISTERED",
    "TERMINATE",
    "COMPLETED",
    "standard",
    "eu-west-1",
    "http://",
    "http://localhost:99999",
    "http://127.0.0.1:5000",
    "2026-01-01",
    "2026-13-01",
    "3 days ago",
    "10000 years ago",
    "99999999999 days ago",
    "2026-01-01T00:00:00+25:00",
    "9999-12-31T23:00:00-05:00",
    # dates and durations
    dt.datetime(2026, 1, 1, tzinfo=UTC),
    dt.datetime.min,
    dt.datetime.max,
    dt.datetime.max.replace(tzinfo=dt.timezone(-dt.timedelta(hours=5))),
    dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=5))),
    dt.date(2026, 1, 1),
    dt.timedelta(minutes=2),
    dt.timedelta(seconds=1.5),
    dt.timedelta(days=-1),
    dt.timedelta(days=10**8),
]

# -- kinds and their oracles ----------------------------------------------------------------

_FORBIDDEN = re.compile(r"[:/|\x00-\x1f\x7f-\x9f]")
_REGION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # AWS's region names: us-east-1, cn-north-1
_ASCII_DIGITS = re.compile(r"^\s*[0-9]+\s*$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Kind:
    """What an argument takes: ``oracle(value)`` says valid (True), not (False), or cannot
    tell (None)."""

    name: str
    oracle: Callable[[Any], bool | None]
    secret: bool = False


def _name(limit: int = 256, optional: bool = False) -> Kind:
    def oracle(value: Any) -> bool:
        if value is None:
            return optional
        return (
            isinstance(value, str)
            and 0 < len(value) <= limit
            and not _FORBIDDEN.search(value)
            and value.lower() != "arn"
            and value == value.strip()
        )

    return Kind(f"name ({limit})", oracle)


def _payload(limit: int, optional: bool = True) -> Kind:
    def oracle(value: Any) -> bool:
        if value is None:
            return optional
        return isinstance(value, str) and len(value) <= limit

    return Kind(f"payload ({limit})", oracle)


def _seconds_of(value: Any) -> float | None:
    """The whole number of seconds a duration value means, or None if it means none."""
    if isinstance(value, str):
        return float(int(value)) if _ASCII_DIGITS.match(value) else None
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    if _is_number(value) and math.isfinite(value) and value == int(value):
        return float(value)
    return None


def _duration(*, allow_none: bool = True, optional: bool = True) -> Kind:
    def oracle(value: Any) -> bool:
        if value is None:
            return optional
        if isinstance(value, str) and value.upper() == "NONE":
            return allow_none
        seconds = _seconds_of(value)
        return seconds is not None and 0 <= seconds <= YEAR

    return Kind("duration", oracle)


def _retention(value: Any) -> bool:
    """Whole days from 0 to 90, or 'NONE' (SWF: "NONE or 0: no history is retained")."""
    if value is None:
        return True
    if isinstance(value, str) and value.strip().upper() == "NONE":
        return True
    if isinstance(value, dt.timedelta):
        return value == dt.timedelta(days=value.days) and 0 <= value.days <= 90
    days = _seconds_of(value)
    return days is not None and 0 <= days <= 90


def _priority(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        try:
            number = int(value)
        except ValueError:
            return False
    elif _is_int(value):
        number = value
    else:
        return False
    return INT32[0] <= number <= INT32[1]


def _tags(value: Any) -> bool | None:
    if value is None:
        return True
    if not isinstance(value, list | tuple):
        return None if isinstance(value, set | frozenset) else False
    return len(value) <= 5 and all(isinstance(t, str) and len(t) <= 256 for t in value)


def _date(value: Any) -> bool | None:
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return True
        try:
            value.astimezone(UTC)
        except OverflowError:
            return False
        return True
    if isinstance(value, dt.date):
        return True
    if _is_number(value):
        return None if math.isfinite(value) and abs(value) < 2.5e11 else False
    if isinstance(value, str):
        return None  # python-dateutil reads a lot: either outcome, as long as it is ours
    return False


def _choice(*choices: str, optional: bool = True) -> Kind:
    return Kind(
        f"one of {choices}",
        lambda value: optional if value is None else (isinstance(value, str) and value in choices),
    )


def _identity(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _token(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 1024


def _between(low: int, high: int, optional: bool = False) -> Kind:
    return Kind(
        f"an int from {low} to {high}",
        lambda value: optional if value is None else (_is_int(value) and low <= value <= high),
    )


def _unknown(value: Any) -> None:
    return None


NAME = _name()
NAME_OR_NONE = _name(optional=True)
VERSION = _name(64)
INPUT = _payload(32_768)
REASON = _payload(256)
DESCRIPTION = _payload(1024)
HEARTBEAT_DETAILS = _payload(2048)
DURATION = _duration()
DURATION_NO_NONE = _duration(allow_none=False)
REQUIRED_DURATION = _duration(allow_none=False, optional=False)
RETENTION = Kind("retention days", _retention)
PRIORITY = Kind("priority", _priority)
TAGS = Kind("tag list", _tags)
DATE = Kind("date", _date)


def _filter_date(value: Any) -> bool | None:
    """A listing's date filter also takes a timedelta: that long before now."""
    if isinstance(value, dt.timedelta):
        return dt.timedelta(0) <= value < dt.timedelta(days=365 * 2000)
    return _date(value)


FILTER_DATE = Kind("date filter", _filter_date)
CHILD_POLICY = _choice("TERMINATE", "REQUEST_CANCEL", "ABANDON")
REGISTRATION = _choice("REGISTERED", "DEPRECATED")
#: A model's status: it has a default; None given explicitly is not a status.
STATUS = _choice("REGISTERED", "DEPRECATED", optional=False)
#: Marker and signal names: SWF documents only their length (1 to 256), no character rule;
#: a Lambda function's name may be its ARN (colons), 1 to 64 characters.
FREE_NAME = Kind("free name (256)", lambda v: isinstance(v, str) and 0 < len(v) <= 256)
LAMBDA_NAME = Kind("Lambda name (64)", lambda v: isinstance(v, str) and 0 < len(v) <= 64)
IDENTITY = Kind("identity", _identity)
TOKEN = Kind("task token", _token)
PAGE_SIZE = _between(1, 1000, optional=True)
UNKNOWN = Kind("unknown", _unknown)


# -- settings' kinds --------------------------------------------------------------------------


def _unset(value: Any) -> bool:
    return value is None or value == ""


def _setting_region(value: Any) -> bool:
    return _unset(value) or (
        isinstance(value, str)
        and bool(_REGION.match(value))
        and len(value) <= 63
        and not value.isdigit()  # a host label, for botocore: not all digits
    )


def _setting_url(value: Any) -> bool | None:
    if _unset(value):
        return True
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return False
    return None


def _setting_retries(value: Any) -> bool:
    if isinstance(value, str):
        return bool(re.fullmatch(r"\s*-?[0-9]+\s*", value)) and 0 <= int(value) <= 100
    seconds = _seconds_of(value) if _is_number(value) else None
    return seconds is not None and 0 <= seconds <= 100


def _setting_timeout(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return 0 < number <= 3600


def _setting_text(value: Any) -> bool:
    return _unset(value) or (
        isinstance(value, str) and not re.search(r"[\x00-\x20\x7f-\x9f]", value)
    )


def _forgettable(oracle: Callable[[Any], bool | None]) -> Callable[[Any], bool | None]:
    """``settings.set(name=None)`` forgets what was set: valid for every setting."""
    return lambda value: True if value is None else oracle(value)


SETTING_KINDS: dict[str, Kind] = {
    "region": Kind("region", _setting_region),
    "endpoint_url": Kind("endpoint URL", _setting_url),
    "retries": Kind("retries", _forgettable(_setting_retries)),
    "retry_mode": Kind("retry mode", _forgettable(lambda v: v in ("standard", "adaptive"))),
    "connect_timeout": Kind("timeout", _forgettable(_setting_timeout)),
    "read_timeout": Kind("timeout", _forgettable(_setting_timeout)),
    "profile": Kind("profile", _setting_text),
    "domain": Kind("domain", lambda v: _unset(v) or NAME.oracle(v)),
    "aws_access_key_id": Kind("credential", _setting_text, secret=True),
    "aws_secret_access_key": Kind("credential", _setting_text, secret=True),
    "aws_session_token": Kind("credential", _setting_text, secret=True),
}


# -- the entry points ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One public entry point: ``call(connection, **arguments)``, and each argument's kind
    with a valid value used while another argument is walked (:data:`OMIT`: left out)."""

    name: str
    call: Callable[..., Any]
    arguments: Mapping[str, tuple[Kind, Any]]
    sends: bool = False  # whether an accepted call sends a request


OMIT = object()


class _Decider(Decider):
    def decide(self, task: Any) -> list[Any]:
        return []


class _Worker(ActivityWorker):
    def process(self, task: Any) -> Any:
        return None


def _domain(c: Connection) -> Domain:
    return Domain("d", client=c)


def _wtype(c: Connection) -> WorkflowType:
    return WorkflowType(_domain(c), "wt", "1", client=c)


def _execution(c: Connection) -> WorkflowExecution:
    return WorkflowExecution(_domain(c), "wf-1", "run-1", client=c)


_ATYPE = {"name": "a", "version": "1"}
_WTYPE = {"name": "w", "version": "1"}
_TYPE_OPTIONS: dict[str, tuple[Kind, Any]] = {
    "task_list": (NAME_OR_NONE, OMIT),
    "description": (DESCRIPTION, OMIT),
    "task_priority": (PRIORITY, OMIT),
}


def _entries() -> Iterator[Entry]:
    yield Entry(
        "Domain()",
        lambda c, **kw: Domain(**kw, client=c),
        {
            "name": (NAME, "d"),
            "description": (DESCRIPTION, OMIT),
            "retention_period": (RETENTION, OMIT),
            "status": (STATUS, OMIT),
        },
    )
    yield Entry(
        "WorkflowType()",
        lambda c, **kw: WorkflowType(**kw, client=c),
        {
            "domain": (NAME, "d"),
            "name": (NAME, "wt"),
            "version": (VERSION, "1"),
            **_TYPE_OPTIONS,
            "child_policy": (CHILD_POLICY, OMIT),
            "execution_timeout": (DURATION_NO_NONE, OMIT),
            "decision_tasks_timeout": (DURATION, OMIT),
            "lambda_role": (_payload(1224), OMIT),
            "status": (STATUS, OMIT),
        },
    )
    yield Entry(
        "ActivityType()",
        lambda c, **kw: ActivityType(**kw, client=c),
        {
            "domain": (NAME, "d"),
            "name": (NAME, "at"),
            "version": (VERSION, "1"),
            **_TYPE_OPTIONS,
            "task_heartbeat_timeout": (DURATION, OMIT),
            "task_schedule_to_close_timeout": (DURATION, OMIT),
            "task_schedule_to_start_timeout": (DURATION, OMIT),
            "task_start_to_close_timeout": (DURATION, OMIT),
        },
    )
    yield Entry(
        "WorkflowExecution()",
        lambda c, **kw: WorkflowExecution(**kw, client=c),
        {
            "domain": (NAME, "d"),
            "workflow_id": (NAME, "wf"),
            "tag_list": (TAGS, OMIT),
            "start_timestamp": (DATE, OMIT),
            "close_timestamp": (DATE, OMIT),
            "execution_timeout": (DURATION_NO_NONE, OMIT),
            "decision_tasks_timeout": (DURATION, OMIT),
            "task_priority": (PRIORITY, OMIT),
        },
    )
    yield Entry(
        "WorkflowType.start_execution",
        lambda c, **kw: _wtype(c).start_execution(**kw),
        {
            "workflow_id": (NAME_OR_NONE, OMIT),
            "task_list": (NAME_OR_NONE, OMIT),
            "input": (INPUT, OMIT),
            "tag_list": (TAGS, OMIT),
            "execution_timeout": (DURATION_NO_NONE, OMIT),
            "decision_tasks_timeout": (DURATION, OMIT),
            "child_policy": (CHILD_POLICY, OMIT),
            "task_priority": (PRIORITY, OMIT),
        },
        sends=True,
    )
    yield Entry(
        "WorkflowExecution.signal",
        lambda c, **kw: _execution(c).signal(**kw),
        {"name": (NAME, "go"), "input": (INPUT, OMIT)},
        sends=True,
    )
    yield Entry(
        "WorkflowExecution.terminate",
        lambda c, **kw: _execution(c).terminate(**kw),
        {"reason": (REASON, OMIT), "details": (INPUT, OMIT), "child_policy": (CHILD_POLICY, OMIT)},
        sends=True,
    )
    yield Entry(
        "DomainQuerySet.get",
        lambda c, **kw: DomainQuerySet(client=c).get(**kw),
        {"name": (NAME, "d")},
        sends=True,
    )
    yield Entry(
        "DomainQuerySet.create",
        lambda c, **kw: DomainQuerySet(client=c).create(**kw),
        {
            "name": (NAME, "d"),
            "description": (DESCRIPTION, OMIT),
            "retention_period": (RETENTION, OMIT),
        },
        sends=True,
    )
    yield Entry(
        "DomainQuerySet.filter",
        lambda c, **kw: DomainQuerySet(client=c).filter(**kw),
        {"status": (REGISTRATION, OMIT), "name": (NAME_OR_NONE, OMIT)},
    )
    yield Entry(
        "QuerySet.limit",
        lambda c, **kw: DomainQuerySet(client=c).limit(**kw),
        {"count": (_between(0, 10**100), 1)},
    )
    yield Entry(
        "QuerySet.page_size",
        lambda c, **kw: DomainQuerySet(client=c).page_size(**kw),
        {"size": (_between(1, 1000), 1)},
    )
    for qs_name, qs in (
        ("WorkflowTypeQuerySet", WorkflowTypeQuerySet),
        ("ActivityTypeQuerySet", ActivityTypeQuerySet),
    ):
        yield Entry(
            f"{qs_name}()",
            lambda c, qs=qs, **kw: qs(**kw, client=c),
            {"domain": (NAME, "d")},
        )
        yield Entry(
            f"{qs_name}.get",
            lambda c, qs=qs, **kw: qs("d", client=c).get(**kw),
            {"name": (NAME, "t"), "version": (VERSION, "1")},
            sends=True,
        )
        yield Entry(
            f"{qs_name}.filter",
            lambda c, qs=qs, **kw: qs("d", client=c).filter(**kw),
            {
                "status": (REGISTRATION, OMIT),
                "name": (NAME_OR_NONE, OMIT),
                "version": (_name(64, optional=True), OMIT),
            },
        )
    yield Entry(
        "WorkflowExecutionQuerySet.filter",
        lambda c, **kw: WorkflowExecutionQuerySet("d", client=c).filter(**kw),
        {
            "status": (_choice("OPEN", "CLOSED"), OMIT),
            "start_oldest_date": (FILTER_DATE, OMIT),
            "start_latest_date": (FILTER_DATE, OMIT),
            "close_oldest_date": (FILTER_DATE, OMIT),
            "close_latest_date": (FILTER_DATE, OMIT),
            "close_status": (
                _choice(
                    "COMPLETED",
                    "FAILED",
                    "CANCELED",
                    "TERMINATED",
                    "CONTINUED_AS_NEW",
                    "TIMED_OUT",
                ),
                OMIT,
            ),
            "tag": (_payload(256), OMIT),
            "workflow_id": (NAME_OR_NONE, OMIT),
        },
    )
    yield Entry(  # SWF takes one of tag, type, workflow id and close status per listing
        "WorkflowExecutionQuerySet.filter (by type)",
        lambda c, **kw: WorkflowExecutionQuerySet("d", client=c).filter(**kw),
        {
            "workflow_type_name": (NAME_OR_NONE, "wt"),  # a version goes with a name
            "workflow_type_version": (_name(64, optional=True), OMIT),
        },
    )
    yield Entry(
        "WorkflowExecutionQuerySet.get",
        lambda c, **kw: WorkflowExecutionQuerySet("d", client=c).get(**kw),
        {"workflow_id": (NAME, "wf")},
        sends=True,
    )
    # -- decisions --
    atd = ActivityTaskDecision
    yield Entry(
        "ActivityTaskDecision.schedule",
        lambda c, **kw: atd.schedule(**kw),
        {
            "activity_id": (NAME, "a1"),
            "activity_type": (UNKNOWN, _ATYPE),
            "input": (INPUT, OMIT),
            "control": (INPUT, OMIT),
            "task_list": (NAME_OR_NONE, OMIT),
            "task_priority": (PRIORITY, OMIT),
            "schedule_to_close_timeout": (DURATION, OMIT),
            "schedule_to_start_timeout": (DURATION, OMIT),
            "start_to_close_timeout": (DURATION, OMIT),
            "heartbeat_timeout": (DURATION, OMIT),
        },
    )
    yield Entry(
        "ActivityTaskDecision.request_cancel",
        lambda c, **kw: atd.request_cancel(**kw),
        {"activity_id": (NAME, "a1")},
    )
    yield Entry(
        "LambdaFunctionDecision.schedule",
        lambda c, **kw: LambdaFunctionDecision.schedule(**kw),
        {
            "id": (NAME, "l1"),
            "name": (LAMBDA_NAME, "f"),
            "input": (INPUT, OMIT),
            "control": (INPUT, OMIT),
            "start_to_close_timeout": (DURATION_NO_NONE, OMIT),
        },
    )
    yield Entry(
        "TimerDecision.start",
        lambda c, **kw: TimerDecision.start(**kw),
        {
            "id": (NAME, "t1"),
            "start_to_fire_timeout": (REQUIRED_DURATION, 30),
            "control": (INPUT, OMIT),
        },
    )
    yield Entry(
        "TimerDecision.cancel", lambda c, **kw: TimerDecision.cancel(**kw), {"id": (NAME, "t1")}
    )
    yield Entry(
        "MarkerDecision.record",
        lambda c, **kw: MarkerDecision.record(**kw),
        {"name": (FREE_NAME, "m"), "details": (INPUT, OMIT)},
    )
    wed = WorkflowExecutionDecision
    yield Entry(
        "WorkflowExecutionDecision.complete",
        lambda c, **kw: wed.complete(**kw),
        {"result": (INPUT, OMIT)},
    )
    yield Entry(
        "WorkflowExecutionDecision.fail",
        lambda c, **kw: wed.fail(**kw),
        {"reason": (REASON, OMIT), "details": (INPUT, OMIT)},
    )
    yield Entry(
        "WorkflowExecutionDecision.cancel",
        lambda c, **kw: wed.cancel(**kw),
        {"details": (INPUT, OMIT)},
    )
    yield Entry(
        "WorkflowExecutionDecision.continue_as_new",
        lambda c, **kw: wed.continue_as_new(**kw),
        {
            "input": (INPUT, OMIT),
            "execution_start_to_close_timeout": (DURATION_NO_NONE, OMIT),
            "task_list": (NAME_OR_NONE, OMIT),
            "task_priority": (PRIORITY, OMIT),
            "task_start_to_close_timeout": (DURATION, OMIT),
            "child_policy": (CHILD_POLICY, OMIT),
            "tag_list": (TAGS, OMIT),
            "workflow_type_version": (_name(64, optional=True), OMIT),
        },
    )
    yield Entry(
        "ChildWorkflowExecutionDecision.start",
        lambda c, **kw: ChildWorkflowExecutionDecision.start(**kw),
        {
            "workflow_type": (UNKNOWN, _WTYPE),
            "workflow_id": (NAME, "c1"),
            "input": (INPUT, OMIT),
            "control": (INPUT, OMIT),
            "execution_start_to_close_timeout": (DURATION_NO_NONE, OMIT),
            "task_list": (NAME_OR_NONE, OMIT),
            "task_priority": (PRIORITY, OMIT),
            "task_start_to_close_timeout": (DURATION, OMIT),
            "child_policy": (CHILD_POLICY, OMIT),
            "tag_list": (TAGS, OMIT),
        },
    )
    ewd = ExternalWorkflowExecutionDecision
    yield Entry(
        "ExternalWorkflowExecutionDecision.signal",
        lambda c, **kw: ewd.signal(**kw),
        {
            "workflow_id": (NAME, "wf"),
            "signal_name": (FREE_NAME, "go"),
            "input": (INPUT, OMIT),
            "control": (INPUT, OMIT),
        },
    )
    yield Entry(
        "ExternalWorkflowExecutionDecision.request_cancel",
        lambda c, **kw: ewd.request_cancel(**kw),
        {"workflow_id": (NAME, "wf"), "control": (INPUT, OMIT)},
    )
    # -- actors --
    for actor_name, actor in (("Decider", _Decider), ("ActivityWorker", _Worker)):
        yield Entry(
            f"{actor_name}()",
            lambda c, actor=actor, **kw: actor(**kw, client=c),
            {
                "domain": (NAME, "d"),
                "task_list": (NAME_OR_NONE, "tl"),
                "identity": (IDENTITY, OMIT),
            },
        )
    yield Entry(
        "Decider.poll",
        lambda c, **kw: _Decider("d", "tl", client=c).poll(**kw),
        {
            "task_list": (NAME_OR_NONE, OMIT),
            "identity": (IDENTITY, OMIT),
            "maximum_page_size": (PAGE_SIZE, OMIT),
        },
        sends=True,
    )
    yield Entry(
        "Decider.complete",
        lambda c, **kw: _Decider("d", "tl", client=c).complete(**kw),
        {
            "task_token": (TOKEN, "tok"),
            "decisions": (UNKNOWN, OMIT),
            "execution_context": (INPUT, OMIT),
        },
        sends=True,
    )
    yield Entry(
        "ActivityWorker.poll",
        lambda c, **kw: _Worker("d", "tl", client=c).poll(**kw),
        {"task_list": (NAME_OR_NONE, OMIT), "identity": (IDENTITY, OMIT)},
        sends=True,
    )
    for method, extra in (
        ("complete", {"result": (INPUT, OMIT)}),
        ("fail", {"reason": (REASON, OMIT), "details": (INPUT, OMIT)}),
        ("cancel", {"details": (INPUT, OMIT)}),
        ("heartbeat", {"details": (HEARTBEAT_DETAILS, OMIT)}),
    ):
        yield Entry(
            f"ActivityWorker.{method}",
            lambda c, method=method, **kw: getattr(_Worker("d", "tl", client=c), method)(**kw),
            {"task_token": (TOKEN, "tok"), **extra},
            sends=True,
        )
    # -- settings --
    yield Entry("settings.set", lambda c, **kw: settings.set(**kw), SETTING_KINDS_ARGS)
    yield Entry("Connection()", lambda c, **kw: Connection(**kw), SETTING_KINDS_ARGS)


SETTING_KINDS_ARGS: dict[str, tuple[Kind, Any]] = {
    name: (kind, OMIT) for name, kind in SETTING_KINDS.items()
}
ENTRIES: list[Entry] = list(_entries())
#: Every (entry point, argument) walked.
CASES: list[tuple[Entry, str]] = [(e, name) for e in ENTRIES for name in e.arguments]


# -- running one call --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one call did."""

    entry: str
    argument: str
    value: Any
    verdict: str  # "refused", "accepted", or a failure: "bare", "silent", "unnamed"...
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.verdict not in ("refused", "accepted")

    def __str__(self) -> str:
        return (
            f"{self.entry} {self.argument}={shorten(self.value, 60)}: {self.verdict} {self.detail}"
        )


def shows(message: str, value: Any) -> bool:
    """Whether ``message`` shows ``value`` (its repr or str, or a recognisable prefix; an
    element of a list or tuple will do)."""
    candidates = [shorten(value), repr(value), str(value)]
    if isinstance(value, list | tuple | set | frozenset):
        candidates += [repr(item) for item in value]
    return any(text[: min(len(text), 24)] in message for text in candidates)


def run(entry: Entry, argument: str, value: Any, connection: Connection) -> Outcome:
    """Call ``entry`` with ``argument=value`` (the others valid) and judge the outcome."""
    kind, _ = entry.arguments[argument]
    arguments = {name: default for name, (_, default) in entry.arguments.items()}
    arguments[argument] = value
    arguments = {name: given for name, given in arguments.items() if given is not OMIT}
    before = sum(connection.calls.values())
    try:
        entry.call(connection, **arguments)
    except SWFError as exc:
        sent = sum(connection.calls.values()) > before
        verdict, detail = ("accepted", "") if sent else ("refused", str(exc))
    except RecursionError as exc:  # raised by a message's repr? it is a failure too
        verdict, detail = "bare", f"RecursionError: {str(exc)[:100]}"
    except Exception as exc:
        verdict, detail = "bare", f"{type(exc).__name__}: {str(exc)[:160]}"
    else:
        verdict, detail = "accepted", ""
    finally:
        settings.reset()
    valid = kind.oracle(value)
    if verdict == "refused":
        message = detail
        if kind.secret:
            if isinstance(value, str) and len(value) >= 4 and value in message:
                return Outcome(entry.name, argument, value, "secret shown", message)
        elif not shows(message, value):
            return Outcome(entry.name, argument, value, "value not shown", message)
        if valid is True:
            return Outcome(entry.name, argument, value, "valid value refused", message)
    elif verdict == "accepted" and valid is False:
        return Outcome(entry.name, argument, value, "invalid value accepted")
    return Outcome(entry.name, argument, value, verdict, detail)


def walk(connection: Connection, values: list[Any] | None = None) -> list[Outcome]:
    """Every case with every value: the outcomes."""
    return [
        run(entry, argument, value, connection)
        for entry, argument in CASES
        for value in (VALUES if values is None else values)
    ]


# -- history loading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One member of an event type's attributes (or ``eventId``/``eventTimestamp``)."""

    event_type: str
    path: str  # "taskList.name"; "" for the event's own keys
    key: str
    kind: str  # "string", "long", "structure", "list", "id", "timestamp"
    required: bool
    shape: Any = field(default=None, compare=False)


def members() -> list[Member]:
    """Every top-level attribute member of every event type, and the event's own keys."""
    found = [
        Member("ActivityTaskCompleted", "", "eventId", "id", True),
        Member("ActivityTaskCompleted", "", "eventTimestamp", "timestamp", True),
    ]
    for event_type, shape in sorted(attribute_shapes().items()):
        for key, member in shape.members.items():
            kind = member.type_name if member.type_name != "integer" else "long"
            found.append(Member(event_type, key, key, kind, key in shape.required_members, member))
    return found


MISSING = object()


def _fits(shape: Any, value: Any) -> bool:
    """The oracle: whether ``value`` fits a member's shape in the service model."""
    kind = shape.type_name
    if kind == "string":
        return isinstance(value, str)
    if kind in ("long", "integer"):
        return _is_int(value)
    if kind == "list":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    if not isinstance(value, Mapping):
        return False
    return all(
        name in value and value[name] is not None and _fits(shape.members[name], value[name])
        for name in shape.required_members
    ) and all(
        value[name] is None or _fits(member, value[name])
        for name, member in shape.members.items()
        if name in value
    )


def history_for(member: Member, value: Any) -> tuple[list[dict[str, Any]], bool]:
    """A two-event history whose second event has ``value`` at ``member`` (:data:`MISSING`:
    removed), and whether it is valid."""
    started = {
        "eventId": 1,
        "eventType": "WorkflowExecutionStarted",
        "eventTimestamp": 1000.0,
        "workflowExecutionStartedEventAttributes": full_attributes("WorkflowExecutionStarted"),
    }
    key = member.event_type[0].lower() + member.event_type[1:] + "EventAttributes"
    event: dict[str, Any] = {
        "eventId": 2,
        "eventType": member.event_type,
        "eventTimestamp": 1001.0,
        key: full_attributes(member.event_type),
    }
    target = event if member.kind in ("id", "timestamp") else event[key]
    if value is MISSING:
        del target[member.key]
        valid = not member.required
    else:
        target[member.key] = value
        if member.kind == "id":
            valid = _is_int(value) and value > 0
        elif member.kind == "timestamp":
            valid = _valid_stamp(value)
        elif value is None:
            valid = not member.required
        else:
            valid = _fits(member.shape, value)
    return [started, event], valid


def _valid_stamp(value: Any) -> bool:
    """Not before the first event (1000.0), and a time between the years 1 and 9999."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        try:
            epoch = aware.timestamp()
        except (OverflowError, ValueError):
            return False
        low, high = dt.datetime(1, 1, 2, tzinfo=UTC), dt.datetime(9999, 12, 30, tzinfo=UTC)
        return low <= aware <= high and epoch >= 1000.0
    if _is_number(value):
        return math.isfinite(value) and 1000.0 <= value <= 253402128000
    if isinstance(value, str) and value.strip():  # ISO 8601, as the AWS CLI writes them
        try:
            parsed = dateutil.parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            return False
        return _valid_stamp(parsed)
    return False


def load_outcome(member: Member, value: Any, load: Callable[[Any], Any]) -> Outcome:
    """Load the history with ``value`` at ``member``, and judge it."""
    events, valid = history_for(member, value)
    name = f"{member.event_type}.{member.key}"
    try:
        load(events)
    except InvalidHistoryError as exc:
        message = str(exc)
        if valid:
            return Outcome("History loading", name, value, "valid value refused", message)
        wanted = [member.key]
        if member.kind != "id":
            wanted.append("(id 2)")
        if value is not MISSING and member.kind != "structure" and not shows(message, value):
            return Outcome("History loading", name, value, "value not shown", message)
        missing = [text for text in wanted if text not in message]
        if missing:
            return Outcome("History loading", name, value, f"{missing} not named", message)
        return Outcome("History loading", name, value, "refused", message)
    except Exception as exc:
        return Outcome("History loading", name, value, "bare", f"{type(exc).__name__}: {exc}")
    if not valid:
        return Outcome("History loading", name, value, "invalid value accepted")
    return Outcome("History loading", name, value, "accepted")


def _from_json(events: list[dict[str, Any]]) -> History:
    return History.from_json(json.dumps({"events": events}))


HISTORY_LOADERS: dict[str, Callable[[Any], Any]] = {
    "History.from_event_list": History.from_event_list,
    "from_api_list": from_api_list,
    "History.from_json": _from_json,
}


def _json_able(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, tuple)  # JSON has no tuples: it would be another value


def walk_histories(values: list[Any] | None = None) -> list[Outcome]:
    """Every member with every value (and removed), through the three loaders (JSON text
    for the values JSON can hold)."""
    return [
        load_outcome(member, value, load)
        for member in members()
        for value in [MISSING, *(VALUES if values is None else values)]
        for name, load in HISTORY_LOADERS.items()
        if name != "History.from_json" or value is MISSING or _json_able(value)
    ]


def figures() -> dict[str, int]:
    """The size of the walk, for docs/bad-input.rst (computed without running it)."""
    history_members = members()
    return {
        "entries": len(ENTRIES),
        "arguments": len(CASES),
        "values": len(VALUES),
        "calls": len(CASES) * len(VALUES),
        "event_types": len(attribute_shapes()),
        "members": len(history_members),
        "loads": len(history_members)
        * sum(
            len(HISTORY_LOADERS) if _json_able(value) else len(HISTORY_LOADERS) - 1
            for value in [None, *VALUES]  # None: the member removed (JSON-able)
        ),
    }
