"""Extract the examples of the documentation pages, to run them as written.

An example is a ``.. code-block:: python`` (run with ``exec``) or ``.. code-block:: pycon``
(run as a doctest) of a page of ``docs/``. The examples of one page run in order, in one
namespace, against an in-process moto SWF (the default connection goes there). An example
that cannot run here says why, in an rst comment right above it, which the reader does not
see::

    .. not-run: loops until SIGTERM

    .. code-block:: python

Used by tests/functional/test_docs_examples.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1] / "docs"
_DIRECTIVE = re.compile(r"^(\s*)\.\. code-block:: (python|pycon)\s*$")
_NOT_RUN = re.compile(r"^\s*\.\. not-run: (.+)$")


@dataclass
class Example:
    """One code block of a page."""

    page: str
    line: int
    kind: str  # "python" or "pycon"
    code: str
    not_run: str | None  # why it is not run, if so

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}"


def examples(page: Path) -> Iterator[Example]:
    """The code blocks of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        not_run = None
        for before in reversed(lines[max(index - 3, 0) : index]):
            if before.strip():
                found = _NOT_RUN.match(before)
                not_run = found.group(1) if found else None
                break
        body: list[str] = []
        end = index + 1
        while end < len(lines):
            text = lines[end]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            body.append(text)
            end += 1
        body = [text for text in body if not text.strip().startswith(":")]  # options
        margin = min((len(t) - len(t.lstrip()) for t in body if t.strip()), default=0)
        code = "\n".join(t[margin:] for t in body).strip("\n") + "\n"
        kind = match.group(2)
        if code.lstrip().startswith(">>>"):  # a python block written as a session: a doctest
            kind = "pycon"
        yield Example(page.name, index + 1, kind, code, not_run)


#: Pages whose examples are doctests run by tests of their own (test_docs_build's offline
#: pages, the payload tests): they run as the page's own module, with the names it shows.
DOCTESTED_ELSEWHERE = frozenset(
    {"events.rst", "history.rst", "flow.rst", "dag.rst", "payloads.rst"}
)


def pages() -> list[Path]:
    """The pages that have examples (not those doctested elsewhere)."""
    return [
        page
        for page in sorted(DOCS.glob("*.rst"))
        if page.name not in DOCTESTED_ELSEWHERE and any(examples(page))
    ]


def moto_counts() -> dict[str, Any]:
    """CountOpen/CountClosedWorkflowExecutions for moto's SWF, which lacks them: the number of
    open or closed executions of the domain, counted as moto lists them (its listing ignores
    most filters; see shared/MOTO.md). For the examples only, which show ``count()`` as on
    SWF: the test sets them on ``moto.swf.responses.SWFResponse`` for its own duration."""

    def counter(listing: str) -> Any:
        def count(self: Any) -> str:
            infos = json.loads(getattr(self, listing)())["executionInfos"]
            return json.dumps({"count": len(infos), "truncated": False})

        return count

    return {
        "count_open_workflow_executions": counter("list_open_workflow_executions"),
        "count_closed_workflow_executions": counter("list_closed_workflow_executions"),
    }
