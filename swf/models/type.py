"""The base of the two kinds of SWF types: :class:`TypeModel`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

import attrs

from swf import constants
from swf.exceptions import DoesNotExistError, ResponseError
from swf.models.base import (
    Model,
    optional_utc,
    to_name,
    to_status,
    to_task_list,
    to_version,
)
from swf.models.domain import Domain, to_domain

__all__ = ["TypeModel"]

_T = TypeVar("_T", bound="TypeModel")


@attrs.frozen(repr=False, getstate_setstate=False)
class TypeModel(Model):
    """Base of :class:`~swf.models.WorkflowType` and :class:`~swf.models.ActivityType`.

    A type is a name and a version in a domain, with its registered defaults. Subclasses
    name their SWF kind (``_kind``: ``'WorkflowType'`` gives RegisterWorkflowType,
    DescribeWorkflowType... and the ``workflowType`` reference) and list their defaults
    (``_defaults``: model field and SWF key, the same in Register... and in the described
    ``configuration``); saving, deprecating, describing and reading SWF's answers are shared.

    Attributes:
        domain: the domain (a string is turned into ``Domain(name)``).
        name: the type name.
        version: the type version (at most 64 characters).
        status: ``'REGISTERED'`` or ``'DEPRECATED'``.
        task_list: the default task list.
    """

    _positional = ("domain", "name", "version")
    #: The SWF name of the kind of type, e.g. ``'WorkflowType'``.
    _kind: ClassVar[str]
    #: ``(field, SWF key)`` of each registered default other than the task list.
    _defaults: ClassVar[tuple[tuple[str, str], ...]]

    domain: Domain = attrs.field(converter=to_domain)
    name: str = attrs.field(converter=to_name)
    version: str = attrs.field(converter=to_version)
    status: constants.RegistrationStatus = attrs.field(
        default=constants.REGISTERED, converter=to_status
    )
    task_list: str | None = attrs.field(default=None, converter=to_task_list)

    @classmethod
    def _ref_key(cls) -> str:
        """The key of the type reference in SWF requests, e.g. ``'workflowType'``."""
        return cls._kind[0].lower() + cls._kind[1:]

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the type in SWF: ``(domain name, name, version)``."""
        return (self.domain.name, self.name, self.version)

    @classmethod
    def from_api(
        cls: type[_T],
        domain: Domain,
        info: Mapping[str, Any],
        configuration: Mapping[str, Any] | None = None,
        *,
        client: Any = None,
        raw: Mapping[str, Any] | None = None,
    ) -> _T:
        """Build from a type info (and its configuration when described); no validation.

        Args:
            domain: the domain the type was read from.
            info: ``typeInfo`` of Describe...Type, or an item of List...Types.
            configuration: ``configuration`` of Describe...Type, if known (listings do not
                carry the registered defaults).
            client: the connection to keep.
            raw: the whole response, kept in ``raw``.
        """
        ref = info[cls._ref_key()]
        conf = configuration or {}
        return cls._make(
            domain=domain,
            name=ref["name"],
            version=ref["version"],
            status=info.get("status", constants.REGISTERED),
            task_list=(conf.get("defaultTaskList") or {}).get("name"),
            description=info.get("description"),
            creation_date=optional_utc(info.get("creationDate")),
            deprecation_date=optional_utc(info.get("deprecationDate")),
            client=client,
            raw=raw if raw is not None else info,
            **{field: conf.get(key) for field, key in cls._defaults},
        )

    def to_api(self) -> dict[str, Any]:
        """The parameters of Register...Type for this type."""
        params: dict[str, Any] = {
            "domain": self.domain.name,
            "name": self.name,
            "version": self.version,
            "defaultTaskList": {"name": self.task_list} if self.task_list else None,
        }
        for field, key in (("description", "description"), *self._defaults):
            params[key] = getattr(self, field)
        return params

    def to_ref(self) -> dict[str, str]:
        """The type reference SWF requests carry: ``{'name': ..., 'version': ...}``."""
        return {"name": self.name, "version": self.version}

    def _call(self, action: str) -> dict[str, Any]:
        """Send ``<action><kind>`` (e.g. DeprecateWorkflowType) about this type."""
        return self.connection.call(
            f"{action}{self._kind}",
            domain=self.domain.name,
            overrides=self._overrides(),
            **{self._ref_key(): self.to_ref()},
        )

    def save(self) -> None:
        """Register the type (Register...Type).

        Raises:
            swf.exceptions.AlreadyExistsError: the model's own ``AlreadyExists``, when that name
                and version are registered.
            Domain.DoesNotExist: the domain does not exist (the only thing a registration
                can refer to that may be missing).
        """
        operation = f"Register{self._kind}"
        try:
            self.connection.call(operation, self.to_api(), overrides=self._overrides())
        except DoesNotExistError as exc:
            raise self.domain_missing(exc, f"cannot register {self._describe()} in it") from exc

    def _describe(self) -> str:
        """``"workflow type 'resize' version '2'"``."""
        kind = "workflow type" if self._kind == "WorkflowType" else "activity type"
        return f"{kind} {self.name!r} version {self.version!r}"

    def domain_missing(self, error: ResponseError, doing: str) -> Domain.DoesNotExist:
        """The :class:`Domain.DoesNotExist <swf.models.Domain.DoesNotExist>` to raise when a
        request about this type found no domain.

        Args:
            error: SWF's ``UnknownResourceFault``, as raised.
            doing: what could not be done, e.g. ``"cannot register workflow type 't'
                version '1' in it"``.
        """
        domain = self.domain.name
        reason = f"{error.code}: {error.swf_message}" if error.swf_message else error.code
        return Domain.DoesNotExist(
            f"domain {domain!r} not found: {doing} ({reason})",
            code=error.code,
            operation=error.operation,
            subject=f"domain {domain!r}",
            swf_message=error.swf_message,
            domain=domain,
            name=self.name,
            version=self.version,
        )

    def delete(self) -> None:
        """Deprecate the type (Deprecate...Type)."""
        self._call("Deprecate")

    def undeprecate(self) -> None:
        """Undeprecate a deprecated type (Undeprecate...Type)."""
        self._call("Undeprecate")

    def upstream(self: _T) -> _T:
        """Read the type from SWF (Describe...Type).

        Raises:
            swf.exceptions.DoesNotExistError: the model's own ``DoesNotExist``, when there is no
                such type in the domain.
        """
        response = self._call("Describe")
        return type(self).from_api(
            self.domain,
            response["typeInfo"],
            response.get("configuration"),
            client=self.client,
            raw=response,
        )
