"""Futures: what ``Workflow.submit`` and ``Workflow.sleep`` return, and :func:`wait`.

A future stands for a task of the execution (an activity, a timer...). Its state comes from
the history: reading ``.result`` of a future that is not done *suspends* ``run()``, the
decision task answers with what ``run()`` decided so far, and the next decision task replays
``run()`` from the start, with that future done or still pending.

The suspension is an exception derived from :class:`BaseException`, so that an
``except Exception`` in a workflow cannot swallow it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any, Final

from swf import states
from swf.exceptions import ValidationError

__all__ = [
    "ALL_COMPLETED",
    "DONE_STATES",
    "FIRST_COMPLETED",
    "PENDING",
    "Future",
    "Suspend",
    "gather",
    "wait",
]

#: :func:`wait` returns when every future is done.
ALL_COMPLETED: Final = "ALL_COMPLETED"
#: :func:`wait` returns when at least one future is done.
FIRST_COMPLETED: Final = "FIRST_COMPLETED"
#: The state of a future whose task is not scheduled yet (it waits for its arguments, or for
#: room under ``max_open_activities``).
PENDING: Final = "pending"

#: The states of a future that is done.
DONE_STATES: Final = frozenset(
    {states.COMPLETED, states.FAILED, states.TIMED_OUT, states.CANCELED, states.FIRED}
)


class Suspend(BaseException):
    """Suspends ``Workflow.run`` until the next decision task (internal to the engine).

    Derived from :class:`BaseException`, so that ``except Exception`` cannot catch it.
    """


class Future:
    """The outcome of a task of the execution, as the history tells it.

    In an ``async def run()``, ``await future`` gives its result (or raises its error) once it
    is done, and lets the other branches run meanwhile.

    Attributes:
        id: the task's id in the execution (activity id, timer id, child workflow id...).
        kind: ``activity``, ``timer``, ``child``, ``signal`` (a signal awaited),
            ``sent signal`` or ``group`` (several futures as one).
        state: ``pending`` (not scheduled yet), ``scheduled``, ``started``, ``completed``,
            ``failed``, ``timed_out`` or ``canceled``.
    """

    __slots__ = ("_event_id", "_exception", "_parts", "_result", "_run", "id", "kind", "state")

    _parts: tuple[Future, ...]  # a group's or chain's members (unset on the engine's futures)

    def __init__(self, run: Any, id: str, state: str = PENDING, kind: str = "activity") -> None:
        """A future of ``run`` (a :class:`swf.flow.engine.Run`, which builds them)."""
        self._run = run
        self.id = id
        self.kind = kind
        self.state = state
        self._result: Any = None
        self._exception: BaseException | None = None
        self._event_id = 0  # the event that closed the task (0 while it is not done)

    def __repr__(self) -> str:
        return f"<Future {self.id!r} {self.state}>"

    @property
    def done(self) -> bool:
        """Whether the task is over (completed, failed, timed out or canceled)."""
        return self.state in DONE_STATES

    @property
    def result(self) -> Any:
        """The task's result.

        Suspends ``run()`` when the task is not done (replayed at the next decision task).

        Raises:
            ActivityError: the task failed, timed out or was canceled (a subclass says which).
        """
        if self._run is not None:  # _wait(), inline: every replayed read comes here
            self._run.consume(self)
        if self.state not in DONE_STATES:
            raise Suspend(self.id)
        if self._exception is not None:
            raise self._exception
        return self._result

    @property
    def exception(self) -> BaseException | None:
        """The task's error (None when it completed); suspends ``run()`` when not done."""
        self._wait()
        return self._exception

    def cancel(self) -> bool:
        """Cancel the task: ``RequestCancelActivityTask`` for an activity, ``CancelTimer`` for
        a timer, ``RequestCancelExternalWorkflowExecution`` for a child; one not scheduled yet
        is simply never scheduled; a group or chain (:mod:`swf.flow.canvas`) cancels its
        members. The future settles as the history says (``canceled``, or its result if it
        completed first).

        Returns:
            False when the task (every member) was over by this point of ``run()``; True
            otherwise.
        """
        parts: tuple[Future, ...] | None = getattr(self, "_parts", None)
        if parts is not None:  # (a failed group has members still open)
            return any([part.cancel() for part in parts])
        if self._run is None:
            return False
        return bool(self._run.cancel(self))

    def __await__(self) -> Any:
        if self._run is None or not self._run.ready(self):
            yield self  # to the engine's scheduler: this branch waits for this future
        if self._exception is not None:
            raise self._exception
        return self._result

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
        raise ValidationError(
            f"return_when must be ALL_COMPLETED or FIRST_COMPLETED, got {return_when!r}",
            argument="return_when",
            value=return_when,
        )
    runs = {future._run for future in flat if future._run is not None}
    if not runs:
        return [future for future in flat if future.done]
    (run,) = runs
    return run.first_completed(flat)


async def gather(*awaitables: Any) -> list[Any]:
    """Await several futures or coroutines (in an ``async def run()``); their results.

    Coroutines run as branches of their own (:meth:`Workflow.spawn
    <swf.flow.Workflow.spawn>`), concurrently with the others, on the engine's deterministic
    scheduler; the results come in the order given.
    """
    from swf.flow.context import current_run

    run = current_run()
    handles = [
        run.spawn(item) if run is not None and inspect.iscoroutine(item) else item
        for item in awaitables
    ]
    return [await handle for handle in handles]
