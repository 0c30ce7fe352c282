"""The fault proxy itself: each kind of fault reaches botocore as SWF's would."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config
from faultproxy import FaultProxy
from moto.server import ThreadedMotoServer

from swf.core import Connection
from swf.exceptions import RateLimitExceededError, ResponseError, TransportError

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def connection(url: str, retries: int) -> Connection:
    config = Config(
        retries={"mode": "standard", "max_attempts": retries}, connect_timeout=2, read_timeout=10
    )
    return Connection(boto3.client("swf", endpoint_url=url, region_name="us-east-1", config=config))


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("throttle", RateLimitExceededError),
        ("500", ResponseError),
        ("503", ResponseError),
        ("drop", TransportError),
    ],
)
def test_each_fault_without_retries_reaches_the_caller(
    moto_url: str, kind: str, error: type
) -> None:
    with FaultProxy(moto_url) as proxy:
        proxy.set_faults(1.0, kinds=[kind], operations=["ListDomains"])
        with pytest.raises(error):
            connection(proxy.endpoint_url, 0).call("ListDomains", registrationStatus="REGISTERED")
        assert proxy.injected[("ListDomains", kind)] == 1
        assert proxy.forwarded["ListDomains"] == 0


def test_lost_response_is_applied_upstream(moto_url: str) -> None:
    with FaultProxy(moto_url) as proxy:
        proxy.set_faults(1.0, kinds=["lost"], operations=["RegisterDomain"])
        with pytest.raises(TransportError):
            connection(proxy.endpoint_url, 0).call(
                "RegisterDomain", name="lost-one", workflowExecutionRetentionPeriodInDays="1"
            )
        assert proxy.forwarded["RegisterDomain"] == 1
    direct = connection(moto_url, 1).call("DescribeDomain", name="lost-one")
    assert direct["domainInfo"]["name"] == "lost-one"


def test_botocore_retries_get_through_a_faulty_share(moto_url: str) -> None:
    with FaultProxy(moto_url, seed=7) as proxy:
        proxy.set_faults(0.2, kinds=["throttle", "500", "503", "drop"])
        conn = connection(proxy.endpoint_url, 10)
        for _ in range(15):
            conn.call("ListDomains", registrationStatus="REGISTERED")
        assert proxy.total_injected > 0
        assert proxy.forwarded["ListDomains"] == 15


def test_only_loopback_upstreams() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FaultProxy("http://10.0.0.1:5000")
