"""Writing a history as SWF would: :class:`HistoryWriter`.

A writer holds the raw events of one workflow execution (in boto3's form) and appends the
events SWF writes for what happens to it: the execution starting, decision tasks being
scheduled, started and completed, each decision of a decision task applied (or refused, with
SWF's cause), and the outcomes that workers, timers, children and other executions report.
It tracks the ids every later event refers to (``scheduledEventId``, ``startedEventId``,
``initiatedEventId``, ``decisionTaskCompletedEventId``) and schedules decision tasks when
SWF does: after an outcome the decider must see, unless one is already scheduled; if one is
running, once it completes.

The local executor of the workflow layer writes its histories with it, and
:class:`swf.testing.HistoryBuilder` is a thin facade over it for tests::

    >>> from swf.models.decision import TimerDecision
    >>> from swf.models.history.writer import HistoryWriter
    >>> writer = HistoryWriter().start(("flow", "1"), task_list="deciders")
    >>> _ = writer.decision_started().complete_decision_task([TimerDecision.start("t", 30)])
    >>> writer.fire_timer("t").history().compiled.timers["t"].state
    'fired'
    >>> [event["eventType"] for event in writer.events][-2:]
    ['TimerFired', 'DecisionTaskScheduled']

What SWF checks when it applies a decision is checked too (:mod:`swf.models.history.rules`):
an activity or timer id already in use, an unknown timer or activity to cancel, SWF's limits
on open activities, timers and children, a close decision while new events wait for the
decider (``UNHANDLED_DECISION``), and, given the registered types, unknown or deprecated types
and the defaults a decision leaves out (``DEFAULT_TASK_LIST_UNDEFINED``...).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from swf import constants
from swf.exceptions import InvalidDecisionError
from swf.models.decision import Decision, DecisionType
from swf.models.history.outcomes import EventWriter
from swf.models.history.rules import (
    CLOSE_DECISIONS,
    DECISION_EVENTS,
    FAILED_DECISION_EVENTS,
    INITIATING_DECISIONS,
    TypeDefaults,
    continued_attributes,
    refusal,
    without_none,
)

__all__ = ["HistoryWriter", "ticking_clock"]

_D = DecisionType
_UTC = dt.timezone.utc
_Self = TypeVar("_Self", bound="HistoryWriter")


def ticking_clock(
    start: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=_UTC), step: float = 1.0
) -> Callable[[], dt.datetime]:
    """A clock for writers that moves ``step`` seconds at each reading (each event)."""
    counter = itertools.count(1)
    return lambda: start + dt.timedelta(seconds=step * next(counter))


def _plain(value: Any) -> Any:
    """A decision attribute as a plain, mutable JSON value (events own their attributes)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class HistoryWriter(EventWriter):
    """Writes the events of one workflow execution, with consistent ids, as SWF would.

    Args:
        clock: what stamps each event (default: the current UTC time); the local executor
            passes its virtual clock, tests a :func:`ticking_clock`.
        types: the registered types, to check scheduling decisions and fill the defaults
            they leave out, as SWF does; without it every type is taken to exist and a
            decision's missing values stay missing.
        new_run_id: what makes the run id of a continued execution (default: a uuid).

    Attributes:
        events: the raw events written so far (boto3's form: ``eventTimestamp`` a datetime).
        task_list: the execution's decision task list (set by :meth:`start`).
        decision_task_timeout: its decision tasks' start-to-close timeout.
        closed: True once an event closed the execution.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        types: TypeDefaults | None = None,
        new_run_id: Callable[[], str] | None = None,
    ) -> None:
        """Start an empty history (see the class docstring)."""
        super().__init__(clock=clock)
        self.types = types
        self.new_run_id = new_run_id or (lambda: uuid.uuid4().hex)
        self.task_list: str | None = None
        self.decision_task_timeout: str | None = None
        self._started: dict[str, Any] = {}
        self._decision_scheduled: int | None = None
        self._decision_started: int | None = None
        self._decision_completed: int | None = None

    # -- low level -----------------------------------------------------------------------------

    @property
    def started_attributes(self) -> Mapping[str, Any]:
        """The ``WorkflowExecutionStarted`` attributes (empty before :meth:`start`)."""
        return self._started

    @property
    def decision_task_open(self) -> bool:
        """Whether a decision task is scheduled or started (and not closed)."""
        return self._decision_scheduled is not None

    @property
    def decision_task_started(self) -> bool:
        """Whether a decision task is started (a decider holds it)."""
        return self._decision_started is not None

    def _completed(self) -> int:
        """The ``DecisionTaskCompleted`` the decisions being written belong to."""
        if self._decision_completed is None:
            raise InvalidDecisionError(
                "no decision task completed yet: decisions are written after decision_completed()",
                argument="decisions",
            )
        return self._decision_completed

    def needs_decision(self: _Self, wanted: bool = True) -> _Self:
        """After an event the decider must see: a decision task, as SWF schedules one."""
        if not wanted or self.closed:
            return self
        if self._decision_started is not None:
            self.open.unhandled_events = True  # scheduled once the running task completes
        elif self._decision_scheduled is None:
            self.decision_scheduled()
        return self

    # -- the workflow execution ----------------------------------------------------------------

    def start(
        self: _Self,
        workflow_type: tuple[str, str] | Mapping[str, str],
        *,
        task_list: str,
        input: str | None = None,
        child_policy: str = constants.TERMINATE,
        execution_timeout: str | None = "3600",
        decision_task_timeout: str | None = "300",
        tag_list: Iterable[str] | None = None,
        **attributes: Any,
    ) -> _Self:
        """``WorkflowExecutionStarted``, then the first ``DecisionTaskScheduled``.

        Args:
            workflow_type: the type's name and version.
            task_list: the decision task list.
            input: the execution's input.
            child_policy: the child policy.
            execution_timeout: the execution's start-to-close timeout (seconds or NONE).
            decision_task_timeout: its decision tasks' start-to-close timeout.
            tag_list: its tags.
            **attributes: more raw attributes (``parentWorkflowExecution``,
                ``continuedExecutionRunId``, ``taskPriority``, ``lambdaRole``...).
        """
        name, version = (
            (workflow_type["name"], workflow_type["version"])
            if isinstance(workflow_type, Mapping)
            else workflow_type
        )
        self.task_list = task_list
        self.decision_task_timeout = decision_task_timeout
        self._started = without_none(
            {
                "workflowType": {"name": name, "version": version},
                "taskList": {"name": task_list},
                "childPolicy": child_policy,
                "executionStartToCloseTimeout": execution_timeout,
                "taskStartToCloseTimeout": decision_task_timeout,
                "input": input,
                "tagList": list(tag_list) if tag_list else None,
                **attributes,
            }
        )
        self.add("WorkflowExecutionStarted", self._started)
        return self.decision_scheduled()

    def signal(
        self: _Self,
        name: str,
        input: str | None = None,
        *,
        external: tuple[str, str] | None = None,
        external_initiated_event_id: int | None = None,
        schedule_decision: bool = True,
    ) -> _Self:
        """``WorkflowExecutionSignaled`` (and a decision task)."""
        self.add(
            "WorkflowExecutionSignaled",
            {
                "signalName": name,
                "input": input,
                "externalWorkflowExecution": (
                    {"workflowId": external[0], "runId": external[1]} if external else None
                ),
                "externalInitiatedEventId": external_initiated_event_id,
            },
        )
        return self.needs_decision(schedule_decision)

    def cancel_requested(
        self: _Self,
        cause: str | None = None,
        *,
        external: tuple[str, str] | None = None,
        external_initiated_event_id: int | None = None,
    ) -> _Self:
        """``WorkflowExecutionCancelRequested`` (and a decision task)."""
        self.add(
            "WorkflowExecutionCancelRequested",
            {
                "cause": cause,
                "externalWorkflowExecution": (
                    {"workflowId": external[0], "runId": external[1]} if external else None
                ),
                "externalInitiatedEventId": external_initiated_event_id,
            },
        )
        return self.needs_decision(True)

    def terminate(
        self: _Self,
        reason: str | None = None,
        details: str | None = None,
        cause: str | None = None,
        child_policy: str | None = None,
    ) -> _Self:
        """``WorkflowExecutionTerminated``: the execution is closed."""
        self.add(
            "WorkflowExecutionTerminated",
            {
                "reason": reason,
                "details": details,
                "cause": cause,
                "childPolicy": child_policy or self._started.get("childPolicy", "TERMINATE"),
            },
        )
        self.closed = True
        return self

    def time_out(self: _Self) -> _Self:
        """``WorkflowExecutionTimedOut``: the execution is closed."""
        self.add(
            "WorkflowExecutionTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "childPolicy": self._started.get("childPolicy", "TERMINATE"),
            },
        )
        self.closed = True
        return self

    # -- decision tasks ------------------------------------------------------------------------

    def decision_scheduled(self: _Self) -> _Self:
        """``DecisionTaskScheduled``."""
        self._decision_scheduled = self.add(
            "DecisionTaskScheduled",
            {
                "taskList": {"name": self.task_list} if self.task_list else None,
                "startToCloseTimeout": self.decision_task_timeout,
                "taskPriority": self._started.get("taskPriority"),
            },
        )
        self._decision_started = None
        return self

    def decision_started(self: _Self, identity: str = "decider") -> _Self:
        """``DecisionTaskStarted`` of the scheduled decision task (scheduled first if none)."""
        if self._decision_scheduled is None:
            self.decision_scheduled()
        self._decision_started = self.add(
            "DecisionTaskStarted",
            {"scheduledEventId": self._decision_scheduled, "identity": identity},
        )
        return self

    def decision_completed(self: _Self, execution_context: str | None = None) -> _Self:
        """``DecisionTaskCompleted`` of the started decision task (started first if not).

        The decisions of the task are written after it (:meth:`apply`); then
        :meth:`decisions_done` schedules the next decision task if events arrived meanwhile.
        """
        if self._decision_started is None:
            self.decision_started()
        self._decision_completed = self.add(
            "DecisionTaskCompleted",
            {
                "scheduledEventId": self._decision_scheduled,
                "startedEventId": self._decision_started,
                "executionContext": execution_context,
            },
        )
        self._decision_scheduled = self._decision_started = None
        return self

    def decisions_done(self: _Self, *, failed: bool = False) -> _Self:
        """After the decisions of a task: schedule the next task if events arrived while it
        ran, or one of its decisions failed (the decider must see the failure)."""
        pending, self.open.unhandled_events = self.open.unhandled_events, False
        return self.needs_decision(pending or failed)

    def decision_timed_out(self: _Self, timeout_type: str = "START_TO_CLOSE") -> _Self:
        """``DecisionTaskTimedOut`` of the decision task, then a new scheduled one.

        Args:
            timeout_type: ``"START_TO_CLOSE"`` (the task is started first if it is not) or
                ``"SCHEDULE_TO_START"`` (no decider took the scheduled task: SWF writes
                ``startedEventId`` 0).
        """
        if timeout_type == "SCHEDULE_TO_START":
            if self._decision_scheduled is None:
                self.decision_scheduled()
        elif self._decision_started is None:
            self.decision_started()
        self.add(
            "DecisionTaskTimedOut",
            {
                "timeoutType": timeout_type,
                "scheduledEventId": self._decision_scheduled,
                "startedEventId": self._decision_started or 0,
            },
        )
        self.open.unhandled_events = False
        return self.decision_scheduled()

    def decision(self: _Self, execution_context: str | None = None) -> _Self:
        """A whole decision task with no decision: scheduled (unless one is), started,
        completed."""
        return self.decision_completed(execution_context).decisions_done()

    def complete_decision_task(
        self: _Self,
        decisions: Iterable[Mapping[str, Any]],
        execution_context: str | None = None,
    ) -> _Self:
        """Complete the started decision task with ``decisions``, as SWF applies them.

        Writes ``DecisionTaskCompleted``, then each decision's event in order (or its
        ``...Failed`` event, with SWF's cause), then the next ``DecisionTaskScheduled`` when
        SWF would schedule one.
        """
        self.decision_completed(execution_context)
        failed = False
        for decision in decisions:
            failed = not self.apply(decision) or failed
            if self.closed:
                break
        return self.decisions_done(failed=failed)

    # -- decisions -----------------------------------------------------------------------------

    def apply(self, decision: Mapping[str, Any]) -> bool:
        """Apply one decision of the last completed decision task, as SWF does.

        SWF's checks come first (an id in use, an unknown timer or activity to cancel, the
        limits on open activities, timers and children, a close decision while new events
        wait for the decider, and, given ``types``, unknown or deprecated types and the
        defaults a decision leaves out); then the event of :meth:`record`, or the
        decision's ``...Failed`` event with SWF's cause. A cancel request for an activity no
        worker holds cancels it at once, as SWF does.

        Returns:
            True when SWF applies it, False when it refuses it.

        Raises:
            InvalidDecisionError: not a decision, a decision after the execution closed, or
                no decision task completed yet.
        """
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        kind = wrapped.decision_type
        attributes = _plain(wrapped.attributes)
        cause = None if self.closed else refusal(kind, attributes, self.open, self.types)
        if cause is not None:
            self.record_failed_decision(wrapped, cause)
            return False
        if kind is _D.START_CHILD_WORKFLOW_EXECUTION and attributes["workflowId"] in (
            self.open.children
        ):
            # SWF initiates, then fails the start: the child running under that id stays.
            self._record(kind, attributes)
            self.add(
                "StartChildWorkflowExecutionFailed",
                {
                    "workflowType": attributes["workflowType"],
                    "workflowId": attributes["workflowId"],
                    "control": attributes.get("control"),
                    "cause": "WORKFLOW_ALREADY_RUNNING",
                    "initiatedEventId": self.last_event_id,
                    "decisionTaskCompletedEventId": self._completed(),
                },
            )
            self.needs_decision(True)
            return True
        self._record(kind, attributes)
        if kind is _D.REQUEST_CANCEL_ACTIVITY_TASK:
            activity_id = attributes["activityId"]
            if self._activities[activity_id][1] is None:  # no worker holds it: canceled now
                self._activity_closed(
                    "ActivityTaskCanceled",
                    activity_id,
                    True,
                    latestCancelRequestedEventId=self.last_event_id,
                )
        return True

    def record(self: _Self, decision: Mapping[str, Any]) -> _Self:
        """Write the event SWF writes once it applied ``decision``, with no check at all.

        The decision belongs to the last completed decision task; :meth:`apply` checks it
        first, as SWF does. ``ActivityTaskScheduled``, ``TimerStarted``,
        ``MarkerRecorded``, ``WorkflowExecutionCompleted``... each with the ids later events
        refer to.
        """
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        self._record(wrapped.decision_type, _plain(wrapped.attributes))
        return self

    def _record(self, kind: DecisionType, attributes: dict[str, Any]) -> None:
        if self.closed:
            raise InvalidDecisionError(
                f"{kind.value} decision after the execution closed", decision=kind.value
            )
        completed = self._completed()
        if kind is _D.CANCEL_TIMER:
            timer_id = attributes["timerId"]
            attributes = {"timerId": timer_id, "startedEventId": self._timers.get(timer_id, 0)}
            self.open.timers.discard(timer_id)
        elif kind is _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
            attributes = continued_attributes(attributes, self._started, self.new_run_id())
        event_id = self.add(
            DECISION_EVENTS[kind], {**attributes, "decisionTaskCompletedEventId": completed}
        )
        if kind is _D.SCHEDULE_ACTIVITY_TASK:
            self._activities[attributes["activityId"]] = (event_id, None)
            self.open.activities.add(attributes["activityId"])
        elif kind is _D.START_TIMER:
            self._timers[attributes["timerId"]] = event_id
            self.open.timers.add(attributes["timerId"])
        elif kind is _D.START_CHILD_WORKFLOW_EXECUTION:
            workflow_id = attributes["workflowId"]
            if workflow_id not in self.open.children:
                self._children[workflow_id] = (event_id, None, f"{workflow_id}-run", completed)
                self.open.children.add(workflow_id)
        elif kind is _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
            self._signals.setdefault(attributes["workflowId"], []).append((event_id, completed))
        elif kind is _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
            self._cancels.setdefault(attributes["workflowId"], []).append((event_id, completed))
        elif kind is _D.SCHEDULE_LAMBDA_FUNCTION:
            self._lambdas[attributes["id"]] = (event_id, None)
            self.open.lambda_functions.add(attributes["id"])
        elif kind in CLOSE_DECISIONS:
            self.closed = True

    def record_failed_decision(self: _Self, decision: Mapping[str, Any], cause: str) -> _Self:
        """Write the ``...Failed`` event SWF writes when it refuses ``decision`` for
        ``cause`` (``initiatedEventId`` 0 where the event has one: nothing was initiated)."""
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        event_type, copied = FAILED_DECISION_EVENTS[wrapped.decision_type]
        attributes = {key: _plain(wrapped.attributes.get(key)) for key in copied}
        if wrapped.decision_type in INITIATING_DECISIONS:
            attributes["initiatedEventId"] = 0
        self.add(
            event_type,
            {**attributes, "cause": cause, "decisionTaskCompletedEventId": self._completed()},
        )
        return self
