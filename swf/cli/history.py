"""``swf history``, ``swf tasks``, ``swf profile``, ``swf diagnose``: one execution's history
and what :mod:`swf.inspection` reads in it."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from swf.cli.app import CliState, cli, fail, pass_state
from swf.cli.execution import execution_arguments, target_execution
from swf.cli.output import (
    console,
    echo_json,
    format_offset,
    format_seconds,
    iso,
    json_default,
    print_fields,
    print_table,
    shorten,
    type_label,
    with_progress,
)

__all__ = [
    "diagnose_command",
    "download",
    "history_command",
    "history_event_json",
    "profile_command",
    "tasks_command",
]


def download(
    state: CliState, domain: str | None, workflow_id: str, run_id: str | None
) -> tuple[Any, Any]:
    """The execution (its run resolved once) and its whole history, with progress."""
    from swf.models.history import History
    from swf.models.workflow import find_run

    target = target_execution(state, domain, workflow_id, run_id)
    if target.run_id is None:
        found = find_run(state.connection, target.domain.name, workflow_id)
        target = target_execution(state, domain, workflow_id, found.run_id)
    events = list(with_progress(target.raw_events(), "history events"))
    return target, History.from_event_list(events)


#: The attributes that say what an event is about: ids and names whole, free text shortened.
_WHOLE_ATTRIBUTES = ("activityId", "timerId", "workflowId", "signalName", "markerName", "name")
_ID_ATTRIBUTES = ("id", "identity")
_TEXT_ATTRIBUTES = ("reason", "cause", "timeoutType", "result", "startToFireTimeout")


def _summary(event: Any) -> str:
    """The few attributes that say what an event is about, as ``key=value`` pairs; ids and
    names are never cut, free text is shortened."""
    shown = []
    attributes = event.attributes
    for key in (*_WHOLE_ATTRIBUTES, *_ID_ATTRIBUTES, *_TEXT_ATTRIBUTES):
        value = attributes.get(key)
        if value is None or value == "":
            continue
        shown.append(f"{key}={value if key not in _TEXT_ATTRIBUTES else shorten(value)}")
    ref = attributes.get("activityType") or attributes.get("workflowType")
    if isinstance(ref, Mapping):
        shown.insert(0, f"type={type_label(ref)}")
    return " ".join(shown)


def _detail(record: Any) -> Any:
    if record.state == "completed":
        return record.result
    return record.reason or record.timeout_type or record.cause


def _print_compiled(compiled: Any) -> None:
    workflow = compiled.workflow
    print_fields(
        [
            ("workflow", workflow.state or "-"),
            ("started", workflow.started_at),
            ("closed", workflow.closed_at),
            ("result", workflow.result),
            ("reason", workflow.reason),
            ("decision tasks", len(compiled.decision_tasks)),
            ("last event id", compiled.last_event_id),
        ]
    )
    if compiled.activities:
        print_table(
            ("activity id", "type", "state", "attempts", "result / reason"),
            (
                (key, type_label(r.activity_type), r.state, r.attempts, _detail(r))
                for key, r in compiled.activities.items()
            ),
            title="Activities",
        )
    if compiled.lambda_functions:
        print_table(
            ("lambda id", "name", "state", "attempts", "result / reason"),
            (
                (key, r.name, r.state, r.attempts, _detail(r))
                for key, r in compiled.lambda_functions.items()
            ),
            title="Lambda functions",
        )
    if compiled.timers:
        print_table(
            ("timer id", "delay", "state"),
            ((key, r.start_to_fire_timeout, r.state) for key, r in compiled.timers.items()),
            title="Timers",
        )
    if compiled.child_workflows:
        print_table(
            ("workflow id", "type", "state", "run id", "result / reason"),
            (
                (key, type_label(r.workflow_type), r.state, r.run_id, _detail(r))
                for key, r in compiled.child_workflows.items()
            ),
            title="Child workflows",
        )
    if compiled.markers:
        print_table(
            ("marker", "state", "details"),
            (
                (name, m.state, m.details)
                for name, markers in compiled.markers.items()
                for m in markers
            ),
            title="Markers",
        )
    if compiled.signals:
        print_table(
            ("signal", "received", "input"),
            ((s.name, iso(s.received_at), s.input) for s in compiled.signals),
            title="Signals",
        )


@cli.command("history")
@execution_arguments
@click.option("--compiled", is_flag=True, help="The compiled view: one line per entity.")
@click.option("--raw", is_flag=True, help="Raw events, one JSON object per line.")
@click.option("--typed", is_flag=True, help="Typed events (the default view).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='The same as -o json: the whole history as {"events": [...]}, what '
    "History.from_json reads.",
)
@click.option(
    "--resolve",
    is_flag=True,
    help="Show payloads stored out of band (swf.flow.payload references) inline.",
)
@pass_state
def history_command(
    state: CliState,
    workflow_id: str,
    run_id: str | None,
    domain: str | None,
    compiled: bool,
    raw: bool,
    typed: bool,
    as_json: bool,
    resolve: bool,
) -> None:
    """Show the history of the execution WORKFLOW_ID.

    One view (--typed, the default; --compiled; --raw), printed as a table or, with -o json
    (or --json), as JSON: the typed view as the whole history document, the compiled view as
    its JSON form. Flags that ask for two things at once are a usage error.
    """
    views = [
        name for name, on in (("--typed", typed), ("--compiled", compiled), ("--raw", raw)) if on
    ]
    if len(views) > 1:
        raise click.UsageError(f"{' and '.join(views)} are different views: choose one")
    view = views[0] if views else "--typed"
    if as_json and view == "--compiled":
        raise click.UsageError(
            "--json prints the whole history; for the compiled view as JSON, use -o json"
        )
    if as_json and view == "--raw":
        raise click.UsageError(
            "--json prints the whole history as one document, --raw one event per line: choose one"
        )
    if view == "--raw" and state.json:
        raise click.UsageError(
            "--raw prints one JSON object per line; -o json prints one document: choose one"
        )
    _, history = download(state, domain, workflow_id, run_id)
    if resolve:
        from swf.cli.payload import resolve_events
        from swf.models.history import History

        history = History.from_event_list(resolve_events(history))
    if view == "--raw":
        for event in history:
            click.echo(json.dumps(event.to_api(), default=json_default, sort_keys=True))
        return
    if view == "--compiled":
        view_data = history.compiled
        if state.json:
            echo_json(view_data.to_dict())
        else:
            _print_compiled(view_data)
        return
    if as_json or state.json:
        echo_json({"events": [history_event_json(e) for e in history]})
        return
    origin = history[0].timestamp if len(history) else None
    print_table(
        ("id", "time", "+time", "event type", "state", "attributes"),
        (
            (
                e.id,
                e.timestamp.isoformat(timespec="milliseconds"),
                format_offset(e.timestamp, origin),
                e.event_type,
                e.state,
                _summary(e) or None,
            )
            for e in history
        ),
        whole=("id", "event type", "state"),
    )


def history_event_json(event: Any) -> dict[str, Any]:
    """One event of ``swf history -o json``: the raw SWF event, its timestamp in ISO 8601
    (UTC), as :meth:`History.from_json <swf.models.history.History.from_json>` reads it."""
    data = event.to_api()
    data["eventTimestamp"] = event.timestamp.isoformat()
    return dict(data)


@cli.command("tasks")
@execution_arguments
@click.option(
    "--pending", is_flag=True, help="Only what is open, with the time left before each timeout."
)
@pass_state
def tasks_command(
    state: CliState, workflow_id: str, run_id: str | None, domain: str | None, pending: bool
) -> None:
    """The tasks of the execution WORKFLOW_ID: activities, Lambdas, timers, children."""
    from swf import inspection

    target, history = download(state, domain, workflow_id, run_id)
    if pending:
        items = inspection.pending(target, history=history)
        if state.json:
            echo_json([item.to_dict() for item in items])
            return
        print_table(
            ("kind", "id", "name", "state", "since", "task list", "next timeout", "left"),
            (
                (
                    i.kind,
                    i.id,
                    i.name,
                    i.state,
                    iso(i.since),
                    i.task_list,
                    i.next_deadline.timeout if i.next_deadline else None,
                    format_seconds(i.next_deadline.left) if i.next_deadline else None,
                )
                for i in items
            ),
            empty=f"Nothing pending in {workflow_id}.",
        )
        return
    t = inspection.timeline(target, history=history)
    if state.json:
        echo_json([task.to_dict() for task in t])
        return
    print_table(
        ("kind", "id", "name", "state", "attempts", "result / reason"),
        (
            (
                task.kind,
                task.id,
                task.name,
                task.state,
                task.attempts,
                task.result if task.result is not None else task.reason,
            )
            for task in t
        ),
        empty=f"No task in {workflow_id} yet.",
    )


@cli.command("profile")
@execution_arguments
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also draw the timeline as a Gantt chart in this SVG file.",
)
@pass_state
def profile_command(
    state: CliState,
    workflow_id: str,
    run_id: str | None,
    domain: str | None,
    svg_path: str | None,
) -> None:
    """Where the time went in the execution WORKFLOW_ID: wait and run time per task."""
    from swf import inspection

    target, history = download(state, domain, workflow_id, run_id)
    t = inspection.timeline(target, history=history)
    if svg_path:
        try:
            with open(svg_path, "w", encoding="utf-8") as stream:
                stream.write(t.to_svg(title=f"{workflow_id}: {t.state or 'open'}"))
        except OSError as exc:
            fail(f"cannot write {svg_path}: {exc.strerror or exc}")
    if state.json:
        echo_json({**t.to_dict(), "svg": svg_path})
        return
    print_table(
        ("kind", "id", "state", "attempts", "scheduled", "wait", "run", "share"),
        (
            (
                task.kind,
                task.id,
                task.state,
                task.attempts,
                format_offset(task.scheduled_at, t.started_at),
                format_seconds(task.wait),
                format_seconds(task.run),
                f"{task.share:.1%}" if task.share is not None else None,
            )
            for task in t
        ),
        title=(
            f"{workflow_id}: {t.state or 'open'}, total {format_seconds(t.total)}, "
            f"decisions {format_seconds(t.decision_time)}"
        ),
    )
    if svg_path:
        click.echo(f"Gantt chart written to {svg_path}")


@cli.command("diagnose")
@execution_arguments
@pass_state
def diagnose_command(
    state: CliState, workflow_id: str, run_id: str | None, domain: str | None
) -> None:
    """Explain what the execution WORKFLOW_ID is doing, or why it is stuck.

    The exit code is 1 when a finding is an error (it will not progress on its own, or it
    closed failed, timed out or terminated), 0 otherwise.
    """
    from swf import inspection

    target, history = download(state, domain, workflow_id, run_id)
    findings = inspection.diagnose(target, history=history)
    if state.json:
        echo_json([f.to_dict() for f in findings])
        _exit_on_errors(findings)
        return
    from rich.markup import escape

    out = console()
    styles = {"error": "bold red", "warning": "yellow", "info": "green"}
    for finding in findings:
        out.print(
            f"[{styles[finding.level]}]{finding.level}[/]: {escape(finding.message)}",
            markup=True,
            highlight=False,
        )
    _exit_on_errors(findings)


def _exit_on_errors(findings: Sequence[Any]) -> None:
    """Exit 1 when a finding has the ``error`` level: the execution will not progress alone."""
    if any(finding.level == "error" for finding in findings):
        sys.exit(1)
