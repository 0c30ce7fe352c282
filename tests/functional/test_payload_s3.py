"""swf.flow.payload on moto's S3, in process: the S3 store, its errors, simpleflow's
references, ``swf payload get`` and ``swf history --resolve``, and docs/payloads.rst's
lifecycle rule."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ResponseStreamingError
from botocore.stub import Stubber
from click.testing import CliRunner
from moto import mock_aws

from swf.cli import CliState, cli
from swf.exceptions import (
    ConfigurationError,
    PayloadCorruptedError,
    PayloadError,
    PayloadMissingError,
    TransportError,
)
from swf.flow.payload import (
    S3Store,
    clear_cache,
    configure,
    default_store,
    offload,
    register,
    reset,
    resolve,
)
from swf.testing import TestDomain

BUCKET = "swf-payloads-test"
BIG = json.dumps({"rows": ["é" * 100] * 400}, ensure_ascii=False)
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(autouse=True)
def _fresh_payload_state() -> Iterator[None]:
    """Each test starts as a new process would: no store known, an empty cache."""
    reset()
    yield
    reset()


@pytest.fixture
def s3() -> Iterator[Any]:
    """moto's S3 in this process, with the test bucket."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def keys(s3: Any, bucket: str = BUCKET) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_round_trip_and_layout(s3: Any) -> None:
    store = S3Store(BUCKET, "swf/payloads", s3)
    reference = offload(BIG, store, "the input of activity 'a-1'")
    digest = digest_of(BIG)
    size = len(BIG.encode())
    assert reference == f"swf+s3://{BUCKET}/swf/payloads/sha256/{digest} {size}"
    head = s3.head_object(Bucket=BUCKET, Key=f"swf/payloads/sha256/{digest}")
    assert head["ContentLength"] == size
    assert head["ContentType"] == "text/plain; charset=utf-8"
    clear_cache()
    assert resolve(reference) == BIG


def test_equal_payloads_and_replays_make_one_object(s3: Any) -> None:
    store = S3Store(BUCKET, client=s3)
    references = {offload(BIG, store, f"the result of activity 'a-{n}'") for n in range(5)}
    assert len(references) == 1
    assert keys(s3) == [f"sha256/{digest_of(BIG)}"]


def test_a_missing_object_is_an_error_naming_the_value(s3: Any) -> None:
    store = S3Store(BUCKET, "p", s3)
    reference = offload(BIG, store, "the input")
    s3.delete_object(Bucket=BUCKET, Key=store.key(digest_of(BIG)))
    clear_cache()
    with pytest.raises(PayloadMissingError) as caught:
        resolve(reference, what="the input of activity 'resize-1'")
    error = caught.value
    assert str(error).startswith(
        f"the input of activity 'resize-1': payload s3://{BUCKET}/p/sha256/{digest_of(BIG)} "
        "not found (NoSuchKey: "
    )
    assert error.code == "NoSuchKey"
    assert error.reference == reference
    assert error.store == f"s3://{BUCKET}/p"


def test_a_missing_bucket_on_read_is_a_missing_payload(s3: Any) -> None:
    reference = f"swf+s3://no-such-bucket-here/sha256/{digest_of(BIG)} {len(BIG.encode())}"
    with pytest.raises(PayloadMissingError) as caught:
        resolve(reference)
    assert caught.value.code == "NoSuchBucket"


def test_a_missing_bucket_on_write_is_a_payload_error(s3: Any) -> None:
    with pytest.raises(PayloadError, match=r"cannot write payload s3://no-such-bucket-here/") as e:
        offload(BIG, S3Store("no-such-bucket-here", client=s3), "the input")
    assert e.value.code == "NoSuchBucket"
    assert not isinstance(e.value, PayloadMissingError)


@pytest.mark.parametrize("damaged", [b"{}", None])
def test_a_changed_object_is_refused(s3: Any, damaged: bytes | None) -> None:
    store = S3Store(BUCKET, client=s3)
    reference = offload(BIG, store, "the input")
    data = BIG.encode()
    body = damaged if damaged is not None else data[:-2] + b"!]"  # same size, other bytes
    s3.put_object(Bucket=BUCKET, Key=store.key(digest_of(BIG)), Body=body)
    clear_cache()
    with pytest.raises(PayloadCorruptedError, match=re.escape(f"payload {reference} is corrupt")):
        resolve(reference)


def test_the_default_client_is_built_from_the_settings(s3: Any) -> None:
    store = S3Store(BUCKET, "default")
    reference = offload(BIG, store, "the input")
    assert keys(s3) == [f"default/sha256/{digest_of(BIG)}"]
    clear_cache()
    assert resolve(reference) == BIG


def test_a_reference_is_read_without_its_store(s3: Any) -> None:
    """Another process: nothing registered for that prefix, a store is built from it."""
    digest = digest_of(BIG)
    s3.put_object(Bucket=BUCKET, Key=f"elsewhere/sha256/{digest}", Body=BIG.encode())
    reference = f"swf+s3://{BUCKET}/elsewhere/sha256/{digest} {len(BIG.encode())}"
    assert resolve(reference) == BIG


def test_the_client_of_a_registered_store_on_the_bucket_is_reused(s3: Any) -> None:
    calls: list[str] = []
    client = boto3.client("s3", region_name="us-east-1")
    client.meta.events.register("before-call.s3.GetObject", lambda **_: calls.append("get"))
    configure(S3Store(BUCKET, "registered", client))
    digest = digest_of(BIG)
    s3.put_object(Bucket=BUCKET, Key=f"other-prefix/sha256/{digest}", Body=BIG.encode())
    assert resolve(f"swf+s3://{BUCKET}/other-prefix/sha256/{digest} {len(BIG.encode())}") == BIG
    assert calls == ["get"]


def test_the_environment_names_an_s3_store(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWF_PAYLOAD_STORE", f"s3://{BUCKET}/from-env/")
    store = default_store()
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix) == (BUCKET, "from-env")
    reference = offload(BIG, None, "the input")
    assert reference.startswith(f"swf+s3://{BUCKET}/from-env/sha256/")
    assert keys(s3) == [f"from-env/sha256/{digest_of(BIG)}"]


# -- simpleflow's references --------------------------------------------------------------


def test_simpleflow_references_are_read(s3: Any) -> None:
    key = "jumbo/5d7191af-1b7e-4c4b-a2b5-cdd39a31ba61"
    s3.put_object(Bucket=BUCKET, Key=key, Body=BIG.encode())
    # simpleflow counts characters; bytes are accepted too
    for size in (len(BIG), len(BIG.encode())):
        clear_cache()
        assert resolve(f"simpleflow+s3://{BUCKET}/{key} {size}") == BIG
    clear_cache()
    with pytest.raises(PayloadCorruptedError, match="characters, not 12"):
        resolve(f"simpleflow+s3://{BUCKET}/{key} 12")
    with pytest.raises(PayloadMissingError, match="NoSuchKey") as caught:
        resolve(f"simpleflow+s3://{BUCKET}/jumbo/gone 12", what="the result of activity 'x'")
    assert str(caught.value).startswith("the result of activity 'x': payload s3://")
    assert caught.value.reference == f"simpleflow+s3://{BUCKET}/jumbo/gone 12"


def test_simpleflow_payloads_are_cached_and_must_be_text(s3: Any) -> None:
    gets: list[str] = []
    client = boto3.client("s3", region_name="us-east-1")
    client.meta.events.register("before-call.s3.GetObject", lambda **_: gets.append("get"))
    register(S3Store(BUCKET, "cached", client))
    s3.put_object(Bucket=BUCKET, Key="sf/text", Body=b'"ok"')
    for _ in range(3):
        assert resolve(f"simpleflow+s3://{BUCKET}/sf/text 4") == '"ok"'
    assert gets == ["get"]
    s3.put_object(Bucket=BUCKET, Key="sf/binary", Body=b"\xff\xfe")
    with pytest.raises(PayloadCorruptedError, match="its object is not UTF-8"):
        resolve(f"simpleflow+s3://{BUCKET}/sf/binary 2")


# -- S3 failures --------------------------------------------------------------------------


def test_access_denied_is_a_payload_error_with_its_code() -> None:
    """moto grants everything: botocore's Stubber plays S3's answer (shared/MOTO.md)."""
    client = boto3.client("s3", region_name="us-east-1")
    store = S3Store(BUCKET, client=client)
    with Stubber(client) as stub:
        stub.add_client_error("put_object", "AccessDenied", "Access Denied", 403)
        stub.add_client_error("get_object", "AccessDenied", "Access Denied", 403)
        with pytest.raises(PayloadError, match=r"cannot write payload .*\(AccessDenied") as put:
            offload(BIG, store, "the input")
        with pytest.raises(PayloadError, match=r"cannot read payload .*\(AccessDenied") as get:
            store.get(digest_of(BIG))
    for caught in (put, get):
        assert caught.value.code == "AccessDenied"
        assert not isinstance(caught.value, PayloadMissingError)


def test_a_transfer_cut_short_is_a_payload_error() -> None:
    class CutShort:
        def read(self) -> bytes:
            raise ResponseStreamingError(error="Connection broken: IncompleteRead")

        def close(self) -> None:
            pass

    client = boto3.client("s3", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response("get_object", {"Body": CutShort()})
        with pytest.raises(PayloadError, match="cannot reach payload .*IncompleteRead"):
            S3Store(BUCKET, client=client).get(digest_of(BIG))


def test_no_credentials_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.session.Session().client(  # a new session: the default one has keys
        "s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
    )
    with pytest.raises(ConfigurationError, match="no AWS credentials to reach payload s3://"):
        offload(BIG, S3Store(BUCKET, client=client), "the input")


def test_an_unreachable_s3_is_a_transport_error() -> None:
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # nothing listens there: refused at once
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=1),
    )
    with pytest.raises(TransportError, match="S3 could not be reached for payload s3://"):
        offload(BIG, S3Store(BUCKET, client=client), "the input")


# -- the command line ---------------------------------------------------------------------


def test_cli_payload_get_on_s3(s3: Any) -> None:
    reference = offload(BIG, S3Store(BUCKET, "cli", s3), "the input")
    clear_cache()
    result = CliRunner().invoke(cli, ["payload", "get", reference])
    assert result.exit_code == 0, result.output
    assert result.stdout == BIG + "\n"
    s3.put_object(Bucket=BUCKET, Key="sf/key", Body=b'{"a": 1}')
    result = CliRunner().invoke(
        cli, ["-o", "json", "payload", "get", f"simpleflow+s3://{BUCKET}/sf/key 8"]
    )
    assert json.loads(result.stdout)["payload"] == '{"a": 1}'
    s3.delete_object(Bucket=BUCKET, Key=f"cli/sha256/{digest_of(BIG)}")
    clear_cache()
    result = CliRunner().invoke(cli, ["payload", "get", reference])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: payload s3://{BUCKET}/cli/sha256/")


def test_cli_history_resolve(swf_domain: TestDomain) -> None:
    """On moto's SWF and S3 (the same mock): inputs and signal inputs shown inline."""
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    store = S3Store(BUCKET, client=s3)
    big_input = offload(BIG, store, "the input")
    signal_text = json.dumps(["s" * 40_000])
    signal_input = offload(signal_text, store, "the signal's input")
    execution = swf_domain.workflow_type.start_execution("w-payload", input=big_input)
    execution.signal("more", input=signal_input)
    state = CliState(connection=swf_domain.connection)

    def history(*options: str) -> Any:
        result = CliRunner().invoke(
            cli, ["-d", "swf-testing", "-o", "json", "history", "w-payload", *options], obj=state
        )
        assert result.exit_code == 0, result.output
        return result

    raw = json.loads(history("--json").stdout)["events"]
    assert raw[0]["workflowExecutionStartedEventAttributes"]["input"] == big_input
    clear_cache()
    resolved = json.loads(history("--json", "--resolve").stdout)["events"]
    assert resolved[0]["workflowExecutionStartedEventAttributes"]["input"] == BIG
    assert resolved[-1]["workflowExecutionSignaledEventAttributes"]["input"] == signal_text
    document = json.loads(history("--resolve").stdout)  # -o json: the same document
    assert document["events"][0]["workflowExecutionStartedEventAttributes"]["input"] == BIG

    s3.delete_object(Bucket=BUCKET, Key=store.key(digest_of(signal_text)))
    clear_cache()
    result = history("--json", "--resolve")
    events = json.loads(result.stdout)["events"]
    assert events[0]["workflowExecutionStartedEventAttributes"]["input"] == BIG
    assert events[-1]["workflowExecutionSignaledEventAttributes"]["input"] == signal_input
    assert result.stderr.startswith(f"Warning: event {len(events)} input: payload s3://")
    assert "not found (NoSuchKey" in result.stderr


# -- the documentation --------------------------------------------------------------------


def test_the_lifecycle_rule_of_the_docs_applies(s3: Any) -> None:
    page = (DOCS / "payloads.rst").read_text()
    block = re.search(
        r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", page[page.index("lifecycle rule") :]
    )
    assert block is not None
    code = "\n".join(line[4:] for line in block[1].splitlines())
    assert "put_bucket_lifecycle_configuration" in code
    s3.create_bucket(Bucket="my-bucket")
    exec(compile(code, "payloads.rst", "exec"), {})
    rules = s3.get_bucket_lifecycle_configuration(Bucket="my-bucket")["Rules"]
    assert [(r["ID"], r["Filter"], r["Expiration"]) for r in rules] == [
        ("expire-swf-payloads", {"Prefix": "swf-payloads/"}, {"Days": 120})
    ]
