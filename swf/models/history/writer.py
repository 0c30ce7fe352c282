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

What SWF checks when it applies a decision is checked here too: an activity or timer id
already in use, an unknown timer or activity to cancel, SWF's limits on open activities,
timers and children, a close decision while new events wait for the decider
(``UNHANDLED_DECISION``), and, given a :class:`TypeDefaults` lookup, unknown or deprecated
types and the defaults a decision leaves out (``DEFAULT_TASK_LIST_UNDEFINED``...).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from swf import constants
from swf.exceptions import InvalidDecisionError
from swf.models.decision import Decision, DecisionType
from swf.models.history.history import History

__all__ = ["FAILED_DECISION_EVENTS", "HistoryWriter", "TypeDefaults", "ticking_clock"]

_D = DecisionType
_UTC = dt.timezone.utc
_Self = TypeVar("_Self", bound="HistoryWriter")

#: The event SWF writes when it refuses a decision, and the decision attributes it copies.
FAILED_DECISION_EVENTS: dict[DecisionType, tuple[str, tuple[str, ...]]] = {
    _D.SCHEDULE_ACTIVITY_TASK: ("ScheduleActivityTaskFailed", ("activityType", "activityId")),
    _D.REQUEST_CANCEL_ACTIVITY_TASK: ("RequestCancelActivityTaskFailed", ("activityId",)),
    _D.COMPLETE_WORKFLOW_EXECUTION: ("CompleteWorkflowExecutionFailed", ()),
    _D.FAIL_WORKFLOW_EXECUTION: ("FailWorkflowExecutionFailed", ()),
    _D.CANCEL_WORKFLOW_EXECUTION: ("CancelWorkflowExecutionFailed", ()),
    _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION: ("ContinueAsNewWorkflowExecutionFailed", ()),
    _D.RECORD_MARKER: ("RecordMarkerFailed", ("markerName",)),
    _D.START_TIMER: ("StartTimerFailed", ("timerId",)),
    _D.CANCEL_TIMER: ("CancelTimerFailed", ("timerId",)),
    _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: (
        "SignalExternalWorkflowExecutionFailed",
        ("workflowId", "runId", "control"),
    ),
    _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: (
        "RequestCancelExternalWorkflowExecutionFailed",
        ("workflowId", "runId", "control"),
    ),
    _D.START_CHILD_WORKFLOW_EXECUTION: (
        "StartChildWorkflowExecutionFailed",
        ("workflowType", "workflowId", "control"),
    ),
    _D.SCHEDULE_LAMBDA_FUNCTION: ("ScheduleLambdaFunctionFailed", ("id", "name")),
}

# Failure events that carry an initiatedEventId: 0 when the decision itself was refused.
_WITH_INITIATED = frozenset(
    {
        _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        _D.START_CHILD_WORKFLOW_EXECUTION,
    }
)
# Activity timeouts: decision attribute / event attribute -> the type's registered default.
_ACTIVITY_TIMEOUTS = {
    "scheduleToCloseTimeout": "defaultTaskScheduleToCloseTimeout",
    "scheduleToStartTimeout": "defaultTaskScheduleToStartTimeout",
    "startToCloseTimeout": "defaultTaskStartToCloseTimeout",
    "heartbeatTimeout": "defaultTaskHeartbeatTimeout",
}
_CHILD_DEFAULTS = {
    "executionStartToCloseTimeout": "defaultExecutionStartToCloseTimeout",
    "taskStartToCloseTimeout": "defaultTaskStartToCloseTimeout",
    "childPolicy": "defaultChildPolicy",
}


class TypeDefaults(Protocol):
    """Where a writer finds the registered types (what SWF knows of them).

    Each method returns the type's ``configuration`` as ``Describe...Type`` returns it
    (``defaultTaskList``, ``defaultTaskStartToCloseTimeout``...) plus ``"status"``
    (``"REGISTERED"`` or ``"DEPRECATED"``), or None when no such type is registered.
    """

    def activity_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        """The registered activity type ``name``/``version``, or None."""

    def workflow_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        """The registered workflow type ``name``/``version``, or None."""


def ticking_clock(
    start: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=_UTC), step: float = 1.0
) -> Callable[[], dt.datetime]:
    """A clock for writers that moves ``step`` seconds at each reading (each event)."""
    counter = itertools.count(1)
    return lambda: start + dt.timedelta(seconds=step * next(counter))


def _clean(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if value is not None}


def _plain(value: Any) -> Any:
    """A decision attribute as a plain, mutable JSON value (events own their attributes)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class HistoryWriter:
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
        self: _Self,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        types: TypeDefaults | None = None,
        new_run_id: Callable[[], str] | None = None,
    ) -> None:
        """Start an empty history (see the class docstring)."""
        self.events: list[dict[str, Any]] = []
        self.clock = clock or (lambda: dt.datetime.now(_UTC))
        self.types = types
        self.new_run_id = new_run_id or (lambda: uuid.uuid4().hex)
        self.task_list: str | None = None
        self.decision_task_timeout: str | None = None
        self.closed = False
        self._started: dict[str, Any] = {}
        self._decision_scheduled: int | None = None
        self._decision_started: int | None = None
        self._decision_completed: int | None = None
        self._decision_pending = False
        # Per id: the ids of its latest use (kept after it closes: later events may name it).
        self._activities: dict[str, tuple[int, int | None]] = {}
        self._timers: dict[str, int] = {}
        self._children: dict[str, tuple[int, int | None, str, int]] = {}
        self._signals: dict[str, list[tuple[int, int]]] = {}
        self._cancels: dict[str, list[tuple[int, int]]] = {}
        self._lambdas: dict[str, tuple[int, int | None]] = {}
        # What is open, for SWF's checks.
        self._open_activities: set[str] = set()
        self._open_timers: set[str] = set()
        self._open_children: set[str] = set()
        self._open_lambdas: set[str] = set()

    # -- low level -----------------------------------------------------------------------------

    @property
    def last_event_id(self) -> int:
        """The id of the last event (0 when there is none)."""
        return len(self.events)

    @property
    def decision_task_open(self) -> bool:
        """Whether a decision task is scheduled or started (and not closed)."""
        return self._decision_scheduled is not None

    @property
    def decision_task_started(self) -> bool:
        """Whether a decision task is started (a decider holds it)."""
        return self._decision_started is not None

    def add(self, event_type: str, attributes: Mapping[str, Any] | None = None) -> int:
        """Append one raw event with the next id and the clock's time; no checks at all.

        ``None`` attribute values are left out, as SWF leaves them out.

        Returns:
            The new event's id.
        """
        event_id = len(self.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": self.clock(),
                key: _clean(attributes or {}),
            }
        )
        return event_id

    def history(self) -> History:
        """The events so far, as a :class:`~swf.models.history.History`."""
        return History.from_event_list(self.events)

    def _completed(self) -> int:
        """The ``DecisionTaskCompleted`` the decisions being written belong to."""
        if self._decision_completed is None:
            raise InvalidDecisionError(
                "no decision task completed yet: decisions are written after decision_completed()",
                argument="decisions",
            )
        return self._decision_completed

    def _maybe_schedule(self: _Self, wanted: bool = True) -> _Self:
        """After an event the decider must see: a decision task, as SWF schedules one."""
        if not wanted or self.closed:
            return self
        if self._decision_started is not None:
            self._decision_pending = True  # scheduled once the running task completes
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
        self._started = _clean(
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
        return self._maybe_schedule(schedule_decision)

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
        return self._maybe_schedule(True)

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
        pending, self._decision_pending = self._decision_pending, False
        return self._maybe_schedule(pending or failed)

    def decision_timed_out(self: _Self) -> _Self:
        """``DecisionTaskTimedOut`` of the started decision task, then a new scheduled one."""
        if self._decision_started is None:
            self.decision_started()
        self.add(
            "DecisionTaskTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "scheduledEventId": self._decision_scheduled,
                "startedEventId": self._decision_started,
            },
        )
        self._decision_pending = False
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
        cause = _check(self, kind, attributes)
        if cause is not None:
            self.record_failed_decision(wrapped, cause)
            return False
        if kind is _D.START_CHILD_WORKFLOW_EXECUTION and attributes["workflowId"] in (
            self._open_children
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
            self._maybe_schedule(True)
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
            self._open_timers.discard(timer_id)
        elif kind is _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
            attributes = self._continued(attributes)
        event_id = self.add(
            _DECISION_EVENTS[kind], {**attributes, "decisionTaskCompletedEventId": completed}
        )
        if kind is _D.SCHEDULE_ACTIVITY_TASK:
            self._activities[attributes["activityId"]] = (event_id, None)
            self._open_activities.add(attributes["activityId"])
        elif kind is _D.START_TIMER:
            self._timers[attributes["timerId"]] = event_id
            self._open_timers.add(attributes["timerId"])
        elif kind is _D.START_CHILD_WORKFLOW_EXECUTION:
            workflow_id = attributes["workflowId"]
            if workflow_id not in self._open_children:
                self._children[workflow_id] = (event_id, None, f"{workflow_id}-run", completed)
                self._open_children.add(workflow_id)
        elif kind is _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
            self._signals.setdefault(attributes["workflowId"], []).append((event_id, completed))
        elif kind is _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
            self._cancels.setdefault(attributes["workflowId"], []).append((event_id, completed))
        elif kind is _D.SCHEDULE_LAMBDA_FUNCTION:
            self._lambdas[attributes["id"]] = (event_id, None)
            self._open_lambdas.add(attributes["id"])
        elif kind in _CLOSING:
            self.closed = True

    def record_failed_decision(self: _Self, decision: Mapping[str, Any], cause: str) -> _Self:
        """Write the ``...Failed`` event SWF writes when it refuses ``decision`` for
        ``cause`` (``initiatedEventId`` 0 where the event has one: nothing was initiated)."""
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        event_type, copied = FAILED_DECISION_EVENTS[wrapped.decision_type]
        attributes = {key: _plain(wrapped.attributes.get(key)) for key in copied}
        if wrapped.decision_type in _WITH_INITIATED:
            attributes["initiatedEventId"] = 0
        self.add(
            event_type,
            {**attributes, "cause": cause, "decisionTaskCompletedEventId": self._completed()},
        )
        return self

    def _continued(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """A ContinueAsNew decision's event attributes: SWF fills in the current run's."""
        started = self._started
        started_type = started.get("workflowType") or {}
        return {
            "input": attributes.get("input"),
            "newExecutionRunId": self.new_run_id(),
            "executionStartToCloseTimeout": attributes.get(
                "executionStartToCloseTimeout", started.get("executionStartToCloseTimeout")
            ),
            "taskList": attributes.get("taskList", started.get("taskList")),
            "taskPriority": attributes.get("taskPriority", started.get("taskPriority")),
            "taskStartToCloseTimeout": attributes.get(
                "taskStartToCloseTimeout", started.get("taskStartToCloseTimeout")
            ),
            "childPolicy": attributes.get("childPolicy", started.get("childPolicy")),
            "tagList": attributes.get("tagList", started.get("tagList")),
            "workflowType": {
                "name": started_type.get("name"),
                "version": attributes.get("workflowTypeVersion", started_type.get("version")),
            },
            "lambdaRole": attributes.get("lambdaRole", started.get("lambdaRole")),
        }

    def _registered(self, kind: str, ref: Mapping[str, str]) -> Mapping[str, Any] | str:
        """The registered type (its configuration), or SWF's cause when there is none."""
        assert self.types is not None
        lookup = self.types.activity_type if kind == "ACTIVITY" else self.types.workflow_type
        found = lookup(ref["name"], ref["version"])
        if found is None:
            return f"{kind}_TYPE_DOES_NOT_EXIST"
        if found.get("status") == constants.DEPRECATED:
            return f"{kind}_TYPE_DEPRECATED"
        return found

    def _fill_defaults(
        self,
        kind: str,
        attributes: dict[str, Any],
        ref_key: str,
        defaults: Mapping[str, str],
    ) -> str | None:
        """Fill what a scheduling decision leaves out from its registered type, as SWF
        does; SWF's cause when the type is unknown, deprecated, or has no such default."""
        if self.types is None:
            return None
        registered = self._registered(kind, attributes[ref_key])
        if isinstance(registered, str):
            return registered
        if "taskList" not in attributes:
            if not registered.get("defaultTaskList"):
                return "DEFAULT_TASK_LIST_UNDEFINED"
            attributes["taskList"] = dict(registered["defaultTaskList"])
        for key, default in defaults.items():
            if key not in attributes:
                if registered.get(default) is None:
                    return f"DEFAULT_{_snake(key).upper()}_UNDEFINED"
                attributes[key] = registered[default]
        if "taskPriority" not in attributes and registered.get("defaultTaskPriority"):
            attributes["taskPriority"] = registered["defaultTaskPriority"]
        return None

    # -- outcomes: activity tasks --------------------------------------------------------------

    def start_activity(self: _Self, activity_id: str, identity: str = "worker") -> _Self:
        """``ActivityTaskStarted``: a worker polled the activity."""
        scheduled, _ = self._activities[activity_id]
        started = self.add(
            "ActivityTaskStarted", {"scheduledEventId": scheduled, "identity": identity}
        )
        self._activities[activity_id] = (scheduled, started)
        return self

    def _activity_closed(
        self: _Self, event_type: str, activity_id: str, schedule_decision: bool, **attributes: Any
    ) -> _Self:
        scheduled, started = self._activities[activity_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        self._open_activities.discard(activity_id)
        return self._maybe_schedule(schedule_decision)

    def complete_activity(
        self: _Self, activity_id: str, result: str | None = None, *, schedule_decision: bool = True
    ) -> _Self:
        """``ActivityTaskCompleted`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskCompleted", activity_id, schedule_decision, result=result
        )

    def fail_activity(
        self: _Self,
        activity_id: str,
        reason: str | None = None,
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> _Self:
        """``ActivityTaskFailed`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskFailed", activity_id, schedule_decision, reason=reason, details=details
        )

    def time_out_activity(
        self: _Self,
        activity_id: str,
        timeout_type: str = "START_TO_CLOSE",
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> _Self:
        """``ActivityTaskTimedOut`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskTimedOut",
            activity_id,
            schedule_decision,
            timeoutType=timeout_type,
            details=details,
        )

    def cancel_activity(
        self: _Self, activity_id: str, details: str | None = None, *, schedule_decision: bool = True
    ) -> _Self:
        """``ActivityTaskCanceled``: the worker reported the cancel (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskCanceled", activity_id, schedule_decision, details=details
        )

    # -- outcomes: timers ----------------------------------------------------------------------

    def fire_timer(self: _Self, timer_id: str, *, schedule_decision: bool = True) -> _Self:
        """``TimerFired`` (and a decision task)."""
        self.add("TimerFired", {"timerId": timer_id, "startedEventId": self._timers[timer_id]})
        self._open_timers.discard(timer_id)
        return self._maybe_schedule(schedule_decision)

    # -- outcomes: child workflows -------------------------------------------------------------

    def _child_type(self, initiated: int) -> dict[str, Any]:
        attributes = self.events[initiated - 1][
            "startChildWorkflowExecutionInitiatedEventAttributes"
        ]
        return dict(attributes["workflowType"])

    def start_child_failed(
        self: _Self, workflow_id: str, cause: str = "WORKFLOW_ALREADY_RUNNING"
    ) -> _Self:
        """``StartChildWorkflowExecutionFailed`` of an initiated child (and a decision task)."""
        initiated, _, _, completed = self._children[workflow_id]
        self.add(
            "StartChildWorkflowExecutionFailed",
            {
                "workflowId": workflow_id,
                "workflowType": self._child_type(initiated),
                "cause": cause,
                "initiatedEventId": initiated,
                "decisionTaskCompletedEventId": completed,
            },
        )
        self._open_children.discard(workflow_id)
        return self._maybe_schedule(True)

    def child_started(self: _Self, workflow_id: str, run_id: str | None = None) -> _Self:
        """``ChildWorkflowExecutionStarted`` (and a decision task)."""
        initiated, _, _, completed = self._children[workflow_id]
        run = run_id or f"{workflow_id}-run"
        started = self.add(
            "ChildWorkflowExecutionStarted",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
            },
        )
        self._children[workflow_id] = (initiated, started, run, completed)
        return self._maybe_schedule(True)

    def child_closed(self: _Self, workflow_id: str, outcome: str, **attributes: Any) -> _Self:
        """The child closed: ``outcome`` is ``"completed"``, ``"failed"``, ``"timed_out"``,
        ``"canceled"`` or ``"terminated"``; ``attributes`` are raw (``result=``,
        ``reason=``, ``details=``, ``timeoutType=``)."""
        event_type = {
            "completed": "ChildWorkflowExecutionCompleted",
            "failed": "ChildWorkflowExecutionFailed",
            "timed_out": "ChildWorkflowExecutionTimedOut",
            "canceled": "ChildWorkflowExecutionCanceled",
            "terminated": "ChildWorkflowExecutionTerminated",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        initiated, started, run, _ = self._children[workflow_id]
        self.add(
            event_type,
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
                "startedEventId": started or 0,
                **attributes,
            },
        )
        self._open_children.discard(workflow_id)
        return self._maybe_schedule(True)

    # -- outcomes: signals and cancel requests sent to other executions ------------------------

    def _external_outcome(
        self: _Self,
        sent: dict[str, list[tuple[int, int]]],
        workflow_id: str,
        initiated_event_id: int | None,
        event_type: str,
        attributes: Mapping[str, Any],
        *,
        with_decision: bool,
    ) -> _Self:
        """An outcome of a signal or cancel request sent to ``workflow_id``: the one its
        ``...Initiated`` event ``initiated_event_id`` started (default: the latest)."""
        initiated, completed = next(
            (sent_id, completed)
            for sent_id, completed in reversed(sent[workflow_id])
            if initiated_event_id in (None, sent_id)
        )
        extra = {"decisionTaskCompletedEventId": completed} if with_decision else {}
        self.add(event_type, {**attributes, "initiatedEventId": initiated, **extra})
        return self._maybe_schedule(True)

    def signal_external_failed(
        self: _Self,
        workflow_id: str,
        cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``SignalExternalWorkflowExecutionFailed`` of a signal sent to ``workflow_id``
        (the one ``initiated_event_id`` started; default: the latest), and a decision task."""
        return self._external_outcome(
            self._signals,
            workflow_id,
            initiated_event_id,
            "SignalExternalWorkflowExecutionFailed",
            {"workflowId": workflow_id, "cause": cause},
            with_decision=True,
        )

    def external_signaled(
        self: _Self,
        workflow_id: str,
        run_id: str = "run-x",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``ExternalWorkflowExecutionSignaled`` (and a decision task)."""
        return self._external_outcome(
            self._signals,
            workflow_id,
            initiated_event_id,
            "ExternalWorkflowExecutionSignaled",
            {"workflowExecution": {"workflowId": workflow_id, "runId": run_id}},
            with_decision=False,
        )

    def request_cancel_external_failed(
        self: _Self,
        workflow_id: str,
        cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``RequestCancelExternalWorkflowExecutionFailed`` (and a decision task)."""
        return self._external_outcome(
            self._cancels,
            workflow_id,
            initiated_event_id,
            "RequestCancelExternalWorkflowExecutionFailed",
            {"workflowId": workflow_id, "cause": cause},
            with_decision=True,
        )

    def external_cancel_requested(
        self: _Self,
        workflow_id: str,
        run_id: str = "run-x",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``ExternalWorkflowExecutionCancelRequested`` (and a decision task)."""
        return self._external_outcome(
            self._cancels,
            workflow_id,
            initiated_event_id,
            "ExternalWorkflowExecutionCancelRequested",
            {"workflowExecution": {"workflowId": workflow_id, "runId": run_id}},
            with_decision=False,
        )

    # -- outcomes: Lambda tasks ----------------------------------------------------------------

    def start_lambda(self: _Self, lambda_id: str) -> _Self:
        """``LambdaFunctionStarted``."""
        scheduled, _ = self._lambdas[lambda_id]
        started = self.add("LambdaFunctionStarted", {"scheduledEventId": scheduled})
        self._lambdas[lambda_id] = (scheduled, started)
        return self

    def start_lambda_failed(
        self: _Self, lambda_id: str, cause: str = "ASSUME_ROLE_FAILED", message: str | None = None
    ) -> _Self:
        """``StartLambdaFunctionFailed`` (and a decision task)."""
        scheduled, _ = self._lambdas[lambda_id]
        self.add(
            "StartLambdaFunctionFailed",
            {"scheduledEventId": scheduled, "cause": cause, "message": message},
        )
        self._open_lambdas.discard(lambda_id)
        return self._maybe_schedule(True)

    def lambda_closed(self: _Self, lambda_id: str, outcome: str, **attributes: Any) -> _Self:
        """The Lambda task closed: ``outcome`` is ``"completed"``, ``"failed"`` or
        ``"timed_out"``; ``attributes`` are raw (``result=``, ``reason=``, ``details=``)."""
        event_type = {
            "completed": "LambdaFunctionCompleted",
            "failed": "LambdaFunctionFailed",
            "timed_out": "LambdaFunctionTimedOut",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        scheduled, started = self._lambdas[lambda_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        self._open_lambdas.discard(lambda_id)
        return self._maybe_schedule(True)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


#: The event SWF writes for each decision it applies.
_DECISION_EVENTS: dict[DecisionType, str] = {
    _D.SCHEDULE_ACTIVITY_TASK: "ActivityTaskScheduled",
    _D.REQUEST_CANCEL_ACTIVITY_TASK: "ActivityTaskCancelRequested",
    _D.COMPLETE_WORKFLOW_EXECUTION: "WorkflowExecutionCompleted",
    _D.FAIL_WORKFLOW_EXECUTION: "WorkflowExecutionFailed",
    _D.CANCEL_WORKFLOW_EXECUTION: "WorkflowExecutionCanceled",
    _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION: "WorkflowExecutionContinuedAsNew",
    _D.RECORD_MARKER: "MarkerRecorded",
    _D.START_TIMER: "TimerStarted",
    _D.CANCEL_TIMER: "TimerCanceled",
    _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: "SignalExternalWorkflowExecutionInitiated",
    _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: (
        "RequestCancelExternalWorkflowExecutionInitiated"
    ),
    _D.START_CHILD_WORKFLOW_EXECUTION: "StartChildWorkflowExecutionInitiated",
    _D.SCHEDULE_LAMBDA_FUNCTION: "LambdaFunctionScheduled",
}
_CLOSING = frozenset(
    {
        _D.COMPLETE_WORKFLOW_EXECUTION,
        _D.FAIL_WORKFLOW_EXECUTION,
        _D.CANCEL_WORKFLOW_EXECUTION,
        _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
    }
)


def _check(writer: HistoryWriter, kind: DecisionType, attributes: dict[str, Any]) -> str | None:
    """SWF's cause for refusing a decision, or None; fills in the defaults it leaves out."""
    if writer.closed:
        return None  # recording refuses it (the caller's mistake, not SWF's answer)
    if kind is _D.SCHEDULE_ACTIVITY_TASK:
        if attributes["activityId"] in writer._open_activities:
            return "ACTIVITY_ID_ALREADY_IN_USE"
        if len(writer._open_activities) >= constants.MAX_OPEN_ACTIVITIES:
            return "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
        return writer._fill_defaults("ACTIVITY", attributes, "activityType", _ACTIVITY_TIMEOUTS)
    if kind is _D.REQUEST_CANCEL_ACTIVITY_TASK:
        return (
            None if attributes["activityId"] in writer._open_activities else "ACTIVITY_ID_UNKNOWN"
        )
    if kind in _CLOSING:
        return "UNHANDLED_DECISION" if writer._decision_pending else None
    if kind is _D.START_TIMER:
        if attributes["timerId"] in writer._open_timers:
            return "TIMER_ID_ALREADY_IN_USE"
        if len(writer._open_timers) >= constants.MAX_OPEN_TIMERS:
            return "OPEN_TIMERS_LIMIT_EXCEEDED"
        return None
    if kind is _D.CANCEL_TIMER:
        return None if attributes["timerId"] in writer._open_timers else "TIMER_ID_UNKNOWN"
    if kind is _D.START_CHILD_WORKFLOW_EXECUTION:
        if len(writer._open_children) >= constants.MAX_OPEN_CHILDREN:
            return "OPEN_CHILDREN_LIMIT_EXCEEDED"
        return writer._fill_defaults("WORKFLOW", attributes, "workflowType", _CHILD_DEFAULTS)
    if kind is _D.SCHEDULE_LAMBDA_FUNCTION:
        return "ID_ALREADY_IN_USE" if attributes["id"] in writer._open_lambdas else None
    return None
