"""The core's seams: one client builder (UTC timestamps), a default connection that follows
swf.settings without settings calling into core."""

from __future__ import annotations

import datetime as dt

from moto import mock_aws

from swf import settings
from swf.core import Connection, build_client, get_connection


def test_settings_changes_rebuild_the_default_connection() -> None:
    first = get_connection(None)
    assert get_connection(None) is first
    settings.set(region="eu-west-1")
    second = get_connection(None)
    assert second is not first and second.settings.region == "eu-west-1"
    settings.reset()
    assert get_connection(None) is not second


def test_built_clients_parse_timestamps_as_utc() -> None:
    with mock_aws():
        client = build_client(settings.get(region="us-east-1"))
        client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        client.register_workflow_type(
            domain="d",
            name="t",
            version="1",
            defaultTaskList={"name": "l"},
            defaultChildPolicy="TERMINATE",
            defaultExecutionStartToCloseTimeout="60",
            defaultTaskStartToCloseTimeout="60",
        )
        client.start_workflow_execution(
            domain="d", workflowId="w", workflowType={"name": "t", "version": "1"}
        )
        infos = Connection(client).call(
            "ListOpenWorkflowExecutions", domain="d", startTimeFilter={"oldestDate": 0}
        )["executionInfos"]
    stamp = infos[0]["startTimestamp"]
    assert isinstance(stamp, dt.datetime) and stamp.tzinfo is dt.timezone.utc
