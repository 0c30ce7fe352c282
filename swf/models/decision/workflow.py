"""Decisions about this workflow execution, its children and other executions."""

from __future__ import annotations

from typing import Any

from swf import constants
from swf.models.decision.base import (
    Decision,
    DecisionType,
    _register_builder,
    check_child_policy,
    check_duration,
    check_id,
    check_label,
    check_lambda_role,
    check_payload_field,
    check_priority,
    check_run_id,
    check_tag_list,
    checked,
    task_list_field,
    type_ref_field,
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
        attributes = {"result": check_payload_field(kind, result, "result")}
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
            "reason": check_payload_field(
                kind, reason, "reason", max_length=constants.MAX_REASON_LENGTH
            ),
            "details": check_payload_field(kind, details, "details"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def cancel(cls, details: str | None = None) -> WorkflowExecutionDecision:
        """Build a ``CancelWorkflowExecution`` decision.

        Raises:
            InvalidDecisionError: ``details`` is not a string or too long.
        """
        kind = DecisionType.CANCEL_WORKFLOW_EXECUTION
        attributes = {"details": check_payload_field(kind, details, "details")}
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
            version = checked(
                kind,
                lambda: check_name(
                    workflow_type_version,
                    "workflow_type_version",
                    max_length=constants.MAX_VERSION_LENGTH,
                ),
            )
        attributes = {
            "input": check_payload_field(kind, input, "input"),
            "executionStartToCloseTimeout": check_duration(
                kind,
                execution_start_to_close_timeout,
                "execution_start_to_close_timeout",
                allow_none=False,
            ),
            "taskList": task_list_field(kind, task_list),
            "taskPriority": check_priority(kind, task_priority),
            "taskStartToCloseTimeout": check_duration(
                kind, task_start_to_close_timeout, "task_start_to_close_timeout"
            ),
            "childPolicy": check_child_policy(kind, child_policy),
            "tagList": check_tag_list(kind, tag_list),
            "workflowTypeVersion": version,
            "lambdaRole": check_lambda_role(kind, lambda_role),
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
        type_ref, model = type_ref_field(kind, workflow_type, version, "workflow_type")
        attributes = {
            "workflowType": type_ref,
            "workflowId": check_id(kind, workflow_id, "workflow_id"),
            "control": check_payload_field(kind, control, "control"),
            "input": check_payload_field(kind, input, "input"),
            "executionStartToCloseTimeout": check_duration(
                kind,
                execution_start_to_close_timeout,
                "execution_start_to_close_timeout",
                allow_none=False,
            ),
            "taskList": task_list_field(kind, task_list, model, kind="workflow type"),
            "taskPriority": check_priority(kind, task_priority),
            "taskStartToCloseTimeout": check_duration(
                kind, task_start_to_close_timeout, "task_start_to_close_timeout"
            ),
            "childPolicy": check_child_policy(kind, child_policy),
            "tagList": check_tag_list(kind, tag_list),
            "lambdaRole": check_lambda_role(kind, lambda_role),
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
            "workflowId": check_id(kind, workflow_id, "workflow_id"),
            "runId": check_run_id(kind, run_id),
            "signalName": check_label(kind, signal_name, "signal_name"),
            "input": check_payload_field(kind, input, "input"),
            "control": check_payload_field(kind, control, "control"),
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
            "workflowId": check_id(kind, workflow_id, "workflow_id"),
            "runId": check_run_id(kind, run_id),
            "control": check_payload_field(kind, control, "control"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]


_register_builder(DecisionType.COMPLETE_WORKFLOW_EXECUTION, WorkflowExecutionDecision.complete)
_register_builder(DecisionType.FAIL_WORKFLOW_EXECUTION, WorkflowExecutionDecision.fail)
_register_builder(DecisionType.CANCEL_WORKFLOW_EXECUTION, WorkflowExecutionDecision.cancel)
_register_builder(
    DecisionType.CONTINUE_AS_NEW_WORKFLOW_EXECUTION, WorkflowExecutionDecision.continue_as_new
)
_register_builder(DecisionType.START_CHILD_WORKFLOW_EXECUTION, ChildWorkflowExecutionDecision.start)
_register_builder(
    DecisionType.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION, ExternalWorkflowExecutionDecision.signal
)
_register_builder(
    DecisionType.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
    ExternalWorkflowExecutionDecision.request_cancel,
)
