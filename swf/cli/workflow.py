"""``swf workflow``: run, start, register and read ``swf.flow`` workflows.

::

    swf workflow start --local examples.basic.BasicWorkflow --input '[1, 5]'
    swf workflow run examples.basic.BasicWorkflow --input '[1, 5]' --workers 2
    swf workflow start examples.basic.BasicWorkflow --input '[1]' --domain media --wait
    swf workflow result basic-6f1c... --domain media
    swf workflow register examples.basic --domain media --dry-run
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import click

from swf.cli.actors import load_class, load_module
from swf.cli.app import CliState, cli, domain_option, fail, pass_state
from swf.cli.output import echo_json, print_fields, print_table

__all__ = ["workflow"]


def _input(text: str | None) -> tuple[list[Any], dict[str, Any]]:
    """``--input``: a JSON list (positional arguments) or ``{"args": [...], "kwargs": {...}}``."""
    if text is None:
        return [], {}
    if text == "-":
        text = sys.stdin.read()
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON ({exc}): {text[:80]!r}", param_hint="--input") from exc
    if isinstance(value, list):
        return value, {}
    if isinstance(value, dict) and set(value) <= {"args", "kwargs"}:
        args, kwargs = value.get("args", []), value.get("kwargs", {})
        if isinstance(args, list) and isinstance(kwargs, dict):
            return args, kwargs
    raise click.BadParameter(
        'a JSON list of arguments, or {"args": [...], "kwargs": {...}}', param_hint="--input"
    )


def _workflow_class(spec: str) -> Any:
    from swf.flow import Workflow

    return load_class(spec, Workflow)


def _show_result(
    state: CliState, workflow_id: str, run_id: str | None, status: str, value: Any
) -> None:
    if state.json:
        echo_json({"workflow_id": workflow_id, "run_id": run_id, "status": status, "result": value})
    else:
        print_fields(
            [
                ("workflow id", workflow_id),
                ("run id", run_id),
                ("status", status),
                ("result", json.dumps(value)),
            ]
        )


def _report(state: CliState, workflow_id: str, run_id: str | None, read: Any) -> None:
    """Print the outcome of ``read()`` (the decoded result, or the workflow's error): exit 1
    when the workflow did not complete."""
    from swf.flow import WorkflowError

    try:
        value = read()
    except WorkflowError as exc:
        status = (
            type(exc).__name__.removeprefix("Workflow").upper().replace("TIMEDOUT", "TIMED_OUT")
        )
        if state.json:
            echo_json(
                {
                    "workflow_id": workflow_id,
                    "run_id": run_id,
                    "status": status,
                    "reason": exc.reason,
                    "details": exc.details,
                }
            )
            sys.exit(1)
        fail(str(exc))
    _show_result(state, workflow_id, run_id, "COMPLETED", value)


_STATUS = {
    "WorkflowFailed": "FAILED",
    "WorkflowTimedOut": "TIMED_OUT",
    "WorkflowTerminated": "TERMINATED",
    "WorkflowCanceled": "CANCELED",
}


@cli.group()
def workflow() -> None:
    """Workflows written with swf.flow: run them locally, start them, read their results."""


@workflow.command("start")
@click.argument("spec", metavar="MODULE.CLASS")
@click.option("--input", "input_", default=None, help='A JSON list, or {"args", "kwargs"}.')
@click.option("--local", is_flag=True, help="Run it here, with no SWF, in virtual time.")
@click.option("--wait", is_flag=True, help="Wait for the result (on SWF).")
@click.option("--workflow-id", default=None, help="The workflow id (default: NAME-<uuid>).")
@click.option("--task-list", default=None, help="The decision task list (default: the class's).")
@domain_option
@pass_state
def workflow_start(
    state: CliState,
    spec: str,
    input_: str | None,
    local: bool,
    wait: bool,
    workflow_id: str | None,
    task_list: str | None,
    domain: str | None,
) -> None:
    """Start the workflow MODULE.CLASS (or MODULE:CLASS) with --input.

    With --local it runs in this process, with no SWF: what run() prints appears once, then
    the result; the exit code is 1 unless it completed.
    """
    import swf.flow

    workflow_class = _workflow_class(spec)
    args, kwargs = _input(input_)
    if local:
        if wait:
            raise click.UsageError("--wait goes with a start on SWF; --local always waits")
        run = swf.flow.run_local(
            workflow_class, *args, workflow_id=workflow_id, task_list=task_list, **kwargs
        )
        _report(state, run.workflow_id, run.run_id, lambda: run.result)
        return
    execution = swf.flow.start(
        workflow_class,
        *args,
        domain=state.require_domain(domain),
        workflow_id=workflow_id,
        task_list=task_list,
        client=state.connection,
        **kwargs,
    )
    if wait:
        _report(state, execution.workflow_id, execution.run_id, lambda: swf.flow.result(execution))
    elif state.json:
        echo_json({"workflow_id": execution.workflow_id, "run_id": execution.run_id})
    else:
        click.echo(f"Started {execution.workflow_id} (run {execution.run_id})")


@workflow.command("run")
@click.argument("spec", metavar="MODULE.CLASS")
@click.option("--input", "input_", default=None, help='A JSON list, or {"args", "kwargs"}.')
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="How many activity workers (threads).",
)
@click.option("--timeout", type=click.FloatRange(min=0), default=None, help="Give up after N s.")
@domain_option
@pass_state
def workflow_run(
    state: CliState,
    spec: str,
    input_: str | None,
    workers: int,
    timeout: float | None,
    domain: str | None,
) -> None:
    """Run MODULE.CLASS on SWF from start to end: register its types, run a decider and
    --workers workers on a task list of their own, start it, wait, print the result.

    The domain is registered first if it does not exist. Exit 0 if the workflow completed,
    1 otherwise.
    """
    import swf.flow

    workflow_class = _workflow_class(spec)
    args, kwargs = _input(input_)
    execution = swf.flow.run_standalone(
        workflow_class,
        *args,
        domain=state.require_domain(domain),
        workers=workers,
        client=state.connection,
        timeout=timeout,
        **kwargs,
    )
    _report(
        state,
        execution.workflow_id,
        execution.run_id,
        lambda: swf.flow.result(execution, wait=False),
    )


@workflow.command("result")
@click.argument("workflow_id")
@click.option("--run-id", default=None, help="The run (default: the open one, else the latest).")
@click.option("--wait", is_flag=True, help="Wait for an open execution to close.")
@domain_option
@pass_state
def workflow_result(
    state: CliState, workflow_id: str, run_id: str | None, wait: bool, domain: str | None
) -> None:
    """Print the result of the workflow execution WORKFLOW_ID (exit 1 unless completed)."""
    import swf.flow
    from swf.models import WorkflowExecution

    execution = WorkflowExecution(
        state.require_domain(domain), workflow_id, run_id, client=state.connection
    )
    _report(state, workflow_id, run_id, lambda: swf.flow.result(execution, wait=wait))


@workflow.command("register")
@click.argument("modules", nargs=-1, required=True, metavar="MODULE...")
@click.option("--dry-run", is_flag=True, help="Say what would be registered; register nothing.")
@domain_option
@pass_state
def workflow_register(
    state: CliState, modules: Sequence[str], dry_run: bool, domain: str | None
) -> None:
    """Register the workflows and activities defined in MODULE... (idempotent).

    Prints the plan: each type created, unchanged, or registered with other defaults
    (SWF types are immutable: such a type needs a new version).
    """
    import swf.flow

    loaded: list[ModuleType] = [load_module(name) for name in modules]
    workflows, activities = _defined_in(loaded)
    if not workflows and not activities:
        raise click.BadParameter(
            "no swf.flow workflow or activity in " + ", ".join(modules), param_hint="MODULE"
        )
    plan = swf.flow.register(
        state.require_domain(domain),
        workflows,
        activities,
        dry_run=dry_run,
        client=state.connection,
    )
    if state.json:
        echo_json(
            {
                "dry_run": plan.dry_run,
                "types": [
                    {
                        "kind": item.kind,
                        "name": item.name,
                        "version": item.version,
                        "status": item.status,
                        "differences": item.diff.as_dict() if item.diff else {},
                    }
                    for item in plan
                ],
            }
        )
        return
    print_table(
        ("kind", "name", "version", "status", "differences"),
        (
            (
                item.kind,
                item.name,
                item.version,
                item.status + (" (dry run)" if plan.dry_run and item.status == "created" else ""),
                "; ".join(
                    f"{d.attr}: {d.local!r} here, {d.upstream!r} registered" for d in item.diff
                )
                if item.diff
                else "",
            )
            for item in plan
        ),
        title="Registration plan",
    )
    if plan.differences:
        sys.exit(1)


def _differences(diff: Any) -> str:
    if not diff:
        return ""
    return "; ".join(f"{d.attr}: {d.local!r} here, {d.upstream!r} registered" for d in diff)


def _defined_in(modules: Sequence[ModuleType]) -> tuple[list[Any], list[Any]]:
    """The workflow classes and activities defined (not merely imported) in ``modules``."""
    from swf.flow import Activity, Workflow

    workflows: list[Any] = []
    activities: list[Any] = []
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Workflow)
                and value is not Workflow
                and value.__module__ == module.__name__
            ):
                workflows.append(value)
            elif isinstance(value, Activity) and value.function.__module__ == module.__name__:
                activities.append(value)
    return workflows, activities
