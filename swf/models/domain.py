"""The :class:`Domain` model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from swf import constants
from swf.exceptions import AlreadyExistsError, DoesNotExistError, InvalidTypeError
from swf.models.base import Model, to_description, to_name, to_status
from swf.validation import check_name, to_retention_days

__all__ = ["Domain", "to_domain"]


def _retention(value: Any) -> str | None:
    return None if value is None else to_retention_days(value, "retention_period")


@attrs.frozen(repr=False, getstate_setstate=False)
class Domain(Model):
    """An SWF domain.

    Example::

        >>> d = Domain("media", description="images", retention_period=60)
        >>> d.save()        # RegisterDomain
        >>> d.exists
        True

    Attributes:
        name: the domain name.
        status: ``'REGISTERED'`` or ``'DEPRECATED'``.
        description: free text, at most 1024 characters.
        retention_period: how long SWF keeps closed executions, in days (0 to 90), as SWF's
            string (``'30'``). ``None`` when unknown: ListDomains does not return it.
    """

    class DoesNotExist(DoesNotExistError):
        """The domain does not exist."""

    class AlreadyExists(AlreadyExistsError):
        """A domain with that name is already registered."""

    _positional = ("name",)

    name: str = attrs.field(converter=to_name)
    status: constants.RegistrationStatus = attrs.field(
        default=constants.REGISTERED, converter=to_status
    )
    description: str | None = attrs.field(default=None, converter=to_description)
    retention_period: str | None = attrs.field(default="30", converter=_retention)

    @property
    def key(self) -> str:
        """What identifies the domain in SWF: its name."""
        return self.name

    @classmethod
    def from_api(
        cls,
        info: Mapping[str, Any],
        configuration: Mapping[str, Any] | None = None,
        *,
        client: Any = None,
        raw: Mapping[str, Any] | None = None,
    ) -> Domain:
        """Build from a ``DomainInfo`` (and a ``DomainConfiguration`` when described).

        Args:
            info: ``domainInfo`` of DescribeDomain, or an item of ListDomains.
            configuration: ``configuration`` of DescribeDomain, if known.
            client: the connection to keep.
            raw: the whole response, kept in ``raw``.
        """
        retention = (configuration or {}).get("workflowExecutionRetentionPeriodInDays")
        return cls._make(
            name=info["name"],
            status=info.get("status", constants.REGISTERED),
            description=info.get("description"),
            retention_period=retention,
            client=client,
            raw=raw if raw is not None else info,
        )

    def to_api(self) -> dict[str, Any]:
        """The parameters of RegisterDomain for this domain."""
        return {
            "name": self.name,
            "description": self.description,
            "workflowExecutionRetentionPeriodInDays": self.retention_period or "30",
        }

    def save(self) -> None:
        """Register the domain (RegisterDomain).

        Raises:
            Domain.AlreadyExists: a domain with that name is already registered.
        """
        self.connection.call("RegisterDomain", self.to_api(), overrides=self._overrides())

    def delete(self) -> None:
        """Deprecate the domain (DeprecateDomain); SWF never removes a domain."""
        self.connection.call("DeprecateDomain", name=self.name, overrides=self._overrides())

    def undeprecate(self) -> None:
        """Undeprecate a deprecated domain (UndeprecateDomain)."""
        self.connection.call("UndeprecateDomain", name=self.name, overrides=self._overrides())

    def upstream(self) -> Domain:
        """Read the domain from SWF (DescribeDomain).

        Raises:
            Domain.DoesNotExist: no domain with that name.
        """
        response = self.connection.call(
            "DescribeDomain", name=self.name, overrides=self._overrides()
        )
        return Domain.from_api(
            response["domainInfo"], response.get("configuration"), client=self.client, raw=response
        )

    def count_pending_activity_tasks(self, task_list: str) -> int:
        """How many activity tasks wait in a task list of the domain (CountPendingActivityTasks).

        A backlog that grows while nothing polls means no worker serves the task list.

        Args:
            task_list: the task list's name.

        Returns:
            The number of scheduled activity tasks no worker has taken yet.

        Raises:
            Domain.DoesNotExist: no domain with that name.
        """
        return self._count_pending("CountPendingActivityTasks", task_list)

    def count_pending_decision_tasks(self, task_list: str) -> int:
        """How many decision tasks wait in a task list of the domain (CountPendingDecisionTasks).

        Args:
            task_list: the task list's name.

        Returns:
            The number of scheduled decision tasks no decider has taken yet.

        Raises:
            Domain.DoesNotExist: no domain with that name.
        """
        return self._count_pending("CountPendingDecisionTasks", task_list)

    def _count_pending(self, operation: str, task_list: str) -> int:
        response = self.connection.call(
            operation,
            domain=self.name,
            taskList={"name": check_name(task_list, "task_list")},
            overrides=self._overrides(),
        )
        return int(response.get("count", 0))


def to_domain(value: Any) -> Domain:
    """A domain argument: a :class:`Domain` as is, a name as ``Domain(name)``.

    Raises:
        InvalidTypeError: neither a Domain nor a string.
    """
    if isinstance(value, Domain):
        return value
    if isinstance(value, str):
        return Domain(value)
    raise InvalidTypeError(
        f"domain must be a Domain or a domain name, got {type(value).__name__} {value!r:.80}",
        argument="domain",
        value=value,
    )
