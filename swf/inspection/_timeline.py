"""The timeline of an execution: per task, when it was scheduled, started and closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from swf.inspection._common import (
    FAILED_STATES,
    Source,
    resolve,
    seconds_between,
    timeout_seconds,
    type_label,
)
from swf.inspection._svg import draw
from swf.models.history import History

__all__ = ["Task", "Timeline", "timeline"]

_UTC = dt.timezone.utc


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
        return seconds_between(self.started_at, self.ended_at)

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
        return draw(self, width, title)


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
        wait = seconds_between(scheduled_at, started_at)
        run = seconds_between(started_at, stop)
    else:
        wait = seconds_between(scheduled_at, stop)
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
    source: Source, *, now: dt.datetime | None = None, history: History | None = None
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
        TypeError: ``source`` is neither an execution nor a history.
    """
    resolved = resolve(source, history)
    compiled = resolved.compiled
    workflow = compiled.workflow
    end = resolved.end(now)
    total = seconds_between(workflow.started_at, end)
    tasks: list[Task] = []
    for key, activity in compiled.activities.items():
        tasks.append(
            _scheduled_task(
                "activity", key, activity, type_label(activity.activity_type), end, total
            )
        )
    for key, function in compiled.lambda_functions.items():
        tasks.append(_scheduled_task("lambda", key, function, function.name, end, total))
    for key, timer in compiled.timers.items():
        delay = timeout_seconds(timer.start_to_fire_timeout)
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
                name=type_label(earlier.workflow_type),
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
                name=type_label(child.workflow_type),
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
        seconds_between(d.scheduled_at, d.closed_at or end) or 0.0 for d in compiled.decision_tasks
    )
    return Timeline(
        workflow_id=resolved.workflow_id,
        state=workflow.state or "",
        started_at=workflow.started_at,
        ended_at=end,
        tasks=tuple(tasks),
        decision_time=decision_time,
    )
