"""ActivityWorker and Actor on in-process moto: poll, answer, the run loop, signals."""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

import pytest
from botocore.stub import Stubber

from swf import constants
from swf.actors import ActivityTask, ActivityWorker, Actor
from swf.core import Connection
from swf.exceptions import (
    InvalidTypeError,
    PollTimeout,
    TaskClosedError,
    ValidationError,
)
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType

DOMAIN = "actors"


def setup_workflow(conn: Connection, activities: int = 1) -> WorkflowExecution:
    """A domain, a workflow type, an activity type, an execution with scheduled activities."""
    Domain(DOMAIN, retention_period=1, client=conn).save()
    wtype = WorkflowType(
        DOMAIN,
        "wf",
        "1",
        task_list="deciders",
        execution_timeout=600,
        decision_tasks_timeout=60,
        child_policy="TERMINATE",
        client=conn,
    )
    wtype.save()
    ActivityType(
        DOMAIN,
        "work",
        "1",
        task_list="workers",
        task_heartbeat_timeout=600,
        task_schedule_to_close_timeout=600,
        task_schedule_to_start_timeout=600,
        task_start_to_close_timeout=600,
        client=conn,
    ).save()
    execution = wtype.start_execution(workflow_id="wf-1", input="go")
    task = conn.call("PollForDecisionTask", domain=DOMAIN, taskList={"name": "deciders"})
    decisions = [
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "work", "version": "1"},
                "activityId": f"a{i}",
                "input": str(i),
            },
        }
        for i in range(activities)
    ]
    conn.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=decisions)
    return execution


def events(conn: Connection, event_type: str) -> list[dict[str, Any]]:
    history = conn.call(
        "GetWorkflowExecutionHistory",
        domain=DOMAIN,
        execution={"workflowId": "wf-1", "runId": _run_id(conn)},
    )
    return [e for e in history["events"] if e["eventType"] == event_type]


def _run_id(conn: Connection) -> str:
    listing = conn.call(
        "ListOpenWorkflowExecutions",
        domain=DOMAIN,
        startTimeFilter={"oldestDate": 0},
    )
    closed = conn.call(
        "ListClosedWorkflowExecutions", domain=DOMAIN, startTimeFilter={"oldestDate": 0}
    )
    infos = listing["executionInfos"] + closed["executionInfos"]
    return str(infos[0]["execution"]["runId"])


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    key = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
    return dict(event[key])


class Echo(ActivityWorker):
    """Returns what process_fn returns (set per test)."""

    def __init__(self, *args: Any, process_fn: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process_fn = process_fn or (lambda task: f"echo {task.input}")
        self.seen: list[str] = []

    def process(self, task: ActivityTask) -> Any:
        self.seen.append(task.activity_id)
        return self.process_fn(task)


def test_identity_defaults_to_host_and_pid_and_is_truncated(swf_backend: Connection) -> None:
    worker = Echo(DOMAIN, "workers", client=swf_backend)
    assert worker.identity == f"{socket.gethostname()}:{os.getpid()}"
    long = Echo(DOMAIN, "workers", identity="i" * 300, client=swf_backend)
    assert len(long.identity) == constants.MAX_IDENTITY_LENGTH
    assert long.domain == Domain(DOMAIN)
    assert repr(worker).startswith("<Echo domain='actors' task_list='workers' identity=")


def test_actor_is_abstract_and_checks_its_arguments(swf_backend: Connection) -> None:
    with pytest.raises(TypeError):
        Actor(DOMAIN)  # type: ignore[abstract]
    with pytest.raises(TypeError):
        ActivityWorker(DOMAIN)  # type: ignore[abstract]
    with pytest.raises(ValidationError, match="task_list"):
        Echo(DOMAIN, "a|b", client=swf_backend)
    with pytest.raises(InvalidTypeError, match="identity"):
        Echo(DOMAIN, "workers", identity=3, client=swf_backend)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="needs a task list"):
        Echo(DOMAIN, client=swf_backend).start()


def test_poll_returns_the_task_and_complete_records_the_result(swf_backend: Connection) -> None:
    execution = setup_workflow(swf_backend)
    worker = Echo(DOMAIN, "workers", identity="w1", client=swf_backend)
    task = worker.poll()
    assert task.activity_id == "a0"
    assert task.input == "0"
    assert task.activity_type == ActivityType(DOMAIN, "work", "1")
    assert task.execution.workflow_id == "wf-1"
    assert task.execution.run_id == execution.run_id
    assert task.workflow_id == "wf-1"
    assert task.started_event_id > 0
    assert task.worker is worker
    task.complete("done")
    assert task.closed
    (completed,) = events(swf_backend, "ActivityTaskCompleted")
    assert attributes(completed)["result"] == "done"
    (started,) = events(swf_backend, "ActivityTaskStarted")
    assert attributes(started)["identity"] == "w1"


def test_empty_poll_raises_poll_timeout(swf_backend: Connection) -> None:
    setup_workflow(swf_backend, activities=0)
    with pytest.raises(PollTimeout, match="'workers'"):
        Echo(DOMAIN, "workers", client=swf_backend).poll()


def test_run_once_completes_with_the_return_value_as_json(swf_backend: Connection) -> None:
    setup_workflow(swf_backend)
    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=lambda t: {"n": 1})
    report = worker.run_once()
    assert (report.kind, report.outcome, report.activity_id) == ("activity", "completed", "a0")
    (completed,) = events(swf_backend, "ActivityTaskCompleted")
    assert attributes(completed)["result"] == '{"n": 1}'


def test_an_exception_fails_the_task_with_reason_and_traceback(swf_backend: Connection) -> None:
    setup_workflow(swf_backend, activities=2)

    def explode(task: ActivityTask) -> str:
        if task.activity_id == "a0":
            raise RuntimeError("x" * 300)
        return "ok"

    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=explode)
    assert worker.run_once() and worker.run_once()  # the worker keeps going
    (failed,) = events(swf_backend, "ActivityTaskFailed")
    reason, details = attributes(failed)["reason"], attributes(failed)["details"]
    assert len(reason) == constants.MAX_REASON_LENGTH
    assert reason.startswith("xxx") and reason.endswith("...")
    assert "Traceback" in details and "RuntimeError" in details and "explode" in details
    (completed,) = events(swf_backend, "ActivityTaskCompleted")
    assert attributes(completed)["result"] == "ok"
    assert worker.seen == ["a0", "a1"]


def test_a_result_too_long_fails_the_task_instead(swf_backend: Connection) -> None:
    setup_workflow(swf_backend)
    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=lambda t: "r" * 40_000)
    worker.run_once()
    (failed,) = events(swf_backend, "ActivityTaskFailed")
    assert "result is 40000 characters long" in attributes(failed)["reason"]


def test_a_non_serialisable_result_fails_the_task(swf_backend: Connection) -> None:
    setup_workflow(swf_backend)
    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=lambda t: object())
    worker.run_once()
    (failed,) = events(swf_backend, "ActivityTaskFailed")
    assert "neither a string nor JSON-serialisable" in attributes(failed)["reason"]


def test_process_may_answer_itself(swf_backend: Connection) -> None:
    setup_workflow(swf_backend)

    def fail_politely(task: ActivityTask) -> None:
        task.fail("nope", "because")

    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=fail_politely)
    worker.run_once()
    (failed,) = events(swf_backend, "ActivityTaskFailed")
    assert attributes(failed)["reason"] == "nope"
    assert events(swf_backend, "ActivityTaskCompleted") == []


def test_heartbeat_reports_cancel_requested_false_then_task_closed(
    swf_backend: Connection,
) -> None:
    setup_workflow(swf_backend)
    worker = Echo(DOMAIN, "workers", client=swf_backend)
    task = worker.poll()
    assert task.heartbeat("50%") is False
    task.complete("done")
    with pytest.raises(TaskClosedError, match="is closed"):
        task.heartbeat("too late")
    with pytest.raises(TaskClosedError):
        worker.complete(task.token, "again")


def test_task_closed_during_process_does_not_crash_the_loop(swf_backend: Connection) -> None:
    setup_workflow(swf_backend, activities=2)

    def closed_meanwhile(task: ActivityTask) -> str:
        if task.activity_id == "a0":
            task.worker.complete(task.token, "answered elsewhere")
            task.heartbeat()  # raises TaskClosedError
        return "fine"

    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=closed_meanwhile)
    assert worker.run_once() and worker.run_once()
    results = sorted(attributes(e)["result"] for e in events(swf_backend, "ActivityTaskCompleted"))
    assert results == ["answered elsewhere", "fine"]


def test_bad_answers_are_refused_before_sending(swf_backend: Connection) -> None:
    worker = Echo(DOMAIN, "workers", client=swf_backend)
    with pytest.raises(ValidationError, match="reason"):
        worker.fail("token", reason="r" * 257)
    with pytest.raises(ValidationError, match="details"):
        worker.heartbeat("token", details="d" * 2049)
    with pytest.raises(InvalidTypeError, match="task_token"):
        worker.complete("", "x")
    assert swf_backend.calls["RespondActivityTaskFailed"] == 0


def test_cancel_request_shape_with_stubber(swf_backend: Connection) -> None:
    # moto does not implement RespondActivityTaskCanceled: check the request with Stubber.
    conn = Connection(swf_backend.client)
    worker = Echo(DOMAIN, "workers", client=conn)
    with Stubber(conn.client) as stubber:
        stubber.add_response(
            "respond_activity_task_canceled", {}, {"taskToken": "tok", "details": "bye"}
        )
        stubber.add_client_error(
            "respond_activity_task_canceled", service_error_code="UnknownResourceFault"
        )
        worker.cancel("tok", "bye")
        with pytest.raises(TaskClosedError):
            worker.cancel("tok")
        stubber.assert_no_pending_responses()


def test_stop_from_another_thread_ends_the_loop(swf_backend: Connection) -> None:
    setup_workflow(swf_backend, activities=2)
    worker = Echo(DOMAIN, "workers", client=swf_backend)
    thread = threading.Thread(target=worker.start)
    thread.start()
    try:
        for _ in range(100):
            if len(worker.seen) == 2:
                break
            threading.Event().wait(0.05)
    finally:
        worker.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert worker.is_running is False
    assert sorted(worker.seen) == ["a0", "a1"]
    assert len(events(swf_backend, "ActivityTaskCompleted")) == 2


def test_sigterm_during_a_task_finishes_it_then_stops(swf_backend: Connection) -> None:
    setup_workflow(swf_backend, activities=2)
    before = signal.getsignal(signal.SIGTERM)

    def terminated_midway(task: ActivityTask) -> str:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs now, in this thread
        assert task.worker.stopping
        return f"finished {task.activity_id}"

    worker = Echo(DOMAIN, "workers", client=swf_backend, process_fn=terminated_midway)
    worker.start()  # main thread: handlers installed; returns after the first task
    assert worker.seen == ["a0"]
    (completed,) = events(swf_backend, "ActivityTaskCompleted")
    assert attributes(completed)["result"] == "finished a0"
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_failing_poll_is_logged_and_paused_not_fatal(
    swf_backend: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    conn = Connection(swf_backend.client)
    worker = Echo(DOMAIN, "workers", client=conn)
    timer = threading.Timer(0.3, worker.stop)
    with Stubber(conn.client) as stubber, caplog.at_level("WARNING", logger="swf.actors"):
        stubber.add_client_error(
            "poll_for_activity_task", service_error_code="ThrottlingException", http_status_code=400
        )
        timer.start()
        worker.start()  # the error pauses the loop (1 s) until stop() at 0.3 s ends it
        timer.join()
        stubber.assert_no_pending_responses()
    assert conn.calls["PollForActivityTask"] == 1
    (record,) = [r for r in caplog.records if "polling failed" in r.getMessage()]
    assert "RateLimitExceededError" in record.getMessage()
    assert "polling again in 1 s" in record.getMessage()
