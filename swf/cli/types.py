"""``swf type``: list, describe, register, deprecate and undeprecate workflow and activity
types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from swf import constants
from swf.cli.app import CliState, OneLineUsageError, cli, domain_option, pass_state
from swf.cli.output import (
    echo_change,
    echo_json,
    iso,
    print_fields,
    print_table,
    with_progress,
)

__all__ = ["KINDS", "find_type", "kind_option", "type_"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: The kinds of type.
KINDS = ("workflow", "activity")


def _type_json(kind: str, t: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": kind,
        "domain": t.domain.name,
        "name": t.name,
        "version": t.version,
        "status": t.status,
        "description": t.description,
        "task_list": t.task_list,
        "task_priority": t.task_priority,
        "creation_date": iso(t.creation_date),
        "deprecation_date": iso(t.deprecation_date),
    }
    if kind == "workflow":
        data.update(
            child_policy=t.child_policy,
            execution_timeout=t.execution_timeout,
            decision_tasks_timeout=t.decision_tasks_timeout,
            lambda_role=t.lambda_role,
        )
    else:
        data.update(
            task_heartbeat_timeout=t.task_heartbeat_timeout,
            task_schedule_to_close_timeout=t.task_schedule_to_close_timeout,
            task_schedule_to_start_timeout=t.task_schedule_to_start_timeout,
            task_start_to_close_timeout=t.task_start_to_close_timeout,
        )
    return data


def _type_model(kind: str) -> Any:
    from swf.models import ActivityType, WorkflowType

    return WorkflowType if kind == "workflow" else ActivityType


def kind_option(default: str | None) -> Callable[[_F], _F]:
    """``--kind workflow|activity`` (``-k``); with no default, the kind is found by name."""
    choices = (*KINDS, "all") if default == "all" else KINDS
    return click.option(
        "--kind",
        "-k",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help="Workflow types or activity types."
        + (" Default: the kind that has this name and version." if default is None else ""),
    )


@cli.group("type")
def type_() -> None:
    """List, describe, register and deprecate workflow and activity types."""


@type_.command("list")
@domain_option
@kind_option("all")
@click.option(
    "--status",
    type=click.Choice(constants.REGISTRATION_STATUSES, case_sensitive=False),
    default=constants.REGISTERED,
    show_default=True,
)
@click.option("--name", default=None, help="Only types with this exact name.")
@pass_state
def type_list(
    state: CliState, domain: str | None, kind: str, status: str, name: str | None
) -> None:
    """List the workflow and activity types of the domain."""
    from swf.querysets import ActivityTypeQuerySet, WorkflowTypeQuerySet

    where = state.require_domain(domain)
    found: list[tuple[str, Any]] = []
    for k, qs_class in (("workflow", WorkflowTypeQuerySet), ("activity", ActivityTypeQuerySet)):
        if kind in (k, "all"):
            qs = qs_class(where, client=state.connection).filter(status=status.upper(), name=name)
            found += [(k, t) for t in with_progress(qs, f"{k} types")]
    if state.json:
        echo_json([_type_json(k, t) for k, t in found])
        return
    print_table(
        ("kind", "name", "version", "status", "description"),
        ((k, t.name, t.version, t.status, t.description) for k, t in found),
        empty=f"No {status.lower()} {'' if kind == 'all' else kind + ' '}types in domain "
        f"{where!r}{'' if name is None else f' named {name!r}'}.",
    )


def find_type(
    state: CliState, domain: str, name: str, version: str, kind: str | None
) -> tuple[str, Any]:
    """The type NAME VERSION as SWF describes it, and its kind.

    Without ``kind``, both kinds are looked up: the one that exists is the answer; when both
    do, a usage error says which ``--kind`` to pass.

    Raises:
        DoesNotExistError: no such type (of that kind, or of either).
    """
    from swf.exceptions import DoesNotExistError

    if kind is not None:
        return kind, _type_model(kind)(domain, name, version, client=state.connection).upstream()
    found: list[tuple[str, Any]] = []
    for candidate in KINDS:
        try:
            model = _type_model(candidate)(domain, name, version, client=state.connection)
            found.append((candidate, model.upstream()))
        except DoesNotExistError:
            continue
    if len(found) > 1:
        raise OneLineUsageError(
            f"both a workflow type and an activity type {name!r} version {version!r} exist "
            f"in domain {domain!r}: pass --kind workflow or --kind activity"
        )
    if not found:
        raise DoesNotExistError(
            f"no workflow type or activity type {name!r} version {version!r} in domain {domain!r}",
            operation="DescribeWorkflowType",
            domain=domain,
            name=name,
            version=version,
        )
    return found[0]


@type_.command("describe")
@click.argument("name")
@click.argument("version")
@domain_option
@kind_option(None)
@pass_state
def type_describe(
    state: CliState, name: str, version: str, domain: str | None, kind: str | None
) -> None:
    """Describe the type NAME VERSION (a workflow or an activity type: --kind when both
    exist)."""
    kind, found = find_type(state, state.require_domain(domain), name, version, kind)
    data = _type_json(kind, found)
    if state.json:
        echo_json(data)
        return
    print_fields([(key.replace("_", " "), value) for key, value in data.items()])


@type_.command("register")
@click.argument("name")
@click.argument("version")
@domain_option
@kind_option("workflow")
@click.option("--task-list", default=None, help="The default task list.")
@click.option("--description", default=None)
@click.option("--task-priority", default=None, type=int)
@click.option("--execution-timeout", default=None, help="Workflow: seconds.")
@click.option("--decision-tasks-timeout", default=None, help="Workflow: seconds, or NONE.")
@click.option(
    "--child-policy",
    type=click.Choice(constants.CHILD_POLICIES),
    default=None,
    help="Workflow: the default child policy.",
)
@click.option("--heartbeat-timeout", default=None, help="Activity: seconds, or NONE.")
@click.option("--schedule-to-start-timeout", default=None, help="Activity: seconds, or NONE.")
@click.option("--schedule-to-close-timeout", default=None, help="Activity: seconds, or NONE.")
@click.option("--start-to-close-timeout", default=None, help="Activity: seconds, or NONE.")
@pass_state
def type_register(
    state: CliState,
    name: str,
    version: str,
    domain: str | None,
    kind: str,
    task_list: str | None,
    description: str | None,
    task_priority: int | None,
    execution_timeout: str | None,
    decision_tasks_timeout: str | None,
    child_policy: str | None,
    heartbeat_timeout: str | None,
    schedule_to_start_timeout: str | None,
    schedule_to_close_timeout: str | None,
    start_to_close_timeout: str | None,
) -> None:
    """Register the type NAME VERSION with its defaults."""
    workflow_only = {
        "--execution-timeout": execution_timeout,
        "--decision-tasks-timeout": decision_tasks_timeout,
        "--child-policy": child_policy,
    }
    activity_only = {
        "--heartbeat-timeout": heartbeat_timeout,
        "--schedule-to-start-timeout": schedule_to_start_timeout,
        "--schedule-to-close-timeout": schedule_to_close_timeout,
        "--start-to-close-timeout": start_to_close_timeout,
    }
    wrong = activity_only if kind == "workflow" else workflow_only
    for option, value in wrong.items():
        if value is not None:
            raise click.UsageError(f"{option} does not apply to {kind} types")
    options: dict[str, Any] = {
        "task_list": task_list,
        "description": description,
        "task_priority": task_priority,
    }
    if kind == "workflow":
        options.update(
            execution_timeout=execution_timeout,
            decision_tasks_timeout=decision_tasks_timeout,
            child_policy=child_policy,
        )
    else:
        options.update(
            task_heartbeat_timeout=heartbeat_timeout,
            task_schedule_to_start_timeout=schedule_to_start_timeout,
            task_schedule_to_close_timeout=schedule_to_close_timeout,
            task_start_to_close_timeout=start_to_close_timeout,
        )
    model = _type_model(kind)
    created = model(state.require_domain(domain), name, version, client=state.connection, **options)
    created.save()
    echo_change(
        state.json, "registered", _type_json(kind, created), f"{kind} type {name!r} {version!r}"
    )


def _type_change(action: str) -> Callable[..., None]:
    @click.argument("name")
    @click.argument("version")
    @domain_option
    @kind_option(None)
    @pass_state
    def command(
        state: CliState, name: str, version: str, domain: str | None, kind: str | None
    ) -> None:
        where = state.require_domain(domain)
        if kind is None:
            kind, _ = find_type(state, where, name, version, None)
        found = _type_model(kind)(where, name, version, client=state.connection)
        if action == "deprecated":
            found.delete()
        else:
            found.undeprecate()
        data = {"kind": kind, "domain": where, "name": name, "version": version}
        echo_change(state.json, action, data, f"{kind} type {name!r} {version!r}")

    return command


type_.command("deprecate", help="Deprecate the type NAME VERSION.")(_type_change("deprecated"))
type_.command("undeprecate", help="Undeprecate the type NAME VERSION.")(
    _type_change("undeprecated")
)
