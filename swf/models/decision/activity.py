"""Decisions about activity tasks and Lambda tasks."""

from __future__ import annotations

from typing import Any

from swf import constants
from swf.models.decision.base import (
    Decision,
    DecisionType,
    _register_builder,
    check_duration,
    check_id,
    check_label,
    check_payload_field,
    check_priority,
    task_list_field,
    type_ref_field,
)

__all__ = ["ActivityTaskDecision", "LambdaFunctionDecision"]


class ActivityTaskDecision(Decision):
    """Schedule an activity task, or request its cancellation."""

    __slots__ = ()

    @classmethod
    def schedule(
        cls,
        activity_id: str,
        activity_type: Any,
        *,
        version: str | None = None,
        input: str | None = None,
        control: str | None = None,
        task_list: Any = None,
        task_priority: int | str | None = None,
        schedule_to_close_timeout: Any = None,
        schedule_to_start_timeout: Any = None,
        start_to_close_timeout: Any = None,
        heartbeat_timeout: Any = None,
    ) -> ActivityTaskDecision:
        """Build a ``ScheduleActivityTask`` decision.

        Args:
            activity_id: the activity's id in this execution (1 to 256 characters).
            activity_type: an :class:`~swf.models.ActivityType`, a ``(name, version)``
                pair, or a name with ``version=``.
            version: the type's version, when ``activity_type`` is a name.
            input: the activity's input (at most 32,768 characters).
            control: data for the decider, not sent to the worker.
            task_list: the task list; by default the type's registered default (an
                ActivityType without one makes this argument required).
            task_priority: the task priority (a whole number).
            schedule_to_close_timeout: seconds, a ``timedelta`` or ``'NONE'``; each timeout
                defaults to the type's registered one.
            schedule_to_start_timeout: likewise.
            start_to_close_timeout: likewise.
            heartbeat_timeout: likewise.

        Raises:
            InvalidDecisionError: a missing or invalid field (named, with its value).
        """
        kind = DecisionType.SCHEDULE_ACTIVITY_TASK
        type_ref, model = type_ref_field(kind, activity_type, version, "activity_type")
        attributes = {
            "activityType": type_ref,
            "activityId": check_id(kind, activity_id, "activity_id"),
            "control": check_payload_field(kind, control, "control"),
            "input": check_payload_field(kind, input, "input"),
            "scheduleToCloseTimeout": check_duration(
                kind, schedule_to_close_timeout, "schedule_to_close_timeout"
            ),
            "taskList": task_list_field(kind, task_list, model, kind="activity type"),
            "taskPriority": check_priority(kind, task_priority),
            "scheduleToStartTimeout": check_duration(
                kind, schedule_to_start_timeout, "schedule_to_start_timeout"
            ),
            "startToCloseTimeout": check_duration(
                kind, start_to_close_timeout, "start_to_close_timeout"
            ),
            "heartbeatTimeout": check_duration(kind, heartbeat_timeout, "heartbeat_timeout"),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]

    @classmethod
    def request_cancel(cls, activity_id: str) -> ActivityTaskDecision:
        """Build a ``RequestCancelActivityTask`` decision.

        Raises:
            InvalidDecisionError: ``activity_id`` is missing or invalid.
        """
        kind = DecisionType.REQUEST_CANCEL_ACTIVITY_TASK
        attributes = {"activityId": check_id(kind, activity_id, "activity_id")}
        return cls._build(kind, attributes)  # type: ignore[return-value]


class LambdaFunctionDecision(Decision):
    """Schedule an AWS Lambda function as a task of the workflow."""

    __slots__ = ()

    @classmethod
    def schedule(
        cls,
        id: str,
        name: str,
        *,
        input: str | None = None,
        control: str | None = None,
        start_to_close_timeout: Any = None,
    ) -> LambdaFunctionDecision:
        """Build a ``ScheduleLambdaFunction`` decision.

        Args:
            id: the Lambda task's id in this execution (1 to 256 characters).
            name: the Lambda function's name (1 to 64 characters).
            input: the function's input (at most 32,768 characters).
            control: data for the decider.
            start_to_close_timeout: seconds or a ``timedelta`` (``'NONE'`` is not allowed).

        Raises:
            InvalidDecisionError: a missing or invalid field.
        """
        kind = DecisionType.SCHEDULE_LAMBDA_FUNCTION
        attributes = {
            "id": check_id(kind, id, "id"),
            "name": check_label(kind, name, "name", max_length=constants.MAX_LAMBDA_NAME_LENGTH),
            "control": check_payload_field(kind, control, "control"),
            "input": check_payload_field(kind, input, "input"),
            "startToCloseTimeout": check_duration(
                kind, start_to_close_timeout, "start_to_close_timeout", allow_none=False
            ),
        }
        return cls._build(kind, attributes)  # type: ignore[return-value]


_register_builder(DecisionType.SCHEDULE_ACTIVITY_TASK, ActivityTaskDecision.schedule)
_register_builder(DecisionType.REQUEST_CANCEL_ACTIVITY_TASK, ActivityTaskDecision.request_cancel)
_register_builder(DecisionType.SCHEDULE_LAMBDA_FUNCTION, LambdaFunctionDecision.schedule)
