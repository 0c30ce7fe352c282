"""swf.actors.pool: worker processes against a moto server, one killed with SIGKILL."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from typing import Any

import pytest
from workflow_app import (
    DECIDERS,
    DOMAIN,
    WORKERS,
    BrokenWorker,
    DoubleWorker,
    FanOutDecider,
    register,
    run_in_thread,
    start,
    wait_for,
)

from swf.actors import ActorPool
from swf.exceptions import InvalidTypeError, ValidationError
from swf.local import LocalConnection, LocalSWF
from swf.models import WorkflowExecution

pytestmark = pytest.mark.e2e


def settings(local_swf: LocalSWF) -> dict[str, Any]:
    return {"endpoint_url": local_swf.endpoint_url, "retries": 2, "read_timeout": 10}


def pids_of(execution: WorkflowExecution) -> set[int]:
    """The pids of the worker processes that completed the execution's activities."""
    activities = execution.history().compiled.activities.values()
    return {json.loads(a.result)["pid"] for a in activities if a.state == "completed"}


def completed(execution: WorkflowExecution) -> bool:
    return execution.upstream().close_status == "COMPLETED"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_killed_child_is_replaced_and_the_work_goes_on(
    local_swf: LocalSWF, local_connection: LocalConnection
) -> None:
    workflow_type, _ = register(local_connection)
    pool = ActorPool(
        DoubleWorker, DOMAIN, WORKERS, processes=2, settings=settings(local_swf),
        start_method="spawn",
    )  # fmt: skip
    codes: list[Any] = []
    supervisor = threading.Thread(target=lambda: codes.extend(pool.run()), daemon=True)
    supervisor.start()  # not the main thread: the pool leaves the signal handlers alone
    decider = FanOutDecider(DOMAIN, DECIDERS, client=local_connection)
    decider_thread = run_in_thread(decider)
    try:
        first = wait_for(lambda: len(pool.pids) == 2 and pool.pids, timeout=20)
        execution = start(workflow_type, 4, sleep=0.2, workflow_id="before-the-kill")
        wait_for(lambda: completed(execution), timeout=40)

        victim = first[0]
        os.kill(victim, signal.SIGKILL)
        replaced = wait_for(
            lambda: len(pool.pids) == 2 and victim not in pool.pids and pool.pids, timeout=20
        )
        newcomer = next(pid for pid in replaced if pid not in first)
        assert pool.restarts == 1 and not pool.stopping

        # The pool's work goes on, and the new process takes its share of it.
        seen: set[int] = set()
        for n in range(5):
            later = start(workflow_type, 6, sleep=0.3, workflow_id=f"after-the-kill-{n}")
            wait_for(lambda: completed(later), timeout=40)  # noqa: B023 - used at once
            seen |= pids_of(later)
            if newcomer in seen:
                break
        assert newcomer in seen and victim not in seen
    finally:
        pool.stop()
        supervisor.join(timeout=20)
        decider.stop()
        decider_thread.join(timeout=5)
    assert not supervisor.is_alive()
    assert codes == [0, 0]  # each finished its task in hand, then exited cleanly
    assert pool.pids == []
    assert all(gone(pid) for pid in (*first, newcomer))


def test_a_child_crashing_at_start_up_is_retried_with_a_growing_pause(
    local_swf: LocalSWF, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="swf.actors")
    pool = ActorPool(
        BrokenWorker, DOMAIN, WORKERS, settings=settings(local_swf), start_method="spawn",
        restart_delay=0.1, max_restart_delay=0.4,
    )  # fmt: skip
    supervisor = threading.Thread(target=pool.run, daemon=True)
    supervisor.start()
    try:
        wait_for(lambda: pool.restarts >= 4, timeout=60)
    finally:
        pool.stop()
        supervisor.join(timeout=20)
    assert not supervisor.is_alive()
    deaths = [r.getMessage() for r in caplog.records if "replacing it" in r.getMessage()]
    assert all("exited with status 1" in message for message in deaths)
    pauses = [float(m.rpartition(" in ")[2].split()[0]) for m in deaths]
    assert pauses[:4] == [0.1, 0.2, 0.4, 0.4]  # doubling, then capped: never a spin


def test_pool_arguments_are_checked() -> None:
    with pytest.raises(ValidationError, match="at least 1"):
        ActorPool(DoubleWorker, DOMAIN, WORKERS, processes=0)
    with pytest.raises(InvalidTypeError, match="must be an int"):
        ActorPool(DoubleWorker, DOMAIN, WORKERS, processes="2")  # type: ignore[arg-type]


def test_stop_before_the_children_poll_ends_the_pool(local_swf: LocalSWF) -> None:
    pool = ActorPool(
        DoubleWorker, DOMAIN, WORKERS, processes=2, settings=settings(local_swf),
        start_method="spawn",
    )  # fmt: skip
    began = time.monotonic()
    pool.start()
    pool.stop()
    codes = pool.wait()
    assert time.monotonic() - began < 20
    # Stopped before they poll: a clean exit, or SIGTERM's when it came before Python ran.
    assert all(code in (0, -signal.SIGTERM) for code in codes) and len(codes) == 2
    assert pool.pids == [] and pool.restarts == 0


def test_a_child_that_cannot_start_takes_the_pool_down_cleanly() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    pool = ActorPool(
        lambda *args, **kwargs: DoubleWorker(*args, **kwargs),  # a lambda: spawn cannot pickle it
        DOMAIN, WORKERS, processes=2, start_method="spawn",
    )  # fmt: skip
    with pytest.raises(Exception, match="pickle"):
        pool.start()
    assert pool.pids == []
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
