from __future__ import annotations

import pytest

from swf.core import Connection, get_connection
from swf.exceptions import DoesNotExistError, TransportError, ValidationError


def test_call_counts_and_drops_none(swf_backend: Connection) -> None:
    swf_backend.call(
        "RegisterDomain", name="d", workflowExecutionRetentionPeriodInDays="1", description=None
    )
    info = swf_backend.call("DescribeDomain", {"name": "d"})
    assert info["domainInfo"]["name"] == "d"
    assert "description" not in info["domainInfo"]
    assert "ResponseMetadata" not in info
    assert swf_backend.calls["RegisterDomain"] == 1
    assert swf_backend.calls["DescribeDomain"] == 1


def test_client_error_becomes_ours_chained(swf_backend: Connection) -> None:
    with pytest.raises(DoesNotExistError) as caught:
        swf_backend.call("DescribeDomain", name="missing")
    assert "domain 'missing' not found" in str(caught.value)
    assert caught.value.__cause__ is not None
    assert caught.value.code == "UnknownResourceFault"


def test_paginate_yields_pages_lazily(swf_backend: Connection) -> None:
    for name in ("a", "b"):
        swf_backend.call("RegisterDomain", name=name, workflowExecutionRetentionPeriodInDays="1")
    pages = swf_backend.paginate("ListDomains", registrationStatus="REGISTERED")
    assert swf_backend.calls["ListDomains"] == 0
    names = [d["name"] for page in pages for d in page["domainInfos"]]
    assert sorted(names) == ["a", "b"]
    assert swf_backend.calls["ListDomains"] == 1


def test_param_validation_error_becomes_ours(swf_backend: Connection) -> None:
    with pytest.raises(ValidationError, match="DescribeDomain"):
        swf_backend.call("DescribeDomain", name=3)


def test_unreachable_endpoint_is_a_transport_error() -> None:
    connection = Connection(endpoint_url="http://127.0.0.1:9", retries=1, connect_timeout=1)
    with pytest.raises(TransportError, match="ListDomains"):
        connection.call("ListDomains", registrationStatus="REGISTERED")


def test_get_connection_accepts_client_connection_or_none(swf_backend: Connection) -> None:
    assert get_connection(swf_backend) is swf_backend
    wrapped = get_connection(swf_backend.client)
    assert wrapped.client is swf_backend.client
    assert get_connection() is get_connection()
