"""Helpers for benchmarks: interleaved best-of-N CPU timing, a result line with its ratio and
target, a line of figures with no target, and a freshly reset local backend with one workflow
type and one activity type."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any


def best_times(
    functions: Mapping[str, Callable[[], Any]],
    *,
    rounds: int,
    prepare: Callable[[], Any] | None = None,
    self_timed: Collection[str] = (),
) -> dict[str, float]:
    """The best CPU time of each function over ``rounds``, in seconds.

    The functions run in turn, rotating which goes first each round, so that drift and the
    machine's neighbours hit every side alike. CPU time of this process, not wall time: the
    machine is shared, and what others run there would otherwise land on whichever side
    happened to be running (everything measured this way runs on this process's CPU).
    ``prepare`` runs untimed before each run. The functions named in ``self_timed`` return
    their own time in seconds (the CPU time of another process doing the work: a baseline
    run in a side virtualenv, interleaved with ours all the same).
    """
    best = dict.fromkeys(functions, float("inf"))
    names = list(functions)
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            if prepare is not None:
                prepare()
            gc.collect()
            started = time.process_time()
            value = functions[name]()
            took = float(value) if name in self_timed else time.process_time() - started
            best[name] = min(best[name], took)
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


@dataclass
class Note:
    """A line of figures with no target (a breakdown), or why a comparison was skipped."""

    name: str
    text: str
    ok: bool = True

    def line(self) -> str:
        return f"{self.name}: {self.text}"


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
