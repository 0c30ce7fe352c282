"""What the ``swf`` command prints: tables, aligned fields, JSON, a progress counter.

One place for the look of the output, shared by every command (and by command groups added
on top, such as ``swf.flow``'s): a table or a ``name  value`` list for people, a stable JSON
document for scripts (``--output json``), one way to shorten a long value and one way to
write a duration.

Piped or redirected output has no colours, no progress display and no table wrapping, so
``grep`` and ``awk`` see clean lines.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import click

from swf.validation import truncate

__all__ = [
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
    "shorten",
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


def console(stderr: bool = False) -> Any:
    """A rich console on stdout (or stderr): colours on a terminal only, and piped output
    wide enough (200 columns) that tables are not wrapped for ``grep`` and ``awk``."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
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
    out = console()
    if out.is_terminal:
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    click.echo(text)


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
