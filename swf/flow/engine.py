"""The engine: one pure function from a workflow class and a decision task to decisions.

:func:`decide` re-runs ``Workflow.run`` from the start against the task's compiled history.
Every call ``run()`` makes is matched by id with what the history recorded (the ids are
described in :mod:`swf.flow.ids`; activities and children in :mod:`swf.flow.tasks`, timers and
signals in :mod:`swf.flow.signals`, markers, side effects and patches in
:mod:`swf.flow.markers`): found, its future takes the record's state; not found, the call
becomes a decision. Each decision carries a fingerprint of the call in its ``control``: a
replayed call that differs from the recorded one, or a recorded entity no call claims, raises
:class:`~swf.flow.errors.NondeterminismError` (the code changed under a running execution).

Reading the result of a task that is not done suspends ``run()``
(:class:`~swf.flow.futures.Suspend`); its return value completes the execution, an exception
that escapes fails it, ``continue_as_new`` and ``cancel_execution`` close it so. An
``async def run()`` runs on a scheduler of the engine's own, one decision task after the
other (see :meth:`Run.drive`), so that its branches interleave the same way in every replay.
A cancel request reaches ``run()`` where it first reads what the decision task that saw the
request could not know: :meth:`Workflow.on_cancel_requested
<swf.flow.Workflow.on_cancel_requested>` runs there, then the execution is canceled.

SWF's limits are handled rather than refused: at most ``max_open_activities`` activities are
open (the others wait for completions), and an answer holds at most 100 decisions and 1 MB
(99 and a zero-second wake-up timer when more is ready). The same function serves the
:class:`~swf.flow.WorkflowDecider`, :func:`~swf.flow.run_local`, :class:`swf.replay.Replayer`
and the tests.
"""

from __future__ import annotations

import inspect
import io
import json
import logging
import math
import sys
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, NoReturn, TextIO

from swf import constants, states
from swf.actors.decider import DecisionTask
from swf.exceptions import ConfigurationError, InvalidTypeError, PayloadError, TransportError
from swf.flow.context import current_run, replaying
from swf.flow.encoding import decode_input, encode, encode_input, error_details, error_type
from swf.flow.errors import (
    ActivityCanceled,
    ActivityError,
    ChildWorkflowFailed,
    FlowError,
    NondeterminismError,
    SignalTimeout,
    TimerCanceled,
)
from swf.flow.futures import PENDING, Future, Suspend
from swf.flow.ids import control, fingerprint
from swf.flow.markers import PATCH_MARKER, SIDE_EFFECT_MARKER, MarkerCalls
from swf.flow.signals import SignalCalls
from swf.flow.state import CancelPoint, EngineOptions, RunState
from swf.flow.tasks import TaskCalls, retry_timer
from swf.flow.workflow import Workflow
from swf.models.decision import (
    ActivityTaskDecision,
    Decision,
    ExternalWorkflowExecutionDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.history import ExternalCancelRecord, ExternalSignalRecord
from swf.validation import truncate

__all__ = [
    "PATCH_MARKER",
    "SIDE_EFFECT_MARKER",
    "WAKE_UP_TIMER",
    "EngineOptions",
    "ReplayAwareStdout",
    "Run",
    "current_run",
    "decide",
    "fingerprint",
]

logger = logging.getLogger(__name__)

#: The prefix of the zero-second timers that wake the decider when more work was ready than
#: one answer can hold.
WAKE_UP_TIMER = "swf.wake-up-"
# The errors of the infrastructure (a payload store, the network), not of the workflow.
_NOT_THE_WORKFLOWS = (PayloadError, TransportError, ConfigurationError)
# What an answer may hold: SWF's 1 MB request, less room for the request's own keys.
_ANSWER_BYTES = constants.MAX_REQUEST_SIZE - 65_536


class ReplayAwareStdout(io.TextIOBase):
    """Standard output that drops what ``Workflow.run`` prints while it replays.

    Installed around ``sys.stdout`` by :func:`decide` (once; it stays): a ``print`` in
    ``run()`` appears once, at the decision task that first ran it, however many times the
    engine replays it. Other threads, and code outside ``run()``, write through unchanged.
    """

    def __init__(self, target: TextIO) -> None:
        """Wrap ``target``."""
        self.target = target

    def write(self, text: str) -> int:
        """Write ``text``, unless a replaying ``run()`` of this thread wrote it."""
        run = current_run()
        if run is not None and run.is_replaying:
            return len(text)
        return self.target.write(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self.target.flush()

    def writable(self) -> bool:
        """Yes."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return str(getattr(self.target, "encoding", "utf-8"))


def decide(
    workflow_class: type[Workflow],
    task: DecisionTask,
    options: EngineOptions | None = None,
    *,
    side_effects: Sequence[str] = (),
) -> list[Decision]:
    """Replay ``workflow_class.run`` against ``task``'s history; the decisions to answer.

    Pure: the same class, history and options always give the same decisions; nothing is
    sent, no state is kept.

    Args:
        workflow_class: the :class:`~swf.flow.Workflow` subclass.
        task: the decision task (its history ends with the task's ``DecisionTaskStarted``).
        options: how the decider runs the engine.
        side_effects: when replaying a saved history, the details of the side-effect markers
            this task recorded: its side effects return those values instead of running
            again (:class:`swf.replay.Replayer` passes them).

    Raises:
        NondeterminismError: the code no longer makes the calls the history records.
        ValidationError: the execution's input is not JSON.
    """
    if not isinstance(sys.stdout, ReplayAwareStdout):
        sys.stdout = ReplayAwareStdout(sys.stdout)
    return Run(workflow_class, task, options or EngineOptions(), side_effects).execute()


class _Close(BaseException):
    """``run()`` closes the execution with this decision (``fail``, ``continue_as_new``,
    ``cancel_execution``)."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision["decisionType"])
        self.decision = decision


class _Branch:
    """A coroutine of an ``async def run()``: its future, and the future it awaits."""

    __slots__ = ("coroutine", "future", "waiting")

    def __init__(self, coroutine: Coroutine[Any, Any, Any], future: Future) -> None:
        self.coroutine = coroutine
        self.future = future
        self.waiting: Future | None = None


class Run(TaskCalls, SignalCalls, MarkerCalls, RunState):
    """One replay of a workflow at one decision task (what ``Workflow.run``'s calls talk to).

    Built by :func:`decide`; its methods are what the :class:`~swf.flow.Workflow` methods call.
    """

    # -- running ---------------------------------------------------------------------------

    def execute(self) -> list[Decision]:
        """Run ``run()`` and return the decisions (see :func:`decide`)."""
        args, kwargs = decode_input(self.input, "the workflow's input")
        self.workflow = workflow = self.workflow_class()
        workflow._run = self
        token = replaying(self)
        try:
            closing = self._outcome(lambda: workflow.run(*args, **kwargs))
        finally:
            replaying(None, token)
        if self.nondeterminism is not None:
            raise self.nondeterminism
        self._check_unclaimed()
        if closing is not None:
            self.decisions.append(closing)
        return self._within_limits(self.decisions)

    def _outcome(self, call: Callable[[], Any]) -> Decision | None:
        """The closing decision of what ``call`` does (None: it waits)."""
        try:
            value = call()
            if inspect.iscoroutine(value):
                value = self.drive(value)
        except Suspend:
            return None
        except CancelPoint:  # once: the hook runs where run() stopped, with no cancel point
            self._cancel_at = math.inf
            self._branches = []
            self._hook_phase, self._cancel_phase = self._cancel_phase, len(self._starts)
            return self._outcome(self._on_cancel_requested)
        except _Close as close:
            return close.decision
        except NondeterminismError as exc:
            self.nondeterminism = self.nondeterminism or exc
            return None
        except _NOT_THE_WORKFLOWS:
            raise  # the decision task fails, the execution does not: a later one may succeed
        except Exception as exc:
            return self._failure(exc)
        try:
            result = encode(value, "the workflow's result", store=self.store)
        except Exception as exc:
            return self._failure(exc)
        return WorkflowExecutionDecision.complete(result)

    def _on_cancel_requested(self) -> Any:
        """The workflow's hook; then, unless it closed the execution, cancel it."""
        value = self.workflow.on_cancel_requested()
        if inspect.iscoroutine(value):
            self.drive(value, self._hook_phase)
        raise _Close(WorkflowExecutionDecision.cancel())

    def _failure(self, exc: Exception) -> Decision:
        reason = str(exc)
        if not isinstance(exc, ActivityError | ChildWorkflowFailed):
            reason = f"{error_type(exc)}: {exc}"
        return WorkflowExecutionDecision.fail(
            truncate(reason, constants.MAX_REASON_LENGTH), error_details(exc)
        )

    def fail(self, reason: str, details: Any = None) -> NoReturn:
        """``Workflow.fail``: fail the execution (after the decisions made so far)."""
        if not isinstance(reason, str):
            raise InvalidTypeError(
                f"reason must be a string, got {reason!r}", argument="reason", value=reason
            )
        text = None if details is None else encode(details, "the failure details", store=self.store)
        raise _Close(
            WorkflowExecutionDecision.fail(truncate(reason, constants.MAX_REASON_LENGTH), text)
        )

    def cancel_execution(self, details: Any = None) -> NoReturn:
        """``Workflow.cancel_execution``: close the execution as canceled."""
        what = "the cancellation details"
        text = None if details is None else encode(details, what, store=self.store)
        raise _Close(WorkflowExecutionDecision.cancel(text))

    def continue_as_new(self, args: Sequence[Any], kwargs: Any) -> NoReturn:
        """``Workflow.continue_as_new``: close this run; a new one starts with this input."""
        cls = self.workflow_class
        payload = encode_input(args, kwargs, "the input of the new run", store=self.store)
        raise _Close(
            WorkflowExecutionDecision.continue_as_new(
                input=payload,
                task_list=self._task_list,
                execution_start_to_close_timeout=cls.execution_timeout,
                task_start_to_close_timeout=cls.decision_task_timeout,
                child_policy=cls.child_policy,
                tag_list=list(self.info.tag_list) or None,
                workflow_type_version=cls.version,
            )
        )

    @property
    def should_continue_as_new(self) -> bool:
        """Whether the history had passed the class's ``continue_as_new_after`` events by
        the decision task that first ran this point."""
        return self.boundary() >= self.workflow_class.continue_as_new_after

    def open_futures(self) -> list[Future]:
        """The futures of this run not done yet, in the order they were made."""
        return [f for f in (*self._futures.values(), *self._others) if not f.done]

    # -- async run() -----------------------------------------------------------------------

    def spawn(self, coroutine: Any) -> Future:
        """``Workflow.spawn``: run ``coroutine`` as a branch of an ``async def run()``."""
        if not inspect.iscoroutine(coroutine):
            raise InvalidTypeError(
                f"spawn() takes a coroutine (the call of an async def), got {coroutine!r}",
                argument="coroutine",
                value=coroutine,
            )
        if self._phase_end is None:
            coroutine.close()
            raise FlowError("spawn() and gather() of coroutines need an async def run()")
        future = Future(self, f"branch-{self.count('swf.branch')}", kind="branch")
        self._branches.append(_Branch(coroutine, future))
        return future

    def drive(self, coroutine: Coroutine[Any, Any, Any], first_phase: int = 0) -> Any:
        """Run an ``async def run()`` (or hook) to its end, or until every branch waits.

        The branches run one decision task (a *phase*) after the other, from the first: in
        each, every branch runs, in the order they were spawned, until it awaits a future
        not done before that task started; then the next phase. So the branches interleave
        as they did when each task ran first, and make their calls in the same order.
        """
        main = _Branch(coroutine, Future(self, "main", kind="branch"))
        self._branches = [main]
        try:
            for phase in range(first_phase, len(self._starts)):
                self._phase_end = self._starts[phase]
                self._horizon = self._starts[phase - 1] if phase else 0
                stepped = True
                while stepped:
                    stepped = False
                    for branch in list(self._branches):
                        if branch.future.done or not self.ready(branch.waiting):
                            continue
                        stepped = True
                        self._step(branch)
                        if main.future.done:
                            return main.future.result
                if phase == self._cancel_phase:
                    raise CancelPoint
            raise Suspend("every branch waits")
        finally:
            self._phase_end = None
            for branch in self._branches:
                if not branch.future.done:
                    branch.coroutine.close()

    def _step(self, branch: _Branch) -> None:
        """Resume ``branch`` until it awaits a future not done yet."""
        branch.waiting = None
        try:
            awaited = branch.coroutine.send(None)
        except StopIteration as stop:
            branch.future._complete(stop.value, 0)
        except (NondeterminismError, *_NOT_THE_WORKFLOWS):
            raise
        except Exception as exc:
            branch.future._fail(exc, 0)
        else:
            if not isinstance(awaited, Future):
                branch.coroutine.close()
                raise FlowError(
                    f"an async run() awaited {awaited!r}: only the futures of swf.flow "
                    "(submit, sleep, wait_signal, child, spawn, futures.gather) can be awaited "
                    "in a workflow (not asyncio's)"
                )
            branch.waiting = awaited

    def ready(self, future: Future | None) -> bool:
        """Whether an awaited future is done as of the phase replayed (and read, if so)."""
        if future is None:
            return True
        if future.done and (self._phase_end is None or future._event_id < self._phase_end):
            self.consume(future)
            return True
        return False

    # -- cancellation ------------------------------------------------------------------------

    def cancel(self, future: Future) -> bool:
        """``Future.cancel``: ask SWF to cancel the task, once across replays.

        A task over before this point of ``run()`` is not canceled (False). A decision made
        in this replay is taken back; a task not scheduled yet never will be; a wait for a
        signal is over. Otherwise the cancel request goes to SWF, and the history tells how
        the task ended (canceled, or done first).
        """
        if future.kind in ("sent signal", "group", "branch"):
            return False
        if future.done and future._event_id < self.boundary():
            return False
        undecided = {id(decision) for decision in self._decisions_of.pop(future, ())}
        taken = [decision for decision in self.decisions if id(decision) in undecided]
        if taken:
            self.decisions[:] = [d for d in self.decisions if id(d) not in undecided]
            if self._open is not None and any(
                d["decisionType"] == "ScheduleActivityTask" for d in taken
            ):
                self._open -= 1
        if future.kind == "signal":
            self._cancel_wait(future)
        elif future.kind == "timer":
            timer = self.compiled.timers.get(future.id)
            if timer is not None and timer.is_open:
                self.decisions.append(TimerDecision.cancel(future.id))
        else:
            records: Mapping[str, Any] = self.compiled.child_workflows
            if future.kind == "activity":
                records = self.compiled.activities
            record = records.get(future.id)
            if future.kind == "child":
                self._cancel_child(future.id)
            elif record is not None and record.is_open and not record.cancel_requested:
                self.decisions.append(ActivityTaskDecision.request_cancel(future.id))
            if record is not None and not record.is_open:  # waiting for a next try: none
                backoff = self.compiled.timers.get(retry_timer(record.attempts, future.id))
                if backoff is not None and backoff.is_open:
                    self.decisions.append(TimerDecision.cancel(backoff.timer_id))
        # Settled now when nothing will tell later: a wait, a timer (SWF's TimerCanceled wakes
        # no decider), a task never scheduled.
        if taken or future.state == PENDING or future.kind in ("signal", "timer"):
            future._fail(_canceled(future), 0, states.CANCELED)
        return True

    def _cancel_child(self, workflow_id: str) -> None:
        call = f"cancel-{workflow_id}"
        self._external_calls_claimed.add(call)
        if call in self._external_calls:
            return  # asked already
        record = self.compiled.child_workflows.get(workflow_id)
        if record is None or not record.is_open:
            return
        self.decisions.append(
            ExternalWorkflowExecutionDecision.request_cancel(
                workflow_id,
                run_id=record.run_id,
                control=control(fingerprint("cancel", workflow_id, "", None), call),
            )
        )

    # -- time and replay -------------------------------------------------------------------

    def first_completed(self, futures: Sequence[Future]) -> list[Future]:
        """``wait(..., FIRST_COMPLETED)``: the futures done by the decision task that first
        saw one of them done (suspends when none is)."""
        done = [future for future in futures if future.done]
        if not done:
            for future in futures:
                self.consume(future)
            raise Suspend("first completed")
        first = min(future._event_id for future in done)
        index = self._first_start_after(first)
        boundary = self._starts[index] if index < len(self._starts) else math.inf
        found = [future for future in done if future._event_id < boundary]
        for future in found:
            self.consume(future)
        return found

    # -- closing checks ----------------------------------------------------------------------

    def _check_unclaimed(self) -> None:
        """Every activity, child, timer, marker, signal sent and cancel request of the history
        must be some call's."""
        unclaimed: list[tuple[str, int | None]] = []
        activities, timers = self.compiled.activities, self.compiled.timers
        if len(self._claimed_activities) < len(activities):  # claimed ones are the history's
            for activity_id in activities.keys() - self._claimed_activities:
                activity = activities[activity_id]
                event_id = activity.scheduled_event_id or activity.closed_event_id
                unclaimed.append((f"activity {activity_id!r}", event_id))
        for timer_id in timers.keys() - self._claimed_timers:
            if not timer_id.startswith(WAKE_UP_TIMER):
                unclaimed.append((f"timer {timer_id!r}", timers[timer_id].started_event_id))
        for name, records in self.compiled.markers.items():
            if name == PATCH_MARKER:
                continue  # a patch whose call is gone is harmless: the code is the new one
            for record in records[self._claimed_markers[name] :]:
                unclaimed.append((f"marker {name!r}", record.event_id))
        for workflow_id, child in self.compiled.child_workflows.items():
            if workflow_id not in self._claimed_children:
                event_id = child.initiated_event_id or child.closed_event_id
                unclaimed.append((f"child workflow {workflow_id!r}", event_id))
        for call, external in self._external_calls.items():
            if call not in self._external_calls_claimed:
                unclaimed.append((_external(external), external.initiated_event_id))
        for external in self._foreign_externals:
            unclaimed.append((_external(external), external.initiated_event_id))
        if not unclaimed:
            return
        unclaimed.sort(key=lambda found: found[1] or 0)  # the earliest first
        what, event_id = unclaimed[0]
        message = (
            f"the history holds {what} (event {event_id}) that no call of "
            f"{self.workflow_class.__qualname__}.run() makes"
            + (f", and {len(unclaimed) - 1} more" if len(unclaimed) > 1 else "")
        )
        if self.workflow_class.ignore_unclaimed_history:
            logger.warning("workflow %r: %s", self.task.workflow_id, message)
            return
        raise NondeterminismError(message, task_id=what, event_id=event_id, recorded=what)

    def _within_limits(self, decisions: list[Decision]) -> list[Decision]:
        """At most 100 decisions and 1 MB: what does not fit waits for a wake-up timer."""
        sizes = [len(json.dumps(decision, separators=(",", ":"))) for decision in decisions]
        if len(decisions) <= constants.MAX_DECISIONS and sum(sizes) <= _ANSWER_BYTES:
            return decisions
        kept: list[Decision] = []
        total = 0
        for decision, size in zip(decisions, sizes, strict=True):
            if len(kept) == constants.MAX_DECISIONS - 1 or total + size > _ANSWER_BYTES:
                break
            kept.append(decision)
            total += size
        kept.append(TimerDecision.start(f"{WAKE_UP_TIMER}{self.task.started_event_id}", 0))
        return kept


def _canceled(future: Future) -> Exception:
    if future.kind == "activity":
        return ActivityCanceled(
            f"activity {future.id!r} was canceled", activity_id=future.id, name="", attempts=0
        )
    if future.kind == "child":
        return ChildWorkflowFailed(
            f"child workflow {future.id!r} was canceled",
            workflow_id=future.id,
            name="",
            state=states.CANCELED,
        )
    if future.kind == "signal":
        return SignalTimeout(f"waiting for {future.id!r} was canceled", name=future.id, timeout="")
    return TimerCanceled(f"timer {future.id!r} was canceled", timer_id=future.id)


def _external(record: ExternalSignalRecord | ExternalCancelRecord) -> str:
    if isinstance(record, ExternalSignalRecord):
        return f"signal {record.signal_name!r} to {record.workflow_id!r}"
    return f"cancel request to {record.workflow_id!r}"
