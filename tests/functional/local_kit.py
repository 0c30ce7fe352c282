"""Helpers of the tests of the local endpoint (tests/functional/test_local_*.py).

Raw SWF calls through a :class:`swf.core.Connection`, so that each test reads as the requests
and answers of SWF's API reference, and the events asserted are the wire's.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from swf.core import Connection
from swf.local import _engine, install

DOMAIN = "local"
WORKFLOW = {"name": "wf", "version": "1"}
CHILD = {"name": "child", "version": "1"}
ACTIVITY = {"name": "act", "version": "1"}
DECIDERS = "deciders"
CHILD_DECIDERS = "child-deciders"
WORKERS = "workers"


def endpoint(request: pytest.FixtureRequest) -> Connection:
    """The backend of a test parametrized with ``in-process`` and ``server``."""
    if request.param == "in-process":
        connection: Connection = request.getfixturevalue("swf_backend")
        return connection
    server = request.getfixturevalue("swf_server")
    return server.connection(retries=1, read_timeout=70)


@contextmanager
def poll_timeout(seconds: float) -> Iterator[None]:
    """Polls of every local endpoint of the process wait ``seconds`` meanwhile."""
    previous = _engine.SETTINGS.poll_timeout
    install(poll_timeout=seconds)
    try:
        yield
    finally:
        _engine.SETTINGS.poll_timeout = previous


_NO_DOMAIN = (
    "RegisterDomain",
    "ListDomains",
    "DescribeDomain",
    "DeprecateDomain",
    "UndeprecateDomain",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
)


class Kit:
    """A registered domain with a workflow type, a child workflow type and an activity type."""

    def __init__(self, conn: Connection, *, activity_timeouts: dict[str, str] | None = None):
        self.conn = conn
        call = conn.call
        call("RegisterDomain", name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        for wtype, task_list in ((WORKFLOW, DECIDERS), (CHILD, CHILD_DECIDERS)):
            call(
                "RegisterWorkflowType",
                domain=DOMAIN,
                **wtype,
                defaultTaskList={"name": task_list},
                defaultExecutionStartToCloseTimeout="300",
                defaultTaskStartToCloseTimeout="300",
                defaultChildPolicy="TERMINATE",
            )
        timeouts = {
            "defaultTaskScheduleToStartTimeout": "300",
            "defaultTaskScheduleToCloseTimeout": "300",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultTaskHeartbeatTimeout": "300",
            **(activity_timeouts or {}),
        }
        call(
            "RegisterActivityType",
            domain=DOMAIN,
            **ACTIVITY,
            defaultTaskList={"name": WORKERS},
            **timeouts,
        )

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One SWF call in the kit's domain (unless ``domain`` is given)."""
        if "taskToken" not in params and "domain" not in params and operation not in _NO_DOMAIN:
            params["domain"] = DOMAIN
        return self.conn.call(operation, **params)

    def start(
        self, workflow_id: str, workflow_type: dict[str, str] = WORKFLOW, **params: Any
    ) -> str:
        """StartWorkflowExecution; the run id."""
        response = self.call(
            "StartWorkflowExecution", workflowId=workflow_id, workflowType=workflow_type, **params
        )
        run_id: str = response["runId"]
        return run_id

    def poll(self, task_list: str = DECIDERS, **params: Any) -> dict[str, Any]:
        """PollForDecisionTask."""
        return self.call("PollForDecisionTask", taskList={"name": task_list}, **params)

    def decide(
        self, decisions: list[dict[str, Any]], task_list: str = DECIDERS, **params: Any
    ) -> dict[str, Any]:
        """Poll a decision task (it must come) and answer it with ``decisions``."""
        task = self.poll(task_list)
        assert task.get("taskToken"), f"no decision task on {task_list}"
        self.call(
            "RespondDecisionTaskCompleted",
            taskToken=task["taskToken"],
            decisions=decisions,
            **params,
        )
        return task

    def work(self, task_list: str = WORKERS) -> dict[str, Any]:
        """PollForActivityTask (a task must come)."""
        task = self.call("PollForActivityTask", taskList={"name": task_list})
        assert task.get("taskToken"), f"no activity task on {task_list}"
        return task

    def events(self, workflow_id: str, run_id: str) -> list[dict[str, Any]]:
        """The whole history, every page; each event checked against SWF's service model."""
        params: dict[str, Any] = {"execution": {"workflowId": workflow_id, "runId": run_id}}
        events: list[dict[str, Any]] = []
        while True:
            page = self.call("GetWorkflowExecutionHistory", **params)
            events.extend(page["events"])
            if not page.get("nextPageToken"):
                break
            params["nextPageToken"] = page["nextPageToken"]
        for event in events:
            check_event_shape(event)
        return events

    def types(self, workflow_id: str, run_id: str) -> list[str]:
        """The event types of the history."""
        return [e["eventType"] for e in self.events(workflow_id, run_id)]

    def describe(self, workflow_id: str, run_id: str) -> dict[str, Any]:
        """DescribeWorkflowExecution."""
        return self.call(
            "DescribeWorkflowExecution", execution={"workflowId": workflow_id, "runId": run_id}
        )

    def signal(self, workflow_id: str, name: str = "go", **params: Any) -> None:
        """SignalWorkflowExecution."""
        self.call("SignalWorkflowExecution", workflowId=workflow_id, signalName=name, **params)


@functools.cache
def _history_event_shape() -> Any:
    import botocore.session

    model = botocore.session.get_session().get_service_model("swf")
    return model.shape_for("HistoryEvent")


def check_event_shape(event: dict[str, Any]) -> None:
    """The event's type is one of SWF's, and its attributes are those of botocore's service
    model for that type: every required one present, none unknown."""
    shape = _history_event_shape()
    assert event["eventType"] in shape.members["eventType"].enum, event["eventType"]
    kind = event["eventType"]
    key = kind[0].lower() + kind[1:] + "EventAttributes"
    assert key in shape.members, key
    attributes_shape = shape.members[key]
    found = set(event[key])
    assert found <= set(attributes_shape.members), (kind, found - set(attributes_shape.members))
    missing = set(attributes_shape.required_members) - found
    assert not missing, (kind, missing)


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    """The attributes of an event (``<eventType>EventAttributes``)."""
    kind = event["eventType"]
    found: dict[str, Any] = event[kind[0].lower() + kind[1:] + "EventAttributes"]
    return found


def last(events: list[dict[str, Any]], event_type: str) -> dict[str, Any]:
    """The last event of a type, with its id under ``"event_id"`` among its attributes."""
    for event in reversed(events):
        if event["eventType"] == event_type:
            return {"event_id": event["eventId"], **attributes(event)}
    raise AssertionError(f"no {event_type} in {[e['eventType'] for e in events]}")


def after(events: list[dict[str, Any]], event_id: int) -> list[str]:
    """The types of the events after ``event_id``."""
    return [e["eventType"] for e in events if e["eventId"] > event_id]


def decision(kind: str, **attributes: Any) -> dict[str, Any]:
    """A raw decision."""
    return {"decisionType": kind, f"{kind[0].lower()}{kind[1:]}DecisionAttributes": attributes}


def in_thread(function: Any, *args: Any, **kwargs: Any) -> tuple[threading.Thread, list[Any]]:
    """Run ``function`` in a thread; its result lands in the list."""
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(function(*args, **kwargs)), daemon=True)
    thread.start()
    return thread, out
