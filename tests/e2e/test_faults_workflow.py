"""A 200-activity workflow through a proxy that faults 20% of the calls: nothing is lost.

The decider and two activity workers run in threads against the session's moto server, through
:class:`faultproxy.FaultProxy`, which answers 20% of the requests of every operation with a
throttle, a 500, a 503 or a dropped connection, and also loses the answer of 20% of the calls
that :data:`swf.core.APPLIED_ON_RETRY` makes idempotent (after moto applied them). Polls are not
given lost answers: a task handed out to nobody is lost by SWF itself until its timeout, which is
not a fault of the actors.

botocore's standard-mode backoff is shortened for this test only (its throttling backoff is up
to 20 s), so that the run stays short; the number of attempts is the setting ``retries``.
"""

from __future__ import annotations

import collections
import json
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.retries import standard
from faultproxy import FaultProxy
from workflow_app import DECIDERS, DOMAIN, WORKERS, register, run_in_thread, wait_for

from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from swf.core import APPLIED_ON_RETRY, Connection
from swf.local import LocalSWF
from swf.models import ActivityType
from swf.models.decision import ActivityTaskDecision, WorkflowExecutionDecision

pytestmark = pytest.mark.e2e

logger = logging.getLogger("tests.faults")

RETRY_LINE = re.compile(r"SWF \w+: (\d+) retries")
N = 200
BATCH = 25
RATE = 0.2
KINDS = ("throttle", "500", "503", "drop")
#: The idempotent operations the actors make, which also get lost answers.
LOST_OPERATIONS = sorted(
    set(APPLIED_ON_RETRY)
    & {
        "RegisterDomain",
        "RegisterWorkflowType",
        "RegisterActivityType",
        "StartWorkflowExecution",
        "RespondDecisionTaskCompleted",
        "RespondActivityTaskCompleted",
    }
)


class BatchDecider(Decider):
    """Keeps BATCH activities open until N completed, then completes with their sum."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answered: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    def decide(self, task: DecisionTask) -> list[Any]:
        activities = task.history.compiled.activities
        activity_type = ActivityType(DOMAIN, "double", "1", task_list=WORKERS)
        completed = [a for a in activities.values() if a.state == "completed"]
        if len(completed) == N:
            total = sum(json.loads(a.result)["y"] for a in completed)
            return [WorkflowExecutionDecision.complete(result=str(total))]
        failed = [a for a in activities.values() if a.state in ("failed", "timed_out")]
        if failed:
            return [WorkflowExecutionDecision.fail(reason=f"{failed[0]} did not complete")]
        open_ = len(activities) - len(completed)
        fresh = range(len(activities), min(N, len(activities) + BATCH - open_))
        return [
            ActivityTaskDecision.schedule(f"act-{i}", activity_type, input=json.dumps({"x": i}))
            for i in fresh
        ]

    def complete(
        self,
        task_token: str,
        decisions: Any = None,
        execution_context: str | None = None,
    ) -> None:
        super().complete(task_token, decisions, execution_context)
        with self._lock:
            self.answered[task_token] += 1


class RecordingWorker(ActivityWorker):
    """Doubles x, recording every execution of ``process`` (shared between the workers)."""

    runs: collections.Counter[str]
    lock: threading.Lock

    def process(self, task: ActivityTask) -> dict[str, int]:
        with self.lock:
            self.runs[task.activity_id] += 1
        return {"y": 2 * json.loads(task.input or "{}")["x"]}


@pytest.fixture
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's standard backoff, 20 times shorter (clients built afterwards only)."""
    monkeypatch.setattr(
        standard.ExponentialBackoff,
        "_DEFAULT_BACKOFF_CONFIG",
        {"throttling_base_scale": 0.05, "non_throttling_base_scale": 0.0025},
    )
    monkeypatch.setattr(standard.ExponentialBackoff, "_MAX_BACKOFF", 1)


@pytest.fixture
def proxy(local_swf: LocalSWF, short_backoff: None) -> Iterator[FaultProxy]:
    local_swf.reset()
    with FaultProxy(local_swf.endpoint_url, seed=20) as proxy:
        yield proxy


def test_a_200_activity_workflow_completes_under_20_percent_faults(
    proxy: FaultProxy, local_swf: LocalSWF, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="swf.core")
    caplog.set_level(logging.INFO, logger="tests.faults")

    def connect() -> Connection:
        # A plain Connection (not LocalConnection, whose client never retries a 500).
        return Connection(
            endpoint_url=proxy.endpoint_url,
            region=local_swf.region,
            retries=10,
            read_timeout=10,
            connect_timeout=2,
        )

    # the setup calls lose their first answer, every one of them
    setup_operations = [op for op in LOST_OPERATIONS if not op.startswith("Respond")]
    proxy.set_faults(1.0, kinds=["lost"], operations=setup_operations, limit=1)
    setup = connect()
    workflow_type, _ = register(setup)
    execution = workflow_type.start_execution(workflow_id="faulty-200", input="{}")
    assert {op: setup.retries[op] for op in setup_operations} == dict.fromkeys(setup_operations, 1)
    assert {op: proxy.forwarded[op] for op in setup_operations} == dict.fromkeys(
        setup_operations, 2
    )
    assert execution.upstream().run_id == execution.run_id  # the lost answer's run id
    proxy.set_faults(RATE, kinds=KINDS)
    proxy.set_faults(RATE, kinds=(*KINDS, "lost"), operations=LOST_OPERATIONS)

    decider = BatchDecider(DOMAIN, DECIDERS, client=connect())
    runs: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    workers = []
    for i in range(2):
        worker = RecordingWorker(DOMAIN, WORKERS, identity=f"worker-{i}", client=connect())
        worker.runs, worker.lock = runs, lock
        workers.append(worker)
    actors: list[Decider | ActivityWorker] = [decider, *workers]
    threads = [run_in_thread(actor) for actor in actors]
    try:
        final = wait_for(lambda: _closed(execution), timeout=120, interval=0.5)
    finally:
        for actor in actors:
            actor.stop()
        for thread in threads:
            thread.join(timeout=15)
        proxy.clear()
    assert not any(thread.is_alive() for thread in threads)
    assert final.close_status == "COMPLETED"

    history = list(execution.history())
    ids = [f"act-{i}" for i in range(N)]
    # every activity ran exactly once, and completed exactly once in the history
    assert runs == dict.fromkeys(ids, 1)
    by_state: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for event in history:
        if event.type == "ActivityTask" and event.state == "scheduled":
            by_state["scheduled"][event.attributes["activityId"]] += 1
    scheduled_ids = {
        e.id: e.attributes["activityId"]
        for e in history
        if e.type == "ActivityTask" and e.state == "scheduled"
    }
    for event in history:
        if event.type == "ActivityTask" and event.state != "scheduled":
            by_state[event.state][scheduled_ids[event.attributes["scheduledEventId"]]] += 1
    expected = dict.fromkeys(ids, 1)
    assert by_state["scheduled"] == expected
    assert by_state["started"] == expected
    assert by_state["completed"] == expected
    # tasks lost: none (every scheduled activity closed; nothing timed out or failed)
    lost = set(by_state["scheduled"]) - set(by_state["completed"])
    assert lost == set()
    assert [e.event_type for e in history if "TimedOut" in e.event_type] == []
    assert [e.event_type for e in history if e.event_type.endswith("Failed")] == []
    result = execution.history().compiled.workflow.result
    assert result is not None and int(result) == sum(2 * i for i in range(N))

    # no decision task answered twice
    answers = [e for e in history if e.event_type == "DecisionTaskCompleted"]
    assert len({e.attributes["scheduledEventId"] for e in answers}) == len(answers)
    assert len({e.attributes["startedEventId"] for e in answers}) == len(answers)
    assert len(decider.answered) == len(answers)
    assert set(decider.answered.values()) == {1}

    # the faults happened, botocore retried them, and the retries are in the logs
    connections = [setup, decider.connection, *(w.connection for w in workers)]
    retries: collections.Counter[str] = collections.Counter()
    for conn in connections:
        retries.update(conn.retries)
    injected: collections.Counter[str] = collections.Counter()
    for (_, kind), count in proxy.injected.items():
        injected[kind] += count
    logged = [
        r for r in caplog.records if r.name == "swf.core" and RETRY_LINE.fullmatch(r.getMessage())
    ]
    logger.info(
        "fault run: %d activities, %d decision tasks; faults injected %d %s; "
        "retries %d %s; retry log lines %d; tasks lost %d",
        N,
        len(answers),
        proxy.total_injected,
        dict(sorted(injected.items())),
        sum(retries.values()),
        dict(sorted(retries.items())),
        len(logged),
        len(lost),
    )
    assert set(injected) == {*KINDS, "lost"}
    assert sum(retries.values()) > 0
    assert logged
    # each injected fault cost exactly one retry (none used up every attempt)...
    assert sum(retries.values()) == proxy.total_injected
    # ...and the log lines "SWF <operation>: <n> retries" add up to the same figure
    logged_retries = sum(int(RETRY_LINE.findall(r.getMessage())[0]) for r in logged)
    assert logged_retries == sum(retries.values())
    assert proxy.forwarded["RespondActivityTaskCompleted"] >= N


def _closed(execution: Any) -> Any:
    current = execution.upstream()
    return current if current.status == "CLOSED" else None
