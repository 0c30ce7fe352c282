"""Read-only ``dict`` and ``list`` subclasses.

They are real ``dict`` and ``list`` instances (botocore's parameter validation accepts
structures only when they are), compare equal to the plain values they hold and print like
them, but refuse every change after they are built. Decisions are built from them, and the
compiled history's mappings are :class:`FrozenDict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

__all__ = ["FrozenDict", "FrozenList", "freeze", "thaw"]

_K = TypeVar("_K")
_V = TypeVar("_V")
_D = TypeVar("_D", bound="FrozenDict[Any, Any]")


def _refuse(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    """Refused, as every change: the value is immutable (raises ``TypeError``)."""
    raise TypeError(f"{type(self).__name__} is immutable; build a new one instead")


class FrozenDict(dict[_K, _V]):
    """A ``dict`` that refuses every change after it is built (:meth:`of` builds one)."""

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    @classmethod
    def of(cls: type[_D], data: Mapping[Any, Any]) -> _D:
        """Build one holding the items of ``data`` (not copied deeper)."""
        obj = cls.__new__(cls)
        dict.update(obj, data)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle and copy rebuild a dict subclass item by item through __setitem__;
        # rebuild it from a plain dict instead (decisions cross process boundaries).
        return (type(self).of, (dict(self),))

    def __copy__(self: _D) -> _D:
        return self  # immutable: a copy is the same value

    def __deepcopy__(self: _D, memo: dict[int, Any]) -> _D:
        return self


class FrozenList(list[_V]):
    """A ``list`` that refuses every change after it is built."""

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __iadd__ = _refuse
    __imul__ = _refuse
    append = _refuse
    clear = _refuse
    extend = _refuse
    insert = _refuse
    pop = _refuse
    remove = _refuse
    reverse = _refuse
    sort = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (list(self),))


def freeze(value: Any) -> Any:
    """A deep read-only copy of a JSON-like value: mappings become :class:`FrozenDict`, lists
    and tuples :class:`FrozenList`; ``None`` values of mappings are left out."""
    if isinstance(value, Mapping):
        return FrozenDict.of({k: freeze(v) for k, v in value.items() if v is not None})
    if isinstance(value, list | tuple):
        # a list subclass, not a tuple: it must compare equal to the plain list SWF expects
        return FrozenList(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A deep plain (mutable) copy of a value built by :func:`freeze`."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value
