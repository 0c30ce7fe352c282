"""The model base class, and the values of a comparison: :class:`ModelDiff`, :class:`Difference`.

Every model is a frozen attrs class with slots. Two fields sit outside the value: ``client``
(the connection used to talk to SWF) and ``raw`` (the response the model was read from). Both
are left out of equality, hashing and ``repr``; ``client`` is not pickled either (an unpickled
model talks through the default connection).

Diffing is a pure function over :func:`attrs.fields` (:meth:`Model.diff`); :attr:`Model.changes`
and :attr:`Model.is_synced` combine it with one :meth:`Model.upstream` read.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs
from dateutil.tz import tzlocal as _tzlocal

from swf import constants
from swf.core import Connection, get_connection
from swf.exceptions import (
    AlreadyExistsError,
    DoesNotExistError,
    InvalidTypeError,
    ResponseError,
    ValidationError,
)
from swf.validation import check_choice, check_name, check_payload

__all__ = ["Difference", "Model", "ModelDiff", "TypeModel"]

if TYPE_CHECKING:
    from swf.models.domain import Domain

_M = TypeVar("_M", bound="Model")
_T = TypeVar("_T", bound="TypeModel")
_K = TypeVar("_K")
_UTC = dt.timezone.utc
_DATETIME = dt.datetime
#: ``datetime(state_bytes, tzinfo)``: the constructor pickling uses.
_from_state: Callable[[Any, dt.tzinfo], dt.datetime] = dt.datetime  # type: ignore[assignment]


def _to_connection(value: Any) -> Connection | None:
    """The converter of the ``client`` field: keep None (the default connection), wrap the rest."""
    return None if value is None else get_connection(value)


def _plain(value: Any) -> Any:
    """Turn a string enum into its wire string; leave the rest alone."""
    return value.value if isinstance(value, enum.Enum) else value


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """An aware datetime from SWF (botocore gives local time zones) as UTC; cheap if UTC."""
    if value is None:
        return None
    tz = value.tzinfo
    if tz is _UTC:
        return value
    if type(tz) is _tzlocal and type(value) is _DATETIME and not getattr(tz, "_hasdst", True):
        # botocore gives each timestamp its own dateutil tzlocal; without DST it has one fixed
        # offset, so skip its slow utcoffset. The same wall time, re-labelled UTC, is built
        # from the pickled state (4x cheaper than replace(tzinfo=...)), then shifted.
        offset = getattr(tz, "_std_offset", None)
        if isinstance(offset, dt.timedelta):
            moved = _from_state(value.__reduce__()[1][0], _UTC)
            return moved - offset if offset else moved
    return value.astimezone(_UTC)


@attrs.frozen(repr=False)
class Difference:
    """One field whose local value differs from SWF's.

    Attributes:
        attr: the field name, e.g. ``'status'``.
        local: the value of the local model.
        upstream: the value SWF holds.
    """

    attr: str
    local: Any
    upstream: Any

    def __repr__(self) -> str:
        return f"Difference({self.attr!r}, {self.local!r}, {self.upstream!r})"


@attrs.frozen(repr=False)
class ModelDiff:
    """The differences between two models, field by field (empty when they agree).

    Supports ``len()``, iteration over :class:`Difference` values, ``'status' in diff`` (by field
    name, or a :class:`Difference`), ``diff['status']`` and truth testing.

    Attributes:
        differences: the differences, in field order.
    """

    differences: tuple[Difference, ...] = ()

    def __len__(self) -> int:
        return len(self.differences)

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    def __bool__(self) -> bool:
        return bool(self.differences)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Difference):
            return item in self.differences
        return any(d.attr == item for d in self.differences)

    def __getitem__(self, attr: str) -> Difference:
        for difference in self.differences:
            if difference.attr == attr:
                return difference
        raise KeyError(attr)

    def __repr__(self) -> str:
        return f"ModelDiff({', '.join(map(repr, self.differences))})"

    def as_dict(self) -> dict[str, tuple[Any, Any]]:
        """Return ``{attr: (local, upstream)}``."""
        return {d.attr: (d.local, d.upstream) for d in self.differences}


def trusted_class(cls: type[_M]) -> Any:
    """A mutable twin of the model class ``cls``, for trusted constructors (built once).

    The twin subclasses ``cls`` with no slots of its own and the plain ``object.__setattr__``,
    so that ``obj.field = value`` on it is a plain slot store (CPython specialises it: about
    8 ns, against some 45 ns through the slot descriptor and far more through attrs' frozen
    ``__setattr__``). A trusted constructor creates a twin with ``object.__new__``, stores every
    field, then turns it into a ``cls`` by assigning ``__class__`` (legal: same slot layout).
    The result is an ordinary, frozen ``cls`` instance.
    """
    twin: type | None = cls.__dict__.get("_trusted_twin")
    if twin is None:
        twin = type(
            f"_Trusted{cls.__name__}",
            (cls,),
            {
                "__slots__": (),
                "__module__": cls.__module__,
                # Both, so that CPython keeps the generic (specialisable) tp_setattro.
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
            },
        )
        type.__setattr__(cls, "_trusted_twin", twin)
    return twin


def _maker(cls: type[_M]) -> Callable[..., _M]:
    """Compile a constructor that sets every field as given: no conversion, no validation.

    It is the trusted path used by ``from_api`` (values straight from SWF are already in the
    model's form), several times cheaper than ``__init__`` with its converters; listings
    build thousands of models. Fields not given get their defaults.
    """
    fields = attrs.fields(cls)
    namespace: dict[str, Any] = {"_new": object.__new__, "_twin": trusted_class(cls), "_cls": cls}
    params, lines = [], ["    self = _new(_twin)"]
    for field in fields:
        namespace[f"_d_{field.name}"] = _default_of(field)
        params.append(f"{field.name}=_d_{field.name}")
        lines.append(f"    self.{field.name} = {field.name}")
    lines.append("    self.__class__ = _cls")
    source = f"def make(*, {', '.join(params)}):\n" + "\n".join(lines) + "\n    return self\n"
    exec(source, namespace)  # generated from the class's own field names
    make: Callable[..., _M] = namespace["make"]
    return make


@attrs.frozen(repr=False)
class Model:
    """Base of the SWF models: immutable values that can talk to SWF.

    Subclasses define ``DoesNotExist`` and ``AlreadyExists`` (raised in place of the generic
    :class:`~swf.exceptions.DoesNotExistError` and :class:`~swf.exceptions.AlreadyExistsError`)
    and :meth:`upstream`.

    Attributes:
        client: how to reach SWF: a boto3 client, a :class:`~swf.core.Connection`, or ``None``
            for the default connection. Not part of the value (equality, hash, repr, pickle).
        raw: the SWF response this model was read from, if any; for debugging and for fields
            newer than this library. Not part of the value.
    """

    class DoesNotExist(DoesNotExistError):
        """The model does not exist in SWF."""

    class AlreadyExists(AlreadyExistsError):
        """The model already exists in SWF."""

    #: The fields shown positionally by ``repr`` (the identifiers).
    _positional: ClassVar[tuple[str, ...]] = ()

    client: Connection | None = attrs.field(
        default=None,
        kw_only=True,
        eq=False,
        repr=False,
        converter=_to_connection,
    )
    raw: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    @property
    def connection(self) -> Connection:
        """The :class:`~swf.core.Connection` this model uses (``client``, or the default)."""
        return self.client if self.client is not None else get_connection(None)

    @classmethod
    def _overrides(cls) -> dict[type[ResponseError], type[ResponseError]]:
        return {DoesNotExistError: cls.DoesNotExist, AlreadyExistsError: cls.AlreadyExists}

    @classmethod
    def _maker(cls: type[_M]) -> Callable[..., _M]:
        """The compiled trusted constructor of this class (built once, on first use)."""
        make: Callable[..., _M] | None = cls.__dict__.get("_make_fn")
        if make is None:
            make = _maker(cls)
            type.__setattr__(cls, "_make_fn", make)
        return make

    @classmethod
    def _make(cls: type[_M], **values: Any) -> _M:
        """Build without conversion or validation (values already in the model's form)."""
        return cls._maker()(**values)

    def _evolve_trusted(self: _M, **changes: Any) -> _M:
        """Like :func:`attrs.evolve`, without conversion or validation (trusted values)."""
        values = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        values.update(changes)
        return type(self)._maker()(**values)

    # -- value behaviour --------------------------------------------------------------

    def __repr__(self) -> str:
        parts = []
        for field in attrs.fields(type(self)):
            if not field.repr:
                continue
            value = getattr(self, field.name)
            if field.name in self._positional:
                parts.append(_short_repr(value))
            elif field.default is attrs.NOTHING or value != _default_of(field):
                parts.append(f"{field.name}={_short_repr(value)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __getstate__(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in attrs.fields(type(self)) if f.name != "client"
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        for field in attrs.fields(type(self)):
            object.__setattr__(self, field.name, state.get(field.name, _default_of(field)))

    def diff(self, other: Model) -> ModelDiff:
        """Compare with another model of the same class, field by field (no request).

        Args:
            other: the model to compare with, usually :meth:`upstream`.

        Returns:
            A :class:`ModelDiff` of ``Difference(attr, self's value, other's value)``.
        """
        if type(other) is not type(self):
            raise InvalidTypeError(
                f"cannot diff a {type(self).__name__} with a {type(other).__name__}",
                argument="other",
                value=other,
            )
        return ModelDiff(
            tuple(
                Difference(f.name, getattr(self, f.name), getattr(other, f.name))
                for f in attrs.fields(type(self))
                if f.eq and getattr(self, f.name) != getattr(other, f.name)
            )
        )

    # -- talking to SWF ---------------------------------------------------------------

    def upstream(self: _M) -> _M:
        """Read this model back from SWF: a new instance with SWF's values."""
        raise NotImplementedError

    @property
    def exists(self) -> bool:
        """Whether SWF knows this model (one request)."""
        try:
            self.upstream()
        except DoesNotExistError:
            return False
        return True

    @property
    def changes(self) -> ModelDiff:
        """How this model differs from SWF's version of it (one request)."""
        return self.diff(self.upstream())

    @property
    def is_synced(self) -> bool:
        """Whether this model equals SWF's version of it (one request)."""
        return not self.changes


# -- converters shared by the models ---------------------------------------------------------


def _name(value: Any) -> str:
    return check_name(value, "name")


def _status(value: Any) -> str:
    return check_choice(_plain(value), "status", constants.REGISTRATION_STATUSES)


def _description(value: Any) -> str | None:
    return check_payload(value, "description", max_length=constants.MAX_DESCRIPTION_LENGTH)


def _version(value: Any) -> str:
    return check_name(value, "version", max_length=constants.MAX_VERSION_LENGTH)


def _task_list(value: Any) -> str | None:
    return None if value is None else check_name(value, "task_list")


def _to_domain(value: Any) -> Domain:
    from swf.models.domain import Domain

    if isinstance(value, Domain):
        return value
    if isinstance(value, str):
        return Domain(value)
    raise InvalidTypeError(
        f"domain must be a Domain or a domain name, got {type(value).__name__} {value!r:.80}",
        argument="domain",
        value=value,
    )


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

    domain: Domain = attrs.field(converter=_to_domain)
    name: str = attrs.field(converter=_name)
    version: str = attrs.field(converter=_version)
    status: str = attrs.field(default=constants.REGISTERED, converter=_status)
    task_list: str | None = attrs.field(default=None, converter=_task_list)

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
            creation_date=_utc(info.get("creationDate")),
            deprecation_date=_utc(info.get("deprecationDate")),
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
            swf.exceptions.DoesNotExistError: the domain does not exist.
        """
        self.connection.call(f"Register{self._kind}", self.to_api(), overrides=self._overrides())

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


def _default_of(field: attrs.Attribute[Any]) -> Any:
    # Models use no attrs.Factory defaults: every default is an immutable value.
    return None if field.default is attrs.NOTHING else field.default


def _short_repr(value: Any) -> str:
    # A domain inside another model reads best as its name: WorkflowType('d', 'n', '1').
    name = getattr(value, "name", None)
    if type(value).__name__ == "Domain" and isinstance(name, str):
        return repr(name)
    return repr(value)


def check_type(value: Any, argument: str, kind: type[_K], *, optional: bool = True) -> _K | None:
    """Check that ``value`` is an instance of ``kind`` (or None when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, kind):
        raise InvalidTypeError(
            f"{argument} must be a {kind.__name__}, got {type(value).__name__} {value!r:.80}",
            argument=argument,
            value=value,
        )
    return value


def to_priority(value: Any, argument: str = "task_priority") -> str | None:
    """Normalise a task priority: an int (or digit string) in SWF's range, as a string."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidTypeError(
            f"{argument} must be an integer, got {type(value).__name__} {value!r:.80}",
            argument=argument,
            value=value,
        )
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(
            f"{argument} must be an integer, got {value!r:.80}", argument=argument, value=value
        ) from None
    if not -(2**31) <= number < 2**31:
        raise ValidationError(
            f"{argument} {value!r} is out of SWF's range (a 32-bit signed integer)",
            argument=argument,
            value=value,
        )
    return str(number)


def to_aware(value: Any, argument: str) -> dt.datetime | None:
    """Normalise an optional date to an aware UTC datetime (:func:`swf.validation.to_datetime`)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is _UTC:
        return value
    from swf.validation import to_datetime

    return to_datetime(value, argument)
