from __future__ import annotations

import datetime as dt

import pytest

from swf.exceptions import InvalidTypeError, ValidationError
from swf.validation import (
    check_name,
    check_payload,
    check_tags,
    to_datetime,
    to_duration,
    to_retention_days,
    truncate,
)

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "bad", ["", "a" * 257, "a:b", "a/b", "a|b", "tab\there", "nul\x00", "arn", "ARN", " pad"]
)
def test_bad_names_are_refused_with_the_value(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_name(bad, "name")
    assert caught.value.argument == "name"
    assert caught.value.value == bad


def test_name_wrong_type() -> None:
    with pytest.raises(InvalidTypeError, match="name must be a string, got int 3"):
        check_name(3, "name")


def test_good_name() -> None:
    assert check_name("resize-image.v2", "name") == "resize-image.v2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30, "30"),
        ("45", "45"),
        (dt.timedelta(minutes=2), "120"),
        ("none", "NONE"),
        (2.0, "2"),
        (None, None),
    ],
)
def test_durations(value: object, expected: str | None) -> None:
    assert to_duration(value, "timeout") == expected


@pytest.mark.parametrize("bad", [-1, 1.5, "ten", "99999999999", True, [1]])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValidationError, match="timeout"):
        to_duration(bad, "timeout")


def test_duration_none_not_allowed() -> None:
    with pytest.raises(ValidationError, match="NONE"):
        to_duration("NONE", "timeout", allow_none=False)


def test_retention() -> None:
    assert to_retention_days(dt.timedelta(days=3)) == "3"
    with pytest.raises(ValidationError, match="90"):
        to_retention_days(91)


def test_payload() -> None:
    assert check_payload(None, "input") is None
    assert check_payload("x" * 32768, "input") == "x" * 32768
    with pytest.raises(ValidationError, match="32769 characters"):
        check_payload("x" * 32769, "input")
    with pytest.raises(InvalidTypeError, match="json.dumps"):
        check_payload({"a": 1}, "input")
    with pytest.raises(ValidationError, match="required"):
        check_payload(None, "reason", required=True)


def test_tags() -> None:
    assert check_tags(["a", "b"]) == ("a", "b")
    assert check_tags(None) == ()
    with pytest.raises(ValidationError, match="6 tags"):
        check_tags(list("abcdef"))
    with pytest.raises(InvalidTypeError):
        check_tags("abc")


def test_truncate() -> None:
    assert truncate("abcdef", 5) == "ab..."
    assert truncate("abc", 5) == "abc"
    assert truncate(None, 5) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 1, 2, 3, 4, 5), dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (0, dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ("2026-11-01", dt.datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T10:00:00+01:00", dt.datetime(2026, 11, 1, 9, tzinfo=UTC)),
        (dt.date(2026, 2, 3), dt.datetime(2026, 2, 3, tzinfo=UTC)),
    ],
)
def test_datetimes(value: object, expected: dt.datetime) -> None:
    assert to_datetime(value, "start") == expected


def test_relative_dates() -> None:
    now = dt.datetime(2026, 11, 22, 12, tzinfo=UTC)
    assert to_datetime("3 days", "start", now=now) == dt.datetime(2026, 11, 19, 12, tzinfo=UTC)
    assert to_datetime("2 hours ago", "start", now=now) == dt.datetime(2026, 11, 22, 10, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["yesterday-ish", [2026], True])
def test_bad_dates(bad: object) -> None:
    with pytest.raises(ValidationError, match="start"):
        to_datetime(bad, "start")
