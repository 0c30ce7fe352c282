"""Every example of the documentation runs as written (issue 12, docs 3).

Each page's ``python`` and ``pycon`` code blocks run in order, in one namespace, against an
in-process moto SWF reached through the default connection, as a reader would paste them
into a session; ``pycon`` output is compared as a doctest. An example that cannot run here
(it loops until stopped, it needs your code or the executions of an earlier session) carries
a ``.. not-run: reason`` comment, which must give its reason.
"""

from __future__ import annotations

import doctest
import signal
from pathlib import Path
from typing import Any

import pytest
from docs_examples import DOCS, examples, moto_counts, pages

from swf import settings
from swf.cli import cli
from swf.core import reset_default_connection
from swf.local import cancel_timers

_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: The longest an example may run (one that waits forever fails instead of hanging the suite).
_SECONDS = 60


def _too_long(signum: int, frame: Any) -> None:
    raise TimeoutError(f"a documentation example ran over {_SECONDS} s")


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_examples_run_as_written(
    page: Path, swf_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto import mock_aws
    from moto.swf.responses import SWFResponse

    monkeypatch.chdir(DOCS.parent)  # examples read tests/data/... relative to the checkout
    for name, method in moto_counts().items():
        monkeypatch.setattr(SWFResponse, name, method, raising=False)
    commands = dict(cli.commands)  # an example may add a command group: taken back after
    previous = signal.signal(signal.SIGALRM, _too_long)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    with mock_aws():
        settings.reset()
        reset_default_connection()
        try:
            for example in examples(page):
                if example.not_run is not None:
                    assert example.not_run.strip(), f"{example.where}: say why it is not run"
                    continue
                signal.alarm(_SECONDS)
                if example.kind == "python":
                    code = compile(example.code, example.where, "exec")
                    exec(code, namespace)  # the documentation's own examples
                    signal.alarm(0)
                    continue
                test = doctest.DocTestParser().get_doctest(
                    example.code, namespace, example.where, example.where, example.line
                )
                runner = doctest.DocTestRunner(optionflags=_FLAGS)
                runner.run(test, clear_globs=False)
                signal.alarm(0)
                namespace.update(test.globs)  # a doctest runs on a copy of its globals
                assert runner.failures == 0, f"{example.where}: a doctest failed (see above)"
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            cancel_timers()
            settings.reset()
            reset_default_connection()
            cli.commands.clear()
            cli.commands.update(commands)
