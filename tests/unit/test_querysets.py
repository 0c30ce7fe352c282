"""QuerySets without a backend: building, validation, and request shapes through botocore's Stubber.

The Stubber validates requests and responses against SWF's service model; it is how paging,
filters and the Count operations (which moto lacks or gets wrong) are tested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from swf import constants
from swf.core import Connection
from swf.exceptions import DoesNotExistError, InvalidTypeError, ValidationError
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.querysets import (
    ActivityTypeQuerySet,
    DomainQuerySet,
    Page,
    WorkflowExecutionQuerySet,
    WorkflowTypeQuerySet,
    filter_date,
)

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
T0 = dt.datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def stubbed() -> Iterator[tuple[Connection, Stubber]]:
    client = boto3.client("swf", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield Connection(client), stubber
        stubber.assert_no_pending_responses()


def info(workflow_id: str, *, status: str = "OPEN", start: dt.datetime = T0, **extra: Any) -> Any:
    return {
        "execution": {"workflowId": workflow_id, "runId": f"run-{workflow_id}"},
        "workflowType": {"name": extra.pop("type_name", "wt"), "version": "1"},
        "startTimestamp": start,
        "executionStatus": status,
        **extra,
    }


def type_info(ref_key: str, name: str, version: str, status: str = "REGISTERED") -> Any:
    """A WorkflowTypeInfo (``ref_key='workflowType'``) or ActivityTypeInfo."""
    return {ref_key: {"name": name, "version": version}, "status": status, "creationDate": T0}


def add_domains_page(
    stubber: Stubber,
    names: str,
    size: int,
    *,
    token: str | None = None,
    next_token: str | None = None,
) -> None:
    """Stub one ListDomains page of registered domains named by the letters of ``names``."""
    response: dict[str, Any] = {"domainInfos": [{"name": n, "status": "REGISTERED"} for n in names]}
    if next_token is not None:
        response["nextPageToken"] = next_token
    params: dict[str, Any] = {"registrationStatus": "REGISTERED", "maximumPageSize": size}
    if token is not None:
        params["nextPageToken"] = token
    stubber.add_response("list_domains", response, params)


# -- building (nothing sent) -----------------------------------------------------------------


def test_builders_clone_and_send_nothing(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    qs = WorkflowExecutionQuerySet("d", client=connection)
    narrowed = qs.filter(status="OPEN").filter(workflow_type_name="wt")[:10]
    assert narrowed is not qs
    assert repr(qs) == "<WorkflowExecutionQuerySet domain 'd'>"
    assert repr(narrowed) == (
        "<WorkflowExecutionQuerySet domain 'd', status='OPEN', workflow_type_name='wt', limit=10>"
    )
    assert repr(DomainQuerySet(client=connection).filter(status="DEPRECATED")) == (
        "<DomainQuerySet status='DEPRECATED'>"
    )
    assert repr(WorkflowTypeQuerySet("d", client=connection).all()[2:5]) == (
        "<WorkflowTypeQuerySet domain 'd', offset=2, limit=3>"
    )
    assert not connection.calls


def test_querysets_take_a_domain_or_its_name(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    assert WorkflowTypeQuerySet("d", client=connection).domain == Domain("d")
    assert ActivityTypeQuerySet(Domain("d"), client=connection).domain == Domain("d")
    with pytest.raises(InvalidTypeError, match="domain"):
        WorkflowExecutionQuerySet(3, client=connection)  # type: ignore[arg-type]


FORBIDDEN = [
    ({"tag": "t", "workflow_id": "w"}, "only one of"),
    ({"tag": "t", "workflow_type_name": "wt"}, "only one of"),
    ({"workflow_id": "w", "close_status": "FAILED"}, "only one of"),
    ({"workflow_type_name": "wt", "close_status": "FAILED"}, "only one of"),
    ({"start_oldest_date": 0, "close_oldest_date": 0}, "not both"),
    ({"start_latest_date": 0, "close_latest_date": 0}, "not both"),
    ({"status": "OPEN", "close_status": "FAILED"}, "closed executions only"),
    ({"status": "OPEN", "close_oldest_date": 0}, "closed executions only"),
    ({"workflow_type_version": "1"}, "needs workflow_type_name"),
    ({"start_oldest_date": "2026-02-01", "start_latest_date": "2026-01-01"}, "is after"),
    ({"status": "RUNNING"}, "status"),
    ({"close_status": "DONE"}, "close_status"),
    ({"start_oldest_date": "not a date"}, "start_oldest_date"),
    ({"start_oldest_date": []}, "start_oldest_date"),
    ({"workflow_id": "a:b"}, "workflow_id"),
    ({"workflow_type_name": ""}, "workflow_type_name"),
    ({"tag": "x" * 257}, "tag"),
]


@pytest.mark.parametrize(("filters", "message"), FORBIDDEN)
def test_forbidden_filters_fail_before_any_request(
    filters: dict[str, Any], message: str, stubbed: tuple[Connection, Stubber]
) -> None:
    connection, _ = stubbed
    with pytest.raises(ValidationError, match=message):
        WorkflowExecutionQuerySet("d", client=connection).filter(**filters)
    assert not connection.calls


def test_forbidden_combination_across_chained_filters(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(tag="t")
    with pytest.raises(ValidationError, match="only one of") as caught:
        qs.filter(workflow_id="w")
    assert caught.value.argument == "workflow_id"


def test_misspelt_filter_is_a_type_error(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    with pytest.raises(TypeError, match="stauts"):
        WorkflowExecutionQuerySet("d", client=connection).filter(stauts="OPEN")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="stauts"):
        DomainQuerySet(client=connection).filter(stauts="OPEN")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("build", "argument"),
    [
        (lambda qs: qs[-1], "index"),
        (lambda qs: qs[-2:], "slice start"),
        (lambda qs: qs[:-1], "slice stop"),
        (lambda qs: qs[::2], "index"),
        (lambda qs: qs.limit(-1), "limit"),
        (lambda qs: qs.page_size(0), "page_size"),
        (lambda qs: qs.page_size(1001), "page_size"),
        (lambda qs: qs.page_size("10"), "page_size"),
    ],
)
def test_bad_slices_and_sizes(
    build: Any, argument: str, stubbed: tuple[Connection, Stubber]
) -> None:
    connection, _ = stubbed
    with pytest.raises(ValidationError) as caught:
        build(DomainQuerySet(client=connection))
    assert caught.value.argument == argument
    assert not connection.calls


def test_filters_on_types_and_domains_validate(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    with pytest.raises(ValidationError, match="status"):
        DomainQuerySet(client=connection).filter(status="OPEN")
    with pytest.raises(ValidationError, match="version"):
        WorkflowTypeQuerySet("d", client=connection).filter(version="v" * 65)
    with pytest.raises(ValidationError, match="name"):
        ActivityTypeQuerySet("d", client=connection).get("", "1")
    with pytest.raises(ValidationError, match="execution_timeout"):
        WorkflowTypeQuerySet("d", client=connection).get_or_create("w", "1", execution_timeout=-1)
    with pytest.raises(ValidationError, match="retention_period"):
        DomainQuerySet(client=connection).get_or_create("d", retention_period=100)
    with pytest.raises(InvalidTypeError, match="workflow_type"):
        WorkflowExecutionQuerySet("d", client=connection).create("wt")  # type: ignore[arg-type]
    assert not connection.calls


# -- request shapes and paging (Stubber) ---------------------------------------------------


def test_domains_page_lazily_with_maximum_page_size(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_domains",
        {"domainInfos": [{"name": "a", "status": "REGISTERED"}], "nextPageToken": "t1"},
        {"registrationStatus": "REGISTERED", "maximumPageSize": 1000},
    )
    stubber.add_response(
        "list_domains",
        {"domainInfos": [{"name": "b", "status": "REGISTERED", "description": "x"}]},
        {"registrationStatus": "REGISTERED", "maximumPageSize": 1000, "nextPageToken": "t1"},
    )
    iterator = iter(DomainQuerySet(client=connection))
    first = next(iterator)
    assert first == Domain("a", retention_period=None)
    assert connection.calls["ListDomains"] == 1  # the second page is not fetched yet
    assert list(iterator) == [Domain("b", description="x", retention_period=None)]
    assert connection.calls["ListDomains"] == 2


def test_deprecated_domains_listing(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_domains",
        {"domainInfos": [{"name": "old", "status": "DEPRECATED"}]},
        {"registrationStatus": "DEPRECATED", "maximumPageSize": 1000},
    )
    names = [d.name for d in DomainQuerySet(client=connection).filter(status="DEPRECATED")]
    assert names == ["old"]


def test_slicing_asks_for_no_more_than_needed(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    add_domains_page(stubber, "ab", 2, next_token="t")
    assert [d.name for d in DomainQuerySet(client=connection)[:2]] == ["a", "b"]
    assert connection.calls["ListDomains"] == 1


def test_offset_slices_skip_across_pages(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    add_domains_page(stubber, "ab", 4, next_token="t")
    add_domains_page(stubber, "cd", 4, token="t", next_token="u")
    qs = DomainQuerySet(client=connection)
    assert [d.name for d in qs[3:4]] == ["d"]
    assert [d.name for d in qs[1:][:0]] == []  # an empty slice sends nothing


def test_index_and_first(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    for size in (2, 3):
        add_domains_page(stubber, "ab", size)
    add_domains_page(stubber, "", 1)
    qs = DomainQuerySet(client=connection)
    assert qs[1].name == "b"
    with pytest.raises(IndexError):
        qs[2]
    assert qs.first() is None


def test_pages_carry_the_next_token_and_resume(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_workflow_types",
        {
            "typeInfos": [
                type_info("workflowType", "w", "1", "REGISTERED"),
            ],
            "nextPageToken": "next",
        },
        {"domain": "d", "registrationStatus": "REGISTERED", "maximumPageSize": 1000},
    )  # fmt: skip
    stubber.add_response(
        "list_workflow_types",
        {
            "typeInfos": [
                type_info("workflowType", "w", "2", "REGISTERED"),
            ],
        },
        {"domain": "d", "registrationStatus": "REGISTERED", "maximumPageSize": 1000,
         "nextPageToken": "next"},
    )  # fmt: skip
    qs = WorkflowTypeQuerySet("d", client=connection)
    first = next(qs.pages())
    assert first == Page((WorkflowType("d", "w", "1"),), "next", "ListWorkflowTypes")
    resumed = list(qs.pages(next_token=first.next_token))
    assert resumed == [Page((WorkflowType("d", "w", "2"),), None, "ListWorkflowTypes")]
    assert resumed[0].items[0].creation_date == T0


def test_type_filters_are_sent_and_rechecked(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_activity_types",
        {
            "typeInfos": [
                type_info("activityType", "a", "1", "DEPRECATED"),
                type_info("activityType", "a", "2", "DEPRECATED"),
                type_info("activityType", "other", "2", "DEPRECATED"),
            ]
        },
        {"domain": "d", "registrationStatus": "DEPRECATED", "name": "a", "maximumPageSize": 1000},
    )  # fmt: skip
    qs = ActivityTypeQuerySet("d", client=connection).filter(status="DEPRECATED", name="a")
    assert list(qs.filter(version="2")) == [ActivityType("d", "a", "2", status="DEPRECATED")]


def test_execution_listing_both_statuses(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_open_workflow_executions",
        {"executionInfos": [info("o1")]},
        {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "maximumPageSize": 1000},
    )
    stubber.add_response(
        "list_closed_workflow_executions",
        {"executionInfos": [info("c1", status="CLOSED", closeStatus="FAILED",
                                 closeTimestamp=T0)]},
        {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "maximumPageSize": 1000},
    )  # fmt: skip
    listed = list(WorkflowExecutionQuerySet("d", client=connection))
    assert [(e.workflow_id, e.status, e.close_status) for e in listed] == [
        ("o1", "OPEN", None),
        ("c1", "CLOSED", "FAILED"),
    ]
    assert listed[1].close_timestamp == T0
    assert listed[0].workflow_type == WorkflowType("d", "wt", "1")


def test_execution_filters_request_shape(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    latest = dt.datetime(2026, 11, 20, tzinfo=UTC)
    stubber.add_response(
        "list_closed_workflow_executions",
        {"executionInfos": []},
        {
            "domain": "d",
            "closeTimeFilter": {"oldestDate": T0, "latestDate": latest},
            "typeFilter": {"name": "wt", "version": "1"},
            "maximumPageSize": 1000,
        },
    )
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(
        close_oldest_date="2026-11-01",
        close_latest_date=latest.timestamp(),
        workflow_type_name="wt",
        workflow_type_version="1",
    )
    assert list(qs) == []


@pytest.mark.parametrize(
    ("filters", "open_params", "closed_params"),
    [
        ({"tag": "t"}, {"tagFilter": {"tag": "t"}}, {"tagFilter": {"tag": "t"}}),
        (
            {"workflow_id": "w"},
            {"executionFilter": {"workflowId": "w"}},
            {"executionFilter": {"workflowId": "w"}},
        ),
        ({"close_status": "TIMED_OUT"}, None, {"closeStatusFilter": {"status": "TIMED_OUT"}}),
        (
            {"status": "OPEN", "start_latest_date": T0},
            {"startTimeFilter": {"oldestDate": EPOCH, "latestDate": T0}},
            None,
        ),
    ],
)
def test_each_filter_is_sent(
    filters: dict[str, Any],
    open_params: dict[str, Any] | None,
    closed_params: dict[str, Any] | None,
    stubbed: tuple[Connection, Stubber],
) -> None:
    connection, stubber = stubbed
    base = {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "maximumPageSize": 1000}
    if open_params is not None:
        stubber.add_response(
            "list_open_workflow_executions", {"executionInfos": []}, {**base, **open_params}
        )
    if closed_params is not None:
        stubber.add_response(
            "list_closed_workflow_executions", {"executionInfos": []}, {**base, **closed_params}
        )
    assert list(WorkflowExecutionQuerySet("d", client=connection).filter(**filters)) == []


def test_results_are_rechecked_against_the_filters(stubbed: tuple[Connection, Stubber]) -> None:
    """A backend that ignores the filters (moto does) still gives the right answer."""
    connection, stubber = stubbed
    closed = [
        info("keep", status="CLOSED", closeStatus="FAILED", closeTimestamp=T0, tagList=["t"]),
        info("wrong-status", status="CLOSED", closeStatus="COMPLETED", closeTimestamp=T0),
        info("too-old", status="CLOSED", closeStatus="FAILED", closeTimestamp=EPOCH),
    ]
    stubber.add_response("list_closed_workflow_executions", {"executionInfos": closed}, None)
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(
        close_status="FAILED", close_oldest_date=T0
    )
    assert [e.workflow_id for e in qs] == ["keep"]


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        ({"tag": "t"}, ["a"]),
        ({"workflow_id": "b"}, ["b"]),
        ({"workflow_type_name": "x"}, ["b"]),
        ({"start_oldest_date": T0}, ["b"]),
        ({"start_latest_date": EPOCH}, ["a"]),
    ],
)
def test_open_results_rechecked(
    filters: dict[str, Any], kept: list[str], stubbed: tuple[Connection, Stubber]
) -> None:
    connection, stubber = stubbed
    infos = [info("a", start=EPOCH, tagList=["t"]), info("b", type_name="x")]
    stubber.add_response("list_open_workflow_executions", {"executionInfos": infos}, None)
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(status="OPEN", **filters)
    assert [e.workflow_id for e in qs] == kept


def test_execution_paging_is_lazy(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    params = {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "maximumPageSize": 1000}
    stubber.add_response(
        "list_open_workflow_executions",
        {"executionInfos": [info("a"), info("b")], "nextPageToken": "p2"},
        params,
    )
    stubber.add_response(
        "list_open_workflow_executions",
        {"executionInfos": [info("c")]},
        {**params, "nextPageToken": "p2"},
    )
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(status="OPEN")
    iterator = iter(qs)
    assert next(iterator).workflow_id == "a"
    assert next(iterator).workflow_id == "b"
    assert connection.calls["ListOpenWorkflowExecutions"] == 1
    assert [e.workflow_id for e in iterator] == ["c"]
    assert connection.calls["ListOpenWorkflowExecutions"] == 2


def test_values_hand_out_the_raw_items_rechecked_and_sliced(
    stubbed: tuple[Connection, Stubber],
) -> None:
    connection, stubber = stubbed
    infos = [
        info("a", tagList=["t"]),
        info("b"),
        info("c", tagList=["t"]),
        info("d", tagList=["t"]),
    ]
    stubber.add_response("list_open_workflow_executions", {"executionInfos": infos}, None)
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(status="OPEN", tag="t")
    values = list(qs[1:].values())
    assert values == [infos[2], infos[3]]  # b dropped by the re-check, a by the slice
    assert values[0] is infos[2]  # botocore's own dicts: nothing built
    assert list(qs[:0].values()) == []  # nothing sent


def test_pages_recheck_the_filters(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    infos = [info("a", tagList=["t"]), info("b")]
    stubber.add_response(
        "list_open_workflow_executions", {"executionInfos": infos, "nextPageToken": "n"}, None
    )
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(status="OPEN", tag="t")
    page = next(qs.pages())
    assert [e.workflow_id for e in page.items] == ["a"]
    assert (page.next_token, page.operation) == ("n", "ListOpenWorkflowExecutions")


def test_the_recheck_is_built_once_per_queryset(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    qs = WorkflowExecutionQuerySet("d", client=connection).filter(tag="t")
    keep = qs._keep()
    assert keep is not None and qs._keep() is keep
    assert keep(info("a", tagList=["t"])) and not keep(info("b"))
    narrower = qs.filter(status="OPEN")
    assert narrower._keep() is not keep  # a clone builds its own
    assert WorkflowExecutionQuerySet("d", client=connection)._keep() is None  # nothing to check


def test_type_querysets_share_one_base(stubbed: tuple[Connection, Stubber]) -> None:
    from swf.models import TypeModel
    from swf.querysets import InDomainQuerySet, TypeQuerySet

    connection, stubber = stubbed
    stubber.add_response(
        "list_activity_types",
        {"typeInfos": [type_info("activityType", "resize", "1")]},
        {"domain": "d", "registrationStatus": "REGISTERED", "maximumPageSize": 1000},
    )  # fmt: skip
    atypes = ActivityTypeQuerySet("d", client=connection)
    assert isinstance(atypes, TypeQuerySet) and isinstance(atypes, InDomainQuerySet)
    assert isinstance(WorkflowTypeQuerySet("d", client=connection), TypeQuerySet)
    assert isinstance(WorkflowExecutionQuerySet("d", client=connection), InDomainQuerySet)
    assert issubclass(ActivityType, TypeModel) and issubclass(WorkflowType, TypeModel)
    (listed,) = atypes
    assert listed == ActivityType("d", "resize", "1")
    assert listed.creation_date == T0
    assert type(atypes.filter(name="resize")) is ActivityTypeQuerySet


def test_pages_of_both_statuses_cannot_resume(stubbed: tuple[Connection, Stubber]) -> None:
    connection, _ = stubbed
    with pytest.raises(ValidationError, match="filter on a status"):
        next(WorkflowExecutionQuerySet("d", client=connection).pages(next_token="x"))


def test_count_uses_the_count_operations(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "count_open_workflow_executions",
        {"count": 3, "truncated": False},
        {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "tagFilter": {"tag": "t"}},
    )
    stubber.add_response(
        "count_closed_workflow_executions",
        {"count": 4, "truncated": False},
        {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}, "tagFilter": {"tag": "t"}},
    )
    stubber.add_response(
        "count_closed_workflow_executions",
        {"count": 2, "truncated": False},
        {
            "domain": "d",
            "startTimeFilter": {"oldestDate": EPOCH},
            "closeStatusFilter": {"status": "FAILED"},
        },
    )
    qs = WorkflowExecutionQuerySet("d", client=connection)
    assert qs.filter(tag="t").count() == 7
    assert qs.filter(close_status="FAILED").count() == 2
    assert not connection.calls["ListOpenWorkflowExecutions"]


def test_unknown_domain_in_a_listing(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_client_error(
        "list_open_workflow_executions", "UnknownResourceFault", "Unknown domain: nope"
    )
    qs = WorkflowExecutionQuerySet("nope", client=connection).filter(status="OPEN")
    with pytest.raises(Domain.DoesNotExist, match="nope") as caught:
        list(qs)
    assert isinstance(caught.value, DoesNotExistError)
    assert caught.value.domain == "nope"


def test_get_without_run_id_picks_the_open_run(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_open_workflow_executions",
        {"executionInfos": [info("w"), info("other")]},
        {"domain": "d", "startTimeFilter": {"oldestDate": 0},
         "executionFilter": {"workflowId": "w"}},
    )  # fmt: skip
    stubber.add_response(
        "describe_workflow_execution",
        {
            "executionInfo": info("w"),
            "executionConfiguration": {
                "taskStartToCloseTimeout": "10",
                "executionStartToCloseTimeout": "60",
                "taskList": {"name": "tl"},
                "childPolicy": "TERMINATE",
            },
            "openCounts": {"openActivityTasks": 0, "openDecisionTasks": 1, "openTimers": 0,
                           "openChildWorkflowExecutions": 0},
        },
        {"domain": "d", "execution": {"workflowId": "w", "runId": "run-w"}},
    )  # fmt: skip
    execution = WorkflowExecutionQuerySet("d", client=connection).get("w")
    assert (execution.run_id, execution.task_list, execution.execution_timeout) == (
        "run-w",
        "tl",
        "60",
    )


def test_get_without_run_id_falls_back_to_the_latest_closed_run(
    stubbed: tuple[Connection, Stubber],
) -> None:
    connection, stubber = stubbed
    later = T0 + dt.timedelta(days=1)
    stubber.add_response("list_open_workflow_executions", {"executionInfos": []}, None)
    stubber.add_response(
        "list_closed_workflow_executions",
        {
            "executionInfos": [
                {**info("w", status="CLOSED", start=T0), "execution": {"workflowId": "w",
                                                                       "runId": "old"}},
                {**info("w", status="CLOSED", start=later), "execution": {"workflowId": "w",
                                                                          "runId": "new"}},
            ]
        },
        None,
    )  # fmt: skip
    stubber.add_response(
        "describe_workflow_execution",
        {
            "executionInfo": {**info("w", status="CLOSED"), "execution": {"workflowId": "w",
                                                                          "runId": "new"}},
            "executionConfiguration": {"taskStartToCloseTimeout": "1",
                                       "executionStartToCloseTimeout": "2",
                                       "taskList": {"name": "tl"}, "childPolicy": "ABANDON"},
            "openCounts": {"openActivityTasks": 0, "openDecisionTasks": 0, "openTimers": 0,
                           "openChildWorkflowExecutions": 0},
        },
        {"domain": "d", "execution": {"workflowId": "w", "runId": "new"}},
    )  # fmt: skip
    assert WorkflowExecutionQuerySet("d", client=connection).get("w").run_id == "new"


def test_get_of_a_missing_workflow_id(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response("list_open_workflow_executions", {"executionInfos": []}, None)
    stubber.add_response("list_closed_workflow_executions", {"executionInfos": []}, None)
    with pytest.raises(WorkflowExecution.DoesNotExist) as caught:
        WorkflowExecutionQuerySet("d", client=connection).get("ghost")
    assert str(caught.value) == "workflow execution 'ghost' not found in domain 'd'"
    assert (caught.value.domain, caught.value.workflow_id) == ("d", "ghost")


def test_get_or_create_is_race_safe(stubbed: tuple[Connection, Stubber]) -> None:
    """Someone registers the domain between our read and our create: we read it back."""
    connection, stubber = stubbed
    stubber.add_client_error("describe_domain", "UnknownResourceFault", "Unknown domain")
    stubber.add_client_error("register_domain", "DomainAlreadyExistsFault", "exists")
    stubber.add_response(
        "describe_domain",
        {
            "domainInfo": {"name": "d", "status": "REGISTERED"},
            "configuration": {"workflowExecutionRetentionPeriodInDays": "30"},
        },
        {"name": "d"},
    )
    domain, created = DomainQuerySet(client=connection).get_or_create("d")
    assert (domain, created) == (Domain("d"), False)


def test_type_get_or_create_is_race_safe(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_client_error("describe_workflow_type", "UnknownResourceFault", "Unknown type")
    stubber.add_client_error("register_workflow_type", "TypeAlreadyExistsFault", "exists")
    stubber.add_response(
        "describe_workflow_type",
        {
            "typeInfo": type_info("workflowType", "w", "1", "REGISTERED"),
            "configuration": {"defaultTaskList": {"name": "other"}},
        },
        {"domain": "d", "workflowType": {"name": "w", "version": "1"}},
    )  # fmt: skip
    wtype, created = WorkflowTypeQuerySet("d", client=connection).get_or_create(
        "w", "1", task_list="mine"
    )
    assert created is False
    assert wtype == WorkflowType("d", "w", "1", task_list="other")


def test_execution_get_or_create_is_race_safe(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    listing = {
        "domain": "d",
        "startTimeFilter": {"oldestDate": EPOCH},
        "executionFilter": {"workflowId": "w"},
        "maximumPageSize": 1000,
    }
    stubber.add_response("list_open_workflow_executions", {"executionInfos": []}, listing)
    stubber.add_client_error(
        "start_workflow_execution", "WorkflowExecutionAlreadyStartedFault", "started"
    )
    stubber.add_response("list_open_workflow_executions", {"executionInfos": [info("w")]}, listing)
    stubber.add_response(
        "describe_workflow_execution",
        {
            "executionInfo": info("w"),
            "executionConfiguration": {"taskStartToCloseTimeout": "1",
                                       "executionStartToCloseTimeout": "2",
                                       "taskList": {"name": "tl"}, "childPolicy": "ABANDON"},
            "openCounts": {"openActivityTasks": 0, "openDecisionTasks": 0, "openTimers": 0,
                           "openChildWorkflowExecutions": 0},
        },
        {"domain": "d", "execution": {"workflowId": "w", "runId": "run-w"}},
    )  # fmt: skip
    execution, created = WorkflowExecutionQuerySet("d", client=connection).get_or_create(
        "w", WorkflowType("d", "wt", "1")
    )
    assert (execution.run_id, created) == ("run-w", False)


def test_count_of_open_only(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "count_open_workflow_executions",
        {"count": 12, "truncated": True},
        {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}},
    )
    assert (
        WorkflowExecutionQuerySet("d", client=connection).filter(status=constants.OPEN).count()
        == 12
    )


# -- date filters: words, timedeltas, numbers that cannot be an epoch (issue 12) ---------------

_NOW = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yesterday", dt.datetime(2026, 11, 19, tzinfo=dt.timezone.utc)),
        ("Tomorrow", dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)),
        ("today", dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)),
        ("now", _NOW),
        (dt.timedelta(hours=2), _NOW - dt.timedelta(hours=2)),
        ("3 days ago", _NOW - dt.timedelta(days=3)),
        (0, dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)),
        (1_700_000_000, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)),
    ],
)
def test_filter_dates(value: Any, expected: dt.datetime) -> None:
    assert filter_date(value, "start_oldest_date", now=_NOW) == expected


@pytest.mark.parametrize(
    ("value", "hint"), [(3, "1970-01-01T00:00:03"), (1_700_000_000_000, "milliseconds?")]
)
def test_a_number_that_cannot_be_meant_as_an_epoch_is_refused_with_a_hint(
    value: int, hint: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        WorkflowExecutionQuerySet("d").filter(start_oldest_date=value)
    message = str(caught.value)
    assert message.startswith(f"start_oldest_date {value} is not a meaningful time")
    assert hint in message and "'3 days ago' or a timedelta" in message
    assert caught.value.argument == "start_oldest_date"


def test_yesterday_and_tomorrow_filter_like_dates() -> None:
    qs = WorkflowExecutionQuerySet("d").filter(
        start_oldest_date="yesterday", start_latest_date="tomorrow"
    )
    oldest = qs._filters["start_oldest_date"]
    assert (qs._filters["start_latest_date"] - oldest) == dt.timedelta(days=2)


# -- smaller things (issue 12, correctness 8) ---------------------------------------------------


def test_count_says_when_swf_truncated_it(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    for operation, count, truncated in (
        ("count_open_workflow_executions", 12, True),
        ("count_closed_workflow_executions", 3, False),
        ("count_open_workflow_executions", 1, False),
    ):
        stubber.add_response(
            operation,
            {"count": count, "truncated": truncated},
            {"domain": "d", "startTimeFilter": {"oldestDate": EPOCH}},
        )
    qs = WorkflowExecutionQuerySet("d", client=connection)
    both = qs.count()
    assert (both, both.truncated, repr(both)) == (15, True, "ExecutionCount(15, truncated=True)")
    assert isinstance(both, int) and both + 1 == 16 and str(both) == "15"
    exact = qs.filter(status=constants.OPEN).count()
    assert (exact, exact.truncated) == (1, False)


def test_a_page_is_a_sized_iterable(stubbed: tuple[Connection, Stubber]) -> None:
    connection, stubber = stubbed
    stubber.add_response(
        "list_workflow_types",
        {"typeInfos": [type_info("workflowType", "w", v, "REGISTERED") for v in ("1", "2")]},
        {"domain": "d", "registrationStatus": "REGISTERED", "maximumPageSize": 1000},
    )
    (page,) = WorkflowTypeQuerySet("d", client=connection).pages()
    assert len(page) == 2 and bool(page)
    assert [t.version for t in page] == ["1", "2"]
    assert page[0].version == "1" and [t.version for t in page[1:]] == ["2"]


@pytest.mark.parametrize(
    ("queryset", "known"),
    [
        (lambda: DomainQuerySet(), "status, name"),
        (lambda: WorkflowTypeQuerySet("d"), "status, name, version"),
        (lambda: ActivityTypeQuerySet("d"), "status, name, version"),
        (lambda: WorkflowExecutionQuerySet("d"), "status, start_oldest_date"),
    ],
)
def test_an_unknown_filter_is_named_with_the_known_ones(queryset: Any, known: str) -> None:
    with pytest.raises(InvalidTypeError) as caught:
        queryset().filter(bogus=1)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValidationError)
    assert f".filter() takes no filter 'bogus'; its filters: {known}" in str(caught.value)
    assert (caught.value.argument, caught.value.value) == ("bogus", 1)
    with pytest.raises(InvalidTypeError, match="keyword filters only"):
        queryset().filter("OPEN")
