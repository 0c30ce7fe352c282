"""Each event type's attribute shape, derived once from botocore's SWF service model.

SWF's ``HistoryEvent`` names, per event type, an attribute structure whose members are strings,
longs, nested structures (``taskList``, ``activityType``, ``workflowExecution``...) or lists of
strings, some of them required. Two checks are built from it, on first use:

- :func:`fast_check`: per event type, a generated function over a plain ``dict`` (what boto3
  and :func:`json.loads` give) that returns True when every required member is there and every
  known member has its JSON type; it may also raise ``KeyError`` or ``TypeError``, which means
  "no". It is the inline check of :func:`~swf.models.event.from_api_list`, the hot path of
  every decision task, so it is straight-line code: one ``type(...) is`` test per member.
- :func:`problem`: the slow path, for anything the fast check did not accept (a ``Mapping``
  that is not a ``dict``, a ``None`` member, an ``int`` subclass...): the same rules, said in
  words (``"activityType.version is required (missing)"``), or ``None`` when the attributes
  are fine after all.

Members the model does not know are accepted (a newer SWF's), and values are not checked
against enums or lengths: SWF wrote them, only their JSON type matters to a reader.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from swf.validation import shorten

__all__ = ["fast_check", "problem", "shapes"]

#: A member: (name, kind, required, nested members for a structure). Kinds are the JSON types
#: of the service model's shapes: "string", "long", "structure", "list" (of strings).
Member = tuple[str, str, bool, tuple[Any, ...]]

_KINDS = {"string": "string", "long": "long", "integer": "long", "structure": "structure"}
_WORDS = {
    "string": "a string",
    "long": "an integer",
    "structure": "a mapping",
    "list": "a list of strings",
}


def _members(shape: Any) -> tuple[Member, ...]:
    required = set(shape.required_members)
    members = []
    for name, member in shape.members.items():
        kind = "list" if member.type_name == "list" else _KINDS[member.type_name]
        nested = _members(member) if kind == "structure" else ()
        members.append((name, kind, name in required, nested))
    # Required members first: the fast check fails sooner on what matters most.
    return tuple(sorted(members, key=lambda m: not m[2]))


@functools.cache
def shapes() -> dict[str, tuple[Member, ...]]:
    """``eventType -> its attribute members``, for the 54 event types of the model."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("swf")
    found = {}
    for key, shape in model.shape_for("HistoryEvent").members.items():
        if key.endswith("EventAttributes"):
            event_type = key[0].upper() + key[1 : -len("EventAttributes")]
            found[event_type] = _members(shape)
    return found


def problem(event_type: str, attributes: Mapping[str, Any]) -> str | None:
    """What is wrong with ``attributes`` for ``event_type`` (``None``: nothing, or no shape)."""
    members = shapes().get(event_type)
    return None if members is None else _problem(attributes, members, "")


def _problem(value: Mapping[str, Any], members: tuple[Member, ...], path: str) -> str | None:
    for name, kind, required, nested in members:
        where = path + name
        item = value.get(name)
        if item is None:
            if required:
                shown = "missing" if name not in value else "got None"
                return f"{where} is required ({shown})"
            continue
        if kind == "string":
            good = isinstance(item, str)
        elif kind == "long":
            good = isinstance(item, int) and not isinstance(item, bool)
        elif kind == "list":
            good = isinstance(item, list | tuple) and all(isinstance(t, str) for t in item)
        else:
            good = isinstance(item, Mapping)
        if not good:
            return f"{where} must be {_WORDS[kind]}, not {type(item).__name__} {shorten(item)}"
        if kind == "structure":
            found = _problem(item, nested, where + ".")
            if found is not None:
                return found
    return None


# -- the generated fast checks ------------------------------------------------------------


def _list_of_strings(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _conditions(members: tuple[Member, ...], var: str, lines: list[str], depth: int) -> list[str]:
    """Python conditions (and the assignments they need, in ``lines``) checking ``var``."""
    conditions = []
    for index, (name, kind, required, nested) in enumerate(members):
        key = repr(name)
        if kind == "structure":
            if required:
                sub = f"s{depth}_{index}"
                lines.append(f"    {sub} = {var}[{key}]")
                conditions.append(f"type({sub}) is dict")
                conditions.extend(_conditions(nested, sub, lines, depth + 1))
            else:
                check = _structure_check(nested)
                conditions.append(f"({key} not in {var} or _structure[{check}]({var}[{key}]))")
        elif kind == "list":
            conditions.append(f"({key} not in {var} or _list_of_strings({var}[{key}]))")
        else:
            python = "str" if kind == "string" else "int"
            if required:
                conditions.append(f"type({var}[{key}]) is {python}")
            else:
                default = "''" if kind == "string" else "0"
                conditions.append(f"type({var}.get({key}, {default})) is {python}")
    return conditions


_structures: dict[tuple[Member, ...], int] = {}
_structure_checks: list[Callable[[Any], bool]] = []


def _structure_check(members: tuple[Member, ...]) -> int:
    """The index, in ``_structure``, of the check of an optional structure member."""
    index = _structures.get(members)
    if index is None:
        index = _structures[members] = len(_structure_checks)
        _structure_checks.append(_compile("structure", members, is_dict=True))
    return index


def _compile(name: str, members: tuple[Member, ...], *, is_dict: bool = False) -> Any:
    lines: list[str] = []
    conditions = _conditions(members, "a", lines, 0)
    if is_dict:  # a nested structure: its type first, before reading its members
        lines.insert(0, "    if type(a) is not dict:\n        return False")
    body = "".join(line + "\n" for line in lines)
    source = f"def check(a):\n{body}    return {' and '.join(conditions) or 'True'}\n"
    namespace: dict[str, Any] = {
        "_structure": _structure_checks,
        "_list_of_strings": _list_of_strings,
    }
    exec(compile(source, f"<swf event shape {name}>", "exec"), namespace)
    return namespace["check"]


@functools.cache
def fast_check(event_type: str) -> Callable[[dict[str, Any]], bool] | None:
    """The generated check of ``event_type``'s attributes (``None``: no shape known).

    It returns True when the plain-dict attributes fit the shape; False, ``KeyError`` or
    ``TypeError`` all mean "ask :func:`problem`".
    """
    members = shapes().get(event_type)
    if members is None:
        return None
    check: Callable[[dict[str, Any]], bool] = _compile(event_type, members)
    return check
