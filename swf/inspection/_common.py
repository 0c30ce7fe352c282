"""What the inspection functions share: their sources, their clock, and SWF's durations.

Inspection is pure: it reads a compiled history and a reference time. What it may also want
from SWF (an activity type's registered timeouts, a task list's backlog) comes in as a lookup;
given an execution, :func:`resolve` builds those lookups from the models' public API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from swf import states
from swf.exceptions import SWFError
from swf.models import ActivityType, Domain, WorkflowExecution
from swf.models.history import CompiledHistory, History

__all__ = [
    "FAILED_STATES",
    "ActivityTypes",
    "Backlog",
    "Resolved",
    "Source",
    "registered_types",
    "resolve",
    "seconds_between",
    "task_list_backlog",
    "timeout_seconds",
    "type_label",
]

#: What the inspection functions read: an execution (its history is downloaded), a history,
#: or an already compiled history.
Source = WorkflowExecution | History | CompiledHistory

#: A lookup of an activity type's registered defaults: ``(name, version)`` -> the type, or None
#: when unknown. SWF records the timeouts in effect in ``ActivityTaskScheduled``; some backends
#: (moto) record only those the decision gave, and the type's defaults fill the gap.
ActivityTypes = Callable[[str, str], ActivityType | None]

#: A lookup of a task list's backlog: ``(kind, task list)`` -> how many tasks wait there, or
#: None when it cannot be read. ``kind`` is ``'activity'`` or ``'decision'``.
Backlog = Callable[[str, str], int | None]

#: States that end a task badly (drawn in red, reported by :func:`~swf.inspection.diagnose`).
FAILED_STATES = states.FAILED_STATES

_UTC = dt.timezone.utc


def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    """Seconds from ``start`` to ``end`` (never negative); None when either is unknown."""
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def timeout_seconds(value: Any) -> float | None:
    """SWF's duration string (``"30"``; ``"NONE"`` or missing: no timeout) as seconds."""
    if value is None or value == "NONE":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def type_label(ref: Mapping[str, Any] | None) -> str | None:
    """An ``activityType`` / ``workflowType`` reference as ``'name version'``."""
    if not ref:
        return None
    return f"{ref.get('name')} {ref.get('version')}".strip()


@attrs.frozen
class Resolved:
    """A source made ready for inspection.

    Attributes:
        compiled: the compiled history.
        events: the number of events.
        workflow_id: the execution's workflow id (None for a bare history).
        live: whether the source is an execution (its open tasks run until now).
        activity_types: the activity type lookup (given, or built from the execution).
        backlog: the task list backlog lookup (given, or built from the execution).
    """

    compiled: CompiledHistory
    events: int
    workflow_id: str | None
    live: bool
    activity_types: ActivityTypes | None = None
    backlog: Backlog | None = None

    def end(self, now: dt.datetime | None) -> dt.datetime | None:
        """Where open things stop: the close, else ``now``, else :meth:`default_now`."""
        if self.compiled.workflow.closed_at is not None:
            return self.compiled.workflow.closed_at
        if now is not None:
            return now
        return self.default_now()

    def clock(self, now: dt.datetime | None) -> dt.datetime:
        """The reference time: ``now`` if given, else :meth:`default_now` (else the wall clock)."""
        return now or self.default_now() or dt.datetime.now(_UTC)

    def default_now(self) -> dt.datetime | None:
        """The current time for an execution; for a history, the last time it records.

        A saved history is read as of its last event, not as of today: a history saved last
        year did not wait a year.
        """
        if self.live:
            return dt.datetime.now(_UTC)
        compiled = self.compiled
        if compiled.workflow.closed_at is not None:
            return compiled.workflow.closed_at
        last = [
            t
            for t in (
                *(
                    r.closed_at or r.started_at or r.scheduled_at
                    for r in compiled.activities.values()
                ),
                *(r.closed_at or r.started_at for r in compiled.timers.values()),
                *(d.closed_at or d.started_at or d.scheduled_at for d in compiled.decision_tasks),
                compiled.workflow.started_at,
            )
            if t is not None
        ]
        return max(last) if last else None


def resolve(
    source: Source,
    history: History | None = None,
    activity_types: ActivityTypes | None = None,
    backlog: Backlog | None = None,
) -> Resolved:
    """Compile ``source`` and, for an execution, build the lookups not given.

    Raises:
        TypeError: ``source`` is none of the three.
    """
    if isinstance(source, WorkflowExecution):
        if history is None:
            history = source.history()
        return Resolved(
            history.compiled,
            len(history),
            source.workflow_id,
            True,
            activity_types if activity_types is not None else registered_types(source),
            backlog if backlog is not None else task_list_backlog(source),
        )
    if isinstance(source, History):
        # A history does not name its execution.
        return Resolved(source.compiled, len(source), None, False, activity_types, backlog)
    if isinstance(source, CompiledHistory):
        return Resolved(source, source.last_event_id, None, False, activity_types, backlog)
    raise TypeError(
        f"expected a WorkflowExecution, a History or a CompiledHistory, got {type(source).__name__}"
    )


def registered_types(execution: WorkflowExecution) -> ActivityTypes:
    """The activity types of the execution's domain, described once each (DescribeActivityType)."""
    cache: dict[tuple[str, str], ActivityType | None] = {}

    def lookup(name: str, version: str) -> ActivityType | None:
        key = (name, version)
        if key not in cache:
            try:
                cache[key] = ActivityType(
                    execution.domain.name, name, version, client=execution.connection
                ).upstream()
            except SWFError:  # unknown, deprecated away, or unreadable: no defaults
                cache[key] = None
        return cache[key]

    return lookup


def task_list_backlog(execution: WorkflowExecution) -> Backlog:
    """SWF's count of the tasks waiting in a task list of the execution's domain."""
    domain = Domain(execution.domain.name, client=execution.connection)

    def lookup(kind: str, task_list: str) -> int | None:
        try:
            if kind == "decision":
                return domain.count_pending_decision_tasks(task_list)
            return domain.count_pending_activity_tasks(task_list)
        except (SWFError, NotImplementedError):  # a backend without the Count operations
            return None

    return lookup
