"""The Gantt chart of a real local run, opened in headless Chromium: it renders as drawn.

``timeline(execution).to_svg()`` of a workflow run on the local endpoint (one activity
failing once, then retried) is screenshotted by Chromium (Debian's ``chromium`` package) and
the PNG is read back with a small reader (zlib only): the right size, mostly white
background, and the chart's colours (waiting, running, failed) covering more than their
legend squares, so the bars themselves were drawn. Skipped only when no Chromium binary is
installed (``apt-get install chromium``; ``SWF_CHROMIUM`` may name another binary).
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import workflow_app as app

from swf.actors import Decider
from swf.inspection import timeline as inspect_timeline
from swf.inspection._svg import _COLORS
from swf.local import LocalConnection
from swf.models import WorkflowExecution

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Flags for a headless Chromium on a machine without network (no background requests).
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The Chromium binary: ``SWF_CHROMIUM``, else the first of the usual names on PATH."""
    named = os.environ.get("SWF_CHROMIUM")
    if named:
        return shutil.which(named) or (named if os.access(named, os.X_OK) else None)
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(chromium: str, page: Path, png: Path, width: int, height: int) -> None:
    """Render ``page`` with headless Chromium to ``png`` at ``width`` x ``height``."""
    profile = png.parent / "chromium-profile"
    subprocess.run(
        [
            chromium,
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG: (width, height, pixels row by row)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header is not None, "no IHDR chunk"
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    bpp = 3 if color_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            up_left = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[i : i + 3]) for row in rows for i in range(0, stride, bpp)]
    return width, height, pixels


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.fixture
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "no Chromium binary (looked for SWF_CHROMIUM, " + ", ".join(_BROWSERS) + "); "
            "install Debian's package with: apt-get install chromium"
        )
    return found


def run_workflow(conn: LocalConnection) -> WorkflowExecution:
    """Four activities on the local endpoint, ``double-1`` failing once; returns the run."""
    workflow_type, _ = app.register(conn)
    execution = app.start(workflow_type, 4, fail_once=("double-1",), sleep=0.3)
    actors: list[Decider | app.DoubleWorker] = [
        app.FanOutDecider(app.DOMAIN, app.DECIDERS, identity="decider", client=conn),
        app.DoubleWorker(app.DOMAIN, app.WORKERS, identity="w1", client=conn),
        app.DoubleWorker(app.DOMAIN, app.WORKERS, identity="w2", client=conn),
    ]
    threads = [app.run_in_thread(actor) for actor in actors]
    try:
        app.wait_for(lambda: execution.upstream().status == "CLOSED", timeout=60, interval=0.2)
    finally:
        for actor in actors:
            actor.stop()
        for thread in threads:
            thread.join(timeout=5)
    return execution


def test_the_gantt_chart_renders_in_chromium(
    chromium: str, local_connection: LocalConnection, tmp_path: Path
) -> None:
    execution = run_workflow(local_connection)
    timeline = inspect_timeline(execution)
    assert timeline.state == "completed"
    svg = timeline.to_svg()
    match = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    assert match is not None
    width, height = int(match.group(1)), int(match.group(2))
    page = tmp_path / "profile.svg"
    page.write_text(svg, encoding="utf-8")
    png = tmp_path / "profile.png"

    screenshot(chromium, page, png, width, height)

    data = png.read_bytes()
    assert len(data) > 5_000, f"a {len(data)}-byte PNG is too small to hold the chart"
    got_width, got_height, pixels = read_png(data)
    assert (got_width, got_height) == (width, height)
    counts = collections.Counter(pixels)
    white = sum(n for color, n in counts.items() if _near(color, (255, 255, 255)))
    assert 0.5 < white / len(pixels) < 0.99, "not a white page with a chart on it"
    assert len(counts) > 20, "too few colours: no text or anti-aliasing, nothing rendered?"
    legend = 12 * 12  # each legend square
    for name in ("wait", "run", "run_failed"):
        wanted = _rgb(_COLORS[name])
        found = sum(n for color, n in counts.items() if _near(color, wanted))
        assert found > 2 * legend, f"{name} colour {_COLORS[name]}: only {found} pixels"
