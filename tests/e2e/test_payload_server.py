"""Payloads on the local server's S3 (moto's server serves every service), across processes:
one process stores through ``SWF_PAYLOAD_STORE``, the test reads it back, and the ``swf``
command, in other processes, prints it (``swf payload get``) and shows it in a history
(``swf history --resolve``)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from swf.flow.payload import S3Store, clear_cache, register, reset, resolve
from swf.local import LocalConnection, LocalSWF

pytestmark = pytest.mark.e2e

BUCKET = "swf-e2e-payloads"
DOMAIN = "payloads"
WORKFLOW = {"name": "big", "version": "1"}


@pytest.fixture(autouse=True)
def _fresh_payload_state() -> Iterator[None]:
    """No store known before or after (the one registered here talks to this server)."""
    reset()
    yield
    reset()


def run(
    local: LocalSWF, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """A Python process pointed at the server, for SWF and S3 alike."""
    environ = {**os.environ, **local.env, "AWS_ENDPOINT_URL_S3": local.endpoint_url, **env}
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_payloads_across_processes_on_the_local_server(
    local_swf: LocalSWF, local_connection: LocalConnection
) -> None:
    # the environment has swf_env's dummy credentials
    s3 = boto3.client("s3", endpoint_url=local_swf.endpoint_url, region_name=local_swf.region)
    s3.create_bucket(Bucket=BUCKET)
    big = json.dumps({"args": [["p" * 1000] * 100], "kwargs": {}})

    # another process stores it, with the store the environment names and the default client
    writer = run(
        local_swf,
        "-c",
        "import sys; from swf.flow.payload import offload; "
        "print(offload(sys.stdin.read(), None, 'the input'))",
        stdin=big,
        SWF_PAYLOAD_STORE=f"s3://{BUCKET}/e2e",
    )
    assert writer.returncode == 0, writer.stderr
    reference = writer.stdout.strip()
    digest = hashlib.sha256(big.encode()).hexdigest()
    assert reference == f"swf+s3://{BUCKET}/e2e/sha256/{digest} {len(big)}"
    stored = s3.get_object(Bucket=BUCKET, Key=f"e2e/sha256/{digest}")["Body"].read()
    assert stored == big.encode()

    # this process reads it, with its own store and client
    clear_cache()
    register(S3Store(BUCKET, "e2e", s3))  # the store of that location, with this client
    assert resolve(reference) == big

    # swf payload get, in another process
    got = run(local_swf, "-m", "swf", "payload", "get", reference)
    assert got.returncode == 0, got.stderr
    assert got.stdout == big + "\n"

    # swf history --resolve, in another process, of an execution started with the reference
    local_connection.call("RegisterDomain", name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    local_connection.call(
        "RegisterWorkflowType",
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList={"name": "big"},
        defaultExecutionStartToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="60",
        defaultChildPolicy="TERMINATE",
    )
    local_connection.call(
        "StartWorkflowExecution",
        domain=DOMAIN,
        workflowId="big-1",
        workflowType=WORKFLOW,
        input=reference,
    )
    shown = run(local_swf, "-m", "swf", "-d", DOMAIN, "history", "big-1", "--resolve", "--json")
    assert shown.returncode == 0, shown.stderr
    events: list[dict[str, Any]] = json.loads(shown.stdout)["events"]
    assert events[0]["workflowExecutionStartedEventAttributes"]["input"] == big
    plain = run(local_swf, "-m", "swf", "-d", DOMAIN, "history", "big-1", "--json")
    assert (
        json.loads(plain.stdout)["events"][0]["workflowExecutionStartedEventAttributes"]["input"]
        == reference
    )
