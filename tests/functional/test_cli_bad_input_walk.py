"""The walk of issue 17 for the command line: each option that takes a value, fed bad values.

Every value of the pool that fits in ``argv`` (``tests/bad_input_walk.py``'s strings, and
numbers written out) goes to each option below, then hypothesis draws more text. The command
runs in-process (click's CliRunner) on a connection to a closed loopback port:

- a refused value is a usage error: exit status 2, exactly one ``Error:`` line, on one line,
  showing the value, no traceback, and nothing sent;
- an accepted value runs the command, whose request the closed port refuses (exit 1 with
  "Could not connect"), or it succeeds (exit 0).

The option's oracle (the walk's kinds, written from SWF's documentation) says which when it
can tell. The command line turns every ``ValidationError`` into a usage error; a bad
``--region`` or ``--endpoint-url`` is one too, since settings refuse a value with
:class:`~swf.exceptions.InvalidSettingError` (a ``ConfigurationError`` and a
``ValidationError``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from bad_input_table import closed_port_connection
from bad_input_walk import (
    DATE,
    DESCRIPTION,
    DURATION,
    DURATION_NO_NONE,
    INPUT,
    NAME,
    REASON,
    RETENTION,
    SETTING_KINDS,
    VALUES,
    Kind,
    shows,
)
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swf.cli import CliState, cli

CLOSED = "http://127.0.0.1:9"
V = object()  # where the value goes in a command line

#: The strings of the walk's pool, and numbers as a user types them.
CLI_VALUES: list[str] = [v for v in VALUES if isinstance(v, str) and "\x00" not in v] + [
    "31536001",
    "99999999999",
    "1e400",
    "2.5",
    "-0",
    "2026-01-01T00:00:00Z",
]


@dataclass(frozen=True)
class CliCase:
    """``swf ARGS`` with a value at ``V``; ``injected``: on the test's connection (False: the
    command builds its own from --region/--endpoint-url, aimed at the closed port)."""

    name: str
    args: Sequence[Any]
    kind: Kind
    injected: bool = True


CASES = [
    CliCase("execution list --started-after", ["execution", "list", "--started-after", V], DATE),
    CliCase("execution list --started-before", ["execution", "list", "--started-before", V], DATE),
    CliCase(
        "execution list --closed-after",
        ["execution", "list", "-s", "closed", "--closed-after", V],
        DATE,
    ),
    CliCase(
        "execution count --closed-before",
        ["execution", "count", "-s", "closed", "--closed-before", V],
        DATE,
    ),
    CliCase("execution list --workflow-id", ["execution", "list", "--workflow-id", V], NAME),
    CliCase(
        "execution start --execution-timeout",
        ["execution", "start", "wt", "1", "--execution-timeout", V],
        DURATION_NO_NONE,
    ),
    CliCase(
        "execution start --decision-tasks-timeout",
        ["execution", "start", "wt", "1", "--decision-tasks-timeout", V],
        DURATION,
    ),
    CliCase(
        "execution start --workflow-id", ["execution", "start", "wt", "1", "--workflow-id", V], NAME
    ),
    CliCase(
        "execution start --task-list", ["execution", "start", "wt", "1", "--task-list", V], NAME
    ),
    CliCase("execution start --input", ["execution", "start", "wt", "1", "--input", V], INPUT),
    CliCase("execution start TYPE", ["execution", "start", V, "1"], NAME),
    CliCase("execution signal NAME", ["execution", "signal", "wf", V], NAME),
    CliCase(
        "execution terminate --reason", ["execution", "terminate", "wf", "--reason", V], REASON
    ),
    CliCase("domain register NAME", ["domain", "register", V], NAME),
    CliCase(
        "domain register --retention-days",
        ["domain", "register", "d", "--retention-days", V],
        RETENTION,
    ),
    CliCase(
        "domain register --description",
        ["domain", "register", "d", "--description", V],
        DESCRIPTION,
    ),
    CliCase("type register NAME", ["type", "register", V, "1"], NAME),
    CliCase(
        "type register --execution-timeout",
        ["type", "register", "t", "1", "--execution-timeout", V],
        DURATION_NO_NONE,
    ),
    CliCase(
        "type register --decision-tasks-timeout",
        ["type", "register", "t", "1", "--decision-tasks-timeout", V],
        DURATION,
    ),
    CliCase(
        "type register --heartbeat-timeout",
        ["type", "register", "t", "1", "--kind", "activity", "--heartbeat-timeout", V],
        DURATION,
    ),
    CliCase(
        "type register --start-to-close-timeout",
        ["type", "register", "t", "1", "--kind", "activity", "--start-to-close-timeout", V],
        DURATION,
    ),
    CliCase(
        "--region",
        ["--region", V, "--endpoint-url", CLOSED, "domain", "list"],
        SETTING_KINDS["region"],
        injected=False,
    ),
    CliCase(
        "--endpoint-url",
        ["--endpoint-url", V, "domain", "list"],
        SETTING_KINDS["endpoint_url"],
        injected=False,
    ),
]


def invoke(case: CliCase, value: str) -> tuple[str, str]:
    """Run the case with ``value``; returns (verdict, detail)."""
    args = [value if part is V else part for part in case.args]
    connection = closed_port_connection()
    state = CliState(connection if case.injected else None, domain="cli")
    result = CliRunner().invoke(cli, args, obj=state)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "crash", f"{type(result.exception).__name__}: {result.exception}"
    if "Traceback" in output:
        return "traceback", output[-300:]
    sent = sum(connection.calls.values()) > 0 or "Could not connect" in output
    if result.exit_code == 0 or (result.exit_code == 1 and sent):
        valid = case.kind.oracle(value)
        return ("invalid value accepted", output[-200:]) if valid is False else ("accepted", "")
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    if result.exit_code != 2:
        return f"exit {result.exit_code}, not a usage error", output[-300:]
    if sent:
        return "usage error after a request", output[-300:]
    if len(errors) != 1:
        return "not one Error: line", output[-300:]
    if not shows(errors[0], value):
        return "value not shown", errors[0]
    if value.startswith("-") and "No such option" in errors[0]:
        return "refused", errors[0]  # click reads it as an option: a user would write '--'
    if case.kind.oracle(value) is True:
        return "valid value refused", errors[0]
    return "refused", errors[0]


def _failures(case: CliCase, values: Sequence[str]) -> list[str]:
    failures = []
    for value in values:
        verdict, detail = invoke(case, value)
        if verdict not in ("refused", "accepted"):
            failures.append(f"{case.name} {value[:40]!r}: {verdict}: {detail}")
    return failures


@pytest.fixture(autouse=True)
def _no_swf_domain() -> None:
    os.environ.pop("SWF_DOMAIN", None)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_option_with_every_value(case: CliCase) -> None:
    failures = _failures(case, CLI_VALUES)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    case=st.sampled_from(CASES),
    value=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
)
def test_drawn_text_at_each_option(case: CliCase, value: str) -> None:
    assert not _failures(case, [value])


def test_the_walk_covers_every_kind_of_option() -> None:
    assert len(CASES) * len(CLI_VALUES) >= 1000
    assert {case.kind.name for case in CASES} >= {"date", "duration", "name (256)"}
