"""How the workflow layer writes inputs, results and details: JSON, within SWF's limits.

A workflow's or activity's input is ``{"args": [...], "kwargs": {...}}`` (simpleflow's format,
so that histories read the same); a result is the JSON of the returned value; a failed
activity's details are ``{"type": "module.Name", "message": ..., "traceback": ...}``. The
encoding is compact and deterministic (the same call always encodes to the same text). A
value over a field's 32,768 characters goes to the payload store (:mod:`swf.flow.payload`)
and the field holds its reference; with no store configured it raises
:class:`~swf.flow.errors.PayloadTooLargeError` naming the task, locally as on SWF. Decoding
reads a reference back (:func:`~swf.flow.payload.resolve`).
"""

from __future__ import annotations

import functools
import json
import json.scanner
import traceback
from collections.abc import Callable, Mapping, Sequence
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from swf import constants
from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow.errors import PayloadTooLargeError
from swf.flow.payload import PayloadStore, offload, resolve, store_from_uri
from swf.validation import shorten

__all__ = [
    "decode",
    "decode_input",
    "dumps",
    "encode",
    "encode_input",
    "error_details",
    "error_type",
    "fit",
    "loads",
]

_SEPARATORS = (",", ":")
# One encoder, built once (json.dumps with options builds a new one at each call): the
# engine encodes every submission's input at every replay, so this is its hot path.
_ENCODER = json.JSONEncoder(
    separators=_SEPARATORS, ensure_ascii=False, allow_nan=False, check_circular=False
)
_SCAN: Any = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def loads(text: str) -> Any:
    """The value of a compact JSON text (what :func:`encode` writes): ``json.loads`` without
    its per-call Python layers (the engine reads every replayed result with it).

    Raises:
        ValueError: ``text`` is not one JSON value.
    """
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        end = -1
    if end != len(text):  # whitespace around it, or not JSON: json says where
        return json.loads(text)
    return value


if c_make_encoder is not None:  # CPython's C encoder, called directly: half the cost again
    _C_ENCODE = c_make_encoder(
        None, _ENCODER.default, encode_basestring, None, ":", ",", False, False, False
    )

    def dumps(value: Any) -> str:
        """``value`` as compact JSON, unchecked: what :func:`encode` writes (the engine's
        fast path; :func:`encode` says why a value is not JSON).

        Raises:
            TypeError, ValueError: the value is not JSON.
        """
        return "".join(_C_ENCODE(value, 0))

else:  # pragma: no cover - interpreters without the C accelerator
    dumps = _ENCODER.encode  # type: ignore[assignment]


Described = str | Callable[[], str]
# The stores named by URI (a workflow's or activity's payload_store), built once each.
_store_at = functools.lru_cache(maxsize=32)(store_from_uri)


def encode(
    value: Any,
    what: Described,
    *,
    limit: int | None = constants.MAX_INPUT_LENGTH,
    store: PayloadStore | str | None = None,
) -> str:
    """``value`` as compact JSON, within a field's ``limit`` (see :func:`fit`).

    Args:
        value: what to encode.
        what: what it is, for messages (``"the input of activity 'double-1'"``), or a
            function that says it (called only for a message).
        limit: SWF's limit for the field (characters); None: the whole text (the engine
            fits it once it makes a decision of it).
        store: the payload store for a text over ``limit`` (None: the process's).

    Raises:
        InvalidTypeError: the value is not JSON (naming the value's type).
        PayloadTooLargeError: the JSON is over ``limit`` and no store takes it.
    """
    try:
        text = dumps(value)
    except (TypeError, ValueError) as exc:
        raise InvalidTypeError(
            f"{_said(what)} is not JSON ({exc}): {shorten(value)}",
            argument="payload",
            value=value,
        ) from None
    if limit is None or len(text) <= limit:
        return text
    return fit(text, what, store, limit=limit, value=value)


def fit(
    text: str,
    what: Described,
    store: PayloadStore | str | None = None,
    *,
    limit: int = constants.MAX_INPUT_LENGTH,
    value: Any = None,
) -> str:
    """``text`` as a field of SWF takes it: itself when it fits in ``limit``; else the
    reference of its copy in the payload store (``store``, else the process's).

    Raises:
        PayloadTooLargeError: it is over ``limit`` and there is no store (or over the store's
            maximum).
    """
    if len(text) <= limit:
        return text
    found = _store_at(store) if isinstance(store, str) else store
    stored = offload(text, found, what, limit=limit)
    if stored is not text:
        return stored
    raise PayloadTooLargeError(
        f"{_said(what)} is {len(text):,} characters once encoded, over SWF's limit of "
        f"{limit:,} (configure a payload store to keep larger ones: SWF_PAYLOAD_STORE)",
        size=len(text),
        limit=limit,
        value=value,
    )


def _said(what: Described) -> str:
    return what if isinstance(what, str) else what()


def decode(text: str | None, what: Described) -> Any:
    """The value of a JSON text (None stays None).

    Raises:
        ValidationError: ``text`` is not JSON (naming ``what``).
    """
    if text is None:
        return None
    text = resolve(text, what=what)
    try:
        return loads(text)
    except ValueError as exc:
        raise ValidationError(
            f"{_said(what)} is not JSON ({exc}): {shorten(text)}", argument="payload", value=text
        ) from None


def encode_input(
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    what: Described,
    *,
    limit: int | None = constants.MAX_INPUT_LENGTH,
    store: PayloadStore | str | None = None,
) -> str:
    """The input of a call: ``{"args": [...], "kwargs": {...}}`` (see :func:`encode`).

    Raises:
        InvalidTypeError: an argument is not JSON.
        PayloadTooLargeError: the input is over 32,768 characters and no store takes it.
    """
    return encode({"args": args, "kwargs": kwargs}, what, limit=limit, store=store)


def decode_input(text: str | None, what: str = "the input") -> tuple[list[Any], dict[str, Any]]:
    """``(args, kwargs)`` of an input: ``{"args", "kwargs"}``, a JSON list (positional
    arguments), another JSON value (one argument) or nothing (no argument).

    Raises:
        ValidationError: the text is not JSON, or ``args``/``kwargs`` have the wrong shape.
    """
    value = decode(text, what)
    if value is None:
        return [], {}
    if isinstance(value, list):
        return value, {}
    if isinstance(value, dict) and set(value) <= {"args", "kwargs"}:
        args, kwargs = value.get("args", []), value.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ValidationError(
                f'{what}: "args" must be a list and "kwargs" an object, got {shorten(value)}',
                argument="payload",
                value=text,
            )
        return args, kwargs
    return [value], {}


def error_type(exc: BaseException) -> str:
    """An exception's type as ``"module.Name"`` (``"builtins.ValueError"``)."""
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def error_details(exc: BaseException) -> str:
    """The details a ``swf.flow`` worker fails a task with: JSON of the exception's type,
    message and traceback; the traceback loses its first lines (not its last: the frames
    nearest the error) to fit SWF's 32,768 characters."""
    message = str(exc)[:4096]
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    while True:
        data = {"type": error_type(exc), "message": message, "traceback": trace}
        text = json.dumps(data, separators=_SEPARATORS, ensure_ascii=False)
        excess = len(text) - constants.MAX_INPUT_LENGTH
        if excess <= 0:
            return text
        trace = "..." + trace[excess + 16 :]
