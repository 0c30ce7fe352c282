"""Security: credentials never logged or printed; payloads are JSON; identities fit SWF.

A whole workflow (register, start, decide, work, complete) runs on in-process moto with
recognisable fake credentials given three ways (environment, ``swf.settings.set``, the
``~/.swf`` file), with every logger at DEBUG and stdout/stderr captured; neither the access
key id, the secret nor the session token may appear in the logs, the output, or the reprs of
settings, connections and errors. botocore does log each request's headers at DEBUG: the
redaction of :func:`swf.core.install_log_redaction` must keep them useful but blank.
"""

from __future__ import annotations

import io
import json
import logging
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

import swf
from swf import constants, settings
from swf.actors import ActivityWorker, Decider
from swf.core import Connection, redact
from swf.models import ActivityType, Domain, WorkflowType
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision
from swf.testing import DUMMY_ENV

KEYS = {
    "aws_access_key_id": "AKIASECURITYTEST0001",
    "aws_secret_access_key": "security-test-secret-VERY-RECOGNISABLE",
    "aws_session_token": "security-test-session-token-RECOGNISABLE",
}


class _Decider(Decider):
    def decide(self, task: Any) -> list[Any]:
        done = [e for e in task.history if e.event_type == "ActivityTaskCompleted"]
        if done:
            return [WorkflowExecutionDecision.complete(json.dumps({"ok": True}))]
        return [ActivityTaskDecision.schedule("a1", {"name": "work", "version": "1"}, input="{}")]


class _Worker(ActivityWorker):
    def process(self, task: Any) -> Any:
        return json.dumps({"done": json.loads(task.input or "{}")})


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """Every record of every logger, at DEBUG, into one buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    saved = root.level
    names = ("botocore", "boto3", "urllib3", "swf")
    saved_levels = {n: logging.getLogger(n).level for n in names}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


def _full_run(conn: Connection) -> list[str]:
    """Register, start, decide, work, decide; returns reprs and messages to check too."""
    Domain("sec", retention_period=1, client=conn).save()
    wtype = WorkflowType(
        "sec",
        "wf",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=60,
        child_policy="TERMINATE",
        client=conn,
    )
    wtype.save()
    ActivityType(
        "sec",
        "work",
        "1",
        task_list="workers",
        task_heartbeat_timeout=600,
        task_schedule_to_close_timeout=600,
        task_schedule_to_start_timeout=600,
        task_start_to_close_timeout=600,
        client=conn,
    ).save()
    execution = wtype.start_execution(workflow_id="wf-sec", input="{}")
    decider = _Decider("sec", "deciders", client=conn)
    worker = _Worker("sec", "workers", client=conn)
    assert decider.run_once().outcome == "completed"
    assert worker.run_once().outcome == "completed"
    assert decider.run_once().outcome == "completed"
    described = execution.upstream()
    assert described.close_status == "COMPLETED"
    texts = [repr(settings.get()), repr(conn), repr(decider), repr(worker), repr(described)]
    try:
        Domain("no-such-domain", client=conn).upstream()
    except swf.exceptions.SWFError as exc:
        texts += [repr(exc), str(exc)]
    return texts


def _assert_clean(texts: list[str], keys: dict[str, str]) -> None:
    blob = "\n".join(texts)
    for name, value in keys.items():
        assert value not in blob, f"{name} leaked"
    assert not re.search(r"\bAKIA[A-Z0-9]{12,}", blob)


@pytest.mark.parametrize("source", ["environment", "settings.set", "~/.swf"])
def test_no_credential_in_logs_output_or_reprs(
    source: str,
    debug_logs: io.StringIO,
    capsys: pytest.CaptureFixture[str],
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = dict(
        zip(
            ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"),
            (
                DUMMY_ENV["AWS_ACCESS_KEY_ID"],
                DUMMY_ENV["AWS_SECRET_ACCESS_KEY"],
                DUMMY_ENV["AWS_SESSION_TOKEN"],
            ),
            strict=True,
        )
    )
    if source != "environment":
        keys = KEYS
    with mock_aws():  # it sets moto's own FOOBARKEY credentials in the environment
        for name, variable in (
            ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
            ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
            ("aws_session_token", "AWS_SESSION_TOKEN"),
        ):
            if source == "environment":
                monkeypatch.setenv(variable, keys[name])
            else:
                monkeypatch.delenv(variable, raising=False)
        if source == "settings.set":
            settings.set(**keys)
        elif source == "~/.swf":
            config = tmp_path / "swf.cfg"
            config.write_text("[credentials]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items()))
            monkeypatch.setenv("SWF_CONFIG_FILE", str(config))
        conn = Connection()
        assert conn.settings.aws_access_key_id == keys["aws_access_key_id"]
        texts = _full_run(conn)
    captured = capsys.readouterr()
    logs = debug_logs.getvalue()
    # DEBUG logging stayed on: the request headers were logged, with the key blanked out
    assert "Credential=<redacted>" in logs
    assert "SWF RespondActivityTaskCompleted" in logs
    _assert_clean([logs, captured.out, captured.err, *texts], keys)


def test_redact_blanks_headers_tokens_and_known_secrets() -> None:
    header = (
        "{'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20261123/"
        "us-east-1/swf/aws4_request, SignedHeaders=host, Signature=0a1b2c3d', "
        "'X-Amz-Security-Token': b'FwoGZXIvYXdzEXAMPLE'}"
    )
    text = redact(header + "\nx-amz-security-token:FwoGZXIvYXdzEXAMPLE")
    assert "AKIAEXAMPLE000000001" not in text
    assert "0a1b2c3d" not in text
    assert "FwoGZXIvYXdzEXAMPLE" not in text
    assert "Credential=<redacted>/20261123" in text
    assert "Signature=<redacted>" in text


def test_other_loggers_are_untouched(debug_logs: io.StringIO) -> None:
    logging.getLogger("myapp").debug("key %s", "AKIAEXAMPLE000000001")
    assert "key AKIAEXAMPLE000000001" in debug_logs.getvalue()  # not ours to change


# -- payloads are JSON, never pickle or eval -----------------------------------------------

_UNSAFE = re.compile(
    r"^\s*(import|from)\s+(pickle|cPickle|marshal|shelve|dill)\b"
    r"|\bpickle\.(loads?|dumps?)\(|(?<![\w.])(eval|exec)\(|yaml\.load\(",
    re.MULTILINE,
)


def test_no_pickle_eval_or_exec_in_the_package() -> None:
    root = pathlib.Path(swf.__file__).parent
    offenders = {
        str(path.relative_to(root)): _UNSAFE.findall(path.read_text(encoding="utf-8"))
        for path in root.rglob("*.py")
        if _UNSAFE.search(path.read_text(encoding="utf-8"))
    }
    # swf/models/base.py compiles the models' trusted constructors from its own source text
    # (no user data reaches it); swf/models/event/_shapes.py compiles the events' shape checks
    # from botocore's SWF service model (member names, written as repr() literals; no user
    # data reaches it): the two allowed execs.
    offenders.pop("models/base.py", None)
    offenders.pop("models/event/_shapes.py", None)
    assert offenders == {}


def test_identity_is_cut_to_swf_limit(swf_backend: Connection) -> None:
    long_identity = "worker-" + "i" * 400
    worker = _Worker("sec", "workers", identity=long_identity, client=swf_backend)
    decider = _Decider("sec", "deciders", identity=long_identity, client=swf_backend)
    assert len(worker.identity) == constants.MAX_IDENTITY_LENGTH == 256
    assert len(decider.identity) == 256
    assert worker.identity.startswith("worker-iii")
