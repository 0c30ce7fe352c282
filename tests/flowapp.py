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
