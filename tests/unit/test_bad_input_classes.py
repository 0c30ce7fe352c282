"""Issue 17's classes of bad input, each refused as a class (see docs/bad-input.rst).

Every case raises our exception (an :class:`~swf.exceptions.SWFError`) naming the value,
before any request: the client is the closed loopback port of ``tests/bad_input_table.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from bad_input_table import closed_port_connection
from event_samples import full_attributes, required_attributes

from swf import settings
from swf.actors import ActivityWorker, Decider
from swf.core import Connection, get_connection
from swf.exceptions import (
    ConfigurationError,
    InvalidHistoryError,
    InvalidTypeError,
    SWFError,
    ValidationError,
)
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.event import EVENT_CLASSES, EVENT_TYPES, from_api, from_api_list
from swf.models.history import History
from swf.querysets import DomainQuerySet, WorkflowExecutionQuerySet
from swf.testing import HistoryBuilder
from swf.validation import (
    MAX_DURATION_SECONDS,
    MAX_EPOCH,
    MIN_EPOCH,
    shorten,
    to_datetime,
    to_duration,
)

NAN = float("nan")
INF = float("inf")


class _Decider(Decider):
    def decide(self, task: Any) -> list[Any]:
        return []


class _Worker(ActivityWorker):
    def process(self, task: Any) -> Any:
        return None


@pytest.fixture
def conn() -> Connection:
    return closed_port_connection()


def refused(call: Callable[[], Any], shown: str, kind: type[SWFError] = SWFError) -> SWFError:
    """``call`` raises ``kind`` whose message shows ``shown``; returns the error."""
    with pytest.raises(kind) as caught:
        call()
    assert shown in str(caught.value), str(caught.value)
    return caught.value


# -- 1. non-finite and out-of-range numbers -----------------------------------------------


@pytest.mark.parametrize("value", [NAN, INF, -INF])
def test_non_finite_durations_are_ours_everywhere(value: float, conn: Connection) -> None:
    domain = Domain("d", client=conn)
    calls: list[Callable[[], Any]] = [
        lambda: Domain("d", retention_period=value, client=conn),
        lambda: WorkflowType(domain, "w", "1", execution_timeout=value, client=conn),
        lambda: WorkflowType(domain, "w", "1", decision_tasks_timeout=value, client=conn),
        lambda: ActivityType(domain, "a", "1", task_heartbeat_timeout=value, client=conn),
        lambda: WorkflowType(domain, "w", "1", client=conn).start_execution(
            execution_timeout=value
        ),
        lambda: TimerDecision.start("t", value),
        lambda: ActivityTaskDecision.schedule(
            "a", {"name": "a", "version": "1"}, heartbeat_timeout=value
        ),
    ]
    for call in calls:
        refused(call, repr(value), ValidationError)
    assert sum(conn.calls.values()) == 0


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("read_timeout", INF, "inf"),
        ("read_timeout", NAN, "nan"),
        ("connect_timeout", 1e300, "1e+300"),
        ("read_timeout", 3601, "3601"),
        ("retries", INF, "inf"),
        ("retries", 10**12, "1000000000000"),
        ("retries", True, "True"),
    ],
)
def test_non_finite_and_huge_settings_are_refused_when_set(
    name: str, value: Any, shown: str
) -> None:
    refused(lambda: settings.set(**{name: value}), shown, ConfigurationError)
    assert settings.get().retries == 5  # nothing kept


# -- 2. out-of-range dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "10000 years ago",
        "99999999999 days ago",
        "99999999999999999999 seconds",
        "2026-01-01T00:00+25:00",
        "9999-12-31T23:00-05:00",
        "0001-01-01T00:00+05:00",
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=5))),
        2**70,
        NAN,
    ],
)
def test_out_of_range_dates_are_a_validation_error_naming_the_value(
    value: Any, conn: Connection
) -> None:
    shown = shorten(value)
    refused(lambda: to_datetime(value, "start_oldest_date"), shown, ValidationError)
    refused(
        lambda: WorkflowExecutionQuerySet("d", client=conn).filter(start_oldest_date=value),
        shown,
        ValidationError,
    )
    refused(
        lambda: WorkflowExecution("d", "w", start_timestamp=value, client=conn),
        shown,
        ValidationError,
    )


def test_dates_in_range_still_parse() -> None:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    assert to_datetime("3 days ago", "d", now=now) == now - dt.timedelta(days=3)
    assert to_datetime("2026-01-01T00:00+01:00", "d") == dt.datetime(
        2025, 12, 31, 23, tzinfo=dt.timezone.utc
    )


# -- 4. settings that failed only on first use --------------------------------------------


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ({"endpoint_url": "http://"}, "'http://'"),
        ({"endpoint_url": "http://localhost:99999"}, "99999"),
        ({"endpoint_url": "http://localhost:0"}, "localhost:0"),
        ({"endpoint_url": "http://a b"}, "'http://a b'"),
        ({"endpoint_url": "https://:80"}, "'https://:80'"),
        ({"endpoint_url": "http://[::1"}, "'http://[::1'"),
        ({"endpoint_url": "http://host:port"}, "host:port"),
        ({"region": "x" * 64}, "xxxxxxxx"),
        ({"domain": "a/b"}, "'a/b'"),
        ({"domain": 5}, "5"),
        ({"profile": 5}, "5"),
        ({"profile": "a b"}, "'a b'"),
    ],
)
def test_settings_are_checked_when_set(values: dict[str, Any], shown: str) -> None:
    refused(lambda: settings.set(**values), shown, ConfigurationError)
    assert settings.get().endpoint_url is None


@pytest.mark.parametrize("value", [5, "AKIA KEY", "AKIA\nKEY"], ids=["int", "space", "newline"])
def test_bad_credentials_are_refused_without_showing_them(value: Any) -> None:
    for name in settings.SECRET_NAMES:
        error = refused(lambda name=name: settings.set(**{name: value}), name, ConfigurationError)
        assert "AKIA" not in str(error) and "value not shown" in str(error)


def test_good_endpoints_are_kept() -> None:
    for url in ("http://127.0.0.1:5000", "https://swf.eu-west-1.amazonaws.com", "http://[::1]:80"):
        settings.set(endpoint_url=url)
        assert settings.get().endpoint_url == url


# -- 5. wrong argument types reaching deep code -------------------------------------------


@pytest.mark.parametrize(
    ("client", "shown"),
    [
        ("us-east-1", "'us-east-1'"),
        (42, "42"),
        (boto3.client("s3", region_name="us-east-1"), "'s3'"),
    ],
    ids=["region name", "int", "s3 client"],
)
def test_client_that_is_not_an_swf_client_is_refused(client: Any, shown: str) -> None:
    for call in (
        lambda: get_connection(client),
        lambda: Domain("d", client=client).exists,
        lambda: DomainQuerySet(client=client).get("d"),
        lambda: _Decider("d", "tl", client=client),
    ):
        error = refused(call, shown, InvalidTypeError)
        assert "client" in str(error)


def test_actor_calls_check_their_arguments(conn: Connection) -> None:
    decider = _Decider("d", "tl", client=conn)
    worker = _Worker("d", "tl", client=conn)
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: decider.poll(identity=123), "123"),
        (lambda: worker.poll(identity=123), "123"),
        (lambda: decider.poll(task_list=7), "7"),
        (lambda: decider.poll(maximum_page_size=0), "0"),
        (lambda: decider.poll(maximum_page_size=1001), "1001"),
        (lambda: decider.poll(maximum_page_size=2.5), "2.5"),
        (lambda: decider.poll(maximum_page_size=True), "True"),
        (lambda: decider.complete("t" * 1025, []), "'tttttttt"),
        (lambda: worker.complete("t" * 1025, "r"), "'tttttttt"),
        (lambda: worker.heartbeat("t" * 1025), "'tttttttt"),
        (lambda: decider.complete("tok", [], execution_context={"a": 1}), "{'a': 1}"),
    ]
    for call, shown in cases:
        refused(call, shown, ValidationError)
    assert sum(conn.calls.values()) == 0


def test_identity_over_256_is_cut_as_documented(conn: Connection) -> None:
    assert _Decider("d", "tl", identity="i" * 300, client=conn).identity == "i" * 253 + "..."


# -- 6. ~/.swf parsing ----------------------------------------------------------------------


def _config(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "swf.ini"
    path.write_bytes(content)
    os.environ["SWF_CONFIG_FILE"] = str(path)
    return path


def test_a_percent_in_a_secret_is_read_as_is(tmp_path: Path) -> None:
    _config(tmp_path, b"[credentials]\naws_secret_access_key = ab%cd%(x)s\n")
    assert settings.from_file()["aws_secret_access_key"] == "ab%cd%(x)s"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"[credentials]\naws_access_key_id = AKIA\xff\xfeSECRETKEYID\n", 2),
        (b"aws_secret_access_key = TOPSECRETVALUE\n", 1),
        (b"[credentials]\nok = 1\nTOPSECRETVALUE\n", 3),
        (b"[credentials]\naws_secret_access_key = a\naws_secret_access_key = TOPSECRETVALUE\n", 3),
        (b"[credentials]\naws_secret_access_key = TOP SECRETVALUE\n", 2),
        (b"[defaults]\nregion = eu-west-1\nretries = lots\n", 3),
    ],
    ids=["not utf-8", "no section", "not name=value", "twice", "space in secret", "bad retries"],
)
def test_settings_file_errors_name_the_file_and_line_never_a_secret(
    tmp_path: Path, content: bytes, line: int
) -> None:
    path = _config(tmp_path, content)
    error = refused(settings.get, f"line {line}", ConfigurationError)
    assert str(path) in str(error)
    assert "SECRET" not in str(error)


def test_unreadable_settings_file_is_named(tmp_path: Path) -> None:
    os.environ["SWF_CONFIG_FILE"] = str(tmp_path)  # a directory
    refused(settings.get, str(tmp_path), ConfigurationError)


# -- 7. secrets at rest ---------------------------------------------------------------------


def test_settings_with_credentials_refuse_to_be_pickled() -> None:
    held = settings.Settings(aws_access_key_id="AKIAKEY", aws_secret_access_key="SECRETSECRET")
    with pytest.raises(TypeError, match="cannot be pickled") as caught:
        pickle.dumps(held)
    assert isinstance(caught.value, SWFError)
    assert "SECRETSECRET" not in str(caught.value)
    plain = settings.Settings(region="eu-west-1", retries=3)
    assert pickle.loads(pickle.dumps(plain)) == plain


# -- 8. values SWF's documented limits refuse -------------------------------------------------


def test_durations_over_a_year_are_refused(conn: Connection) -> None:
    over = MAX_DURATION_SECONDS + 1
    domain = Domain("d", client=conn)
    for call in (
        lambda: WorkflowType(domain, "w", "1", execution_timeout=over, client=conn),
        lambda: WorkflowType(domain, "w", "1", client=conn).start_execution(
            execution_timeout=dt.timedelta(days=366)
        ),
        lambda: ActivityType(domain, "a", "1", task_start_to_close_timeout=over, client=conn),
        lambda: TimerDecision.start("t", over),
        lambda: WorkflowExecutionDecision.continue_as_new(execution_start_to_close_timeout=over),
    ):
        refused(call, "one year", ValidationError)
    assert to_duration(MAX_DURATION_SECONDS, "timeout") == "31536000"
    assert sum(conn.calls.values()) == 0


def test_none_is_refused_for_a_workflow_execution_timeout_only(conn: Connection) -> None:
    domain = Domain("d", client=conn)
    wtype = WorkflowType(domain, "w", "1", client=conn)
    for call in (
        lambda: WorkflowType(domain, "w", "1", execution_timeout="NONE", client=conn),
        lambda: wtype.start_execution(execution_timeout="NONE"),
        lambda: WorkflowExecution(domain, "w", execution_timeout="none", client=conn),
    ):
        refused(call, "execution_timeout cannot be", ValidationError)
    refused(
        lambda: ChildWorkflowExecutionDecision.start(
            {"name": "w", "version": "1"}, "c", execution_start_to_close_timeout="NONE"
        ),
        "NONE",
        ValidationError,
    )
    # The other timeouts keep SWF's NONE.
    assert WorkflowType(domain, "w", "1", decision_tasks_timeout="NONE").decision_tasks_timeout
    assert sum(conn.calls.values()) == 0


# -- 3. event timestamps out of range; the RecursionError shape -----------------------------


def _json(events: list[dict[str, Any]]) -> str:
    return json.dumps({"events": events}, default=lambda stamp: stamp.timestamp())


def _started(stamp: Any = 1.0, event_id: int = 1) -> dict[str, Any]:
    return {
        "eventId": event_id,
        "eventType": "WorkflowExecutionStarted",
        "eventTimestamp": stamp,
        "workflowExecutionStartedEventAttributes": required_attributes("WorkflowExecutionStarted"),
    }


def _history_with(position: int, stamp: Any) -> list[dict[str, Any]]:
    events = HistoryBuilder().decision().events
    for event in events:
        event["eventTimestamp"] = 100.0 + event["eventId"]
    events[position]["eventTimestamp"] = stamp
    return events


@pytest.mark.parametrize("stamp", [float("1e400"), NAN, 1e18, 2**70, -1e12, -INF], ids=repr)
@pytest.mark.parametrize("position", [0, 2, 3])  # first, middle, last
def test_out_of_range_timestamps_are_refused_at_load_naming_the_event(
    stamp: Any, position: int
) -> None:
    events = _history_with(position, stamp)
    event_id = events[position]["eventId"]
    for load in (
        History.from_event_list,
        from_api_list,
        lambda e: History.from_json(_json(e)),
    ):
        error = refused(lambda load=load: load(events), f"(id {event_id})", InvalidHistoryError)
        assert isinstance(error, InvalidHistoryError) and error.event_id == event_id
        assert "eventTimestamp" in str(error) and shorten(stamp) in str(error)
    refused(lambda: from_api(events[position]), f"(id {event_id})", InvalidHistoryError)


def test_timestamps_at_the_ends_of_the_range_load_and_read() -> None:
    for stamp in (MIN_EPOCH, 0, MAX_EPOCH, dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30)):
        event = History.from_event_list([_started(stamp)]).first
        assert event.timestamp.tzinfo is dt.timezone.utc and isinstance(event.epoch, float)


def test_deeply_nested_json_is_refused_not_a_recursion_error() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"events": ' + "[" * 5000 + "]" * 5000 + "}"):
        refused(lambda text=text: History.from_json(text), "too deeply", InvalidHistoryError)


def test_a_deeply_nested_value_is_shown_shortened_not_a_recursion_error() -> None:
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    raw = _started()
    raw["workflowExecutionStartedEventAttributes"]["input"] = deep
    error = refused(
        lambda: History.from_event_list([raw]), "input must be a string", InvalidHistoryError
    )
    assert "[[[[" in str(error) and len(str(error)) < 400
    assert shorten(deep).startswith("[[[[")


# -- 9. histories that break the service model --------------------------------------------


def _signal(**attributes: Any) -> dict[str, Any]:
    return {
        "eventId": 2,
        "eventType": "WorkflowExecutionSignaled",
        "eventTimestamp": 2.0,
        "workflowExecutionSignaledEventAttributes": attributes,
    }


def _scheduled(**changes: Any) -> dict[str, Any]:
    events = HistoryBuilder().decision().schedule_activity("a1", "act").events
    attributes = events[-1]["activityTaskScheduledEventAttributes"]
    for path, value in changes.items():
        target = attributes
        *parents, last = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is _MISSING:
            del target[last]
        else:
            target[last] = value
    return events  # type: ignore[return-value]


_MISSING = object()


@pytest.mark.parametrize(
    ("events", "member", "shown"),
    [
        ([_started(), _signal(signalName="s", input=5)], "input", "int 5"),
        ([_started(), _signal(signalName=True)], "signalName", "True"),
        ([_started(), _signal(input="x")], "signalName", "missing"),
        ([_started(), _signal(signalName=None)], "signalName", "got None"),
        ([_started(), _signal(signalName="s", externalInitiatedEventId="3")],
         "externalInitiatedEventId", "'3'"),
        ([_started(), _signal(signalName="s", externalWorkflowExecution={"workflowId": "w"})],
         "externalWorkflowExecution.runId", "missing"),
        (_scheduled(taskList=_MISSING), "taskList", "missing"),
        (_scheduled(activityType__version=_MISSING), "activityType.version", "missing"),
        (_scheduled(activityType__version=1), "activityType.version", "int 1"),
        (_scheduled(taskList="workers"), "taskList", "'workers'"),
        (_scheduled(decisionTaskCompletedEventId=True), "decisionTaskCompletedEventId", "True"),
        (_scheduled(heartbeatTimeout=30), "heartbeatTimeout", "int 30"),
        (_scheduled(input="x" * 500, control=["c"]), "control", "['c']"),
    ],
    ids=[
        "int signal input", "bool signalName", "no signalName", "None signalName",
        "text event id", "external execution without runId", "no taskList",
        "no activityType.version", "int version", "taskList a string", "bool event id",
        "int timeout", "list control",
    ],
)  # fmt: skip
def test_events_that_break_their_shape_are_refused_at_load(
    events: list[dict[str, Any]], member: str, shown: str
) -> None:
    bad = events[-1]
    for load in (
        History.from_event_list,
        from_api_list,
        lambda e: History.from_json(_json(e)),
    ):
        error = refused(
            lambda load=load: load(events), f"(id {bad['eventId']})", InvalidHistoryError
        )
        assert member in str(error) and shown in str(error) and bad["eventType"] in str(error)
        assert isinstance(error, InvalidHistoryError) and error.event_id == bad["eventId"]


def test_a_boolean_marker_name_is_refused() -> None:
    events = HistoryBuilder().decision().record_marker("m").events
    events[-1]["markerRecordedEventAttributes"]["markerName"] = False
    refused(
        lambda: History.from_event_list(events), "markerName must be a string", InvalidHistoryError
    )


def test_timestamps_running_backwards_are_refused() -> None:
    events = HistoryBuilder().decision().events
    events[2]["eventTimestamp"] = events[1]["eventTimestamp"] - dt.timedelta(seconds=1)
    error = refused(lambda: History.from_event_list(events), "(id 3)", InvalidHistoryError)
    assert "before the previous event's" in str(error)
    typed = list(History.from_event_list(HistoryBuilder().decision().events))
    refused(lambda: History([typed[1], typed[0]]), "before the previous", InvalidHistoryError)
    # Equal timestamps are fine, and so are mixed datetimes and numbers in order.
    same = HistoryBuilder().decision().events
    for event in same:
        event["eventTimestamp"] = 5.0
    same[1]["eventTimestamp"] = dt.datetime.fromtimestamp(5, dt.timezone.utc)
    assert len(History.from_event_list(same)) == 4


def test_an_empty_history_is_refused_at_load() -> None:
    for load in (lambda: History.from_event_list([]), lambda: History.from_json('{"events": []}')):
        refused(load, "at least one event", InvalidHistoryError)


def test_valid_histories_with_every_member_and_unknown_members_load() -> None:
    """The shape check is not stricter than the model: every member, plus one SWF may add."""
    for event_type in sorted(EVENT_TYPES):
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        attributes = {**full_attributes(event_type), "newerMember": {"any": [1, None]}}
        raw = {"eventId": 1, "eventType": event_type, "eventTimestamp": 1.0, key: attributes}
        assert from_api_list([raw])[0].attributes is attributes
        assert from_api(raw).attributes is attributes


def test_the_saved_moto_history_still_loads() -> None:
    path = Path(__file__).parent.parent / "data" / "moto_history.json"
    assert History.from_json(path).compile().last_event_id > 0


def test_an_event_built_directly_gets_the_same_checks() -> None:
    fired = EVENT_CLASSES["TimerFired"]
    assert fired(3, 5.0, {"timerId": "t", "startedEventId": 2}).timestamp.year == 1970
    for stamp, attributes, shown in (
        (math.inf, {"timerId": "t", "startedEventId": 2}, "inf"),
        (5.0, {"timerId": 5, "startedEventId": 2}, "timerId must be a string, not int 5"),
        (5.0, {"timerId": "t"}, "startedEventId is required"),
    ):
        error = refused(lambda s=stamp, a=attributes: fired(3, s, a), shown, InvalidHistoryError)
        assert "(id 3)" in str(error)
