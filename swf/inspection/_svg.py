"""The timeline drawn as a Gantt chart, in SVG text (no plotting library, no script)."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from swf.validation import truncate

if TYPE_CHECKING:
    from swf.inspection._timeline import Task, Timeline

__all__ = ["draw"]

#: The chart's palette (the browser test looks for these colours in the screenshot).
_COLORS = {
    "wait": "#a9c7e8",
    "run": "#2f6db5",
    "wait_failed": "#f2b8b5",
    "run_failed": "#c62828",
    "grid": "#e3e3e3",
    "text": "#222222",
    "muted": "#666666",
}


def _fmt_axis(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g}s"
    if seconds < 7200:
        return f"{seconds / 60:g}m"
    return f"{seconds / 3600:g}h"


def _nice_step(total: float, ticks: int = 8) -> float:
    raw = max(total / ticks, 1e-3)
    magnitude = 10.0 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def draw(t: Timeline, width: int, title: str | None) -> str:
    """The SVG text of :meth:`Timeline.to_svg <swf.inspection.Timeline.to_svg>`."""
    esc = html.escape
    row_h, bar_h, top, left, right, bottom = 22, 14, 64, 230, 24, 40
    rows = list(t.tasks)
    height = top + max(len(rows), 1) * row_h + bottom
    origin = t.started_at
    total = t.total or 0.0
    if origin is None:
        starts = [x.scheduled_at for x in rows if x.scheduled_at is not None]
        origin = min(starts) if starts else None
    span = max(total, 1e-3)
    plot_w = width - left - right

    def x(at: dt.datetime | None) -> float:
        if at is None or origin is None:
            return float(left)
        return left + plot_w * min(max((at - origin).total_seconds() / span, 0.0), 1.0)

    heading = title or f"{t.workflow_id or 'execution'}: {t.state or 'open'}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="12">',
        "<defs>"
        '<pattern id="open" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{_COLORS["run"]}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>'
        "</pattern></defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold" fill="{_COLORS["text"]}">'
        f"{esc(heading)}</text>",
        f'<text x="12" y="40" fill="{_COLORS["muted"]}">total {total:.3f} s, '
        f"{len(rows)} task{'s' if len(rows) != 1 else ''}</text>",
    ]
    # Legend.
    lx = width - right - 330
    for n, (label, color) in enumerate(
        (
            ("waiting", _COLORS["wait"]),
            ("running", _COLORS["run"]),
            ("failed", _COLORS["run_failed"]),
            ("open", "url(#open)"),
        )
    ):
        out.append(
            f'<rect x="{lx + n * 82}" y="30" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx + n * 82 + 16}" y="40" fill="{_COLORS["text"]}">{label}</text>'
        )
    # Grid and axis.
    step = _nice_step(span)
    tick = 0.0
    axis_y = top + len(rows) * row_h + 4
    while tick <= span + 1e-9:
        tx = left + plot_w * tick / span
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{axis_y}" '
            f'stroke="{_COLORS["grid"]}"/>'
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" '
            f'fill="{_COLORS["muted"]}">{_fmt_axis(round(tick, 6))}</text>'
        )
        tick += step
    # Rows.
    for n, task in enumerate(rows):
        y = top + n * row_h
        label = truncate(f"{task.kind} {task.id}", 32) or ""
        out.append(
            f'<text x="{left - 8}" y="{y + bar_h - 2}" text-anchor="end" '
            f'fill="{_COLORS["text"]}">{esc(label)}</text>'
        )
        for one in (*task.tries, task):
            out.extend(_bars(one, y, x, t.ended_at))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _bars(task: Task, y: int, x: Any, end: dt.datetime | None) -> list[str]:
    esc = html.escape
    bar_h = 14
    failed = task.failed
    stop = task.closed_at or end
    parts: list[str] = []
    tip = (
        f"{task.kind} {task.id} ({task.name or '-'}): {task.state}, attempt {task.attempts}, "
        f"wait {task.wait or 0:.3f} s, run {task.run or 0:.3f} s"
    )
    if task.reason:
        tip += f", {task.reason}"
    wait_end = task.started_at or stop
    if task.scheduled_at is not None and wait_end is not None:
        x0, x1 = x(task.scheduled_at), x(wait_end)
        color = _COLORS["wait_failed"] if failed else _COLORS["wait"]
        parts.append(
            f'<rect class="wait" x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{bar_h}" fill="{color}"><title>{esc(tip)}</title></rect>'
        )
    if task.started_at is not None and stop is not None:
        x0, x1 = x(task.started_at), x(stop)
        if failed:
            fill = _COLORS["run_failed"]
        elif task.closed_at is None:
            fill = "url(#open)"
        else:
            fill = _COLORS["run"]
        parts.append(
            f'<rect class="run" x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{bar_h}" fill="{fill}"><title>{esc(tip)}</title></rect>'
        )
    if failed and stop is not None:
        cx = x(stop)
        parts.append(
            f'<path class="failure" d="M{cx - 4:.1f} {y - 1} l8 8 m0 -8 l-8 8" '
            f'stroke="{_COLORS["run_failed"]}" stroke-width="2" '
            f'transform="translate(4 {bar_h / 2 - 3:.1f})"><title>{esc(tip)}</title></path>'
        )
    return parts
