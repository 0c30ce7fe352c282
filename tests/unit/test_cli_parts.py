"""Pieces of the swf command that need no backend: formatting, class loading, exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import click
import pytest
from click.testing import CliRunner

from swf.actors import ActivityWorker, Decider
from swf.cli import (
    CliState,
    cli,
    execution_json,
    format_seconds,
    load_class,
    main,
    with_progress,
)
from swf.models import WorkflowExecution, WorkflowType


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0.25, "0.250s"),
        (12.04, "12.0s"),
        (185, "3m05s"),
        (7380, "2h03m"),
        (3 * 86400 + 7200, "3d02h"),
    ],
)
def test_format_seconds(seconds: float | None, text: str) -> None:
    assert format_seconds(seconds) == text


def test_progress_is_silent_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(with_progress(iter(range(5)), "things")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr() == ("", "")


def test_load_class() -> None:
    assert load_class("swf.demo:DemoDecider", Decider).__name__ == "DemoDecider"
    assert load_class("swf.demo.DemoWorker", ActivityWorker).__name__ == "DemoWorker"
    with pytest.raises(click.BadParameter, match="is not a Decider subclass"):
        load_class("swf.demo:DemoWorker", Decider)
    with pytest.raises(click.BadParameter, match="cannot import"):
        load_class("no_such_module_xyz:Thing", Decider)
    with pytest.raises(click.BadParameter, match="is not MODULE:CLASS"):
        load_class("plain", Decider)


def test_execution_json_is_stable() -> None:
    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    execution = WorkflowExecution(
        "d",
        "wf",
        "run",
        workflow_type=WorkflowType("d", "flow", "1"),
        status="OPEN",
        tag_list=["a"],
        start_timestamp=start,
        parent=WorkflowExecution("d", "p", "prun"),
    )
    assert execution_json(execution) == {
        "domain": "d",
        "workflow_id": "wf",
        "run_id": "run",
        "workflow_type": {"name": "flow", "version": "1"},
        "status": "OPEN",
        "close_status": None,
        "tag_list": ["a"],
        "start_timestamp": "2026-11-01T00:00:00+00:00",
        "close_timestamp": None,
        "cancel_requested": False,
        "parent": {"workflow_id": "p", "run_id": "prun"},
    }
    json.dumps(execution_json(execution))


def test_usage_errors_exit_2_before_any_connection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--output", "yaml", "domain", "list"]) == 2
    assert "Invalid value for '--output'" in capsys.readouterr().err
    assert main(["execution", "list"]) == 2  # no domain anywhere
    assert "SWF_DOMAIN" in capsys.readouterr().err
    assert main(["type", "describe", "a"]) == 2  # VERSION missing
    assert "Missing argument 'VERSION'" in capsys.readouterr().err


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"], obj=CliState())
    assert result.exit_code == 0
    for command in (
        "decider", "demo", "diagnose", "domain", "execution", "history", "local", "profile",
        "tasks", "type", "worker",
    ):  # fmt: skip
        assert f"  {command} " in result.stdout
    sub = CliRunner().invoke(cli, ["execution", "--help"])
    for command in ("cancel", "count", "info", "list", "signal", "start", "terminate"):
        assert f"  {command} " in sub.stdout


def test_connection_is_built_from_the_options() -> None:
    state = CliState(region="eu-west-1", endpoint_url="https://swf.example.com")
    assert state.connection.settings.region == "eu-west-1"
    assert state.connection.settings.endpoint_url == "https://swf.example.com"
    assert state.connection is state.connection


def test_a_local_endpoint_gets_a_local_connection() -> None:
    """The same handling as LocalSWF's connections (issue 12, command line 8)."""
    from swf.local import LocalConnection

    state = CliState(region="eu-west-1", endpoint_url="http://127.0.0.1:1")
    assert isinstance(state.connection, LocalConnection)
    assert state.connection.client.meta.region_name == "eu-west-1"
    assert state.connection.client.meta.endpoint_url == "http://127.0.0.1:1"
    for url in ("http://localhost:5000", "http://[::1]:5000", "http://127.0.0.2"):
        assert isinstance(CliState(endpoint_url=url).connection, LocalConnection)
    for url in ("https://127.0.0.1:5000", "http://10.0.0.1:5000", "https://swf.example.com"):
        assert not isinstance(CliState(endpoint_url=url).connection, LocalConnection)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(with_progress(iter(range(3)), "history events")) == [0, 1, 2]
    shown = terminal.getvalue()
    assert "history events: 3" in shown
    assert shown.endswith("\x1b[2K")  # transient: the line is erased at the end


def test_one_shortener_and_one_duration_format() -> None:
    from swf.cli.output import format_offset, format_span, shorten
    from swf.validation import truncate

    assert shorten("x" * 40) == "x" * 40
    assert shorten("x" * 41) == "x" * 37 + "..." == truncate("x" * 41, 40)
    assert shorten(12345, width=4) == "1..."
    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    assert format_offset(start + dt.timedelta(seconds=0.343), start) == "+0.343s"
    assert format_offset(start + dt.timedelta(seconds=75.1), start) == "+1m15s"
    assert format_offset(None, start) is None and format_offset(start, None) is None
    assert format_span(start, start + dt.timedelta(hours=2, minutes=3)) == "2h03m"
    assert format_span(None, start) is None
    assert (format_span(dt.datetime.now(dt.timezone.utc), None) or "").startswith("0.0")  # to now
