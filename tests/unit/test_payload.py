"""swf.flow.payload without a backend: references, offload and resolve on memory and file
stores, the digest and size checks, the cache, the configuration, ``swf payload get`` on a
file store, and docs/payloads.rst's examples."""

from __future__ import annotations

import doctest
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from swf.cli import cli
from swf.exceptions import (
    ConfigurationError,
    PayloadCorruptedError,
    PayloadError,
    PayloadMissingError,
    SWFError,
    ValidationError,
)
from swf.flow import PayloadTooLargeError, payload, stores
from swf.flow.payload import (
    FIELD_LIMIT,
    FileStore,
    MemoryStore,
    PayloadStore,
    Reference,
    S3Store,
    SimpleflowReference,
    clear_cache,
    configure,
    default_store,
    is_reference,
    offload,
    parse_reference,
    register,
    reset,
    resolve,
    store_from_uri,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
BIG = json.dumps({"rows": ["x" * 100] * 400})  # 40,000+ characters of JSON
REFERENCE = re.compile(r"swf\+memory://\d+/sha256/[0-9a-f]{64} \d+")


@pytest.fixture(autouse=True)
def _fresh_payload_state() -> Iterator[None]:
    """Each test starts as a new process would: no store known, an empty cache."""
    reset()
    yield
    reset()


class CountingStore(MemoryStore):
    """A memory store that counts its reads and writes."""

    def __init__(self) -> None:
        super().__init__()
        self.gets = 0
        self.puts = 0

    def put(self, digest: str, data: bytes) -> None:
        self.puts += 1
        super().put(digest, data)

    def get(self, digest: str) -> bytes:
        self.gets += 1
        return super().get(digest)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- offload ------------------------------------------------------------------------------


def test_a_text_within_the_limit_is_kept_as_it_is() -> None:
    store = MemoryStore()
    text = "x" * FIELD_LIMIT
    assert offload(text, store, "the input") is text
    assert len(store) == 0


def test_a_text_over_the_limit_becomes_a_reference_to_its_digest() -> None:
    store = MemoryStore()
    text = "x" * (FIELD_LIMIT + 1)
    reference = offload(text, store, "the input")
    digest = digest_of(text)
    assert reference == f"swf+memory://{store.location}/sha256/{digest} {FIELD_LIMIT + 1}"
    assert store.get(digest) == text.encode()
    assert resolve(reference) == text


def test_the_size_is_in_bytes_of_utf8() -> None:
    store = MemoryStore()
    text = "é" * 20_000  # 20,000 characters, 40,000 bytes: over the limit once a field is 16 KB
    reference = offload(text, store, "the input", limit=16_384)
    parsed = parse_reference(reference)
    assert isinstance(parsed, Reference)
    assert parsed.size == 40_000
    clear_cache()
    assert resolve(reference) == text


def test_a_replayed_payload_is_written_under_the_same_key() -> None:
    """The key is the digest: a replay (or an equal payload) makes no new object."""
    store = CountingStore()
    references = {offload(BIG, store, f"the input of activity 'a-{n}'") for n in range(3)}
    assert len(references) == 1
    assert len(store) == 1
    assert store.puts == 3  # written again (renews it), never as another object


def test_no_store_given_nor_configured_leaves_the_text_to_the_caller() -> None:
    assert default_store() is None
    assert offload(BIG, None, "the input") is BIG


def test_the_configured_store_is_used_when_none_is_given() -> None:
    store = MemoryStore()
    assert configure(store) is None
    assert default_store() is store
    assert REFERENCE.fullmatch(offload(BIG, None, "the input"))
    assert len(store) == 1
    assert configure(None) is store
    assert default_store() is None


def test_over_the_store_maximum_names_the_task_and_the_size() -> None:
    store = MemoryStore(max_size=40_000)
    text = "y" * 50_000
    with pytest.raises(PayloadTooLargeError) as caught:
        offload(text, store, lambda: "the result of activity 'resize-1'")
    error = caught.value
    assert str(error) == (
        "the result of activity 'resize-1' is 50,000 bytes once encoded, over the payload "
        f"store's maximum of 40,000 (memory://{store.location})"
    )
    assert (error.size, error.limit) == (50_000, 40_000)
    assert isinstance(error, ValidationError)
    assert len(store) == 0


def test_the_default_maximum_is_5_mib() -> None:
    store = MemoryStore()
    assert store.max_size == 5 * 1024 * 1024
    with pytest.raises(PayloadTooLargeError, match=r"5,242,881 bytes"):
        offload("z" * (5 * 1024 * 1024 + 1), store, "the input")


def test_lone_surrogates_go_through() -> None:
    text = "\ud800" + "a" * 40_000
    store = MemoryStore()
    reference = offload(text, store, "the input")
    clear_cache()
    assert resolve(reference) == text


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=0, max_size=300), st.integers(min_value=0, max_value=100))
def test_resolve_undoes_offload(text: str, limit: int) -> None:
    store = MemoryStore()
    reference = offload(text, store, "the input", limit=limit)
    if len(text) <= limit:
        assert reference is text
    else:
        assert is_reference(reference)
    clear_cache()
    assert resolve(reference) == text


# -- resolve ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "42",
        '{"args": [], "kwargs": {}}',
        '"swf+s3://bucket/sha256/abc 3"',  # a JSON string that looks like one: not a reference
        "swf+s3://bucket/sha256/" + "a" * 63 + " 1",  # a short digest
        "swf+s3://bucket/sha256/" + "A" * 64 + " 1",  # upper case
        "swf+s3://bucket/sha256/" + "a" * 64 + " 1 trailing",
        "swf+s3://bucket/sha256/" + "a" * 64,  # no size: a field always has one
        "swf+S3://bucket/sha256/" + "a" * 64 + " 1",
        "simpleflow+s3://bucket-only 12",
        "simpleflow+s3://bucket/key",
        "simpleflow+gs://bucket/key 12",
    ],
)
def test_other_texts_are_returned_unchanged(text: str) -> None:
    assert resolve(text) is text
    assert not is_reference(text)


def test_none_stays_none() -> None:
    assert resolve(None) is None
    assert not is_reference(None)


def test_parse_reference() -> None:
    digest = "ab" * 32
    assert parse_reference(f"swf+s3://bucket/a/b/sha256/{digest} 40000") == Reference(
        "s3", "bucket/a/b", digest, 40000
    )
    assert parse_reference(f"swf+file:///srv/my payloads/sha256/{digest} 7") == Reference(
        "file", "/srv/my payloads", digest, 7
    )
    assert parse_reference(f"swf+s3://b/sha256/{digest}", require_size=False) == Reference(
        "s3", "b", digest, None
    )
    found = parse_reference("simpleflow+s3://jumbo/with/prefix/5d7191af 5242880")
    assert found == SimpleflowReference("jumbo", "with/prefix/5d7191af", 5242880)
    assert str(found) == "simpleflow+s3://jumbo/with/prefix/5d7191af 5242880"
    assert str(Reference("s3", "b", digest, None)) == f"swf+s3://b/sha256/{digest}"


def test_reads_are_cached_by_digest() -> None:
    store = CountingStore()
    reference = offload(BIG, store, "the input")
    assert resolve(reference) == BIG
    assert store.gets == 0  # offload primed the cache
    clear_cache()
    assert resolve(reference) == BIG
    assert resolve(reference) == BIG
    assert store.gets == 1


def test_the_cache_is_a_bounded_lru() -> None:
    cache = payload._Cache(max_entries=2, max_chars=10)
    cache.put("a", "aaa")
    cache.put("b", "bbb")
    assert cache.get("a") == "aaa"  # a is now the most recent
    cache.put("c", "ccc")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("aaa", None, "ccc")
    cache.put("d", "dddddddd")  # 8 + 3 > 10 characters: the least recent go
    assert (cache.get("a"), cache.get("c"), cache.get("d")) == (None, None, "dddddddd")
    cache.put("e", "e" * 11)  # larger than the whole cache: not kept
    assert cache.get("e") is None
    assert len(cache) == 1


def test_a_missing_object_is_an_error_naming_the_reference() -> None:
    store = MemoryStore()
    other = MemoryStore()
    reference = offload(BIG, other, "the input").replace(
        f"memory://{other.location}/", f"memory://{store.location}/"
    )
    clear_cache()  # the cache holds payloads by digest, whatever their store
    with pytest.raises(PayloadMissingError, match="its memory store is not in this process"):
        resolve(reference)
    register(store)
    with pytest.raises(PayloadMissingError) as caught:
        resolve(reference, what="the input of activity 'a-1'")
    error = caught.value
    assert str(error).startswith("the input of activity 'a-1': payload sha256 ")
    assert reference in str(error)
    assert error.reference == reference
    assert error.digest == digest_of(BIG)
    assert isinstance(error, LookupError)
    assert isinstance(error, PayloadError)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda data: data[:-1] + b"!", "its object's SHA-256 is "),
        (lambda data: data + b" ", "its object holds 40,016 bytes, not 40,015"),
        (lambda data: b"", "its object holds 0 bytes, not 40,015"),
    ],
)
def test_a_changed_object_is_refused_never_returned(damage, problem) -> None:  # type: ignore[no-untyped-def]
    store = MemoryStore()
    text = "w" * 40_015
    reference = offload(text, store, "the input")
    digest = digest_of(text)
    store.put(digest, damage(store.get(digest)))
    clear_cache()
    for _ in range(2):  # nothing of the damaged object was cached either
        with pytest.raises(PayloadCorruptedError) as caught:
            resolve(reference, what="the result of activity 'a-1'")
        message = str(caught.value)
        assert message.startswith(f"the result of activity 'a-1': payload {reference} is ")
        assert problem in message
        assert caught.value.reference == reference


def test_bytes_that_are_not_text_are_refused() -> None:
    store = register(MemoryStore())
    data = b"\xff\xfe" * 20_000
    digest = hashlib.sha256(data).hexdigest()
    store.put(digest, data)
    with pytest.raises(PayloadCorruptedError, match="its object is not UTF-8"):
        resolve(f"swf+memory://{store.location}/sha256/{digest} {len(data)}")


def test_memory_store_as_a_container() -> None:
    store = MemoryStore()
    offload(BIG, store, "the input")
    assert digest_of(BIG) in store
    assert "0" * 64 not in store
    with pytest.raises(PayloadMissingError, match=r"payload sha256 0+ is not in MemoryStore"):
        store.get("0" * 64)


def test_a_memory_reference_of_another_process_is_missing() -> None:
    reference = f"swf+memory://999999/sha256/{'0' * 64} 40000"
    with pytest.raises(PayloadMissingError, match="its memory store is not in this process"):
        resolve(reference)


def test_an_unknown_scheme_needs_a_registered_store() -> None:
    class VaultStore(MemoryStore):
        scheme = "vault"

    digest = digest_of(BIG)
    reference = f"swf+vault://main/sha256/{digest} {len(BIG)}"
    with pytest.raises(PayloadError, match=r"no 'vault' store is registered"):
        resolve(reference)
    store = VaultStore()
    store.location = "main"
    store.put(digest, BIG.encode())
    assert register(store) is store
    assert resolve(reference) == BIG


def test_register_refuses_what_is_not_a_store() -> None:
    with pytest.raises(ValidationError, match="must be a PayloadStore, got str"):
        register("s3://bucket")  # type: ignore[arg-type]


def test_a_store_is_an_abstract_base_class() -> None:
    with pytest.raises(TypeError):
        PayloadStore()  # type: ignore[abstract]
    assert repr(MemoryStore()).startswith("MemoryStore('memory://")


# -- the file store -----------------------------------------------------------------------


def test_file_store_layout_and_round_trip(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "payloads")
    reference = offload(BIG, store, "the input")
    digest = digest_of(BIG)
    path = tmp_path / "payloads" / "sha256" / digest
    assert store.path(digest) == str(path)
    assert path.read_text() == BIG
    assert reference == f"swf+file://{tmp_path}/payloads/sha256/{digest} {len(BIG)}"
    assert [p.name for p in path.parent.iterdir()] == [digest]  # no temporary file left
    clear_cache()
    assert resolve(reference) == BIG


def test_a_file_reference_is_read_without_a_registered_store(tmp_path: Path) -> None:
    """Another process reads a file reference with a store built from it."""
    digest = digest_of(BIG)
    (tmp_path / "sha256").mkdir()
    (tmp_path / "sha256" / digest).write_text(BIG)
    assert resolve(f"swf+file://{tmp_path}/sha256/{digest} {len(BIG)}") == BIG


def test_file_store_missing_and_damaged(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    reference = offload(BIG, store, "the input")
    path = Path(store.path(digest_of(BIG)))
    path.write_text(BIG.upper())
    clear_cache()
    with pytest.raises(PayloadCorruptedError, match="SHA-256"):
        resolve(reference)
    assert offload(BIG, store, "the input") == reference  # writing again mends it
    clear_cache()
    assert resolve(reference) == BIG
    path.unlink()
    clear_cache()
    with pytest.raises(PayloadMissingError, match=f"no file {re.escape(str(path))}"):
        resolve(reference)


def test_file_store_write_failure_is_a_payload_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    store = FileStore(tmp_path / "file")
    with pytest.raises(PayloadError, match="cannot write payload sha256") as caught:
        offload(BIG, store, "the input")
    assert not isinstance(caught.value, PayloadMissingError)


def test_file_store_read_failure_is_a_payload_error(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    os.makedirs(store.path("0" * 64))  # a directory where the file should be
    with pytest.raises(PayloadError, match="cannot read payload sha256") as caught:
        store.get("0" * 64)
    assert not isinstance(caught.value, PayloadMissingError)


# -- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "kind", "location"),
    [
        ("s3://bucket", S3Store, "bucket"),
        ("s3://bucket/", S3Store, "bucket"),
        ("s3://bucket/swf/payloads/", S3Store, "bucket/swf/payloads"),
        ("file:///srv/payloads", FileStore, "/srv/payloads"),
        ("memory://", MemoryStore, None),
    ],
)
def test_store_from_uri(uri: str, kind: type[PayloadStore], location: str | None) -> None:
    store = store_from_uri(uri, max_size=1000)
    assert type(store) is kind
    assert store.max_size == 1000
    if location is not None:
        assert store.location == location
        assert store_from_uri(store.uri).location == location


def test_a_relative_file_uri_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert store_from_uri("file://payloads").location == str(tmp_path / "payloads")


@pytest.mark.parametrize(
    "uri", ["", "bucket", "s3://", "s3:///prefix", "file://", "memory://x", "gs://b/p", "S3://b"]
)
def test_store_from_uri_refuses_other_uris(uri: str) -> None:
    with pytest.raises(ValidationError, match="not a payload store URI"):
        store_from_uri(uri)


@pytest.mark.parametrize(
    ("bucket", "max_size"), [("", 1), ("a/b", 1), (" b", 1), ("bucket", 0), ("bucket", True)]
)
def test_s3_store_checks_its_arguments(bucket: str, max_size: int) -> None:
    with pytest.raises(ValidationError):
        S3Store(bucket, max_size=max_size)


def test_s3_store_keys() -> None:
    digest = "c" * 64
    assert S3Store("b").key(digest) == f"sha256/{digest}"
    store = S3Store("b", "/swf/payloads/")
    assert store.key(digest) == f"swf/payloads/sha256/{digest}"
    assert store.reference(digest, 5).text == f"swf+s3://b/swf/payloads/sha256/{digest} 5"
    assert store.uri == "s3://b/swf/payloads"


def test_the_environment_names_the_default_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWF_PAYLOAD_STORE", f"file://{tmp_path}")
    store = default_store()
    assert isinstance(store, FileStore)
    assert store.location == str(tmp_path)
    assert default_store() is store  # built once per value
    reference = offload(BIG, None, "the input")
    assert reference.startswith(f"swf+file://{tmp_path}/sha256/")
    explicit = MemoryStore()
    configure(explicit)  # configure() wins over the environment
    assert default_store() is explicit
    configure(None)
    monkeypatch.setenv("SWF_PAYLOAD_STORE", "ftp://nowhere")
    with pytest.raises(ConfigurationError, match=r"SWF_PAYLOAD_STORE='ftp://nowhere': not a"):
        default_store()


def test_configure_takes_a_uri(tmp_path: Path) -> None:
    configure(f"file://{tmp_path}")
    store = default_store()
    assert isinstance(store, FileStore)
    assert store.root == str(tmp_path)


def test_payload_errors_are_swf_errors() -> None:
    for cls in (PayloadError, PayloadMissingError, PayloadCorruptedError):
        assert issubclass(cls, SWFError)
    error = PayloadCorruptedError("x", reference="r", store="s", digest="d", code="c")
    assert (error.reference, error.store, error.digest, error.code) == ("r", "s", "d", "c")


def test_after_a_fork_the_default_client_is_built_again() -> None:
    """What a forked child (a worker's pool) runs first: no connection of the parent's."""
    shared = S3Store("bucket")
    own = S3Store("bucket", "own", client=(client := object()))
    shared._client = sentinel = object()
    stores._default_client = (sentinel, 0)
    register(shared)
    register(own)
    payload._after_fork()  # called directly: forking a threaded test process is unsafe
    assert stores._default_client is None
    assert shared._client is None
    assert own._client is client


# -- swf payload get ----------------------------------------------------------------------


def test_cli_payload_get_prints_the_payload(tmp_path: Path) -> None:
    reference = offload(BIG, FileStore(tmp_path), "the input")
    clear_cache()
    result = CliRunner().invoke(cli, ["payload", "get", reference])
    assert result.exit_code == 0, result.output
    assert result.output == BIG + "\n"
    uri, size = reference.split()
    result = CliRunner().invoke(cli, ["--output", "json", "payload", "get", uri, size])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "reference": reference,
        "sha256": digest_of(BIG),
        "size": len(BIG),
        "payload": BIG,
    }
    result = CliRunner().invoke(cli, ["payload", "get", uri])  # no size: the digest is checked
    assert result.output == BIG + "\n"


def test_cli_payload_get_errors(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    reference = offload(BIG, store, "the input")
    os.unlink(store.path(digest_of(BIG)))
    clear_cache()
    result = CliRunner().invoke(cli, ["payload", "get", reference])
    assert result.exit_code == 1
    assert result.output.startswith("Error: payload sha256 ")
    assert "not found" in result.output
    result = CliRunner().invoke(cli, ["payload", "get", "s3://bucket/key"])
    assert result.exit_code == 2
    assert "not a payload reference: 's3://bucket/key'" in result.output


# -- the documentation --------------------------------------------------------------------


def test_the_payload_page_examples_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(str(DOCS / "payloads.rst"), module_relative=False)
    assert result.attempted > 5
    assert result.failed == 0
