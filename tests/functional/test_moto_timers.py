"""moto runs SWF timers as non-daemon threads; swf cancels them so a test run can exit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from swf.actors import Decider, DecisionTask
from swf.core import Connection
from swf.local import LocalSWF, cancel_timers
from swf.models import Domain, WorkflowType
from swf.models.decision import TimerDecision


class Sleepy(Decider):
    """Starts two long timers on its first decision."""

    def decide(self, task: DecisionTask) -> list[TimerDecision]:
        return [TimerDecision.start("a", 600), TimerDecision.start("b", 900)]


def start_two_timers(conn: Connection) -> None:
    Domain("timers", retention_period=1, client=conn).save()
    wtype = WorkflowType(
        "timers", "wf", "1", task_list="d", execution_timeout=3600,
        decision_tasks_timeout=60, child_policy="TERMINATE", client=conn,
    )  # fmt: skip
    wtype.save()
    wtype.start_execution(workflow_id="sleepy")
    assert Sleepy("timers", "d", client=conn).run_once().outcome == "completed"


def live_timers() -> list[threading.Timer]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


@pytest.fixture
def in_process(swf_env: dict[str, str]) -> Iterator[Connection]:
    with mock_aws():
        yield Connection(boto3.client("swf", region_name="us-east-1"))
        cancel_timers()


def test_cancel_timers_stops_moto_timer_threads(in_process: Connection) -> None:
    before = len(live_timers())
    start_two_timers(in_process)
    assert len(live_timers()) == before + 2
    assert cancel_timers() == 2
    for timer in live_timers():
        timer.join(timeout=1)
    assert len(live_timers()) == before


def test_local_swf_reset_and_stop_cancel_timers(swf_env: dict[str, str]) -> None:
    before = len(live_timers())
    with LocalSWF() as local:
        start_two_timers(local.connection())
        assert len(live_timers()) == before + 2
        local.reset()
        for timer in live_timers():
            timer.join(timeout=1)
        assert len(live_timers()) == before
        start_two_timers(local.connection())
        assert len(live_timers()) == before + 2
    for timer in live_timers():
        timer.join(timeout=1)
    assert len(live_timers()) == before
