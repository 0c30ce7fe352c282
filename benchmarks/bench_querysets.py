"""Listing workflow executions through the QuerySet vs a raw boto3 paginator loop.

Three data sources, each measured in the same run on the same data:

1. ``moto``: 1,000 open executions in one in-process moto backend (created once, not timed),
   listed through :class:`~swf.querysets.WorkflowExecutionQuerySet` vs a raw
   ``list_open_workflow_executions`` paginator loop. Both pay moto, botocore's request
   serialisation and its response parsing: the costs of a real listing, less the network.
2. ``http-injected``: 20 pages of 1,000 executions, served as JSON bodies at botocore's
   ``before-send`` hook, so botocore parses each page as it would SWF's answer (no moto, no
   network). Both sides get byte-identical pages.
3. ``stubber``: the same 20 pages through botocore's Stubber, which hands back the prepared
   dicts without any parsing: what is left is the price of one model per item.

Each side uses its own client: ours the one swf builds (:func:`swf.core.build_client`, whose
botocore parser gives UTC timestamps), the baseline a plain ``boto3.client("swf")``, as a
boto3 user writes it. Both sides do what a caller does with a listing: take each item and read
its identity, status and start time (``e.workflow_id, e.run_id, e.status,
e.start_timestamp`` on our side; the same four values out of the nested dicts on the raw
side), then drop it. The previous
baseline collected the dicts into one list; it kept all 20,000 alive, which made the raw side
pay the garbage collector's scans of a growing heap while ours did not, and read nothing.

With the Stubber, three more lines put the ratio in context:

- ``values()``: the QuerySet handing out the raw dicts (no model), vs the same raw loop;
- the old comparison: models counted (``sum(1 for _ in qs)``) vs the dicts collected into a
  list, neither side reading anything;
- ``floor``: the raw loop plus the least any per-item object costs in CPython, a bare
  ``object.__new__`` of a 13-slot class and 13 plain slot stores; no model can cost less.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.common import Result, best_times

PAGES = 20
PER_PAGE = 1_000
MOTO_EXECUTIONS = 1_000
TARGET = 1.05
ROUNDS = 10

_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIABENCHMARK0000000",
    "AWS_SECRET_ACCESS_KEY": "benchmark-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@contextmanager
def _dummy_env() -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(_ENV)
    os.environ.pop("SWF_ENDPOINT_URL", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _interleaved(
    prepare: Callable[[], None],
    ours: Callable[[], int],
    baseline: Callable[[], int],
    expected: int,
) -> tuple[float, float]:
    """Best CPU time of ROUNDS runs of each side, in turn (:func:`~benchmarks.common.best_times`);
    every run must list ``expected`` items."""

    def counted(function: Callable[[], int]) -> Callable[[], None]:
        def run() -> None:
            count = function()
            if count != expected:
                raise AssertionError(f"listed {count} items, expected {expected}")

        return run

    best = best_times(
        {"ours": counted(ours), "baseline": counted(baseline)}, rounds=ROUNDS, prepare=prepare
    )
    return best["ours"], best["baseline"]


_LIST_PARAMS: dict[str, Any] = {
    "domain": "bench",
    "startTimeFilter": {"oldestDate": dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)},
    "maximumPageSize": 1000,
}


def _raw_loop(client: Any) -> int:
    """What a caller of boto3 does: page, take each item, read four values."""
    count = 0
    paginator = client.get_paginator("list_open_workflow_executions")
    for page in paginator.paginate(**_LIST_PARAMS):
        for info in page["executionInfos"]:
            execution = info["execution"]
            _read(execution["workflowId"], execution["runId"])
            _read(info["executionStatus"], info["startTimestamp"])
            count += 1
    return count


def _collect_loop(client: Any) -> int:
    """The previous baseline: collect the dicts of every page into one list, read nothing."""
    items: list[dict[str, Any]] = []
    paginator = client.get_paginator("list_open_workflow_executions")
    for page in paginator.paginate(**_LIST_PARAMS):
        items.extend(page["executionInfos"])
    return len(items)


def _model_loop(queryset: Any) -> int:
    """The same through the QuerySet: each item is a WorkflowExecution."""
    count = 0
    for execution in queryset:
        _read(execution.workflow_id, execution.run_id)
        _read(execution.status, execution.start_timestamp)
        count += 1
    return count


def _values_loop(queryset: Any) -> int:
    """The same through ``QuerySet.values()``: raw dicts, no model."""
    count = 0
    for info in queryset.values():
        execution = info["execution"]
        _read(execution["workflowId"], execution["runId"])
        _read(info["executionStatus"], info["startTimestamp"])
        count += 1
    return count


def _read(first: Any, second: Any) -> None:
    """Stands for the caller's use of two values (the same call on every side)."""


class _Bare:
    """The cheapest per-item object: 13 slots, as many as a listed execution fills."""

    __slots__ = tuple(f"s{n}" for n in range(13))


def _floor_loop(client: Any) -> int:
    """The raw loop plus one bare 13-slot object per item (the floor of any model)."""
    count = 0
    new = object.__new__
    paginator = client.get_paginator("list_open_workflow_executions")
    for page in paginator.paginate(**_LIST_PARAMS):
        for info in page["executionInfos"]:
            execution = info["execution"]
            bare = new(_Bare)
            bare.s0 = bare.s1 = bare.s2 = bare.s3 = bare.s4 = bare.s5 = bare.s6 = info
            bare.s7 = bare.s8 = bare.s9 = bare.s10 = bare.s11 = bare.s12 = execution
            _read(execution["workflowId"], execution["runId"])
            _read(info["executionStatus"], info["startTimestamp"])
            count += 1
    return count


def _bench_moto() -> Result:
    import boto3
    from moto import mock_aws

    from swf.core import Connection
    from swf.models import Domain, WorkflowType
    from swf.querysets import WorkflowExecutionQuerySet

    with mock_aws():
        client = boto3.client("swf", region_name="us-east-1")
        connection = Connection(region="us-east-1")
        Domain("bench", retention_period=1, client=connection).save()
        wtype = WorkflowType(
            "bench",
            "listing",
            "1",
            task_list="deciders",
            execution_timeout=3600,
            decision_tasks_timeout=300,
            child_policy="TERMINATE",
            client=connection,
        )
        wtype.save()
        for number in range(MOTO_EXECUTIONS):
            client.start_workflow_execution(
                domain="bench",
                workflowId=f"execution-{number}",
                workflowType={"name": "listing", "version": "1"},
                tagList=["bench"],
            )
        queryset = WorkflowExecutionQuerySet("bench", client=connection).filter(status="OPEN")
        ours, base = _interleaved(
            lambda: None,
            lambda: _model_loop(queryset),
            lambda: _raw_loop(client),
            MOTO_EXECUTIONS,
        )
    return Result(f"list {MOTO_EXECUTIONS} executions, moto in-process", ours, base, TARGET)


def _pages() -> list[dict[str, Any]]:
    """20 pages of 1,000 execution infos, as SWF's JSON would carry them."""
    started = time.time() - 86_400
    pages = []
    for page in range(PAGES):
        infos = [
            {
                "execution": {"workflowId": f"w-{page}-{n}", "runId": f"{page:04d}{n:028x}"},
                "workflowType": {"name": "listing", "version": str(1 + n % 3)},
                "startTimestamp": started + n,
                "executionStatus": "OPEN",
                "tagList": ["bench", f"batch-{n % 7}"],
                "cancelRequested": False,
            }
            for n in range(PER_PAGE)
        ]
        body: dict[str, Any] = {"executionInfos": infos}
        if page < PAGES - 1:
            body["nextPageToken"] = f"token-{page + 1}"
        pages.append(body)
    return pages


def _bench_http_injected() -> Result:
    import boto3
    from botocore.awsrequest import AWSResponse

    from swf.core import Connection
    from swf.querysets import WorkflowExecutionQuerySet

    bodies = [json.dumps(page).encode() for page in _pages()]
    client = boto3.client("swf", region_name="us-east-1")
    connection = Connection(region="us-east-1")
    queue: list[bytes] = []

    class _Raw:
        def __init__(self, body: bytes) -> None:
            self._body = body

        def stream(self, **_: Any) -> Iterator[bytes]:
            yield self._body

    def answer(request: Any, **_: Any) -> AWSResponse:
        body = queue.pop(0)
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        response = AWSResponse(request.url, 200, headers, _Raw(body))
        return response

    for each in (client, connection.client):
        each.meta.events.register("before-send.swf.ListOpenWorkflowExecutions", answer)

    def prepare() -> None:
        queue[:] = bodies

    queryset = WorkflowExecutionQuerySet("bench", client=connection).filter(status="OPEN")
    ours, base = _interleaved(
        prepare,
        lambda: _model_loop(queryset),
        lambda: _raw_loop(client),
        PAGES * PER_PAGE,
    )
    return Result(f"list {PAGES} pages x {PER_PAGE}, JSON parsed by botocore", ours, base, TARGET)


def _bench_stubber() -> list[Result]:
    import boto3
    from botocore.stub import Stubber
    from dateutil.tz import tzlocal

    from swf.core import Connection
    from swf.querysets import WorkflowExecutionQuerySet

    pages = _pages()
    for page in pages:  # what botocore's parser would have produced
        for info in page["executionInfos"]:
            info["startTimestamp"] = dt.datetime.fromtimestamp(info["startTimestamp"], tzlocal())
    client = boto3.client("swf", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.activate()

    def prepare() -> None:
        for page in pages:
            stubber.add_response("list_open_workflow_executions", page)

    queryset = WorkflowExecutionQuerySet("bench", client=Connection(client)).filter(status="OPEN")
    expected = PAGES * PER_PAGE
    ours, base = _interleaved(
        prepare, lambda: _model_loop(queryset), lambda: _raw_loop(client), expected
    )
    values, base_v = _interleaved(
        prepare, lambda: _values_loop(queryset), lambda: _raw_loop(client), expected
    )
    bare, base_c = _interleaved(
        prepare, lambda: sum(1 for _ in queryset), lambda: _collect_loop(client), expected
    )
    floor, base_f = _interleaved(
        prepare, lambda: _floor_loop(client), lambda: _raw_loop(client), expected
    )
    per_item = 1e9 / expected
    print(
        f"  stubber, per item: raw loop {base * per_item:.0f} ns, models {ours * per_item:.0f} ns"
        f" (+{(ours - base) * per_item:.0f} ns), values() {values * per_item:.0f} ns, floor (bare"
        f" 13-slot object) {floor * per_item:.0f} ns (+{(floor - base_f) * per_item:.0f} ns)"
    )
    name = f"list {PAGES} pages x {PER_PAGE}, Stubber (no parsing)"
    return [
        Result(name, ours, base, TARGET),
        Result(f"{name}, values()", values, base_v, TARGET),
        Result(f"{name}, models counted vs dicts collected (the old baseline)", bare, base_c),
        Result(f"{name}, floor: a bare 13-slot object per item (no target)", floor, base_f),
    ]


def run() -> list[Result]:
    """Run the three listing comparisons."""
    with _dummy_env():
        return [_bench_moto(), _bench_http_injected(), *_bench_stubber()]
