"""Replay a history that the demo decider really made (in-process moto): no mismatch; a
changed decider gives mismatches at the right event ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from swf import demo
from swf.actors import DecisionTask
from swf.cli import main
from swf.core import Connection
from swf.local import allow_closed_activity_id_reuse, cancel_timers
from swf.models.decision import MarkerDecision
from swf.models.history import History
from swf.replay import Replayer


def run_demo(conn: Connection, numbers: tuple[int, ...] = (3, 1, 4, 1)) -> History:
    """Run the demo's workflow to its end on ``conn`` (decider and workers in threads)."""
    final = demo.run(demo.register(conn, core=True), lambda: conn, "demo-replay", numbers)
    history = final.history()
    assert history.compiled.workflow.state == "completed"
    return history


@pytest.fixture(scope="module")
def demo_history() -> History:
    """The demo's history, recorded once for the module (the fixtures need a backend each)."""
    import boto3
    from moto import mock_aws

    allow_closed_activity_id_reuse()  # what swf.local does: the demo retries an activity id
    with mock_aws():
        conn = Connection(boto3.client("swf", region_name="us-east-1"))
        try:
            history = run_demo(conn)
        finally:
            cancel_timers()
    return history


def test_the_demo_decider_replays_its_own_history(demo_history: History) -> None:
    replayer = Replayer(demo.DemoDecider)
    report = replayer.check(demo_history)
    assert report.ok, str(report)
    completed = [e.id for e in demo_history if e.event_type == "DecisionTaskCompleted"]
    assert list(report.decision_tasks) == completed
    assert len(completed) >= 4  # fan-out, retry, timer, sum, complete (some may merge)
    assert replayer.connection.calls == {}
    # the last task decided to complete the execution with the sum
    (last,) = replayer.replay(demo_history)
    assert last["decisionType"] == "CompleteWorkflowExecution"
    assert last.attributes["result"] == str(2 * (3 + 1 + 4 + 1))


def test_the_demo_round_trips_through_json(demo_history: History) -> None:
    again = History.from_json(demo_history.to_json())
    assert Replayer(demo.DemoDecider).check(again).ok


class MoreFanOut(demo.DemoDecider):
    """Version 2: records the fan-out marker with more details."""

    def decide(self, task: DecisionTask) -> list[Any]:
        decisions = super().decide(task)
        return [
            MarkerDecision.record("fan-out", details='{"activities": 4, "v": 2}')
            if d["decisionType"] == "RecordMarker"
            else d
            for d in decisions
        ]


class NoRetry(demo.DemoDecider):
    """Version 2: fails the execution at the first failed activity instead of retrying."""

    def decide(self, task: DecisionTask) -> list[Any]:
        failed = [a for a in task.history.compiled.activities.values() if a.state == "failed"]
        if failed:
            from swf.models.decision import WorkflowExecutionDecision

            return [WorkflowExecutionDecision.fail(reason="no retries in v2")]
        return super().decide(task)


def test_a_changed_marker_is_a_mismatch_at_the_marker_event(demo_history: History) -> None:
    report = Replayer(MoreFanOut).check(demo_history)
    marker = demo_history.filter(type="MarkerRecorded").first
    assert [m.event_id for m in report] == [marker.id]
    (mismatch,) = report
    assert mismatch.decision_task_event_id == marker.attributes["decisionTaskCompletedEventId"]
    assert mismatch.got is not None and '"v": 2' in mismatch.got.attributes["details"]


def test_dropping_the_retry_is_a_mismatch_at_the_rescheduled_event(
    demo_history: History,
) -> None:
    report = Replayer(NoRetry).check(demo_history)
    assert not report.ok
    retried = [
        e
        for e in demo_history.filter(type="ActivityTask", state="scheduled", activityId=demo.FLAKY)
    ]
    assert len(retried) == 2  # the first attempt and the retry
    first = report.mismatches[0]
    assert first.event_id == retried[1].id
    assert first.expected is not None and first.expected.attributes["activityId"] == demo.FLAKY
    assert first.got is not None and first.got.decision_type == "FailWorkflowExecution"


def test_swf_replay_check_on_the_demo_history(demo_history: History, tmp_path: Path) -> None:
    saved = tmp_path / "demo.json"
    saved.write_text(demo_history.to_json())
    assert main(["replay", "swf.demo:DemoDecider", str(saved), "--check"]) == 0
    assert main(["-o", "json", "replay", "swf.demo:DemoDecider", str(saved)]) == 0


def test_swf_replay_json_of_the_demo(
    demo_history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "demo.json"
    saved.write_text(demo_history.to_json())
    assert main(["-o", "json", "replay", "swf.demo:DemoDecider", str(saved), "--upto", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["started_event_id"] == 3
    kinds = [d["decisionType"] for d in data["decisions"]]
    assert kinds == ["RecordMarker"] + ["ScheduleActivityTask"] * 4
