"""Which run of which workflow this thread is replaying (``Workflow.run`` is running in it).

A context variable, so that each thread (and each decider of a process) has its own: the
``@nondeterministic`` functions and :class:`~swf.flow.engine.ReplayAwareStdout` read it.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from swf.flow.engine import Run

__all__ = ["current_run", "replaying"]

_current: contextvars.ContextVar[Run | None] = contextvars.ContextVar("swf_flow_run", default=None)


def current_run() -> Run | None:
    """The run being replayed in this thread (None outside ``Workflow.run``)."""
    return _current.get()


def replaying(
    run: Run | None, token: contextvars.Token[Run | None] | None = None
) -> contextvars.Token[Run | None] | None:
    """Enter ``run`` (returns the token to leave it), or, given the token, leave it."""
    if token is not None:
        _current.reset(token)
        return None
    return _current.set(run)
