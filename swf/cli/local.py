"""``swf local`` and ``swf demo``: the local SWF endpoint (moto) and the demo workflow."""

from __future__ import annotations

import sys

import click

from swf.cli.app import CliState, cli, pass_state
from swf.extras import require

__all__ = ["demo_command", "local_command"]


@cli.command("local")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=0, help="Port (default: a free one).")
@click.option(
    "--poll-timeout",
    type=click.FloatRange(min=0.5, max=60),
    default=60,
    show_default=True,
    help="Seconds an empty poll waits for a task (SWF's 60).",
)
def local_command(host: str, port: int, poll_timeout: float) -> None:
    """Run a local SWF endpoint (moto) until Ctrl-C."""
    require("local", "swf local")
    from swf.cli.app import is_local_endpoint
    from swf.local import serve

    if not is_local_endpoint(f"http://{host}/") and host != "::1":
        click.echo(
            f"Warning: listening on {host}, not a loopback address: any machine that reaches "
            "it may use this endpoint, which checks no credentials.",
            err=True,
        )
    sys.exit(serve(host, port, poll_timeout=poll_timeout))


@cli.command("demo")
@click.option(
    "--core", is_flag=True, help="The same workflow, decided by a Decider written by hand."
)
@pass_state
def demo_command(state: CliState, core: bool) -> None:
    """Run the demo workflow: on --endpoint-url (e.g. `swf local`'s) if given, else embedded.

    The workflow is written with swf.flow; --core runs the same one decided by a Decider
    written against the core. On an embedded endpoint everything vanishes when the demo
    ends; on `swf local`'s, the execution stays for `swf execution list`, `swf history`,
    `swf profile`...
    """
    require("local", "swf demo")
    if state.endpoint_url is None:
        from swf.demo import main as run_demo

        sys.exit(run_demo(core=core))
    sys.exit(_demo_on(state.endpoint_url, core))


def _demo_on(endpoint_url: str, core: bool) -> int:
    """The demo of :mod:`swf.demo` on an endpoint that outlives it (its domain may exist)."""
    import functools
    import uuid

    from swf import demo
    from swf.local import LocalConnection

    connect = functools.partial(LocalConnection, endpoint_url)
    final = demo.run(
        demo.register(connect(), core=core),
        connect,
        f"demo-{uuid.uuid4().hex[:8]}",
        out=sys.stdout,
    )
    demo.print_report(final, sys.stdout)
    return 0 if final.close_status == "COMPLETED" else 1
