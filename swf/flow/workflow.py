"""The :class:`Workflow` base class: a workflow is plain Python, replayed from its history.

::

    from swf.flow import Workflow, futures

    class BasicWorkflow(Workflow):
        name = "basic"
        version = "example"
        task_list = "example"

        def run(self, x, t=30):
            y = self.submit(increment, x)
            yy = self.submit(Delay, t, y)        # scheduled once y is done
            z = self.submit(double, y)
            futures.wait(yy, z)
            return z.result

``run()`` is executed again from the start at every decision task, against the execution's
compiled history: what it submitted before is found there by id (done, failed, pending...),
what is new becomes a decision. So it must be deterministic: the same history must lead to
the same calls (see docs/flow.rst for what not to branch on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

import attrs

from swf import constants
from swf.exceptions import InvalidTypeError

if TYPE_CHECKING:
    from swf.flow.engine import Run
    from swf.flow.futures import Future

__all__ = ["Marker", "Workflow", "WorkflowInfo"]


@attrs.frozen
class WorkflowInfo:
    """What a running workflow knows of its execution (``self.info``).

    Attributes:
        workflow_id: the execution's workflow id.
        run_id: its run id.
        domain: its domain's name.
        task_list: its decision task list.
        tag_list: its tags.
        input: its raw input (the JSON text).
        history_length: the number of events of the history replayed.
    """

    workflow_id: str
    run_id: str
    domain: str
    task_list: str | None
    tag_list: tuple[str, ...]
    input: str | None
    history_length: int
    _run: Run = attrs.field(repr=False, eq=False, alias="run")

    @property
    def is_replaying(self) -> bool:
        """Whether the code running now already ran at an earlier decision task.

        True until ``run()`` reads a result the previous decision task did not have; use
        it to keep side effects (logs, prints) to the first execution of each step.
        """
        return self._run.is_replaying


@attrs.frozen
class Marker:
    """A marker recorded by the workflow (``self.markers()``).

    Attributes:
        name: its name.
        details: its details, decoded (``record_marker`` takes any JSON value).
        event_id: the ``MarkerRecorded`` event (None while it is being recorded).
    """

    name: str
    details: Any
    event_id: int | None = None


class Workflow:
    """Base of the workflows: subclass it and write :meth:`run`.

    Class attributes (all optional):

    Attributes:
        name: the workflow type's name (default ``"module.QualName"``).
        version: its version (default ``"1"``).
        task_list: its default decision task list (and of its activities that name none).
        execution_timeout: the execution's start-to-close timeout, seconds.
        decision_task_timeout: each decision task's start-to-close timeout, seconds.
        child_policy: what happens to its children when it closes (``TERMINATE``...).
        tag_list: the tags its executions get.
        max_open_activities: at most this many open activities (the rest wait for
            completions; SWF's limit is 1,000).
        ignore_unclaimed_history: when the history holds an activity, timer or marker no call
            of ``run()`` claims (the code changed), log a warning instead of raising
            :class:`~swf.flow.NondeterminismError`.
    """

    name: ClassVar[str | None] = None
    version: ClassVar[str] = "1"
    task_list: ClassVar[str | None] = None
    execution_timeout: ClassVar[int | str] = 3600
    decision_task_timeout: ClassVar[int | str] = 300
    child_policy: ClassVar[str] = constants.TERMINATE
    tag_list: ClassVar[Sequence[str]] = ()
    max_open_activities: ClassVar[int] = constants.MAX_OPEN_ACTIVITIES
    ignore_unclaimed_history: ClassVar[bool] = False

    _run: Run

    @classmethod
    def type_name(cls) -> str:
        """The workflow type's name: :attr:`name`, else ``"module.QualName"``."""
        return cls.name or f"{cls.__module__}.{cls.__qualname__}"

    @classmethod
    def key(cls) -> tuple[str, str]:
        """``(name, version)``: what identifies the workflow type."""
        return (cls.type_name(), cls.version)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """The workflow: called with the execution's input; its return value is the result.

        An exception that escapes fails the execution (its reason names the failed task).
        """
        raise NotImplementedError(f"{type(self).__name__} must define run()")

    # -- inside run() ---------------------------------------------------------------------------

    @property
    def info(self) -> WorkflowInfo:
        """The execution's ids, domain, task list, tags, input, history length, and
        ``is_replaying``."""
        return self._context().info

    def submit(self, task: Any, *args: Any, **kwargs: Any) -> Future:
        """Run an activity with these arguments; returns its :class:`~swf.flow.futures.Future`.

        An argument may be a future: the activity is scheduled once that future is done,
        with its result in its place (a failed future fails this one too).

        Raises:
            PayloadTooLargeError: the encoded input is over SWF's 32 KB (naming the task).
            InvalidTypeError: ``task`` is not an activity, or an argument is not JSON.
        """
        return self._context().submit(task, args, kwargs)

    def map(self, task: Any, iterable: Iterable[Any]) -> list[Future]:
        """``[self.submit(task, item) for item in iterable]``."""
        return [self.submit(task, item) for item in iterable]

    def starmap(self, task: Any, iterable: Iterable[Iterable[Any]]) -> list[Future]:
        """``[self.submit(task, *item) for item in iterable]``."""
        return [self.submit(task, *item) for item in iterable]

    def sleep(self, seconds: float | dt.timedelta, *, id: str | None = None) -> Future:
        """A durable timer: the future is done once ``seconds`` have passed (SWF's timer;
        virtual time in :func:`~swf.flow.run_local`). Its timer id is ``sleep-{n}`` (the
        n-th sleep), or ``id``."""
        return self._context().sleep(seconds, id)

    def record_marker(self, name: str, details: Any = None) -> None:
        """Record a marker in the history (``details``: any JSON value), once: replays find
        it there."""
        self._context().record_marker(name, details)

    def markers(self, name: str | None = None) -> list[Marker]:
        """The markers recorded so far (``name``: only those), in order."""
        return self._context().markers(name)

    def side_effect(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``function`` once, at the first execution of this point; its value is kept in
        a marker and returned unchanged by every replay (for random numbers, uuids, reads of
        the outside world)."""
        return self._context().side_effect(function, *args, **kwargs)

    def now(self) -> dt.datetime:
        """The current time, deterministically: when the decision task that first ran this
        point of ``run()`` started (UTC)."""
        return self._context().now()

    def fail(self, reason: str, details: Any = None) -> NoReturn:
        """Fail the execution now, with ``reason`` and ``details`` (any JSON value)."""
        self._context().fail(reason, details)

    def _context(self) -> Run:
        run = getattr(self, "_run", None)
        if run is None:
            raise InvalidTypeError(
                f"{type(self).__name__}: submit(), sleep(), info... work inside run() while "
                "the engine replays it (swf.flow.run_local, a WorkflowDecider)",
                argument="self",
                value=self,
            )
        return run
