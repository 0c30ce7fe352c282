"""A worker whose answer cannot be sent: a transport failure is not the activity's failure
(issue 12, correctness 7). Only a refusal of the result itself fails the task."""

from __future__ import annotations

import logging

import pytest
from faultproxy import FaultProxy
from workflow_app import DECIDERS, DOMAIN, WORKERS, DoubleWorker, FanOutDecider, register, start

from swf.local import LocalConnection, LocalSWF

pytestmark = pytest.mark.e2e


def _events(conn: LocalConnection, workflow_id: str) -> list[str]:
    from swf.models import WorkflowExecution

    execution = WorkflowExecution(DOMAIN, workflow_id, client=conn)
    return [event["eventType"] for event in execution.raw_events()]


def test_a_dropped_complete_is_not_answered_and_not_failed(
    local_swf: LocalSWF, local_connection: LocalConnection, caplog: pytest.LogCaptureFixture
) -> None:
    workflow_type, _ = register(local_connection)
    start(workflow_type, 1)
    assert FanOutDecider(DOMAIN, DECIDERS, client=local_connection).run_once()
    with FaultProxy(local_swf.endpoint_url) as proxy:
        conn = LocalConnection(proxy.endpoint_url, retries=0, read_timeout=5, connect_timeout=2)
        proxy.set_faults(1.0, kinds=["drop"], operations=["RespondActivityTaskCompleted"])
        with caplog.at_level(logging.INFO, logger="swf.actors"):
            report = DoubleWorker(DOMAIN, WORKERS, client=conn).run_once()
        assert proxy.injected[("RespondActivityTaskCompleted", "drop")] == 1
        assert proxy.forwarded["RespondActivityTaskFailed"] == 0
    assert (report.outcome, report.activity_id) == ("not_answered", "double-0")
    assert "RespondActivityTaskCompleted" in (report.detail or "")
    types = _events(local_connection, "fan-out-1")
    assert "ActivityTaskFailed" not in types and "ActivityTaskCompleted" not in types
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert lines[-1].startswith("activity  fan-out-1  double-0  not_answered")


def test_a_result_over_swfs_limit_fails_the_task(local_connection: LocalConnection) -> None:
    workflow_type, _ = register(local_connection)
    start(workflow_type, 1, workflow_id="too-big")
    assert FanOutDecider(DOMAIN, DECIDERS, client=local_connection).run_once()

    class Verbose(DoubleWorker):
        def process(self, task: object) -> str:
            return "x" * 40_000

    report = Verbose(DOMAIN, WORKERS, client=local_connection).run_once()
    assert report.outcome == "failed" and "result" in (report.detail or "")
    assert "ActivityTaskFailed" in _events(local_connection, "too-big")
