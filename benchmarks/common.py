"""Helpers for benchmarks: best-of-N timing, a result line with its ratio and target, and a
freshly reset local backend with one workflow type and one activity type."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def best_time(function: Callable[[], Any], *, repeat: int = 5, number: int = 1) -> float:
    """Return the best wall time of ``repeat`` rounds of ``number`` calls, per call, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - started) / number)
    return best


@dataclass
class Result:
    """One comparison: ``ours / baseline`` against a target ratio (lower is better)."""

    name: str
    ours: float
    baseline: float
    target: float | None = None
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio <= self.target

    def line(self) -> str:
        target = "" if self.target is None else f" (target <= {self.target:g}x: "
        target += "" if self.target is None else ("met)" if self.ok else "MISSED)")
        return (
            f"{self.name}: ours {self.ours:.6g} {self.unit}, baseline {self.baseline:.6g} "
            f"{self.unit}, ratio {self.ratio:.3f}x{target}"
        )


def fresh_backend(
    local: Any, domain: str, workflow: dict[str, str], activity: dict[str, str]
) -> Any:
    """Reset ``local`` (a :class:`swf.local.LocalSWF`) and register ``domain``, the workflow
    type (decision tasks on ``deciders``) and the activity type (tasks on ``workers``), with
    timeouts no run reaches; returns a raw boto3 client to it."""
    local.reset()
    client = local.client()
    client.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(
        domain=domain,
        **workflow,
        defaultTaskList={"name": "deciders"},
        defaultExecutionStartToCloseTimeout="3600",
        defaultTaskStartToCloseTimeout="300",
        defaultChildPolicy="TERMINATE",
    )
    client.register_activity_type(
        domain=domain,
        **activity,
        defaultTaskList={"name": "workers"},
        defaultTaskHeartbeatTimeout="3600",
        defaultTaskScheduleToCloseTimeout="3600",
        defaultTaskScheduleToStartTimeout="3600",
        defaultTaskStartToCloseTimeout="3600",
    )
    return client
