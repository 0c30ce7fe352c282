"""swf.testing's fixtures, used the way docs/testing.rst shows."""

from __future__ import annotations

from typing import Any

import pytest

from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.local import LocalSWF
from swf.models import Domain, WorkflowType
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision
from swf.querysets import ActivityTypeQuerySet, DomainQuerySet, WorkflowTypeQuerySet
from swf.replay import Replayer
from swf.testing import HistoryBuilder, TestDomain, make_test_domain

ATTEMPTS = 3


class Double(Decider):
    """Doubles the input with one activity, then completes with its result (docs/testing.rst):
    a failed or timed out activity (its worker died) is scheduled again, up to ATTEMPTS."""

    def decide(self, task: DecisionTask) -> list[Any]:
        activity = task.history.compiled.activities.get("double")
        if activity is None or (
            activity.state in ("failed", "timed_out") and activity.attempts < ATTEMPTS
        ):  # not scheduled yet, or failed (or its worker died): schedule it (again)
            start = task.history.first
            return [
                ActivityTaskDecision.schedule(
                    "double", "activity", version="1", input=start.attributes.get("input")
                )
            ]
        if activity.state == "completed":
            return [WorkflowExecutionDecision.complete(result=activity.result)]
        if activity.state in ("failed", "timed_out", "canceled"):  # out of attempts
            return [
                WorkflowExecutionDecision.fail(
                    reason=f"double {activity.state} after {activity.attempts} attempts"
                )
            ]
        return []  # scheduled or started: wait for the next event


class Doubler(ActivityWorker):
    def process(self, task: ActivityTask) -> str:
        return str(int(task.input) * 2)


def test_swf_domain_registers_a_domain_and_two_types(swf_domain: TestDomain) -> None:
    conn = swf_domain.connection
    assert DomainQuerySet(client=conn).get("swf-testing") == swf_domain.domain
    assert WorkflowTypeQuerySet("swf-testing", client=conn).get("workflow", "1").task_list == (
        "decisions"
    )
    assert ActivityTypeQuerySet("swf-testing", client=conn).get("activity", "1").task_list == (
        "activities"
    )
    assert isinstance(swf_domain.workflow_type, WorkflowType)


def test_a_decider_and_a_worker_run_a_workflow_on_swf_domain(swf_domain: TestDomain) -> None:
    conn = swf_domain.connection
    execution = swf_domain.workflow_type.start_execution(workflow_id="w1", input="21")
    decider = Double(swf_domain.domain, "decisions", client=conn)
    worker = Doubler(swf_domain.domain, "activities", client=conn)
    assert decider.run_once() and worker.run_once() and decider.run_once()
    closed = execution.upstream()
    assert closed.status == "CLOSED"
    assert closed.history().compiled.workflow.result == "42"


def test_a_decider_is_tested_offline_on_a_built_history() -> None:
    history = (
        HistoryBuilder(input="21")
        .decision()
        .schedule_activity("double", "activity")
        .start_activity("double")
        .complete_activity("double", result="42")
        .decision_scheduled()
        .decision_started()
        .history()
    )
    decisions = Replayer(Double("swf-testing", "decisions")).replay(history)
    assert decisions == [WorkflowExecutionDecision.complete(result="42")]


def _register_once(server: LocalSWF) -> Domain:
    return make_test_domain(server.connection()).domain


def test_swf_server_is_empty_for_each_test(swf_server: LocalSWF) -> None:
    assert _register_once(swf_server).name == "swf-testing"
    assert swf_server.env["SWF_ENDPOINT_URL"] == swf_server.endpoint_url


def test_swf_server_is_empty_again(swf_server: LocalSWF) -> None:
    assert not DomainQuerySet(client=swf_server.connection()).all().exists()
    assert _register_once(swf_server).name == "swf-testing"  # no DomainAlreadyExists


@pytest.mark.parametrize("outcome", ["timed_out", "failed"])
def test_the_documented_decider_reschedules_after_a_dead_worker_or_a_failure(
    outcome: str,
) -> None:
    """Issue 17, class 10: the example decided nothing after a timeout, so the execution
    stayed open until its own timeout."""
    history = (
        HistoryBuilder(input="21")
        .decision()
        .schedule_activity("double", "activity")
        .start_activity("double")
    )
    if outcome == "timed_out":
        history.time_out_activity("double")
    else:
        history.fail_activity("double", reason="boom")
    decisions = Replayer(Double("swf-testing", "decisions")).replay(
        history.decision_started().history()
    )
    assert [d["decisionType"] for d in decisions] == ["ScheduleActivityTask"]
    assert decisions[0]["scheduleActivityTaskDecisionAttributes"]["activityId"] == "double"


def test_the_documented_decider_fails_the_execution_after_its_last_attempt() -> None:
    history = HistoryBuilder(input="21").decision()
    for attempt in range(ATTEMPTS):
        history.schedule_activity("double", "activity").start_activity("double")
        history.time_out_activity("double", "HEARTBEAT")
        history.decision_started()
        if attempt < ATTEMPTS - 1:
            history.decision_completed()
    decisions = Replayer(Double("swf-testing", "decisions")).replay(history.history())
    assert decisions == [WorkflowExecutionDecision.fail(reason="double timed_out after 3 attempts")]
