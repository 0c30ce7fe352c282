"""A small user program, type-checked by tests/unit/test_typing.py with ``mypy --strict``
against the installed swf (as a user's project would be): a Decider and an ActivityWorker
subclass, querysets and a History. Not run, not collected: its types are the test."""

from __future__ import annotations

import json
from collections.abc import Sequence

from typing_extensions import assert_type

from swf import constants
from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask, TaskOutcome, TaskReport
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import ActivityTaskDecision, Decision, WorkflowExecutionDecision
from swf.models.history import ActivityRecord, CompiledHistory, History
from swf.querysets import ExecutionCount, WorkflowExecutionQuerySet, WorkflowTypeQuerySet
from swf.states import ActivityState, WorkflowState


class Resize(Decider):
    def decide(self, task: DecisionTask) -> Sequence[Decision]:
        assert_type(task.history, History)
        assert_type(task.execution, WorkflowExecution)
        assert_type(task.workflow_type, WorkflowType)
        assert_type(task.previous_started_event_id, int | None)
        compiled = task.history.compiled
        assert_type(compiled, CompiledHistory)
        assert_type(compiled.workflow.state, WorkflowState)
        activity = compiled.activities.get("resize")
        if activity is None:
            resize = ActivityType(task.execution.domain, "resize", "1", task_list="work")
            return [ActivityTaskDecision.schedule("resize", resize, input=task.history.first.input)]
        assert_type(activity, ActivityRecord)
        assert_type(activity.state, ActivityState)
        if activity.state == "completed":
            return [WorkflowExecutionDecision.complete(result=activity.result)]
        return []


class Resizer(ActivityWorker):
    def process(self, task: ActivityTask) -> dict[str, str]:
        assert_type(task.activity_type, ActivityType)
        assert_type(task.execution, WorkflowExecution)
        assert_type(task.input, str | None)
        if task.heartbeat("half way"):
            task.cancel("asked to")
        return {"image": (task.input or "").upper(), "by": task.activity_type.name}


def run_one(worker: Resizer) -> TaskOutcome:
    report = worker.run_once()
    assert_type(report, TaskReport)
    assert_type(report.outcome, TaskOutcome)
    return report.outcome


def listings(domain: Domain) -> int:
    assert_type(domain.status, constants.RegistrationStatus)
    executions = WorkflowExecutionQuerySet(domain).filter(status="OPEN", tag="x")
    for execution in executions[:10]:
        assert_type(execution, WorkflowExecution)
        assert_type(execution.status, constants.ExecutionStatus | None)
        assert_type(execution.close_status, constants.CloseStatus | None)
        history = execution.history()
        assert_type(history.filter(type="ActivityTask"), History)
    for page in WorkflowTypeQuerySet(domain).pages():
        for workflow_type in page:
            assert_type(workflow_type, WorkflowType)
    count = executions.count()
    assert_type(count, ExecutionCount)
    return count + (1 if count.truncated else 0)


def saved(text: str) -> str | None:
    history = History.from_json(text)
    return json.dumps(history.compiled.to_dict()) if history.finished else None
