"""A lost answer to a call SWF applied: our retry's 'already done' answer counts as success."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config
from faultproxy import FaultProxy
from moto.server import ThreadedMotoServer

from swf.core import Connection
from swf.exceptions import AlreadyExistsError, WorkflowExecutionAlreadyStartedError

pytestmark = pytest.mark.e2e

WORKFLOW = {"name": "wf", "version": "1"}


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def proxied(moto_url: str) -> Iterator[tuple[FaultProxy, Connection, Connection]]:
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))

    def connect(endpoint: str) -> Connection:
        config = Config(retries={"mode": "standard", "max_attempts": 3}, read_timeout=10)
        return Connection(
            boto3.client("swf", endpoint_url=endpoint, region_name="us-east-1", config=config)
        )

    with FaultProxy(moto_url) as proxy:
        yield proxy, connect(proxy.endpoint_url), connect(moto_url)


def register(conn: Connection) -> None:
    conn.call("RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1")
    conn.call(
        "RegisterWorkflowType",
        domain="d",
        defaultTaskList={"name": "tl"},
        defaultChildPolicy="TERMINATE",
        defaultExecutionStartToCloseTimeout="300",
        defaultTaskStartToCloseTimeout="60",
        **WORKFLOW,
    )


def test_register_domain_whose_answer_was_lost(
    proxied: tuple[FaultProxy, Connection, Connection],
) -> None:
    proxy, conn, direct = proxied
    proxy.set_faults(1.0, kinds=["lost"], operations=["RegisterDomain"], limit=1)
    assert conn.call("RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1") == {}
    assert proxy.forwarded["RegisterDomain"] == 2
    assert conn.retries["RegisterDomain"] == 1
    assert direct.call("DescribeDomain", name="d")["domainInfo"]["status"] == "REGISTERED"


def test_existing_domain_without_retry_is_still_an_error(
    proxied: tuple[FaultProxy, Connection, Connection],
) -> None:
    _, conn, direct = proxied
    direct.call("RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1")
    with pytest.raises(AlreadyExistsError):
        conn.call("RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1")


def test_start_whose_answer_was_lost_returns_the_run_id(
    proxied: tuple[FaultProxy, Connection, Connection],
) -> None:
    proxy, conn, direct = proxied
    register(direct)
    proxy.set_faults(1.0, kinds=["lost"], operations=["StartWorkflowExecution"], limit=1)
    started = conn.call(
        "StartWorkflowExecution", domain="d", workflowId="w1", workflowType=WORKFLOW
    )
    info = direct.call("ListOpenWorkflowExecutions", domain="d", startTimeFilter={"oldestDate": 0})
    assert [i["execution"]["runId"] for i in info["executionInfos"]] == [started["runId"]]
    with pytest.raises(WorkflowExecutionAlreadyStartedError):
        direct.call("StartWorkflowExecution", domain="d", workflowId="w1", workflowType=WORKFLOW)
