"""The documentation builds with Sphinx, nitpicky and with no warning (an unresolved
reference, a missing page, a malformed table or a docstring Sphinx cannot read fails the
suite), and every public name has a reference entry in the built inventory."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One nitpicky build (-n: every cross-reference must resolve) with warnings as errors."""
    out = tmp_path_factory.mktemp("docs")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-n",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(out / "doctrees"),
            str(DOCS),
            str(out / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result, out / "html"


def test_docs_build_without_warnings(built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, html = built
    assert result.returncode == 0, result.stderr
    pages = {p.stem for p in html.glob("*.html")}
    assert {p.stem for p in DOCS.glob("*.rst")} <= pages


def _public_modules() -> list[str]:
    import swf

    names = [info.name for info in pkgutil.walk_packages(swf.__path__, "swf.")]
    return ["swf", *(n for n in names if not any(p.startswith("_") for p in n.split(".")))]


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                found = getattr(found, part)
        except AttributeError:
            return None
        return found
    return None


def _by_identity(value: Any) -> bool:
    """Classes, functions and modules are the same object wherever they are re-exported."""
    return isinstance(value, type | types.FunctionType | types.ModuleType) or callable(value)


def test_every_public_name_has_a_reference_entry(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    """Each name of each public module's ``__all__`` is in the built inventory (issue 12,
    docs 3): under that path, or, for a class, function or module re-exported elsewhere,
    under one of its paths (it is documented once)."""
    from sphinx.util.inventory import InventoryFile

    result, html = built
    assert result.returncode == 0, result.stderr
    with open(html / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda *parts: "")
    entries = {
        name for role, items in inventory.items() if role.startswith("py:") for name in items
    }
    documented = {
        id(found)
        for name in entries
        if (found := _resolve(name)) is not None and _by_identity(found)
    }
    exported: dict[tuple[Any, ...], list[str]] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            key = ("id", id(value)) if _by_identity(value) else ("data", name, id(value))
            exported.setdefault(key, []).append(f"{module_name}.{name}")
    missing = [
        " | ".join(paths)
        for key, paths in exported.items()
        if not any(path in entries for path in paths)
        and not (key[0] == "id" and key[1] in documented)
    ]
    assert len(exported) > 300
    assert not missing, "no reference entry for:\n" + "\n".join(sorted(missing))


@pytest.mark.parametrize("page", ["events.rst", "history.rst", "flow.rst", "dag.rst"])
def test_examples_of_offline_pages_run_as_written(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ``>>>`` examples of the pages that need no backend are doctests."""
    monkeypatch.chdir(DOCS.parent)  # examples load tests/data/... relative to the checkout
    result = doctest.testfile(str(DOCS / page), module_relative=False, verbose=False)
    assert result.attempted > 5
    assert result.failed == 0
