"""swf.testing's fixtures, used the way docs/testing.rst shows."""

from __future__ import annotations

from typing import Any

from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.local import LocalSWF
from swf.models import Domain, WorkflowType
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision
from swf.querysets import ActivityTypeQuerySet, DomainQuerySet, WorkflowTypeQuerySet
from swf.replay import Replayer
from swf.testing import HistoryBuilder, TestDomain, make_test_domain


class Double(Decider):
    """Doubles the input with one activity, then completes with its result."""

    def decide(self, task: DecisionTask) -> list[Any]:
        activity = task.history.compiled.activities.get("double")
        if activity is None:
            start = task.history.first
            return [
                ActivityTaskDecision.schedule(
                    "double", "activity", version="1", input=start.attributes.get("input")
                )
            ]
        if activity.state == "completed":
            return [WorkflowExecutionDecision.complete(result=activity.result)]
        return []


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
