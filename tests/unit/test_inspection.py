"""swf.inspection on histories written event by event: timeline, pending, diagnose, SVG."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from swf.inspection import Finding, Timeline, diagnose, pending, timeline
from swf.models import ActivityType
from swf.models.history import History

T0 = dt.datetime(2026, 11, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


class Events:
    """Raw SWF events with ids in sequence and timestamps in seconds after T0."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(self, at: float, event_type: str, **attributes: Any) -> int:
        event_id = len(self.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": T0 + dt.timedelta(seconds=at),
                key: attributes,
            }
        )
        return event_id

    def started(self, **extra: Any) -> None:
        self.add(
            0,
            "WorkflowExecutionStarted",
            workflowType={"name": "flow", "version": "1"},
            taskList={"name": "deciders"},
            childPolicy="TERMINATE",
            executionStartToCloseTimeout="3600",
            taskStartToCloseTimeout="30",
            **extra,
        )

    def decision(self, at: float, run: float = 0.1) -> int:
        scheduled = self.add(
            at, "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="30"
        )
        started = self.add(at + 0.05, "DecisionTaskStarted", scheduledEventId=scheduled)
        return self.add(
            at + run,
            "DecisionTaskCompleted",
            scheduledEventId=scheduled,
            startedEventId=started,
        )

    def activity(self, at: float, activity_id: str, decided: int, **timeouts: str) -> int:
        return self.add(
            at,
            "ActivityTaskScheduled",
            activityId=activity_id,
            activityType={"name": "double", "version": "1"},
            taskList={"name": "workers"},
            decisionTaskCompletedEventId=decided,
            scheduleToStartTimeout=timeouts.get("schedule_to_start", "NONE"),
            scheduleToCloseTimeout=timeouts.get("schedule_to_close", "NONE"),
            startToCloseTimeout=timeouts.get("start_to_close", "NONE"),
            heartbeatTimeout=timeouts.get("heartbeat", "NONE"),
        )

    def history(self) -> History:
        """The events in time order, as SWF writes them (a history whose timestamps run
        backwards is refused when loaded): the fixtures add them entity by entity, so they
        are sorted by time here and renumbered, with the ids they refer to."""
        ordered = sorted(self.events, key=lambda e: (e["eventTimestamp"], e["eventId"]))
        ids = {e["eventId"]: position for position, e in enumerate(ordered, 1)}
        events = []
        for event in ordered:
            key = next(k for k in event if k.endswith("EventAttributes"))
            attributes = {
                name: ids.get(value, value) if name.endswith("EventId") else value
                for name, value in event[key].items()
            }
            events.append({**event, "eventId": ids[event["eventId"]], key: attributes})
        return History.from_event_list(events)


def finished_run() -> Events:
    """a1 fails once then completes; a2 completes; a timer fires; the workflow completes."""
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.activity(1, "a1", d)
    st = e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    e.add(
        4,
        "ActivityTaskFailed",
        scheduledEventId=s,
        startedEventId=st,
        reason="boom",
        details="trace",
    )
    d = e.decision(4)
    s = e.activity(5, "a1", d)
    st = e.add(5.5, "ActivityTaskStarted", scheduledEventId=s, identity="w2")
    e.add(7, "ActivityTaskCompleted", scheduledEventId=s, startedEventId=st, result="2")
    s2 = e.activity(5, "a2", d)
    st2 = e.add(6, "ActivityTaskStarted", scheduledEventId=s2, identity="w1")
    e.add(6.5, "ActivityTaskCompleted", scheduledEventId=s2, startedEventId=st2, result="4")
    d = e.decision(7)
    e.add(
        7.2, "TimerStarted", timerId="pause", startToFireTimeout="1", decisionTaskCompletedEventId=d
    )
    e.add(8.2, "TimerFired", timerId="pause", startedEventId=len(e.events))
    d = e.decision(8.2)
    e.add(10, "WorkflowExecutionCompleted", result="6", decisionTaskCompletedEventId=d)
    return e


def test_timeline_per_task_times_attempts_share() -> None:
    t = timeline(finished_run().history())
    assert isinstance(t, Timeline)
    assert t.state == "completed"
    assert t.total == 10.0
    assert [(task.kind, task.id, task.state, task.attempts) for task in t] == [
        ("activity", "a1", "completed", 2),
        ("activity", "a2", "completed", 1),
        ("timer", "pause", "fired", 1),
    ]
    a1, a2, timer = t
    assert (a1.wait, a1.run, a1.result, a1.name) == (0.5, 1.5, "2", "double 1")
    assert a1.share == pytest.approx(0.2)
    (first,) = a1.tries
    assert (first.state, first.wait, first.run, first.reason, first.details) == (
        "failed",
        1.0,
        2.0,
        "boom",
        "trace",
    )
    assert first.failed and not a1.failed
    assert (a2.wait, a2.run, a2.share) == (1.0, 0.5, pytest.approx(0.15))
    assert (timer.name, timer.wait, timer.run) == ("1 s", 0.0, pytest.approx(1.0))
    assert t.decision_time == pytest.approx(0.4)
    data = t.to_dict()
    assert data["total"] == 10.0
    assert data["tasks"][0]["tries"][0]["reason"] == "boom"
    assert data["tasks"][0]["scheduled_at"] == (T0 + dt.timedelta(seconds=5)).isoformat()


def test_open_tasks_run_until_now() -> None:
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.activity(1, "slow", d, heartbeat="20", start_to_close="100")
    e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    e.activity(3, "queued", d, schedule_to_start="60")
    now = T0 + dt.timedelta(seconds=20)
    t = timeline(e.history(), now=now)
    assert t.ended_at == now and t.total == 20.0
    slow, queued = t
    assert (slow.state, slow.wait, slow.run, slow.is_open) == ("started", 1.0, 18.0, True)
    assert (queued.state, queued.wait, queued.run) == ("scheduled", 17.0, None)
    # Without now, a bare history ends at its last event.
    assert timeline(e.history()).ended_at == T0 + dt.timedelta(seconds=3)


def test_pending_lists_open_things_with_time_left() -> None:
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.activity(1, "slow", d, heartbeat="20", start_to_close="100", schedule_to_close="300")
    e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    e.activity(3, "queued", d, schedule_to_start="60")
    e.add(4, "TimerStarted", timerId="t", startToFireTimeout="50", decisionTaskCompletedEventId=d)
    e.add(5, "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="30")
    now = T0 + dt.timedelta(seconds=20)
    items = pending(e.history(), now=now)
    assert [(i.kind, i.id, i.state) for i in items] == [
        ("activity", "slow", "started"),
        ("activity", "queued", "scheduled"),
        ("timer", "t", "started"),
        ("decision", "9", "scheduled"),
    ]
    slow, queued, timer, decision = items
    assert [(d.timeout, d.left) for d in slow.deadlines] == [
        ("heartbeat", 2.0),
        ("start_to_close", 82.0),
        ("schedule_to_close", 281.0),
    ]
    assert slow.next_deadline is not None and slow.next_deadline.at == T0 + dt.timedelta(seconds=22)
    assert slow.task_list == "workers" and slow.name == "double 1"
    assert [(d.timeout, d.left) for d in queued.deadlines] == [("schedule_to_start", 43.0)]
    assert [(d.timeout, d.left) for d in timer.deadlines] == [("fire", 34.0)]
    assert decision.deadlines == () and decision.task_list == "deciders"
    assert slow.to_dict()["deadlines"][0] == {
        "timeout": "heartbeat",
        "seconds": 20.0,
        "at": (T0 + dt.timedelta(seconds=22)).isoformat(),
        "left": 2.0,
    }


def test_pending_is_empty_when_closed() -> None:
    assert pending(finished_run().history()) == []


def four_second_run() -> History:
    """Open, last event at T0 + 4 s: an activity queued at 1 s, a decision task at 4 s."""
    e = Events()
    e.started()
    d = e.decision(0)
    e.activity(1, "queued", d, schedule_to_start="60")
    e.add(4, "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="30")
    return e.history()


def test_a_saved_history_is_read_as_of_its_last_event() -> None:
    """pending() and diagnose() default ``now`` to the last event, as timeline() does: a
    history saved long ago did not wait since (it once said "waited 336 days")."""
    history = four_second_run()
    last = T0 + dt.timedelta(seconds=4)
    assert timeline(history).ended_at == last
    items = pending(history)
    assert items == pending(history, now=last)
    assert [(d.timeout, d.left) for d in items[0].deadlines] == [("schedule_to_start", 57.0)]
    findings = diagnose(history)
    assert findings == diagnose(history, now=last)
    assert [str(f) for f in findings] == [
        "info: the execution is open for 4 s with 2 pending tasks: 1 activity, 1 decision task"
    ]
    assert len(items) == 2  # what pending() lists, diagnose() counts
    # now= still overrides.
    later = diagnose(history, now=T0 + dt.timedelta(seconds=100))
    assert codes(later)[:2] == ["no-decider", "no-worker"]


def test_lookups_given_with_a_history() -> None:
    """What SWF would add (type defaults, backlogs) can be passed in as plain callables."""
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.add(
        1,
        "ActivityTaskScheduled",
        activityId="bare",
        activityType={"name": "double", "version": "1"},
        taskList={"name": "workers"},
        decisionTaskCompletedEventId=d,
    )
    e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    e.activity(3, "queued", d)
    history = e.history()
    now = T0 + dt.timedelta(seconds=60)
    assert pending(history, now=now)[0].deadlines == ()  # nothing recorded, nothing looked up

    asked: list[tuple[str, str]] = []

    def types(name: str, version: str) -> ActivityType | None:
        asked.append((name, version))
        return ActivityType("d", name, version, task_heartbeat_timeout=30)

    bare = pending(history, now=now, activity_types=types)[0]
    assert [(x.timeout, x.left) for x in bare.deadlines] == [("heartbeat", -28.0)]
    assert asked == [("double", "1")]

    counts = {("activity", "workers"): 7}
    findings = diagnose(history, now=now, backlog=lambda kind, tl: counts.get((kind, tl)))
    stuck = next(f for f in findings if f.code == "no-worker")
    assert stuck.message.endswith("; 7 activity tasks pending there")


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_diagnose_finished_run_reports_the_last_failure() -> None:
    findings = diagnose(finished_run().history())
    assert codes(findings) == ["last-failure", "closed"]
    failure = findings[0]
    assert failure.level == "warning"
    assert failure.message == "last failure: activity 'a1' failed: boom (trace)"
    assert str(findings[1]) == "info: the execution is closed: completed"


def test_diagnose_stuck_execution() -> None:
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.activity(1, "slow", d, heartbeat="20")
    e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    e.activity(3, "queued", d)
    sched = e.add(
        4, "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="30"
    )
    started = e.add(5, "DecisionTaskStarted", scheduledEventId=sched)
    e.add(
        35,
        "DecisionTaskTimedOut",
        scheduledEventId=sched,
        startedEventId=started,
        timeoutType="START_TO_CLOSE",
    )
    e.add(35, "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="30")
    now = T0 + dt.timedelta(seconds=100)
    findings = diagnose(e.history(), now=now)
    assert codes(findings) == ["no-decider", "no-worker", "heartbeat", "decision-timeouts"]
    assert findings[0].message == (
        "no decider seems to poll task list 'deciders': a decision task has waited 65 s"
    )
    assert findings[1].subject == "task list 'workers'"
    assert "heartbeat timeout (20 s) is overdue" in findings[2].message
    assert findings[3].message.startswith("1 decision task timed out")
    # A task waiting less than stuck_after is not reported.
    assert "no-worker" not in codes(diagnose(e.history(), now=now, stuck_after=1000))


def test_diagnose_idle_and_limits() -> None:
    e = Events()
    e.started()
    e.decision(0)
    findings = diagnose(e.history(), now=T0 + dt.timedelta(seconds=5))
    assert codes(findings) == ["idle", "open"]
    assert findings[1].message == "the execution is open for 5 s with nothing pending"

    big = Events()
    big.started()
    d = big.decision(0)
    for n in range(810):
        big.activity(1, f"a{n}", d)
    findings = diagnose(big.history(), now=T0 + dt.timedelta(seconds=2), near=0.03)
    assert "open-activities" in codes(findings)
    assert "history-size" in codes(findings)
    msg = next(f.message for f in findings if f.code == "history-size")
    assert "814 events" in msg


def test_diagnose_failed_workflow_is_an_error() -> None:
    e = Events()
    e.started()
    d = e.decision(0)
    e.add(
        1,
        "WorkflowExecutionFailed",
        reason="bad input",
        details="x",
        decisionTaskCompletedEventId=d,
    )
    (finding,) = diagnose(e.history())
    assert (finding.level, finding.code) == ("error", "closed")
    assert finding.message == "the execution is closed: failed (bad input)"
    assert finding.to_dict() == {
        "level": "error",
        "code": "closed",
        "message": "the execution is closed: failed (bad input)",
        "subject": "workflow",
    }


def test_svg_gantt_chart() -> None:
    svg = timeline(finished_run().history()).to_svg(width=800, title="demo <run>")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "800"
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "demo <run>" in texts
    assert {"activity a1", "activity a2", "timer pause"} <= set(texts)
    waits = root.findall(".//s:rect[@class='wait']", ns)
    runs = root.findall(".//s:rect[@class='run']", ns)
    failures = root.findall(".//s:path[@class='failure']", ns)
    assert len(runs) == 4  # a1 twice (the failed try on the same row), a2, the timer
    assert len(waits) == 4
    assert len(failures) == 1
    assert any(r.get("fill") == "#c62828" for r in runs)  # the failed try
    tips = [r.find("s:title", ns).text for r in runs]  # type: ignore[union-attr]
    assert any("failed" in (tip or "") and "boom" in (tip or "") for tip in tips)


def test_timeline_rejects_other_sources() -> None:
    with pytest.raises(TypeError, match="expected a WorkflowExecution"):
        timeline("nope")


def children_and_lambdas() -> Events:
    """A child that fails, a Lambda that times out, another still running, a child running."""
    e = Events()
    e.started()
    d = e.decision(0)
    child = e.add(
        1,
        "StartChildWorkflowExecutionInitiated",
        workflowId="kid-1",
        workflowType={"name": "kid", "version": "2"},
        taskList={"name": "kids"},
        executionStartToCloseTimeout="100",
        childPolicy="TERMINATE",
        taskStartToCloseTimeout="10",
        decisionTaskCompletedEventId=d,
    )
    execution = {"workflowId": "kid-1", "runId": "r1"}
    kid_type = {"name": "kid", "version": "2"}
    started = e.add(
        2,
        "ChildWorkflowExecutionStarted",
        workflowExecution=execution,
        workflowType=kid_type,
        initiatedEventId=child,
    )
    e.add(
        5,
        "ChildWorkflowExecutionFailed",
        workflowExecution=execution,
        workflowType=kid_type,
        initiatedEventId=child,
        startedEventId=started,
        reason="kid broke",
    )
    lam = e.add(
        1, "LambdaFunctionScheduled", id="l1", name="resize", startToCloseTimeout="3",
        decisionTaskCompletedEventId=d,
    )  # fmt: skip
    lam_started = e.add(1.5, "LambdaFunctionStarted", scheduledEventId=lam)
    e.add(
        4.5,
        "LambdaFunctionTimedOut",
        scheduledEventId=lam,
        startedEventId=lam_started,
        timeoutType="START_TO_CLOSE",
    )
    d = e.decision(6)
    lam2 = e.add(
        7, "LambdaFunctionScheduled", id="l2", name="crop", startToCloseTimeout="30",
        decisionTaskCompletedEventId=d,
    )  # fmt: skip
    e.add(7.5, "LambdaFunctionStarted", scheduledEventId=lam2)
    child2 = e.add(
        7,
        "StartChildWorkflowExecutionInitiated",
        workflowId="kid-2",
        workflowType=kid_type,
        taskList={"name": "kids"},
        executionStartToCloseTimeout="100",
        childPolicy="TERMINATE",
        taskStartToCloseTimeout="10",
        decisionTaskCompletedEventId=d,
    )
    e.add(
        8,
        "ChildWorkflowExecutionStarted",
        workflowExecution={"workflowId": "kid-2", "runId": "r2"},
        workflowType=kid_type,
        initiatedEventId=child2,
    )
    return e


def test_children_and_lambda_functions() -> None:
    now = T0 + dt.timedelta(seconds=10)
    history = children_and_lambdas().history()
    t = timeline(history, now=now)
    rows = [(x.kind, x.id, x.name, x.state, x.wait, x.run, x.reason) for x in t]
    assert rows == [
        ("lambda", "l1", "resize", "timed_out", 0.5, 3.0, "START_TO_CLOSE"),
        ("child", "kid-1", "kid 2", "failed", 1.0, 3.0, "kid broke"),
        ("lambda", "l2", "crop", "started", 0.5, 2.5, None),
        ("child", "kid-2", "kid 2", "started", 1.0, 2.0, None),
    ]
    assert [x.failed for x in t] == [True, True, False, False]
    items = pending(history, now=now)
    assert [(i.kind, i.id, [(d.timeout, d.left) for d in i.deadlines]) for i in items] == [
        ("lambda", "l2", [("start_to_close", 27.5)]),
        ("child", "kid-2", [("execution", 98.0)]),
    ]
    assert items[1].task_list == "kids"
    findings = diagnose(history, now=now)
    assert codes(findings) == ["last-failure", "open"]
    # In time order (as SWF writes a history) the child's failure, at 5 s, is the last one;
    # the Lambda function timed out at 4.5 s.
    assert findings[0].message == "last failure: child workflow 'kid-1' failed: kid broke"
    assert findings[1].message == (
        "the execution is open for 10 s with 2 pending tasks: 1 Lambda function, 1 child workflow"
    )

    svg = t.to_svg()
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    fills = [r.get("fill") for r in root.findall(".//s:rect[@class='run']", ns)]
    assert fills == ["#c62828", "#c62828", "url(#open)", "url(#open)"]
    assert len(root.findall(".//s:path[@class='failure']", ns)) == 2


def test_timeouts_about_to_fire() -> None:
    e = Events()
    e.started()
    d = e.decision(0)
    s = e.activity(1, "long", d, start_to_close="100", schedule_to_close="1000")
    e.add(2, "ActivityTaskStarted", scheduledEventId=s, identity="w1")
    findings = diagnose(e.history(), now=T0 + dt.timedelta(seconds=90))
    assert codes(findings) == ["timeout-soon", "open"]
    assert findings[0].message == "activity 'long': start-to-close timeout (100 s) fires in 12 s"
