"""SWF's rules for applying a decision: what it writes, and when it refuses.

Pure functions and tables, used by :class:`swf.models.history.writer.HistoryWriter`:
:func:`refusal` says whether SWF refuses a decision (and with which cause) given what is open
in the execution, filling in the defaults a scheduling decision leaves out from its
registered type; :data:`DECISION_EVENTS` and :data:`FAILED_DECISION_EVENTS` name the events
written either way; :func:`continued_attributes` is what SWF records of a continue-as-new.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from swf import constants
from swf.models.decision import DecisionType

__all__ = [
    "CLOSE_DECISIONS",
    "DECISION_EVENTS",
    "FAILED_DECISION_EVENTS",
    "INITIATING_DECISIONS",
    "OpenEntities",
    "TypeDefaults",
    "continued_attributes",
    "refusal",
    "without_none",
]

_D = DecisionType

#: The event SWF writes for each decision it applies.
DECISION_EVENTS: dict[DecisionType, str] = {
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

#: Decisions whose failure event carries an ``initiatedEventId`` (0 when SWF refused the
#: decision itself, so that nothing was initiated).
INITIATING_DECISIONS = frozenset(
    {
        _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        _D.START_CHILD_WORKFLOW_EXECUTION,
    }
)

#: Decisions that close the execution.
CLOSE_DECISIONS = frozenset(
    {
        _D.COMPLETE_WORKFLOW_EXECUTION,
        _D.FAIL_WORKFLOW_EXECUTION,
        _D.CANCEL_WORKFLOW_EXECUTION,
        _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
    }
)

# Decision attribute -> the registered default SWF fills it from.
_ACTIVITY_DEFAULTS = {
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
    """Where SWF's rules find the registered types.

    Each method returns the type's ``configuration`` as ``Describe...Type`` returns it
    (``defaultTaskList``, ``defaultTaskStartToCloseTimeout``...) plus ``"status"``
    (``"REGISTERED"`` or ``"DEPRECATED"``), or None when no such type is registered.
    """

    def activity_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        """The registered activity type ``name``/``version``, or None."""

    def workflow_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        """The registered workflow type ``name``/``version``, or None."""


@attrs.define
class OpenEntities:
    """The ids of what is open in an execution, as SWF's checks need them.

    Attributes:
        activities: the activity ids scheduled or started, not closed.
        timers: the timer ids started, neither fired nor canceled.
        children: the workflow ids of children initiated or started, not closed.
        lambda_functions: the Lambda task ids scheduled or started, not closed.
        unhandled_events: whether events arrived that the decider has not seen yet (a
            close decision is then refused: ``UNHANDLED_DECISION``).
    """

    activities: set[str] = attrs.Factory(set)
    timers: set[str] = attrs.Factory(set)
    children: set[str] = attrs.Factory(set)
    lambda_functions: set[str] = attrs.Factory(set)
    unhandled_events: bool = False


def refusal(
    kind: DecisionType,
    attributes: dict[str, Any],
    open_: OpenEntities,
    types: TypeDefaults | None = None,
) -> str | None:
    """SWF's cause for refusing a decision, or None when it applies it.

    Checks an id in use, an unknown timer or activity to cancel, the limits on open
    activities, timers and children, a close decision while events wait for the decider,
    and, given ``types``, an unknown or deprecated type. A scheduling decision that SWF
    applies gets the defaults it left out filled in from its type (``attributes`` is
    updated in place), as SWF records them; a missing default is refused
    (``DEFAULT_TASK_LIST_UNDEFINED``...).
    """
    if kind is _D.SCHEDULE_ACTIVITY_TASK:
        if attributes["activityId"] in open_.activities:
            return "ACTIVITY_ID_ALREADY_IN_USE"
        if len(open_.activities) >= constants.MAX_OPEN_ACTIVITIES:
            return "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
        return _fill_defaults(types, "ACTIVITY", attributes, "activityType", _ACTIVITY_DEFAULTS)
    if kind is _D.REQUEST_CANCEL_ACTIVITY_TASK:
        return None if attributes["activityId"] in open_.activities else "ACTIVITY_ID_UNKNOWN"
    if kind in CLOSE_DECISIONS:
        return "UNHANDLED_DECISION" if open_.unhandled_events else None
    if kind is _D.START_TIMER:
        if attributes["timerId"] in open_.timers:
            return "TIMER_ID_ALREADY_IN_USE"
        if len(open_.timers) >= constants.MAX_OPEN_TIMERS:
            return "OPEN_TIMERS_LIMIT_EXCEEDED"
        return None
    if kind is _D.CANCEL_TIMER:
        return None if attributes["timerId"] in open_.timers else "TIMER_ID_UNKNOWN"
    if kind is _D.START_CHILD_WORKFLOW_EXECUTION:
        if len(open_.children) >= constants.MAX_OPEN_CHILDREN:
            return "OPEN_CHILDREN_LIMIT_EXCEEDED"
        return _fill_defaults(types, "WORKFLOW", attributes, "workflowType", _CHILD_DEFAULTS)
    if kind is _D.SCHEDULE_LAMBDA_FUNCTION:
        return "ID_ALREADY_IN_USE" if attributes["id"] in open_.lambda_functions else None
    return None


def _fill_defaults(
    types: TypeDefaults | None,
    kind: str,
    attributes: dict[str, Any],
    ref_key: str,
    defaults: Mapping[str, str],
) -> str | None:
    if types is None:
        return None
    ref = attributes[ref_key]
    lookup = types.activity_type if kind == "ACTIVITY" else types.workflow_type
    registered = lookup(ref["name"], ref["version"])
    if registered is None:
        return f"{kind}_TYPE_DOES_NOT_EXIST"
    if registered.get("status") == constants.DEPRECATED:
        return f"{kind}_TYPE_DEPRECATED"
    if "taskList" not in attributes:
        if not registered.get("defaultTaskList"):
            return "DEFAULT_TASK_LIST_UNDEFINED"
        attributes["taskList"] = dict(registered["defaultTaskList"])
    for key, default in defaults.items():
        if key not in attributes:
            if registered.get(default) is None:
                return f"DEFAULT_{_upper_snake(key)}_UNDEFINED"
            attributes[key] = registered[default]
    if "taskPriority" not in attributes and registered.get("defaultTaskPriority"):
        attributes["taskPriority"] = registered["defaultTaskPriority"]
    return None


def _upper_snake(name: str) -> str:
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in name)


def continued_attributes(
    attributes: Mapping[str, Any], started: Mapping[str, Any], new_run_id: str
) -> dict[str, Any]:
    """What SWF records of a ContinueAsNew decision: its values, else the current run's
    (``started``: the ``WorkflowExecutionStarted`` attributes)."""
    started_type = started.get("workflowType") or {}

    def given(key: str) -> Any:
        return attributes.get(key, started.get(key))

    return {
        "input": attributes.get("input"),
        "newExecutionRunId": new_run_id,
        "executionStartToCloseTimeout": given("executionStartToCloseTimeout"),
        "taskList": given("taskList"),
        "taskPriority": given("taskPriority"),
        "taskStartToCloseTimeout": given("taskStartToCloseTimeout"),
        "childPolicy": given("childPolicy"),
        "tagList": given("tagList"),
        "workflowType": {
            "name": started_type.get("name"),
            "version": attributes.get("workflowTypeVersion", started_type.get("version")),
        },
        "lambdaRole": given("lambdaRole"),
    }


def without_none(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes that have a value: SWF leaves the others out of its events."""
    return {key: value for key, value in attributes.items() if value is not None}
