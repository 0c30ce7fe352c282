"""`make demo`: the demo workflow completes on the local endpoint and prints its history."""

from __future__ import annotations

import io
import re

import pytest

from swf import demo

pytestmark = pytest.mark.e2e


def test_demo_completes_and_prints_the_compiled_history() -> None:
    out = io.StringIO()
    assert demo.main(out) == 0
    text = out.getvalue()
    assert "Execution demo-1 is CLOSED (COMPLETED)" in text
    rows = {
        line.split()[0]: line.split()
        for line in text.splitlines()
        if re.match(r"\s+(double-\d|sum)\s", line)
    }
    assert sorted(rows) == [*(f"double-{i}" for i in range(len(demo.NUMBERS))), "sum"]
    assert all(row[1] == "completed" for row in rows.values())
    assert rows[demo.FLAKY][2] == "2"  # failed once, retried by the decider
    assert rows["double-0"][2] == "1"
    assert rows["sum"][-1] == str(sum(2 * n for n in demo.NUMBERS))
    assert "timer settle: fired" in text
    assert "marker fan-out: recorded" in text
    assert "workflow: completed" in text
