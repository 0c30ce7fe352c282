"""The package's import graph: no cycle, and no private name borrowed across packages.

Both tests read the source with :mod:`ast` (nothing is imported), so an import placed inside a
function to dodge a circle at import time is still an edge: a circle is a module in the wrong
layer, whether Python notices it or not (docs/contributing.rst). Imports under
``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import attrs

import swf

ROOT = Path(swf.__file__).resolve().parent


@attrs.frozen
class Import:
    """One import statement's edge: ``importer`` loads ``module`` (for ``name``, if any)."""

    importer: str
    module: str
    name: str | None
    line: int


def module_files() -> dict[str, Path]:
    """Every module of ``swf`` by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = module_files()


def package_of(module: str) -> str:
    """The package a module belongs to: itself for a package, else its parent."""
    if MODULES[module].name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, at any depth (functions, classes, try...), but not TYPE_CHECKING's."""
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.orelse)
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if not children:
                continue
            for child in children:
                if isinstance(child, ast.stmt):
                    yield from _statements([child])
                else:  # an except handler or a match case: its own body
                    yield from _statements(child.body)


def imports_of(module: str) -> list[Import]:
    """The ``swf`` modules ``module`` imports, at module level or inside functions."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = package_of(module)
    found = []
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    found.append(Import(module, alias.name, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base not in MODULES:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:  # ``from swf.x import y`` where y is a module
                    found.append(Import(module, submodule, None, node.lineno))
                else:
                    found.append(Import(module, base, alias.name, node.lineno))
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles() -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    edges = {module: sorted({i.module for i in found}) for module, found in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges[node]:
                components.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def describe(component: frozenset[str]) -> str:
    """The cycle's modules and the import lines that close it."""
    lines = [
        f"{i.importer}:{i.line} imports {i.module}" + (f" ({i.name})" if i.name else "")
        for module in sorted(component)
        for i in GRAPH[module]
        if i.module in component
    ]
    return " <-> ".join(sorted(component)) + "\n    " + "\n    ".join(lines)


def private_imports() -> list[Import]:
    """Underscore names (not dunders) imported from a module of another package."""
    return [
        i
        for found in GRAPH.values()
        for i in found
        if i.name is not None
        and i.name.startswith("_")
        and not i.name.startswith("__")
        and package_of(i.module) != package_of(i.importer)
    ]


def test_the_walk_sees_every_kind_of_import() -> None:
    """The walker itself: function-level imports count, TYPE_CHECKING ones do not."""
    targets = {i.module for i in GRAPH["swf.models.workflow"]}
    assert "swf.models.history" in targets  # imported inside WorkflowExecution.history()
    assert "swf.core" not in targets  # only under TYPE_CHECKING there
    into_models = {i.module for i in GRAPH["swf.querysets"]}
    assert "swf.querysets.domain" in into_models  # ``from swf.querysets.domain import ...``
    assert "swf.constants" in targets  # ``from swf import constants``: the module
    assert len(MODULES) >= 40


def test_no_import_cycle() -> None:
    """Nothing imports upward: a module in a cycle is in the wrong layer."""
    found = cycles()
    assert not found, "import cycles:\n" + "\n".join(describe(c) for c in found)


def test_no_private_name_crosses_a_package() -> None:
    """A module uses another package's public names only (its ``_`` helpers may change)."""
    found = [f"{i.importer}:{i.line} imports {i.name} from {i.module}" for i in private_imports()]
    assert not found, "private imports across packages:\n" + "\n".join(found)
