"""Execution inspection: where the time went, what is pending, and why an execution is stuck.

Three functions, each taking a :class:`~swf.models.WorkflowExecution` (its history is
downloaded), a :class:`~swf.models.history.History`, or an already compiled history::

    from swf.inspection import timeline, pending, diagnose
    t = timeline(execution)          # or execution.timeline()
    for task in t:                   # one per activity, Lambda function, timer, child
        print(task.kind, task.id, task.state, task.attempts, task.wait, task.run, task.share)
    open("run.svg", "w").write(t.to_svg())   # a Gantt chart, no plotting library needed

    for item in pending(execution):  # open activities, timers, children, decision task
        print(item.kind, item.id, item.next_deadline)

    for finding in diagnose(execution):     # plain-language findings, worst first
        print(finding)

Durations are seconds (floats). For an open execution, open tasks run "until now"; pass
``now=`` to freeze the clock (tests, reports).

SWF does not record heartbeats in the history, so heartbeat deadlines count from the task's
start: they are what is left *if the worker has not heartbeated since*.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from swf import constants

if TYPE_CHECKING:
    from swf.models.history import CompiledHistory, History
    from swf.models.workflow import WorkflowExecution

__all__ = [
    "Deadline",
    "Finding",
    "PendingItem",
    "Task",
    "Timeline",
    "diagnose",
    "pending",
    "timeline",
]

#: States that end a task badly (drawn in red, reported by :func:`diagnose`).
FAILED_STATES = frozenset(
    {
        "failed",
        "timed_out",
        "canceled",
        "terminated",
        "schedule_failed",
        "start_failed",
        "request_cancel_failed",
        "signal_failed",
    }
)

#: SWF's limits, and the share of them at which :func:`diagnose` warns.
MAX_OPEN_ACTIVITIES = constants.MAX_OPEN_ACTIVITIES
MAX_HISTORY_EVENTS = constants.MAX_HISTORY_EVENTS
LIMIT_WARNING_SHARE = 0.8

_UTC = dt.timezone.utc


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def _timeout(value: Any) -> float | None:
    """SWF's duration string (``"30"``; ``"NONE"`` or missing: no timeout) as seconds."""
    if value is None or value == "NONE":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _type_label(ref: Mapping[str, Any] | None) -> str | None:
    if not ref:
        return None
    return f"{ref.get('name')} {ref.get('version')}".strip()


# -- sources -------------------------------------------------------------------------------------


def _resolve(
    source: Any, history: History | None = None
) -> tuple[CompiledHistory, int, WorkflowExecution | None, str | None]:
    """(compiled history, number of events, the execution if given, its workflow id)."""
    from swf.models.history import CompiledHistory, History
    from swf.models.workflow import WorkflowExecution

    if isinstance(source, WorkflowExecution):
        if history is None:
            history = source.history()
        return history.compiled, len(history), source, source.workflow_id
    if isinstance(source, History):
        # A history does not name its execution.
        return source.compiled, len(source), None, None
    if isinstance(source, CompiledHistory):
        return source, source.last_event_id, None, None
    raise TypeError(
        f"expected a WorkflowExecution, a History or a CompiledHistory, got {type(source).__name__}"
    )


def _end(compiled: CompiledHistory, live: bool, now: dt.datetime | None) -> dt.datetime | None:
    """Where open things stop: the close, else ``now`` (live) or the last event."""
    if compiled.workflow.closed_at is not None:
        return compiled.workflow.closed_at
    if now is not None:
        return now
    if live:
        return dt.datetime.now(_UTC)
    last = [
        t
        for t in (
            *(r.closed_at or r.started_at or r.scheduled_at for r in compiled.activities.values()),
            *(r.closed_at or r.started_at for r in compiled.timers.values()),
            *(d.closed_at or d.started_at or d.scheduled_at for d in compiled.decision_tasks),
            compiled.workflow.started_at,
        )
        if t is not None
    ]
    return max(last) if last else None


# -- timeline ------------------------------------------------------------------------------------


@attrs.frozen
class Task:
    """One task of an execution, as :func:`timeline` sees it.

    Attributes:
        kind: ``'activity'``, ``'lambda'``, ``'timer'`` or ``'child'``.
        id: the activity id, Lambda id, timer id or child workflow id.
        name: what it runs: the activity type or child workflow type (``'name version'``),
            the Lambda function name, or the timer's delay.
        state: the final (or current) state: ``'completed'``, ``'failed'``, ``'started'``...
        attempts: how many times the id was used (scheduled again after a failure).
        scheduled_at: when it was scheduled (a timer: started; a child: initiated).
        started_at: when it started (a timer: the same as scheduled_at).
        closed_at: when it closed; None while open.
        wait: seconds from scheduled to started (until the end while not started).
        run: seconds from started to closed (until the end while open).
        share: ``(wait + run)`` as a fraction of the execution's duration (0 to 1).
        reason: the failure reason, timeout type or cause of a task that ended badly.
        details: the failure details.
        result: the result of a completed task.
        tries: the earlier uses of the same id, oldest first (each a Task).
    """

    kind: str
    id: str
    name: str | None
    state: str
    attempts: int
    scheduled_at: dt.datetime | None
    started_at: dt.datetime | None
    closed_at: dt.datetime | None
    wait: float | None
    run: float | None
    share: float | None
    reason: str | None = None
    details: str | None = None
    result: str | None = None
    tries: tuple[Task, ...] = ()

    @property
    def failed(self) -> bool:
        """True when the task ended badly (failed, timed out, canceled...)."""
        return self.state in FAILED_STATES

    @property
    def is_open(self) -> bool:
        """True while the task has not closed."""
        return self.closed_at is None and self.state not in FAILED_STATES

    @property
    def duration(self) -> float | None:
        """``wait + run`` in seconds."""
        if self.wait is None and self.run is None:
            return None
        return (self.wait or 0.0) + (self.run or 0.0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601 strings; ``tries`` nested)."""
        data: dict[str, Any] = {}
        for field in attrs.fields(Task):
            value = getattr(self, field.name)
            if isinstance(value, dt.datetime):
                value = value.isoformat()
            elif field.name == "tries":
                value = [t.to_dict() for t in value]
            data[field.name] = value
        data["failed"] = self.failed
        return data


@attrs.frozen
class Timeline(Sequence[Task]):
    """Every task of an execution with its timing; a sequence of :class:`Task`.

    Attributes:
        workflow_id: the execution's workflow id, when known.
        state: the workflow's state (``'started'`` while open, then ``'completed'``...).
        started_at: when the execution started.
        ended_at: when it closed, or the reference "now" while open.
        tasks: the tasks, in order of scheduling.
        decision_time: seconds spent in decision tasks (scheduled to completed), in total.
    """

    workflow_id: str | None
    state: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    tasks: tuple[Task, ...]
    decision_time: float = 0.0

    @property
    def total(self) -> float | None:
        """The execution's duration in seconds (so far, while open)."""
        return _seconds(self.started_at, self.ended_at)

    def __len__(self) -> int:
        return len(self.tasks)

    def __getitem__(self, index: Any) -> Any:
        return self.tasks[index]

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the execution's times and every task (see docs/inspection.rst)."""
        return {
            "workflow_id": self.workflow_id,
            "state": self.state,
            "started_at": None if self.started_at is None else self.started_at.isoformat(),
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "total": self.total,
            "decision_time": self.decision_time,
            "tasks": [task.to_dict() for task in self.tasks],
        }

    def to_svg(self, width: int = 960, title: str | None = None) -> str:
        """Draw the timeline as a Gantt chart in SVG, one row per task.

        Waiting (scheduled to started) is the light shade, running the dark one; tasks that
        ended badly are red with a cross at their end, open tasks are striped, earlier
        attempts of a retried id are drawn on the same row. The text is self-contained
        (no script, no external stylesheet) and opens in any browser.

        Args:
            width: the picture's width in pixels.
            title: the heading (default: the workflow id and its state).
        """
        return _svg(self, width, title)


def _task(
    kind: str,
    key: str,
    record: Any,
    *,
    name: str | None,
    scheduled_at: dt.datetime | None,
    started_at: dt.datetime | None,
    end: dt.datetime | None,
    total: float | None,
    tries: tuple[Task, ...] = (),
) -> Task:
    closed_at = record.closed_at
    stop = closed_at or end
    if started_at is not None:
        wait = _seconds(scheduled_at, started_at)
        run = _seconds(started_at, stop)
    else:
        wait = _seconds(scheduled_at, stop)
        run = None
    duration = (wait or 0.0) + (run or 0.0)
    bad = record.state in FAILED_STATES
    reason = None
    if bad:
        reason = (
            getattr(record, "reason", None)
            or getattr(record, "timeout_type", None)
            or getattr(record, "cause", None)
        )
        if reason is None and getattr(record, "message", None):
            reason = record.message
    return Task(
        kind=kind,
        id=key,
        name=name,
        state=record.state,
        attempts=getattr(record, "attempts", 1) or 1,
        scheduled_at=scheduled_at,
        started_at=started_at,
        closed_at=closed_at,
        wait=wait,
        run=run,
        share=(duration / total) if total else None,
        reason=reason,
        details=record.details if bad else None,
        result=record.result if record.state == "completed" else None,
        tries=tries,
    )


def _scheduled_task(
    kind: str, key: str, record: Any, name: str | None, end: Any, total: Any
) -> Task:
    tries = tuple(
        _scheduled_task(kind, key, earlier, name, end, total)
        for earlier in getattr(record, "tries", ())
    )
    return _task(
        kind,
        key,
        record,
        name=name,
        scheduled_at=record.scheduled_at,
        started_at=record.started_at,
        end=end,
        total=total,
        tries=tries,
    )


def timeline(
    source: Any, *, now: dt.datetime | None = None, history: History | None = None
) -> Timeline:
    """Per task (activity, Lambda function, timer, child workflow): times, waits, state.

    Args:
        source: a :class:`~swf.models.WorkflowExecution` (its history is downloaded), a
            :class:`~swf.models.history.History` or a compiled history.
        now: the reference time for an open execution (default: the current time for an
            execution, the last event for a history).
        history: the execution's history when already downloaded (with an execution).

    Returns:
        A :class:`Timeline`, tasks in order of scheduling.

    Raises:
        swf.exceptions.InvalidHistoryError: the history is impossible.
    """
    compiled, _, execution, workflow_id = _resolve(source, history)
    workflow = compiled.workflow
    end = _end(compiled, execution is not None, now)
    total = _seconds(workflow.started_at, end)
    tasks: list[Task] = []
    for key, activity in compiled.activities.items():
        tasks.append(
            _scheduled_task(
                "activity", key, activity, _type_label(activity.activity_type), end, total
            )
        )
    for key, function in compiled.lambda_functions.items():
        tasks.append(_scheduled_task("lambda", key, function, function.name, end, total))
    for key, timer in compiled.timers.items():
        delay = _timeout(timer.start_to_fire_timeout)
        tasks.append(
            _task(
                "timer",
                key,
                timer,
                name=None if delay is None else f"{delay:g} s",
                scheduled_at=timer.started_at,
                started_at=timer.started_at,
                end=end,
                total=total,
            )
        )
    for key, child in compiled.child_workflows.items():
        child_tries = tuple(
            _task(
                "child",
                key,
                earlier,
                name=_type_label(earlier.workflow_type),
                scheduled_at=earlier.initiated_at,
                started_at=earlier.started_at,
                end=end,
                total=total,
            )
            for earlier in child.tries
        )
        tasks.append(
            _task(
                "child",
                key,
                child,
                name=_type_label(child.workflow_type),
                scheduled_at=child.initiated_at,
                started_at=child.started_at,
                end=end,
                total=total,
                tries=child_tries,
            )
        )
    first_seen = {
        id(task): (task.tries[0].scheduled_at if task.tries else task.scheduled_at)
        for task in tasks
    }
    far = dt.datetime.max.replace(tzinfo=_UTC)
    tasks.sort(key=lambda task: first_seen[id(task)] or far)
    decision_time = sum(
        _seconds(d.scheduled_at, d.closed_at or end) or 0.0 for d in compiled.decision_tasks
    )
    return Timeline(
        workflow_id=workflow_id,
        state=workflow.state or "",
        started_at=workflow.started_at,
        ended_at=end,
        tasks=tuple(tasks),
        decision_time=decision_time,
    )


# -- pending -------------------------------------------------------------------------------------


@attrs.frozen
class Deadline:
    """A timeout that will fire if nothing happens.

    Attributes:
        timeout: which one: ``'schedule_to_start'``, ``'schedule_to_close'``,
            ``'start_to_close'``, ``'heartbeat'``, ``'fire'`` (a timer) or
            ``'execution'`` (a child's start-to-close).
        seconds: the timeout's length.
        at: when it fires.
        left: seconds left from ``now`` (negative: overdue).
    """

    timeout: str
    seconds: float
    at: dt.datetime
    left: float


@attrs.frozen
class PendingItem:
    """Something open in an execution, with the time left before each of its timeouts.

    Attributes:
        kind: ``'activity'``, ``'lambda'``, ``'timer'``, ``'child'`` or ``'decision'``.
        id: its id (a decision task: its scheduled event id, as text).
        name: the activity type, child type, Lambda name or timer delay.
        state: ``'scheduled'``, ``'started'``, ``'start_initiated'``...
        since: when it entered that state.
        task_list: the task list it waits on (activities, decision tasks).
        deadlines: its timeouts, soonest first.
    """

    kind: str
    id: str
    name: str | None
    state: str
    since: dt.datetime | None
    task_list: str | None
    deadlines: tuple[Deadline, ...]

    @property
    def next_deadline(self) -> Deadline | None:
        """The soonest timeout, or None when nothing times it out."""
        return self.deadlines[0] if self.deadlines else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "since": None if self.since is None else self.since.isoformat(),
            "task_list": self.task_list,
            "deadlines": [
                {
                    "timeout": d.timeout,
                    "seconds": d.seconds,
                    "at": d.at.isoformat(),
                    "left": d.left,
                }
                for d in self.deadlines
            ],
        }


def _deadlines(
    now: dt.datetime, *specs: tuple[str, Any, dt.datetime | None]
) -> tuple[Deadline, ...]:
    found = []
    for name, value, start in specs:
        seconds = _timeout(value)
        if seconds is None or start is None:
            continue
        at = start + dt.timedelta(seconds=seconds)
        found.append(Deadline(name, seconds, at, (at - now).total_seconds()))
    return tuple(sorted(found, key=lambda d: d.at))


_TYPE_DEFAULTS = {
    "scheduleToStartTimeout": "defaultTaskScheduleToStartTimeout",
    "scheduleToCloseTimeout": "defaultTaskScheduleToCloseTimeout",
    "startToCloseTimeout": "defaultTaskStartToCloseTimeout",
    "heartbeatTimeout": "defaultTaskHeartbeatTimeout",
}


def _type_defaults(execution: Any) -> Any:
    """A lookup of an activity type's registered timeouts, by ``activityType`` reference.

    SWF records the timeouts in effect in ``ActivityTaskScheduled``; some backends (moto)
    record only those the decision gave. The type's registered defaults fill the gap.
    """
    from swf.exceptions import SWFError

    cache: dict[tuple[str, str], dict[str, Any]] = {}

    def lookup(ref: Mapping[str, Any] | None) -> Mapping[str, Any]:
        if execution is None or not ref:
            return {}
        key = (str(ref.get("name")), str(ref.get("version")))
        if key not in cache:
            try:
                response = execution.connection.call(
                    "DescribeActivityType",
                    domain=execution.domain.name,
                    activityType={"name": key[0], "version": key[1]},
                )
            except SWFError:
                response = {}
            conf = response.get("configuration") or {}
            cache[key] = {
                ours: conf[theirs] for ours, theirs in _TYPE_DEFAULTS.items() if theirs in conf
            }
        return cache[key]

    return lookup


def _pending(
    compiled: CompiledHistory, now: dt.datetime, execution: Any = None
) -> list[PendingItem]:
    items: list[PendingItem] = []
    defaults = _type_defaults(execution)
    for key, activity in compiled.activities.items():
        if activity.state not in ("scheduled", "started"):
            continue
        attrs_ = activity.scheduled_event.attributes if activity.scheduled_event else {}
        if any(name not in attrs_ for name in _TYPE_DEFAULTS):
            attrs_ = {**defaults(activity.activity_type), **attrs_}
        scheduled, started = activity.scheduled_at, activity.started_at
        specs: list[tuple[str, Any, dt.datetime | None]] = [
            ("schedule_to_close", attrs_.get("scheduleToCloseTimeout"), scheduled)
        ]
        if started is None:
            specs.append(("schedule_to_start", attrs_.get("scheduleToStartTimeout"), scheduled))
        else:
            specs.append(("start_to_close", attrs_.get("startToCloseTimeout"), started))
            specs.append(("heartbeat", attrs_.get("heartbeatTimeout"), started))
        items.append(
            PendingItem(
                "activity",
                key,
                _type_label(activity.activity_type),
                activity.state,
                started or scheduled,
                activity.task_list,
                _deadlines(now, *specs),
            )
        )
    for key, function in compiled.lambda_functions.items():
        if function.state not in ("scheduled", "started"):
            continue
        attrs_ = function.scheduled_event.attributes if function.scheduled_event else {}
        start = function.started_at or function.scheduled_at
        items.append(
            PendingItem(
                "lambda",
                key,
                function.name,
                function.state,
                start,
                None,
                _deadlines(now, ("start_to_close", attrs_.get("startToCloseTimeout"), start)),
            )
        )
    for key, timer in compiled.timers.items():
        if timer.state != "started":
            continue
        items.append(
            PendingItem(
                "timer",
                key,
                None
                if _timeout(timer.start_to_fire_timeout) is None
                else f"{_timeout(timer.start_to_fire_timeout):g} s",
                timer.state,
                timer.started_at,
                None,
                _deadlines(now, ("fire", timer.start_to_fire_timeout, timer.started_at)),
            )
        )
    for key, child in compiled.child_workflows.items():
        if child.state not in ("start_initiated", "started"):
            continue
        attrs_ = child.initiated_event.attributes if child.initiated_event else {}
        start = child.started_at or child.initiated_at
        items.append(
            PendingItem(
                "child",
                key,
                _type_label(child.workflow_type),
                child.state,
                start,
                (attrs_.get("taskList") or {}).get("name"),
                _deadlines(now, ("execution", attrs_.get("executionStartToCloseTimeout"), start)),
            )
        )
    for decision in compiled.decision_tasks:
        if decision.state not in ("scheduled", "started"):
            continue
        attrs_ = decision.scheduled_event.attributes if decision.scheduled_event else {}
        specs = []
        if decision.started_at is not None:
            specs.append(("start_to_close", attrs_.get("startToCloseTimeout"), decision.started_at))
        items.append(
            PendingItem(
                "decision",
                str(decision.scheduled_event_id),
                None,
                decision.state,
                decision.started_at or decision.scheduled_at,
                (attrs_.get("taskList") or {}).get("name"),
                _deadlines(now, *specs),
            )
        )
    return items


def pending(
    source: Any, *, now: dt.datetime | None = None, history: History | None = None
) -> list[PendingItem]:
    """The open activities, Lambda functions, timers, children and decision tasks.

    Each comes with its timeouts and the time left before each (see :class:`Deadline`);
    heartbeat deadlines assume no heartbeat since the task started (SWF does not record
    heartbeats in the history).

    Args:
        source: a :class:`~swf.models.WorkflowExecution`, a History or a compiled history.
        now: the reference time (default: the current time).
        history: the execution's history when already downloaded (with an execution).

    Returns:
        The open items, in the order activities, Lambda functions, timers, children,
        decision tasks.
    """
    compiled, _, execution, _ = _resolve(source, history)
    return _pending(compiled, now or dt.datetime.now(_UTC), execution)


# -- diagnose ------------------------------------------------------------------------------------

#: Finding levels, worst first.
LEVELS = ("error", "warning", "info")


@attrs.frozen
class Finding:
    """One plain-language finding of :func:`diagnose`.

    Attributes:
        level: ``'error'`` (it will not progress on its own), ``'warning'`` or ``'info'``.
        code: a stable identifier for scripts: ``'no-decider'``, ``'no-worker'``,
            ``'heartbeat'``, ``'timeout-soon'``, ``'open-activities'``, ``'history-size'``,
            ``'last-failure'``, ``'decision-timeouts'``, ``'closed'``, ``'idle'``,
            ``'open'``.
        message: the finding, in a sentence.
        subject: what it is about (``"activity 'a3'"``, ``"task list 'workers'"``), if any.
    """

    level: str
    code: str
    message: str
    subject: str | None = None

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _count_pending(execution: Any, operation: str, task_list: str) -> int | None:
    """SWF's backlog of a task list, or None when it cannot be read."""
    from swf.exceptions import SWFError

    try:
        response = execution.connection.call(
            operation, domain=execution.domain.name, taskList={"name": task_list}
        )
    except (SWFError, NotImplementedError):  # a backend without the Count operations
        return None
    return int(response.get("count", 0))


def _last_failure(compiled: CompiledHistory) -> Finding | None:
    """The most recent task (or try) that ended badly, with its reason."""
    candidates: list[tuple[int, str, Any]] = []
    for kind, records in (
        ("activity", compiled.activities),
        ("Lambda function", compiled.lambda_functions),
        ("child workflow", compiled.child_workflows),
        ("timer", compiled.timers),
    ):
        for key, record in records.items():
            for one in (*getattr(record, "tries", ()), record):
                if one.state in FAILED_STATES and one.closed_event_id is not None:
                    candidates.append((one.closed_event_id, f"{kind} {key!r}", one))
    for event in compiled.workflow.failed_decisions:
        candidates.append((event.id, "decision", event))
    if not candidates:
        return None
    _, subject, record = max(candidates, key=lambda c: c[0])
    if subject == "decision":
        cause = record.attributes.get("cause")
        message = f"the decision {record.event_type} was refused by SWF (cause {cause})"
        return Finding("warning", "last-failure", message, subject)
    state = record.state.replace("_", " ")
    why = record.reason or record.timeout_type or record.cause or getattr(record, "message", None)
    attempt = f" (attempt {record.attempts})" if getattr(record, "attempts", 1) > 1 else ""
    message = f"last failure: {subject} {state}{attempt}"
    if why:
        message += f": {why}"
    if record.details:
        # Details are often a traceback: its last line says the most.
        lines = [line.strip() for line in str(record.details).splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        if last and (not why or str(why) not in last):
            message += f" ({last[:160]}{'...' if len(last) > 160 else ''})"
    return Finding("warning", "last-failure", message, subject)


def diagnose(
    source: Any,
    *,
    now: dt.datetime | None = None,
    stuck_after: float = 30.0,
    near: float = LIMIT_WARNING_SHARE,
    history: History | None = None,
) -> list[Finding]:
    """Explain, in plain language, what an execution is doing or why it is stuck.

    Looks for: decision or activity tasks nobody picks up (and, given an execution, SWF's
    backlog of their task list: CountPendingDecisionTasks / CountPendingActivityTasks),
    heartbeats and other timeouts about to fire, open activities near SWF's 1,000 limit,
    a history near its 25,000-event limit, repeated decision task timeouts, and the last
    failure with its reason.

    Args:
        source: a :class:`~swf.models.WorkflowExecution` (task list backlogs are checked
            too), a History or a compiled history.
        now: the reference time (default: the current time).
        stuck_after: seconds a task may wait to be picked up before it is reported.
        near: the share of a limit or timeout at which to warn (0.8: 80 %).
        history: the execution's history when already downloaded (with an execution).

    Returns:
        The findings, errors first, then warnings, then information.
    """
    compiled, n_events, execution, _ = _resolve(source, history)
    now = now or dt.datetime.now(_UTC)
    workflow = compiled.workflow
    findings: list[Finding] = []
    is_open = workflow.is_open
    if not is_open:
        state = workflow.state.replace("_", " ")
        bad = workflow.state in FAILED_STATES
        text = f"the execution is closed: {state}"
        why = workflow.reason or workflow.timeout_type or workflow.cause
        if bad and why:
            text += f" ({why})"
        findings.append(Finding("error" if bad else "info", "closed", text, "workflow"))

    items = _pending(compiled, now, execution) if is_open else []
    waiting_lists: dict[tuple[str, str], float] = {}
    for item in items:
        if item.since is None:
            continue
        age = (now - item.since).total_seconds()
        if item.kind in ("decision", "activity") and item.state == "scheduled":
            key = (item.kind, item.task_list or "")
            waiting_lists[key] = max(waiting_lists.get(key, 0.0), age)
        for deadline in item.deadlines:
            if deadline.timeout == "fire" or deadline.seconds <= 0:
                continue
            used = 1.0 - deadline.left / deadline.seconds
            if used < near:
                continue
            what = f"{item.kind} {item.id!r}"
            late = deadline.left <= 0
            when = "is overdue" if late else f"fires in {_ago(deadline.left)}"
            if deadline.timeout == "heartbeat":
                message = (
                    f"{what}: heartbeat timeout ({deadline.seconds:g} s) {when} unless its "
                    f"worker heartbeated since it started {_ago(age)} ago"
                )
                findings.append(Finding("warning", "heartbeat", message, what))
            else:
                name = deadline.timeout.replace("_", "-")
                message = f"{what}: {name} timeout ({deadline.seconds:g} s) {when}"
                findings.append(Finding("warning", "timeout-soon", message, what))

    for (kind, task_list), age in sorted(
        waiting_lists.items(), key=lambda item: (item[0][0] != "decision", item[0][1])
    ):
        if age < stuck_after:
            continue
        who = "decider" if kind == "decision" else "worker"
        operation = (
            "CountPendingDecisionTasks" if kind == "decision" else "CountPendingActivityTasks"
        )
        backlog = _count_pending(execution, operation, task_list) if execution else None
        where = f"task list {task_list!r}"
        message = f"no {who} seems to poll {where}: a {kind} task has waited {_ago(age)}"
        if backlog is not None:
            message += f"; {backlog} {kind} task{'s' if backlog != 1 else ''} pending there"
        findings.append(Finding("error", f"no-{who}", message, where))

    open_activities = len(compiled.open_activities)
    if open_activities >= near * MAX_OPEN_ACTIVITIES:
        findings.append(
            Finding(
                "warning",
                "open-activities",
                f"{open_activities} open activities: SWF refuses to schedule more than "
                f"{MAX_OPEN_ACTIVITIES}",
            )
        )
    if n_events >= near * MAX_HISTORY_EVENTS:
        findings.append(
            Finding(
                "warning",
                "history-size",
                f"the history has {n_events} events; SWF terminates an execution at "
                f"{MAX_HISTORY_EVENTS}: continue as new",
            )
        )
    timed_out = sum(1 for d in compiled.decision_tasks if d.state == "timed_out")
    if timed_out:
        findings.append(
            Finding(
                "warning",
                "decision-timeouts",
                f"{timed_out} decision task{'s' if timed_out > 1 else ''} timed out: a decider "
                "took too long or died while deciding",
            )
        )
    failure = _last_failure(compiled)
    if failure is not None:
        findings.append(failure)
    if is_open and not items:
        findings.append(
            Finding(
                "warning",
                "idle",
                "the execution is open with nothing scheduled: it waits for a signal, a "
                "cancellation or its timeout",
                "workflow",
            )
        )
    if is_open and not any(f.level == "error" for f in findings):
        running = sum(1 for i in items if i.kind != "decision")
        started = workflow.started_at
        since = f" for {_ago((now - started).total_seconds())}" if started else ""
        findings.append(
            Finding(
                "info",
                "open",
                f"the execution is open{since} with {running} open "
                f"task{'s' if running != 1 else ''}",
                "workflow",
            )
        )
    findings.sort(key=lambda f: LEVELS.index(f.level))
    return findings


# -- SVG Gantt chart ----------------------------------------------------------------------------

_COLORS = {
    "wait": "#a9c7e8",
    "run": "#2f6db5",
    "wait_failed": "#f2b8b5",
    "run_failed": "#c62828",
    "grid": "#e3e3e3",
    "text": "#222222",
    "muted": "#666666",
}


def _fmt_axis(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g}s"
    if seconds < 7200:
        return f"{seconds / 60:g}m"
    return f"{seconds / 3600:g}h"


def _nice_step(total: float, ticks: int = 8) -> float:
    raw = max(total / ticks, 1e-3)
    magnitude = 10.0 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _svg(t: Timeline, width: int, title: str | None) -> str:
    esc = html.escape
    row_h, bar_h, top, left, right, bottom = 22, 14, 64, 230, 24, 40
    rows = list(t.tasks)
    height = top + max(len(rows), 1) * row_h + bottom
    origin = t.started_at
    total = t.total or 0.0
    if origin is None:
        starts = [x.scheduled_at for x in rows if x.scheduled_at is not None]
        origin = min(starts) if starts else None
    span = max(total, 1e-3)
    plot_w = width - left - right

    def x(at: dt.datetime | None) -> float:
        if at is None or origin is None:
            return float(left)
        return left + plot_w * min(max((at - origin).total_seconds() / span, 0.0), 1.0)

    heading = title or f"{t.workflow_id or 'execution'}: {t.state or 'open'}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="12">',
        "<defs>"
        '<pattern id="open" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{_COLORS["run"]}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>'
        "</pattern></defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold" fill="{_COLORS["text"]}">'
        f"{esc(heading)}</text>",
        f'<text x="12" y="40" fill="{_COLORS["muted"]}">total {total:.3f} s, '
        f"{len(rows)} task{'s' if len(rows) != 1 else ''}</text>",
    ]
    # Legend.
    lx = width - right - 330
    for n, (label, color) in enumerate(
        (
            ("waiting", _COLORS["wait"]),
            ("running", _COLORS["run"]),
            ("failed", _COLORS["run_failed"]),
            ("open", "url(#open)"),
        )
    ):
        out.append(
            f'<rect x="{lx + n * 82}" y="30" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx + n * 82 + 16}" y="40" fill="{_COLORS["text"]}">{label}</text>'
        )
    # Grid and axis.
    step = _nice_step(span)
    tick = 0.0
    axis_y = top + len(rows) * row_h + 4
    while tick <= span + 1e-9:
        tx = left + plot_w * tick / span
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{axis_y}" '
            f'stroke="{_COLORS["grid"]}"/>'
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" '
            f'fill="{_COLORS["muted"]}">{_fmt_axis(round(tick, 6))}</text>'
        )
        tick += step
    # Rows.
    for n, task in enumerate(rows):
        y = top + n * row_h
        label = f"{task.kind} {task.id}"
        if len(label) > 32:
            label = label[:31] + "\u2026"
        out.append(
            f'<text x="{left - 8}" y="{y + bar_h - 2}" text-anchor="end" '
            f'fill="{_COLORS["text"]}">{esc(label)}</text>'
        )
        for one in (*task.tries, task):
            out.extend(_bars(one, y, x, t.ended_at))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _bars(task: Task, y: int, x: Any, end: dt.datetime | None) -> list[str]:
    esc = html.escape
    bar_h = 14
    failed = task.failed
    stop = task.closed_at or end
    parts: list[str] = []
    tip = (
        f"{task.kind} {task.id} ({task.name or '-'}): {task.state}, attempt {task.attempts}, "
        f"wait {task.wait or 0:.3f} s, run {task.run or 0:.3f} s"
    )
    if task.reason:
        tip += f", {task.reason}"
    wait_end = task.started_at or stop
    if task.scheduled_at is not None and wait_end is not None:
        x0, x1 = x(task.scheduled_at), x(wait_end)
        color = _COLORS["wait_failed"] if failed else _COLORS["wait"]
        parts.append(
            f'<rect class="wait" x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{bar_h}" fill="{color}"><title>{esc(tip)}</title></rect>'
        )
    if task.started_at is not None and stop is not None:
        x0, x1 = x(task.started_at), x(stop)
        if failed:
            fill = _COLORS["run_failed"]
        elif task.closed_at is None:
            fill = "url(#open)"
        else:
            fill = _COLORS["run"]
        parts.append(
            f'<rect class="run" x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{bar_h}" fill="{fill}"><title>{esc(tip)}</title></rect>'
        )
    if failed and stop is not None:
        cx = x(stop)
        parts.append(
            f'<path class="failure" d="M{cx - 4:.1f} {y - 1} l8 8 m0 -8 l-8 8" '
            f'stroke="{_COLORS["run_failed"]}" stroke-width="2" '
            f'transform="translate(4 {bar_h / 2 - 3:.1f})"><title>{esc(tip)}</title></path>'
        )
    return parts
