"""The :class:`DomainQuerySet`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from swf import constants
from swf.core import ClientLike
from swf.models.base import to_name, to_status
from swf.models.domain import Domain
from swf.querysets.base import QuerySet, Request, named_filters

__all__ = ["DomainQuerySet"]


class DomainQuerySet(QuerySet[Domain]):
    """The domains of the account (and region).

    Example::

        >>> DomainQuerySet().get("media")
        Domain('media', retention_period='60')
        >>> [d.name for d in DomainQuerySet().filter(status=DEPRECATED)]

    Listed domains have ``retention_period=None``: ListDomains does not return it
    (``get`` and :meth:`Domain.upstream <swf.models.Domain.upstream>` do).

    Args:
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None``.
    """

    model = Domain

    def __init__(self, *, client: ClientLike = None) -> None:
        super().__init__(client=client)

    @named_filters
    def filter(self, *, status: str | None = None, name: str | None = None) -> DomainQuerySet:
        """Return a QuerySet narrowed by registration status and/or name (nothing is sent).

        Args:
            status: ``'REGISTERED'`` (the default of listings) or ``'DEPRECATED'``.
            name: an exact domain name.

        Raises:
            swf.exceptions.InvalidTypeError: an unknown filter (named, with the known ones).
        """
        filters: dict[str, Any] = {}
        if status is not None:
            filters["status"] = to_status(status)
        if name is not None:
            filters["name"] = to_name(name)
        return self._clone(**filters)

    def _requests(self) -> list[Request]:
        status = self._filters.get("status", constants.REGISTERED)
        return [Request("ListDomains", {"registrationStatus": status}, "domainInfos")]

    def _builder(self) -> Callable[[Mapping[str, Any]], Domain]:
        connection = self.connection
        return lambda info: Domain.from_api(info, client=connection)

    def _predicate(self) -> Callable[[Mapping[str, Any]], bool] | None:
        name = self._filters.get("name")
        if name is None:
            return None
        return lambda info: info["name"] == name

    def get(self, name: str) -> Domain:
        """Read one domain (DescribeDomain).

        Raises:
            Domain.DoesNotExist: no domain with that name.
        """
        return Domain(name, client=self.connection).upstream()

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        retention_period: Any = 30,
    ) -> Domain:
        """Register a domain and return it.

        Raises:
            Domain.AlreadyExists: a domain with that name exists.
        """
        domain = Domain(
            name,
            description=description,
            retention_period=retention_period,
            client=self.connection,
        )
        domain.save()
        return domain

    def get_or_create(
        self,
        name: str,
        *,
        description: str | None = None,
        retention_period: Any = 30,
    ) -> tuple[Domain, bool]:
        """Get the domain, or register it; race-safe (a concurrent registration is read back).

        Returns:
            ``(domain, created)``.
        """
        domain = Domain(  # bad input fails here, before any request
            name,
            description=description,
            retention_period=retention_period,
            client=self.connection,
        )
        try:
            return domain.upstream(), False
        except Domain.DoesNotExist:
            pass
        try:
            domain.save()
        except Domain.AlreadyExists:
            return domain.upstream(), False
        return domain, True
