"""The SWF operations of the local endpoint: handlers installed on moto's ``SWFResponse``.

One method per operation, named as moto dispatches (``poll_for_decision_task`` for
``PollForDecisionTask``). Each reads the JSON request once, works on the backend through
:mod:`swf.local._model`, and answers JSON shaped as botocore's SWF service model. They run
holding :data:`~swf.local._engine.LOCK` (the patched ``call_action`` takes it), which a long
poll releases while it waits.

Paging: every list, history and decision-task poll takes ``maximumPageSize`` (SWF's default and
maximum, 1000) and answers a ``nextPageToken`` while more remain; tokens are opaque strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any

from swf.local import _decisions, _engine, _model

PAGE_SIZE = 1000

# moto classes, bound by bind()
_UnknownResource: Any = None
_Validation: Any = None
_DomainDeprecated: Any = None
_TypeDeprecated: Any = None
_ClientError: Any = None


def bind() -> None:
    """Import the moto classes the handlers raise."""
    global _UnknownResource, _Validation, _DomainDeprecated, _TypeDeprecated, _ClientError
    from moto.swf.exceptions import (
        SWFClientError,
        SWFDomainDeprecatedFault,
        SWFTypeDeprecatedFault,
        SWFUnknownResourceFault,
        SWFValidationException,
    )

    _UnknownResource, _Validation = SWFUnknownResourceFault, SWFValidationException
    _DomainDeprecated, _TypeDeprecated = SWFDomainDeprecatedFault, SWFTypeDeprecatedFault
    _ClientError = SWFClientError


def _fault(code: str, message: str) -> Exception:
    error: Exception = _ClientError(f"com.amazonaws.swf.base.model#{code}", message)
    return error


def _params(response: Any) -> dict[str, Any]:
    body = response.body
    if not body:
        return {}
    params: dict[str, Any] = json.loads(body)
    return params


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


# -- paging -----------------------------------------------------------------------------------


def _encode(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(_dump(data).encode()).decode()


def _decode(token: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("offset"), int):
        raise _Validation(f"Invalid nextPageToken: {token[:64]!r}")
    return data


def _page_size(params: dict[str, Any]) -> int:
    size = params.get("maximumPageSize") or PAGE_SIZE
    if not isinstance(size, int) or not 0 < size <= PAGE_SIZE:
        raise _Validation(f"maximumPageSize must be 1 to {PAGE_SIZE}, got {size!r}")
    return size


def _page(
    items: Sequence[Any], params: dict[str, Any], **token_data: Any
) -> tuple[Sequence[Any], str | None]:
    """One page of ``items`` and the token of the next (None on the last page)."""
    token = params.get("nextPageToken")
    start = _decode(token)["offset"] if token else 0
    end = start + _page_size(params)
    more = _encode({**token_data, "offset": end}) if end < len(items) else None
    return items[start:end], more


def _with_token(result: dict[str, Any], token: str | None) -> str:
    if token:
        result["nextPageToken"] = token
    return _dump(result)


# -- descriptions -----------------------------------------------------------------------------


def _type_info(kind: str, moto_type: Any) -> dict[str, Any]:
    info: dict[str, Any] = {
        f"{kind}Type": _model.type_dict(moto_type),
        "status": moto_type.status,
        "creationDate": moto_type._swf_created,
    }
    if getattr(moto_type, "description", None) is not None:
        info["description"] = moto_type.description
    if moto_type.status == "DEPRECATED":
        info["deprecationDate"] = moto_type._swf_deprecated
    return info


_CONFIGURATION = {
    "workflow": (
        "defaultTaskStartToCloseTimeout",
        "defaultExecutionStartToCloseTimeout",
        "defaultTaskPriority",
        "defaultChildPolicy",
        "defaultLambdaRole",
    ),
    "activity": (
        "defaultTaskStartToCloseTimeout",
        "defaultTaskHeartbeatTimeout",
        "defaultTaskPriority",
        "defaultTaskScheduleToStartTimeout",
        "defaultTaskScheduleToCloseTimeout",
    ),
}


def _type_configuration(kind: str, moto_type: Any) -> dict[str, Any]:
    configuration: dict[str, Any] = {}
    if moto_type.task_list:
        configuration["defaultTaskList"] = {"name": moto_type.task_list}
    for key in _CONFIGURATION[kind]:
        attribute = "".join("_" + c.lower() if c.isupper() else c for c in key)
        value = getattr(moto_type, attribute, None)
        if value is not None:
            configuration[key] = value
    return configuration


def execution_info(wfe: Any) -> dict[str, Any]:
    """SWF's ``WorkflowExecutionInfo`` of an execution."""
    info: dict[str, Any] = {
        "execution": _model.short(wfe),
        "workflowType": _model.type_dict(wfe.workflow_type),
        "startTimestamp": wfe.start_timestamp,
        "executionStatus": wfe.execution_status,
        "cancelRequested": wfe.cancel_requested,
    }
    if wfe.close_status:
        info["closeStatus"] = wfe.close_status
        info["closeTimestamp"] = wfe.close_timestamp
    if wfe.tag_list:
        info["tagList"] = list(wfe.tag_list)
    if wfe._swf_parent is not None:
        info["parent"] = _model.short(wfe._swf_parent)
    return info


# -- execution filters ------------------------------------------------------------------------

_EXCLUSIVE = ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter")


def _executions(backend: Any, params: dict[str, Any], status: str) -> list[Any]:
    """The executions of a list or count request: filtered and ordered as SWF does."""
    domain = backend._get_domain(params["domain"])
    if domain.status == "DEPRECATED":
        raise _DomainDeprecated(domain.name)
    given = [name for name in _EXCLUSIVE if params.get(name)]
    if len(given) > 1:
        raise _Validation(
            f"Only one of {', '.join(_EXCLUSIVE[: 3 if status == 'OPEN' else 4])} can be "
            f"specified; got {', '.join(given)}"
        )
    start_filter, close_filter = params.get("startTimeFilter"), params.get("closeTimeFilter")
    if bool(start_filter) == bool(close_filter):
        raise _Validation("Specify exactly one of startTimeFilter and closeTimeFilter")
    time_filter: dict[str, Any] = start_filter or close_filter or {}
    stamp = "start_timestamp" if start_filter else "close_timestamp"
    oldest = float(time_filter["oldestDate"])
    latest = time_filter.get("latestDate")
    wanted: list[Callable[[Any], bool]] = []
    if params.get("executionFilter"):
        workflow_id = params["executionFilter"]["workflowId"]
        wanted.append(lambda w: w.workflow_id == workflow_id)
    if params.get("typeFilter"):
        name, version = params["typeFilter"]["name"], params["typeFilter"].get("version")
        wanted.append(
            lambda w: (
                w.workflow_type.name == name
                and (version is None or w.workflow_type.version == version)
            )
        )
    if params.get("tagFilter"):
        tag = params["tagFilter"]["tag"]
        wanted.append(lambda w: tag in w.tag_list)
    if params.get("closeStatusFilter"):
        close_status = params["closeStatusFilter"]["status"]
        wanted.append(lambda w: w.close_status == close_status)
    found = []
    for wfe in domain.workflow_executions:
        if wfe.execution_status != status:
            continue
        when = getattr(wfe, stamp) or 0.0
        if when < oldest or (latest is not None and when > float(latest)):
            continue
        if all(test(wfe) for test in wanted):
            found.append(wfe)
    # newest first, unless reverseOrder
    found.sort(key=lambda w: getattr(w, stamp) or 0.0, reverse=not params.get("reverseOrder"))
    return found


# -- the handlers -----------------------------------------------------------------------------


class Handlers:
    """The operations, grafted onto moto's ``SWFResponse`` by :func:`install`."""

    swf_backend: Any
    body: Any

    # domains and types

    def list_domains(self) -> str:
        """ListDomains: by name, paged."""
        params = _params(self)
        domains = sorted(
            (d for d in self.swf_backend.domains if d.status == params["registrationStatus"]),
            key=lambda d: d.name,
            reverse=bool(params.get("reverseOrder")),
        )
        page, token = _page(domains, params)
        return _with_token({"domainInfos": [d.to_short_dict() for d in page]}, token)

    def _list_types(self, kind: str) -> str:
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        name = params.get("name")
        types = [
            t
            for t in domain.find_types(kind, params["registrationStatus"])
            if name is None or t.name == name
        ]
        types.sort(key=lambda t: (t.name, t.version), reverse=bool(params.get("reverseOrder")))
        page, token = _page(types, params)
        return _with_token({"typeInfos": [_type_info(kind, t) for t in page]}, token)

    def list_workflow_types(self) -> str:
        """ListWorkflowTypes: ``name`` filter, by name, paged."""
        return self._list_types("workflow")

    def list_activity_types(self) -> str:
        """ListActivityTypes: ``name`` filter, by name, paged."""
        return self._list_types("activity")

    def _describe_type(self, kind: str) -> str:
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        key = params[f"{kind}Type"]
        moto_type = domain.get_type(kind, key["name"], key["version"])
        return _dump(
            {
                "typeInfo": _type_info(kind, moto_type),
                "configuration": _type_configuration(kind, moto_type),
            }
        )

    def describe_workflow_type(self) -> str:
        """DescribeWorkflowType: real dates, every default."""
        return self._describe_type("workflow")

    def describe_activity_type(self) -> str:
        """DescribeActivityType: real dates, every default (``defaultTaskPriority`` too)."""
        return self._describe_type("activity")

    def register_activity_type(self) -> str:
        """RegisterActivityType, keeping ``defaultTaskPriority``."""
        params = _params(self)
        self.swf_backend.register_type(
            "activity",
            params["domain"],
            params["name"],
            params["version"],
            task_list=(params.get("defaultTaskList") or {}).get("name"),
            default_task_heartbeat_timeout=params.get("defaultTaskHeartbeatTimeout"),
            default_task_schedule_to_close_timeout=params.get("defaultTaskScheduleToCloseTimeout"),
            default_task_schedule_to_start_timeout=params.get("defaultTaskScheduleToStartTimeout"),
            default_task_start_to_close_timeout=params.get("defaultTaskStartToCloseTimeout"),
            default_task_priority=params.get("defaultTaskPriority"),
            description=params.get("description"),
        )
        return ""

    def _delete_type(self, kind: str) -> str:
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        key = params[f"{kind}Type"]
        moto_type = domain.get_type(kind, key["name"], key["version"])
        if moto_type.status != "DEPRECATED":
            raise _fault(
                "TypeNotDeprecatedFault",
                f"{type(moto_type).__name__}=[name={moto_type.name}, version={moto_type.version}]",
            )
        del domain.types[kind][moto_type.name][moto_type.version]
        return ""

    def delete_workflow_type(self) -> str:
        """DeleteWorkflowType: a deprecated type only (TypeNotDeprecatedFault otherwise)."""
        return self._delete_type("workflow")

    def delete_activity_type(self) -> str:
        """DeleteActivityType: a deprecated type only (TypeNotDeprecatedFault otherwise)."""
        return self._delete_type("activity")

    # executions

    def start_workflow_execution(self) -> str:
        """StartWorkflowExecution, with ``taskPriority`` and ``lambdaRole``."""
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        key = params["workflowType"]
        wtype = domain.get_type("workflow", key["name"], key["version"])
        if wtype.status == "DEPRECATED":
            raise _TypeDeprecated(wtype)
        wfe = _model.start_new_execution(
            domain,
            wtype,
            params["workflowId"],
            task_list=(params.get("taskList") or {}).get("name"),
            child_policy=params.get("childPolicy"),
            execution_start_to_close_timeout=params.get("executionStartToCloseTimeout"),
            task_start_to_close_timeout=params.get("taskStartToCloseTimeout"),
            workflow_input=params.get("input"),
            tag_list=params.get("tagList"),
            task_priority=params.get("taskPriority"),
            lambda_role=params.get("lambdaRole"),
        )
        return _dump({"runId": wfe.run_id})

    def _execution(self, params: dict[str, Any], *, open_only: bool = False) -> Any:
        domain = self.swf_backend._get_domain(params["domain"])
        if "execution" in params:
            workflow_id, run_id = params["execution"]["workflowId"], params["execution"]["runId"]
        else:
            workflow_id, run_id = params["workflowId"], params.get("runId")
        return domain.get_workflow_execution(workflow_id, run_id=run_id, raise_if_closed=open_only)

    def describe_workflow_execution(self) -> str:
        """DescribeWorkflowExecution: real start time, the whole configuration and counts."""
        wfe = self._execution(_params(self))
        configuration: dict[str, Any] = {
            "taskStartToCloseTimeout": wfe.task_start_to_close_timeout,
            "executionStartToCloseTimeout": wfe.execution_start_to_close_timeout,
            "taskList": {"name": wfe.task_list},
            "childPolicy": wfe.child_policy,
        }
        if wfe.task_priority is not None:
            configuration["taskPriority"] = wfe.task_priority
        if wfe.lambda_role is not None:
            configuration["lambdaRole"] = wfe.lambda_role
        result: dict[str, Any] = {
            "executionInfo": execution_info(wfe),
            "executionConfiguration": configuration,
            "openCounts": dict(wfe.open_counts),
        }
        if wfe.latest_activity_task_timestamp:
            result["latestActivityTaskTimestamp"] = wfe.latest_activity_task_timestamp
        if wfe.latest_execution_context is not None:
            result["latestExecutionContext"] = wfe.latest_execution_context
        return _dump(result)

    def get_workflow_execution_history(self) -> str:
        """GetWorkflowExecutionHistory: paged, ``reverseOrder``."""
        params = _params(self)
        wfe = self._execution(params)
        events = wfe._events[::-1] if params.get("reverseOrder") else wfe._events
        page, token = _page(events, params)
        return _with_token({"events": [e.to_dict() for e in page]}, token)

    def _list_executions(self, status: str) -> str:
        params = _params(self)
        found = _executions(self.swf_backend, params, status)
        page, token = _page(found, params)
        return _with_token({"executionInfos": [execution_info(w) for w in page]}, token)

    def list_open_workflow_executions(self) -> str:
        """ListOpenWorkflowExecutions: every filter, newest first, paged."""
        return self._list_executions("OPEN")

    def list_closed_workflow_executions(self) -> str:
        """ListClosedWorkflowExecutions: every filter, newest first, paged."""
        return self._list_executions("CLOSED")

    def count_open_workflow_executions(self) -> str:
        """CountOpenWorkflowExecutions: the filters of the listing; never truncated."""
        found = _executions(self.swf_backend, _params(self), "OPEN")
        return _dump({"count": len(found), "truncated": False})

    def count_closed_workflow_executions(self) -> str:
        """CountClosedWorkflowExecutions: the filters of the listing; never truncated."""
        found = _executions(self.swf_backend, _params(self), "CLOSED")
        return _dump({"count": len(found), "truncated": False})

    def signal_workflow_execution(self) -> str:
        """SignalWorkflowExecution (``input`` optional)."""
        params = _params(self)
        wfe = self._execution(params, open_only=True)
        _model.signal(wfe, params["signalName"], params.get("input"))
        return ""

    def request_cancel_workflow_execution(self) -> str:
        """RequestCancelWorkflowExecution: WorkflowExecutionCancelRequested, a decision."""
        wfe = self._execution(_params(self), open_only=True)
        _model.request_cancel(wfe)
        return ""

    def terminate_workflow_execution(self) -> str:
        """TerminateWorkflowExecution: the child policy applies, the parent is told."""
        params = _params(self)
        wfe = self._execution(params, open_only=True)
        _model.terminate(
            wfe,
            reason=params.get("reason"),
            details=params.get("details"),
            child_policy=params.get("childPolicy"),
        )
        return ""

    # decision tasks

    def poll_for_decision_task(self) -> str:
        """PollForDecisionTask: a long poll; the history paged (next pages by token)."""
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        if params.get("nextPageToken"):
            data = _decode(params["nextPageToken"])
            task = domain._swf_tokens.get(data.get("task"))
            if task is None:
                raise _Validation("Invalid nextPageToken: its decision task is unknown")
            return self._decision_page(task, params)
        task_list = params["taskList"]["name"]
        task = _engine.wait_for(
            _model.poll_key(domain, "decision", task_list),
            lambda: _model.next_task(domain, "decision", task_list),
        )
        if task is None:
            return _dump({"previousStartedEventId": 0, "startedEventId": 0})
        _model.start_decision(task, params.get("identity"))
        return self._decision_page(task, params)

    def _decision_page(self, task: Any, params: dict[str, Any]) -> str:
        wfe = task.workflow_execution
        events = wfe._events[: task.started_event_id]
        if params.get("startAtPreviousStartedEvent") and task.previous_started_event_id:
            since = wfe._events[task.previous_started_event_id - 1].event_timestamp
            events = [e for e in events if e.event_timestamp >= since]
        if params.get("reverseOrder"):
            events = events[::-1]
        page, token = _page(events, params, task=task.task_token)
        result: dict[str, Any] = {
            "taskToken": task.task_token,
            "startedEventId": task.started_event_id,
            "workflowExecution": _model.short(wfe),
            "workflowType": _model.type_dict(wfe.workflow_type),
            "events": [e.to_dict() for e in page],
        }
        if task.previous_started_event_id is not None:
            result["previousStartedEventId"] = task.previous_started_event_id
        return _with_token(result, token)

    def respond_decision_task_completed(self) -> str:
        """RespondDecisionTaskCompleted: all 13 decision types, as SWF processes them."""
        params = _params(self)
        task = _model.find_task(self.swf_backend, params["taskToken"], "decision")
        _decisions.complete_decision(
            task,
            params.get("decisions") or [],
            params.get("executionContext"),
            (params.get("taskList") or {}).get("name"),
            params.get("taskListScheduleToStartTimeout"),
        )
        return ""

    def count_pending_decision_tasks(self) -> str:
        """CountPendingDecisionTasks: scheduled, not yet started."""
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        count = _model.pending_count(domain, "decision", params["taskList"]["name"])
        return _dump({"count": count, "truncated": False})

    # activity tasks

    def poll_for_activity_task(self) -> str:
        """PollForActivityTask: a long poll."""
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        task_list = params["taskList"]["name"]
        task = _engine.wait_for(
            _model.poll_key(domain, "activity", task_list),
            lambda: _model.next_task(domain, "activity", task_list),
        )
        if task is None:
            return _dump({"startedEventId": 0})
        _model.start_activity(task, params.get("identity"))
        result: dict[str, Any] = {
            "taskToken": task.task_token,
            "activityId": task.activity_id,
            "startedEventId": task.started_event_id,
            "workflowExecution": _model.short(task.workflow_execution),
            "activityType": _model.type_dict(task.activity_type),
        }
        if task.input is not None:
            result["input"] = task.input
        return _dump(result)

    def record_activity_task_heartbeat(self) -> str:
        """RecordActivityTaskHeartbeat: ``cancelRequested`` once the decider asked."""
        params = _params(self)
        task = _model.find_task(self.swf_backend, params["taskToken"], "activity")
        return _dump({"cancelRequested": _model.heartbeat(task, params.get("details"))})

    def respond_activity_task_completed(self) -> str:
        """RespondActivityTaskCompleted."""
        params = _params(self)
        task = _model.find_task(self.swf_backend, params["taskToken"], "activity")
        _model.respond_activity(
            task, "COMPLETED", "ActivityTaskCompleted", {"result": params.get("result")}
        )
        return ""

    def respond_activity_task_failed(self) -> str:
        """RespondActivityTaskFailed."""
        params = _params(self)
        task = _model.find_task(self.swf_backend, params["taskToken"], "activity")
        _model.respond_activity(
            task,
            "FAILED",
            "ActivityTaskFailed",
            {"reason": params.get("reason"), "details": params.get("details")},
        )
        return ""

    def respond_activity_task_canceled(self) -> str:
        """RespondActivityTaskCanceled: ActivityTaskCanceled, a decision task."""
        params = _params(self)
        task = _model.find_task(self.swf_backend, params["taskToken"], "activity")
        _model.respond_activity(
            task, "CANCELED", "ActivityTaskCanceled", {"details": params.get("details")}
        )
        return ""

    def count_pending_activity_tasks(self) -> str:
        """CountPendingActivityTasks: scheduled, not yet started."""
        params = _params(self)
        domain = self.swf_backend._get_domain(params["domain"])
        count = _model.pending_count(domain, "activity", params["taskList"]["name"])
        return _dump({"count": count, "truncated": False})


def handler_names() -> list[str]:
    """The operations :class:`Handlers` defines (public methods)."""
    return [name for name in vars(Handlers) if not name.startswith("__")]
