"""``swf execution``: list, count, describe, start, signal, cancel and terminate executions."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from swf import constants
from swf.cli.app import CliState, cli, domain_option, pass_state
from swf.cli.output import (
    echo_json,
    format_span,
    iso,
    print_fields,
    print_table,
    type_label,
    with_progress,
)

__all__ = [
    "execution",
    "execution_arguments",
    "execution_filters",
    "execution_json",
    "target_execution",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def execution_json(e: Any) -> dict[str, Any]:
    """The stable JSON form of a :class:`~swf.models.WorkflowExecution`."""
    data: dict[str, Any] = {
        "domain": e.domain.name,
        "workflow_id": e.workflow_id,
        "run_id": e.run_id,
        "workflow_type": (
            None
            if e.workflow_type is None
            else {"name": e.workflow_type.name, "version": e.workflow_type.version}
        ),
        "status": e.status,
        "close_status": e.close_status,
        "tag_list": list(e.tag_list),
        "start_timestamp": iso(e.start_timestamp),
        "close_timestamp": iso(e.close_timestamp),
        "cancel_requested": e.cancel_requested,
        "parent": (
            None
            if e.parent is None
            else {"workflow_id": e.parent.workflow_id, "run_id": e.parent.run_id}
        ),
    }
    return data


def _execution_described_json(e: Any) -> dict[str, Any]:
    data = execution_json(e)
    counts = e.open_counts
    data.update(
        task_list=e.task_list,
        child_policy=e.child_policy,
        execution_timeout=e.execution_timeout,
        decision_tasks_timeout=e.decision_tasks_timeout,
        task_priority=e.task_priority,
        lambda_role=e.lambda_role,
        latest_activity_task_timestamp=iso(e.latest_activity_task_timestamp),
        latest_execution_context=e.latest_execution_context,
        open_counts=None
        if counts is None
        else {
            "activity_tasks": counts.activity_tasks,
            "decision_tasks": counts.decision_tasks,
            "timers": counts.timers,
            "child_workflow_executions": counts.child_workflow_executions,
            "lambda_functions": counts.lambda_functions,
        },
    )
    return data


_STATUS_CHOICES = click.Choice(("open", "closed", "all"), case_sensitive=False)


def execution_filters(func: _F) -> _F:
    """The QuerySet filters of ``swf execution list`` and ``count``, as options."""
    options = [
        click.option(
            "--status",
            "-s",
            type=_STATUS_CHOICES,
            default="all",
            show_default=True,
            help="Open executions, closed ones, or both.",
        ),
        click.option(
            "--start-oldest-date",
            "--started-after",
            default=None,
            metavar="DATE",
            help="Started at or after DATE (ISO 8601, or '2 days ago').",
        ),
        click.option(
            "--start-latest-date",
            "--started-before",
            default=None,
            metavar="DATE",
            help="Started at or before DATE.",
        ),
        click.option(
            "--close-oldest-date",
            "--closed-after",
            default=None,
            metavar="DATE",
            help="Closed at or after DATE (closed executions).",
        ),
        click.option(
            "--close-latest-date",
            "--closed-before",
            default=None,
            metavar="DATE",
            help="Closed at or before DATE (closed executions).",
        ),
        click.option(
            "--close-status",
            type=click.Choice(constants.CLOSE_STATUSES, case_sensitive=False),
            default=None,
            help="How they closed (closed executions).",
        ),
        click.option("--type", "type_name", default=None, help="Workflow type name."),
        click.option("--type-version", default=None, help="Workflow type version (with --type)."),
        click.option("--tag", default=None, help="A tag the executions carry."),
        click.option("--workflow-id", default=None, help="The workflow id."),
        domain_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _queryset(state: CliState, params: Mapping[str, Any]) -> Any:
    """Build the execution QuerySet; bad dates and forbidden combinations fail here."""
    from swf.querysets import WorkflowExecutionQuerySet

    status = params["status"].lower()
    qs = WorkflowExecutionQuerySet(state.require_domain(params["domain"]), client=state.connection)
    return qs.filter(
        status=None if status == "all" else status.upper(),
        start_oldest_date=params["start_oldest_date"],
        start_latest_date=params["start_latest_date"],
        close_oldest_date=params["close_oldest_date"],
        close_latest_date=params["close_latest_date"],
        close_status=params["close_status"].upper() if params["close_status"] else None,
        workflow_type_name=params["type_name"],
        workflow_type_version=params["type_version"],
        tag=params["tag"],
        workflow_id=params["workflow_id"],
    )


@cli.group()
def execution() -> None:
    """List, count, describe, start, signal, cancel and terminate workflow executions."""


@execution.command("list")
@execution_filters
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most N.")
@pass_state
def execution_list(state: CliState, /, limit: int | None, **params: Any) -> None:
    """List workflow executions (every filter of WorkflowExecutionQuerySet)."""
    qs = _queryset(state, params)
    if limit is not None:
        qs = qs.limit(limit)
    executions = list(with_progress(qs, "executions"))
    if state.json:
        echo_json([execution_json(e) for e in executions])
        return
    print_table(
        ("workflow id", "run id", "type", "status", "started", "duration", "tags"),
        (
            (
                e.workflow_id,
                e.run_id,
                type_label(e.workflow_type),
                e.close_status or e.status,
                iso(e.start_timestamp),
                format_span(e.start_timestamp, e.close_timestamp),
                ", ".join(e.tag_list) or None,
            )
            for e in executions
        ),
        empty=f"No workflow executions found in domain {qs.domain.name!r}.",
    )


@execution.command("count")
@execution_filters
@pass_state
def execution_count(state: CliState, /, **params: Any) -> None:
    """Count workflow executions (SWF's CountOpen/CountClosedWorkflowExecutions)."""
    total = _queryset(state, params).count()
    if state.json:
        echo_json({"count": int(total), "truncated": total.truncated})
    else:
        click.echo(f"{total} (at least: SWF truncated its count)" if total.truncated else total)


def execution_arguments(func: _F) -> _F:
    """``WORKFLOW_ID``, ``--run-id`` and ``--domain``."""
    func = domain_option(func)
    func = click.option(
        "--run-id", "-r", default=None, help="The run (default: the open one, else the latest)."
    )(func)
    return click.argument("workflow_id")(func)


def target_execution(
    state: CliState, domain: str | None, workflow_id: str, run_id: str | None
) -> Any:
    """The :class:`~swf.models.WorkflowExecution` named by :func:`execution_arguments`."""
    from swf.models import WorkflowExecution

    return WorkflowExecution(
        state.require_domain(domain), workflow_id, run_id, client=state.connection
    )


@execution.command("info")
@execution_arguments
@pass_state
def execution_info(
    state: CliState, workflow_id: str, run_id: str | None, domain: str | None
) -> None:
    """Describe the execution WORKFLOW_ID."""
    described = target_execution(state, domain, workflow_id, run_id).upstream()
    data = _execution_described_json(described)
    if state.json:
        echo_json(data)
        return
    fields: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key == "workflow_type" and value:
            value = type_label(value)
        elif key == "parent" and value:
            value = f"{value['workflow_id']} {value['run_id']}"
        elif key == "open_counts" and value:
            value = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
        fields.append((key.replace("_", " "), value))
    print_fields(fields)


@execution.command("start")
@click.argument("type_name")
@click.argument("type_version")
@domain_option
@click.option("--workflow-id", default=None, help="The workflow id (default: NAME-<uuid>).")
@click.option("--input", "input_", default=None, help="The input; '-' reads standard input.")
@click.option("--tag", "tags", multiple=True, help="A tag (up to 5; repeat the option).")
@click.option("--task-list", default=None)
@click.option("--execution-timeout", default=None, help="Seconds.")
@click.option("--decision-tasks-timeout", default=None, help="Seconds, or NONE.")
@click.option("--child-policy", type=click.Choice(constants.CHILD_POLICIES), default=None)
@click.option("--task-priority", type=int, default=None)
@pass_state
def execution_start(
    state: CliState,
    type_name: str,
    type_version: str,
    domain: str | None,
    workflow_id: str | None,
    input_: str | None,
    tags: tuple[str, ...],
    task_list: str | None,
    execution_timeout: str | None,
    decision_tasks_timeout: str | None,
    child_policy: str | None,
    task_priority: int | None,
) -> None:
    """Start an execution of the workflow type TYPE_NAME TYPE_VERSION."""
    from swf.models import WorkflowType

    if input_ == "-":
        input_ = sys.stdin.read()
    wtype = WorkflowType(
        state.require_domain(domain), type_name, type_version, client=state.connection
    )
    started = wtype.start_execution(
        workflow_id,
        task_list=task_list,
        input=input_,
        tag_list=tags or None,
        execution_timeout=execution_timeout,
        decision_tasks_timeout=decision_tasks_timeout,
        child_policy=child_policy,
        task_priority=task_priority,
    )
    if state.json:
        echo_json(
            {
                "action": "started",
                "domain": started.domain.name,
                "workflow_id": started.workflow_id,
                "run_id": started.run_id,
            }
        )
    else:
        click.echo(f"Started {started.workflow_id} (run {started.run_id}).")


@execution.command("signal")
@execution_arguments
@click.argument("signal_name")
@click.option("--input", "input_", default="", help="The signal's input.")
@pass_state
def execution_signal(
    state: CliState,
    workflow_id: str,
    run_id: str | None,
    domain: str | None,
    signal_name: str,
    input_: str,
) -> None:
    """Send the signal SIGNAL_NAME to the execution WORKFLOW_ID."""
    target = target_execution(state, domain, workflow_id, run_id)
    target.signal(signal_name, input=input_)
    _execution_done(state, "signaled", target, signal=signal_name)


@execution.command("cancel")
@execution_arguments
@pass_state
def execution_cancel(
    state: CliState, workflow_id: str, run_id: str | None, domain: str | None
) -> None:
    """Ask the execution WORKFLOW_ID to cancel itself (its decider decides)."""
    target = target_execution(state, domain, workflow_id, run_id)
    target.request_cancel()
    _execution_done(state, "cancel requested", target)


@execution.command("terminate")
@execution_arguments
@click.option("--reason", default=None)
@click.option("--details", default=None)
@click.option("--child-policy", type=click.Choice(constants.CHILD_POLICIES), default=None)
@pass_state
def execution_terminate(
    state: CliState,
    workflow_id: str,
    run_id: str | None,
    domain: str | None,
    reason: str | None,
    details: str | None,
    child_policy: str | None,
) -> None:
    """Terminate the execution WORKFLOW_ID at once."""
    target = target_execution(state, domain, workflow_id, run_id)
    target.terminate(reason=reason, details=details, child_policy=child_policy)
    _execution_done(state, "terminated", target)


def _execution_done(state: CliState, action: str, target: Any, **extra: Any) -> None:
    if state.json:
        echo_json(
            {
                "action": action,
                "domain": target.domain.name,
                "workflow_id": target.workflow_id,
                "run_id": target.run_id,
                **extra,
            }
        )
    else:
        run = f" (run {target.run_id})" if target.run_id else ""
        click.echo(f"Execution {target.workflow_id}{run} {action}.")
