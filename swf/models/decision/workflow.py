"""Decisions about this workflow execution, its children and other executions."""

from __future__ import annotations

from typing import Any

from swf import constants
from swf.models.decision.base import (
    Decision,
    DecisionType,
    _checked,
    _child_policy,
    _duration,
    _id,
    _label,
    _lambda_role,
    _payload,
    _priority,
    _run_id,
    _tags,
    _task_list,
    _type_ref,
)
from swf.validation import check_name

__all__ = [
    "ChildWorkflowExecutionDecision",
    "ExternalWorkflowExecutionDecision",
    "WorkflowExecutionDecision",
]


class WorkflowExecutionDecision(Decision):
    """Close this workflow execution: complete, fail, cancel, or continue as new."""

    __slots__ = ()

    @classmethod
    def complete(cls, result: str | None = None) -> WorkflowExecutionDecision:
        """Build a ``CompleteWorkflowExecution`` decision.

        Args:
            result: the execution's result (at most 32,768 characters).

        Raises:
            InvalidDecisionError: ``result`` is not a string or too long.
        """
        kind = DecisionType.COMPLETE_WORKFLOW_EXECUTION
        attributes = {"result": _payload(kind, result, "result")}
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def fail(
        cls, reason: str | None = None, details: str | None = None
    ) -> WorkflowExecutionDecision:
        """Build a ``FailWorkflowExecution`` decision.

        Args:
            reason: why (at most 256 characters).
            details: more about it (at most 32,768 characters).

        Raises:
            InvalidDecisionError: a field is not a string or too long.
        """
        kind = DecisionType.FAIL_WORKFLOW_EXECUTION
        attributes = {
            "reason": _payload(kind, reason, "reason", max_length=constants.MAX_REASON_LENGTH),
            "details": _payload(kind, details, "details"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def cancel(cls, details: str | None = None) -> WorkflowExecutionDecision:
        """Build a ``CancelWorkflowExecution`` decision.

        Raises:
            InvalidDecisionError: ``details`` is not a string or too long.
        """
        kind = DecisionType.CANCEL_WORKFLOW_EXECUTION
        attributes = {"details": _payload(kind, details, "details")}
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def continue_as_new(
        cls,
        *,
        input: str | None = None,
        execution_start_to_close_timeout: Any = None,
        task_list: Any = None,
        task_priority: int | str | None = None,
        task_start_to_close_timeout: Any = None,
        child_policy: str | None = None,
        tag_list: Any = None,
        workflow_type_version: str | None = None,
        lambda_role: str | None = None,
    ) -> WorkflowExecutionDecision:
        """Build a ``ContinueAsNewWorkflowExecution`` decision.

        Every option defaults to what the current execution (or its type) uses.

        Args:
            input: the new run's input.
            execution_start_to_close_timeout: seconds or a ``timedelta`` (not ``'NONE'``).
            task_list: the decision task list of the new run.
            task_priority: its priority.
            task_start_to_close_timeout: seconds, a ``timedelta`` or ``'NONE'``.
            child_policy: ``TERMINATE``, ``REQUEST_CANCEL`` or ``ABANDON``.
            tag_list: up to 5 tags.
            workflow_type_version: run a new version of the workflow type.
            lambda_role: the IAM role for Lambda tasks.

        Raises:
            InvalidDecisionError: an invalid field.
        """
        kind = DecisionType.CONTINUE_AS_NEW_WORKFLOW_EXECUTION
        version = None
        if workflow_type_version is not None:
            version = _checked(
                kind,
                lambda: check_name(
                    workflow_type_version,
                    "workflow_type_version",
                    max_length=constants.MAX_VERSION_LENGTH,
                ),
            )
        attributes = {
            "input": _payload(kind, input, "input"),
            "executionStartToCloseTimeout": _duration(
                kind,
                execution_start_to_close_timeout,
                "execution_start_to_close_timeout",
                allow_none=False,
            ),
            "taskList": _task_list(kind, task_list),
            "taskPriority": _priority(kind, task_priority),
            "taskStartToCloseTimeout": _duration(
                kind, task_start_to_close_timeout, "task_start_to_close_timeout"
            ),
            "childPolicy": _child_policy(kind, child_policy),
            "tagList": _tags(kind, tag_list),
            "workflowTypeVersion": version,
            "lambdaRole": _lambda_role(kind, lambda_role),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]


class ChildWorkflowExecutionDecision(Decision):
    """Start a child workflow execution."""

    __slots__ = ()

    @classmethod
    def start(
        cls,
        workflow_type: Any,
        workflow_id: str,
        *,
        version: str | None = None,
        input: str | None = None,
        control: str | None = None,
        execution_start_to_close_timeout: Any = None,
        task_list: Any = None,
        task_priority: int | str | None = None,
        task_start_to_close_timeout: Any = None,
        child_policy: str | None = None,
        tag_list: Any = None,
        lambda_role: str | None = None,
    ) -> ChildWorkflowExecutionDecision:
        """Build a ``StartChildWorkflowExecution`` decision.

        Args:
            workflow_type: a :class:`~swf.models.WorkflowType`, a ``(name, version)`` pair,
                or a name with ``version=``.
            workflow_id: the child's workflow id (1 to 256 characters).
            version: the type's version, when ``workflow_type`` is a name.
            input: the child's input.
            control: data for the decider.
            execution_start_to_close_timeout: seconds or a ``timedelta`` (not ``'NONE'``).
            task_list: the child's decision task list; by default the type's registered one
                (a WorkflowType without one makes this argument required).
            task_priority: its priority.
            task_start_to_close_timeout: seconds, a ``timedelta`` or ``'NONE'``.
            child_policy: ``TERMINATE``, ``REQUEST_CANCEL`` or ``ABANDON``.
            tag_list: up to 5 tags.
            lambda_role: the IAM role for Lambda tasks.

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.START_CHILD_WORKFLOW_EXECUTION
        type_ref, model = _type_ref(kind, workflow_type, version, "workflow_type")
        attributes = {
            "workflowType": type_ref,
            "workflowId": _id(kind, workflow_id, "workflow_id"),
            "control": _payload(kind, control, "control"),
            "input": _payload(kind, input, "input"),
            "executionStartToCloseTimeout": _duration(
                kind,
                execution_start_to_close_timeout,
                "execution_start_to_close_timeout",
                allow_none=False,
            ),
            "taskList": _task_list(kind, task_list, model, kind="workflow type"),
            "taskPriority": _priority(kind, task_priority),
            "taskStartToCloseTimeout": _duration(
                kind, task_start_to_close_timeout, "task_start_to_close_timeout"
            ),
            "childPolicy": _child_policy(kind, child_policy),
            "tagList": _tags(kind, tag_list),
            "lambdaRole": _lambda_role(kind, lambda_role),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]


class ExternalWorkflowExecutionDecision(Decision):
    """Signal another workflow execution, or request its cancellation."""

    __slots__ = ()

    @classmethod
    def signal(
        cls,
        workflow_id: str,
        signal_name: str,
        *,
        run_id: str | None = None,
        input: str | None = None,
        control: str | None = None,
    ) -> ExternalWorkflowExecutionDecision:
        """Build a ``SignalExternalWorkflowExecution`` decision.

        Args:
            workflow_id: the execution to signal.
            signal_name: the signal's name (1 to 256 characters).
            run_id: its run id (by default the current run of ``workflow_id``).
            input: the signal's input.
            control: data for the decider.

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION
        attributes = {
            "workflowId": _id(kind, workflow_id, "workflow_id"),
            "runId": _run_id(kind, run_id),
            "signalName": _label(kind, signal_name, "signal_name"),
            "input": _payload(kind, input, "input"),
            "control": _payload(kind, control, "control"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def request_cancel(
        cls,
        workflow_id: str,
        *,
        run_id: str | None = None,
        control: str | None = None,
    ) -> ExternalWorkflowExecutionDecision:
        """Build a ``RequestCancelExternalWorkflowExecution`` decision.

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION
        attributes = {
            "workflowId": _id(kind, workflow_id, "workflow_id"),
            "runId": _run_id(kind, run_id),
            "control": _payload(kind, control, "control"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]
