"""What the swf command prints (issue 12, command line 1-5): ids never cut, conflicting flags,
usage errors in the command line's words, -o anywhere, colours."""

from __future__ import annotations

import io
import json
import re
import sys
from typing import Any

import pytest
from click.testing import CliRunner, Result

from swf.cli import CliState, cli
from swf.cli.output import print_table
from swf.core import Connection
from swf.models import Domain, WorkflowType

LONG_ID = "demo-b9e6d2f1-3c4d-4e5f-8a9b-0123456789ab-" + "x" * 60


def invoke(conn: Connection, *args: str, env: dict[str, str] | None = None) -> Result:
    state = CliState(conn, domain="cli")
    return CliRunner().invoke(cli, list(args), obj=state, env=env, catch_exceptions=False)


@pytest.fixture
def conn(swf_backend: Connection) -> Connection:
    Domain("cli", description="for the CLI", retention_period=1, client=swf_backend).save()
    WorkflowType(
        "cli",
        "flow",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=30,
        child_policy="TERMINATE",
        client=swf_backend,
    ).save()
    return swf_backend


@pytest.fixture
def started(conn: Connection) -> str:
    workflow_type = WorkflowType("cli", "flow", "1", client=conn)
    execution = workflow_type.start_execution(LONG_ID, tag_list=["t" * 200, "second"])
    assert execution.run_id
    return execution.run_id


# -- 1. ids are never cut -----------------------------------------------------------------------


def test_piped_ids_and_run_ids_are_whole(conn: Connection, started: str) -> None:
    result = invoke(conn, "execution", "list")
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("demo-")]
    assert row.split()[:2] == [LONG_ID, started]
    assert "t" * 200 in row  # piped: nothing wraps or shortens either


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("columns", [80, 40])
def test_on_a_narrow_terminal_ids_stay_whole_and_the_rest_wraps(
    monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    run_id = "22bXqLxYzYtN0Hn8Y8qN3wQk7cW0aBcDeFgHiJkLmNoP="
    print_table(
        ("workflow id", "run id", "type", "status", "tags"),
        [(LONG_ID, run_id, "flow 1", "OPEN", "a long list of tags " * 5)],
    )
    text = terminal.getvalue()
    assert LONG_ID in text and run_id in text and "flow 1" in text
    assert "…" not in text and "..." not in text
    assert text.split().count("long") == 5  # the tags wrap, whole words kept


def test_empty_results_say_so(conn: Connection) -> None:
    result = invoke(conn, "execution", "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No workflow executions found in domain 'cli'.\n"
    assert invoke(conn, "-o", "json", "execution", "list").stdout == "[]\n"


# -- 2. conflicting flags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--raw", "--compiled"], "--compiled and --raw are different views: choose one"),
        (["--typed", "--raw"], "--typed and --raw are different views"),
        (["--json", "--compiled"], "--json prints the whole history; for the compiled view"),
        (["--json", "--raw"], "--json prints the whole history as one document"),
        (["--raw", "-o", "json"], "--raw prints one JSON object per line"),
    ],
)
def test_conflicting_history_flags_are_usage_errors(
    conn: Connection, started: str, args: list[str], message: str
) -> None:
    before = sum(conn.calls.values())
    result = invoke(conn, "history", LONG_ID, *args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}" + result.stderr.split(message, 1)[1]
    assert result.stderr.count("\n") == 1
    assert sum(conn.calls.values()) == before


# -- 3. usage errors name what the user typed ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["execution", "list", "--started-after", "3"], "--started-after 3 is not a meaningful"),
        (["execution", "list", "--start-oldest-date", "3"], "--start-oldest-date 3 is not"),
        (["execution", "list", "--started-after=soon"], "--started-after 'soon' is not a date"),
        (["execution", "list", "--tag", "a", "--type", "b"], "SWF takes only one of --tag, --type"),
        (["execution", "list", "--type-version", "2"], "--type-version '2' needs --type"),
        (["domain", "register", "d2", "--retention-days", "100"], "--retention-days must be"),
        (["execution", "start", "flow", "1", "--tag", "x" * 300], "--tag is 300 characters"),
        (["type", "register", "t", "v" * 65], "VERSION"),
        (["execution", "signal", LONG_ID, "a:b"], "SIGNAL_NAME"),
    ],
)
def test_refused_values_are_one_line_usage_errors_naming_the_option(
    conn: Connection, args: list[str], starts: str
) -> None:
    result = invoke(conn, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {starts}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert not re.search(
        r"\b(start_oldest_date|workflow_type_name|retention_period)\b", result.stderr
    )


@pytest.mark.parametrize("word", ["yesterday", "tomorrow", "today", "now", "3 days ago"])
def test_date_words_are_dates(conn: Connection, started: str, word: str) -> None:
    result = invoke(conn, "-o", "json", "execution", "list", "--started-before", "tomorrow",
                    "--started-after", word)  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [e["workflow_id"] for e in listed] == ([] if word in ("tomorrow", "now") else [LONG_ID])


# -- 4. -o anywhere, one JSON shape ------------------------------------------------------------


def test_output_after_the_subcommand(conn: Connection, started: str) -> None:
    before = json.loads(invoke(conn, "-o", "json", "execution", "list").stdout)
    after = json.loads(invoke(conn, "execution", "list", "-o", "json").stdout)
    long_form = json.loads(invoke(conn, "execution", "list", "--output", "json").stdout)
    assert before == after == long_form and after[0]["run_id"] == started
    assert json.loads(invoke(conn, "domain", "describe", "cli", "-o", "json").stdout)["name"]
    assert invoke(conn, "-o", "json", "execution", "list", "-o", "table").stdout.startswith(
        "workflow id"
    )


# -- 5. colours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color"], {"NO_COLOR": "1"}, True),
        (["--no-color"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "0"}, False),
    ],
)
def test_colours_follow_the_flags_and_the_environment(
    conn: Connection, args: list[str], env: dict[str, str], coloured: bool
) -> None:
    clean: dict[str, Any] = {"NO_COLOR": None, "FORCE_COLOR": None, **env}
    result = invoke(conn, *args, "domain", "describe", "cli", env=clean)
    assert result.exit_code == 0
    assert ("\x1b[" in result.stdout) is coloured
    assert "for the CLI" in result.stdout
