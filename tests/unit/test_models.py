"""Models without a backend: construction, normalisation, value behaviour, diffs, bad input."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from swf import constants
from swf.core import Connection, get_connection
from swf.exceptions import (
    AlreadyExistsError,
    DoesNotExistError,
    InvalidTypeError,
    SWFError,
    ValidationError,
    WorkflowExecutionAlreadyStartedError,
)
from swf.models import (
    ActivityType,
    Difference,
    Domain,
    ModelDiff,
    OpenCounts,
    WorkflowExecution,
    WorkflowType,
)

UTC = dt.timezone.utc


@pytest.fixture
def connection() -> Connection:
    """A connection to no backend: the bad-input tests assert that nothing is sent."""
    return Connection(boto3.client("swf", region_name="us-east-1"))


# -- construction and normalisation ---------------------------------------------------------


def test_domain_repr_is_its_name() -> None:
    assert repr(Domain("x")) == "Domain('x')"
    assert repr(Domain("x", status="DEPRECATED")) == "Domain('x', status='DEPRECATED')"


def test_domain_defaults() -> None:
    domain = Domain("media")
    assert (domain.name, domain.status, domain.description, domain.retention_period) == (
        "media",
        constants.REGISTERED,
        None,
        "30",
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [(60, "60"), ("7", "7"), (dt.timedelta(days=3), "3"), (0, "0"), (90, "90"), (None, None)],
)
def test_domain_retention_period_normalised(given: Any, stored: str | None) -> None:
    assert Domain("d", retention_period=given).retention_period == stored


def test_type_domain_accepts_a_name_or_a_domain() -> None:
    assert WorkflowType("d", "w", "1").domain == Domain("d")
    domain = Domain("d", description="x")
    assert WorkflowType(domain, "w", "1").domain is domain
    assert ActivityType("d", "a", "1").domain == Domain("d")
    assert WorkflowExecution("d", "id").domain == Domain("d")


@pytest.mark.parametrize(
    ("given", "stored"),
    [(30, "30"), ("45", "45"), (dt.timedelta(minutes=2), "120"), ("NONE", "NONE"), (2.0, "2")],
)
def test_timeouts_normalised_to_swf_strings(given: Any, stored: str) -> None:
    # SWF refuses 'NONE' for a workflow's execution timeout (one year at most): issue 17,
    # class 8; every other timeout keeps it.
    execution_timeout = 60 if stored == "NONE" else given
    wt = WorkflowType(
        "d", "w", "1", execution_timeout=execution_timeout, decision_tasks_timeout=given
    )
    assert (wt.execution_timeout, wt.decision_tasks_timeout) == (
        "60" if stored == "NONE" else stored,
        stored,
    )
    at = ActivityType(
        "d",
        "a",
        "1",
        task_heartbeat_timeout=given,
        task_schedule_to_close_timeout=given,
        task_schedule_to_start_timeout=given,
        task_start_to_close_timeout=given,
    )
    assert {
        at.task_heartbeat_timeout,
        at.task_schedule_to_close_timeout,
        at.task_schedule_to_start_timeout,
        at.task_start_to_close_timeout,
    } == {stored}


def test_same_values_compare_equal_whatever_their_input_form() -> None:
    assert WorkflowType("d", "w", "1", execution_timeout=60) == WorkflowType(
        Domain("d"), "w", "1", execution_timeout="60"
    )
    assert ActivityType("d", "a", "1", task_priority=3) == ActivityType(
        "d", "a", "1", task_priority="3"
    )


@pytest.mark.parametrize(
    "given",
    [
        0,
        0.0,
        "1970-01-01",
        "1970-01-01T00:00:00Z",
        dt.datetime(1970, 1, 1),
        dt.datetime(1970, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_dates_normalised_to_aware_utc(given: Any) -> None:
    execution = WorkflowExecution("d", "id", start_timestamp=given, close_timestamp=given)
    expected = dt.datetime(1970, 1, 1, tzinfo=UTC)
    assert execution.start_timestamp == expected
    assert execution.start_timestamp.tzinfo is UTC
    assert execution.close_timestamp == expected


def test_execution_fields() -> None:
    wt = WorkflowType("d", "w", "1")
    parent = WorkflowExecution("d", "parent", "r0")
    execution = WorkflowExecution(
        "d",
        "id",
        "r1",
        workflow_type=wt,
        status="CLOSED",
        close_status="COMPLETED",
        tag_list=["a", "b"],
        cancel_requested=True,
        parent=parent,
        input="in",
        task_list="tl",
        child_policy="ABANDON",
        execution_timeout=10,
        decision_tasks_timeout=5,
        open_counts={"openActivityTasks": 2, "openDecisionTasks": 1},
        latest_execution_context="ctx",
        task_priority=-5,
    )
    assert execution.tag_list == ("a", "b")
    assert execution.open_counts == OpenCounts(activity_tasks=2, decision_tasks=1)
    assert execution.key == ("d", "id", "r1")
    assert execution.to_ref() == {"workflowId": "id", "runId": "r1"}
    assert (execution.execution_timeout, execution.task_priority) == ("10", "-5")
    assert execution.parent is parent


def test_keys() -> None:
    assert Domain("d").key == "d"
    assert WorkflowType("d", "w", "1").key == ("d", "w", "1")
    assert ActivityType("d", "a", "2").key == ("d", "a", "2")


def test_to_api_shapes() -> None:
    assert Domain("d", description="x", retention_period=5).to_api() == {
        "name": "d",
        "description": "x",
        "workflowExecutionRetentionPeriodInDays": "5",
    }
    assert WorkflowType(
        "d", "w", "1", task_list="tl", child_policy="TERMINATE", execution_timeout=60
    ).to_api() == {
        "domain": "d",
        "name": "w",
        "version": "1",
        "description": None,
        "defaultTaskStartToCloseTimeout": None,
        "defaultExecutionStartToCloseTimeout": "60",
        "defaultTaskList": {"name": "tl"},
        "defaultTaskPriority": None,
        "defaultChildPolicy": "TERMINATE",
        "defaultLambdaRole": None,
    }
    assert ActivityType("d", "a", "1", task_heartbeat_timeout=5).to_api()[
        "defaultTaskHeartbeatTimeout"
    ] == ("5")


# -- value behaviour -------------------------------------------------------------------------


MODELS = [
    Domain("d", description="x", retention_period=7),
    WorkflowType("d", "w", "1", task_list="tl", execution_timeout=60),
    ActivityType("d", "a", "1", task_list="tl", task_heartbeat_timeout=5),
    WorkflowExecution(
        "d",
        "id",
        "run",
        workflow_type=WorkflowType("d", "w", "1"),
        tag_list=["t"],
        start_timestamp=0,
        parent=WorkflowExecution("d", "p", "r"),
        open_counts=OpenCounts(timers=1),
    ),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_models_are_frozen_hashable_values(model: Any) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        model.name = "other"
    twin = attrs.evolve(model)
    assert twin == model
    assert hash(twin) == hash(model)
    assert len({model, twin}) == 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_models_pickle_without_their_connection(model: Any, connection: Connection) -> None:
    connected = attrs.evolve(model, client=connection)
    assert connected.client is connection
    restored = pickle.loads(pickle.dumps(connected))
    assert restored == model
    assert restored.client is None
    assert restored.connection is get_connection(None)


def test_client_is_not_part_of_the_value(connection: Connection) -> None:
    assert Domain("d", client=connection) == Domain("d")
    assert hash(Domain("d", client=connection)) == hash(Domain("d"))
    assert "client" not in repr(Domain("d", client=connection))


def test_client_accepts_a_boto3_client() -> None:
    client = boto3.client("swf", region_name="us-east-1")
    domain = Domain("d", client=client)
    assert isinstance(domain.client, Connection)
    assert domain.connection.client is client


def test_raw_is_not_part_of_the_value() -> None:
    assert Domain("d", raw={"a": 1}) == Domain("d")


def test_evolve_normalises_and_validates() -> None:
    wt = WorkflowType("d", "w", "1")
    assert attrs.evolve(wt, execution_timeout=30).execution_timeout == "30"
    with pytest.raises(ValidationError, match="execution_timeout"):
        attrs.evolve(wt, execution_timeout=-1)


@pytest.mark.parametrize(
    ("cls", "args"),
    [
        (Domain, ("d",)),
        (WorkflowType, ("d", "w", "1")),
        (ActivityType, ("d", "a", "1")),
        (WorkflowExecution, ("d", "id")),
    ],
)
def test_misspelt_keyword_is_a_type_error(cls: Any, args: tuple[str, ...]) -> None:
    with pytest.raises(TypeError, match="descriptoin"):
        cls(*args, descriptoin="x")


@pytest.mark.parametrize(
    "model",
    [Domain("d"), WorkflowType("d", "w", "1"), ActivityType("d", "a", "1")],
    ids=lambda m: type(m).__name__,
)
def test_each_model_has_its_own_exceptions(model: Any) -> None:
    cls = type(model)
    assert issubclass(cls.DoesNotExist, DoesNotExistError)
    assert issubclass(cls.AlreadyExists, AlreadyExistsError)
    assert cls.DoesNotExist is not Domain.DoesNotExist or cls is Domain


def test_execution_already_exists_is_already_started() -> None:
    assert issubclass(WorkflowExecution.AlreadyExists, WorkflowExecutionAlreadyStartedError)
    assert issubclass(WorkflowExecution.DoesNotExist, LookupError)


# -- diffs -----------------------------------------------------------------------------------


def test_diff_lists_the_differing_fields() -> None:
    local = WorkflowType("d", "w", "1", task_list="a", execution_timeout=5)
    other = WorkflowType("d", "w", "1", status="DEPRECATED", task_list="b", execution_timeout=5)
    diff = local.diff(other)
    assert list(diff) == [
        Difference("status", "REGISTERED", "DEPRECATED"),
        Difference("task_list", "a", "b"),
    ]
    assert len(diff) == 2
    assert "status" in diff
    assert "execution_timeout" not in diff
    assert Difference("task_list", "a", "b") in diff
    assert diff["task_list"].upstream == "b"
    assert diff.as_dict() == {"status": ("REGISTERED", "DEPRECATED"), "task_list": ("a", "b")}
    assert bool(diff)
    with pytest.raises(KeyError):
        diff["name"]


def test_diff_ignores_fields_outside_the_value() -> None:
    created = dt.datetime(2020, 1, 1, tzinfo=UTC)
    local = WorkflowType("d", "w", "1")
    described = attrs.evolve(local, creation_date=created, raw={"x": 1})
    assert not local.diff(described)
    assert len(local.diff(described)) == 0


def test_model_diff_repr() -> None:
    diff = Domain("d").diff(Domain("d", status="DEPRECATED"))
    assert repr(diff) == "ModelDiff(Difference('status', 'REGISTERED', 'DEPRECATED'))"
    assert repr(ModelDiff()) == "ModelDiff()"


def test_diff_of_different_models_is_refused() -> None:
    with pytest.raises(InvalidTypeError, match="Domain with a WorkflowType"):
        Domain("d").diff(WorkflowType("d", "w", "1"))  # type: ignore[arg-type]


# -- from_api ----------------------------------------------------------------------------------


def test_domain_from_api() -> None:
    response = {
        "domainInfo": {"name": "d", "status": "DEPRECATED", "description": "x", "arn": "a"},
        "configuration": {"workflowExecutionRetentionPeriodInDays": "9"},
    }
    domain = Domain.from_api(response["domainInfo"], response["configuration"], raw=response)
    assert domain == Domain("d", status="DEPRECATED", description="x", retention_period=9)
    assert domain.raw is response


def test_execution_from_api_reads_optional_keys_safely() -> None:
    from dateutil.tz import tzlocal

    started = dt.datetime(2026, 1, 1, tzinfo=tzlocal())
    info = {
        "execution": {"workflowId": "w", "runId": "r"},
        "workflowType": {"name": "t", "version": "1"},
        "startTimestamp": started,
        "executionStatus": "OPEN",
    }
    types: dict[tuple[str, str], WorkflowType] = {}
    first = WorkflowExecution.from_api(Domain("d"), info, types=types)
    second = WorkflowExecution.from_api(Domain("d"), info, types=types)
    assert first == WorkflowExecution(
        "d", "w", "r", workflow_type=WorkflowType("d", "t", "1"), status="OPEN",
        start_timestamp=started,
    )  # fmt: skip
    assert first.start_timestamp is not None and first.start_timestamp.tzinfo is UTC
    assert first.workflow_type is second.workflow_type
    assert (first.close_timestamp, first.parent, first.tag_list) == (None, None, ())


def test_execution_from_describe() -> None:
    started = dt.datetime(2026, 1, 1, tzinfo=UTC)
    response = {
        "executionInfo": {
            "execution": {"workflowId": "w", "runId": "r"},
            "workflowType": {"name": "t", "version": "1"},
            "startTimestamp": started,
            "executionStatus": "OPEN",
            "parent": {"workflowId": "p", "runId": "pr"},
            "tagList": ["x"],
        },
        "executionConfiguration": {
            "taskStartToCloseTimeout": "10",
            "executionStartToCloseTimeout": "60",
            "taskList": {"name": "tl"},
            "childPolicy": "TERMINATE",
        },
        "openCounts": {"openActivityTasks": 1, "openDecisionTasks": 0, "openTimers": 2,
                       "openChildWorkflowExecutions": 0},
        "latestExecutionContext": "c",
    }  # fmt: skip
    execution = WorkflowExecution.from_api(Domain("d"), response["executionInfo"], response)
    assert execution == WorkflowExecution(
        "d",
        "w",
        "r",
        workflow_type=WorkflowType("d", "t", "1"),
        status="OPEN",
        start_timestamp=started,
        parent=WorkflowExecution("d", "p", "pr"),
        tag_list=["x"],
        task_list="tl",
        child_policy="TERMINATE",
        execution_timeout=60,
        decision_tasks_timeout=10,
        open_counts=OpenCounts(activity_tasks=1, timers=2),
        latest_execution_context="c",
    )
    assert execution.raw is response


# -- bad input ---------------------------------------------------------------------------------

LONG = "x" * 257

BAD_INPUT = [
    (lambda: Domain(""), ValidationError, "name", ""),
    (lambda: Domain(LONG), ValidationError, "name", LONG),
    (lambda: Domain("a:b"), ValidationError, "name", "a:b"),
    (lambda: Domain("a/b"), ValidationError, "name", "a/b"),
    (lambda: Domain("a|b"), ValidationError, "name", "a|b"),
    (lambda: Domain("a\nb"), ValidationError, "name", "a\nb"),
    (lambda: Domain("arn"), ValidationError, "name", "arn"),
    (lambda: Domain(42), InvalidTypeError, "name", 42),
    (lambda: Domain("d", status="GONE"), ValidationError, "status", "GONE"),
    (lambda: Domain("d", retention_period=-1), ValidationError, "retention_period", -1),
    (lambda: Domain("d", retention_period=91), ValidationError, "retention_period", 91),
    (lambda: Domain("d", retention_period="ten"), ValidationError, "retention_period", "ten"),
    (lambda: Domain("d", description=3), InvalidTypeError, "description", 3),
    (lambda: Domain("d", description="x" * 1025), ValidationError, "description", "x" * 1025),
    (lambda: WorkflowType(3, "w", "1"), InvalidTypeError, "domain", 3),
    (lambda: WorkflowType("d", "", "1"), ValidationError, "name", ""),
    (lambda: WorkflowType("d", "w", "v" * 65), ValidationError, "version", "v" * 65),
    (lambda: WorkflowType("d", "w", None), InvalidTypeError, "version", None),
    (lambda: WorkflowType("d", "w", "1", status="ON"), ValidationError, "status", "ON"),
    (
        lambda: WorkflowType("d", "w", "1", execution_timeout=-5),
        ValidationError,
        "execution_timeout",
        -5,
    ),
    (
        lambda: WorkflowType("d", "w", "1", execution_timeout="soon"),
        ValidationError,
        "execution_timeout",
        "soon",
    ),
    (
        lambda: WorkflowType("d", "w", "1", decision_tasks_timeout=1.5),
        ValidationError,
        "decision_tasks_timeout",
        1.5,
    ),
    (
        lambda: WorkflowType("d", "w", "1", decision_tasks_timeout=[1]),
        InvalidTypeError,
        "decision_tasks_timeout",
        [1],
    ),
    (
        lambda: WorkflowType("d", "w", "1", child_policy="KILL"),
        ValidationError,
        "child_policy",
        "KILL",
    ),
    (lambda: WorkflowType("d", "w", "1", task_list="a:b"), ValidationError, "task_list", "a:b"),
    (lambda: WorkflowType("d", "w", "1", task_priority="hi"), ValidationError, "task_priority",
     "hi"),
    (lambda: WorkflowType("d", "w", "1", task_priority=2**31), ValidationError, "task_priority",
     2**31),
    (lambda: ActivityType("d", "a", "1", task_heartbeat_timeout=-1), ValidationError,
     "task_heartbeat_timeout", -1),
    (lambda: ActivityType("d", "a", "1", task_start_to_close_timeout="x"), ValidationError,
     "task_start_to_close_timeout", "x"),
    (lambda: ActivityType("d", "a", "1", task_priority=1.5), InvalidTypeError, "task_priority",
     1.5),
    (lambda: WorkflowExecution("d", ""), ValidationError, "workflow_id", ""),
    (lambda: WorkflowExecution("d", "w", 5), InvalidTypeError, "run_id", 5),
    (lambda: WorkflowExecution("d", "w", status="RUNNING"), ValidationError, "status", "RUNNING"),
    (lambda: WorkflowExecution("d", "w", close_status="DONE"), ValidationError, "close_status",
     "DONE"),
    (lambda: WorkflowExecution("d", "w", tag_list="abc"), InvalidTypeError, "tag_list", "abc"),
    (lambda: WorkflowExecution("d", "w", tag_list=list("abcdef")), ValidationError, "tag_list",
     list("abcdef")),
    (lambda: WorkflowExecution("d", "w", start_timestamp="yesterday-ish"), ValidationError,
     "start_timestamp", "yesterday-ish"),
    (lambda: WorkflowExecution("d", "w", start_timestamp=[]), InvalidTypeError,
     "start_timestamp", []),
    (lambda: WorkflowExecution("d", "w", workflow_type="w"), InvalidTypeError, "workflow_type",
     "w"),
    (lambda: WorkflowExecution("d", "w", cancel_requested="yes"), InvalidTypeError,
     "cancel_requested", "yes"),
    (lambda: WorkflowExecution("d", "w", input=b"x"), InvalidTypeError, "input", b"x"),
    (lambda: WorkflowExecution("d", "w", input="x" * 32769), ValidationError, "input",
     "x" * 32769),
]  # fmt: skip


@pytest.mark.parametrize(("build", "error", "argument", "value"), BAD_INPUT)
def test_bad_input_names_argument_and_value(
    build: Any, error: type[SWFError], argument: str, value: Any
) -> None:
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value, SWFError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.argument == argument  # type: ignore[attr-defined]
    assert caught.value.value == value  # type: ignore[attr-defined]
    assert argument in str(caught.value)


CALLS_WITH_BAD_INPUT = [
    (lambda c: WorkflowType("d", "w", "1", client=c).start_execution("a:b"), "workflow_id"),
    (lambda c: WorkflowType("d", "w", "1", client=c).start_execution(input=3), "input"),
    (lambda c: WorkflowType("d", "w", "1", client=c).start_execution(tag_list=[1]), "tag_list"),
    (
        lambda c: WorkflowType("d", "w", "1", client=c).start_execution(execution_timeout=-1),
        "execution_timeout",
    ),
    (
        lambda c: WorkflowType("d", "w", "1", client=c).start_execution(child_policy="X"),
        "child_policy",
    ),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).signal(""), "name"),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).signal("s", input=1), "input"),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).terminate(reason="x" * 257), "reason"),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).terminate(child_policy="X"),
     "child_policy"),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).raw_events(page_size=0), "page_size"),
    (lambda c: WorkflowExecution("d", "w", "r", client=c).raw_events(page_size="9"), "page_size"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "argument"), CALLS_WITH_BAD_INPUT)
def test_bad_input_to_methods_sends_nothing(
    call: Any, argument: str, connection: Connection
) -> None:
    with pytest.raises(ValidationError) as caught:
        call(connection)
    assert caught.value.argument == argument
    assert not connection.calls


def test_string_enums_are_accepted() -> None:
    import enum

    class Status(str, enum.Enum):
        DEPRECATED = "DEPRECATED"

    assert Domain("d", status=Status.DEPRECATED).status == "DEPRECATED"
    assert type(Domain("d", status=Status.DEPRECATED).status) is str


def test_listed_executions_are_full_values() -> None:
    """The listing fast path builds ordinary, frozen executions with every slot filled."""
    from swf.models.workflow import iter_listed

    started = dt.datetime(2026, 1, 1, tzinfo=UTC)
    infos = [
        {
            "execution": {"workflowId": "w", "runId": "r"},
            "workflowType": {"name": "t", "version": "1"},
            "startTimestamp": started,
            "executionStatus": "CLOSED",
            "closeStatus": "FAILED",
            "closeTimestamp": started,
            "parent": {"workflowId": "p", "runId": "pr"},
            "tagList": ["x"],
        }
    ]
    (listed,) = iter_listed(Domain("d"), infos)
    expected = WorkflowExecution(
        "d",
        "w",
        "r",
        workflow_type=WorkflowType("d", "t", "1"),
        status="CLOSED",
        close_status="FAILED",
        close_timestamp=started,
        start_timestamp=started,
        parent=WorkflowExecution("d", "p", "pr"),
        tag_list=["x"],
    )
    assert listed == expected
    assert hash(listed) == hash(expected)
    assert (listed.task_list, listed.open_counts, listed.input) == (None, None, None)
    assert pickle.loads(pickle.dumps(listed)) == expected
    assert attrs.evolve(listed, task_list="tl").task_list == "tl"
    assert repr(listed) == repr(expected)
    assert type(listed) is WorkflowExecution  # not the mutable twin it was built as
    assert attrs.asdict(listed, recurse=False)["lambda_role"] is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        listed.status = "OPEN"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="nope"):
        listed.nope  # type: ignore[attr-defined]  # noqa: B018


def test_listed_local_time_stamps_become_utc() -> None:
    from dateutil.tz import tzlocal

    from swf.models.workflow import iter_listed

    local = dt.datetime(2026, 1, 1, 12, tzinfo=tzlocal())
    info = {
        "execution": {"workflowId": "w", "runId": "r"},
        "workflowType": {"name": "t", "version": "1"},
        "startTimestamp": local,
        "executionStatus": "OPEN",
    }
    (listed,) = iter_listed(Domain("d"), [info])
    assert listed.start_timestamp == local
    assert listed.start_timestamp is not None and listed.start_timestamp.tzinfo is UTC


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/New_York", "UTC"])
def test_local_time_stamps_become_utc_in_any_zone(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timestamp in botocore's per-timestamp tzlocal becomes UTC, whatever the zone."""
    import time

    from dateutil.tz import tzlocal

    from swf.models.workflow import build_listed
    from swf.validation import to_utc as _utc

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        stamps = [
            dt.datetime.fromtimestamp(1_700_000_000.25 + n * 86_400 * 90, tzlocal())
            for n in range(4)
        ]
        expected = [
            dt.datetime.fromtimestamp(1_700_000_000.25 + n * 86_400 * 90, UTC) for n in range(4)
        ]
        infos = [
            {
                "execution": {"workflowId": f"w{n}", "runId": "r"},
                "workflowType": {"name": "t", "version": "1"},
                "startTimestamp": stamp,
                "closeTimestamp": stamp,
            }
            for n, stamp in enumerate(stamps)
        ]
        listed = build_listed(Domain("d"), infos)
        converted = [_utc(stamp) for stamp in stamps]  # while the zone is set: tzlocal reads it
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [e.start_timestamp for e in listed] == expected
    assert [e.close_timestamp for e in listed] == expected
    assert all(e.start_timestamp.tzinfo is UTC for e in listed if e.start_timestamp)
    assert converted == expected


# -- properties ----------------------------------------------------------------------------------

_names = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=":/|"),
    min_size=1,
    max_size=256,
).filter(lambda s: s.lower() != "arn")
_durations = st.one_of(st.none(), st.integers(0, 31_536_000), st.just("NONE"))  # SWF: a year


@given(
    name=_names,
    version=_names.filter(lambda s: len(s) <= 64),
    task_list=st.one_of(st.none(), _names),
    execution_timeout=_durations.filter(lambda d: d != "NONE"),
    decision_tasks_timeout=_durations,
    priority=st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
    description=st.one_of(st.none(), st.text(max_size=1024)),
)
def test_workflow_type_round_trips_through_its_api_form(
    name: str,
    version: str,
    task_list: str | None,
    execution_timeout: Any,
    decision_tasks_timeout: Any,
    priority: int | None,
    description: str | None,
) -> None:
    """What save() sends, read back as DescribeWorkflowType returns it, is the same value."""
    local = WorkflowType(
        "d",
        name,
        version,
        task_list=task_list,
        execution_timeout=execution_timeout,
        decision_tasks_timeout=decision_tasks_timeout,
        task_priority=priority,
        description=description,
    )
    sent = local.to_api()
    info = {"workflowType": {"name": sent["name"], "version": sent["version"]},
            "status": "REGISTERED", "description": sent["description"]}  # fmt: skip
    configuration = {
        key: value for key, value in sent.items() if key.startswith("default") and value is not None
    }
    described = WorkflowType.from_api(Domain("d"), info, configuration)
    assert described == local
    assert not local.diff(described)
