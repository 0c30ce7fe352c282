"""Activities the tests of ``swf.flow.execute`` run in another interpreter (imported as
``flowexec``): module-level, so that the interpreter started by ``python()`` imports them."""

from __future__ import annotations

import sys
from typing import Any

from swf.flow.execute import program, python


@python(interpreter=sys.executable)
def describe(numbers: list[int], *, scale: int = 1) -> dict[str, Any]:
    """Runs in another process: its pid tells."""
    import os

    return {"total": sum(numbers) * scale, "pid": os.getpid()}


@python(interpreter=sys.executable)
def explode(value: int) -> int:
    return _divide(value)


def _divide(value: int) -> int:
    return value // 0


@python(interpreter=sys.executable)
class Counter:
    """A class activity, built then executed in the other interpreter."""

    def __init__(self, text: str) -> None:
        self.text = text

    def execute(self) -> int:
        return len(self.text.split())


@program(path=sys.executable)
def run_code(*args: str, c: str) -> str:
    """``python -c CODE ARGS...`` (a one-letter option, then the positional arguments)."""


@program(path=sys.executable, argument_format=lambda *args, **kwargs: ["-c", *args])
def run_raw(code: str) -> str:
    """The same, with a format of its own."""
