"""Payloads over SWF's limits, stored out of band and replaced by a reference.

SWF refuses an input, result, details, marker details or signal input over 32,768
characters. :func:`offload` stores such a text in a :class:`~swf.flow.stores.PayloadStore`
and returns, in its place, a reference that names the store and the content's SHA-256::

    swf+s3://my-bucket/swf-payloads/sha256/9f86d081884c...b0f00a08 1048576

that is ``swf+<scheme>://<location>/sha256/<hex> <size in bytes>``. :func:`resolve` reads
it back, checks the size and the digest, and keeps the text in a bounded LRU cache keyed by
digest. Because the key is the content's digest, a replayed decision writes the same object
again (nothing leaks, unlike random keys, which leave one object per replay), equal payloads
are stored once, and a changed object is detected rather than read.

Stores (:mod:`swf.flow.stores`): :class:`~swf.flow.stores.S3Store` (boto3; what production
uses), :class:`~swf.flow.stores.FileStore` (a directory shared by the processes of one machine)
and :class:`~swf.flow.stores.MemoryStore` (this process only: tests and
:func:`~swf.flow.run_local`). The process-wide store is the one given to :func:`configure`,
else the one ``SWF_PAYLOAD_STORE`` names (``s3://bucket/prefix`` or ``file:///path``, read by
:func:`store_from_uri`), else none: then a payload over the limit stays an error
(:class:`~swf.flow.errors.PayloadTooLargeError`), as without this module.

:func:`resolve` also reads simpleflow's references, ``simpleflow+s3://bucket/key size``, so
histories written by simpleflow workers show their payloads.

Errors, all under :class:`~swf.exceptions.PayloadError`: the object is not in its store
(:class:`~swf.exceptions.PayloadMissingError`), it is there but its size or digest is not the
reference's (:class:`~swf.exceptions.PayloadCorruptedError`), or the store failed otherwise.
Nothing is ever silently replaced. Every S3 call goes through one function of this module,
which maps botocore's errors to these (and to :class:`~swf.exceptions.TransportError` and
:class:`~swf.exceptions.ConfigurationError`), as ``swf.core`` does for SWF's.
"""

from __future__ import annotations

import hashlib
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, overload

from swf import constants
from swf.exceptions import (
    ConfigurationError,
    PayloadCorruptedError,
    PayloadError,
    PayloadMissingError,
    ValidationError,
)
from swf.flow.errors import PayloadTooLargeError
from swf.flow.stores import (
    DEFAULT_MAX_SIZE,
    FileStore,
    MemoryStore,
    PayloadStore,
    Reference,
    S3Store,
    SimpleflowReference,
    forget_default_client,
    is_reference,
    parse_reference,
    read_s3_object,
    s3_client,
)

__all__ = [
    "DEFAULT_MAX_SIZE",
    "ENVIRONMENT_VARIABLE",
    "FIELD_LIMIT",
    "FileStore",
    "MemoryStore",
    "PayloadStore",
    "Reference",
    "S3Store",
    "SimpleflowReference",
    "clear_cache",
    "configure",
    "default_store",
    "is_reference",
    "offload",
    "parse_reference",
    "read",
    "register",
    "reset",
    "resolve",
    "store_from_uri",
]

#: SWF's limit, in characters, for inputs, results, details, marker details and signal
#: inputs: a longer text is offloaded.
FIELD_LIMIT = constants.MAX_INPUT_LENGTH
#: The environment variable naming the process-wide store (``s3://bucket/prefix``,
#: ``file:///path``).
ENVIRONMENT_VARIABLE = "SWF_PAYLOAD_STORE"

# Texts are UTF-8 on the wire; a lone surrogate (which JSON may carry from a Python str)
# goes through unchanged rather than failing the encoding.
_ENCODING = "utf-8"
_ERRORS = "surrogatepass"

Described = str | Callable[[], str]


def _said(what: Described) -> str:
    return what if isinstance(what, str) else what()


# -- configuration ------------------------------------------------------------------------

_lock = threading.RLock()
# The stores a reference may name, by (scheme, location), looked up in this order: those
# registered (or configured), those offload() was given, held weakly (a MemoryStore goes
# with its owner), and those built to read a reference.
_StoreKey = tuple[str, str]
_registered: dict[_StoreKey, PayloadStore] = {}
_used: weakref.WeakValueDictionary[_StoreKey, PayloadStore] = weakref.WeakValueDictionary()
_built: dict[_StoreKey, PayloadStore] = {}
_configured: PayloadStore | None = None
_from_environment: tuple[str, PayloadStore] | None = None


def register(store: PayloadStore) -> PayloadStore:
    """Make ``store`` the one :func:`resolve` reads its references with, in this process.

    The store given to :func:`configure` is registered by that, and those given to
    :func:`offload` are used while they live; a reference to an S3 bucket or a directory no
    store is known for is read with a store built from it (a
    :class:`~swf.flow.stores.FileStore`, or an :class:`~swf.flow.stores.S3Store` with the client
    of a known store on that bucket, else the default one).

    Returns:
        ``store``, for chaining.
    """
    if not isinstance(store, PayloadStore):
        raise ValidationError(
            f"a payload store must be a PayloadStore, got {type(store).__name__}",
            argument="store",
            value=store,
        )
    with _lock:
        _registered[store.scheme, store.location] = store
    return store


def configure(store: PayloadStore | str | None) -> PayloadStore | None:
    """Set the process-wide payload store (used when a task names none).

    Args:
        store: a store, a URI (:func:`store_from_uri`), or None to go back to
            ``SWF_PAYLOAD_STORE`` (or to no store when it is not set).

    Returns:
        The store configured before (None if none was), to restore it.

    Raises:
        ValidationError: ``store`` is neither a store nor a URI swf reads.
    """
    global _configured
    if isinstance(store, str):
        store = store_from_uri(store)
    if store is not None:
        register(store)
    with _lock:
        previous, _configured = _configured, store
    return previous


def default_store() -> PayloadStore | None:
    """The process-wide store: :func:`configure`'s, else ``SWF_PAYLOAD_STORE``'s, else None.

    Raises:
        ConfigurationError: ``SWF_PAYLOAD_STORE`` is set to something swf cannot read.
    """
    global _from_environment
    with _lock:
        if _configured is not None:
            return _configured
        value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
        if not value:
            return None
        if _from_environment is not None and _from_environment[0] == value:
            return _from_environment[1]
        try:
            store = store_from_uri(value)
        except ValidationError as exc:
            raise ConfigurationError(f"{ENVIRONMENT_VARIABLE}={value!r}: {exc}") from None
        register(store)
        _from_environment = (value, store)
        return store


def store_from_uri(
    uri: str, *, client: Any = None, max_size: int = DEFAULT_MAX_SIZE
) -> PayloadStore:
    """The store a URI names: ``s3://bucket/prefix``, ``file:///path`` or ``memory://``.

    Args:
        uri: the store's address. ``file://`` is followed by a path (``file:///srv/payloads``;
            a relative path is made absolute); ``memory://`` makes a new
            :class:`~swf.flow.stores.MemoryStore`.
        client: the boto3 S3 client of an S3 store (default: built from :mod:`swf.settings`).
        max_size: the store's largest object, in bytes.

    Raises:
        ValidationError: the URI is none of those.
    """
    scheme, sep, rest = uri.partition("://") if isinstance(uri, str) else ("", "", "")
    if sep and scheme == "s3":
        bucket, _, prefix = rest.partition("/")
        if bucket:
            return S3Store(bucket, prefix, client, max_size=max_size)
    elif sep and scheme == "file" and rest:
        return FileStore(rest, max_size=max_size)
    elif sep and scheme == "memory" and not rest:
        return MemoryStore(max_size=max_size)
    raise ValidationError(
        f"not a payload store URI: {uri!r} (expected s3://bucket/prefix, file:///path "
        "or memory://)",
        argument="uri",
        value=uri,
    )


def _store_for(reference: Reference) -> PayloadStore:
    """The store a reference names: a registered one, else one built from the reference."""
    key = (reference.scheme, reference.location)
    with _lock:
        for stores in (_registered, _used, _built):
            found = stores.get(key)
            if found is not None:
                return found
        store: PayloadStore
        if reference.scheme == "s3":
            bucket, _, prefix = reference.location.partition("/")
            store = S3Store(bucket, prefix, _client_for_bucket(bucket))
        elif reference.scheme == "file":
            store = FileStore(reference.location)
        elif reference.scheme == "memory":
            raise PayloadMissingError(
                f"payload {reference} not found: its memory store is not in this process",
                reference=reference.text,
                store=f"memory://{reference.location}",
                digest=reference.digest,
            )
        else:
            raise PayloadError(
                f"payload {reference}: no {reference.scheme!r} store is registered in this "
                "process (swf.flow.payload.register)",
                reference=reference.text,
                digest=reference.digest,
            )
        _built[key] = store
        return store


def _client_for_bucket(bucket: str) -> Any:
    """The client of a registered S3 store on ``bucket``, if any (else the default one)."""
    with _lock:
        for store in [*_registered.values(), *_used.values()]:
            if isinstance(store, S3Store) and store.bucket == bucket and store._client is not None:
                return store._client
    return None


# -- the cache ----------------------------------------------------------------------------

# The cache's bounds: entries, and characters in all.
_CACHE_MAX_ENTRIES = 256
_CACHE_MAX_CHARS = 64 * 1024 * 1024


class _Cache:
    """A thread-safe LRU of texts by digest, bounded in entries and characters."""

    def __init__(self, max_entries: int, max_chars: int) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: str, text: str) -> None:
        if len(text) > self.max_chars:
            return
        with self._lock:
            old = self._texts.pop(key, None)
            if old is not None:
                self._chars -= len(old)
            self._texts[key] = text
            self._chars += len(text)
            while len(self._texts) > self.max_entries or self._chars > self.max_chars:
                _, dropped = self._texts.popitem(last=False)
                self._chars -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._texts.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._texts)


_cache = _Cache(_CACHE_MAX_ENTRIES, _CACHE_MAX_CHARS)


def clear_cache() -> None:
    """Forget every payload :func:`resolve` and :func:`offload` have cached."""
    _cache.clear()


def reset() -> None:
    """Forget the configured store, every store known to this process and the cache, as
    after the process started (for tests: ``SWF_PAYLOAD_STORE`` is read again)."""
    global _configured, _from_environment
    with _lock:
        _configured = _from_environment = None
        _registered.clear()
        _used.clear()
        _built.clear()
    _cache.clear()


def _after_fork() -> None:
    """In a forked child (a worker's pool): new locks, in case another thread of the parent
    held one, and no shared default S3 client (its connections belong to the parent)."""
    global _lock
    _lock = threading.RLock()
    forget_default_client()
    _cache._lock = threading.Lock()
    for store in [*_registered.values(), *_used.values(), *_built.values()]:
        if isinstance(store, S3Store) and store._shares_default_client:
            store._client = None  # built again on first use


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork)


# -- offload and resolve ------------------------------------------------------------------


def offload(
    text: str, store: PayloadStore | None, what: Described, *, limit: int = FIELD_LIMIT
) -> str:
    """``text`` itself when it fits in ``limit``; else a reference to it, once stored.

    Args:
        text: an input, result, details, marker details or signal input.
        store: where to store it (None: :func:`default_store`).
        what: what it is, for messages (``"the result of activity 'resize-1'"``), or a
            function that says it.
        limit: SWF's limit for the field, in characters.

    Returns:
        ``text`` when it is at most ``limit`` characters long, or when there is no store (the
        caller then refuses it as SWF would); else its reference,
        ``swf+<scheme>://<location>/sha256/<hex> <size>``.

    Raises:
        PayloadTooLargeError: ``text`` is over the store's ``max_size`` (naming ``what`` and
            the size).
        PayloadError: the store failed.
        TransportError: the store could not be reached.
    """
    if len(text) <= limit:
        return text
    if store is None:
        store = default_store()
        if store is None:
            return text
    data = text.encode(_ENCODING, _ERRORS)
    if len(data) > store.max_size:
        raise PayloadTooLargeError(
            f"{_said(what)} is {len(data):,} bytes once encoded, over the payload store's "
            f"maximum of {store.max_size:,} ({store.uri})",
            size=len(data),
            limit=store.max_size,
        )
    digest = hashlib.sha256(data).hexdigest()
    store.put(digest, data)
    with _lock:
        _used[store.scheme, store.location] = store
    _cache.put(digest, text)
    return store.reference(digest, len(data)).text


@overload
def resolve(text: str, *, what: Described | None = None) -> str: ...


@overload
def resolve(text: None, *, what: Described | None = None) -> None: ...


def resolve(text: str | None, *, what: Described | None = None) -> str | None:
    """The payload a reference stands for; any other text (or None) as it is.

    An swf reference is read from its store and checked (size and SHA-256); a simpleflow
    reference is read from S3 and its size checked. Payloads are cached by digest.

    Args:
        text: a field's value.
        what: what it is, for messages (``"the input of activity 'resize-1'"``).

    Raises:
        PayloadMissingError: the object is not in its store.
        PayloadCorruptedError: it is, but its size or digest is not the reference's.
        PayloadError: the store failed otherwise.
        TransportError: the store could not be reached.
    """
    if text is None or not text.startswith(("swf+", "simpleflow+")):
        return text
    reference = parse_reference(text)
    if reference is None:
        return text
    return read(reference, what=what)


def read(reference: Reference | SimpleflowReference, *, what: Described | None = None) -> str:
    """The payload of a parsed reference (see :func:`resolve`)."""
    if isinstance(reference, SimpleflowReference):
        return _read_simpleflow(reference, what)
    cached = _cache.get(reference.digest)
    if cached is not None:
        return cached
    try:
        store = _store_for(reference)
        data = store.get(reference.digest)
    except PayloadError as exc:
        raise _restated(exc, reference, what) from exc
    problem = None
    if reference.size is not None and len(data) != reference.size:
        problem = f"its object holds {len(data):,} bytes, not {reference.size:,}"
    else:
        actual = hashlib.sha256(data).hexdigest()
        if actual != reference.digest:
            problem = f"its object's SHA-256 is {actual}"
    if problem is None:
        try:
            text = data.decode(_ENCODING, _ERRORS)
        except UnicodeDecodeError as exc:  # bytes that were never a text, referenced by hand
            problem = f"its object is not UTF-8 ({exc})"
        else:
            _cache.put(reference.digest, text)
            return text
    prefix = f"{_said(what)}: " if what is not None else ""
    raise PayloadCorruptedError(
        f"{prefix}payload {reference} is corrupted: {problem} (in {store.uri}); "
        "it was changed or damaged after it was written",
        reference=reference.text,
        store=store.uri,
        digest=reference.digest,
    )


def _restated(
    error: PayloadError, reference: Reference | SimpleflowReference, what: Described | None
) -> PayloadError:
    """The store's error again, of the same class, naming the reference and the value."""
    message = f"{_said(what)}: {error}" if what is not None else str(error)
    if reference.text not in message:
        message += f" (reading {reference})"
    return type(error)(
        message,
        reference=reference.text,
        store=error.store,
        digest=error.digest,
        code=error.code,
    )


def _read_simpleflow(reference: SimpleflowReference, what: Described | None) -> str:
    key = f"simpleflow+s3://{reference.bucket}/{reference.key}"
    cached = _cache.get(key)
    if cached is not None:
        return cached
    client = _client_for_bucket(reference.bucket) or s3_client()
    prefix = f"{_said(what)}: " if what is not None else ""
    try:
        data = read_s3_object(client, reference.bucket, reference.key, digest=None)
    except PayloadError as exc:
        raise _restated(exc, reference, what) from exc
    try:
        text = data.decode(_ENCODING)
    except UnicodeDecodeError as exc:
        raise PayloadCorruptedError(
            f"{prefix}payload {reference} is corrupted: its object is not UTF-8 ({exc})",
            reference=reference.text,
            store=f"s3://{reference.bucket}",
        ) from None
    if reference.size not in (len(text), len(data)):
        raise PayloadCorruptedError(
            f"{prefix}payload {reference} is corrupted: its object holds {len(text):,} "
            f"characters, not {reference.size:,}",
            reference=reference.text,
            store=f"s3://{reference.bucket}",
        )
    _cache.put(key, text)
    return text
