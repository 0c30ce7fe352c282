"""Listing workflow executions through the QuerySet vs a raw boto3 paginator loop.

Three comparisons, each measured in the same run on the same data:

1. ``moto``: 1,000 open executions in one in-process moto backend (created once, not timed),
   listed through :class:`~swf.querysets.WorkflowExecutionQuerySet` vs a raw
   ``list_open_workflow_executions`` paginator loop. Both pay moto, botocore's request
   serialisation and its response parsing: the costs of a real listing, less the network.
2. ``http-injected``: 20 pages of 1,000 executions, served as JSON bodies at botocore's
   ``before-send`` hook, so botocore parses each page as it would SWF's answer (no moto, no
   network). Both sides get byte-identical pages.
3. ``stubber``: the same 20 pages through botocore's Stubber, which hands back the prepared
   dicts without any parsing. The baseline loop then costs ~0.2 µs per item, so this ratio
   measures the price of building a model per item against doing nothing with it.

The raw loop collects the ``executionInfos`` dicts (the least a caller does); ours builds a
:class:`~swf.models.WorkflowExecution` per item.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.common import Result

PAGES = 20
PER_PAGE = 1_000
MOTO_EXECUTIONS = 1_000
TARGET = 1.05
ROUNDS = 5

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


def _best(prepare: Callable[[], None], function: Callable[[], int], expected: int) -> float:
    """Best wall time of ROUNDS runs of ``function`` (``prepare`` runs untimed before each)."""
    best = float("inf")
    for _ in range(ROUNDS):
        prepare()
        gc.collect()
        started = time.perf_counter()
        count = function()
        elapsed = time.perf_counter() - started
        if count != expected:
            raise AssertionError(f"listed {count} items, expected {expected}")
        best = min(best, elapsed)
    return best


def _interleaved(
    prepare: Callable[[], None],
    ours: Callable[[], int],
    baseline: Callable[[], int],
    expected: int,
) -> tuple[float, float]:
    """Measure both sides alternately, so drift on the machine hits both alike."""
    best_ours = best_base = float("inf")
    for _ in range(2):
        best_base = min(best_base, _best(prepare, baseline, expected))
        best_ours = min(best_ours, _best(prepare, ours, expected))
    return best_ours, best_base


def _raw_loop(client: Any, **params: Any) -> int:
    items: list[dict[str, Any]] = []
    paginator = client.get_paginator("list_open_workflow_executions")
    for page in paginator.paginate(**params):
        items.extend(page["executionInfos"])
    return len(items)


def _bench_moto() -> Result:
    import boto3
    from moto import mock_aws

    from swf.core import Connection
    from swf.models import Domain, WorkflowType
    from swf.querysets import WorkflowExecutionQuerySet

    with mock_aws():
        client = boto3.client("swf", region_name="us-east-1")
        connection = Connection(client)
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
            lambda: sum(1 for _ in queryset),
            lambda: _raw_loop(
                client,
                domain="bench",
                startTimeFilter={"oldestDate": dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)},
                maximumPageSize=1000,
            ),
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

    client.meta.events.register("before-send.swf.ListOpenWorkflowExecutions", answer)

    def prepare() -> None:
        queue[:] = bodies

    queryset = WorkflowExecutionQuerySet("bench", client=Connection(client)).filter(status="OPEN")
    ours, base = _interleaved(
        prepare,
        lambda: sum(1 for _ in queryset),
        lambda: _raw_loop(
            client,
            domain="bench",
            startTimeFilter={"oldestDate": dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)},
            maximumPageSize=1000,
        ),
        PAGES * PER_PAGE,
    )
    return Result(f"list {PAGES} pages x {PER_PAGE}, JSON parsed by botocore", ours, base, TARGET)


def _bench_stubber() -> Result:
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
    ours, base = _interleaved(
        prepare,
        lambda: sum(1 for _ in queryset),
        lambda: _raw_loop(
            client,
            domain="bench",
            startTimeFilter={"oldestDate": dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)},
            maximumPageSize=1000,
        ),
        PAGES * PER_PAGE,
    )
    return Result(f"list {PAGES} pages x {PER_PAGE}, Stubber (no parsing)", ours, base, TARGET)


def run() -> list[Result]:
    """Run the three listing comparisons."""
    with _dummy_env():
        return [_bench_moto(), _bench_http_injected(), _bench_stubber()]
