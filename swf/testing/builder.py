"""HistoryBuilder: write valid SWF histories fluently, for tests (ours and yours).

>>> from swf.testing import HistoryBuilder
>>> history = (
...     HistoryBuilder(input="{}")
...     .decision()                      # scheduled, started, completed
...     .schedule_activity("a1", "resize")
...     .start_activity("a1")
...     .complete_activity("a1", result="ok")
...     .decision()
...     .complete(result="done")
...     .history()
... )
>>> history.compiled.activities["a1"].state, history.compiled.workflow.state
('completed', 'completed')

A thin facade over :class:`swf.models.history.writer.HistoryWriter`, which writes the events
and tracks the ids later events refer to: the builder adds defaults fit for tests (task lists,
timeouts, type names), a clock one second per event, and decision shortcuts that write what
SWF writes once it applied (or refused) the decision, with no check, so that a test can write
exactly the history it needs. Decisions refer to the latest ``DecisionTaskCompleted``; when
there is none yet, one decision task is added first. A decision task is scheduled after an
outcome unless one is scheduled or running already (``schedule_decision=False`` skips it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    Decision,
    ExternalWorkflowExecutionDecision,
    LambdaFunctionDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.history.writer import HistoryWriter, ticking_clock

__all__ = ["HistoryBuilder"]

_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class HistoryBuilder(HistoryWriter):
    """Builds the raw events of one workflow execution, with consistent ids.

    Args:
        workflow_type: the workflow type's name and version.
        input: the execution's input.
        task_list: the decision task list.
        start: the first event's timestamp is one second after it (default 2026-01-01 UTC).
        started: add ``WorkflowExecutionStarted`` and the first ``DecisionTaskScheduled``
            right away (default True); otherwise call :meth:`start`.
        **start_attributes: more ``WorkflowExecutionStarted`` attributes (raw SWF names,
            e.g. ``tagList=["a"]``, ``parentWorkflowExecution={...}``).

    Attributes:
        events: the raw events so far (list of dicts).
    """

    def __init__(
        self,
        workflow_type: tuple[str, str] = ("workflow", "1"),
        *,
        input: str | None = None,
        task_list: str = "deciders",
        start: dt.datetime = _EPOCH,
        started: bool = True,
        **start_attributes: Any,
    ) -> None:
        """Start a history (see the class docstring)."""
        super().__init__(clock=ticking_clock(start))
        self.workflow_type = workflow_type
        self.task_list = task_list
        self.decision_task_timeout = "300"
        if started:
            self.start(input=input, **start_attributes)

    def _completed(self) -> int:
        if self._decision_completed is None:
            self.decision()
        return super()._completed()

    def needs_decision(self, wanted: bool = True) -> HistoryBuilder:
        # A test writes its decision tasks where it wants them: none is queued behind a
        # running one (the writer's SWF rule), only added when none is scheduled or running.
        if wanted and self._decision_scheduled is None:
            self.decision_scheduled()
        return self

    def _decide(self, decision: Decision) -> HistoryBuilder:
        self.record(decision)
        return self

    # Workflow execution

    def start(  # type: ignore[override]
        self, input: str | None = None, **attributes: Any
    ) -> HistoryBuilder:
        """``WorkflowExecutionStarted``, then the first ``DecisionTaskScheduled``."""
        assert self.task_list is not None
        super().start(self.workflow_type, task_list=self.task_list, input=input, **attributes)
        return self

    def complete(self, result: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionCompleted``."""
        return self._decide(WorkflowExecutionDecision.complete(result))

    def fail(self, reason: str | None = None, details: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionFailed``."""
        return self._decide(WorkflowExecutionDecision.fail(reason, details))

    def cancel(self, details: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionCanceled``."""
        return self._decide(WorkflowExecutionDecision.cancel(details))

    def continue_as_new(
        self, input: str | None = None, new_run_id: str = "run-2"
    ) -> HistoryBuilder:
        """``WorkflowExecutionContinuedAsNew``."""
        self.new_run_id = lambda: new_run_id
        return self._decide(WorkflowExecutionDecision.continue_as_new(input=input))

    def close_failed(self, decision: str, cause: str = "UNHANDLED_DECISION") -> HistoryBuilder:
        """A refused close decision: ``decision`` is ``"complete"``, ``"fail"``, ``"cancel"``
        or ``"continue_as_new"`` (``CompleteWorkflowExecutionFailed``, ...)."""
        build = getattr(WorkflowExecutionDecision, decision)
        self.record_failed_decision(build(), cause)
        return self

    # Activity tasks

    def schedule_activity(
        self,
        activity_id: str,
        name: str = "activity",
        version: str = "1",
        *,
        input: str | None = None,
        control: str | None = None,
        task_list: str = "workers",
    ) -> HistoryBuilder:
        """``ActivityTaskScheduled``."""
        return self._decide(
            ActivityTaskDecision.schedule(
                activity_id,
                (name, version),
                input=input,
                control=control,
                task_list=task_list,
                schedule_to_close_timeout=600,
                schedule_to_start_timeout=300,
                start_to_close_timeout=300,
                heartbeat_timeout="NONE",
            )
        )

    def schedule_activity_failed(
        self,
        activity_id: str,
        name: str = "activity",
        version: str = "1",
        cause: str = "ACTIVITY_TYPE_DOES_NOT_EXIST",
    ) -> HistoryBuilder:
        """``ScheduleActivityTaskFailed``."""
        self.record_failed_decision(
            ActivityTaskDecision.schedule(activity_id, (name, version)), cause
        )
        return self

    def request_cancel_activity(self, activity_id: str) -> HistoryBuilder:
        """``ActivityTaskCancelRequested``."""
        return self._decide(ActivityTaskDecision.request_cancel(activity_id))

    def request_cancel_activity_failed(
        self, activity_id: str, cause: str = "ACTIVITY_ID_UNKNOWN"
    ) -> HistoryBuilder:
        """``RequestCancelActivityTaskFailed``."""
        self.record_failed_decision(ActivityTaskDecision.request_cancel(activity_id), cause)
        return self

    # Timers

    def start_timer(
        self, timer_id: str, start_to_fire_timeout: int = 60, control: str | None = None
    ) -> HistoryBuilder:
        """``TimerStarted``."""
        return self._decide(TimerDecision.start(timer_id, start_to_fire_timeout, control=control))

    def start_timer_failed(
        self, timer_id: str, cause: str = "TIMER_ID_ALREADY_IN_USE"
    ) -> HistoryBuilder:
        """``StartTimerFailed``."""
        self.record_failed_decision(TimerDecision.start(timer_id, 60), cause)
        return self

    def cancel_timer(self, timer_id: str) -> HistoryBuilder:
        """``TimerCanceled``."""
        return self._decide(TimerDecision.cancel(timer_id))

    def cancel_timer_failed(self, timer_id: str, cause: str = "TIMER_ID_UNKNOWN") -> HistoryBuilder:
        """``CancelTimerFailed``."""
        self.record_failed_decision(TimerDecision.cancel(timer_id), cause)
        return self

    # Markers

    def record_marker(self, name: str, details: str | None = None) -> HistoryBuilder:
        """``MarkerRecorded``."""
        return self._decide(MarkerDecision.record(name, details))

    def record_marker_failed(
        self, name: str, cause: str = "OPERATION_NOT_PERMITTED"
    ) -> HistoryBuilder:
        """``RecordMarkerFailed``."""
        self.record_failed_decision(MarkerDecision.record(name), cause)
        return self

    # Child workflows

    def start_child(
        self,
        workflow_id: str,
        name: str = "child",
        version: str = "1",
        *,
        input: str | None = None,
        control: str | None = None,
    ) -> HistoryBuilder:
        """``StartChildWorkflowExecutionInitiated``."""
        return self._decide(
            ChildWorkflowExecutionDecision.start(
                (name, version),
                workflow_id,
                input=input,
                control=control,
                task_list=self.task_list,
                child_policy="TERMINATE",
            )
        )

    def start_child_refused(
        self,
        workflow_id: str,
        name: str = "child",
        version: str = "1",
        cause: str = "WORKFLOW_TYPE_DOES_NOT_EXIST",
    ) -> HistoryBuilder:
        """``StartChildWorkflowExecutionFailed`` of a start SWF refused (any cause but
        ``WORKFLOW_ALREADY_RUNNING``): ``initiatedEventId`` 0, nothing was initiated."""
        decision = ChildWorkflowExecutionDecision.start((name, version), workflow_id)
        self.record_failed_decision(decision, cause)
        return self

    # External executions

    def signal_external(
        self,
        workflow_id: str,
        signal_name: str,
        *,
        run_id: str | None = None,
        input: str | None = None,
        control: str | None = None,
    ) -> HistoryBuilder:
        """``SignalExternalWorkflowExecutionInitiated``."""
        return self._decide(
            ExternalWorkflowExecutionDecision.signal(
                workflow_id, signal_name, run_id=run_id, input=input, control=control
            )
        )

    def request_cancel_external(
        self, workflow_id: str, *, run_id: str | None = None, control: str | None = None
    ) -> HistoryBuilder:
        """``RequestCancelExternalWorkflowExecutionInitiated``."""
        return self._decide(
            ExternalWorkflowExecutionDecision.request_cancel(
                workflow_id, run_id=run_id, control=control
            )
        )

    def signal_external_refused(
        self,
        workflow_id: str,
        signal_name: str = "signal",
        cause: str = "SIGNAL_EXTERNAL_WORKFLOW_EXECUTIONS_LIMIT_EXCEEDED",
    ) -> HistoryBuilder:
        """``SignalExternalWorkflowExecutionFailed`` of a signal decision SWF refused:
        ``initiatedEventId`` 0, nothing was initiated."""
        decision = ExternalWorkflowExecutionDecision.signal(workflow_id, signal_name)
        self.record_failed_decision(decision, cause)
        return self

    def request_cancel_external_refused(
        self,
        workflow_id: str,
        cause: str = "REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTIONS_LIMIT_EXCEEDED",
    ) -> HistoryBuilder:
        """``RequestCancelExternalWorkflowExecutionFailed`` of a cancel request SWF refused:
        ``initiatedEventId`` 0, nothing was initiated."""
        decision = ExternalWorkflowExecutionDecision.request_cancel(workflow_id)
        self.record_failed_decision(decision, cause)
        return self

    # Lambda functions

    def schedule_lambda(
        self,
        lambda_id: str,
        name: str = "function",
        *,
        input: str | None = None,
        control: str | None = None,
    ) -> HistoryBuilder:
        """``LambdaFunctionScheduled``."""
        return self._decide(
            LambdaFunctionDecision.schedule(
                lambda_id, name, input=input, control=control, start_to_close_timeout=300
            )
        )

    def schedule_lambda_failed(
        self, lambda_id: str, name: str = "function", cause: str = "ID_ALREADY_IN_USE"
    ) -> HistoryBuilder:
        """``ScheduleLambdaFunctionFailed``."""
        self.record_failed_decision(LambdaFunctionDecision.schedule(lambda_id, name), cause)
        return self

    def complete_lambda(self, lambda_id: str, result: str | None = None) -> HistoryBuilder:
        """``LambdaFunctionCompleted``."""
        return self.lambda_closed(lambda_id, "completed", result=result)

    def fail_lambda(
        self, lambda_id: str, reason: str | None = None, details: str | None = None
    ) -> HistoryBuilder:
        """``LambdaFunctionFailed``."""
        return self.lambda_closed(lambda_id, "failed", reason=reason, details=details)

    def time_out_lambda(self, lambda_id: str) -> HistoryBuilder:
        """``LambdaFunctionTimedOut``."""
        return self.lambda_closed(lambda_id, "timed_out")

    # Convenience

    def activities(
        self, activity_ids: Sequence[str], name: str = "activity", result: str = "ok"
    ) -> HistoryBuilder:
        """Schedule every activity in one decision, then start and complete each in turn."""
        for activity_id in activity_ids:
            self.schedule_activity(activity_id, name)
        for activity_id in activity_ids:
            self.start_activity(activity_id)
        for activity_id in activity_ids:
            self.complete_activity(activity_id, result)
        return self
