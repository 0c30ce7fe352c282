"""Long polls and timeouts on the local endpoint, in-process and on the server.

No durations are asserted (that is benchmarks/bench_local.py's job): a long poll is shown to
be woken by the task it returns while waiting much longer than the test; a timeout is shown
by the events SWF writes, which appear while nobody calls the endpoint.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from local_kit import (
    ACTIVITY,
    DOMAIN,
    Kit,
    after,
    decision,
    endpoint,
    in_thread,
    last,
    poll_timeout,
)

from swf.core import Connection
from swf.exceptions import DoesNotExistError
from swf.local import (
    MOTO_VERSION,
    LocalSWF,
    MotoVersionError,
    end_polls,
    install,
    register_lambda,
    registered_lambdas,
)
from swf.local import _install as install_module

#: Long enough that a poll answered before it passes was woken by a task, not timed out.
LONG = 60.0


@pytest.fixture(params=["in-process", "server"])
def conn(request: pytest.FixtureRequest) -> Connection:
    return endpoint(request)


@pytest.fixture
def kit(conn: Connection) -> Kit:
    return Kit(conn)


@pytest.fixture
def long_polls() -> Iterator[None]:
    with poll_timeout(LONG):
        yield


def wait_until(predicate: Any, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def waiting_polls() -> int:
    from swf.local import _engine

    return _engine.waiting_polls()


# -- long polling -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["decision", "activity"])
def test_a_waiting_poll_gets_the_task_scheduled_meanwhile(
    kit: Kit, long_polls: None, kind: str
) -> None:
    if kind == "activity":
        kit.start("w")
        kit.decide([])  # a decision task to answer later, with the activity
        kit.signal("w")
        operation, task_list = "PollForActivityTask", "workers"
    else:
        operation, task_list = "PollForDecisionTask", "deciders"
    before = waiting_polls()
    thread, out = in_thread(kit.call, operation, taskList={"name": task_list})
    wait_until(lambda: waiting_polls() > before, "the poll to wait")
    if kind == "activity":
        kit.decide([decision("ScheduleActivityTask", activityId="a1", activityType=ACTIVITY)])
    else:
        kit.start("w")
    thread.join(timeout=LONG / 2)
    assert not thread.is_alive(), "the poll was not woken by the task"
    (task,) = out
    assert task["taskToken"]
    assert task["workflowExecution"]["workflowId"] == "w"


def test_an_empty_poll_answers_without_a_task_after_the_poll_timeout(kit: Kit) -> None:
    with poll_timeout(0.2):
        assert "taskToken" not in kit.poll()
        assert "taskToken" not in kit.call("PollForActivityTask", taskList={"name": "workers"})


def test_end_polls_ends_waiting_polls_empty(kit: Kit, long_polls: None) -> None:
    before = waiting_polls()
    threads = [
        in_thread(kit.poll),
        in_thread(kit.call, "PollForActivityTask", taskList={"name": "workers"}),
    ]
    wait_until(lambda: waiting_polls() >= before + 2, "both polls to wait")
    end_polls()
    for thread, out in threads:
        thread.join(timeout=LONG / 2)
        assert not thread.is_alive()
        assert "taskToken" not in out[0]


def test_reset_and_stop_end_waiting_polls(swf_env: dict[str, str]) -> None:
    with LocalSWF(poll_timeout=LONG) as local:
        local.reset()  # moto's backends are per process: other tests' domains may be there
        kit = Kit(local.connection(read_timeout=LONG + 10))
        thread, out = in_thread(kit.poll)
        wait_until(lambda: waiting_polls() >= 1, "the poll to wait")
        local.reset()
        thread.join(timeout=LONG / 2)
        assert not thread.is_alive() and "taskToken" not in out[0]
        kit = Kit(local.connection(read_timeout=LONG + 10))
        thread, out = in_thread(kit.poll)
        wait_until(lambda: waiting_polls() >= 1, "the poll to wait")
    thread.join(timeout=LONG / 2)  # stop() ended it
    assert not thread.is_alive()


def test_several_pollers_each_get_one_task(kit: Kit, long_polls: None) -> None:
    before = waiting_polls()
    polls = [in_thread(kit.poll) for _ in range(3)]
    wait_until(lambda: waiting_polls() >= before + 3, "three polls to wait")
    runs = {kit.start(f"w{i}") for i in range(3)}
    tasks = []
    for thread, out in polls:
        thread.join(timeout=LONG / 2)
        assert not thread.is_alive()
        tasks.append(out[0])
    assert {t["workflowExecution"]["runId"] for t in tasks} == runs


def test_a_second_decision_task_waits_for_the_started_one(kit: Kit, long_polls: None) -> None:
    kit.start("w")
    task = kit.poll()
    kit.signal("w")  # a decision task is scheduled while the first is started
    before = waiting_polls()
    thread, out = in_thread(kit.poll)
    wait_until(lambda: waiting_polls() > before, "the second poll to wait")
    kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"])
    thread.join(timeout=LONG / 2)
    assert not thread.is_alive()
    assert out[0]["previousStartedEventId"] == task["startedEventId"]


# -- timeouts ---------------------------------------------------------------------------------


def timeouts(**overrides: str) -> dict[str, Any]:
    values = {
        "scheduleToStartTimeout": "300",
        "scheduleToCloseTimeout": "300",
        "startToCloseTimeout": "300",
        "heartbeatTimeout": "300",
        **overrides,
    }
    return decision("ScheduleActivityTask", activityId="a1", activityType=ACTIVITY, **values)


def timed_out(
    kit: Kit, workflow_id: str, run: str, event_type: str
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """Wait, in a long poll and with no other call, for the decision task that the timeout
    ``event_type`` schedules; the history then, the event, and that task."""
    with poll_timeout(LONG):
        task = kit.poll()
    assert task.get("taskToken"), f"no decision task after {event_type}"
    assert event_type in [e["eventType"] for e in task["events"]]
    events = kit.events(workflow_id, run)
    return events, last(events, event_type), task


@pytest.mark.parametrize(
    ("overrides", "start", "timeout_type"),
    [
        ({"scheduleToStartTimeout": "1"}, False, "SCHEDULE_TO_START"),
        ({"scheduleToCloseTimeout": "1"}, True, "SCHEDULE_TO_CLOSE"),
        ({"startToCloseTimeout": "1"}, True, "START_TO_CLOSE"),
        ({"heartbeatTimeout": "1"}, True, "HEARTBEAT"),
    ],
)
def test_activity_timeouts_fire(
    kit: Kit, overrides: dict[str, str], start: bool, timeout_type: str
) -> None:
    run = kit.start("w")
    kit.decide([timeouts(**overrides)])
    task = kit.work() if start else None
    if task is not None:
        kit.call("RecordActivityTaskHeartbeat", taskToken=task["taskToken"], details="progress")
    events, event, _ = timed_out(kit, "w", run, "ActivityTaskTimedOut")
    assert event["timeoutType"] == timeout_type
    assert event["scheduledEventId"] == last(events, "ActivityTaskScheduled")["event_id"]
    if task is None:
        assert event["startedEventId"] == 0
    else:
        assert event["startedEventId"] == task["startedEventId"]
        assert event["details"] == "progress"  # the last heartbeat's
    assert after(events, event["event_id"]) == ["DecisionTaskScheduled", "DecisionTaskStarted"]
    assert kit.describe("w", run)["openCounts"]["openActivityTasks"] == 0
    if task is not None:
        with pytest.raises(DoesNotExistError):  # a late answer: UnknownResourceFault
            kit.call("RespondActivityTaskCompleted", taskToken=task["taskToken"])


def test_the_heartbeat_clock_starts_when_the_task_starts(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([timeouts(heartbeatTimeout="1")])
    time.sleep(1.5)  # scheduled for longer than the heartbeat timeout: no matter
    task = kit.work()
    events = kit.events("w", run)
    assert "ActivityTaskTimedOut" not in [e["eventType"] for e in events]
    events, event, _ = timed_out(kit, "w", run, "ActivityTaskTimedOut")
    assert (event["timeoutType"], event["startedEventId"]) == ("HEARTBEAT", task["startedEventId"])
    started = next(e for e in events if e["eventId"] == task["startedEventId"])
    timed = next(e for e in events if e["eventId"] == event["event_id"])
    assert (timed["eventTimestamp"] - started["eventTimestamp"]).total_seconds() >= 1


def test_a_decision_task_times_out_and_another_is_scheduled(kit: Kit) -> None:
    run = kit.start("w", taskStartToCloseTimeout="1")
    task = kit.poll()
    events, event, again = timed_out(kit, "w", run, "DecisionTaskTimedOut")
    assert event["timeoutType"] == "START_TO_CLOSE"
    assert (event["scheduledEventId"], event["startedEventId"]) == (2, task["startedEventId"])
    assert after(events, event["event_id"]) == ["DecisionTaskScheduled", "DecisionTaskStarted"]
    with pytest.raises(DoesNotExistError):
        kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"])
    complete = decision("CompleteWorkflowExecution")
    kit.call("RespondDecisionTaskCompleted", taskToken=again["taskToken"], decisions=[complete])
    assert kit.describe("w", run)["executionInfo"]["closeStatus"] == "COMPLETED"


def test_a_sticky_decision_task_times_out_before_it_starts(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([], taskList={"name": "sticky"}, taskListScheduleToStartTimeout="1")
    kit.signal("w")
    sticky = last(kit.events("w", run), "DecisionTaskScheduled")
    assert (sticky["taskList"], sticky["scheduleToStartTimeout"]) == ({"name": "sticky"}, "1")
    events, event, _ = timed_out(kit, "w", run, "DecisionTaskTimedOut")
    assert event["timeoutType"] == "SCHEDULE_TO_START"
    assert (event["scheduledEventId"], event["startedEventId"]) == (sticky["event_id"], 0)
    again = last(events, "DecisionTaskScheduled")
    assert again["taskList"] == {"name": "deciders"}  # back to the execution's task list


def test_a_workflow_times_out_and_its_parent_is_told(kit: Kit) -> None:
    parent = kit.start("p")
    child = decision(
        "StartChildWorkflowExecution",
        workflowType={"name": "child", "version": "1"},
        workflowId="c",
        executionStartToCloseTimeout="1",
        childPolicy="ABANDON",
    )
    kit.decide([child])
    kit.decide([])  # the task ChildWorkflowExecutionStarted scheduled
    _, event, _ = timed_out(kit, "p", parent, "ChildWorkflowExecutionTimedOut")
    assert event["timeoutType"] == "START_TO_CLOSE"
    run = event["workflowExecution"]["runId"]
    child_events = kit.events("c", run)
    closed = last(child_events, "WorkflowExecutionTimedOut")
    assert (closed["timeoutType"], closed["childPolicy"]) == ("START_TO_CLOSE", "ABANDON")
    assert after(child_events, closed["event_id"]) == []
    info = kit.describe("c", run)["executionInfo"]
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "TIMED_OUT")


def test_a_decision_timeout_of_none_never_fires_and_breaks_nothing(kit: Kit) -> None:
    run = kit.start("w", taskStartToCloseTimeout="NONE")
    task = kit.poll()
    assert last(kit.events("w", run), "DecisionTaskScheduled")["startToCloseTimeout"] == "NONE"
    other = kit.start("other", taskStartToCloseTimeout="1")
    kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"])
    kit.decide([decision("CompleteWorkflowExecution")])  # the other one's task
    assert kit.describe("other", other)["executionInfo"]["closeStatus"] == "COMPLETED"
    assert kit.call("CountOpenWorkflowExecutions", startTimeFilter={"oldestDate": 0})["count"] == 1


def test_activity_timeouts_of_none_never_fire(kit: Kit) -> None:
    run = kit.start("w")
    none = {k: "NONE" for k in ("scheduleToStartTimeout", "heartbeatTimeout")}
    kit.decide([timeouts(**none)])
    scheduled = last(kit.events("w", run), "ActivityTaskScheduled")
    assert scheduled["scheduleToStartTimeout"] == "NONE"
    assert scheduled["heartbeatTimeout"] == "NONE"
    assert scheduled["startToCloseTimeout"] == "300"  # every timeout written, defaults resolved
    task = kit.work()
    kit.call("RespondActivityTaskCompleted", taskToken=task["taskToken"], result="ok")
    assert last(kit.events("w", run), "ActivityTaskCompleted")["result"] == "ok"


# -- installing -------------------------------------------------------------------------------


def test_install_is_idempotent_and_checks_its_argument() -> None:
    assert install() is True
    assert install() is True
    with pytest.raises(ValueError, match="positive"):
        install(poll_timeout=0)
    with pytest.raises(ValueError, match="seconds"):
        install(poll_timeout="soon")  # type: ignore[arg-type]


def test_another_moto_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import moto

    monkeypatch.setattr(moto, "__version__", "5.3.0")
    with pytest.raises(
        MotoVersionError, match=f"moto {MOTO_VERSION}'s SWF backend, but moto 5.3.0"
    ):
        install_module._check_moto_version()


def test_calls_are_serialized_across_threads(swf_backend: Connection) -> None:
    kit = Kit(swf_backend)
    kit.start("w")
    errors: list[BaseException] = []

    def signal_many(name: str) -> None:
        try:
            for _ in range(50):
                kit.signal("w", name)
        except BaseException as exc:  # pragma: no cover - what the test looks for
            errors.append(exc)

    threads = [threading.Thread(target=signal_many, args=(f"s{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    run = kit.call("ListOpenWorkflowExecutions", domain=DOMAIN, startTimeFilter={"oldestDate": 0})
    events = kit.events("w", run["executionInfos"][0]["execution"]["runId"])
    assert [e["eventId"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["eventType"] == "WorkflowExecutionSignaled" for e in events) == 200


def test_resets_while_calls_run_do_not_deadlock(swf_env: dict[str, str]) -> None:
    """moto's reset holds moto's lock and takes the endpoint's; a call must never hold the
    endpoint's lock while it waits for moto's."""
    with LocalSWF(poll_timeout=0.05) as local:
        stop = threading.Event()
        errors: list[BaseException] = []

        def busy() -> None:
            conn = local.connection(retries=1, read_timeout=30)
            while not stop.is_set():
                try:
                    conn.call("ListDomains", registrationStatus="REGISTERED")
                    conn.call("PollForActivityTask", domain="none", taskList={"name": "t"})
                except DoesNotExistError:
                    pass  # the domain is gone: expected
                except BaseException as exc:  # pragma: no cover - what the test looks for
                    errors.append(exc)
                    return

        threads = [threading.Thread(target=busy, daemon=True) for _ in range(4)]
        for thread in threads:
            thread.start()
        for _ in range(15):
            local.client().register_domain(name="none", workflowExecutionRetentionPeriodInDays="1")
            local.reset()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
            assert not thread.is_alive(), "a call is stuck"
    assert errors == []


def test_local_swf_registers_its_lambda_functions_while_it_runs(swf_env: dict[str, str]) -> None:
    with LocalSWF(poll_timeout=20, lambda_functions={"echo": lambda data: data}) as local:
        assert "echo" in registered_lambdas()
        local.reset()
        kit = Kit(local.connection(read_timeout=30))
        run = kit.start("w")
        kit.decide([decision("ScheduleLambdaFunction", id="l1", name="echo", input="x")])
        assert kit.poll().get("taskToken")  # the task after LambdaFunctionCompleted
        assert last(kit.events("w", run), "LambdaFunctionCompleted")["result"] == "x"
    assert "echo" not in registered_lambdas()


@pytest.mark.parametrize(
    ("name", "function", "error"),
    [("", print, ValueError), ("x" * 65, print, ValueError), ("f", "not callable", TypeError)],
)
def test_register_lambda_checks_its_arguments(name: str, function: Any, error: type) -> None:
    with pytest.raises(error):
        register_lambda(name, function)
    assert name not in registered_lambdas()
