"""What SWF does to an execution, written on moto's models: events, tasks, decisions, timeouts.

Each function takes moto objects (a ``WorkflowExecution``, an ``ActivityTask``...) and must be
called holding :data:`swf.local._engine.LOCK`. They write the events SWF writes, with the
attributes of botocore's SWF service model (camelCase, None left out), and keep moto's own
bookkeeping (states, open counts) true, so that moto's serializers stay usable.

State the extensions add to moto's objects is in attributes prefixed ``_swf_`` (see
:func:`init_execution` and :func:`init_domain`).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
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


def _set(value: Any) -> bool:
    return value is not None and value != NONE


def _seconds(value: Any) -> float:
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
    if _set(wfe.execution_start_to_close_timeout):
        _arm(wfe, _workflow_deadline(wfe))


def _workflow_deadline(wfe: Any) -> float:
    return float(wfe.start_timestamp) + _seconds(wfe.execution_start_to_close_timeout)


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
    if _set(schedule_to_start):
        _arm(wfe, task._swf_scheduled_at + _seconds(schedule_to_start))


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
    if _set(task.start_to_close_timeout):
        _arm(wfe, task._swf_started_at + _seconds(task.start_to_close_timeout))


class _Batch:
    """One RespondDecisionTaskCompleted being applied."""

    __slots__ = ("after", "completed_event_id", "reschedule")

    def __init__(self, completed_event_id: int) -> None:
        self.completed_event_id = completed_event_id
        self.reschedule = False
        self.after: list[Callable[[], None]] = []


def complete_decision(
    task: Any,
    decisions: list[dict[str, Any]],
    execution_context: str | None,
    task_list: str | None,
    schedule_to_start: str | None,
) -> None:
    """Apply a decider's answer: ``DecisionTaskCompleted``, each decision's events in order,
    then what follows them (deliveries to other executions), then a decision task if any
    event calls for one."""
    wfe = task.workflow_execution
    wfe.validate_decisions(decisions)  # moto's checks; nothing is written if one fails
    event = add_event(
        wfe,
        "DecisionTaskCompleted",
        scheduledEventId=task.scheduled_event_id,
        startedEventId=task.started_event_id,
        executionContext=execution_context,
        taskList=None if task_list is None else {"name": task_list},
        taskListScheduleToStartTimeout=schedule_to_start,
    )
    task.state = "COMPLETED"
    wfe._swf_started_decision = None
    wfe.open_counts["openDecisionTasks"] = 1 if wfe._swf_scheduled_decision else 0
    if execution_context is not None:
        wfe.latest_execution_context = execution_context
    wfe._swf_next_task_list = task_list
    wfe._swf_next_schedule_to_start = schedule_to_start
    batch = _Batch(event.event_id)
    for decision in decisions:
        kind = decision["decisionType"]
        key = kind[0].lower() + kind[1:] + "DecisionAttributes"
        _DECIDE[kind](wfe, batch, decision.get(key) or {})
    for deliver in batch.after:
        deliver()
    if wfe.open and batch.reschedule:
        schedule_decision(wfe)
    elif wfe.open and wfe._swf_scheduled_decision is not None:
        _wake_decision(wfe)  # it waited for this one to finish


def _wake_decision(wfe: Any) -> None:
    task = wfe._swf_scheduled_decision
    _engine.notify(poll_key(wfe.domain, "decision", task._swf_task_list))


def _failed(wfe: Any, batch: _Batch, event_type: str, **attributes: Any) -> None:
    add_event(wfe, event_type, decisionTaskCompletedEventId=batch.completed_event_id, **attributes)
    batch.reschedule = True


def _close_decision(kind: str) -> Callable[[Any, _Batch, dict[str, Any]], None]:
    def decide(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
        if not wfe.open:
            return
        if wfe._swf_scheduled_decision is not None:
            # events came in while the decider worked: it must see them first
            _failed(wfe, batch, f"{kind}Failed", cause="UNHANDLED_DECISION")
            return
        if kind == "ContinueAsNewWorkflowExecution":
            _continue_as_new(wfe, batch, attributes)
            return
        keep = {
            "CompleteWorkflowExecution": ("result",),
            "FailWorkflowExecution": ("reason", "details"),
            "CancelWorkflowExecution": ("details",),
        }[kind]
        closed_by_decision(
            wfe,
            kind,
            decisionTaskCompletedEventId=batch.completed_event_id,
            **{k: attributes.get(k) for k in keep},
        )

    return decide


def _resolve_start(domain: Any, name: str, version: str, attributes: dict[str, Any]) -> Any:
    """The workflow type and settings of a new execution (child or continued), or a cause."""
    wtype = domain.get_type("workflow", name, version, ignore_empty=True)
    if not wtype:
        return None, "WORKFLOW_TYPE_DOES_NOT_EXIST", {}
    if wtype.status == "DEPRECATED":
        return wtype, "WORKFLOW_TYPE_DEPRECATED", {}
    task_list = (attributes.get("taskList") or {}).get("name") or wtype.task_list
    settings = {
        "execution_start_to_close_timeout": attributes.get("executionStartToCloseTimeout")
        or wtype.default_execution_start_to_close_timeout,
        "task_list": task_list,
        "task_start_to_close_timeout": attributes.get("taskStartToCloseTimeout")
        or wtype.default_task_start_to_close_timeout,
        "child_policy": attributes.get("childPolicy") or wtype.default_child_policy,
        "task_priority": attributes.get("taskPriority") or wtype.default_task_priority,
        "lambda_role": attributes.get("lambdaRole") or wtype.default_lambda_role,
        "workflow_input": attributes.get("input"),
        "tag_list": attributes.get("tagList") or [],
    }
    for key, cause in (
        ("execution_start_to_close_timeout", "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        ("task_list", "DEFAULT_TASK_LIST_UNDEFINED"),
        ("task_start_to_close_timeout", "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        ("child_policy", "DEFAULT_CHILD_POLICY_UNDEFINED"),
    ):
        if not settings[key]:
            return wtype, cause, settings
    return wtype, None, settings


def new_execution(domain: Any, wtype: Any, workflow_id: str, **settings: Any) -> Any:
    """A moto ``WorkflowExecution`` registered in the domain (not started yet)."""
    wfe = _WorkflowExecution(domain, wtype, workflow_id, **settings)
    domain.add_workflow_execution(wfe)
    return wfe


def _continue_as_new(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    version = attributes.get("workflowTypeVersion") or wfe.workflow_type.version
    wtype, cause, settings = _resolve_start(wfe.domain, wfe.workflow_type.name, version, attributes)
    if cause is not None:
        _failed(wfe, batch, "ContinueAsNewWorkflowExecutionFailed", cause=cause)
        return
    successor = _WorkflowExecution(
        wfe.domain,
        wtype,
        wfe.workflow_id,
        parent=wfe._swf_parent,
        parent_initiated_event_id=wfe._swf_parent_initiated_event_id,
        continued_execution_run_id=wfe.run_id,
        **settings,
    )
    closed_by_decision(
        wfe,
        "ContinueAsNewWorkflowExecution",
        decisionTaskCompletedEventId=batch.completed_event_id,
        newExecutionRunId=successor.run_id,
        input=settings["workflow_input"],
        executionStartToCloseTimeout=settings["execution_start_to_close_timeout"],
        taskList={"name": settings["task_list"]},
        taskPriority=settings["task_priority"],
        taskStartToCloseTimeout=settings["task_start_to_close_timeout"],
        childPolicy=settings["child_policy"],
        tagList=settings["tag_list"] or None,
        workflowType=type_dict(wtype),
        lambdaRole=settings["lambda_role"],
    )
    wfe.domain.add_workflow_execution(successor)
    parent = wfe._swf_parent
    if parent is not None and wfe.workflow_id in parent._swf_children:
        parent._swf_children[wfe.workflow_id].execution = successor
    start_execution(successor)


def _schedule_activity(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    activity_type = attributes["activityType"]
    activity_id = attributes["activityId"]

    def fail(cause: str) -> None:
        _failed(
            wfe,
            batch,
            "ScheduleActivityTaskFailed",
            activityType=activity_type,
            activityId=activity_id,
            cause=cause,
        )

    atype = wfe.domain.get_type(
        "activity", activity_type["name"], activity_type["version"], ignore_empty=True
    )
    if not atype:
        return fail("ACTIVITY_TYPE_DOES_NOT_EXIST")
    if atype.status == "DEPRECATED":
        return fail("ACTIVITY_TYPE_DEPRECATED")
    if activity_id in wfe._swf_open_activities:
        return fail("ACTIVITY_ID_ALREADY_IN_USE")
    task_list = (attributes.get("taskList") or {}).get("name") or atype.task_list
    if not task_list:
        return fail("DEFAULT_TASK_LIST_UNDEFINED")
    timeouts = {}
    for key, default, cause in (
        ("scheduleToStartTimeout", "schedule_to_start", "DEFAULT_SCHEDULE_TO_START_TIMEOUT"),
        ("scheduleToCloseTimeout", "schedule_to_close", "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT"),
        ("startToCloseTimeout", "start_to_close", "DEFAULT_START_TO_CLOSE_TIMEOUT"),
        ("heartbeatTimeout", "heartbeat", "DEFAULT_HEARTBEAT_TIMEOUT"),
    ):
        value = attributes.get(key) or getattr(atype, f"default_task_{default}_timeout", None)
        if not value:
            return fail(f"{cause}_UNDEFINED")
        timeouts[key] = value
    priority = attributes.get("taskPriority") or getattr(atype, "default_task_priority", None)
    event = add_event(
        wfe,
        "ActivityTaskScheduled",
        activityType=activity_type,
        activityId=activity_id,
        input=attributes.get("input"),
        control=attributes.get("control"),
        taskList={"name": task_list},
        taskPriority=priority,
        decisionTaskCompletedEventId=batch.completed_event_id,
        **timeouts,
    )
    task = _ActivityTask(
        activity_id=activity_id,
        activity_type=atype,
        scheduled_event_id=event.event_id,
        workflow_execution=wfe,
        timeouts=timeouts,
        workflow_input=attributes.get("input"),
    )
    task._swf_priority = priority
    task._swf_cancel_requested_event_id = None
    task._swf_started_at = None
    wfe._swf_activity_tasks.append(task)
    wfe._swf_open_activities[activity_id] = task
    wfe.open_counts["openActivityTasks"] += 1
    wfe.latest_activity_task_timestamp = time.time()
    wfe.domain.add_to_activity_task_list(task_list, task)
    for key in ("scheduleToStartTimeout", "scheduleToCloseTimeout"):
        if _set(timeouts[key]):
            _arm(wfe, task._swf_scheduled_at + _seconds(timeouts[key]))


def _request_cancel_activity(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    activity_id = attributes["activityId"]
    task = wfe._swf_open_activities.get(activity_id)
    if task is None:
        _failed(
            wfe,
            batch,
            "RequestCancelActivityTaskFailed",
            activityId=activity_id,
            cause="ACTIVITY_ID_UNKNOWN",
        )
        return
    event = add_event(
        wfe,
        "ActivityTaskCancelRequested",
        activityId=activity_id,
        decisionTaskCompletedEventId=batch.completed_event_id,
    )
    task._swf_cancel_requested_event_id = event.event_id
    if task.state == "SCHEDULED":  # no worker has it: SWF cancels it at once
        close_activity(task, "CANCELED", "ActivityTaskCanceled", {})
        batch.reschedule = True


def _record_marker(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    add_event(
        wfe,
        "MarkerRecorded",
        markerName=attributes["markerName"],
        details=attributes.get("details"),
        decisionTaskCompletedEventId=batch.completed_event_id,
    )


class LocalTimer:
    """A running ``StartTimer``: a daemon :class:`threading.Timer` that fires under the lock."""

    def __init__(self, wfe: Any, timer_id: str, started_event_id: int, seconds: float) -> None:
        self.started_event_id = started_event_id
        self.background_timer = threading.Timer(seconds, self._fire, args=(wfe, timer_id))
        self.background_timer.daemon = True

    def _fire(self, wfe: Any, timer_id: str) -> None:
        with _engine.LOCK:
            if wfe._timers.get(timer_id) is not self or not wfe.open or wfe._swf_gone:
                return
            del wfe._timers[timer_id]
            wfe.open_counts["openTimers"] -= 1
            add_event(wfe, "TimerFired", timerId=timer_id, startedEventId=self.started_event_id)
            schedule_decision(wfe)

    def start(self) -> None:
        """Start counting."""
        self.background_timer.start()

    def cancel(self) -> None:
        """Stop counting (it never fires)."""
        self.background_timer.cancel()

    def is_alive(self) -> bool:
        """Whether it is counting."""
        return self.background_timer.is_alive()


def _start_timer(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    timer_id = attributes["timerId"]
    if timer_id in wfe._timers:
        _failed(wfe, batch, "StartTimerFailed", timerId=timer_id, cause="TIMER_ID_ALREADY_IN_USE")
        return
    event = add_event(
        wfe,
        "TimerStarted",
        timerId=timer_id,
        control=attributes.get("control"),
        startToFireTimeout=attributes["startToFireTimeout"],
        decisionTaskCompletedEventId=batch.completed_event_id,
    )
    timer = LocalTimer(wfe, timer_id, event.event_id, _seconds(attributes["startToFireTimeout"]))
    wfe._timers[timer_id] = timer
    wfe.open_counts["openTimers"] += 1
    timer.start()


def _cancel_timer(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    timer_id = attributes["timerId"]
    timer = wfe._timers.pop(timer_id, None)
    if timer is None:
        _failed(wfe, batch, "CancelTimerFailed", timerId=timer_id, cause="TIMER_ID_UNKNOWN")
        return
    timer.cancel()
    wfe.open_counts["openTimers"] -= 1
    add_event(
        wfe,
        "TimerCanceled",
        timerId=timer_id,
        startedEventId=timer.started_event_id,
        decisionTaskCompletedEventId=batch.completed_event_id,
    )


def open_run(domain: Any, workflow_id: str, run_id: str | None = None) -> Any:
    """The open execution with this id (and run id, if given), or None."""
    runs = domain._swf_runs.get(workflow_id) or ()
    for wfe in reversed(runs):
        if wfe.open and (not run_id or wfe.run_id == run_id):
            return wfe
    return None


def _signal_external(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_id, run_id = attributes["workflowId"], attributes.get("runId")
    control = attributes.get("control")
    initiated = add_event(
        wfe,
        "SignalExternalWorkflowExecutionInitiated",
        workflowId=workflow_id,
        runId=run_id,
        signalName=attributes["signalName"],
        input=attributes.get("input"),
        control=control,
        decisionTaskCompletedEventId=batch.completed_event_id,
    ).event_id

    def deliver() -> None:
        target = open_run(wfe.domain, workflow_id, run_id)
        if target is not None:
            signal(
                target,
                attributes["signalName"],
                attributes.get("input"),
                external=wfe,
                external_initiated_event_id=initiated,
            )
        if not wfe.open:
            return
        batch.reschedule = True
        if target is None:
            add_event(
                wfe,
                "SignalExternalWorkflowExecutionFailed",
                workflowId=workflow_id,
                runId=run_id,
                cause="UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
                initiatedEventId=initiated,
                decisionTaskCompletedEventId=batch.completed_event_id,
                control=control,
            )
        else:
            add_event(
                wfe,
                "ExternalWorkflowExecutionSignaled",
                workflowExecution=short(target),
                initiatedEventId=initiated,
            )

    batch.after.append(deliver)


def _request_cancel_external(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_id, run_id = attributes["workflowId"], attributes.get("runId")
    control = attributes.get("control")
    initiated = add_event(
        wfe,
        "RequestCancelExternalWorkflowExecutionInitiated",
        workflowId=workflow_id,
        runId=run_id,
        control=control,
        decisionTaskCompletedEventId=batch.completed_event_id,
    ).event_id

    def deliver() -> None:
        target = open_run(wfe.domain, workflow_id, run_id)
        if target is not None:
            request_cancel(target, external=wfe, external_initiated_event_id=initiated)
        if not wfe.open:
            return
        batch.reschedule = True
        if target is None:
            add_event(
                wfe,
                "RequestCancelExternalWorkflowExecutionFailed",
                workflowId=workflow_id,
                runId=run_id,
                cause="UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
                initiatedEventId=initiated,
                decisionTaskCompletedEventId=batch.completed_event_id,
                control=control,
            )
        else:
            add_event(
                wfe,
                "ExternalWorkflowExecutionCancelRequested",
                workflowExecution=short(target),
                initiatedEventId=initiated,
            )

    batch.after.append(deliver)


def _start_child(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_type, workflow_id = attributes["workflowType"], attributes["workflowId"]
    control = attributes.get("control")
    wtype, cause, settings = _resolve_start(
        wfe.domain, workflow_type["name"], workflow_type["version"], attributes
    )
    task_list = settings.get("task_list")
    initiated = add_event(
        wfe,
        "StartChildWorkflowExecutionInitiated",
        workflowId=workflow_id,
        workflowType=workflow_type,
        control=control,
        input=attributes.get("input"),
        executionStartToCloseTimeout=settings.get("execution_start_to_close_timeout"),
        taskList=None if not task_list else {"name": task_list},
        taskPriority=settings.get("task_priority"),
        decisionTaskCompletedEventId=batch.completed_event_id,
        childPolicy=settings.get("child_policy") or attributes.get("childPolicy"),
        taskStartToCloseTimeout=settings.get("task_start_to_close_timeout"),
        tagList=attributes.get("tagList") or None,
        lambdaRole=settings.get("lambda_role"),
    ).event_id

    def deliver() -> None:
        found_cause = cause
        if found_cause is None and open_run(wfe.domain, workflow_id) is not None:
            found_cause = "WORKFLOW_ALREADY_RUNNING"
        if found_cause is not None:
            if wfe.open:
                _failed(
                    wfe,
                    batch,
                    "StartChildWorkflowExecutionFailed",
                    workflowType=workflow_type,
                    workflowId=workflow_id,
                    cause=found_cause,
                    initiatedEventId=initiated,
                    control=control,
                )
            return
        child = new_execution(
            wfe.domain, wtype, workflow_id, parent=wfe, parent_initiated_event_id=initiated,
            **settings,
        )  # fmt: skip
        start_execution(child)
        if not wfe.open:  # the parent closed in the same decision: its policy applies now
            if wfe.child_policy == "TERMINATE":
                terminate(child, cause="CHILD_POLICY_APPLIED")
            elif wfe.child_policy == "REQUEST_CANCEL":
                request_cancel(child, cause="CHILD_POLICY_APPLIED")
            return
        started = add_event(
            wfe,
            "ChildWorkflowExecutionStarted",
            workflowExecution=short(child),
            workflowType=workflow_type,
            initiatedEventId=initiated,
        ).event_id
        wfe._swf_children[workflow_id] = ChildRecord(child, initiated, started)
        wfe.open_counts["openChildWorkflowExecutions"] += 1
        batch.reschedule = True

    batch.after.append(deliver)


def _schedule_lambda(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    function_id, name = attributes["id"], attributes["name"]
    function = _engine.lambda_function(name)
    cause = None
    if function_id in wfe._swf_lambdas:
        cause = "ID_ALREADY_IN_USE"
    elif function is None:
        # no Lambda here: as SWF for an execution without a role (it may not invoke
        # Lambda), or one whose region has no Lambda service
        cause = "OPERATION_NOT_PERMITTED" if not wfe.lambda_role else (
            "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION"
        )  # fmt: skip
    if cause is not None:
        _failed(wfe, batch, "ScheduleLambdaFunctionFailed", id=function_id, name=name, cause=cause)
        return
    assert function is not None
    timeout = attributes.get("startToCloseTimeout") or LAMBDA_TIMEOUT
    scheduled = add_event(
        wfe,
        "LambdaFunctionScheduled",
        id=function_id,
        name=name,
        control=attributes.get("control"),
        input=attributes.get("input"),
        startToCloseTimeout=timeout,
        decisionTaskCompletedEventId=batch.completed_event_id,
    ).event_id
    record = LambdaRecord(function_id, scheduled, timeout)
    wfe._swf_lambdas[function_id] = record
    wfe.open_counts["openLambdaFunctions"] += 1
    batch.after.append(lambda: _start_lambda(wfe, record, function, attributes.get("input")))


def _start_lambda(wfe: Any, record: LambdaRecord, function: Any, input: str | None) -> None:
    if not wfe.open:
        return
    record.started_event_id = add_event(
        wfe, "LambdaFunctionStarted", scheduledEventId=record.scheduled_event_id
    ).event_id
    started_at = time.time()

    def run() -> None:
        outcome: tuple[str, dict[str, str | None]]
        try:
            value = function(input)
        except Exception as exc:
            outcome = (
                "LambdaFunctionFailed",
                {
                    "reason": f"{type(exc).__name__}: {exc}"[:256],
                    "details": "".join(traceback.format_exception(exc))[-32768:],
                },
            )
        else:
            outcome = (
                "LambdaFunctionCompleted",
                {"result": None if value is None else str(value)},
            )
        with _engine.LOCK:
            _close_lambda(wfe, record, *outcome)

    def time_out() -> None:
        _close_lambda(wfe, record, "LambdaFunctionTimedOut", {"timeoutType": "START_TO_CLOSE"})

    threading.Thread(target=run, name=f"swf-local-lambda-{record.function_id}", daemon=True).start()
    if _set(record.timeout):
        SCHEDULER.at(started_at + _seconds(record.timeout), time_out)


def _close_lambda(wfe: Any, record: LambdaRecord, event_type: str, attributes: Any) -> None:
    if wfe._swf_lambdas.get(record.function_id) is not record or not wfe.open or wfe._swf_gone:
        return  # it timed out already, or the execution closed
    del wfe._swf_lambdas[record.function_id]
    wfe.open_counts["openLambdaFunctions"] -= 1
    add_event(
        wfe,
        event_type,
        scheduledEventId=record.scheduled_event_id,
        startedEventId=record.started_event_id,
        **attributes,
    )
    schedule_decision(wfe)


_DECIDE: dict[str, Callable[[Any, _Batch, dict[str, Any]], None]] = {
    "ScheduleActivityTask": _schedule_activity,
    "RequestCancelActivityTask": _request_cancel_activity,
    "CompleteWorkflowExecution": _close_decision("CompleteWorkflowExecution"),
    "FailWorkflowExecution": _close_decision("FailWorkflowExecution"),
    "CancelWorkflowExecution": _close_decision("CancelWorkflowExecution"),
    "ContinueAsNewWorkflowExecution": _close_decision("ContinueAsNewWorkflowExecution"),
    "RecordMarker": _record_marker,
    "StartTimer": _start_timer,
    "CancelTimer": _cancel_timer,
    "SignalExternalWorkflowExecution": _signal_external,
    "RequestCancelExternalWorkflowExecution": _request_cancel_external,
    "StartChildWorkflowExecution": _start_child,
    "ScheduleLambdaFunction": _schedule_lambda,
}

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
        if _set(task.timeouts[key]):
            _arm(wfe, now + _seconds(task.timeouts[key]))


def heartbeat(task: Any, details: str | None) -> bool:
    """Record a heartbeat; returns whether a cancel was requested (SWF's ``cancelRequested``)."""
    task.last_heartbeat_timestamp = time.time()
    if details is not None:
        task.details = details
    if _set(task.timeouts["heartbeatTimeout"]):
        _arm(
            task.workflow_execution,
            task.last_heartbeat_timestamp + _seconds(task.timeouts["heartbeatTimeout"]),
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


def _arm(wfe: Any, when: float) -> None:
    SCHEDULER.at(when, lambda: check_timeouts(wfe))


def _due(wfe: Any) -> list[tuple[float, str, Any, str]]:
    """Every timeout of the execution with its deadline: (when, what, task, timeout type)."""
    due: list[tuple[float, str, Any, str]] = []
    if _set(wfe.execution_start_to_close_timeout) and wfe.start_timestamp:
        due.append((_workflow_deadline(wfe), "workflow", None, "START_TO_CLOSE"))
    started = wfe._swf_started_decision
    if started is not None and _set(started.start_to_close_timeout):
        when = started._swf_started_at + _seconds(started.start_to_close_timeout)
        due.append((when, "decision", started, "START_TO_CLOSE"))
    scheduled = wfe._swf_scheduled_decision
    if scheduled is not None and _set(scheduled._swf_schedule_to_start):
        when = scheduled._swf_scheduled_at + _seconds(scheduled._swf_schedule_to_start)
        due.append((when, "decision", scheduled, "SCHEDULE_TO_START"))
    for task in wfe._swf_open_activities.values():
        timeouts = task.timeouts
        scheduled_at = task._swf_scheduled_at
        if _set(timeouts["scheduleToCloseTimeout"]):
            when = scheduled_at + _seconds(timeouts["scheduleToCloseTimeout"])
            due.append((when, "activity", task, "SCHEDULE_TO_CLOSE"))
        if task.state == "SCHEDULED":
            if _set(timeouts["scheduleToStartTimeout"]):
                when = scheduled_at + _seconds(timeouts["scheduleToStartTimeout"])
                due.append((when, "activity", task, "SCHEDULE_TO_START"))
            continue
        if _set(timeouts["startToCloseTimeout"]):
            when = task._swf_started_at + _seconds(timeouts["startToCloseTimeout"])
            due.append((when, "activity", task, "START_TO_CLOSE"))
        if _set(timeouts["heartbeatTimeout"]):
            when = task.last_heartbeat_timestamp + _seconds(timeouts["heartbeatTimeout"])
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
                _wake_decision(wfe)
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
