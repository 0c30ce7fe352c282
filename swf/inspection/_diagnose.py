"""Why an execution is stuck: plain-language findings, worst first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from swf import constants
from swf.inspection._common import FAILED_STATES, ActivityTypes, Backlog, Source, resolve
from swf.inspection._pending import open_items
from swf.models.history import CompiledHistory, History
from swf.validation import truncate

__all__ = ["LEVELS", "Finding", "diagnose"]

#: SWF's limits, and the share of them at which :func:`diagnose` warns.
MAX_OPEN_ACTIVITIES = constants.MAX_OPEN_ACTIVITIES
MAX_HISTORY_EVENTS = constants.MAX_HISTORY_EVENTS
LIMIT_WARNING_SHARE = 0.8

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


#: How the summary names each kind of pending item: (one, several).
_KIND_NAMES = {
    "decision": ("decision task", "decision tasks"),
    "activity": ("activity", "activities"),
    "lambda": ("Lambda function", "Lambda functions"),
    "timer": ("timer", "timers"),
    "child": ("child workflow", "child workflows"),
}


def _pending(items: list[Any]) -> str:
    """What is pending, counted as :func:`~swf.inspection.pending` lists it (and
    ``swf tasks --pending`` prints it): ``"2 pending tasks: 1 activity, 1 decision task"``."""
    if not items:
        return "nothing pending"
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    parts = [f"{n} {_KIND_NAMES.get(kind, (kind, kind))[n != 1]}" for kind, n in counts.items()]
    total = len(items)
    return f"{total} pending task{'s' if total != 1 else ''}: {', '.join(parts)}"


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
            message += f" ({truncate(last, 160)})"
    return Finding("warning", "last-failure", message, subject)


def diagnose(
    source: Source,
    *,
    now: dt.datetime | None = None,
    stuck_after: float = 30.0,
    near: float = LIMIT_WARNING_SHARE,
    history: History | None = None,
    activity_types: ActivityTypes | None = None,
    backlog: Backlog | None = None,
) -> list[Finding]:
    """Explain, in plain language, what an execution is doing or why it is stuck.

    Looks for: decision or activity tasks nobody picks up (and SWF's backlog of their task
    list: CountPendingDecisionTasks / CountPendingActivityTasks), heartbeats and other
    timeouts about to fire, open activities near SWF's 1,000 limit, a history near its
    25,000-event limit, repeated decision task timeouts, and the last failure with its reason.

    Args:
        source: a :class:`~swf.models.WorkflowExecution` (task list backlogs are checked
            too), a History or a compiled history.
        now: the reference time (default: the current time for an execution, the last event
            for a history).
        stuck_after: seconds a task may wait to be picked up before it is reported.
        near: the share of a limit or timeout at which to warn (0.8: 80 %).
        history: the execution's history when already downloaded (with an execution).
        activity_types: looks up an activity type's registered timeouts (see
            :func:`~swf.inspection.pending`).
        backlog: counts the tasks waiting in a task list, given ``'activity'`` or
            ``'decision'`` and its name (default: none for a history; for an execution,
            :meth:`Domain.count_pending_activity_tasks
            <swf.models.Domain.count_pending_activity_tasks>` and its decision twin).

    Returns:
        The findings, errors first, then warnings, then information.

    Raises:
        TypeError: ``source`` is neither an execution nor a history.
    """
    resolved = resolve(source, history, activity_types, backlog)
    compiled, n_events = resolved.compiled, resolved.events
    now = resolved.clock(now)
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

    items = open_items(compiled, now, resolved.activity_types) if is_open else []
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
        waiting = resolved.backlog(kind, task_list) if resolved.backlog else None
        where = f"task list {task_list!r}"
        message = f"no {who} seems to poll {where}: a {kind} task has waited {_ago(age)}"
        if waiting is not None:
            message += f"; {waiting} {kind} task{'s' if waiting != 1 else ''} pending there"
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
        started = workflow.started_at
        since = f" for {_ago((now - started).total_seconds())}" if started else ""
        findings.append(
            Finding(
                "info", "open", f"the execution is open{since} with {_pending(items)}", "workflow"
            )
        )
    findings.sort(key=lambda f: LEVELS.index(f.level))
    return findings
