"""``swf replay``: run a decider on a saved history, offline."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import click

from swf.cli.actors import load_class
from swf.cli.app import CliState, cli, pass_state
from swf.cli.output import echo_json, print_table, shorten, type_label

__all__ = ["replay_command"]


#: Decision attributes that are ids or names: never cut.
_WHOLE = frozenset(
    {"activityId", "timerId", "workflowId", "runId", "markerName", "signalName", "id"}
)


def _attributes_text(attributes: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attributes.items():
        if isinstance(value, Mapping) and set(value) == {"name", "version"}:
            value = type_label(value)
        elif isinstance(value, Mapping) and set(value) == {"name"}:
            value = value["name"]
        parts.append(f"{name}={value if name in _WHOLE else shorten(value)}")
    return " ".join(parts)


@cli.command("replay")
@click.argument("spec", metavar="MODULE:CLASS")
@click.argument("history_file", metavar="HISTORY", type=click.File("r", encoding="utf-8"))
@click.option(
    "--upto",
    type=click.IntRange(min=1),
    default=None,
    help="Replay the decision task started at or before this event id (default: the last).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Replay every decision task and compare with the recorded decisions (exit 1 if any "
    "differs).",
)
@click.option(
    "--unordered",
    is_flag=True,
    help="With --check: compare each task's decisions in any order (default: in order).",
)
@click.option(
    "--workflow-id",
    default=None,
    help="Workflow id given to the task (default: what the history shows, else 'replay').",
)
@pass_state
def replay_command(
    state: CliState,
    spec: str,
    history_file: Any,
    upto: int | None,
    check: bool,
    unordered: bool,
    workflow_id: str | None,
) -> None:
    """Run the decider (or swf.flow workflow) MODULE:CLASS on a saved HISTORY, offline.

    HISTORY is what `swf history --json` writes. Without --check: the decisions the decider
    makes now at one decision task. With --check: every decision task is replayed and
    compared with what the history recorded; the exit code is 1 when one differs.
    """
    from swf.actors import Decider
    from swf.flow import Workflow
    from swf.models.history import History
    from swf.replay import Replayer

    if upto is not None and check:
        raise click.UsageError("--upto and --check do not go together: --check replays every task")
    if unordered and not check:
        raise click.UsageError("--unordered only applies to --check")
    decider = load_class(spec, (Decider, Workflow))
    history = History.from_json(history_file)
    replayer = Replayer(decider, domain=state.domain, workflow_id=workflow_id)
    if check:
        report = replayer.check(history, ordered=not unordered)
        if state.json:
            echo_json(report.to_dict())
        else:
            click.echo(str(report).splitlines()[0])
            if not report.ok:
                print_table(
                    ("event", "task", "expected (recorded)", "got (replayed)"),
                    (
                        (
                            m.event_id,
                            m.decision_task_event_id,
                            m.expected if m.expected is not None else "nothing",
                            m.got if m.got is not None else "nothing",
                        )
                        for m in report
                    ),
                )
        if not report.ok:
            sys.exit(1)
        return
    task = replayer.task(history, upto)
    decisions = replayer.replay(history, upto)
    if state.json:
        echo_json(
            {
                "started_event_id": task.started_event_id,
                "previous_started_event_id": task.previous_started_event_id,
                "decisions": [decision.to_api() for decision in decisions],
            }
        )
        return
    title = (
        f"Decision task started at event {task.started_event_id}: "
        f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}"
    )
    print_table(
        ("#", "decision", "attributes"),
        (
            (n, decision.decision_type.value, _attributes_text(decision.attributes))
            for n, decision in enumerate(decisions, 1)
        ),
        title=title,
    )
