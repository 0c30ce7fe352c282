"""The :class:`ActivityType` model."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from swf.exceptions import AlreadyExistsError, DoesNotExistError
from swf.models.base import to_description, to_priority
from swf.models.type import TypeModel
from swf.validation import to_duration

__all__ = ["ActivityType"]


def _task_heartbeat_timeout(value: Any) -> str | None:
    return to_duration(value, "task_heartbeat_timeout")


def _task_schedule_to_close_timeout(value: Any) -> str | None:
    return to_duration(value, "task_schedule_to_close_timeout")


def _task_schedule_to_start_timeout(value: Any) -> str | None:
    return to_duration(value, "task_schedule_to_start_timeout")


def _task_start_to_close_timeout(value: Any) -> str | None:
    return to_duration(value, "task_start_to_close_timeout")


@attrs.frozen(repr=False, getstate_setstate=False)
class ActivityType(TypeModel):
    """An activity type: a named, versioned kind of task, with its registered defaults.

    Example::

        >>> ActivityType("media", "resize", "1", task_list="images",
        ...              task_start_to_close_timeout=300).save()

    Attributes:
        domain, name, version, status: as in :class:`~swf.models.TypeModel`.
        task_list: the default task list.
        task_heartbeat_timeout: the default heartbeat timeout (seconds as SWF's string, or
            ``'NONE'``).
        task_schedule_to_close_timeout: the default schedule-to-close timeout.
        task_schedule_to_start_timeout: the default schedule-to-start timeout.
        task_start_to_close_timeout: the default start-to-close timeout.
        task_priority: the default task priority (an integer, as SWF's string).
        description: free text, at most 1024 characters.
        creation_date: when SWF registered the type (not part of the value).
        deprecation_date: when SWF deprecated it (not part of the value).
    """

    class DoesNotExist(DoesNotExistError):
        """The activity type does not exist."""

    class AlreadyExists(AlreadyExistsError):
        """The activity type (name and version) is already registered."""

    _kind = "ActivityType"
    _defaults = (
        ("task_heartbeat_timeout", "defaultTaskHeartbeatTimeout"),
        ("task_schedule_to_close_timeout", "defaultTaskScheduleToCloseTimeout"),
        ("task_schedule_to_start_timeout", "defaultTaskScheduleToStartTimeout"),
        ("task_start_to_close_timeout", "defaultTaskStartToCloseTimeout"),
        ("task_priority", "defaultTaskPriority"),
    )

    task_heartbeat_timeout: str | None = attrs.field(
        default=None, converter=_task_heartbeat_timeout
    )
    task_schedule_to_close_timeout: str | None = attrs.field(
        default=None, converter=_task_schedule_to_close_timeout
    )
    task_schedule_to_start_timeout: str | None = attrs.field(
        default=None, converter=_task_schedule_to_start_timeout
    )
    task_start_to_close_timeout: str | None = attrs.field(
        default=None, converter=_task_start_to_close_timeout
    )
    task_priority: str | None = attrs.field(default=None, converter=to_priority)
    description: str | None = attrs.field(default=None, converter=to_description)
    creation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)
    deprecation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)
