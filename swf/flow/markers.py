"""The engine's part for markers: ``record_marker``, ``side_effect`` and ``patched`` (a mixin
of :class:`swf.flow.engine.Run`).

The n-th ``record_marker(name)`` is the n-th marker of that name in the history; the n-th
``side_effect`` the n-th ``swf.side-effect`` marker (its value in the details); a
``patched(change_id)`` the ``swf.patch`` marker of that id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from swf import states
from swf.exceptions import InvalidTypeError
from swf.flow.encoding import decode, encode, fit
from swf.flow.state import RunState
from swf.flow.workflow import Marker
from swf.models.decision import MarkerDecision
from swf.validation import check_name

__all__ = ["PATCH_MARKER", "SIDE_EFFECT_MARKER", "MarkerCalls"]

#: The marker name under which ``side_effect`` keeps its values (one of the history's
#: :data:`~swf.models.history.recorded.VOLATILE_MARKERS`: replays compare only its name).
SIDE_EFFECT_MARKER = "swf.side-effect"
#: The marker name of ``patched``: its details are ``{"id": change_id}``.
PATCH_MARKER = "swf.patch"


class MarkerCalls(RunState):
    """Markers: what ``record_marker``, ``markers``, ``side_effect`` and ``patched`` do in a
    replay."""

    def record_marker(self, name: str, details: Any = None) -> None:
        """``Workflow.record_marker``: the n-th marker of that name, recorded once."""
        if not isinstance(name, str):
            raise InvalidTypeError(
                f"marker name must be a string, got {name!r}", argument="name", value=name
            )
        index = self._claimed_markers[name]
        if index < len(self.compiled.markers.get(name, ())):  # recorded: nothing to encode
            self._claimed_markers[name] += 1
            return
        what = f"the details of marker {name!r}"
        self._marker(name, fit(encode(details, what, limit=None), what, self.store), details)

    def _marker(self, name: str, text: str, value: Any) -> Any:
        """The n-th marker ``name``: its recorded details, or a new RecordMarker decision."""
        index = self._claimed_markers[name]
        self._claimed_markers[name] += 1
        recorded = self.compiled.markers.get(name, ())
        if index < len(recorded):
            return decode(recorded[index].details, f"the details of marker {name!r}")
        self.decisions.append(MarkerDecision.record(name, text))
        self._new_markers.append(Marker(name, value))
        return value

    def markers(self, name: str | None = None) -> list[Marker]:
        """``Workflow.markers``: recorded ones (not the engine's own), then new ones."""
        found = [
            Marker(record.name, decode(record.details, "marker details"), record.event_id)
            for records in self.compiled.markers.values()
            for record in records
            if record.state == states.RECORDED
            and (name is None or record.name == name)
            and not record.name.startswith("swf.")
        ]
        found.sort(key=lambda marker: marker.event_id or 0)
        found.extend(m for m in self._new_markers if name is None or m.name == name)
        return found

    def side_effect(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``Workflow.side_effect``: ``function``'s value, computed once, kept in a marker."""
        index = self._claimed_markers[SIDE_EFFECT_MARKER]
        recorded = self.compiled.markers.get(SIDE_EFFECT_MARKER, ())
        if index < len(recorded):
            self._claimed_markers[SIDE_EFFECT_MARKER] += 1
            return decode(recorded[index].details, "a side effect's value")["value"]
        new = index - len(recorded)
        if new < len(self._replayed_side_effects):  # replaying the task that recorded it
            text = self._replayed_side_effects[new]
            return self._marker(SIDE_EFFECT_MARKER, text, decode(text, "a side effect")["value"])
        name = getattr(function, "__qualname__", repr(function))
        value = function(*args, **kwargs)
        what = f"the value of side effect {name}"
        text = encode({"value": value}, what, limit=None)
        plain = json.loads(text)["value"]  # what every replay will return
        self._marker(SIDE_EFFECT_MARKER, fit(text, what, self.store), plain)
        return plain

    def patched(self, change_id: str) -> bool:
        """``Workflow.patched``: whether this execution runs the new code at this point.

        True when the history holds the patch's marker, or when this point runs for the first
        time (the marker is recorded now); False when an earlier decision task ran this point
        without it (the old code wrote the history). The first answer for an id holds for the
        whole run.
        """
        check_name(change_id, "change_id")
        known = self._patches.get(change_id)
        if known is not None:
            return known
        if self._patch_markers is None:
            self._patch_markers = {}
            for record in self.compiled.markers.get(PATCH_MARKER, ()):
                details = decode(record.details, "a patch marker")
                if isinstance(details, dict) and isinstance(details.get("id"), str):
                    self._patch_markers.setdefault(details["id"], record.event_id)
        if change_id in self._patch_markers:
            answer = True
        elif self.is_replaying:
            answer = False
        else:
            text = json.dumps({"id": change_id}, separators=(",", ":"))
            self.decisions.append(MarkerDecision.record(PATCH_MARKER, text))
            answer = True
        self._patches[change_id] = answer
        return answer
