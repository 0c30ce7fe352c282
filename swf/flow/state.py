"""What one replay of a workflow knows and keeps: :class:`RunState`, the base of
:class:`swf.flow.engine.Run` and of its parts (:mod:`swf.flow.tasks`, :mod:`swf.flow.signals`,
:mod:`swf.flow.markers`).

It holds the decision task, its compiled history, the decisions made so far, and which
entities of the history the calls of ``run()`` claimed; and it keeps time. A replay's *horizon*
is the latest result ``run()`` has read: the code running now first ran at the first decision
task started after it (:meth:`RunState.boundary`), which tells ``is_replaying``, ``now()``,
what ``signals()`` lists, and where a cancel request reaches ``run()``.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from swf import states
from swf.actors.decider import DecisionTask
from swf.exceptions import InvalidTypeError
from swf.flow.errors import FlowError, NondeterminismError
from swf.flow.futures import DONE_STATES, Future
from swf.flow.ids import bounded, call_of
from swf.flow.workflow import Marker, Workflow, WorkflowInfo
from swf.models.decision import Decision
from swf.models.event import Event
from swf.models.history import ExternalCancelRecord, ExternalSignalRecord, SignalRecord

if TYPE_CHECKING:
    from swf.flow.engine import _Branch

__all__ = ["CancelPoint", "EngineOptions", "RunState"]

_NEVER = math.inf  # the event at which what is not done is seen done


@attrs.frozen
class EngineOptions:
    """How a decider runs the engine (the same for every replay of an execution).

    Attributes:
        activity_task_list: schedule every activity on this task list, whatever its own
            (``swf workflow run`` runs a decider and workers on a task list of their own).
        child_task_list: start every child workflow on this decision task list, whatever
            its own (the same decider then runs the children).
    """

    activity_task_list: str | None = None
    child_task_list: str | None = None


class CancelPoint(BaseException):
    """``run()`` reached the point where it learns that the execution's cancel was requested."""


class RunState:
    """The state of one replay (see the module docstring); :class:`~swf.flow.engine.Run`
    runs it."""

    def __init__(
        self,
        workflow_class: type[Workflow],
        task: DecisionTask,
        options: EngineOptions,
        side_effects: Sequence[str] = (),
    ) -> None:
        """Prepare the replay of ``workflow_class`` at ``task``."""
        if not (isinstance(workflow_class, type) and issubclass(workflow_class, Workflow)):
            raise InvalidTypeError(
                f"a Workflow subclass is needed, got {workflow_class!r}",
                argument="workflow_class",
                value=workflow_class,
            )
        self.workflow_class = workflow_class
        self.workflow: Workflow  # the instance whose run() is replayed (set by execute())
        self.store = workflow_class.payload_store  # for what is over a field's 32 KB
        self.task = task
        self.options = options
        self.compiled = compiled = task.history.compiled
        self.decisions: list[Decision] = []
        self.nondeterminism: NondeterminismError | None = None
        self._counters: dict[str, int] = {}
        self._replayed_side_effects = list(side_effects)
        self._futures: dict[str, Future] = {}  # activities and children, by id
        self._others: list[Future] = []  # timers, waits for signals, signals sent
        self._decisions_of: dict[Future, list[Decision]] = {}
        self._claimed_activities: set[str] = set()
        self._claimed_children: set[str] = set()
        self._claimed_timers: set[str] = set()
        self._claimed_markers: collections.Counter[str] = collections.Counter()
        self._new_markers: list[Marker] = []
        self._patches: dict[str, bool] = {}
        self._patch_markers: dict[str, int] | None = None
        self._signals_by_name: dict[str, list[SignalRecord]] | None = None
        self._signal_cursors: dict[str, int] = {}
        self._wait_timers: dict[Future, str] = {}
        self._external_calls: dict[str, ExternalSignalRecord | ExternalCancelRecord] = {}
        self._external_calls_claimed: set[str] = set()
        self._derived_children: dict[str, str] = {}  # child id -> "child:{name}"
        self._foreign_externals: list[ExternalSignalRecord | ExternalCancelRecord] = []
        externals: list[ExternalSignalRecord | ExternalCancelRecord] = [
            *compiled.external_signals.values(),
            *compiled.external_cancels.values(),
        ]
        for record in externals:
            call = call_of(record.control)
            if call is None:
                self._foreign_externals.append(record)
            else:
                self._external_calls[call] = record
        self._open: int | None = None  # open activities: counted at the first schedule
        self._horizon: float = 0
        self._phase_end: float | None = None  # async: the start of the task being replayed
        self._branches: list[_Branch] = []
        # The decision tasks whose code ran for good: the completed ones, and this one.
        self._started: list[Event] = [
            started
            for decision_task in compiled.decision_tasks
            if (started := decision_task.started_event) is not None
            and decision_task.state == states.COMPLETED
        ]
        self._started.append(task.history.last)
        self._starts = [event.id for event in self._started]
        self._starts[-1] = task.started_event_id
        workflow = compiled.workflow
        # A cancel request reaches run() at the first decision task started after it.
        self._cancel_phase = len(self._starts)
        if workflow.cancel_requested and workflow.cancel_requested_event is not None:
            self._cancel_phase = self._first_start_after(workflow.cancel_requested_event.id)
        self._hook_phase = self._cancel_phase  # where on_cancel_requested runs (async)
        self._cancel_at = (
            self._starts[self._cancel_phase] if self._cancel_phase < len(self._starts) else math.inf
        )
        self._task_list = workflow.task_list
        self.input = workflow.input
        # Children's ids: "{workflow id}-{name}-{n}", unique among open executions (SWF's rule).
        self._child_prefix = task.workflow_id
        self.info = WorkflowInfo(
            workflow_id=task.workflow_id,
            run_id=task.run_id,
            domain=task.execution.domain.name,
            task_list=workflow.task_list,
            tag_list=tuple(workflow.tag_list),
            input=workflow.input,
            history_length=len(task.history),
            run=self,
        )

    def count(self, key: str) -> int:
        """The next number of the calls of a kind (``key``) in this replay: 1, 2, ... (the
        ``n`` of the ids ``"{name}-{n}"``)."""
        count = self._counters[key] = self._counters.get(key, 0) + 1
        return count

    def child_id(self, name: str) -> str:
        """A child workflow id derived from this execution's: ``"{workflow id}-{name}"``
        (within SWF's 256 characters), unique among the domain's open executions. Its start
        decision's ``control`` keeps ``name``, so that a replay without the workflow id
        (:class:`swf.replay.Replayer`) finds it again."""
        found = bounded(f"{self._child_prefix}-{name}")
        self._derived_children[found] = f"child:{name}"
        return found

    def _decide(self, future: Future, decision: Decision) -> None:
        """Append a decision made for ``future`` (so that ``cancel`` can take it back)."""
        self.decisions.append(decision)
        self._decisions_of.setdefault(future, []).append(decision)

    # -- time and replay -------------------------------------------------------------------

    def consume(self, future: Future) -> None:
        """``run()`` reads ``future``: what it does next happens after that result."""
        seen = future._event_id if future.state in DONE_STATES else _NEVER
        if self._phase_end is not None:
            if seen >= self._phase_end:
                raise FlowError(
                    f"an async run() read {future!r} before it was done: await it (or use "
                    "futures.gather) instead of reading .result or calling futures.wait"
                )
        elif seen > self._cancel_at:
            raise CancelPoint
        if seen > self._horizon:
            self._horizon = seen

    def peek(self, future: Future) -> bool:
        """Whether ``future`` is done, for a call that takes it as an argument (the call
        does not wait: an async branch does not move on in time)."""
        if self._phase_end is None:
            seen = future._event_id if future.done else math.inf
            if seen > self._horizon:
                self._horizon = seen
        return future.done

    def _first_start_after(self, event_id: float) -> int:
        return bisect.bisect_right(self._starts, event_id)

    def boundary(self) -> int:
        """The ``DecisionTaskStarted`` event of the decision task that first ran this point
        of ``run()`` (what happened before it, that task knew)."""
        return self._starts[min(self._first_start_after(self._horizon), len(self._starts) - 1)]

    @property
    def is_replaying(self) -> bool:
        """Whether the code running now already ran at an earlier decision task."""
        return self._first_start_after(self._horizon) < len(self._starts) - 1

    def now(self) -> dt.datetime:
        """When the decision task that first ran this point started."""
        index = min(self._first_start_after(self._horizon), len(self._starts) - 1)
        return self._started[index].timestamp

    def _nondeterministic(self, message: str, **context: Any) -> NoReturn:
        error = NondeterminismError(message, **context)
        self.nondeterminism = self.nondeterminism or error
        raise error
