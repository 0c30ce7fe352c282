"""The ``swf`` command's root: global options, the shared state, exit codes, ``main``.

Command modules (``swf.cli.domain``, ``swf.cli.execution``...) import this module and add
their commands or groups to :data:`cli`; ``swf.cli`` imports them all. A command group built
elsewhere (``swf.flow``'s) does the same::

    import click
    from swf.cli.app import CliState, cli, pass_state

    @cli.group()
    def flow() -> None:
        '''Workflows written with swf.flow.'''

    @flow.command("list")
    @pass_state
    def flow_list(state: CliState) -> None:
        ...

Exit codes: 0 when the command worked; 1 when SWF (or the connection to it) answered with an
error, printed as one line on stderr; 2 for a usage error (an unknown option, a bad date, a
combination of filters SWF refuses), caught before any request. ``--debug`` shows tracebacks.

Tests and embedding code inject a connection through click's ``obj``::

    from click.testing import CliRunner
    CliRunner().invoke(cli, ["domain", "list"], obj=CliState(connection=conn))
"""

from __future__ import annotations

import logging
import re
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from swf.cli.output import set_color
from swf.core import Connection
from swf.exceptions import SWFError, ValidationError

__all__ = [
    "LIBRARY_NAMES",
    "OUTPUTS",
    "CliState",
    "OneLineUsageError",
    "cli",
    "domain_option",
    "fail",
    "is_local_endpoint",
    "main",
    "pass_state",
    "usage_message",
]

_F = TypeVar("_F", bound=Callable[..., Any])

#: The values of ``--output``.
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
        """The connection, built on first use from ``--region`` and ``--endpoint-url``.

        On a local endpoint (:func:`is_local_endpoint`: ``swf local``'s, on loopback) it is a
        :class:`swf.local.LocalConnection`, as :meth:`swf.local.LocalSWF.connection` builds:
        the local endpoint's dummy credentials, no retry of a moto failure (HTTP 500), which
        is reported in one line rather than as the server's HTML page, and decisions moto
        cannot process refused before they wedge the execution.
        """
        if self._connection is None:
            if self.endpoint_url and is_local_endpoint(self.endpoint_url):
                from swf.local import LocalConnection

                region = {"region": self.region} if self.region else {}
                self._connection = LocalConnection(self.endpoint_url, **region)
            else:
                explicit = {
                    name: value
                    for name, value in (
                        ("region", self.region),
                        ("endpoint_url", self.endpoint_url),
                    )
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


def is_local_endpoint(endpoint_url: str) -> bool:
    """Whether ``endpoint_url`` is a local SWF endpoint (moto, as ``swf local`` runs it): an
    ``http`` URL on a loopback address (``127.0.0.1``, ``localhost``, ``::1``)."""
    parsed = urllib.parse.urlsplit(endpoint_url)
    host = (parsed.hostname or "").lower()
    return parsed.scheme == "http" and (host in ("localhost", "::1") or host.startswith("127."))


# -- errors and exit codes ----------------------------------------------------------------------

#: The library's argument names an option's value feeds, where they differ from the option's
#: own name: a ValidationError naming ``retention_period`` is about ``--retention-days``.
#: Command groups added on top may extend it.
LIBRARY_NAMES: dict[str, tuple[str, ...]] = {
    "retention_days": ("retention_period",),
    "type_name": ("workflow_type_name",),
    "type_version": ("workflow_type_version",),
    "input_": ("input",),
    "tags": ("tag_list",),
    "signal_name": ("name",),
    "heartbeat_timeout": ("task_heartbeat_timeout",),
    "schedule_to_start_timeout": ("task_schedule_to_start_timeout",),
    "schedule_to_close_timeout": ("task_schedule_to_close_timeout",),
    "start_to_close_timeout": ("task_start_to_close_timeout",),
}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _typed(param: click.Parameter, raw: Sequence[str]) -> str:
    """How the user named ``param`` on the command line (``--started-after`` rather than
    its alias ``--start-oldest-date``); its first name when it was not typed."""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    names = [*param.opts, *param.secondary_opts]
    for arg in raw:
        for name in names:
            if (
                arg == name
                or arg.startswith(f"{name}=")
                or (len(name) == 2 and not name.startswith("--") and arg.startswith(name))
            ):
                return name
    return max(names, key=len)


def usage_message(
    exc: ValidationError, params: Sequence[click.Parameter], raw: Sequence[str]
) -> str:
    """The one-line usage error for a value the library refused, in the command line's words.

    The library names its arguments (``start_oldest_date 3 is not ...``); the message names
    the option the user typed instead (``--started-after 3 is not ...``), also for the other
    arguments it mentions (``workflow_type_name`` -> ``--type``).

    Args:
        exc: the library's error.
        params: the command's parameters.
        raw: the command's arguments as typed.
    """
    text = _one_line(exc)
    shown: dict[str, str] = {}
    for param in params:
        if param.name is None:
            continue
        typed = _typed(param, raw)
        for name in (param.name, *LIBRARY_NAMES.get(param.name, ())):
            shown.setdefault(name, typed)
    argument = re.split(r"[.\[]", exc.argument or "", maxsplit=1)[0]
    prefixed = argument in shown and text.startswith(argument)
    if prefixed:
        text = shown[argument] + text[len(argument) :]
    for name in sorted(shown, key=len, reverse=True):
        # A snake_case name anywhere; a plain word ('tag', 'status') only where it names an
        # argument: in a list ("tag, ..."), or a value ("tag='a'").
        after = "" if "_" in name.strip("_") else r"(?=\s*[=,]|\s+(?:and|or)\s)"
        text = re.sub(rf"(?<![\w'-]){re.escape(name)}(?![\w-]){after}", shown[name], text)
    if argument in shown and not prefixed and shown[argument] not in text:
        text = f"{shown[argument]}: {text}"
    return text


class OneLineUsageError(click.UsageError):
    """A usage error printed as one line, ``Error: ...`` on stderr (exit code 2), without
    click's usage lines: what every mistake caught inside a command gives."""

    def show(self, file: Any = None) -> None:
        """Print ``Error: message``."""
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


class _Command(click.Command):
    """A command whose refused option values are usage errors naming the option typed, and
    which takes ``-o/--output`` after its name too (``swf execution list -o json``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_output_option(self)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_RAW_ARGS] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            # Our own checks of the user's input, made before any request: a usage error.
            if _debug(ctx):
                raise
            message = usage_message(exc, self.params, ctx.meta.get(_RAW_ARGS, ()))
            raise OneLineUsageError(message) from exc
        except OneLineUsageError:
            raise
        except click.UsageError as exc:  # raised by the command itself: one line too
            raise OneLineUsageError(exc.format_message()) from exc


_RAW_ARGS = "swf.cli.raw_args"


def _set_output(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        state = ctx.find_object(CliState)
        if state is not None:
            state.output = value


def _add_output_option(command: click.Command) -> None:
    if any(param.name == "output" for param in command.params):
        return
    command.params.append(
        click.Option(
            ["--output", "-o"],
            type=click.Choice(OUTPUTS),
            default=None,
            expose_value=False,
            callback=_set_output,
            help="Tables or JSON (as the global -o; either place works).",
        )
    )


class _Group(click.Group):
    """A click group mapping our exceptions to exit codes: SWF errors 1, bad input 2.

    Its subgroups are of this class too, and its commands :class:`_Command` (one usage-error
    format, ``-o`` anywhere); a group or command built elsewhere and added is converted.
    """

    command_class = _Command
    group_class = type  # subgroups: _Group

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _convert(cmd)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            if _debug(ctx):
                raise
            raise OneLineUsageError(_one_line(exc)) from exc
        except SWFError as exc:
            if _debug(ctx):
                raise
            click.echo(f"Error: {_one_line(exc)}", err=True)
            ctx.exit(1)


def _convert(cmd: click.Command) -> None:
    """Give a command (or a group and its commands) built with plain click the behaviour of
    ours: same attributes, our class."""
    if isinstance(cmd, click.Group):
        if type(cmd) is click.Group:
            cmd.__class__ = _Group
        for sub in cmd.commands.values():
            _convert(sub)
    elif type(cmd) is click.Command:
        cmd.__class__ = _Command
        _add_output_option(cmd)


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    state = root.obj
    return bool(getattr(state, "debug", False))


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code`` (1: an error of SWF's or of
    the system, as opposed to a usage error)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


#: A decorator passing the :class:`CliState` to a command as its first argument.
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
@click.option(
    "--color/--no-color",
    default=None,
    help="Colours on or off (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR "
    "forces them).",
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
    color: bool | None,
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
    set_color(color)
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
