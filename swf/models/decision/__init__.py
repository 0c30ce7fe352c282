"""Decision builders: one immutable, read-only dict per SWF decision.

Each decision equals the dict that ``RespondDecisionTaskCompleted`` expects, so a list of
them goes to boto3 (or :meth:`swf.actors.Decider.complete`) as is::

    from swf.models.decision import ActivityTaskDecision, TimerDecision
    decisions = [
        ActivityTaskDecision.schedule("a1", activity_type, input="42", task_list="work"),
        TimerDecision.start("t1", start_to_fire_timeout=30),
    ]

Every builder checks its fields first and raises
:class:`~swf.exceptions.InvalidDecisionError` naming the decision, the field and the value.
SWF has no ``TerminateWorkflowExecution`` decision: terminating is an API call
(:meth:`WorkflowExecution.terminate`), not something a decider decides.
"""

from __future__ import annotations

from swf.models.decision.activity import ActivityTaskDecision, LambdaFunctionDecision
from swf.models.decision.base import Decision, DecisionType
from swf.models.decision.check import check_decisions
from swf.models.decision.timer import MarkerDecision, TimerDecision
from swf.models.decision.workflow import (
    ChildWorkflowExecutionDecision,
    ExternalWorkflowExecutionDecision,
    WorkflowExecutionDecision,
)

__all__ = [
    "ActivityTaskDecision",
    "ChildWorkflowExecutionDecision",
    "Decision",
    "DecisionType",
    "ExternalWorkflowExecutionDecision",
    "LambdaFunctionDecision",
    "MarkerDecision",
    "TimerDecision",
    "WorkflowExecutionDecision",
    "check_decisions",
]
