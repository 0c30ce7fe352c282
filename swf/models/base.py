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
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeVar, cast

import attrs

from swf import constants
from swf.core import Connection, get_connection
from swf.exceptions import (
    AlreadyExistsError,
    DoesNotExistError,
    InvalidTypeError,
    ResponseError,
    ValidationError,
)
from swf.validation import check_choice, check_name, check_payload, to_datetime, to_utc

__all__ = [
    "Difference",
    "Model",
    "ModelDiff",
    "check_type",
    "optional_utc",
    "to_aware",
    "to_description",
    "to_name",
    "to_plain",
    "to_priority",
    "to_status",
    "to_task_list",
    "to_version",
]

_M = TypeVar("_M", bound="Model")
_K = TypeVar("_K")


def _to_connection(value: Any) -> Connection | None:
    """The converter of the ``client`` field: keep None (the default connection), wrap the rest."""
    return None if value is None else get_connection(value)


def to_plain(value: Any) -> Any:
    """Turn a string enum into its wire string; leave the rest alone."""
    return value.value if isinstance(value, enum.Enum) else value


def optional_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A timestamp from SWF as an aware UTC datetime (:func:`swf.validation.to_utc`), or None."""
    return None if value is None else to_utc(value)


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
    def _make(cls: type[_M], **values: Any) -> _M:
        """Build without conversion or validation: for values read from SWF, already in the
        model's form (listings build thousands of models). Fields not given take their
        defaults."""
        model = object.__new__(cls)
        get = values.get
        for name, store, default in _slots(cls):
            store(model, get(name, default))
        if len(values) > len(_slots(cls)) or not values.keys() <= _names(cls):
            raise TypeError(f"{cls.__name__} has no field {sorted(values.keys() - _names(cls))}")
        return model

    def _evolve_trusted(self: _M, **changes: Any) -> _M:
        """Like :func:`attrs.evolve`, without conversion or validation (trusted values)."""
        values = {name: getattr(self, name) for name, _, _ in _slots(type(self))}
        values.update(changes)
        return type(self)._make(**values)

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
                if f.eq
                and getattr(self, f.name) != getattr(other, f.name)
                and self._knows(f.name, getattr(self, f.name))
            )
        )

    def _knows(self, field: str, value: Any) -> bool:
        """Whether this model's ``value`` of ``field`` says something about SWF's.

        Every field does, here; a model whose unset fields mean "not known" (a
        :class:`~swf.models.WorkflowExecution` read from a listing, or just started) says
        which do not, so that they are never differences.
        """
        return True

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


# -- converters shared by the models (attrs converters: one argument, named errors) ---------


def to_name(value: Any) -> str:
    """A type or domain name (:func:`swf.validation.check_name`)."""
    return check_name(value, "name")


def to_status(value: Any) -> constants.RegistrationStatus:
    """A registration status: ``'REGISTERED'`` or ``'DEPRECATED'`` (an enum member too)."""
    status = check_choice(to_plain(value), "status", constants.REGISTRATION_STATUSES)
    return cast("constants.RegistrationStatus", status)


def to_description(value: Any) -> str | None:
    """An optional description, at most 1,024 characters."""
    return check_payload(value, "description", max_length=constants.MAX_DESCRIPTION_LENGTH)


def to_version(value: Any) -> str:
    """A type version, at most 64 characters."""
    return check_name(value, "version", max_length=constants.MAX_VERSION_LENGTH)


def to_task_list(value: Any) -> str | None:
    """An optional task list name."""
    return None if value is None else check_name(value, "task_list")


_SLOTS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}
_NAMES: dict[type, frozenset[str]] = {}


def _slots(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """``(field name, its slot's setter, default)`` of every field of a model class.

    The slot descriptor's own setter stores a value past the frozen ``__setattr__`` (what
    ``object.__setattr__`` does, without its lookup): computed once per class.
    """
    found = _SLOTS.get(cls)
    if found is None:
        found = _SLOTS[cls] = tuple(
            (field.name, getattr(cls, field.name).__set__, _default_of(field))
            for field in attrs.fields(cls)
        )
        _NAMES[cls] = frozenset(name for name, _, _ in found)
    return found


def _names(cls: type) -> frozenset[str]:
    _slots(cls)
    return _NAMES[cls]


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
    return None if value is None else to_datetime(value, argument)
