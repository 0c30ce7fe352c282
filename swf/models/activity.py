"""The :class:`ActivityType` model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from swf import constants
from swf.exceptions import AlreadyExistsError, DoesNotExistError
from swf.models.base import Model, _utc, to_priority
from swf.models.domain import Domain
from swf.models.workflow import (
    _description,
    _status,
    _task_list,
    _to_domain,
    _type_name,
    _version,
)
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
class ActivityType(Model):
    """An activity type: a named, versioned kind of task, with its registered defaults.

    Example::

        >>> ActivityType("media", "resize", "1", task_list="images",
        ...              task_start_to_close_timeout=300).save()

    Attributes:
        domain: the domain (a string is turned into ``Domain(name)``).
        name: the type name.
        version: the type version (at most 64 characters).
        status: ``'REGISTERED'`` or ``'DEPRECATED'``.
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

    _positional = ("domain", "name", "version")

    domain: Domain = attrs.field(converter=_to_domain)
    name: str = attrs.field(converter=_type_name)
    version: str = attrs.field(converter=_version)
    status: str = attrs.field(default=constants.REGISTERED, converter=_status)
    task_list: str | None = attrs.field(default=None, converter=_task_list)
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
    description: str | None = attrs.field(default=None, converter=_description)
    creation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)
    deprecation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the type in SWF: ``(domain name, name, version)``."""
        return (self.domain.name, self.name, self.version)

    @classmethod
    def from_api(
        cls,
        domain: Domain,
        info: Mapping[str, Any],
        configuration: Mapping[str, Any] | None = None,
        *,
        client: Any = None,
        raw: Mapping[str, Any] | None = None,
    ) -> ActivityType:
        """Build from an ``ActivityTypeInfo`` (and its configuration when described).

        Args:
            domain: the domain the type was read from.
            info: ``typeInfo`` of DescribeActivityType, or an item of ListActivityTypes.
            configuration: ``configuration`` of DescribeActivityType, if known.
            client: the connection to keep.
            raw: the whole response, kept in ``raw``.
        """
        ref = info["activityType"]
        conf = configuration or {}
        return cls._make(
            domain=domain,
            name=ref["name"],
            version=ref["version"],
            status=info.get("status", constants.REGISTERED),
            task_list=(conf.get("defaultTaskList") or {}).get("name"),
            task_heartbeat_timeout=conf.get("defaultTaskHeartbeatTimeout"),
            task_schedule_to_close_timeout=conf.get("defaultTaskScheduleToCloseTimeout"),
            task_schedule_to_start_timeout=conf.get("defaultTaskScheduleToStartTimeout"),
            task_start_to_close_timeout=conf.get("defaultTaskStartToCloseTimeout"),
            task_priority=conf.get("defaultTaskPriority"),
            description=info.get("description"),
            creation_date=_utc(info.get("creationDate")),
            deprecation_date=_utc(info.get("deprecationDate")),
            client=client,
            raw=raw if raw is not None else info,
        )

    def to_api(self) -> dict[str, Any]:
        """The parameters of RegisterActivityType for this type."""
        return {
            "domain": self.domain.name,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "defaultTaskList": {"name": self.task_list} if self.task_list else None,
            "defaultTaskHeartbeatTimeout": self.task_heartbeat_timeout,
            "defaultTaskScheduleToCloseTimeout": self.task_schedule_to_close_timeout,
            "defaultTaskScheduleToStartTimeout": self.task_schedule_to_start_timeout,
            "defaultTaskStartToCloseTimeout": self.task_start_to_close_timeout,
            "defaultTaskPriority": self.task_priority,
        }

    def to_ref(self) -> dict[str, str]:
        """The ``ActivityType`` reference SWF requests carry: ``{'name': ..., 'version': ...}``."""
        return {"name": self.name, "version": self.version}

    def save(self) -> None:
        """Register the type (RegisterActivityType).

        Raises:
            ActivityType.AlreadyExists: that name and version are already registered.
            swf.exceptions.DoesNotExistError: the domain does not exist.
        """
        self.connection.call("RegisterActivityType", self.to_api(), overrides=self._overrides())

    def delete(self) -> None:
        """Deprecate the type (DeprecateActivityType)."""
        self.connection.call(
            "DeprecateActivityType",
            domain=self.domain.name,
            activityType=self.to_ref(),
            overrides=self._overrides(),
        )

    def undeprecate(self) -> None:
        """Undeprecate a deprecated type (UndeprecateActivityType)."""
        self.connection.call(
            "UndeprecateActivityType",
            domain=self.domain.name,
            activityType=self.to_ref(),
            overrides=self._overrides(),
        )

    def upstream(self) -> ActivityType:
        """Read the type from SWF (DescribeActivityType).

        Raises:
            ActivityType.DoesNotExist: no such type in the domain.
        """
        response = self.connection.call(
            "DescribeActivityType",
            domain=self.domain.name,
            activityType=self.to_ref(),
            overrides=self._overrides(),
        )
        return ActivityType.from_api(
            self.domain,
            response["typeInfo"],
            response.get("configuration"),
            client=self.client,
            raw=response,
        )
