"""Futures: what ``Workflow.submit`` and ``Workflow.sleep`` return, and :func:`wait`.

A future stands for a task of the execution (an activity, a timer...). Its state comes from
the history: reading ``.result`` of a future that is not done *suspends* ``run()``, the
decision task answers with what ``run()`` decided so far, and the next decision task replays
``run()`` from the start, with that future done or still pending.

The suspension is an exception derived from :class:`BaseException`, so that an
``except Exception`` in a workflow cannot swallow it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from swf import states

if TYPE_CHECKING:
    from swf.flow.engine import Run

__all__ = [
    "ALL_COMPLETED",
    "FIRST_COMPLETED",
    "PENDING",
    "Future",
    "Suspend",
    "wait",
]

#: :func:`wait` returns when every future is done.
ALL_COMPLETED: Final = "ALL_COMPLETED"
#: :func:`wait` returns when at least one future is done.
FIRST_COMPLETED: Final = "FIRST_COMPLETED"
#: The state of a future whose task is not scheduled yet (it waits for its arguments, or for
#: room under ``max_open_activities``).
PENDING: Final = "pending"

_DONE = frozenset(
    {states.COMPLETED, states.FAILED, states.TIMED_OUT, states.CANCELED, states.FIRED}
)


class Suspend(BaseException):
    """Suspends ``Workflow.run`` until the next decision task (internal to the engine).

    Derived from :class:`BaseException`, so that ``except Exception`` cannot catch it.
    """


class Future:
    """The outcome of a task of the execution, as the history tells it.

    Attributes:
        id: the task's id in the execution (activity id, timer id...).
        state: ``pending`` (not scheduled yet), ``scheduled``, ``started``, ``completed``,
            ``failed``, ``timed_out`` or ``canceled``.
    """

    __slots__ = ("_event_id", "_exception", "_result", "_run", "id", "state")

    def __init__(self, run: Run | None, id: str, state: str = PENDING) -> None:
        """A future of ``run`` (the engine builds them)."""
        self._run = run
        self.id = id
        self.state = state
        self._result: Any = None
        self._exception: BaseException | None = None
        self._event_id = 0  # the event that closed the task (0 while it is not done)

    def __repr__(self) -> str:
        return f"<Future {self.id!r} {self.state}>"

    @property
    def done(self) -> bool:
        """Whether the task is over (completed, failed, timed out or canceled)."""
        return self.state in _DONE

    @property
    def result(self) -> Any:
        """The task's result.

        Suspends ``run()`` when the task is not done (replayed at the next decision task).

        Raises:
            ActivityError: the task failed, timed out or was canceled (a subclass says which).
        """
        self._wait()
        if self._exception is not None:
            raise self._exception
        return self._result

    @property
    def exception(self) -> BaseException | None:
        """The task's error (None when it completed); suspends ``run()`` when not done."""
        self._wait()
        return self._exception

    def _wait(self) -> None:
        if self._run is not None:
            self._run.consume(self)
        if not self.done:
            raise Suspend(self.id)

    # Set by the engine.

    def _complete(self, value: Any, event_id: int, state: str = states.COMPLETED) -> None:
        self.state, self._result, self._event_id = state, value, event_id

    def _fail(self, exception: BaseException, event_id: int, state: str = states.FAILED) -> None:
        self.state, self._exception, self._event_id = state, exception, event_id


def wait(*futures: Future | Iterable[Future], return_when: str = ALL_COMPLETED) -> list[Any]:
    """Wait for futures: suspends ``run()`` until they are done, then gives their results.

    Args:
        *futures: futures, or lists of futures.
        return_when: :data:`ALL_COMPLETED` (the default), or :data:`FIRST_COMPLETED`: go on
            once one is done, with the futures done by the decision task that first saw one
            done (so that every replay returns the same set).

    Returns:
        With ``ALL_COMPLETED``, the results, in order; with ``FIRST_COMPLETED``, the done
        futures (not their results), in order.

    Raises:
        ActivityError: with ``ALL_COMPLETED``, the error of the first failed future (in
            order).
    """
    flat: list[Future] = []
    for item in futures:
        if isinstance(item, Future):
            flat.append(item)
        else:
            flat.extend(item)
    if return_when == ALL_COMPLETED:
        return [future.result for future in flat]
    if return_when != FIRST_COMPLETED:
        raise ValueError(f"return_when must be ALL_COMPLETED or FIRST_COMPLETED: {return_when!r}")
    runs = {future._run for future in flat if future._run is not None}
    if not runs:
        return [future for future in flat if future.done]
    (run,) = runs
    return run.first_completed(flat)
