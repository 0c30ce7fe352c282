"""A large payload's round trip through :mod:`swf.flow.payload`, against bare S3 calls.

Ours: :func:`~swf.flow.payload.offload` of a 1 MB JSON text to an
:class:`~swf.flow.payload.S3Store` (UTF-8 encoding, SHA-256, ``put_object``), then
:func:`~swf.flow.payload.resolve` of its reference with the cache emptied (``get_object``,
the size and digest checked, UTF-8 decoding). Baseline: ``put_object`` of the same text's
bytes and ``get_object`` of them, decoded, on the same moto S3 in this process, with the same
client. Best CPU time over interleaved rounds; target: at most 1.3x (the digest twice and
the checks must stay small next to the transfer).

A second line shows what the cache saves a decider that replays a history: ``resolve`` of a
reference already read, against the bare ``get_object``.
"""

from __future__ import annotations

import json
import os

import boto3
from moto import mock_aws

from benchmarks.common import Result, best_times
from swf.flow.payload import S3Store, clear_cache, offload, resolve

SIZE = 1_000_000
ROUNDS = 15
BUCKET = "bench-payloads"
TARGET_ROUND_TRIP = 1.3


def _payload(size: int) -> str:
    """A JSON text of ``size`` characters, as a workflow's input would be."""
    row = "x" * 90
    rows = [f"{row}{i:08d}" for i in range(size // 101)]
    text = json.dumps({"rows": rows}, separators=(",", ":"))
    return text + " " * (size - len(text))


def run() -> list[Result]:
    text = _payload(SIZE)
    assert len(text) == SIZE
    env = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        with mock_aws():
            client = boto3.client("s3", region_name="us-east-1")
            client.create_bucket(Bucket=BUCKET)
            store = S3Store(BUCKET, "bench", client)
            reference = offload(text, store, "the benchmark's payload")

            def ours() -> None:
                clear_cache()
                reference = offload(text, store, "the benchmark's payload")
                clear_cache()
                assert len(resolve(reference)) == SIZE

            def bare() -> None:
                client.put_object(Bucket=BUCKET, Key="bare/object", Body=text.encode("utf-8"))
                body = client.get_object(Bucket=BUCKET, Key="bare/object")["Body"]
                assert len(body.read().decode("utf-8")) == SIZE

            def bare_get() -> None:
                body = client.get_object(Bucket=BUCKET, Key="bare/object")["Body"]
                assert len(body.read().decode("utf-8")) == SIZE

            def cached() -> None:
                assert len(resolve(reference)) == SIZE

            round_trip = best_times({"ours": ours, "bare": bare}, rounds=ROUNDS)
            resolve(reference)  # in the cache from now on
            reads = best_times({"cached": cached, "get": bare_get}, rounds=ROUNDS)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        clear_cache()
    return [
        Result(
            "payload round trip, 1 MB (offload + resolve vs put_object + get_object)",
            round_trip["ours"],
            round_trip["bare"],
            target=TARGET_ROUND_TRIP,
        ),
        Result(
            "payload read again, 1 MB (resolve from the cache vs get_object)",
            reads["cached"],
            reads["get"],
        ),
    ]
