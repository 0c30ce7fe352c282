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
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from swf.core import Connection
from swf.exceptions import SWFError, ValidationError

__all__ = ["OUTPUTS", "CliState", "cli", "domain_option", "fail", "main", "pass_state"]

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
