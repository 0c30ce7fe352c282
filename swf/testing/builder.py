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

Events are raw dicts in boto3's form (``eventTimestamp`` an aware datetime), one second apart.
Decisions (scheduling an activity, starting a timer, closing the workflow, ...) refer to the
latest ``DecisionTaskCompleted``; when there is none yet, one decision task is added first.
The builder tracks the ids (scheduled, started, initiated) each later event refers to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from swf.models.history import History

__all__ = ["HistoryBuilder"]

_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if value is not None}


def _type(name: str, version: str) -> dict[str, str]:
    return {"name": name, "version": version}


class HistoryBuilder:
    """Builds the raw events of one workflow execution, with consistent ids.

    Args:
        workflow_type: the workflow type's name and version.
        input: the execution's input.
        task_list: the decision task list.
        start: the first event's timestamp (default 2026-01-01 UTC).
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
        self.events: list[dict[str, Any]] = []
        self.workflow_type = workflow_type
        self.task_list = task_list
        self._clock = start
        self._decision_scheduled: int | None = None
        self._decision_started: int | None = None
        self._decision_completed: int | None = None
        self._activities: dict[str, tuple[int, int | None]] = {}
        self._timers: dict[str, int] = {}
        self._children: dict[str, tuple[int, int | None, str]] = {}
        self._signals: dict[str, int] = {}
        self._cancels: dict[str, int] = {}
        self._lambdas: dict[str, tuple[int, int | None]] = {}
        if started:
            self.start(input=input, **start_attributes)

    # Low level

    @property
    def last_event_id(self) -> int:
        """The id of the last event (0 when there is none)."""
        return len(self.events)

    def add(self, event_type: str, attributes: dict[str, Any] | None = None) -> int:
        """Append one raw event with the next id; returns its id (no checks at all)."""
        event_id = len(self.events) + 1
        self._clock += dt.timedelta(seconds=1)
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": self._clock,
                key: _clean(attributes or {}),
            }
        )
        return event_id

    def history(self) -> History:
        """The events so far, as a :class:`~swf.models.history.History`."""
        return History.from_event_list(self.events)

    def _completed(self) -> int:
        if self._decision_completed is None:
            self.decision()
        assert self._decision_completed is not None
        return self._decision_completed

    # Workflow execution

    def start(self, input: str | None = None, **attributes: Any) -> HistoryBuilder:
        """``WorkflowExecutionStarted``, then the first ``DecisionTaskScheduled``."""
        self.add(
            "WorkflowExecutionStarted",
            {
                "workflowType": _type(*self.workflow_type),
                "taskList": {"name": self.task_list},
                "childPolicy": "TERMINATE",
                "executionStartToCloseTimeout": "3600",
                "taskStartToCloseTimeout": "300",
                "input": input,
                **attributes,
            },
        )
        return self.decision_scheduled()

    def signal(
        self,
        name: str,
        input: str | None = None,
        *,
        external: tuple[str, str] | None = None,
        external_initiated_event_id: int | None = None,
        schedule_decision: bool = True,
    ) -> HistoryBuilder:
        """``WorkflowExecutionSignaled`` (and a ``DecisionTaskScheduled`` when none is open)."""
        self.add(
            "WorkflowExecutionSignaled",
            {
                "signalName": name,
                "input": input,
                "externalWorkflowExecution": (
                    {"workflowId": external[0], "runId": external[1]} if external else None
                ),
                "externalInitiatedEventId": external_initiated_event_id,
            },
        )
        return self._maybe_schedule(schedule_decision)

    def cancel_requested(self, cause: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionCancelRequested`` (and a decision task)."""
        self.add("WorkflowExecutionCancelRequested", {"cause": cause})
        return self._maybe_schedule(True)

    def complete(self, result: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionCompleted``."""
        self.add(
            "WorkflowExecutionCompleted",
            {"result": result, "decisionTaskCompletedEventId": self._completed()},
        )
        return self

    def fail(self, reason: str | None = None, details: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionFailed``."""
        self.add(
            "WorkflowExecutionFailed",
            {
                "reason": reason,
                "details": details,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def cancel(self, details: str | None = None) -> HistoryBuilder:
        """``WorkflowExecutionCanceled``."""
        self.add(
            "WorkflowExecutionCanceled",
            {"details": details, "decisionTaskCompletedEventId": self._completed()},
        )
        return self

    def continue_as_new(
        self, input: str | None = None, new_run_id: str = "run-2"
    ) -> HistoryBuilder:
        """``WorkflowExecutionContinuedAsNew``."""
        self.add(
            "WorkflowExecutionContinuedAsNew",
            {
                "input": input,
                "newExecutionRunId": new_run_id,
                "decisionTaskCompletedEventId": self._completed(),
                "taskList": {"name": self.task_list},
                "childPolicy": "TERMINATE",
                "workflowType": _type(*self.workflow_type),
            },
        )
        return self

    def terminate(
        self, reason: str | None = None, details: str | None = None, cause: str | None = None
    ) -> HistoryBuilder:
        """``WorkflowExecutionTerminated``."""
        self.add(
            "WorkflowExecutionTerminated",
            {"reason": reason, "details": details, "cause": cause, "childPolicy": "TERMINATE"},
        )
        return self

    def time_out(self) -> HistoryBuilder:
        """``WorkflowExecutionTimedOut``."""
        self.add(
            "WorkflowExecutionTimedOut",
            {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"},
        )
        return self

    def close_failed(self, decision: str, cause: str = "UNHANDLED_DECISION") -> HistoryBuilder:
        """A refused close decision: ``decision`` is ``"complete"``, ``"fail"``, ``"cancel"``
        or ``"continue_as_new"`` (``CompleteWorkflowExecutionFailed``, ...)."""
        event_type = {
            "complete": "CompleteWorkflowExecutionFailed",
            "fail": "FailWorkflowExecutionFailed",
            "cancel": "CancelWorkflowExecutionFailed",
            "continue_as_new": "ContinueAsNewWorkflowExecutionFailed",
        }[decision]
        self.add(event_type, {"cause": cause, "decisionTaskCompletedEventId": self._completed()})
        return self

    # Decision tasks

    def decision_scheduled(self) -> HistoryBuilder:
        """``DecisionTaskScheduled``."""
        self._decision_scheduled = self.add(
            "DecisionTaskScheduled",
            {"taskList": {"name": self.task_list}, "startToCloseTimeout": "300"},
        )
        self._decision_started = None
        return self

    def decision_started(self, identity: str = "decider") -> HistoryBuilder:
        """``DecisionTaskStarted`` of the scheduled decision task."""
        if self._decision_scheduled is None:
            self.decision_scheduled()
        self._decision_started = self.add(
            "DecisionTaskStarted",
            {"scheduledEventId": self._decision_scheduled, "identity": identity},
        )
        return self

    def decision_completed(self, execution_context: str | None = None) -> HistoryBuilder:
        """``DecisionTaskCompleted`` of the started decision task."""
        if self._decision_started is None:
            self.decision_started()
        self._decision_completed = self.add(
            "DecisionTaskCompleted",
            {
                "scheduledEventId": self._decision_scheduled,
                "startedEventId": self._decision_started,
                "executionContext": execution_context,
            },
        )
        self._decision_scheduled = self._decision_started = None
        return self

    def decision_timed_out(self) -> HistoryBuilder:
        """``DecisionTaskTimedOut`` of the started decision task, then a new scheduled one."""
        if self._decision_started is None:
            self.decision_started()
        self.add(
            "DecisionTaskTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "scheduledEventId": self._decision_scheduled,
                "startedEventId": self._decision_started,
            },
        )
        return self.decision_scheduled()

    def decision(self, execution_context: str | None = None) -> HistoryBuilder:
        """A whole decision task: scheduled (unless one is), started, completed."""
        if self._decision_scheduled is None:
            self.decision_scheduled()
        if self._decision_started is None:
            self.decision_started()
        return self.decision_completed(execution_context)

    def _maybe_schedule(self, wanted: bool) -> HistoryBuilder:
        if wanted and self._decision_scheduled is None:
            self.decision_scheduled()
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
        event_id = self.add(
            "ActivityTaskScheduled",
            {
                "activityType": _type(name, version),
                "activityId": activity_id,
                "input": input,
                "control": control,
                "taskList": {"name": task_list},
                "decisionTaskCompletedEventId": self._completed(),
                "scheduleToCloseTimeout": "600",
                "scheduleToStartTimeout": "300",
                "startToCloseTimeout": "300",
                "heartbeatTimeout": "NONE",
            },
        )
        self._activities[activity_id] = (event_id, None)
        return self

    def schedule_activity_failed(
        self,
        activity_id: str,
        name: str = "activity",
        version: str = "1",
        cause: str = "ACTIVITY_TYPE_DOES_NOT_EXIST",
    ) -> HistoryBuilder:
        """``ScheduleActivityTaskFailed``."""
        self.add(
            "ScheduleActivityTaskFailed",
            {
                "activityType": _type(name, version),
                "activityId": activity_id,
                "cause": cause,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def start_activity(self, activity_id: str, identity: str = "worker") -> HistoryBuilder:
        """``ActivityTaskStarted``."""
        scheduled, _ = self._activities[activity_id]
        started = self.add(
            "ActivityTaskStarted", {"scheduledEventId": scheduled, "identity": identity}
        )
        self._activities[activity_id] = (scheduled, started)
        return self

    def _activity_closed(
        self, event_type: str, activity_id: str, schedule_decision: bool, **attributes: Any
    ) -> HistoryBuilder:
        scheduled, started = self._activities[activity_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        return self._maybe_schedule(schedule_decision)

    def complete_activity(
        self, activity_id: str, result: str | None = None, *, schedule_decision: bool = True
    ) -> HistoryBuilder:
        """``ActivityTaskCompleted`` (then a ``DecisionTaskScheduled`` unless one is open)."""
        return self._activity_closed(
            "ActivityTaskCompleted", activity_id, schedule_decision, result=result
        )

    def fail_activity(
        self,
        activity_id: str,
        reason: str | None = None,
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> HistoryBuilder:
        """``ActivityTaskFailed``."""
        return self._activity_closed(
            "ActivityTaskFailed", activity_id, schedule_decision, reason=reason, details=details
        )

    def time_out_activity(
        self,
        activity_id: str,
        timeout_type: str = "START_TO_CLOSE",
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> HistoryBuilder:
        """``ActivityTaskTimedOut``."""
        return self._activity_closed(
            "ActivityTaskTimedOut",
            activity_id,
            schedule_decision,
            timeoutType=timeout_type,
            details=details,
        )

    def request_cancel_activity(self, activity_id: str) -> HistoryBuilder:
        """``ActivityTaskCancelRequested``."""
        self.add(
            "ActivityTaskCancelRequested",
            {"activityId": activity_id, "decisionTaskCompletedEventId": self._completed()},
        )
        return self

    def request_cancel_activity_failed(
        self, activity_id: str, cause: str = "ACTIVITY_ID_UNKNOWN"
    ) -> HistoryBuilder:
        """``RequestCancelActivityTaskFailed``."""
        self.add(
            "RequestCancelActivityTaskFailed",
            {
                "activityId": activity_id,
                "cause": cause,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def cancel_activity(
        self, activity_id: str, details: str | None = None, *, schedule_decision: bool = True
    ) -> HistoryBuilder:
        """``ActivityTaskCanceled``."""
        return self._activity_closed(
            "ActivityTaskCanceled", activity_id, schedule_decision, details=details
        )

    # Timers

    def start_timer(
        self, timer_id: str, start_to_fire_timeout: int = 60, control: str | None = None
    ) -> HistoryBuilder:
        """``TimerStarted``."""
        self._timers[timer_id] = self.add(
            "TimerStarted",
            {
                "timerId": timer_id,
                "startToFireTimeout": str(start_to_fire_timeout),
                "control": control,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def start_timer_failed(
        self, timer_id: str, cause: str = "TIMER_ID_ALREADY_IN_USE"
    ) -> HistoryBuilder:
        """``StartTimerFailed``."""
        self.add(
            "StartTimerFailed",
            {
                "timerId": timer_id,
                "cause": cause,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def fire_timer(self, timer_id: str, *, schedule_decision: bool = True) -> HistoryBuilder:
        """``TimerFired``."""
        self.add("TimerFired", {"timerId": timer_id, "startedEventId": self._timers[timer_id]})
        return self._maybe_schedule(schedule_decision)

    def cancel_timer(self, timer_id: str) -> HistoryBuilder:
        """``TimerCanceled``."""
        self.add(
            "TimerCanceled",
            {
                "timerId": timer_id,
                "startedEventId": self._timers[timer_id],
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def cancel_timer_failed(self, timer_id: str, cause: str = "TIMER_ID_UNKNOWN") -> HistoryBuilder:
        """``CancelTimerFailed``."""
        self.add(
            "CancelTimerFailed",
            {
                "timerId": timer_id,
                "cause": cause,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    # Markers

    def record_marker(self, name: str, details: str | None = None) -> HistoryBuilder:
        """``MarkerRecorded``."""
        self.add(
            "MarkerRecorded",
            {
                "markerName": name,
                "details": details,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def record_marker_failed(
        self, name: str, cause: str = "OPERATION_NOT_PERMITTED"
    ) -> HistoryBuilder:
        """``RecordMarkerFailed``."""
        self.add(
            "RecordMarkerFailed",
            {"markerName": name, "cause": cause, "decisionTaskCompletedEventId": self._completed()},
        )
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
        initiated = self.add(
            "StartChildWorkflowExecutionInitiated",
            {
                "workflowId": workflow_id,
                "workflowType": _type(name, version),
                "input": input,
                "control": control,
                "taskList": {"name": self.task_list},
                "childPolicy": "TERMINATE",
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        self._children[workflow_id] = (initiated, None, f"{workflow_id}-run")
        return self

    def _child_type(self, initiated: int) -> dict[str, Any]:
        attributes = self.events[initiated - 1][
            "startChildWorkflowExecutionInitiatedEventAttributes"
        ]
        return dict(attributes["workflowType"])

    def start_child_failed(
        self, workflow_id: str, cause: str = "WORKFLOW_ALREADY_RUNNING"
    ) -> HistoryBuilder:
        """``StartChildWorkflowExecutionFailed`` (then a decision task)."""
        initiated, _, _ = self._children[workflow_id]
        self.add(
            "StartChildWorkflowExecutionFailed",
            {
                "workflowId": workflow_id,
                "workflowType": self._child_type(initiated),
                "cause": cause,
                "initiatedEventId": initiated,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self._maybe_schedule(True)

    def child_started(self, workflow_id: str, run_id: str | None = None) -> HistoryBuilder:
        """``ChildWorkflowExecutionStarted`` (then a decision task)."""
        initiated, _, default_run = self._children[workflow_id]
        run = run_id or default_run
        started = self.add(
            "ChildWorkflowExecutionStarted",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
            },
        )
        self._children[workflow_id] = (initiated, started, run)
        return self._maybe_schedule(True)

    def child_closed(self, workflow_id: str, outcome: str, **attributes: Any) -> HistoryBuilder:
        """The child closed: ``outcome`` is ``"completed"``, ``"failed"``, ``"timed_out"``,
        ``"canceled"`` or ``"terminated"``; ``attributes`` are raw (``result=``,
        ``reason=``, ``details=``, ``timeoutType=``)."""
        event_type = {
            "completed": "ChildWorkflowExecutionCompleted",
            "failed": "ChildWorkflowExecutionFailed",
            "timed_out": "ChildWorkflowExecutionTimedOut",
            "canceled": "ChildWorkflowExecutionCanceled",
            "terminated": "ChildWorkflowExecutionTerminated",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        initiated, started, run = self._children[workflow_id]
        self.add(
            event_type,
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
                "startedEventId": started or 0,
                **attributes,
            },
        )
        return self._maybe_schedule(True)

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
        self._signals[workflow_id] = self.add(
            "SignalExternalWorkflowExecutionInitiated",
            {
                "workflowId": workflow_id,
                "runId": run_id,
                "signalName": signal_name,
                "input": input,
                "control": control,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def signal_external_failed(
        self, workflow_id: str, cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    ) -> HistoryBuilder:
        """``SignalExternalWorkflowExecutionFailed`` (then a decision task)."""
        self.add(
            "SignalExternalWorkflowExecutionFailed",
            {
                "workflowId": workflow_id,
                "cause": cause,
                "initiatedEventId": self._signals[workflow_id],
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self._maybe_schedule(True)

    def external_signaled(self, workflow_id: str, run_id: str = "run-x") -> HistoryBuilder:
        """``ExternalWorkflowExecutionSignaled`` (then a decision task)."""
        self.add(
            "ExternalWorkflowExecutionSignaled",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run_id},
                "initiatedEventId": self._signals[workflow_id],
            },
        )
        return self._maybe_schedule(True)

    def request_cancel_external(
        self, workflow_id: str, *, run_id: str | None = None, control: str | None = None
    ) -> HistoryBuilder:
        """``RequestCancelExternalWorkflowExecutionInitiated``."""
        self._cancels[workflow_id] = self.add(
            "RequestCancelExternalWorkflowExecutionInitiated",
            {
                "workflowId": workflow_id,
                "runId": run_id,
                "control": control,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def request_cancel_external_failed(
        self, workflow_id: str, cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    ) -> HistoryBuilder:
        """``RequestCancelExternalWorkflowExecutionFailed`` (then a decision task)."""
        self.add(
            "RequestCancelExternalWorkflowExecutionFailed",
            {
                "workflowId": workflow_id,
                "cause": cause,
                "initiatedEventId": self._cancels[workflow_id],
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self._maybe_schedule(True)

    def external_cancel_requested(self, workflow_id: str, run_id: str = "run-x") -> HistoryBuilder:
        """``ExternalWorkflowExecutionCancelRequested`` (then a decision task)."""
        self.add(
            "ExternalWorkflowExecutionCancelRequested",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run_id},
                "initiatedEventId": self._cancels[workflow_id],
            },
        )
        return self._maybe_schedule(True)

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
        scheduled = self.add(
            "LambdaFunctionScheduled",
            {
                "id": lambda_id,
                "name": name,
                "input": input,
                "control": control,
                "startToCloseTimeout": "300",
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        self._lambdas[lambda_id] = (scheduled, None)
        return self

    def schedule_lambda_failed(
        self, lambda_id: str, name: str = "function", cause: str = "ID_ALREADY_IN_USE"
    ) -> HistoryBuilder:
        """``ScheduleLambdaFunctionFailed``."""
        self.add(
            "ScheduleLambdaFunctionFailed",
            {
                "id": lambda_id,
                "name": name,
                "cause": cause,
                "decisionTaskCompletedEventId": self._completed(),
            },
        )
        return self

    def start_lambda(self, lambda_id: str) -> HistoryBuilder:
        """``LambdaFunctionStarted``."""
        scheduled, _ = self._lambdas[lambda_id]
        started = self.add("LambdaFunctionStarted", {"scheduledEventId": scheduled})
        self._lambdas[lambda_id] = (scheduled, started)
        return self

    def start_lambda_failed(
        self, lambda_id: str, cause: str = "ASSUME_ROLE_FAILED", message: str | None = None
    ) -> HistoryBuilder:
        """``StartLambdaFunctionFailed`` (then a decision task)."""
        scheduled, _ = self._lambdas[lambda_id]
        self.add(
            "StartLambdaFunctionFailed",
            {"scheduledEventId": scheduled, "cause": cause, "message": message},
        )
        return self._maybe_schedule(True)

    def lambda_closed(self, lambda_id: str, outcome: str, **attributes: Any) -> HistoryBuilder:
        """The Lambda task closed: ``outcome`` is ``"completed"``, ``"failed"`` or
        ``"timed_out"``; ``attributes`` are raw (``result=``, ``reason=``, ``details=``)."""
        event_type = {
            "completed": "LambdaFunctionCompleted",
            "failed": "LambdaFunctionFailed",
            "timed_out": "LambdaFunctionTimedOut",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        scheduled, started = self._lambdas[lambda_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        return self._maybe_schedule(True)

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
