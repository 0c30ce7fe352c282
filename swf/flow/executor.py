"""The local executor: a workflow run in this process, with no SWF, in virtual time.

:func:`run_local` writes the execution's history as SWF would
(:class:`~swf.models.history.writer.HistoryWriter`: same event types, ids and attributes, the
same refusals), drives the same engine with it (:func:`swf.flow.engine.decide`), runs each
scheduled activity in this process, and fires timers on a virtual clock: a one-hour
``sleep`` takes no wall time. Inputs and results go through the same JSON encoding, so a value
SWF would refuse fails here too. The history it produces compiles with the strict compiler,
saves with ``to_json`` and replays with ``swf replay --check``.

What ``run()`` prints is printed once, however many times the engine replays it
(:class:`~swf.flow.engine.ReplayAwareStdout`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import time
import uuid
from collections.abc import Mapping
from typing import Any, TextIO

import attrs

from swf import constants
from swf.actors.decider import DecisionTask
from swf.exceptions import InvalidTypeError
from swf.flow.client import outcome
from swf.flow.definition import REGISTRY, Activity
from swf.flow.encoding import decode_input, encode, encode_input, error_details, error_type
from swf.flow.engine import EngineOptions, decide
from swf.flow.workflow import Workflow
from swf.models import Domain, WorkflowExecution, WorkflowType
from swf.models.history import History
from swf.models.history.writer import HistoryWriter
from swf.validation import truncate

__all__ = ["LocalRun", "VirtualClock", "run_local"]

_UTC = dt.timezone.utc
#: The domain a local run's execution is said to be in.
LOCAL_DOMAIN = "local"


class VirtualClock:
    """A clock that moves only when told to (timers fire by moving it, at no wall time).

    Args:
        start: the time it starts at (default: now, UTC).
    """

    def __init__(self, start: dt.datetime | None = None) -> None:
        """Start the clock."""
        self.current = start or dt.datetime.now(_UTC)

    def now(self) -> dt.datetime:
        """The current virtual time."""
        return self.current

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.current += dt.timedelta(seconds=max(seconds, 0.0))

    def advance_to(self, moment: dt.datetime) -> None:
        """Move the clock forward to ``moment`` (never back)."""
        self.current = max(self.current, moment)


@attrs.frozen
class LocalRun:
    """What :func:`run_local` did: the execution's history and how it closed.

    Attributes:
        workflow_id: the execution's workflow id.
        run_id: its run id.
        status: its close status (``'COMPLETED'``, ``'FAILED'``, ``'TIMED_OUT'``...).
        history: its whole :class:`~swf.models.history.History`.
        decision_tasks: how many decision tasks the engine answered.
    """

    workflow_id: str
    run_id: str
    status: str
    history: History
    decision_tasks: int = 0

    @property
    def result(self) -> Any:
        """What ``run()`` returned, decoded.

        Raises:
            WorkflowFailed, WorkflowTimedOut, WorkflowTerminated, WorkflowCanceled: it did
                not complete.
        """
        return outcome(self.history, self.workflow_id, self.run_id)


class _Types:
    """The registered types of a local run: the workflow, and every defined activity."""

    def __init__(self, workflow: type[Workflow], activities: Mapping[tuple[str, str], Any]):
        self.workflow = workflow
        self.activities = activities

    def activity_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        found = self.activities.get((name, version))
        return None if found is None else found.type_defaults()

    def workflow_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        if (name, version) != self.workflow.key():
            return None
        return {
            "status": constants.REGISTERED,
            "defaultTaskList": {"name": self.workflow.task_list or "local"},
            "defaultExecutionStartToCloseTimeout": str(self.workflow.execution_timeout),
            "defaultTaskStartToCloseTimeout": str(self.workflow.decision_task_timeout),
            "defaultChildPolicy": self.workflow.child_policy,
        }


def run_local(
    workflow: type[Workflow],
    *args: Any,
    workflow_id: str | None = None,
    task_list: str | None = None,
    tag_list: list[str] | None = None,
    start: dt.datetime | None = None,
    activities: list[Activity[Any]] | None = None,
    stdout: TextIO | None = None,
    **kwargs: Any,
) -> LocalRun:
    """Run ``workflow`` to its end in this process, with no SWF (see the module docstring).

    Args:
        workflow: the :class:`~swf.flow.Workflow` subclass.
        *args: ``run()``'s positional arguments.
        workflow_id: the workflow id (default ``"{name}-{uuid}"``).
        task_list: the decision task list (default: the class's, else ``"local"``).
        tag_list: tags (default: the class's).
        start: when the virtual clock starts (default: now).
        activities: the activities that may run (default: every ``@activity`` defined).
        stdout: where ``run()``'s prints go (default: ``sys.stdout``), once each.
        **kwargs: ``run()``'s keyword arguments.

    Returns:
        The :class:`LocalRun`: ``.result``, ``.status``, ``.history``.

    Raises:
        NondeterminismError: the engine found the code inconsistent with its own history.
        PayloadTooLargeError: the input is over SWF's 32 KB.
    """
    if not (isinstance(workflow, type) and issubclass(workflow, Workflow)):
        raise InvalidTypeError(
            f"run_local() takes a Workflow subclass, got {workflow!r}",
            argument="workflow",
            value=workflow,
        )
    known = dict(REGISTRY) if activities is None else {a.key: a for a in activities}
    return _Executor(workflow, known, start, stdout).run(
        args, kwargs, workflow_id, task_list, tag_list
    )


class _Executor:
    def __init__(
        self,
        workflow: type[Workflow],
        activities: Mapping[tuple[str, str], Activity[Any]],
        start: dt.datetime | None,
        stdout: TextIO | None,
    ) -> None:
        self.workflow = workflow
        self.activities = activities
        self.clock = VirtualClock(start)
        self.stdout = stdout
        self.decision_tasks = 0
        self.writer = HistoryWriter(
            clock=self.clock.now,
            types=_Types(workflow, activities),
            new_run_id=lambda: uuid.uuid4().hex,
        )
        self.seen = 0  # events read for activities and timers to run
        self.ready: list[str] = []  # activity ids scheduled, in order
        self.timers: list[tuple[dt.datetime, int, str]] = []  # (fires at, started id, timer id)

    def run(
        self,
        args: Any,
        kwargs: Any,
        workflow_id: str | None,
        task_list: str | None,
        tag_list: list[str] | None,
    ) -> LocalRun:
        name = self.workflow.type_name()
        payload = encode_input(args, kwargs, f"the input of workflow {name!r}")
        workflow_id = workflow_id or f"{name}-{uuid.uuid4()}"
        run_id = uuid.uuid4().hex
        tags = list(tag_list if tag_list is not None else self.workflow.tag_list)
        self.writer.start(
            self.workflow.key(),
            task_list=task_list or self.workflow.task_list or "local",
            input=payload,
            child_policy=self.workflow.child_policy,
            execution_timeout=str(self.workflow.execution_timeout),
            decision_task_timeout=str(self.workflow.decision_task_timeout),
            tag_list=tags or None,
        )
        domain = Domain(LOCAL_DOMAIN)
        execution = WorkflowExecution(
            domain,
            workflow_id,
            run_id,
            workflow_type=WorkflowType(domain, name, self.workflow.version),
        )
        timeout = self.workflow.execution_timeout
        deadline = None
        if str(timeout) != constants.NONE:
            deadline = self.clock.now() + dt.timedelta(seconds=float(timeout))
        while not self.writer.closed:
            if self.writer.decision_task_open:
                self._decide(execution)
                continue
            self._read_new_events()
            if self.ready:
                self._run_activities()
            elif self.timers and (deadline is None or self.timers[0][0] <= deadline):
                at, _, timer_id = heapq.heappop(self.timers)
                if timer_id in self.writer.open.timers:  # not canceled meanwhile
                    self.clock.advance_to(at)
                    self.writer.fire_timer(timer_id)
            else:  # nothing left to happen: the execution times out
                if deadline is not None:
                    self.clock.advance_to(deadline)
                self.writer.time_out()
        history = History.from_event_list(self.writer.events)
        state = history.compiled.workflow.state
        return LocalRun(workflow_id, run_id, state.upper(), history, self.decision_tasks)

    def _decide(self, execution: WorkflowExecution) -> None:
        self.writer.decision_started(identity="run_local")
        history = History.from_event_list(self.writer.events)
        task = DecisionTask.from_history(history, execution=execution)
        printing = (
            contextlib.nullcontext()
            if self.stdout is None
            else (contextlib.redirect_stdout(self.stdout))
        )
        with printing:
            decisions = decide(self.workflow, task, EngineOptions())
        self.decision_tasks += 1
        self.writer.complete_decision_task(decisions)

    def _read_new_events(self) -> None:
        """Queue the activities and timers the latest decisions started."""
        events = self.writer.events
        for raw in events[self.seen :]:
            kind = raw["eventType"]
            if kind == "ActivityTaskScheduled":
                self.ready.append(raw["activityTaskScheduledEventAttributes"]["activityId"])
            elif kind == "TimerStarted":
                attributes = raw["timerStartedEventAttributes"]
                fires = raw["eventTimestamp"] + dt.timedelta(
                    seconds=int(attributes["startToFireTimeout"])
                )
                heapq.heappush(self.timers, (fires, raw["eventId"], attributes["timerId"]))
        self.seen = len(events)

    def _run_activities(self) -> None:
        """Run every queued activity still open (as if workers took them all)."""
        queued, self.ready = self.ready, []
        for activity_id in queued:
            if activity_id not in self.writer.open.activities:
                continue  # canceled meanwhile
            self._run_activity(activity_id)

    def _run_activity(self, activity_id: str) -> None:
        scheduled_id, _ = self.writer._activities[activity_id]
        attributes = self.writer.events[scheduled_id - 1]["activityTaskScheduledEventAttributes"]
        ref = attributes["activityType"]
        activity = self.activities[(ref["name"], ref["version"])]
        self.writer.start_activity(activity_id, identity="run_local")
        began = time.monotonic()
        try:
            args, kwargs = decode_input(attributes.get("input"), f"the input of {activity_id!r}")
            value = activity.execute(*args, **kwargs)
            result = encode(value, f"the result of activity {activity_id!r}")
        except Exception as exc:
            self.clock.advance(time.monotonic() - began)
            reason = truncate(f"{error_type(exc)}: {exc}", constants.MAX_REASON_LENGTH)
            self.writer.fail_activity(activity_id, reason, error_details(exc))
            return
        elapsed = time.monotonic() - began
        self.clock.advance(elapsed)
        limit = attributes.get("startToCloseTimeout")
        if limit not in (None, constants.NONE) and elapsed > float(limit):
            self.writer.time_out_activity(activity_id, "START_TO_CLOSE")
            return
        self.writer.complete_activity(activity_id, result)
