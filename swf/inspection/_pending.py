"""What an execution waits for: its open tasks, each with the time left before its timeouts.

SWF does not record heartbeats in the history, so heartbeat deadlines count from the task's
start: they are what is left *if the worker has not heartbeated since*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from swf.inspection._common import ActivityTypes, Source, resolve, timeout_seconds, type_label
from swf.models.history import CompiledHistory, History

__all__ = ["Deadline", "PendingItem", "open_items", "pending"]


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
        seconds = timeout_seconds(value)
        if seconds is None or start is None:
            continue
        at = start + dt.timedelta(seconds=seconds)
        found.append(Deadline(name, seconds, at, (at - now).total_seconds()))
    return tuple(sorted(found, key=lambda d: d.at))


#: The timeouts of ``ActivityTaskScheduled`` and the activity type's defaults for each.
_TYPE_DEFAULTS = {
    "scheduleToStartTimeout": "task_schedule_to_start_timeout",
    "scheduleToCloseTimeout": "task_schedule_to_close_timeout",
    "startToCloseTimeout": "task_start_to_close_timeout",
    "heartbeatTimeout": "task_heartbeat_timeout",
}


def _type_defaults(
    activity_types: ActivityTypes | None, ref: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The registered timeouts of the activity type ``ref``, keyed as in the scheduled event."""
    if activity_types is None or not ref:
        return {}
    found = activity_types(str(ref.get("name")), str(ref.get("version")))
    if found is None:
        return {}
    return {
        ours: value
        for ours, field in _TYPE_DEFAULTS.items()
        if (value := getattr(found, field)) is not None
    }


def open_items(
    compiled: CompiledHistory, now: dt.datetime, activity_types: ActivityTypes | None = None
) -> list[PendingItem]:
    """What :func:`pending` returns, from a compiled history and a reference time."""
    items: list[PendingItem] = []
    for key, activity in compiled.activities.items():
        if not activity.is_open:
            continue
        attrs_ = activity.scheduled_event.attributes if activity.scheduled_event else {}
        if any(name not in attrs_ for name in _TYPE_DEFAULTS):
            attrs_ = {**_type_defaults(activity_types, activity.activity_type), **attrs_}
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
                type_label(activity.activity_type),
                activity.state,
                started or scheduled,
                activity.task_list,
                _deadlines(now, *specs),
            )
        )
    for key, function in compiled.lambda_functions.items():
        if not function.is_open:
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
                if timeout_seconds(timer.start_to_fire_timeout) is None
                else f"{timeout_seconds(timer.start_to_fire_timeout):g} s",
                timer.state,
                timer.started_at,
                None,
                _deadlines(now, ("fire", timer.start_to_fire_timeout, timer.started_at)),
            )
        )
    for key, child in compiled.child_workflows.items():
        if not child.is_open:
            continue
        attrs_ = child.initiated_event.attributes if child.initiated_event else {}
        start = child.started_at or child.initiated_at
        items.append(
            PendingItem(
                "child",
                key,
                type_label(child.workflow_type),
                child.state,
                start,
                (attrs_.get("taskList") or {}).get("name"),
                _deadlines(now, ("execution", attrs_.get("executionStartToCloseTimeout"), start)),
            )
        )
    for decision in compiled.decision_tasks:
        if not decision.is_open:
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
    source: Source,
    *,
    now: dt.datetime | None = None,
    history: History | None = None,
    activity_types: ActivityTypes | None = None,
) -> list[PendingItem]:
    """The open activities, Lambda functions, timers, children and decision tasks.

    Each comes with its timeouts and the time left before each (see :class:`Deadline`);
    heartbeat deadlines assume no heartbeat since the task started (SWF does not record
    heartbeats in the history).

    Args:
        source: a :class:`~swf.models.WorkflowExecution`, a History or a compiled history.
        now: the reference time (default: the current time for an execution, the last event
            for a history).
        history: the execution's history when already downloaded (with an execution).
        activity_types: looks up an activity type's registered timeouts by name and version,
            for scheduled events that lack them (default: none for a history; for an
            execution, DescribeActivityType, once per type).

    Returns:
        The open items, in the order activities, Lambda functions, timers, children,
        decision tasks.

    Raises:
        TypeError: ``source`` is neither an execution nor a history.
    """
    resolved = resolve(source, history, activity_types)
    return open_items(resolved.compiled, resolved.clock(now), resolved.activity_types)
