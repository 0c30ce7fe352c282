"""The ``swf`` command: list, inspect, profile and operate Amazon SWF from a terminal.

Built on click (parsing, help, ``--option`` / environment defaults) and rich (tables and a
progress display that only appears on a terminal). Every command prints a table, or with
``--output json`` a stable JSON document (docs/cli.rst describes each shape).

Exit codes: 0 when the command worked; 1 when SWF (or the connection to it) answered with an
error, printed as one line on stderr; 2 for a usage error (an unknown option, a bad date, a
combination of filters SWF refuses), caught before any request. ``--debug`` shows tracebacks.

Tests and embedding code inject a connection through click's ``obj``::

    from click.testing import CliRunner
    CliRunner().invoke(cli, ["domain", "list"], obj=CliState(connection=conn))
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import click

from swf import constants
from swf.core import Connection
from swf.exceptions import SWFError, ValidationError

__all__ = ["CliState", "cli", "main"]

logger = logging.getLogger(__name__)

_F = TypeVar("_F", bound=Callable[..., Any])

OUTPUTS = ("table", "json")


class CliState:
    """What the command's global options resolve to, shared by every subcommand.

    Args:
        connection: a ready connection (tests inject one); built from the options otherwise.
        domain: the default domain (``--domain`` or ``SWF_DOMAIN``).
        region: the AWS region.
        endpoint_url: another SWF endpoint, such as ``swf local``'s.
        output: ``'table'`` or ``'json'``.
        debug: show tracebacks and debug logs.
    """

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        domain: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        output: str = "table",
        debug: bool = False,
    ) -> None:
        self._connection = connection
        self.domain = domain
        self.region = region
        self.endpoint_url = endpoint_url
        self.output = output
        self.debug = debug

    @property
    def connection(self) -> Connection:
        """The connection, built on first use from ``--region`` and ``--endpoint-url``."""
        if self._connection is None:
            explicit = {
                name: value
                for name, value in (("region", self.region), ("endpoint_url", self.endpoint_url))
                if value
            }
            self._connection = Connection(**explicit)
        return self._connection

    @property
    def json(self) -> bool:
        """Whether the output is JSON."""
        return self.output == "json"

    def require_domain(self, domain: str | None = None) -> str:
        """The domain to work on; a usage error when none is given anywhere."""
        found = domain or self.domain
        if not found:
            raise click.UsageError("no domain: pass --domain NAME or set SWF_DOMAIN")
        return found


# -- output helpers -----------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (datetimes as ISO 8601 strings)."""
    click.echo(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False))


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    # Piped output: no colors, and wide enough that tables are not wrapped for grep and awk.
    return Console(
        file=stream,
        force_terminal=terminal,
        no_color=not terminal,
        width=None if terminal else 200,
        highlight=False,
    )


def print_table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
) -> None:
    """Print a table (rich), one row per item; ``None`` cells show as ``-``."""
    from rich import box
    from rich.table import Table

    table = Table(
        *columns,
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for row in rows:
        table.add_row(*("-" if cell is None else str(cell) for cell in row))
    _print(table)


def print_fields(fields: Sequence[tuple[str, Any]], *, title: str | None = None) -> None:
    """Print ``name  value`` lines, aligned (a describe)."""
    from rich.table import Table

    table = Table(box=None, show_header=False, title=title, title_justify="left", pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in fields:
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "-"
        table.add_row(name, "-" if value is None else str(value))
    _print(table)


def _print(renderable: Any) -> None:
    """Print a rich renderable; piped, without the padding rich adds at line ends."""
    console = _console()
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    click.echo(text)


_T = TypeVar("_T")


def with_progress(items: Iterable[_T], description: str) -> Iterator[_T]:
    """Iterate over ``items``, counting them on stderr when stderr is a terminal.

    Piped or redirected output gets no progress display at all, so scripts see clean
    streams.
    """
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed}"),
        console=_console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)
        for item in items:
            progress.advance(task)
            yield item


# -- errors and exit codes ----------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class _Group(click.Group):
    """A click group mapping our exceptions to exit codes: SWF errors 1, bad input 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            # Our own checks of the user's input, made before any request: a usage error.
            if _debug(ctx):
                raise
            raise click.UsageError(_one_line(exc), ctx=None) from exc
        except SWFError as exc:
            if _debug(ctx):
                raise
            click.echo(f"Error: {_one_line(exc)}", err=True)
            ctx.exit(1)


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    state = root.obj
    return bool(getattr(state, "debug", False))


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _state(ctx: click.Context) -> CliState:
    state = ctx.find_object(CliState)
    if state is None:  # pragma: no cover - the root callback always sets it
        raise click.UsageError("internal: no CLI state")
    return state


pass_state = click.make_pass_decorator(CliState)


def domain_option(func: _F) -> _F:
    """``--domain`` on a subcommand too (``swf execution list --domain d``)."""
    return click.option(
        "--domain",
        "-d",
        "domain",
        default=None,
        help="The domain (default: the global --domain, or SWF_DOMAIN).",
    )(func)


# -- the root ----------------------------------------------------------------------------------


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--domain", "-d", envvar="SWF_DOMAIN", default=None, help="Default domain (env SWF_DOMAIN)."
)
@click.option(
    "--region", default=None, help="AWS region (default: AWS_DEFAULT_REGION, then ~/.swf)."
)
@click.option(
    "--endpoint-url",
    envvar="SWF_ENDPOINT_URL",
    default=None,
    help="Another SWF endpoint, such as the one `swf local` prints (env SWF_ENDPOINT_URL).",
)
@click.option(
    "--output",
    "-o",
    type=click.Choice(OUTPUTS),
    default="table",
    show_default=True,
    help="Tables for people, JSON for scripts (shapes in docs/cli.rst).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.version_option(package_name="swf", prog_name="swf")
@click.pass_context
def cli(
    ctx: click.Context,
    domain: str | None,
    region: str | None,
    endpoint_url: str | None,
    output: str,
    debug: bool,
) -> None:
    """Amazon SWF from a terminal: domains, types, executions, histories and actors."""
    injected = ctx.obj if isinstance(ctx.obj, CliState) else None
    state = CliState(
        injected._connection if injected else None,
        domain=domain or (injected.domain if injected else None),
        region=region,
        endpoint_url=endpoint_url,
        output=output,
        debug=debug or (injected.debug if injected else False),
    )
    ctx.obj = state
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script's entry point)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="swf")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        click.echo(str(code), err=True)  # pragma: no cover - we never exit with a message
        return 1
    return 0  # pragma: no cover - click always exits in standalone mode


# -- domains ----------------------------------------------------------------------------------


def _domain_json(domain: Any) -> dict[str, Any]:
    return {
        "name": domain.name,
        "status": domain.status,
        "description": domain.description,
        "retention_period": domain.retention_period,
    }


@cli.group()
def domain() -> None:
    """List, describe, register and deprecate domains."""


@domain.command("list")
@click.option(
    "--status",
    type=click.Choice(constants.REGISTRATION_STATUSES, case_sensitive=False),
    default=constants.REGISTERED,
    show_default=True,
)
@pass_state
def domain_list(state: CliState, status: str) -> None:
    """List the domains."""
    from swf.querysets import DomainQuerySet

    domains = list(
        with_progress(
            DomainQuerySet(client=state.connection).filter(status=status.upper()), "domains"
        )
    )
    if state.json:
        echo_json([_domain_json(d) for d in domains])
        return
    print_table(
        ("name", "status", "description"),
        ((d.name, d.status, d.description) for d in domains),
    )


@domain.command("describe")
@click.argument("name")
@pass_state
def domain_describe(state: CliState, name: str) -> None:
    """Describe the domain NAME."""
    from swf.models import Domain

    found = Domain(name, client=state.connection).upstream()
    if state.json:
        echo_json(_domain_json(found))
        return
    print_fields(
        [
            ("name", found.name),
            ("status", found.status),
            ("retention (days)", found.retention_period),
            ("description", found.description),
        ]
    )


@domain.command("register")
@click.argument("name")
@click.option("--description", default=None, help="Free text, at most 1024 characters.")
@click.option(
    "--retention-days",
    default="30",
    show_default=True,
    help="How long SWF keeps closed executions, in days (0 to 90, or NONE).",
)
@pass_state
def domain_register(
    state: CliState, name: str, description: str | None, retention_days: str
) -> None:
    """Register the domain NAME."""
    from swf.models import Domain

    created = Domain(
        name, description=description, retention_period=retention_days, client=state.connection
    )
    created.save()
    _done(state, "registered", _domain_json(created), f"domain {name!r}")


@domain.command("deprecate")
@click.argument("name")
@pass_state
def domain_deprecate(state: CliState, name: str) -> None:
    """Deprecate the domain NAME."""
    from swf.models import Domain

    Domain(name, client=state.connection).delete()
    _done(state, "deprecated", {"name": name}, f"domain {name!r}")


@domain.command("undeprecate")
@click.argument("name")
@pass_state
def domain_undeprecate(state: CliState, name: str) -> None:
    """Undeprecate the domain NAME."""
    from swf.models import Domain

    Domain(name, client=state.connection).undeprecate()
    _done(state, "undeprecated", {"name": name}, f"domain {name!r}")


def _done(state: CliState, action: str, data: Mapping[str, Any], what: str) -> None:
    """Report a change: ``{"action": ..., ...data}`` as JSON, or one sentence."""
    if state.json:
        echo_json({"action": action, **data})
    else:
        click.echo(f"{what[0].upper()}{what[1:]} {action}.")


# -- types -------------------------------------------------------------------------------------

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
        "creation_date": _iso(t.creation_date),
        "deprecation_date": _iso(t.deprecation_date),
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
    """``--kind workflow|activity`` (``-k``)."""
    choices = (*KINDS, "all") if default == "all" else KINDS
    return click.option(
        "--kind",
        "-k",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Workflow types or activity types.",
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
    )


@type_.command("describe")
@click.argument("name")
@click.argument("version")
@domain_option
@kind_option("workflow")
@pass_state
def type_describe(state: CliState, name: str, version: str, domain: str | None, kind: str) -> None:
    """Describe the type NAME VERSION."""
    model = _type_model(kind)
    found = model(state.require_domain(domain), name, version, client=state.connection).upstream()
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
    _done(state, "registered", _type_json(kind, created), f"{kind} type {name!r} {version!r}")


def _type_change(action: str) -> Callable[..., None]:
    @click.argument("name")
    @click.argument("version")
    @domain_option
    @kind_option("workflow")
    @pass_state
    def command(state: CliState, name: str, version: str, domain: str | None, kind: str) -> None:
        where = state.require_domain(domain)
        found = _type_model(kind)(where, name, version, client=state.connection)
        if action == "deprecated":
            found.delete()
        else:
            found.undeprecate()
        data = {"kind": kind, "domain": where, "name": name, "version": version}
        _done(state, action, data, f"{kind} type {name!r} {version!r}")

    return command


type_.command("deprecate", help="Deprecate the type NAME VERSION.")(_type_change("deprecated"))
type_.command("undeprecate", help="Undeprecate the type NAME VERSION.")(
    _type_change("undeprecated")
)


# -- executions -------------------------------------------------------------------------------


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
        "start_timestamp": _iso(e.start_timestamp),
        "close_timestamp": _iso(e.close_timestamp),
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
        latest_activity_task_timestamp=_iso(e.latest_activity_task_timestamp),
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


def _duration(start: dt.datetime | None, end: dt.datetime | None) -> str | None:
    if start is None:
        return None
    end = end or dt.datetime.now(dt.timezone.utc)
    return format_seconds((end - start).total_seconds())


def format_seconds(seconds: float | None) -> str:
    """``0.25s``, ``12.0s``, ``3m05s``, ``2h03m``; ``-`` for None."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.3f}s" if seconds < 10 else f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


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
                f"{e.workflow_type.name} {e.workflow_type.version}" if e.workflow_type else None,
                e.close_status or e.status,
                _iso(e.start_timestamp),
                _duration(e.start_timestamp, e.close_timestamp),
                ", ".join(e.tag_list) or None,
            )
            for e in executions
        ),
    )


@execution.command("count")
@execution_filters
@pass_state
def execution_count(state: CliState, /, **params: Any) -> None:
    """Count workflow executions (SWF's CountOpen/CountClosedWorkflowExecutions)."""
    total = _queryset(state, params).count()
    if state.json:
        echo_json({"count": total})
    else:
        click.echo(str(total))


def execution_arguments(func: _F) -> _F:
    """``WORKFLOW_ID``, ``--run-id`` and ``--domain``."""
    func = domain_option(func)
    func = click.option(
        "--run-id", "-r", default=None, help="The run (default: the open one, else the latest)."
    )(func)
    return click.argument("workflow_id")(func)


def _execution(state: CliState, domain: str | None, workflow_id: str, run_id: str | None) -> Any:
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
    described = _execution(state, domain, workflow_id, run_id).upstream()
    data = _execution_described_json(described)
    if state.json:
        echo_json(data)
        return
    fields: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key == "workflow_type" and value:
            value = f"{value['name']} {value['version']}"
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
    target = _execution(state, domain, workflow_id, run_id)
    target.signal(signal_name, input=input_)
    _execution_done(state, "signaled", target, signal=signal_name)


@execution.command("cancel")
@execution_arguments
@pass_state
def execution_cancel(
    state: CliState, workflow_id: str, run_id: str | None, domain: str | None
) -> None:
    """Ask the execution WORKFLOW_ID to cancel itself (its decider decides)."""
    target = _execution(state, domain, workflow_id, run_id)
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
    target = _execution(state, domain, workflow_id, run_id)
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


# -- history and inspection -------------------------------------------------------------------


def _download(
    state: CliState, domain: str | None, workflow_id: str, run_id: str | None
) -> tuple[Any, Any]:
    """The execution (its run resolved once) and its whole history, with progress."""
    from swf.models.history import History
    from swf.models.workflow import find_run

    target = _execution(state, domain, workflow_id, run_id)
    if target.run_id is None:
        found = find_run(state.connection, target.domain.name, workflow_id)
        target = _execution(state, domain, workflow_id, found.run_id)
    events = list(with_progress(target.raw_events(), "history events"))
    return target, History.from_event_list(events)


def _summary(event: Any) -> str:
    """The few attributes that say what an event is about, as ``key=value`` pairs."""
    shown = []
    for key in (
        "activityId",
        "timerId",
        "workflowId",
        "signalName",
        "markerName",
        "name",
        "id",
        "identity",
        "reason",
        "cause",
        "timeoutType",
        "result",
        "startToFireTimeout",
    ):
        value = event.attributes.get(key)
        if value is None or value == "":
            continue
        text = str(value)
        if len(text) > 40:
            text = text[:39] + "\u2026"
        shown.append(f"{key}={text}")
    activity_type = event.attributes.get("activityType") or event.attributes.get("workflowType")
    if isinstance(activity_type, Mapping):
        shown.insert(0, f"type={activity_type.get('name')} {activity_type.get('version')}")
    return " ".join(shown)


def _record_json(record: Any, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"state": record.state}
    for name in ("attempts", "result", "reason", "details", "timeout_type", "cause", "input"):
        if hasattr(record, name):
            data[name] = getattr(record, name)
    for name in ("scheduled_at", "initiated_at", "started_at", "closed_at"):
        if hasattr(record, name):
            data[name] = _iso(getattr(record, name))
    data.update(extra)
    return data


def compiled_json(compiled: Any) -> dict[str, Any]:
    """The stable JSON form of a compiled history (``swf history --compiled -o json``)."""
    workflow = compiled.workflow
    return {
        "workflow": {
            "state": workflow.state,
            "started_at": _iso(workflow.started_at),
            "closed_at": _iso(workflow.closed_at),
            "result": workflow.result,
            "reason": workflow.reason,
            "details": workflow.details,
            "cancel_requested": workflow.cancel_requested,
        },
        "activities": {
            key: _record_json(r, activity_type=r.activity_type)
            for key, r in compiled.activities.items()
        },
        "lambda_functions": {
            key: _record_json(r, name=r.name) for key, r in compiled.lambda_functions.items()
        },
        "timers": {
            key: _record_json(r, start_to_fire_timeout=r.start_to_fire_timeout)
            for key, r in compiled.timers.items()
        },
        "child_workflows": {
            key: _record_json(r, run_id=r.run_id, workflow_type=r.workflow_type)
            for key, r in compiled.child_workflows.items()
        },
        "markers": {
            name: [{"state": m.state, "details": m.details} for m in markers]
            for name, markers in compiled.markers.items()
        },
        "signals": [
            {"name": s.name, "input": s.input, "received_at": _iso(s.received_at)}
            for s in compiled.signals
        ],
        "decision_tasks": len(compiled.decision_tasks),
        "last_event_id": compiled.last_event_id,
    }


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
                (key, _type_ref(r.activity_type), r.state, r.attempts, _detail(r))
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
                (key, _type_ref(r.workflow_type), r.state, r.run_id, _detail(r))
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
            ((s.name, _iso(s.received_at), s.input) for s in compiled.signals),
            title="Signals",
        )


def _type_ref(ref: Mapping[str, Any] | None) -> str | None:
    return None if not ref else f"{ref.get('name')} {ref.get('version')}"


@cli.command("history")
@execution_arguments
@click.option(
    "--compiled", "view", flag_value="compiled", help="The compiled view: one line per entity."
)
@click.option("--raw", "view", flag_value="raw", help="Raw events, one JSON object per line.")
@click.option(
    "--typed", "view", flag_value="typed", default=True, help="Typed events (the default)."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='The whole history as {"events": [...]}: what History.from_json reads.',
)
@pass_state
def history_command(
    state: CliState,
    workflow_id: str,
    run_id: str | None,
    domain: str | None,
    view: str,
    as_json: bool,
) -> None:
    """Show the history of the execution WORKFLOW_ID."""
    _, history = _download(state, domain, workflow_id, run_id)
    if as_json:
        click.echo(history.to_json(indent=2))
        return
    if view == "raw":
        for event in history:
            click.echo(json.dumps(event.to_api(), default=_json_default, sort_keys=True))
        return
    if view == "compiled":
        compiled = history.compiled
        if state.json:
            echo_json(compiled_json(compiled))
        else:
            _print_compiled(compiled)
        return
    if state.json:
        echo_json(
            [
                {
                    "id": e.id,
                    "timestamp": e.timestamp.isoformat(),
                    "event_type": e.event_type,
                    "type": e.type,
                    "state": e.state,
                    "attributes": e.attributes,
                }
                for e in history
            ]
        )
        return
    origin = history[0].timestamp if len(history) else None
    print_table(
        ("id", "time", "+s", "event type", "state", "attributes"),
        (
            (
                e.id,
                e.timestamp.isoformat(timespec="milliseconds"),
                f"{(e.timestamp - origin).total_seconds():.3f}" if origin else None,
                e.event_type,
                e.state,
                _summary(e) or None,
            )
            for e in history
        ),
    )


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

    target, history = _download(state, domain, workflow_id, run_id)
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
                    _iso(i.since),
                    i.task_list,
                    i.next_deadline.timeout if i.next_deadline else None,
                    format_seconds(i.next_deadline.left) if i.next_deadline else None,
                )
                for i in items
            ),
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

    target, history = _download(state, domain, workflow_id, run_id)
    t = inspection.timeline(target, history=history)
    if svg_path:
        try:
            with open(svg_path, "w", encoding="utf-8") as stream:
                stream.write(t.to_svg(title=f"{workflow_id}: {t.state or 'open'}"))
        except OSError as exc:
            _fail(f"cannot write {svg_path}: {exc.strerror or exc}")
    if state.json:
        echo_json({**t.to_dict(), "svg": svg_path})
        return
    origin = t.started_at

    def offset(at: dt.datetime | None) -> str | None:
        if at is None or origin is None:
            return None
        return f"+{(at - origin).total_seconds():.3f}s"

    print_table(
        ("kind", "id", "state", "attempts", "scheduled", "wait", "run", "share"),
        (
            (
                task.kind,
                task.id,
                task.state,
                task.attempts,
                offset(task.scheduled_at),
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

    target, history = _download(state, domain, workflow_id, run_id)
    findings = inspection.diagnose(target, history=history)
    if state.json:
        echo_json([f.to_dict() for f in findings])
        _exit_on_errors(findings)
        return
    from rich.markup import escape

    console = _console()
    styles = {"error": "bold red", "warning": "yellow", "info": "green"}
    for finding in findings:
        console.print(
            f"[{styles[finding.level]}]{finding.level}[/]: {escape(finding.message)}",
            markup=True,
            highlight=False,
        )
    _exit_on_errors(findings)


def _exit_on_errors(findings: Sequence[Any]) -> None:
    """Exit 1 when a finding has the ``error`` level: the execution will not progress alone."""
    if any(finding.level == "error" for finding in findings):
        sys.exit(1)


# -- replay ------------------------------------------------------------------------------------


def _attributes_text(attributes: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attributes.items():
        if isinstance(value, Mapping) and set(value) == {"name", "version"}:
            value = f"{value['name']}/{value['version']}"
        elif isinstance(value, Mapping) and set(value) == {"name"}:
            value = value["name"]
        text = str(value)
        parts.append(f"{name}={text if len(text) <= 40 else text[:37] + '...'}")
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
    "--workflow-id", default="replay", show_default=True, help="Workflow id given to the task."
)
@pass_state
def replay_command(
    state: CliState,
    spec: str,
    history_file: Any,
    upto: int | None,
    check: bool,
    unordered: bool,
    workflow_id: str,
) -> None:
    """Run the decider MODULE:CLASS on a saved HISTORY (JSON, or - for stdin), offline.

    HISTORY is what `swf history --json` writes. Without --check: the decisions the decider
    makes now at one decision task. With --check: every decision task is replayed and
    compared with what the history recorded; the exit code is 1 when one differs.
    """
    from swf.actors import Decider
    from swf.models.history import History
    from swf.replay import Replayer

    if upto is not None and check:
        raise click.UsageError("--upto and --check do not go together: --check replays every task")
    if unordered and not check:
        raise click.UsageError("--unordered only applies to --check")
    decider = load_class(spec, Decider)
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


# -- actors ------------------------------------------------------------------------------------


def load_class(spec: str, base: type) -> type:
    """Import ``MODULE:CLASS`` (or ``MODULE.CLASS``) and check it subclasses ``base``.

    The current directory is importable, as with ``python -m``.
    """
    module_name, sep, class_name = spec.partition(":")
    if not sep:
        module_name, _, class_name = spec.rpartition(".")
    if not module_name or not class_name:
        raise click.BadParameter(f"{spec!r} is not MODULE:CLASS", param_hint="MODULE:CLASS")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise click.BadParameter(
            f"cannot import {module_name!r}: {exc}", param_hint="MODULE:CLASS"
        ) from exc
    found = getattr(module, class_name, None)
    if not isinstance(found, type) or not issubclass(found, base):
        raise click.BadParameter(
            f"{spec!r} is not a {base.__name__} subclass", param_hint="MODULE:CLASS"
        )
    return found


def _run_actor(
    spec: str,
    base: type,
    domain: str,
    task_list: str,
    identity: str | None,
    connection_settings: Mapping[str, Any],
) -> None:
    """Build one actor in this process and run it until stopped (a child process's target)."""
    actor_class = load_class(spec, base)
    explicit = {k: v for k, v in connection_settings.items() if v}
    actor = actor_class(domain, task_list, identity=identity, client=Connection(**explicit))
    actor.start()


def _start_actors(
    state: CliState,
    base: type,
    spec: str,
    domain: str | None,
    task_list: str,
    processes: int,
    identity: str | None,
) -> None:
    actor_class = load_class(spec, base)  # fail early, in the parent, on a bad MODULE:CLASS
    where = state.require_domain(domain)
    if processes == 1:
        actor = actor_class(where, task_list, identity=identity, client=state.connection)
        click.echo(
            f"{actor_class.__name__} polling {where}/{task_list} (Ctrl-C stops it)", err=True
        )
        actor.start()  # handles SIGTERM and SIGINT itself: finishes the task, then returns
        return
    import multiprocessing

    settings = {"region": state.region, "endpoint_url": state.endpoint_url}
    children = [
        multiprocessing.Process(
            target=_run_actor,
            args=(
                spec,
                base,
                where,
                task_list,
                f"{identity}-{n}" if identity else None,
                settings,
            ),
            name=f"{actor_class.__name__}-{n}",
        )
        for n in range(processes)
    ]
    for child in children:
        child.start()
    click.echo(
        f"{processes} x {actor_class.__name__} polling {where}/{task_list} "
        f"(pids {', '.join(str(c.pid) for c in children)}; Ctrl-C or SIGTERM stops them)",
        err=True,
    )

    def forward(signum: int, frame: Any) -> None:
        for child in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for child in children:
            child.join()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    failed = [c for c in children if c.exitcode not in (0, None)]
    if failed:
        _fail(f"{len(failed)} of {processes} processes exited with an error")


def _actor_group(kind: str, base_name: str) -> click.Group:
    @click.group(kind, help=f"Run {kind}s: your {base_name} subclasses.")
    def group() -> None:
        pass

    @group.command("start")
    @click.argument("spec", metavar="MODULE:CLASS")
    @domain_option
    @click.option("--task-list", "-t", required=True, help="The task list to poll.")
    @click.option(
        "--processes",
        "-p",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="How many processes, each polling on its own.",
    )
    @click.option("--identity", default=None, help="The identity SWF records.")
    @pass_state
    def start(
        state: CliState,
        spec: str,
        domain: str | None,
        task_list: str,
        processes: int,
        identity: str | None,
    ) -> None:
        """Import MODULE:CLASS and run it until Ctrl-C or SIGTERM.

        Each process finishes the task in hand before it exits.
        """
        from swf import actors

        base = getattr(actors, base_name)
        _start_actors(state, base, spec, domain, task_list, processes, identity)

    return group


cli.add_command(_actor_group("decider", "Decider"))
cli.add_command(_actor_group("worker", "ActivityWorker"))


# -- local endpoint and demo -------------------------------------------------------------------


@cli.command("local")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=0, help="Port (default: a free one).")
def local_command(host: str, port: int) -> None:
    """Run a local SWF endpoint (moto) until Ctrl-C."""
    from swf.local import serve

    sys.exit(serve(host, port))


@cli.command("demo")
@pass_state
def demo_command(state: CliState) -> None:
    """Run the demo workflow: on --endpoint-url (e.g. `swf local`'s) if given, else embedded.

    On an embedded endpoint everything vanishes when the demo ends; on `swf local`'s, the
    execution stays for `swf execution list`, `swf history`, `swf profile`...
    """
    if state.endpoint_url is None:
        from swf.demo import main as run_demo

        sys.exit(run_demo())
    sys.exit(_demo_on(state.endpoint_url))


def _demo_on(endpoint_url: str) -> int:
    """The demo of :mod:`swf.demo` on an endpoint that outlives it (its domain may exist)."""
    import functools
    import uuid

    from swf import demo
    from swf.local import LocalConnection

    connect = functools.partial(LocalConnection, endpoint_url)
    final = demo.run(
        demo.register(connect()), connect, f"demo-{uuid.uuid4().hex[:8]}", out=sys.stdout
    )
    demo.print_report(final, sys.stdout)
    return 0 if final.close_status == "COMPLETED" else 1
