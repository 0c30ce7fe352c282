"""How the engine names what a workflow does, and fingerprints its calls.

Ids are deterministic and readable in ``swf history``: ``"{name}-{n}"`` for the n-th
submission of an activity, ``"sleep-{n}"`` for the n-th timer, ``"{workflow id}-{name}-{n}"``
for a child workflow. SWF allows 256 characters; a longer name keeps its beginning and a hash
(:func:`bounded`). Each scheduling decision carries a :func:`fingerprint` of its call in its
``control`` (:func:`control`), which the replay compares.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from swf import constants

__all__ = ["bounded", "call_of", "control", "fingerprint", "fingerprint_of"]


def fingerprint(kind: str, name: str, version: str, payload: str | None) -> str:
    """A short fingerprint of a call: 12 hex digits of SHA-1 over its kind, type, version
    and encoded input (kept in the ``control`` of the decision that made it)."""
    text = f"{kind}\0{name}\0{version}\0{payload or ''}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def control(fingerprint: str, call: str | None = None) -> str:
    """The ``control`` of a decision: its call's fingerprint, and the call's own id when the
    entity's id does not say which call made it (signals and cancel requests)."""
    if call is None:
        return f'{{"swf.flow":"{fingerprint}"}}'
    return json.dumps({"swf.flow": fingerprint, "call": call}, separators=(",", ":"))


def call_of(text: str | None) -> str | None:
    """The call id in a ``control`` written by :func:`control` (None: none, or not ours)."""
    if not text or '"call"' not in text:
        return None
    try:
        found: Any = json.loads(text).get("call")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def fingerprint_of(text: str | None) -> str | None:
    """The fingerprint in a ``control`` written by :func:`control` (None: not ours)."""
    if not text or '"swf.flow"' not in text:
        return None
    try:
        found: Any = json.loads(text).get("swf.flow")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def bounded(name: str, suffix: str = "") -> str:
    """``"{name}-{suffix}"`` (or ``name``) within SWF's 256 characters: a longer name keeps
    its beginning and a hash of itself."""
    text = f"{name}-{suffix}" if suffix else name
    if len(text) <= constants.MAX_NAME_LENGTH:
        return text
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
    room = constants.MAX_NAME_LENGTH - len(digest) - len(suffix) - 2
    return f"{name[:room]}-{digest}" + (f"-{suffix}" if suffix else "")
