"""The ``swf`` command (grows into the full CLI)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="swf", description="Amazon SWF from a terminal.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the demo workflow on an embedded local SWF endpoint")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from swf.demo import main as run_demo

        return run_demo()
    return 2  # pragma: no cover - argparse refuses unknown commands
