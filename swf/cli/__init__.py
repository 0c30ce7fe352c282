"""The ``swf`` command: list, inspect, profile and operate Amazon SWF from a terminal.

Built on click (parsing, help, ``--option`` / environment defaults) and rich (tables and a
progress display that only appears on a terminal). Every command prints a table, or with
``--output json`` a stable JSON document (docs/cli.rst describes each shape).

The package: :mod:`swf.cli.app` (the root group, :class:`CliState`, exit codes, :func:`main`),
:mod:`swf.cli.output` (tables, fields, JSON, progress, durations), and one module per command
group, each adding its commands to the root: ``domain``, ``types``, ``execution``, ``history``
(history, tasks, profile, diagnose), ``replay``, ``actors`` (decider and worker start),
``local`` (local and demo), ``workflow`` (swf.flow's workflows), ``payload`` (payloads
stored out of band). Importing ``swf.cli``
loads them all.

Exit codes: 0 when the command worked; 1 when SWF (or the connection to it) answered with an
error, printed as one line on stderr; 2 for a usage error (an unknown option, a bad date, a
combination of filters SWF refuses), caught before any request. ``--debug`` shows tracebacks.

Tests and embedding code inject a connection through click's ``obj``::

    from click.testing import CliRunner
    CliRunner().invoke(cli, ["domain", "list"], obj=CliState(connection=conn))
"""

from __future__ import annotations

# The command modules add their commands to ``cli`` as they are imported.
from swf.cli import (  # noqa: F401
    actors,
    domain,
    execution,
    history,
    local,
    payload,
    replay,
    types,
    workflow,
)
from swf.cli.actors import load_class
from swf.cli.app import CliState, cli, main
from swf.cli.execution import execution_json
from swf.cli.output import echo_json, format_seconds, print_fields, print_table, with_progress

__all__ = [
    "CliState",
    "cli",
    "echo_json",
    "execution_json",
    "format_seconds",
    "load_class",
    "main",
    "print_fields",
    "print_table",
    "with_progress",
]
