"""Attribute dicts that fit each event type's shape in botocore's SWF service model.

Read straight from the model (not through swf), so tests that need "some valid event of each
type" build one, and the shape checks of history loading have an independent oracle.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session


@functools.cache
def _history_event() -> Any:
    return botocore.session.get_session().get_service_model("swf").shape_for("HistoryEvent")


def attribute_shapes() -> dict[str, Any]:
    """``eventType -> its attributes' botocore shape``."""
    return {
        key[0].upper() + key[1 : -len("EventAttributes")]: shape
        for key, shape in _history_event().members.items()
        if key.endswith("EventAttributes")
    }


def sample(shape: Any, *, optional: bool = False) -> Any:
    """A value of ``shape``: its required members only (all members when ``optional``)."""
    kind = shape.type_name
    if kind == "structure":
        names = shape.members if optional else shape.required_members
        return {name: sample(shape.members[name], optional=optional) for name in names}
    if kind == "list":
        return ["tag"]
    if kind in ("long", "integer"):
        return 1
    return shape.enum[0] if shape.enum else "x"


def required_attributes(event_type: str) -> dict[str, Any]:
    """The smallest attribute dict an event of ``event_type`` may have."""
    result: dict[str, Any] = sample(attribute_shapes()[event_type])
    return result


def full_attributes(event_type: str) -> dict[str, Any]:
    """An attribute dict of ``event_type`` with every member the model knows."""
    result: dict[str, Any] = sample(attribute_shapes()[event_type], optional=True)
    return result
