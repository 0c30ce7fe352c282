"""Execution inspection: where the time went, what is pending, and why an execution is stuck.

Three pure functions, each reading a :class:`~swf.models.WorkflowExecution` (its history is
downloaded), a :class:`~swf.models.history.History`, or an already compiled history::

    from swf.inspection import timeline, pending, diagnose
    t = timeline(execution)
    for task in t:                   # one per activity, Lambda function, timer, child
        print(task.kind, task.id, task.state, task.attempts, task.wait, task.run, task.share)
    open("run.svg", "w").write(t.to_svg())   # a Gantt chart, no plotting library needed

    for item in pending(execution):  # open activities, timers, children, decision task
        print(item.kind, item.id, item.next_deadline)

    for finding in diagnose(execution):     # plain-language findings, worst first
        print(finding)

Durations are seconds (floats). Open tasks run "until now": the current time for an
execution, the last event for a history; pass ``now=`` to freeze the clock (tests, reports).

What they may want from SWF besides the history comes in as lookups (``activity_types=``,
``backlog=``); given an execution, they are built from the models' public API
(:meth:`ActivityType.upstream <swf.models.ActivityType.upstream>`,
:meth:`Domain.count_pending_activity_tasks <swf.models.Domain.count_pending_activity_tasks>`).
This package sits above the models: the models never import it.

SWF does not record heartbeats in the history, so heartbeat deadlines count from the task's
start: they are what is left *if the worker has not heartbeated since*.
"""

from __future__ import annotations

from swf.inspection._common import ActivityTypes, Backlog, Source
from swf.inspection._diagnose import Finding, diagnose
from swf.inspection._pending import Deadline, PendingItem, pending
from swf.inspection._timeline import Task, Timeline, timeline

__all__ = [
    "ActivityTypes",
    "Backlog",
    "Deadline",
    "Finding",
    "PendingItem",
    "Source",
    "Task",
    "Timeline",
    "diagnose",
    "pending",
    "timeline",
]
