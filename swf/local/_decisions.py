"""The 13 decision types: what RespondDecisionTaskCompleted does to an execution, as SWF.

:func:`complete_decision` writes ``DecisionTaskCompleted``, then each decision's events in
order (one handler per decision type), then what follows from them in other executions
(signals, cancel requests and children delivered, Lambda functions started), then schedules a
decision task if any event calls for one. Failures are the ``*Failed`` events with SWF's
causes. Call with :data:`swf.local._engine.LOCK` held.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from swf.local import _engine, _model
from swf.local._engine import SCHEDULER


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
    event = _model.add_event(
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
        _model.schedule_decision(wfe)
    elif wfe.open and wfe._swf_scheduled_decision is not None:
        _model.wake_decision(wfe)  # it waited for this one to finish


def _failed(wfe: Any, batch: _Batch, event_type: str, **attributes: Any) -> None:
    _model.add_event(
        wfe, event_type, decisionTaskCompletedEventId=batch.completed_event_id, **attributes
    )
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
        _model.closed_by_decision(
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


def _continue_as_new(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    version = attributes.get("workflowTypeVersion") or wfe.workflow_type.version
    wtype, cause, settings = _resolve_start(wfe.domain, wfe.workflow_type.name, version, attributes)
    if cause is not None:
        _failed(wfe, batch, "ContinueAsNewWorkflowExecutionFailed", cause=cause)
        return
    successor = _model._WorkflowExecution(
        wfe.domain,
        wtype,
        wfe.workflow_id,
        parent=wfe._swf_parent,
        parent_initiated_event_id=wfe._swf_parent_initiated_event_id,
        continued_execution_run_id=wfe.run_id,
        **settings,
    )
    _model.closed_by_decision(
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
        workflowType=_model.type_dict(wtype),
        lambdaRole=settings["lambda_role"],
    )
    wfe.domain.add_workflow_execution(successor)
    parent = wfe._swf_parent
    if parent is not None and wfe.workflow_id in parent._swf_children:
        parent._swf_children[wfe.workflow_id].execution = successor
    _model.start_execution(successor)


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
    event = _model.add_event(
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
    task = _model._ActivityTask(
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
        if _model.is_set(timeouts[key]):
            _model.arm(wfe, task._swf_scheduled_at + _model.seconds(timeouts[key]))


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
    event = _model.add_event(
        wfe,
        "ActivityTaskCancelRequested",
        activityId=activity_id,
        decisionTaskCompletedEventId=batch.completed_event_id,
    )
    task._swf_cancel_requested_event_id = event.event_id
    if task.state == "SCHEDULED":  # no worker has it: SWF cancels it at once
        _model.close_activity(task, "CANCELED", "ActivityTaskCanceled", {})
        batch.reschedule = True


def _record_marker(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    _model.add_event(
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
            _model.add_event(
                wfe, "TimerFired", timerId=timer_id, startedEventId=self.started_event_id
            )
            _model.schedule_decision(wfe)

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
    event = _model.add_event(
        wfe,
        "TimerStarted",
        timerId=timer_id,
        control=attributes.get("control"),
        startToFireTimeout=attributes["startToFireTimeout"],
        decisionTaskCompletedEventId=batch.completed_event_id,
    )
    timer = LocalTimer(
        wfe, timer_id, event.event_id, _model.seconds(attributes["startToFireTimeout"])
    )
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
    _model.add_event(
        wfe,
        "TimerCanceled",
        timerId=timer_id,
        startedEventId=timer.started_event_id,
        decisionTaskCompletedEventId=batch.completed_event_id,
    )


def _signal_external(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_id, run_id = attributes["workflowId"], attributes.get("runId")
    control = attributes.get("control")
    initiated = _model.add_event(
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
        target = _model.open_run(wfe.domain, workflow_id, run_id)
        if target is not None:
            _model.signal(
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
            _model.add_event(
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
            _model.add_event(
                wfe,
                "ExternalWorkflowExecutionSignaled",
                workflowExecution=_model.short(target),
                initiatedEventId=initiated,
            )

    batch.after.append(deliver)


def _request_cancel_external(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_id, run_id = attributes["workflowId"], attributes.get("runId")
    control = attributes.get("control")
    initiated = _model.add_event(
        wfe,
        "RequestCancelExternalWorkflowExecutionInitiated",
        workflowId=workflow_id,
        runId=run_id,
        control=control,
        decisionTaskCompletedEventId=batch.completed_event_id,
    ).event_id

    def deliver() -> None:
        target = _model.open_run(wfe.domain, workflow_id, run_id)
        if target is not None:
            _model.request_cancel(target, external=wfe, external_initiated_event_id=initiated)
        if not wfe.open:
            return
        batch.reschedule = True
        if target is None:
            _model.add_event(
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
            _model.add_event(
                wfe,
                "ExternalWorkflowExecutionCancelRequested",
                workflowExecution=_model.short(target),
                initiatedEventId=initiated,
            )

    batch.after.append(deliver)


def _start_child(wfe: Any, batch: _Batch, attributes: dict[str, Any]) -> None:
    workflow_type, workflow_id = attributes["workflowType"], attributes["workflowId"]
    control = attributes.get("control")
    wtype, cause, settings = _resolve_start(
        wfe.domain, workflow_type["name"], workflow_type["version"], attributes
    )

    def fail(found_cause: str, initiated: int) -> None:
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

    if cause is not None:
        # refused as the decision is applied: no StartChildWorkflowExecutionInitiated (its
        # required task list and child policy have no value), initiatedEventId 0, as a
        # ScheduleActivityTaskFailed comes with no ActivityTaskScheduled
        fail(cause, 0)
        return
    initiated = _model.add_event(
        wfe,
        "StartChildWorkflowExecutionInitiated",
        workflowId=workflow_id,
        workflowType=workflow_type,
        control=control,
        input=attributes.get("input"),
        executionStartToCloseTimeout=settings["execution_start_to_close_timeout"],
        taskList={"name": settings["task_list"]},
        taskPriority=settings["task_priority"],
        decisionTaskCompletedEventId=batch.completed_event_id,
        childPolicy=settings["child_policy"],
        taskStartToCloseTimeout=settings["task_start_to_close_timeout"],
        tagList=attributes.get("tagList") or None,
        lambdaRole=settings["lambda_role"],
    ).event_id

    def deliver() -> None:
        # the start itself, after the decision: the workflow id may be taken
        if _model.open_run(wfe.domain, workflow_id) is not None:
            if wfe.open:
                fail("WORKFLOW_ALREADY_RUNNING", initiated)
            return
        child = _model.new_execution(
            wfe.domain, wtype, workflow_id, parent=wfe, parent_initiated_event_id=initiated,
            **settings,
        )  # fmt: skip
        _model.start_execution(child)
        if not wfe.open:  # the parent closed in the same decision: its policy applies now
            if wfe.child_policy == "TERMINATE":
                _model.terminate(child, cause="CHILD_POLICY_APPLIED")
            elif wfe.child_policy == "REQUEST_CANCEL":
                _model.request_cancel(child, cause="CHILD_POLICY_APPLIED")
            return
        started = _model.add_event(
            wfe,
            "ChildWorkflowExecutionStarted",
            workflowExecution=_model.short(child),
            workflowType=workflow_type,
            initiatedEventId=initiated,
        ).event_id
        wfe._swf_children[workflow_id] = _model.ChildRecord(child, initiated, started)
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
    timeout = attributes.get("startToCloseTimeout") or _model.LAMBDA_TIMEOUT
    scheduled = _model.add_event(
        wfe,
        "LambdaFunctionScheduled",
        id=function_id,
        name=name,
        control=attributes.get("control"),
        input=attributes.get("input"),
        startToCloseTimeout=timeout,
        decisionTaskCompletedEventId=batch.completed_event_id,
    ).event_id
    record = _model.LambdaRecord(function_id, scheduled, timeout)
    wfe._swf_lambdas[function_id] = record
    wfe.open_counts["openLambdaFunctions"] += 1
    batch.after.append(lambda: _start_lambda(wfe, record, function, attributes.get("input")))


def _start_lambda(wfe: Any, record: _model.LambdaRecord, function: Any, input: str | None) -> None:
    if not wfe.open:
        return
    record.started_event_id = _model.add_event(
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
    if _model.is_set(record.timeout):
        SCHEDULER.at(started_at + _model.seconds(record.timeout), time_out)


def _close_lambda(wfe: Any, record: _model.LambdaRecord, event_type: str, attributes: Any) -> None:
    if wfe._swf_lambdas.get(record.function_id) is not record or not wfe.open or wfe._swf_gone:
        return  # it timed out already, or the execution closed
    del wfe._swf_lambdas[record.function_id]
    wfe.open_counts["openLambdaFunctions"] -= 1
    _model.add_event(
        wfe,
        event_type,
        scheduledEventId=record.scheduled_event_id,
        startedEventId=record.started_event_id,
        **attributes,
    )
    _model.schedule_decision(wfe)


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
