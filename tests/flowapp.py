"""Workflows and activities the workflow-layer tests run (imported as ``flowapp``).

The seed example (``BasicWorkflow``) is the issue's, as written; the others each exercise one
feature. Module-level, so that the local executor, workers in other processes and
``swf workflow start --local flowapp.BasicWorkflow`` find them by name.
"""

from __future__ import annotations

import random
import time
import uuid
from typing import Any

from swf.flow import RetryPolicy, Workflow, activity, futures, nondeterministic


@activity.with_attributes(task_list="quickstart", version="example")
def increment(x):  # type: ignore[no-untyped-def]
    return x + 1


@activity(
    task_list="quickstart",
    version="example",
    retry=RetryPolicy(
        max_attempts=3, initial_interval=1, backoff=2.0, non_retryable=("builtins.ValueError",)
    ),
)
def double(x):  # type: ignore[no-untyped-def]
    return x * 2


@activity.with_attributes(task_list="quickstart", version="example")
class Delay:
    def __init__(self, t, x):  # type: ignore[no-untyped-def]
        self.t, self.x = t, x

    def execute(self):  # type: ignore[no-untyped-def]
        time.sleep(self.t)
        return self.x


class BasicWorkflow(Workflow):
    name = "basic"
    version = "example"
    task_list = "example"

    def run(self, x, t=30):  # type: ignore[no-untyped-def]
        y = self.submit(increment, x)
        yy = self.submit(Delay, t, y)  # a future as an argument: scheduled once y is done
        z = self.submit(double, y)
        print(f"({x} + 1) * 2 = {z.result}")
        futures.wait(yy, z)
        return z.result


# -- one feature each -----------------------------------------------------------------------------

FLAKY_CALLS: dict[str, int] = {}


@activity(retry=RetryPolicy(max_attempts=3, initial_interval=5, backoff=2.0))
def flaky(key: str, failures: int) -> str:
    """Fails ``failures`` times for ``key`` (counted in this process), then succeeds."""
    FLAKY_CALLS[key] = FLAKY_CALLS.get(key, 0) + 1
    if FLAKY_CALLS[key] <= failures:
        raise RuntimeError(f"flaky failure {FLAKY_CALLS[key]}")
    return f"{key} ok after {FLAKY_CALLS[key]}"


@activity(retry=RetryPolicy(max_attempts=3))
def flaky_now(key: str, failures: int) -> str:
    """As ``flaky``, retried at once (no backoff timer)."""
    return str(flaky.function(key, failures))


@activity(retry=5)
def refuses(x: int) -> int:
    raise ValueError(f"bad value {x}")


@activity(retry=RetryPolicy(max_attempts=5, non_retryable=("builtins.ValueError",)))
def refuses_once(x: int) -> int:
    raise ValueError(f"bad value {x}")


@activity
def square(x: int) -> int:
    return x * x


@activity(idempotent=True)
def lookup(key: str) -> str:
    return key.upper()


@nondeterministic
def new_token() -> str:
    return uuid.uuid4().hex


class FanOut(Workflow):
    task_list = "fan"

    def run(self, n: int) -> int:
        squares = self.map(square, range(n))
        return sum(futures.wait(*squares))


class Retrying(Workflow):
    def run(self, key: str, failures: int) -> str:
        return self.submit(flaky, key, failures).result


class RetryingNow(Workflow):
    def run(self, key: str, failures: int) -> str:
        return self.submit(flaky_now, key, failures).result


class Sleeper(Workflow):
    def run(self, seconds: int) -> str:
        before = self.now()
        futures.wait(self.sleep(seconds))
        return f"slept {(self.now() - before).total_seconds():.0f}"


class SideEffects(Workflow):
    def run(self) -> Any:
        token = new_token()
        dice = self.side_effect(random.randint, 1, 6)
        self.record_marker("rolled", {"dice": dice})
        squared = self.submit(square, dice).result
        return {
            "token": token,
            "dice": dice,
            "squared": squared,
            "markers": [m.details for m in self.markers("rolled")],
        }


class Failing(Workflow):
    def run(self) -> int:
        return self.submit(refuses, 3).result


class Caught(Workflow):
    def run(self) -> str:
        try:
            _ = self.submit(refuses_once, 1).result
        except Exception as exc:  # an ActivityFailed: the suspension is not an Exception
            return f"caught {type(exc).__name__}: {exc.error_type}"  # type: ignore[attr-defined]
        return "not reached"


# -- layer II: children, signals, cancellation, continue-as-new, versions, async ---------------


class Child(Workflow):
    task_list = "children"

    def run(self, x: int) -> int:
        return self.submit(square, x).result


class FailingChild(Workflow):
    def run(self) -> int:
        raise ValueError("the child gives up")


CHILD_CALLS: dict[str, int] = {}


class FlakyChild(Workflow):
    retry = RetryPolicy(max_attempts=3, initial_interval=10)

    def run(self, key: str, failures: int) -> str:
        count = CHILD_CALLS[key] = CHILD_CALLS.get(key, 0) + 1
        if count <= failures:
            raise RuntimeError(f"child try {count} fails")
        return f"child ok after {count}"


class Parent(Workflow):
    def run(self, n: int) -> int:
        children = [self.submit(Child, i) for i in range(n)]
        return sum(futures.wait(*children))


class ParentOfFailing(Workflow):
    def run(self) -> str:
        try:
            futures.wait(self.child(FailingChild))
        except Exception as exc:
            return f"{type(exc).__name__}: {exc.state} {exc.reason}"  # type: ignore[attr-defined]
        return "not reached"


class ParentOfFlaky(Workflow):
    def run(self, key: str, failures: int) -> str:
        return self.child(FlakyChild, key, failures, workflow_id=f"flaky-{key}").result


class Approval(Workflow):
    """Waits for two signals, one with a timeout."""

    def run(self) -> Any:
        first = self.wait_signal("approve").result
        try:
            second = self.wait_signal("approve", timeout=600).result
        except Exception as exc:
            second = type(exc).__name__
        return {"first": first, "second": second, "received": self.signals("approve")}


class SelfSignal(Workflow):
    def run(self) -> Any:
        futures.wait(self.signal("ping", 1, 2))
        return self.wait_signal("ping").result


class Listener(Workflow):
    def run(self) -> Any:
        return self.wait_signal("news", timeout=600).result


class Broadcaster(Workflow):
    def run(self) -> Any:
        child = self.child(Listener, workflow_id="listener")
        futures.wait(self.sleep(1))  # the child starts and waits
        futures.wait(self.signal("news", "hello", workflow_id="listener"))
        return child.result


class SignalsUnknown(Workflow):
    def run(self) -> str:
        try:
            futures.wait(self.signal("hi", workflow_id="nobody-runs-this"))
        except Exception as exc:
            return f"{type(exc).__name__}: {exc.cause}"  # type: ignore[attr-defined]
        return "not reached"


class CancelsTimer(Workflow):
    def run(self) -> str:
        long = self.sleep(3600)
        short = self.sleep(1)
        futures.wait(short)
        long.cancel()
        try:
            futures.wait(long)
        except Exception as exc:
            return type(exc).__name__
        return "fired"


class CancelsChild(Workflow):
    def run(self) -> str:
        child = self.child(Listener, workflow_id="waiting-child")
        futures.wait(self.sleep(1))
        child.cancel()
        try:
            futures.wait(child)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc.state}"  # type: ignore[attr-defined]
        return "not reached"


class Patient(Workflow):
    """Waits a day; cancellable."""

    def run(self) -> str:
        futures.wait(self.sleep(86_400))
        return "done"


CLEANUPS: list[str] = []


@activity
def clean_up(what: str) -> str:
    CLEANUPS.append(what)
    return f"cleaned {what}"


class CleansUp(Workflow):
    def run(self) -> str:
        futures.wait(self.sleep(86_400))
        return "done"

    def on_cancel_requested(self) -> None:
        super().on_cancel_requested()
        futures.wait(self.submit(clean_up, "tmp"))


class Counter(Workflow):
    continue_as_new_after = 40

    def run(self, count: int = 0, limit: int = 30) -> int:
        while count < limit:
            futures.wait(self.sleep(0))
            count += 1
            if self.should_continue_as_new:
                self.continue_as_new(count, limit)
        return count


class Versioned(Workflow):
    def run(self) -> str:
        if self.patched("use-square"):
            return f"new {self.submit(square, 3).result}"
        return f"old {self.submit(increment, 3).result}"


class AsyncFanIn(Workflow):
    async def run(self, n: int) -> Any:
        async def pair(i: int) -> int:
            a = await self.submit(square, i)
            await self.sleep(i % 2)
            return a + await self.submit(square, i + 1)

        results = await futures.gather(*(pair(i) for i in range(n)))
        branch = self.spawn(pair(10))
        return {"pairs": results, "spawned": await branch}


class AsyncForeign(Workflow):
    async def run(self) -> None:
        import asyncio

        await asyncio.sleep(0)


@activity(retry=RetryPolicy(max_attempts=3))
def attempt_number(fail_until: int) -> Any:
    from swf.flow import activity_context

    context = activity_context()
    if context.attempt < fail_until:
        raise RuntimeError(f"attempt {context.attempt}")
    return {
        "attempt": context.attempt,
        "activity_id": context.activity_id,
        "cancel_requested": context.heartbeat({"progress": 1}),
    }


@activity
def gives_up() -> None:
    from swf.flow import activity_context

    activity_context().cancel("nothing to do")


class ContextUser(Workflow):
    def run(self) -> Any:
        info = self.submit(attempt_number, 2).result
        try:
            futures.wait(self.submit(gives_up))
        except Exception as exc:
            info["gives_up"] = type(exc).__name__
        return info


# -- large payloads ----------------------------------------------------------------------------


@activity
def blow_up(text: str, times: int) -> str:
    return text * times


@activity
def measure(text: str) -> int:
    return len(text)


class BigData(Workflow):
    def run(self, times: int) -> Any:
        big = self.submit(blow_up, "x", times)
        size = self.submit(measure, big)
        self.record_marker("big", {"data": "y" * times})
        echoed = self.side_effect(lambda: "z" * times)
        return {"size": size.result, "echo": len(echoed), "tail": big.result[-3:]}


@activity(heartbeat_timeout=30, start_to_close_timeout=120)
def long_job(steps: int) -> str:
    from swf.flow import activity_context

    context = activity_context()
    for step in range(steps):
        if context.heartbeat({"step": step}):
            context.cancel(f"stopped at step {step}")
        time.sleep(0.05)
    return "finished"


class CancelsActivity(Workflow):
    def run(self, steps: int) -> str:
        job = self.submit(long_job, steps)
        futures.wait(self.sleep(1))
        job.cancel()
        try:
            return job.result
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"


class Propagator(Workflow):
    """Signals itself and, with propagate, its open child too."""

    def run(self) -> Any:
        child = self.child(Listener, workflow_id="propagated-to")
        futures.wait(self.sleep(1))
        futures.wait(self.signal("news", "for all", propagate=True))
        return [self.wait_signal("news").result, child.result]


class ParentOfPropagating(Workflow):
    def run(self) -> Any:
        child = self.child(Propagator, workflow_id="propagating")
        return {"child": child.result, "mine": self.wait_signal("news").result}


class AsyncPatient(Workflow):
    async def run(self) -> str:
        await self.sleep(86_400)
        return "done"


class AsyncCleansUp(Workflow):
    async def run(self) -> str:
        await self.sleep(86_400)
        return "done"

    async def on_cancel_requested(self) -> None:
        super().on_cancel_requested()
        await self.submit(clean_up, "async tmp")
