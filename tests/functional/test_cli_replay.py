"""swf replay MODULE:CLASS HISTORY: table and JSON output, --upto, --check exit codes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from swf.cli import CliState, cli, main
from swf.core import Connection

SAVED = Path(__file__).parent.parent / "data" / "moto_history.json"

DECIDERS = textwrap.dedent(
    """
    from swf.actors import Decider
    from swf.models import ActivityType
    from swf.models.decision import (
        ActivityTaskDecision, MarkerDecision, TimerDecision, WorkflowExecutionDecision,
    )


    class Recorded(Decider):
        a2_input = "in-a2"

        def schedule(self, task, activity_id, input):
            kind = ActivityType(task.execution.domain, "act", "1", task_list="workers")
            return ActivityTaskDecision.schedule(activity_id, kind, input=input)

        def decide(self, task):
            compiled = task.history.compiled
            if not compiled.activities:
                return [
                    MarkerDecision.record("fan-out", details="2"),
                    self.schedule(task, "a1", "in-a1"),
                    self.schedule(task, "a2", self.a2_input),
                    TimerDecision.start("t1", start_to_fire_timeout=600),
                ]
            if "a3" not in compiled.activities:
                return [self.schedule(task, "a3", "in-a3")]
            return [TimerDecision.cancel("t1"), WorkflowExecutionDecision.complete("finished")]


    class Changed(Recorded):
        a2_input = "in-a2-v2"


    class Reversed(Recorded):
        def decide(self, task):
            return super().decide(task)[::-1]


    class Calls(Decider):
        def decide(self, task):
            task.execution.upstream()
            return []


    class NotADecider:
        pass
    """
)


@pytest.fixture
def deciders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module of deciders, importable as ``replay_deciders``."""
    (tmp_path / "replay_deciders.py").write_text(DECIDERS)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "replay_deciders"


def invoke(*args: str, input: str | None = None) -> Result:
    # A connection that nobody may use: replay is offline.
    state = CliState(Connection(object()), domain="prod")
    return CliRunner().invoke(cli, list(args), obj=state, input=input, catch_exceptions=False)


def test_replay_prints_the_last_decision_task(deciders: str) -> None:
    result = invoke("replay", f"{deciders}:Recorded", str(SAVED))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Decision task started at event 23: 2 decisions"
    assert lines[1].split() == ["#", "decision", "attributes"]
    assert lines[3].split() == ["1", "CancelTimer", "timerId=t1"]
    assert lines[4].split() == ["2", "CompleteWorkflowExecution", "result=finished"]


def test_replay_upto_json(deciders: str) -> None:
    result = invoke("-o", "json", "replay", f"{deciders}:Recorded", str(SAVED), "--upto", "14")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["started_event_id"] == 3
    assert data["previous_started_event_id"] is None
    assert [d["decisionType"] for d in data["decisions"]] == [
        "RecordMarker",
        "ScheduleActivityTask",
        "ScheduleActivityTask",
        "StartTimer",
    ]
    assert data["decisions"][2]["scheduleActivityTaskDecisionAttributes"] == {
        "activityType": {"name": "act", "version": "1"},
        "activityId": "a2",
        "input": "in-a2",
        "taskList": {"name": "workers"},
    }


def test_replay_reads_stdin(deciders: str) -> None:
    result = invoke(
        "-o", "json", "replay", f"{deciders}:Recorded", "-", "--upto", "15", input=SAVED.read_text()
    )
    data = json.loads(result.stdout)
    assert (data["started_event_id"], data["previous_started_event_id"]) == (15, 3)
    assert data["decisions"][0]["scheduleActivityTaskDecisionAttributes"]["activityId"] == "a3"


def test_check_clean_exits_0(deciders: str) -> None:
    result = invoke("replay", f"{deciders}:Recorded", str(SAVED), "--check")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "OK: 3 decision tasks (26 events) replayed, every decision as recorded (compared in order)"
    )
    data = json.loads(
        invoke("-o", "json", "replay", f"{deciders}:Recorded", str(SAVED), "--check").stdout
    )
    assert data == {
        "ok": True,
        "events": 26,
        "ordered": True,
        "decision_tasks": [4, 16, 24],
        "mismatches": [],
    }


def test_check_mismatch_exits_1_with_the_event_ids(deciders: str) -> None:
    result = invoke("replay", f"{deciders}:Changed", str(SAVED), "--check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "1 mismatch in 3 decision tasks (26 events), compared in order:"
    assert lines[1].split()[:2] == ["event", "task"]
    row = lines[3]
    assert row.split()[:2] == ["7", "4"]
    assert "input='in-a2')" in row and "input='in-a2-v2')" in row

    as_json = invoke("-o", "json", "replay", f"{deciders}:Changed", str(SAVED), "--check")
    assert as_json.exit_code == 1
    data: dict[str, Any] = json.loads(as_json.stdout)
    assert data["ok"] is False
    (mismatch,) = data["mismatches"]
    assert (mismatch["event_id"], mismatch["decision_task_event_id"]) == (7, 4)
    assert mismatch["expected"]["attributes"]["input"] == "in-a2"
    assert mismatch["expected"]["event_type"] == "ActivityTaskScheduled"
    assert mismatch["got"]["attributes"]["input"] == "in-a2-v2"


def test_check_unordered(deciders: str) -> None:
    ordered = invoke("-o", "json", "replay", f"{deciders}:Reversed", str(SAVED), "--check")
    assert ordered.exit_code == 1
    assert {m["decision_task_event_id"] for m in json.loads(ordered.stdout)["mismatches"]} == {
        4,
        24,
    }
    unordered = invoke(
        "-o", "json", "replay", f"{deciders}:Reversed", str(SAVED), "--check", "--unordered"
    )
    assert unordered.exit_code == 0
    assert json.loads(unordered.stdout)["ordered"] is False


def test_a_decider_calling_swf_is_one_line_and_exit_1(deciders: str) -> None:
    result = invoke("replay", f"{deciders}:Calls", str(SAVED))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: decide() asked SWF for DescribeWorkflowExecution during an offline replay: a "
        "decider must decide from the task's history alone (while replaying the decision task "
        "started at event 23)"
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["{m}:Nope", "{h}"], "is not a Decider subclass"),
        (["{m}:NotADecider", "{h}"], "is not a Decider subclass"),
        (["no_such_module_xyz:D", "{h}"], "cannot import 'no_such_module_xyz'"),
        (["{m}:Recorded", "/no/such/history.json"], "No such file"),
        (["{m}:Recorded", "{h}", "--upto", "0"], "--upto"),
        (["{m}:Recorded", "{h}", "--upto", "x"], "--upto"),
        (["{m}:Recorded", "{h}", "--upto", "2"], "no decision task started at or before event 2"),
        (["{m}:Recorded", "{h}", "--check", "--upto", "3"], "do not go together"),
        (["{m}:Recorded", "{h}", "--unordered"], "--unordered only applies to --check"),
        (["{m}:Recorded"], "Missing argument 'HISTORY'"),
    ],
)
def test_usage_errors_exit_2(deciders: str, args: list[str], words: str) -> None:
    argv = [a.format(m=deciders, h=SAVED) for a in args]
    result = invoke("replay", *argv)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_a_malformed_history_is_a_usage_error(deciders: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"eventId": "one"}]}')
    result = invoke("replay", f"{deciders}:Recorded", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")


def test_main_entry_point(deciders: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", f"{deciders}:Recorded", str(SAVED), "--check"]) == 0
    assert main(["replay", f"{deciders}:Changed", str(SAVED), "--check"]) == 1
    out = capsys.readouterr().out
    assert "OK: 3 decision tasks" in out and "1 mismatch in 3 decision tasks" in out


def test_replay_check_of_a_flow_workflow_and_of_code_that_changed(tmp_path: Path) -> None:
    import flowapp

    from swf.flow import run_local

    saved = tmp_path / "parent.json"
    saved.write_text(run_local(flowapp.Parent, 2).history.to_json())
    result = invoke("replay", "flowapp:Parent", str(saved), "--check")
    assert result.exit_code == 0, result.output
    changed = invoke("replay", "flowapp:FanOut", str(saved), "--check")
    assert changed.exit_code == 1
    assert "NondeterminismError" in changed.output + changed.stderr
