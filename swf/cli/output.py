"""What the ``swf`` command prints: tables, aligned fields, JSON, a progress counter.

One place for the look of the output, shared by every command (and by command groups added
on top, such as ``swf.flow``'s): a table or a ``name  value`` list for people, a stable JSON
document for scripts (``--output json``), one way to shorten a long value and one way to
write a duration.

Ids, run ids, names and types are never cut, on a terminal or in a pipe: a script must get
an id that exists. On a terminal the other columns wrap to fit its width (a table whose ids
alone are wider than the terminal is printed as wide as they need, and the terminal wraps the
lines). Piped or redirected output has no progress display and no table wrapping at all, so
``grep`` and ``awk`` see whole lines.

Colours: on a terminal only, unless ``--color``/``--no-color`` (:func:`set_color`) or the
environment says otherwise (``NO_COLOR``, then ``FORCE_COLOR``; https://no-color.org).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO, TypeVar

import click

from swf.validation import truncate

__all__ = [
    "WHOLE_COLUMNS",
    "color_enabled",
    "console",
    "echo_change",
    "echo_json",
    "format_offset",
    "format_seconds",
    "format_span",
    "iso",
    "json_default",
    "print_fields",
    "print_table",
    "set_color",
    "shorten",
    "type_label",
    "with_progress",
]

_T = TypeVar("_T")


# -- values ------------------------------------------------------------------------------------


def iso(value: dt.datetime | None) -> str | None:
    """A datetime as ISO 8601 text; None stays None."""
    return None if value is None else value.isoformat()


def shorten(value: Any, width: int = 40) -> str:
    """``value`` as text of at most ``width`` characters, a cut marked with ``...``.

    The one shortener of the command's output: it cuts as :func:`swf.validation.truncate`
    cuts what is sent to SWF.
    """
    text = str(value)
    return truncate(text, width) or text


def type_label(ref: Any) -> str | None:
    """A workflow or activity type as every command shows it: ``"name version"``.

    Args:
        ref: a type model (``.name``, ``.version``), a ``{"name", "version"}`` mapping (as in
            events), or None (shown as None).
    """
    if ref is None:
        return None
    if isinstance(ref, Mapping):
        name, version = ref.get("name"), ref.get("version")
    else:
        name, version = getattr(ref, "name", None), getattr(ref, "version", None)
    if name is None:
        return None
    return f"{name} {version}"


def format_seconds(seconds: float | None) -> str:
    """A duration: ``0.250s``, ``12.0s``, ``3m05s``, ``2h03m``, ``3d02h``; ``-`` for None.

    The one duration format of the command's tables.
    """
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


def format_span(start: dt.datetime | None, end: dt.datetime | None) -> str | None:
    """The time from ``start`` to ``end`` (to now when ``end`` is None), as
    :func:`format_seconds` writes it; None when ``start`` is unknown."""
    if start is None:
        return None
    end = end or dt.datetime.now(dt.timezone.utc)
    return format_seconds((end - start).total_seconds())


def format_offset(at: dt.datetime | None, origin: dt.datetime | None) -> str | None:
    """When ``at`` happened after ``origin``: ``+0.343s``, ``+1m15s``; None if either is
    unknown."""
    if at is None or origin is None:
        return None
    return f"+{format_seconds((at - origin).total_seconds())}"


# -- JSON ----------------------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    """What :func:`json.dumps` cannot write: datetimes as ISO 8601, timedeltas as seconds,
    bytes as text, sets and tuples as lists, anything else as ``str``."""
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
    click.echo(json.dumps(data, indent=2, default=json_default, ensure_ascii=False))


def echo_change(as_json: bool, action: str, data: Mapping[str, Any], what: str) -> None:
    """Report a change: ``{"action": ..., **data}`` as JSON, else one sentence.

    Args:
        as_json: print JSON (``--output json``).
        action: what was done (``'registered'``, ``'deprecated'``...).
        data: the JSON fields besides ``action``.
        what: the subject of the sentence (``"domain 'media'"``).
    """
    if as_json:
        echo_json({"action": action, **data})
    else:
        click.echo(f"{what[0].upper()}{what[1:]} {action}.")


# -- tables and the console ----------------------------------------------------------------------

#: Table columns never cut, by header: ids, run ids, names, versions, types, task lists.
WHOLE_COLUMNS = frozenset(
    {"id", "name", "version", "type", "task list", "marker", "signal", "kind", "workflow"}
)

_color: bool | None = None
#: The width piped tables are laid out for: wider than any row, so nothing wraps.
_UNBOUNDED = 100_000


def set_color(value: bool | None) -> None:
    """Force colours on (True) or off (False), or decide by the environment (None): what
    ``--color`` and ``--no-color`` do."""
    global _color
    _color = value


def color_enabled(stream: TextIO | None = None) -> bool:
    """Whether output to ``stream`` (stdout by default) is coloured.

    ``--color``/``--no-color`` first; then ``NO_COLOR`` (set and not empty: no colours),
    then ``FORCE_COLOR`` (set, not empty and not ``0``: colours); else colours on a terminal
    only.
    """
    if _color is not None:
        return _color
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR")
    if forced and forced.lower() not in ("0", "false", "no"):
        return True
    return (stream or sys.stdout).isatty()


def console(stderr: bool = False, *, width: int | None = None) -> Any:
    """A rich console on stdout (or stderr), coloured as :func:`color_enabled` says.

    Args:
        stderr: on stderr.
        width: the width to lay out for; by default the terminal's, and on a pipe 200
            columns (tables are laid out for their whole width anyway: :func:`print_table`).
    """
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    color = color_enabled(stream)
    return Console(
        file=stream,
        force_terminal=True if color else terminal,
        no_color=not color,
        color_system=("auto" if terminal else "standard") if color else None,
        width=width if width is not None else (None if terminal else 200),
        highlight=False,
    )


def _is_whole(header: str) -> bool:
    header = header.lower()
    return header in WHOLE_COLUMNS or header.endswith(" id")


def print_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    whole: Collection[str] | None = None,
    empty: str | None = None,
) -> None:
    """Print a table (rich), one row per item; ``None`` cells show as ``-``.

    Args:
        columns: the headers.
        rows: the cells, row by row.
        title: a title above the table.
        whole: the headers of the columns never cut nor wrapped (default: ids, run ids,
            names, versions, types, task lists: :data:`WHOLE_COLUMNS`, and every header
            ending in ``" id"``). On a terminal the other columns wrap to fit.
        empty: what to say (on stderr) when there is no row, instead of an empty table
            (stdout stays empty for scripts). None prints the bare table.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    cells = [["-" if cell is None else str(cell) for cell in row] for row in rows]
    if not cells and empty is not None:
        click.echo(empty, err=True)
        return
    kept = set(whole) if whole is not None else {c for c in columns if _is_whole(c)}
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    natural: list[int] = []
    for index, header in enumerate(columns):
        width = max([cell_len(header), *(cell_len(row[index]) for row in cells)])
        natural.append(width)
        if header in kept:
            table.add_column(header, no_wrap=True, min_width=width, overflow="ignore")
        else:
            table.add_column(header, overflow="fold")
    for row in cells:
        table.add_row(*row)
    gaps = 3 * max(len(columns) - 1, 0)  # padding, separator, padding
    if sys.stdout.isatty():
        # The whole columns at full width, the others at least a little (they wrap).
        needed = gaps + sum(
            width if header in kept else min(width, max(cell_len(header), 8))
            for header, width in zip(columns, natural, strict=True)
        )
        out = console()
        _print(table, console(width=max(out.width, needed)))
    else:
        _print(table, console(width=_UNBOUNDED))  # laid out at its natural width


def print_fields(fields: Sequence[tuple[str, Any]], *, title: str | None = None) -> None:
    """Print ``name  value`` lines, aligned (a describe); values are never cut (on a
    terminal, a long one wraps)."""
    from rich.table import Table

    rows: list[tuple[str, str]] = []
    for name, value in fields:
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "-"
        rows.append((name, "-" if value is None else str(value)))
    table = Table(box=None, show_header=False, title=title, title_justify="left", pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in rows:
        table.add_row(name, value)
    _print(table, console() if sys.stdout.isatty() else console(width=_UNBOUNDED))


def _print(renderable: Any, out: Any) -> None:
    """Print a rich renderable; piped, without the padding rich adds at line ends."""
    if sys.stdout.isatty():
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    click.echo(text, color=out.is_terminal)  # click strips colours from a pipe otherwise


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
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)
        for item in items:
            progress.advance(task)
            yield item
