"""Checks and conversions shared by models, querysets, decisions and actors.

Each function takes the argument's name so that its error says which argument was wrong and
with what value; each raises :class:`~swf.exceptions.ValidationError` (or
:class:`~swf.exceptions.InvalidTypeError`) before any request is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from swf import constants
from swf.exceptions import InvalidTypeError, ValidationError

__all__ = [
    "check_choice",
    "check_name",
    "check_payload",
    "check_tags",
    "shorten",
    "to_datetime",
    "to_duration",
    "to_retention_days",
    "to_utc",
    "truncate",
]

_UTC = dt.timezone.utc
_FORBIDDEN = re.compile(r"[:/|\x00-\x1f\x7f-\x9f]")
_RELATIVE = re.compile(
    r"^\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?(\s+ago)?\s*$", re.IGNORECASE
)


def shorten(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters with ``...``: how messages show a value."""
    text = repr(value)
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
    ``allow_none``). ``None`` is returned as is when ``optional``.
    """
    if value is None:
        if optional:
            return None
        raise ValidationError(f"{argument} is required", argument=argument, value=value)
    if isinstance(value, str) and value.upper() == constants.NONE:
        if not allow_none:
            raise ValidationError(
                f"{argument} must be a number of seconds; 'NONE' is not allowed here",
                argument=argument,
                value=value,
            )
        return constants.NONE
    seconds: Any = value
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        if not value.strip().isdigit():
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
    if seconds != int(seconds) or seconds < 0:
        raise ValidationError(
            f"{argument} must be a whole, non-negative number of seconds, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    text = str(int(seconds))
    if len(text) > constants.MAX_DURATION_LENGTH:
        raise ValidationError(
            f"{argument} {shorten(value)} is too long for SWF (8 digits at most)",
            argument=argument,
            value=value,
        )
    return text


def to_retention_days(value: Any, argument: str = "retention_period") -> str:
    """Normalise a domain's retention period: whole days, 0 to 90, as SWF's string."""
    days = value.days if isinstance(value, dt.timedelta) else value
    text = to_duration(days, argument, allow_none=False, optional=False)
    assert text is not None
    if int(text) > constants.MAX_RETENTION_DAYS:
        raise ValidationError(
            f"{argument} must be at most {constants.MAX_RETENTION_DAYS} days, got {value!r}",
            argument=argument,
            value=value,
        )
    return text


def check_tags(value: Any, argument: str = "tag_list") -> tuple[str, ...]:
    """Check a tag list: at most 5 tags, each a string of at most 256 characters."""
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            f"{argument} must be a list of strings, got {shorten(value)}",
            argument=argument,
            value=value,
        )
    tags = tuple(value)
    if len(tags) > constants.MAX_TAGS:
        raise ValidationError(
            f"{argument} has {len(tags)} tags, over SWF's limit of {constants.MAX_TAGS}",
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
    """
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            result = dt.datetime.fromtimestamp(value, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValidationError(
                f"{argument} {value!r} is not a valid epoch time", argument=argument, value=value
            ) from None
    elif isinstance(value, str):
        relative = _RELATIVE.match(value)
        if relative:
            amount, unit = int(relative.group(1)), relative.group(2).lower()
            now = now or dt.datetime.now(dt.timezone.utc)
            return now - relativedelta(**{f"{unit}s": amount})  # type: ignore[arg-type]
        try:
            result = date_parser.parse(value)
        except (ValueError, OverflowError):
            raise ValidationError(
                f"{argument} {shorten(value)} is not a date (try '2026-11-01', "
                f"'2026-11-01T10:00:00Z' or '3 days ago')",
                argument=argument,
                value=value,
            ) from None
    else:
        raise InvalidTypeError(
            f"{argument} must be a datetime, an epoch number or a date string, got "
            f"{type(value).__name__} {shorten(value)}",
            argument=argument,
            value=value,
        )
    return to_utc(result)
