"""Checks and conversions shared by models, querysets, decisions and actors.

Each function takes the argument's name so that its error says which argument was wrong and
with what value; each raises :class:`~swf.exceptions.ValidationError` (or
:class:`~swf.exceptions.InvalidTypeError`) before any request is sent.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from typing import Any

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from swf import constants
from swf.exceptions import InvalidTypeError, ValidationError

__all__ = [
    "MAX_DURATION_SECONDS",
    "MAX_EPOCH",
    "MIN_EPOCH",
    "check_choice",
    "check_identity",
    "check_name",
    "check_page_size",
    "check_payload",
    "check_tags",
    "check_task_token",
    "shorten",
    "to_datetime",
    "to_duration",
    "to_retention_days",
    "to_utc",
    "truncate",
]

_UTC = dt.timezone.utc

#: The longest duration SWF accepts: one year, in seconds ("Timeout values ... can be set to
#: any number of seconds up to a year (31536000 seconds)", SWF developer guide, and its
#: RegisterWorkflowType and StartWorkflowExecution references).
MAX_DURATION_SECONDS = 31_536_000
#: Durations that SWF never accepts as ``'NONE'``, by argument name: a workflow execution's
#: start-to-close timeout (a type's default and an execution's own), which the API reference
#: caps at one year ("you cannot specify a value of NONE").
_NEVER_NONE = frozenset({"execution_timeout"})
#: The range of times swf can hold as an aware UTC datetime, in seconds since the epoch:
#: 0001-01-02 to 9999-12-30, a day inside :class:`datetime.datetime`'s own range so that any
#: UTC offset still converts.
MIN_EPOCH = (
    dt.datetime(1, 1, 2, tzinfo=_UTC) - dt.datetime(1970, 1, 1, tzinfo=_UTC)
).total_seconds()
MAX_EPOCH = (
    dt.datetime(9999, 12, 30, tzinfo=_UTC) - dt.datetime(1970, 1, 1, tzinfo=_UTC)
).total_seconds()
#: SWF's limit on task tokens (PollForDecisionTask, PollForActivityTask, Respond*).
MAX_TASK_TOKEN_LENGTH = 1024
_FORBIDDEN = re.compile(r"[:/|\x00-\x1f\x7f-\x9f]")
_DIGITS = re.compile(r"^\s*[0-9]+\s*$")
_RELATIVE = re.compile(
    r"^\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?(\s+ago)?\s*$", re.IGNORECASE
)


_SAFE_REPR = reprlib.Repr()
_SAFE_REPR.maxlevel = 4
_SAFE_REPR.maxstring = _SAFE_REPR.maxother = 80


def shorten(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters with ``...``: how messages show a value.

    A value too deeply nested for ``repr`` (a fuzzed history's thousand nested lists) is
    shown to a few levels (:mod:`reprlib`), never raising :exc:`RecursionError`.
    """
    try:
        text = repr(value)
    except RecursionError:
        text = _SAFE_REPR.repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def check_name(value: Any, argument: str, *, max_length: int = constants.MAX_NAME_LENGTH) -> str:
    """Check an SWF name (domain, type, version, workflow id, activity id, timer id...).

    SWF refuses empty names, names over ``max_length``, names with ``:``, ``/``, ``|`` or a
    control character, and the literal string ``arn``.

    Returns:
        The name.
    """
    if not isinstance(value, str):
        raise InvalidTypeError(
            f"{argument} must be a string, got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    if not value:
        raise ValidationError(
            f"{argument} must not be empty (got '')", argument=argument, value=value
        )
    if len(value) > max_length:
        raise ValidationError(
            f"{argument} is {len(value)} characters long, over SWF's limit of {max_length}: "
            f"{shorten(value)}",
            argument=argument,
            value=value,
        )
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValidationError(
            f"{argument} {shorten(value)} contains the forbidden character {bad.group()!r}",
            argument=argument,
            value=value,
        )
    if value.lower() == "arn":
        raise ValidationError(
            f"{argument} must not be the literal 'arn' (got {value!r})",
            argument=argument,
            value=value,
        )
    if value != value.strip():
        raise ValidationError(
            f"{argument} {shorten(value)} has leading or trailing white space",
            argument=argument,
            value=value,
        )
    return value


def check_payload(
    value: Any,
    argument: str,
    *,
    max_length: int = constants.MAX_INPUT_LENGTH,
    required: bool = False,
) -> str | None:
    """Check an optional string payload (input, result, details, reason...) against its limit.

    Returns:
        The payload, or ``None`` when not given (and not required).
    """
    if value is None:
        if required:
            raise ValidationError(f"{argument} is required", argument=argument, value=value)
        return None
    if not isinstance(value, str):
        raise InvalidTypeError(
            f"{argument} must be a string (serialise it first, e.g. with json.dumps), "
            f"got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    if len(value) > max_length:
        raise ValidationError(
            f"{argument} is {len(value)} characters long, over SWF's limit of {max_length}: "
            f"{shorten(value)}",
            argument=argument,
            value=value,
        )
    return value


def truncate(value: str | None, max_length: int) -> str | None:
    """Cut a string to ``max_length`` characters, marking the cut with an ellipsis."""
    if value is None or len(value) <= max_length:
        return value
    return value[: max_length - 3] + "..."


def check_choice(value: Any, argument: str, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of ``choices`` (e.g. a status or a child policy)."""
    choices = tuple(choices)
    if value not in choices:
        raise ValidationError(
            f"{argument} must be one of {', '.join(choices)}; got {shorten(value)}",
            argument=argument,
            value=value,
        )
    return str(value)


def to_duration(
    value: Any, argument: str, *, allow_none: bool = True, optional: bool = True
) -> str | None:
    """Normalise a duration to SWF's form: a string of whole seconds, or ``'NONE'``.

    Accepts an int, a whole float, a ``timedelta``, a digit string or ``'NONE'`` (when
    ``allow_none``). ``None`` is returned as is when ``optional``. SWF takes at most one year
    (``MAX_DURATION_SECONDS``) for any timeout, and never ``'NONE'`` for a workflow
    execution's start-to-close timeout (``execution_timeout``, a type's default or an
    execution's own).

    Raises:
        ValidationError: NaN, an infinity, a negative or fractional number, text, more than a
            year, or ``'NONE'`` where it is not allowed; the message shows the value.
        InvalidTypeError: neither a number, a ``timedelta`` nor a string.
    """
    return _whole(
        value,
        argument,
        allow_none=allow_none,
        optional=optional,
        maximum=MAX_DURATION_SECONDS,
        limit=f"one year ({MAX_DURATION_SECONDS} seconds)",
    )


def _whole(
    value: Any, argument: str, *, allow_none: bool, optional: bool, maximum: float, limit: str
) -> str | None:
    """A whole, non-negative number up to ``maximum`` (or ``'NONE'``), as SWF's string."""
    if value is None:
        if optional:
            return None
        raise ValidationError(f"{argument} is required", argument=argument, value=value)
    if isinstance(value, str) and value.upper() == constants.NONE:
        if argument in _NEVER_NONE:
            raise ValidationError(
                f"{argument} cannot be {value!r}: SWF runs a workflow execution for at most "
                f"one year; give a number of seconds up to {MAX_DURATION_SECONDS}",
                argument=argument,
                value=value,
            )
        if not allow_none:
            raise ValidationError(
                f"{argument} must be a number of seconds; 'NONE' is not allowed here "
                f"(got {shorten(value)})",
                argument=argument,
                value=value,
            )
        return constants.NONE
    seconds: Any = value
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        if not _DIGITS.match(value):  # ASCII digits only: isdigit() takes superscripts too
            raise ValidationError(
                f"{argument} must be a number of seconds or 'NONE', got {shorten(value)}",
                argument=argument,
                value=value,
            )
        seconds = int(value)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise InvalidTypeError(
            f"{argument} must be a number of seconds, got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    if (isinstance(seconds, float) and not math.isfinite(seconds)) or seconds < 0:
        raise ValidationError(
            f"{argument} must be a whole, non-negative number of seconds, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    if seconds != int(seconds):
        raise ValidationError(
            f"{argument} must be a whole, non-negative number of seconds, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    if seconds > maximum:
        raise ValidationError(
            f"{argument} {shorten(value)} is over SWF's limit of {limit}",
            argument=argument,
            value=value,
        )
    return str(int(seconds))


def to_retention_days(value: Any, argument: str = "retention_period") -> str:
    """Normalise a domain's retention period: whole days, 0 to 90, as SWF's string, or
    ``'NONE'`` (SWF keeps no closed execution's history, as with 0)."""
    if isinstance(value, str) and value.strip().upper() == constants.NONE:
        return constants.NONE
    days = value.days if isinstance(value, dt.timedelta) else value
    try:
        text = _whole(days, argument, allow_none=False, optional=False, maximum=math.inf, limit="")
    except ValidationError:
        text = None
    if (
        text is None
        or int(text) > constants.MAX_RETENTION_DAYS
        or (isinstance(value, dt.timedelta) and value != dt.timedelta(days=value.days))
    ):
        raise ValidationError(
            f"{argument} must be a whole number of days from 0 to "
            f"{constants.MAX_RETENTION_DAYS}, or 'NONE', got {shorten(value)}",
            argument=argument,
            value=value,
        )
    return text


def check_tags(value: Any, argument: str = "tag_list") -> tuple[str, ...]:
    """Check a tag list: at most 5 tags, each a string of at most 256 characters."""
    if value is None:
        return ()
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            f"{argument} must be a list of strings, got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    tags = tuple(value)
    if len(tags) > constants.MAX_TAGS:
        raise ValidationError(
            f"{argument} has {len(tags)} tags, over SWF's limit of {constants.MAX_TAGS}: "
            f"{shorten(value)}",
            argument=argument,
            value=value,
        )
    for tag in tags:
        check_payload(tag, argument, max_length=constants.MAX_TAG_LENGTH)
    return tags


def to_utc(value: Any) -> dt.datetime:
    """Return a timestamp from SWF (a datetime, or seconds since the epoch) as an aware UTC
    datetime: the one normaliser of times in swf (cheap when it is UTC already).

    A naive datetime is taken to be UTC already.

    Raises:
        TypeError: ``value`` is neither a datetime nor a number.
    """
    if isinstance(value, dt.datetime):
        tz = value.tzinfo
        if tz is _UTC:
            return value
        if tz is None:
            return value.replace(tzinfo=_UTC)
        return value.astimezone(_UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, _UTC)
    raise TypeError(f"not a timestamp: {value!r}")


def to_datetime(value: Any, argument: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """Turn a datetime, an epoch number or a date string into an aware UTC datetime.

    Strings are parsed by python-dateutil (``'2026-11-01'``, ``'2026-11-01T10:00:00+01:00'``),
    or are relative: ``'3 days'``, ``'2 hours ago'`` (both mean before now). Naive values are
    taken as UTC.

    Raises:
        ValidationError: an unparseable or impossible date, or one outside the years 1 to 9999
            once in UTC (``'10000 years ago'``, a ``+25:00`` offset, an epoch of ``1e20``);
            the message shows the value.
        InvalidTypeError: neither a datetime, a date, a number nor a string.
    """
    try:
        if isinstance(value, dt.datetime):
            return to_utc(value)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value, _UTC)
        if isinstance(value, str):
            relative = _RELATIVE.match(value)
            if relative:
                amount, unit = int(relative.group(1)), relative.group(2).lower()
                now = now or dt.datetime.now(_UTC)
                return to_utc(now - relativedelta(**{f"{unit}s": amount}))  # type: ignore[arg-type]
            return to_utc(date_parser.parse(value))
    except (ValueError, OverflowError, OSError) as exc:
        if isinstance(value, str) and not _RELATIVE.match(value) and not _parses(value):
            problem = "is not a date (try '2026-11-01', '2026-11-01T10:00:00Z' or '3 days ago')"
        elif isinstance(value, int | float):
            problem = "is not a valid epoch time (seconds since 1970, years 1 to 9999)"
        else:
            problem = f"is out of range: a date must fall within the years 1 to 9999 in UTC ({exc})"
        raise ValidationError(
            f"{argument} {shorten(value)} {problem}", argument=argument, value=value
        ) from None
    raise InvalidTypeError(
        f"{argument} must be a datetime, an epoch number or a date string, got "
        f"{type(value).__name__} {shorten(value)}",
        argument=argument,
        value=value,
    )


def _parses(text: str) -> bool:
    """Whether dateutil reads ``text`` at all (before any conversion to UTC)."""
    try:
        date_parser.parse(text)
    except (ValueError, OverflowError):
        return False
    return True


def check_identity(value: Any, argument: str = "identity") -> str | None:
    """Check an actor's identity (recorded in the history): a string, cut to 256 characters.

    SWF limits identities to 256 characters; a longer one is cut (with ``...``) rather than
    refused, because swf builds the default one from the host name.

    Returns:
        The identity (cut), or ``None`` when not given.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidTypeError(
            f"{argument} must be a string, got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    return truncate(value, constants.MAX_IDENTITY_LENGTH)


def check_task_token(value: Any, argument: str = "task_token") -> str:
    """Check a task token: the non-empty string of at most 1024 characters SWF handed out."""
    if not isinstance(value, str) or not value:
        raise InvalidTypeError(
            f"{argument} must be a non-empty string, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    if len(value) > MAX_TASK_TOKEN_LENGTH:
        raise ValidationError(
            f"{argument} is {len(value)} characters long, over SWF's limit of "
            f"{MAX_TASK_TOKEN_LENGTH}: {shorten(value)}",
            argument=argument,
            value=value,
        )
    return value


def check_page_size(value: Any, argument: str = "maximum_page_size") -> int | None:
    """Check a page size: a whole number from 1 to SWF's maximum of 1000, or ``None``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            f"{argument} must be a whole number, got {type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    if not 1 <= value <= constants.MAX_PAGE_SIZE:
        raise ValidationError(
            f"{argument} must be between 1 and {constants.MAX_PAGE_SIZE}, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    return value
