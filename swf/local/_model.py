"""What SWF does to an execution, written on moto's models: events, tasks, timeouts, closes.

Each function takes moto objects (a ``WorkflowExecution``, an ``ActivityTask``...) and must be
called holding :data:`swf.local._engine.LOCK`. They write the events SWF writes, with the
attributes of botocore's SWF service model (camelCase, None left out), and keep moto's own
bookkeeping (states, open counts) true, so that moto's serializers stay usable.

State the extensions add to moto's objects is in attributes prefixed ``_swf_`` (see
:func:`init_execution` and :func:`init_domain`). The decisions are in
:mod:`swf.local._decisions`.
"""

from __future__ import annotations

import time
from typing import Any

from swf.local import _engine
from swf.local._engine import SCHEDULER

NONE = "NONE"
#: SWF's default ``startToCloseTimeout`` of a Lambda task, in seconds.
LAMBDA_TIMEOUT = "300"
CLOSE_DECISIONS = {
    "CompleteWorkflowExecution": "COMPLETED",
    "FailWorkflowExecution": "FAILED",
    "CancelWorkflowExecution": "CANCELED",
    "ContinueAsNewWorkflowExecution": "CONTINUED_AS_NEW",
}

# -- moto's classes, bound by bind() (moto is imported only when the extensions install) ------

_HistoryEvent: Any = None
_DecisionTask: Any = None
_ActivityTask: Any = None
_WorkflowExecution: Any = None
_ValidationFault: Any = None
_DefaultUndefinedFault: Any = None


def bind() -> None:
    """Import the moto classes this module builds."""
    global _HistoryEvent, _DecisionTask, _ActivityTask, _WorkflowExecution
    global _ValidationFault, _DefaultUndefinedFault
    from moto.swf.exceptions import SWFDefaultUndefinedFault, SWFValidationException
    from moto.swf.models.activity_task import ActivityTask
    from moto.swf.models.decision_task import DecisionTask
    from moto.swf.models.history_event import HistoryEvent
    from moto.swf.models.workflow_execution import WorkflowExecution

    _HistoryEvent, _DecisionTask, _ActivityTask = HistoryEvent, DecisionTask, ActivityTask
    _WorkflowExecution = WorkflowExecution
    _ValidationFault, _DefaultUndefinedFault = SWFValidationException, SWFDefaultUndefinedFault


# -- extra state ------------------------------------------------------------------------------


class ChildRecord:
    """A child execution, as its parent tracks it."""

    __slots__ = ("execution", "initiated_event_id", "started_event_id")

    def __init__(self, execution: Any, initiated_event_id: int, started_event_id: int) -> None:
        self.execution = execution
        self.initiated_event_id = initiated_event_id
        self.started_event_id = started_event_id


class LambdaRecord:
    """A Lambda task of an execution."""

    __slots__ = ("function_id", "scheduled_event_id", "started_event_id", "timeout")

    def __init__(self, function_id: str, scheduled_event_id: int, timeout: str) -> None:
        self.function_id = function_id
        self.scheduled_event_id = scheduled_event_id
        self.started_event_id = 0
        self.timeout = timeout


def init_domain(domain: Any) -> None:
    """Add the indexes the extensions keep to a moto ``Domain``."""
    domain._swf_runs = {}  # workflow id -> its runs, oldest first (at most the last is open)
    domain._swf_tokens = {}  # task token -> DecisionTask or ActivityTask
    domain._swf_ready = {}  # ("decision" | "activity", task list) -> scheduled tasks, in order
    domain._swf_created = time.time()


def init_execution(wfe: Any, kwargs: dict[str, Any]) -> None:
    """Add the state the extensions keep to a moto ``WorkflowExecution``."""
    wfe.task_priority = kwargs.get("task_priority") or _type_default(wfe, "task_priority")
    wfe.lambda_role = kwargs.get("lambda_role") or _type_default(wfe, "lambda_role")
    wfe._swf_scheduled_decision = None
    wfe._swf_started_decision = None
    wfe._swf_decision_tasks = []
    wfe._swf_activity_tasks = []
    wfe._swf_open_activities = {}  # activity id -> ActivityTask
    wfe._swf_lambdas = {}  # lambda id -> LambdaRecord (open ones)
    wfe._swf_children = {}  # workflow id -> ChildRecord (open ones)
    wfe._swf_parent = kwargs.get("parent")
    wfe._swf_parent_initiated_event_id = kwargs.get("parent_initiated_event_id")
    wfe._swf_continued_from = kwargs.get("continued_execution_run_id")
    wfe._swf_next_task_list = None
    wfe._swf_next_schedule_to_start = None
    wfe._swf_gone = False
    if wfe._swf_parent is not None:
        wfe.parent = short(wfe._swf_parent)


def _type_default(wfe: Any, name: str) -> Any:
    return getattr(wfe.workflow_type, f"default_{name}", None)


def short(wfe: Any) -> dict[str, str]:
    """``{"workflowId", "runId"}`` of an execution."""
    return {"workflowId": wfe.workflow_id, "runId": wfe.run_id}


def type_dict(moto_type: Any) -> dict[str, str]:
    """``{"name", "version"}`` of a workflow or activity type."""
    return {"name": moto_type.name, "version": moto_type.version}


def is_set(value: Any) -> bool:
    return value is not None and value != NONE


def seconds(value: Any) -> float:
    return float(int(value))


# -- events -----------------------------------------------------------------------------------


def add_event(wfe: Any, event_type: str, **attributes: Any) -> Any:
    """Append one event to the execution's history (None attributes are left out)."""
    event = _HistoryEvent.__new__(_HistoryEvent)
    event.event_id = len(wfe._events) + 1
    event.event_type = event_type
    event.event_timestamp = time.time()
    event.event_attributes = {k: v for k, v in attributes.items() if v is not None}
    wfe._events.append(event)
    return event


# -- starting and closing executions ----------------------------------------------------------


def start_execution(wfe: Any) -> None:
    """Write ``WorkflowExecutionStarted``, schedule the first decision task, arm the timeout."""
    wfe.start_timestamp = time.time()
    parent = wfe._swf_parent
    add_event(
        wfe,
        "WorkflowExecutionStarted",
        input=wfe.input,
        executionStartToCloseTimeout=wfe.execution_start_to_close_timeout,
        taskStartToCloseTimeout=wfe.task_start_to_close_timeout,
        childPolicy=wfe.child_policy,
        taskList={"name": wfe.task_list},
        taskPriority=wfe.task_priority,
        workflowType=type_dict(wfe.workflow_type),
        tagList=list(wfe.tag_list) or None,
        continuedExecutionRunId=wfe._swf_continued_from,
        parentWorkflowExecution=None if parent is None else short(parent),
        parentInitiatedEventId=wfe._swf_parent_initiated_event_id,
        lambdaRole=wfe.lambda_role,
    )
    schedule_decision(wfe)
    if is_set(wfe.execution_start_to_close_timeout):
        arm(wfe, _workflow_deadline(wfe))


def _workflow_deadline(wfe: Any) -> float:
    return float(wfe.start_timestamp) + seconds(wfe.execution_start_to_close_timeout)


def close(wfe: Any, status: str) -> None:
    """Close the execution (its close event is written by the caller): nothing is handed out
    any more, timers stop, counts drop to zero."""
    wfe.execution_status = "CLOSED"
    wfe.close_status = status
    wfe.close_timestamp = time.time()
    for timer in list(wfe._timers.values()):
        timer.cancel()
    wfe._timers.clear()
    wfe._swf_scheduled_decision = None
    wfe._swf_started_decision = None
    wfe._swf_open_activities.clear()
    wfe._swf_lambdas.clear()
    for key in wfe.open_counts:
        wfe.open_counts[key] = 0


def closed_by_decision(wfe: Any, kind: str, **attributes: Any) -> None:
    """Write the close event of a close decision, close, apply the child policy, tell the
    parent (a continued run tells it later, when its last run closes)."""
    status = CLOSE_DECISIONS[kind]
    event_type = {
        "COMPLETED": "WorkflowExecutionCompleted",
        "FAILED": "WorkflowExecutionFailed",
        "CANCELED": "WorkflowExecutionCanceled",
        "CONTINUED_AS_NEW": "WorkflowExecutionContinuedAsNew",
    }[status]
    add_event(wfe, event_type, **attributes)
    close(wfe, status)
    apply_child_policy(wfe, wfe.child_policy)
    if status != "CONTINUED_AS_NEW":
        notify_parent(
            wfe,
            {
                "COMPLETED": "ChildWorkflowExecutionCompleted",
                "FAILED": "ChildWorkflowExecutionFailed",
                "CANCELED": "ChildWorkflowExecutionCanceled",
            }[status],
            {k: v for k, v in attributes.items() if k in ("result", "reason", "details")},
        )


def terminate(
    wfe: Any,
    *,
    reason: str | None = None,
    details: str | None = None,
    child_policy: str | None = None,
    cause: str = "OPERATOR_INITIATED",
) -> None:
    """``WorkflowExecutionTerminated``, then the child policy, then the parent is told."""
    policy = child_policy or wfe.child_policy
    add_event(
        wfe,
        "WorkflowExecutionTerminated",
        reason=reason,
        details=details,
        childPolicy=policy,
        cause=cause,
    )
    close(wfe, "TERMINATED")
    apply_child_policy(wfe, policy)
    notify_parent(wfe, "ChildWorkflowExecutionTerminated", {})


def time_out_execution(wfe: Any) -> None:
    """``WorkflowExecutionTimedOut`` (START_TO_CLOSE), child policy, parent told."""
    add_event(
        wfe, "WorkflowExecutionTimedOut", timeoutType="START_TO_CLOSE", childPolicy=wfe.child_policy
    )
    wfe.timeout_type = "START_TO_CLOSE"
    close(wfe, "TIMED_OUT")
    apply_child_policy(wfe, wfe.child_policy)
    notify_parent(wfe, "ChildWorkflowExecutionTimedOut", {"timeoutType": "START_TO_CLOSE"})


def request_cancel(
    wfe: Any,
    *,
    cause: str | None = None,
    external: Any = None,
    external_initiated_event_id: int | None = None,
) -> None:
    """``WorkflowExecutionCancelRequested`` and a decision task."""
    add_event(
        wfe,
        "WorkflowExecutionCancelRequested",
        externalWorkflowExecution=None if external is None else short(external),
        externalInitiatedEventId=external_initiated_event_id,
        cause=cause,
    )
    wfe.cancel_requested = True
    schedule_decision(wfe)


def signal(
    wfe: Any,
    name: str,
    input: str | None,
    *,
    external: Any = None,
    external_initiated_event_id: int | None = None,
) -> None:
    """``WorkflowExecutionSignaled`` and a decision task."""
    add_event(
        wfe,
        "WorkflowExecutionSignaled",
        signalName=name,
        input=input,
        externalWorkflowExecution=None if external is None else short(external),
        externalInitiatedEventId=external_initiated_event_id,
    )
    schedule_decision(wfe)


def apply_child_policy(wfe: Any, policy: str | None) -> None:
    """The parent closed: terminate its open children, ask them to cancel, or abandon them."""
    children = [record.execution for record in wfe._swf_children.values()]
    wfe._swf_children.clear()
    for child in children:
        if not child.open:
            continue
        if policy == "TERMINATE":
            terminate(child, cause="CHILD_POLICY_APPLIED")
        elif policy == "REQUEST_CANCEL":
            request_cancel(child, cause="CHILD_POLICY_APPLIED")


def notify_parent(child: Any, event_type: str, attributes: dict[str, Any]) -> None:
    """Write the child's close in its parent (if the parent is open), and a decision task."""
    parent = child._swf_parent
    if parent is None or not parent.open:
        return
    record = parent._swf_children.pop(child.workflow_id, None)
    if record is None:
        return
    add_event(
        parent,
        event_type,
        workflowExecution=short(child),
        workflowType=type_dict(child.workflow_type),
        initiatedEventId=record.initiated_event_id,
        startedEventId=record.started_event_id,
        **attributes,
    )
    parent.open_counts["openChildWorkflowExecutions"] -= 1
    schedule_decision(parent)


# -- task lists -------------------------------------------------------------------------------


def add_task(domain: Any, kind: str, task_list: str, task: Any) -> None:
    """Index a new task (token, ready queue) and wake a poll on its task list."""
    task._swf_task_list = task_list
    task._swf_scheduled_at = time.time()
    domain._swf_tokens[task.task_token] = task
    domain._swf_ready.setdefault((kind, task_list), []).append(task)
    _engine.notify(poll_key(domain, kind, task_list))


def poll_key(domain: Any, kind: str, task_list: str) -> tuple[str, ...]:
    """The key of the condition polls on one task list wait on."""
    return (domain.account_id, domain.region_name, domain.name, kind, task_list)


def _priority(task: Any) -> int:
    try:
        return int(task._swf_priority or 0)
    except (TypeError, ValueError):
        return 0


def next_task(domain: Any, kind: str, task_list: str) -> Any:
    """The task a poll gets now, or None: the highest priority, then the oldest, among the
    scheduled tasks of open executions (a decision task only when its execution has none
    started). Drops what can never be handed out from the queue."""
    queue = domain._swf_ready.get((kind, task_list))
    if not queue:
        return None
    best = None
    keep = []
    for task in queue:
        wfe = task.workflow_execution
        if task.state != "SCHEDULED" or not wfe.open:
            continue
        keep.append(task)
        if kind == "decision" and wfe._swf_started_decision is not None:
            continue
        if best is None or _priority(task) > _priority(best):
            best = task
    queue[:] = keep
    return best


def pending_count(domain: Any, kind: str, task_list: str) -> int:
    """Tasks scheduled on the list and not started (CountPending*Tasks)."""
    queue = domain._swf_ready.get((kind, task_list)) or ()
    return sum(1 for t in queue if t.state == "SCHEDULED" and t.workflow_execution.open)


def find_task(backend: Any, token: str, kind: str) -> Any:
    """The started task a worker or decider answers for, or the fault SWF answers.

    Raises:
        SWFValidationException: no such token.
        SWFUnknownResourceFault: the execution is closed, or the task is not started (any
            more): completed, failed, timed out, canceled.
    """
    from moto.swf.exceptions import SWFUnknownResourceFault

    task = None
    for domain in backend.domains:
        task = domain._swf_tokens.get(token)
        if task is not None:
            break
    expected = _DecisionTask if kind == "decision" else _ActivityTask
    if not isinstance(task, expected):
        raise _ValidationFault("Invalid token")
    wfe = task.workflow_execution
    if not wfe.open:
        raise SWFUnknownResourceFault(
            "execution",
            f"WorkflowExecution=[workflowId={wfe.workflow_id}, runId={wfe.run_id}]",
        )
    if task.state != "STARTED":
        noun = "decision task" if kind == "decision" else "activity"
        raise SWFUnknownResourceFault(f"{noun}, scheduledEventId = {task.scheduled_event_id}")
    return task


# -- decision tasks ---------------------------------------------------------------------------


def schedule_decision(wfe: Any) -> None:
    """Schedule a decision task, unless one is already scheduled (SWF keeps at most one
    scheduled and one started)."""
    if not wfe.open or wfe._swf_scheduled_decision is not None or wfe._swf_gone:
        return
    task_list = wfe._swf_next_task_list or wfe.task_list
    schedule_to_start = wfe._swf_next_schedule_to_start if wfe._swf_next_task_list else None
    event = add_event(
        wfe,
        "DecisionTaskScheduled",
        taskList={"name": task_list},
        taskPriority=wfe.task_priority,
        startToCloseTimeout=wfe.task_start_to_close_timeout,
        scheduleToStartTimeout=schedule_to_start,
    )
    task = _DecisionTask(wfe, event.event_id)
    task._swf_priority = wfe.task_priority
    task._swf_schedule_to_start = schedule_to_start
    wfe._swf_scheduled_decision = task
    wfe._swf_decision_tasks.append(task)
    wfe.open_counts["openDecisionTasks"] = 1
    wfe.domain.add_to_decision_task_list(task_list, task)
    if is_set(schedule_to_start):
        arm(wfe, task._swf_scheduled_at + seconds(schedule_to_start))


def start_decision(task: Any, identity: str | None) -> None:
    """``DecisionTaskStarted``: the task is handed to a decider; its timeout is armed."""
    wfe = task.workflow_execution
    event = add_event(
        wfe, "DecisionTaskStarted", scheduledEventId=task.scheduled_event_id, identity=identity
    )
    task.start(event.event_id, wfe._previous_started_event_id)
    task._swf_started_at = time.time()
    wfe._previous_started_event_id = event.event_id
    wfe._swf_scheduled_decision = None
    wfe._swf_started_decision = task
    if is_set(task.start_to_close_timeout):
        arm(wfe, task._swf_started_at + seconds(task.start_to_close_timeout))


def wake_decision(wfe: Any) -> None:
    task = wfe._swf_scheduled_decision
    _engine.notify(poll_key(wfe.domain, "decision", task._swf_task_list))


def new_execution(domain: Any, wtype: Any, workflow_id: str, **settings: Any) -> Any:
    """A moto ``WorkflowExecution`` registered in the domain (not started yet)."""
    wfe = _WorkflowExecution(domain, wtype, workflow_id, **settings)
    domain.add_workflow_execution(wfe)
    return wfe


def open_run(domain: Any, workflow_id: str, run_id: str | None = None) -> Any:
    """The open execution with this id (and run id, if given), or None."""
    runs = domain._swf_runs.get(workflow_id) or ()
    for wfe in reversed(runs):
        if wfe.open and (not run_id or wfe.run_id == run_id):
            return wfe
    return None


# -- activity tasks ---------------------------------------------------------------------------


def start_activity(task: Any, identity: str | None) -> None:
    """``ActivityTaskStarted``: a worker has it; start-to-close and heartbeat clocks start."""
    wfe = task.workflow_execution
    event = add_event(
        wfe, "ActivityTaskStarted", scheduledEventId=task.scheduled_event_id, identity=identity
    )
    task.start(event.event_id)
    now = time.time()
    task._swf_started_at = now
    task.last_heartbeat_timestamp = now
    for key in ("startToCloseTimeout", "heartbeatTimeout"):
        if is_set(task.timeouts[key]):
            arm(wfe, now + seconds(task.timeouts[key]))


def heartbeat(task: Any, details: str | None) -> bool:
    """Record a heartbeat; returns whether a cancel was requested (SWF's ``cancelRequested``)."""
    task.last_heartbeat_timestamp = time.time()
    if details is not None:
        task.details = details
    if is_set(task.timeouts["heartbeatTimeout"]):
        arm(
            task.workflow_execution,
            task.last_heartbeat_timestamp + seconds(task.timeouts["heartbeatTimeout"]),
        )
    return task._swf_cancel_requested_event_id is not None


def close_activity(task: Any, state: str, event_type: str, attributes: dict[str, Any]) -> None:
    """Close an open activity task with its event (the caller schedules the decision task)."""
    wfe = task.workflow_execution
    extra = {}
    if state == "CANCELED" and task._swf_cancel_requested_event_id is not None:
        extra["latestCancelRequestedEventId"] = task._swf_cancel_requested_event_id
    add_event(
        wfe,
        event_type,
        scheduledEventId=task.scheduled_event_id,
        startedEventId=task.started_event_id or 0,
        **attributes,
        **extra,
    )
    task.state = state
    if wfe._swf_open_activities.get(task.activity_id) is task:
        del wfe._swf_open_activities[task.activity_id]
        wfe.open_counts["openActivityTasks"] -= 1


def respond_activity(task: Any, state: str, event_type: str, attributes: dict[str, Any]) -> None:
    """A worker's answer: close the task, schedule a decision task."""
    close_activity(task, state, event_type, attributes)
    schedule_decision(task.workflow_execution)


# -- timeouts ---------------------------------------------------------------------------------


def arm(wfe: Any, when: float) -> None:
    SCHEDULER.at(when, lambda: check_timeouts(wfe))


def _due(wfe: Any) -> list[tuple[float, str, Any, str]]:
    """Every timeout of the execution with its deadline: (when, what, task, timeout type)."""
    due: list[tuple[float, str, Any, str]] = []
    if is_set(wfe.execution_start_to_close_timeout) and wfe.start_timestamp:
        due.append((_workflow_deadline(wfe), "workflow", None, "START_TO_CLOSE"))
    started = wfe._swf_started_decision
    if started is not None and is_set(started.start_to_close_timeout):
        when = started._swf_started_at + seconds(started.start_to_close_timeout)
        due.append((when, "decision", started, "START_TO_CLOSE"))
    scheduled = wfe._swf_scheduled_decision
    if scheduled is not None and is_set(scheduled._swf_schedule_to_start):
        when = scheduled._swf_scheduled_at + seconds(scheduled._swf_schedule_to_start)
        due.append((when, "decision", scheduled, "SCHEDULE_TO_START"))
    for task in wfe._swf_open_activities.values():
        timeouts = task.timeouts
        scheduled_at = task._swf_scheduled_at
        if is_set(timeouts["scheduleToCloseTimeout"]):
            when = scheduled_at + seconds(timeouts["scheduleToCloseTimeout"])
            due.append((when, "activity", task, "SCHEDULE_TO_CLOSE"))
        if task.state == "SCHEDULED":
            if is_set(timeouts["scheduleToStartTimeout"]):
                when = scheduled_at + seconds(timeouts["scheduleToStartTimeout"])
                due.append((when, "activity", task, "SCHEDULE_TO_START"))
            continue
        if is_set(timeouts["startToCloseTimeout"]):
            when = task._swf_started_at + seconds(timeouts["startToCloseTimeout"])
            due.append((when, "activity", task, "START_TO_CLOSE"))
        if is_set(timeouts["heartbeatTimeout"]):
            when = task.last_heartbeat_timestamp + seconds(timeouts["heartbeatTimeout"])
            due.append((when, "activity", task, "HEARTBEAT"))
    return due


def check_timeouts(wfe: Any) -> None:
    """Fire the execution's timeouts that are due, earliest first, with SWF's events."""
    while wfe.open and not wfe._swf_gone:
        now = time.time()
        reached = [entry for entry in _due(wfe) if entry[0] <= now]
        if not reached:
            return
        _, what, task, timeout_type = min(reached, key=lambda entry: entry[0])
        if what == "workflow":
            time_out_execution(wfe)
        elif what == "decision":
            add_event(
                wfe,
                "DecisionTaskTimedOut",
                timeoutType=timeout_type,
                scheduledEventId=task.scheduled_event_id,
                startedEventId=task.started_event_id or 0,
            )
            task.state = "TIMED_OUT"
            task.timeout_type = timeout_type
            if wfe._swf_started_decision is task:
                wfe._swf_started_decision = None
            if wfe._swf_scheduled_decision is task:
                wfe._swf_scheduled_decision = None
            wfe._swf_next_task_list = None  # back to the execution's own task list
            wfe.open_counts["openDecisionTasks"] = 1 if wfe._swf_scheduled_decision else 0
            if wfe._swf_scheduled_decision is None:
                schedule_decision(wfe)
            else:
                wake_decision(wfe)
        else:
            task.timeout_type = timeout_type
            close_activity(
                task,
                "TIMED_OUT",
                "ActivityTaskTimedOut",
                {"timeoutType": timeout_type, "details": task.details},
            )
            schedule_decision(wfe)


def start_new_execution(domain: Any, wtype: Any, workflow_id: str, **settings: Any) -> Any:
    """StartWorkflowExecution: create, register and start an execution.

    Raises:
        SWFDefaultUndefinedFault: a setting with no default on the type.
        SWFWorkflowExecutionAlreadyStartedFault: an open execution has this id.
    """
    wfe = new_execution(domain, wtype, workflow_id, **settings)
    start_execution(wfe)
    return wfe


def forget(backend: Any) -> None:
    """The backend is being reset: its executions must never change again."""
    for domain in getattr(backend, "domains", ()):
        for wfe in domain.workflow_executions:
            wfe._swf_gone = True
            for timer in list(getattr(wfe, "_timers", {}).values()):
                timer.cancel()
