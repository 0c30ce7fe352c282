"""The ``swf`` command (grows into the full CLI)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="swf", description="Amazon SWF from a terminal.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the demo workflow on an embedded local SWF endpoint")
    local = commands.add_parser("local", help="run a local SWF endpoint (moto) until Ctrl-C")
    local.add_argument("--host", default="127.0.0.1", help="address to listen on")
    local.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    args = parser.parse_args(argv)
    if args.command == "local":
        from swf.local import serve

        return serve(args.host, args.port)
    if args.command == "demo":
        from swf.demo import main as run_demo

        return run_demo()
    return 2  # pragma: no cover - argparse refuses unknown commands
