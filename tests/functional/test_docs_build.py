"""The documentation builds with Sphinx and no warning (a broken reference, a missing page,
a malformed table or a docstring Sphinx cannot read fails the suite)."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    built = {p.stem for p in (tmp_path / "html").glob("*.html")}
    assert {p.stem for p in DOCS.glob("*.rst")} <= built


@pytest.mark.parametrize("page", ["events.rst", "history.rst", "flow.rst", "dag.rst"])
def test_examples_of_offline_pages_run_as_written(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ``>>>`` examples of the pages that need no backend are doctests."""
    monkeypatch.chdir(DOCS.parent)  # examples load tests/data/... relative to the checkout
    result = doctest.testfile(str(DOCS / page), module_relative=False, verbose=False)
    assert result.attempted > 5
    assert result.failed == 0
