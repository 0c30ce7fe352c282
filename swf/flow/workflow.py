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
    from swf.flow.state import RunState

__all__ = ["WORKFLOWS", "Marker", "Workflow", "WorkflowInfo"]


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
    _run: RunState = attrs.field(repr=False, eq=False, alias="run")

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


#: Every Workflow subclass defined, by ``(name, version)`` (the latest definition wins): the
#: workflows :func:`~swf.flow.run_local` may start as children.
WORKFLOWS: dict[tuple[str, str], type[Workflow]] = {}


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
        ignore_unclaimed_history: when the history holds an activity, child, timer, marker
            or signal sent that no call of ``run()`` claims (the code changed), log a warning
            instead of raising :class:`~swf.flow.errors.NondeterminismError`.
        retry: how a failed run of this workflow, as a child, is retried by its parent: a
            :class:`~swf.flow.RetryPolicy`, or a number of retries (default: none).
        payload_store: where its inputs, results, details and signals over SWF's 32 KB go:
            a :class:`~swf.flow.stores.PayloadStore` or its URI (``s3://bucket/prefix``,
            ``file:///path``); default: the process's (``SWF_PAYLOAD_STORE``).
        continue_as_new_after: :attr:`should_continue_as_new` is True once the history has
            this many events (default 20,000; SWF fails an execution at 25,000).
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
    retry: ClassVar[Any] = None
    payload_store: ClassVar[Any] = None
    continue_as_new_after: ClassVar[int] = 20_000

    _run: Run

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        WORKFLOWS[cls.key()] = cls

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
        """Run an activity (or a child workflow: a Workflow subclass, see :meth:`child`) with
        these arguments; returns its :class:`~swf.flow.futures.Future`.

        An argument may be a future: the activity is scheduled once that future is done,
        with its result in its place (a failed future fails this one too).

        Raises:
            PayloadTooLargeError: the encoded input is over SWF's 32 KB (naming the task).
            InvalidTypeError: ``task`` is not an activity, or an argument is not JSON.
        """
        try:
            run = self._run
        except AttributeError:
            run = self._context()
        return run.submit(task, args, kwargs)

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

    # -- child workflows -------------------------------------------------------------------------

    def child(
        self,
        workflow: type[Workflow],
        *args: Any,
        workflow_id: str | None = None,
        task_list: str | None = None,
        tag_list: Sequence[str] | None = None,
        retry: Any = None,
        **kwargs: Any,
    ) -> Future:
        """Start a child workflow execution with these arguments; its future gives its result.

        ``self.submit(ChildWorkflow, ...)`` does the same with the defaults. The child's id is
        ``"{this workflow id}-{name}-{n}"`` (the n-th child of that type; within SWF's 256
        characters), or ``workflow_id``; it runs on ``task_list`` (default: its class's, else
        this execution's), with ``tag_list`` (default: its class's). A child that fails, times
        out or is terminated is started again as ``retry`` says (default: its class's
        :attr:`retry`).

        Raises (at ``.result``):
            ChildWorkflowFailed: the child did not complete (its id, state, reason, details).
        """
        return self._context().child(
            workflow,
            args,
            kwargs,
            workflow_id=workflow_id,
            task_list=task_list,
            tag_list=tag_list,
            retry=retry,
        )

    # -- signals -----------------------------------------------------------------------------------

    def wait_signal(self, name: str, timeout: float | dt.timedelta | None = None) -> Future:
        """The next signal ``name``: each call receives the next one the execution received
        that no earlier call received (one received before the call counts).

        The future's result is the signal's argument (several: a list; keyword arguments: a
        dict). With ``timeout`` (seconds), a timer bounds the wait: when it fires first, the
        future fails with :class:`~swf.flow.errors.SignalTimeout`, and the signal, if it comes
        later, goes to the next call.
        """
        return self._context().wait_signal(name, timeout)

    def signals(self, name: str) -> list[Any]:
        """The values of the signals ``name`` received so far, in order (received or not by
        a :meth:`wait_signal`)."""
        return self._context().signals(name)

    def signal(
        self,
        name: str,
        *args: Any,
        workflow_id: str | None = None,
        run_id: str | None = None,
        propagate: bool = False,
        **kwargs: Any,
    ) -> Future:
        """Send the signal ``name`` with these arguments (``SignalExternalWorkflowExecution``),
        once across replays.

        Args:
            name: the signal's name.
            workflow_id: the execution to signal (default: this one).
            run_id: its run (default: its current run).
            propagate: also send it to the parent, and to the children started and open.

        Returns:
            A future done once SWF delivered it (failing with :class:`~swf.flow.errors.SignalFailed`
            when the execution is unknown or closed).
        """
        return self._context().signal(
            name, args, kwargs, workflow_id=workflow_id, run_id=run_id, propagate=propagate
        )

    # -- cancellation, continue-as-new, versions --------------------------------------------------

    def on_cancel_requested(self) -> Any:
        """Called where ``run()`` learns that the execution's cancellation was requested (the
        first read of a result the decision task that saw the request did not have); then
        the execution is canceled (``CancelWorkflowExecution``).

        The default cancels the open work (activities, timers, children, waits). Override it
        to clean up first: it may submit activities and wait for them (it is replayed like
        ``run()``), ``fail()`` or ``continue_as_new()`` instead; an ``async def`` is awaited.
        """
        for future in self._context().open_futures():
            future.cancel()

    def cancel_execution(self, details: Any = None) -> NoReturn:
        """Close the execution as canceled now (``details``: any JSON value)."""
        self._context().cancel_execution(details)

    def continue_as_new(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Close this run and start a new one of the same workflow id with these arguments
        (``ContinueAsNewWorkflowExecution``): a long loop carries its state into a fresh
        history. :func:`swf.flow.result` and :func:`~swf.flow.run_local` follow the runs."""
        self._context().continue_as_new(args, kwargs)

    @property
    def should_continue_as_new(self) -> bool:
        """True once the history has :attr:`continue_as_new_after` events (as of the decision
        task that first ran this point, so that every replay answers the same)."""
        return self._context().should_continue_as_new

    def patched(self, change_id: str) -> bool:
        """Whether this execution runs the new code at this point of ``run()``.

        ``if self.patched("fix-rounding"): new() else: old()`` changes a running workflow
        safely: executions that reach this point with the new code take the new branch (and a
        ``swf.patch`` marker records it); those whose history the old code wrote keep the old
        one. Once no execution runs the old code, remove the old branch (then the call).
        """
        return self._context().patched(change_id)

    # -- async run() -------------------------------------------------------------------------------

    def spawn(self, coroutine: Any) -> Future:
        """Run a coroutine as a branch of an ``async def run()``, concurrently with the rest;
        its future (awaitable) gives what it returns."""
        return self._context().spawn(coroutine)

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
