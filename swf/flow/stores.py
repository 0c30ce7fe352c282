"""Where large payloads live, and how a field refers to them: the stores of
:mod:`swf.flow.payload` (:class:`MemoryStore`, :class:`FileStore`, :class:`S3Store`) and the
references written in place of a payload (:class:`Reference`, simpleflow's
:class:`SimpleflowReference`). The stores' S3 calls, and the mapping of botocore's errors to
ours, are in one place here (``_s3_call``).
"""

from __future__ import annotations

import abc
import contextlib
import itertools
import os
import re
import tempfile
import threading
from typing import Any, ClassVar

import attrs

from swf import settings as _settings
from swf.exceptions import (
    ConfigurationError,
    PayloadError,
    PayloadMissingError,
    TransportError,
    ValidationError,
)

__all__ = [
    "DEFAULT_MAX_SIZE",
    "FileStore",
    "MemoryStore",
    "PayloadStore",
    "Reference",
    "S3Store",
    "SimpleflowReference",
    "forget_default_client",
    "is_reference",
    "parse_reference",
    "read_s3_object",
    "s3_client",
]

#: A store's default maximum object size, in bytes (5 MiB, as simpleflow's).
DEFAULT_MAX_SIZE = 5 * 1024 * 1024


# -- references ---------------------------------------------------------------------------

_REFERENCE = re.compile(r"swf\+([a-z][a-z0-9.-]*)://([^\n]*)/sha256/([0-9a-f]{64})(?: ([0-9]+))?")
_SIMPLEFLOW = re.compile(r"simpleflow\+s3://([^/\s]+)/(\S+) ([0-9]+)")


@attrs.frozen
class Reference:
    """A reference to a payload in a store: ``swf+<scheme>://<location>/sha256/<hex> <size>``.

    Attributes:
        scheme: the store's kind (``"s3"``, ``"file"``, ``"memory"``).
        location: where the store is (``"bucket/prefix"``, a directory's absolute path).
        digest: the content's SHA-256, in lowercase hexadecimal.
        size: the content's size in bytes (None when a reference typed by hand omits it: then
            only the digest is checked).
    """

    scheme: str
    location: str
    digest: str
    size: int | None = None

    @property
    def text(self) -> str:
        """The reference as it replaces the payload in SWF."""
        head = f"swf+{self.scheme}://{self.location}/sha256/{self.digest}"
        return head if self.size is None else f"{head} {self.size}"

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class SimpleflowReference:
    """A simpleflow "jumbo field": ``simpleflow+s3://<bucket>/<key> <size>``.

    Its key is random, so only the size can be checked.

    Attributes:
        bucket: the S3 bucket.
        key: the object's key.
        size: the payload's size (simpleflow counts characters; bytes are accepted too).
    """

    bucket: str
    key: str
    size: int

    @property
    def text(self) -> str:
        """The reference as simpleflow writes it."""
        return f"simpleflow+s3://{self.bucket}/{self.key} {self.size}"

    def __str__(self) -> str:
        return self.text


def parse_reference(
    text: str, *, require_size: bool = True
) -> Reference | SimpleflowReference | None:
    """The reference ``text`` is, or None when it is not one (any other text).

    Args:
        text: a field's value.
        require_size: refuse an swf reference without its ``<size>`` (as SWF holds them);
            ``swf payload get`` accepts one without.
    """
    if text.startswith("swf+"):
        match = _REFERENCE.fullmatch(text)
        if match is None or (require_size and match[4] is None):
            return None
        size = None if match[4] is None else int(match[4])
        return Reference(match[1], match[2], match[3], size)
    if text.startswith("simpleflow+"):
        match = _SIMPLEFLOW.fullmatch(text)
        if match is None:
            return None
        return SimpleflowReference(match[1], match[2], int(match[3]))
    return None


def is_reference(text: str | None) -> bool:
    """Whether ``text`` is a payload reference (swf's or simpleflow's)."""
    return text is not None and parse_reference(text) is not None


# -- stores -------------------------------------------------------------------------------


class PayloadStore(abc.ABC):
    """Where payloads over SWF's limits go: objects keyed by their SHA-256.

    A store is named by its ``scheme`` and ``location``, which a reference carries, so that
    any process can find the object again. Subclass it for another backend, and
    :func:`~swf.flow.payload.register` an instance in the processes that read its references.

    Attributes:
        scheme: the kind of store, the reference's ``swf+<scheme>://``.
        location: where this store is, the rest of the reference's address.
        max_size: the largest object, in bytes, it accepts (:data:`DEFAULT_MAX_SIZE`).
    """

    scheme: ClassVar[str]
    location: str
    max_size: int = DEFAULT_MAX_SIZE

    @abc.abstractmethod
    def put(self, digest: str, data: bytes) -> None:
        """Store ``data`` under ``digest`` (its SHA-256, hexadecimal).

        Storing the same digest again must succeed (it is the same content). Returns nothing.

        Raises:
            PayloadError: the store refused or failed.
            TransportError: the store could not be reached.
        """

    @abc.abstractmethod
    def get(self, digest: str) -> bytes:
        """The bytes stored under ``digest``, as stored (:func:`~swf.flow.payload.resolve`
        checks them).

        Raises:
            PayloadMissingError: nothing is stored under ``digest``.
            PayloadError: the store failed otherwise.
            TransportError: the store could not be reached.
        """

    @property
    def uri(self) -> str:
        """The store's address, ``<scheme>://<location>``, as
        :func:`~swf.flow.payload.store_from_uri` reads it."""
        return f"{self.scheme}://{self.location}"

    def reference(self, digest: str, size: int) -> Reference:
        """The reference to the object ``digest`` of ``size`` bytes in this store."""
        return Reference(self.scheme, self.location, digest, size)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.uri!r})"


def _positive(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{name} must be a positive integer, got {value!r}", argument=name)
    return value


_memory_ids = itertools.count(1)


class MemoryStore(PayloadStore):
    """A store in this process's memory: for tests and local runs.

    Its references (``swf+memory://<n>/sha256/<hex> <size>``) resolve in this process only,
    while the store lives.

    Args:
        max_size: the largest object, in bytes.
    """

    scheme = "memory"

    def __init__(self, *, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.location = str(next(_memory_ids))
        self.max_size = _positive(max_size, "max_size")
        self._objects: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, digest: str, data: bytes) -> None:
        """Keep ``data`` under ``digest``."""
        with self._lock:
            self._objects[digest] = bytes(data)

    def get(self, digest: str) -> bytes:
        """The bytes kept under ``digest``.

        Raises:
            PayloadMissingError: none are.
        """
        with self._lock:
            data = self._objects.get(digest)
        if data is None:
            raise PayloadMissingError(
                f"payload sha256 {digest} is not in {self!r}", store=self.uri, digest=digest
            )
        return data

    def __contains__(self, digest: object) -> bool:
        with self._lock:
            return digest in self._objects

    def __len__(self) -> int:
        with self._lock:
            return len(self._objects)


class FileStore(PayloadStore):
    """A store in a directory: ``<root>/sha256/<hex>``, one file per payload.

    For the processes of one machine (or a shared file system). Files are written to a
    temporary name and renamed, so a reader never sees half a payload; writing a payload
    that is already there rewrites it (a clean-up by age reads the files' modification time).

    Args:
        root: the directory (created when needed); its absolute path is the location.
        max_size: the largest object, in bytes.
    """

    scheme = "file"

    def __init__(self, root: str | os.PathLike[str], *, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.root = os.path.abspath(os.fspath(root))
        self.location = self.root
        self.max_size = _positive(max_size, "max_size")

    def path(self, digest: str) -> str:
        """The file that holds the payload ``digest``."""
        return os.path.join(self.root, "sha256", digest)

    def put(self, digest: str, data: bytes) -> None:
        """Write ``data`` to :meth:`path`, through a temporary file renamed into place.

        Writing it again replaces the file (and its date) with the same content, which also
        mends a damaged copy.

        Raises:
            PayloadError: the file cannot be written.
        """
        target = self.path(digest)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            raise PayloadError(
                f"cannot write payload sha256 {digest} to {target}: {exc.strerror or exc}",
                store=self.uri,
                digest=digest,
            ) from exc

    def get(self, digest: str) -> bytes:
        """The content of :meth:`path`.

        Raises:
            PayloadMissingError: there is no such file.
            PayloadError: it cannot be read.
        """
        target = self.path(digest)
        try:
            with open(target, "rb") as stream:
                return stream.read()
        except FileNotFoundError as exc:
            raise PayloadMissingError(
                f"payload sha256 {digest} not found: no file {target}",
                store=self.uri,
                digest=digest,
            ) from exc
        except OSError as exc:
            raise PayloadError(
                f"cannot read payload sha256 {digest} from {target}: {exc.strerror or exc}",
                store=self.uri,
                digest=digest,
            ) from exc


#: S3 error codes read as "the object is not there" (a HEAD answers a bare 404).
_S3_MISSING = frozenset({"NoSuchKey", "NoSuchBucket", "404", "NotFound"})

_client_lock = threading.Lock()
_default_client: tuple[Any, int] | None = None


def forget_default_client() -> None:
    """In a forked child: a new lock, and no shared default S3 client (its connections
    belong to the parent); see :func:`swf.flow.payload.reset`."""
    global _client_lock, _default_client
    _client_lock = threading.Lock()
    _default_client = None


def s3_client() -> Any:
    """The shared S3 client of stores built without one: swf's settings (credentials,
    region, profile, retries, timeouts), without SWF's endpoint; boto3 reads
    ``AWS_ENDPOINT_URL_S3`` for another S3 (a local one)."""
    global _default_client
    generation = _settings.generation()
    with _client_lock:
        if _default_client is not None and _default_client[1] == generation:
            return _default_client[0]
        import boto3
        from botocore.exceptions import BotoCoreError

        resolved = _settings.get()
        try:
            session = boto3.session.Session(
                aws_access_key_id=resolved.aws_access_key_id,
                aws_secret_access_key=resolved.aws_secret_access_key,
                aws_session_token=resolved.aws_session_token,
                region_name=resolved.region,
                profile_name=resolved.profile,
            )
            client = session.client("s3", config=resolved.botocore_config())
        except BotoCoreError as exc:
            raise ConfigurationError(f"cannot build the S3 client for payloads: {exc}") from exc
        _default_client = (client, generation)
        return client


class S3Store(PayloadStore):
    """A store in an S3 bucket: the object ``<prefix>/sha256/<hex>``.

    Give the bucket a lifecycle rule that expires the prefix's objects after longer than
    your executions run and their histories are kept (docs/payloads.rst); writing a payload
    again (a replay, an equal payload) renews its object.

    Args:
        bucket: the bucket's name.
        prefix: a key prefix (``"swf-payloads"``); surrounding slashes are dropped.
        client: a boto3 S3 client (default: one built from :mod:`swf.settings`, on first use).
        max_size: the largest object, in bytes.

    Raises:
        ValidationError: the bucket name is empty or holds a ``/``.
    """

    scheme = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        client: Any = None,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        if not isinstance(bucket, str) or not bucket or "/" in bucket or bucket.strip() != bucket:
            raise ValidationError(
                f"S3Store: bucket must be a bucket name, got {bucket!r}",
                argument="bucket",
                value=bucket,
            )
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"{bucket}/{self.prefix}" if self.prefix else bucket
        self.max_size = _positive(max_size, "max_size")
        self._client = client
        self._shares_default_client = client is None

    @property
    def client(self) -> Any:
        """The boto3 S3 client (built on first use when none was given)."""
        if self._client is None:
            self._client = s3_client()
        return self._client

    def key(self, digest: str) -> str:
        """The key of the payload ``digest``."""
        return f"{self.prefix}/sha256/{digest}" if self.prefix else f"sha256/{digest}"

    def put(self, digest: str, data: bytes) -> None:
        """Put ``data`` at :meth:`key` (again: S3 then renews the object's date).

        Raises:
            PayloadError: S3 refused (``code`` says why).
            TransportError: S3 could not be reached.
        """
        _s3_call(
            self.client,
            "put_object",
            self.uri,
            digest,
            Bucket=self.bucket,
            Key=self.key(digest),
            Body=data,
            ContentType="text/plain; charset=utf-8",
        )

    def get(self, digest: str) -> bytes:
        """The object at :meth:`key`.

        Raises:
            PayloadMissingError: there is no such object (or no such bucket).
            PayloadError: S3 refused otherwise.
            TransportError: S3 could not be reached.
        """
        return read_s3_object(self.client, self.bucket, self.key(digest), store=self, digest=digest)


def read_s3_object(
    client: Any, bucket: str, key: str, *, store: PayloadStore | None = None, digest: str | None
) -> bytes:
    """The bytes of ``s3://bucket/key`` (the errors of :meth:`S3Store.get`)."""
    uri = store.uri if store is not None else f"s3://{bucket}"
    data: bytes = _s3_call(client, "get_object", uri, digest, Bucket=bucket, Key=key)
    return data


def _s3_call(client: Any, operation: str, uri: str, digest: str | None, **params: Any) -> Any:
    """Call S3 and map its errors: the one place payloads meet botocore's exceptions.

    Returns:
        The response; for ``get_object``, the object's bytes (read here: a transfer cut
        short is an error of the call).
    """
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionClosedError,
        EndpointConnectionError,
        NoCredentialsError,
        ReadTimeoutError,
    )
    from botocore.exceptions import ConnectionError as BotoConnectionError

    where = f"s3://{params['Bucket']}/{params['Key']}"
    try:
        response = getattr(client, operation)(**params)
        if operation != "get_object":
            return response
        with contextlib.closing(response["Body"]) as body:
            return body.read()
    except ClientError as exc:
        info = exc.response.get("Error") or {}
        code = str(info.get("Code") or "")
        detail = str(info.get("Message") or "")
        if operation == "get_object" and code in _S3_MISSING:
            raise PayloadMissingError(
                f"payload {where} not found ({code}: {detail})",
                store=uri,
                digest=digest,
                code=code,
            ) from exc
        verb = "read" if operation == "get_object" else "write"
        raise PayloadError(
            f"cannot {verb} payload {where} ({code}: {detail})",
            store=uri,
            digest=digest,
            code=code,
        ) from exc
    except (
        EndpointConnectionError,
        ConnectionClosedError,
        ReadTimeoutError,
        BotoConnectionError,
    ) as exc:
        raise TransportError(f"S3 could not be reached for payload {where}: {exc}") from exc
    except NoCredentialsError as exc:
        raise ConfigurationError(f"no AWS credentials to reach payload {where}") from exc
    except BotoCoreError as exc:
        raise PayloadError(
            f"cannot reach payload {where}: {exc}", store=uri, digest=digest
        ) from exc
