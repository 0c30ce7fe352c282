"""The local executor: workflows run in this process, with no SWF, in virtual time.

:func:`run_local` writes each execution's history as SWF would
(:class:`~swf.models.history.writer.HistoryWriter`: same event types, ids and attributes, the
same refusals), drives the same engine with it (:func:`swf.flow.engine.decide`), runs each
scheduled activity in this process, and fires timers on a virtual clock: a one-hour
``sleep`` or ``wait_signal`` timeout takes no wall time. Child workflows run as executions of
their own (their parent's history records them as SWF does, child policies included),
signals and cancel requests between executions are delivered, and a ``continue_as_new``
starts the next run. Inputs and results go through the same JSON encoding, so a value SWF
would refuse fails here too. The histories it produces compile with the strict compiler,
save with ``to_json`` and replay with ``swf replay --check``.

What ``run()`` prints is printed once, however many times the engine replays it
(:class:`~swf.flow.engine.ReplayAwareStdout`).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import heapq
import itertools
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

import attrs

from swf import constants
from swf.actors.decider import DecisionTask
from swf.exceptions import InvalidTypeError
from swf.flow.client import outcome
from swf.flow.context import ActivityContext, CancelActivity, running_activity
from swf.flow.definition import REGISTRY, Activity
from swf.flow.encoding import decode_input, encode, encode_input, error_details, error_type
from swf.flow.engine import EngineOptions, decide
from swf.flow.workflow import WORKFLOWS, Workflow
from swf.models import Domain, WorkflowExecution, WorkflowType
from swf.models.history import History
from swf.models.history.writer import HistoryWriter
from swf.validation import check_name, to_duration, truncate

__all__ = ["LocalRun", "VirtualClock", "run_local"]

_UTC = dt.timezone.utc
#: The domain a local run's executions are said to be in.
LOCAL_DOMAIN = "local"
#: How each closing event reaches the parent: (outcome, the attributes passed on).
_CLOSINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "WorkflowExecutionCompleted": ("completed", ("result",)),
    "WorkflowExecutionFailed": ("failed", ("reason", "details")),
    "WorkflowExecutionCanceled": ("canceled", ("details",)),
    "WorkflowExecutionTimedOut": ("timed_out", ("timeoutType",)),
    "WorkflowExecutionTerminated": ("terminated", ()),
}


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
        run_id: its last run's id (after ``continue_as_new``, the run that closed for good).
        status: that run's close status (``'COMPLETED'``, ``'FAILED'``, ``'TIMED_OUT'``...).
        history: that run's whole :class:`~swf.models.history.History`.
        decision_tasks: how many decision tasks the engine answered, all executions together.
        executions: the history of every execution the run involved (its runs, its children
            and theirs), by ``(workflow id, run id)``, in the order they started.
    """

    workflow_id: str
    run_id: str
    status: str
    history: History
    decision_tasks: int = 0
    executions: Mapping[tuple[str, str], History] = attrs.field(factory=dict, repr=False)

    @property
    def result(self) -> Any:
        """What ``run()`` returned (its last run's), decoded.

        Raises:
            WorkflowFailed, WorkflowTimedOut, WorkflowTerminated, WorkflowCanceled: it did
                not complete.
        """
        return outcome(self.history, self.workflow_id, self.run_id)

    def runs(self, workflow_id: str | None = None) -> list[History]:
        """The histories of the runs of ``workflow_id`` (default: this execution's), in
        order (several after ``continue_as_new``)."""
        wanted = workflow_id or self.workflow_id
        return [history for (wid, _), history in self.executions.items() if wid == wanted]


class _Types:
    """The registered types of a local run: its workflows and activities."""

    def __init__(
        self,
        workflows: Mapping[tuple[str, str], type[Workflow]],
        activities: Mapping[tuple[str, str], Any],
    ) -> None:
        self.workflows = workflows
        self.activities = activities

    def activity_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        found = self.activities.get((name, version))
        return None if found is None else found.type_defaults()

    def workflow_type(self, name: str, version: str) -> Mapping[str, Any] | None:
        workflow = self.workflows.get((name, version))
        if workflow is None:
            return None
        return {
            "status": constants.REGISTERED,
            "defaultTaskList": {"name": workflow.task_list or "local"},
            "defaultExecutionStartToCloseTimeout": str(workflow.execution_timeout),
            "defaultTaskStartToCloseTimeout": str(workflow.decision_task_timeout),
            "defaultChildPolicy": workflow.child_policy,
        }


def run_local(
    workflow: type[Workflow],
    *args: Any,
    workflow_id: str | None = None,
    task_list: str | None = None,
    tag_list: list[str] | None = None,
    start: dt.datetime | None = None,
    activities: list[Activity[Any]] | None = None,
    workflows: Iterable[type[Workflow]] | None = None,
    signals: Iterable[Sequence[Any]] = (),
    cancel_after: float | dt.timedelta | None = None,
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
        workflows: the workflows its children may be (default: every Workflow subclass
            defined).
        signals: signals sent to the execution from outside, each
            ``(seconds after the start, name, *args)``: ``(3600, "approve", True)``.
        cancel_after: request the execution's cancellation this many seconds after the
            start (``RequestCancelWorkflowExecution``).
        stdout: where ``run()``'s prints go (default: ``sys.stdout``), once each.
        **kwargs: ``run()``'s keyword arguments.

    Returns:
        The :class:`LocalRun`: ``.result``, ``.status``, ``.history``, ``.executions``.

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
    classes = dict(WORKFLOWS) if workflows is None else {w.key(): w for w in workflows}
    classes[workflow.key()] = workflow
    executor = _Executor(classes, known, VirtualClock(start), stdout)
    name = workflow.type_name()
    root = executor.start(
        workflow,
        workflow_id or f"{name}-{uuid.uuid4()}",
        encode_input(args, kwargs, f"the input of workflow {name!r}", store=workflow.payload_store),
        task_list=task_list,
        tag_list=tag_list,
    )
    for item in signals:
        seconds, signal_name, *values = _signal_spec(item)
        payload = encode_input(values, {}, f"the input of signal {signal_name!r}")
        executor.at(seconds, functools.partial(executor.signal_from_outside, signal_name, payload))
    if cancel_after is not None:
        seconds = float(to_duration(cancel_after, "cancel_after", allow_none=False) or 0)
        executor.at(seconds, executor.cancel_from_outside)
    last = executor.run(root)
    history = last.history()
    return LocalRun(
        last.workflow_id,
        last.run_id,
        history.compiled.workflow.state.upper(),
        history,
        executor.decision_tasks,
        {(e.workflow_id, e.run_id): e.history() for e in executor.executions},
    )


def _signal_spec(item: Any) -> tuple[Any, ...]:
    if (
        not isinstance(item, Sequence)
        or isinstance(item, str)
        or len(item) < 2
        or not isinstance(item[0], int | float)
    ):
        raise InvalidTypeError(
            f"each signal is (seconds, name, *args), got {item!r}", argument="signals", value=item
        )
    check_name(item[1], "signal name")
    return tuple(item)


class _Execution:
    """One run of a workflow in a local run: its class, history writer and relations."""

    def __init__(
        self,
        workflow: type[Workflow],
        workflow_id: str,
        run_id: str,
        writer: HistoryWriter,
        parent: _Execution | None,
        deadline: dt.datetime | None,
    ) -> None:
        self.workflow = workflow
        self.workflow_id = workflow_id
        self.run_id = run_id
        self.writer = writer
        self.parent = parent
        self.deadline = deadline
        self.seen = 0  # events read for what they start
        domain = Domain(LOCAL_DOMAIN)
        name, version = workflow.key()
        self.model = WorkflowExecution(
            domain, workflow_id, run_id, workflow_type=WorkflowType(domain, name, version)
        )

    def history(self) -> History:
        return History.from_event_list(self.writer.events)

    @property
    def closed(self) -> bool:
        return self.writer.closed


class _Executor:
    """The executions of a local run, one virtual clock, and what is due when."""

    def __init__(
        self,
        workflows: Mapping[tuple[str, str], type[Workflow]],
        activities: Mapping[tuple[str, str], Activity[Any]],
        clock: VirtualClock,
        stdout: TextIO | None,
    ) -> None:
        self.workflows = workflows
        self.activities = activities
        self.types = _Types(workflows, activities)
        self.clock = clock
        self.stdout = stdout
        self.decision_tasks = 0
        self.executions: list[_Execution] = []
        self.open: dict[str, _Execution] = {}  # by workflow id
        self.root: _Execution | None = None
        self.ready: collections.deque[tuple[_Execution, str]] = collections.deque()
        # What is due when: (at, last, order, action): timers, outside signals, deadlines.
        self.due: list[tuple[dt.datetime, bool, int, Callable[[], None]]] = []
        self.order = itertools.count()

    # -- executions ----------------------------------------------------------------------------

    def start(
        self,
        workflow: type[Workflow],
        workflow_id: str,
        payload: str | None,
        *,
        task_list: str | None = None,
        tag_list: Iterable[str] | None = None,
        parent: _Execution | None = None,
        execution_timeout: str | None = None,
        child_policy: str | None = None,
        run_id: str | None = None,
        **attributes: Any,
    ) -> _Execution:
        """Start a run of ``workflow`` (its ``WorkflowExecutionStarted``)."""
        run_id = run_id or _new_run_id()
        writer = HistoryWriter(clock=self.clock.now, types=self.types, new_run_id=_new_run_id)
        timeout = execution_timeout or str(workflow.execution_timeout)
        tags = list(tag_list if tag_list is not None else workflow.tag_list)
        writer.start(
            workflow.key(),
            task_list=task_list or workflow.task_list or "local",
            input=payload,
            child_policy=child_policy or workflow.child_policy,
            execution_timeout=timeout,
            decision_task_timeout=str(workflow.decision_task_timeout),
            tag_list=tags or None,
            **attributes,
        )
        deadline = None
        if timeout != constants.NONE:
            deadline = self.clock.now() + dt.timedelta(seconds=float(timeout))
        execution = _Execution(workflow, workflow_id, run_id, writer, parent, deadline)
        self.executions.append(execution)
        self.open[workflow_id] = execution
        if deadline is not None:
            self.at_time(deadline, lambda: self._time_out(execution), last=True)
        return execution

    def run(self, root: _Execution) -> _Execution:
        """Run until the root execution (its last run) closes; that run."""
        self.root = root
        while True:
            if self._step():
                continue
            if self.root.closed:
                return self.root
            if self.due:  # what is due next, all of it (signals sent together come together)
                moment = self.due[0][:2]  # (at, last): deadlines after the rest
                self.clock.advance_to(moment[0])
                while self.due and self.due[0][:2] == moment:
                    heapq.heappop(self.due)[-1]()
            else:  # nothing will ever happen: the open executions time out now
                for execution in list(self.open.values()):
                    self._time_out(execution)

    def _step(self) -> bool:
        """Answer one decision task, or deliver what the latest decisions started, or run
        one activity; False when nothing is ready now."""
        for execution in list(self.open.values()):
            if execution.writer.decision_task_open:
                self._decide(execution)
                return True
        progressed = False
        for execution in list(self.executions):
            progressed = self._read(execution) or progressed
        if progressed:
            return True
        ran = False
        while self.ready:  # all of them, as if as many workers took them
            execution, activity_id = self.ready.popleft()
            if activity_id in execution.writer.open.activities and not execution.closed:
                self._run_activity(execution, activity_id)
                ran = True
        return ran

    def at(self, seconds: float, action: Callable[[], None]) -> None:
        """Do ``action`` ``seconds`` after now (virtual time)."""
        self.at_time(self.clock.now() + dt.timedelta(seconds=seconds), action)

    def at_time(
        self, moment: dt.datetime, action: Callable[[], None], *, last: bool = False
    ) -> None:
        """Do ``action`` at ``moment`` (``last``: after what else is due then)."""
        heapq.heappush(self.due, (moment, last, next(self.order), action))

    def _decide(self, execution: _Execution) -> None:
        execution.writer.decision_started(identity="run_local")
        task = DecisionTask.from_history(execution.history(), execution=execution.model)
        printing = (
            contextlib.nullcontext()
            if self.stdout is None
            else contextlib.redirect_stdout(self.stdout)
        )
        with printing:
            decisions = decide(execution.workflow, task, EngineOptions())
        self.decision_tasks += 1
        execution.writer.complete_decision_task(decisions)

    # -- what the decisions started ------------------------------------------------------------

    def _read(self, execution: _Execution) -> bool:
        """Act on the events written since the last look: queue activities, start timers
        and children, deliver signals and cancel requests, report a close."""
        events = execution.writer.events
        new, execution.seen = events[execution.seen :], len(events)
        for raw in new:
            kind = raw["eventType"]
            attributes = raw.get(f"{kind[0].lower()}{kind[1:]}EventAttributes", {})
            if kind == "ActivityTaskScheduled":
                self.ready.append((execution, attributes["activityId"]))
            elif kind == "ActivityTaskCancelRequested":
                self._cancel_activity(execution, attributes["activityId"])
            elif kind == "TimerStarted":
                self._start_timer(execution, raw, attributes)
            elif kind == "StartChildWorkflowExecutionInitiated":
                self._start_child(execution, attributes)
            elif kind == "SignalExternalWorkflowExecutionInitiated":
                self._signal(execution, raw["eventId"], attributes)
            elif kind == "RequestCancelExternalWorkflowExecutionInitiated":
                self._request_cancel(execution, raw["eventId"], attributes)
            elif kind == "WorkflowExecutionContinuedAsNew":
                self._continue(execution, attributes)
            elif kind in _CLOSINGS:
                self._closed(execution, kind, attributes)
        return bool(new)

    def _start_timer(
        self, execution: _Execution, raw: Mapping[str, Any], attributes: Mapping[str, Any]
    ) -> None:
        timer_id = attributes["timerId"]
        started = raw["eventId"]
        fires = raw["eventTimestamp"] + dt.timedelta(seconds=int(attributes["startToFireTimeout"]))

        def fire() -> None:
            writer = execution.writer
            if (
                not execution.closed
                and timer_id in writer.open.timers  # not canceled meanwhile
                and writer.opening_event_id("timer", timer_id) == started  # nor started again
            ):
                writer.fire_timer(timer_id)

        self.at_time(fires, fire)

    def _cancel_activity(self, execution: _Execution, activity_id: str) -> None:
        """A cancel request reaches an activity not started yet (they run one at a time, to
        their end): it is canceled."""
        if activity_id in execution.writer.open.activities:
            execution.writer.start_activity(activity_id, identity="run_local")
            execution.writer.cancel_activity(activity_id, "canceled before it ran")

    def _start_child(self, parent: _Execution, attributes: Mapping[str, Any]) -> None:
        workflow_id = attributes["workflowId"]
        ref = attributes["workflowType"]
        if workflow_id in self.open:
            parent.writer.start_child_failed(workflow_id, "WORKFLOW_ALREADY_RUNNING")
            return
        workflow = self.workflows[(ref["name"], ref["version"])]
        child = self.start(
            workflow,
            workflow_id,
            attributes.get("input"),
            task_list=attributes["taskList"]["name"],
            tag_list=attributes.get("tagList"),
            parent=parent,
            execution_timeout=attributes.get("executionStartToCloseTimeout"),
            child_policy=attributes.get("childPolicy"),
            parentWorkflowExecution={"workflowId": parent.workflow_id, "runId": parent.run_id},
            parentInitiatedEventId=parent.writer.opening_event_id("child", workflow_id),
        )
        parent.writer.child_started(workflow_id, child.run_id)

    def _target(self, attributes: Mapping[str, Any]) -> _Execution | None:
        """The open execution a signal or cancel request names (None: unknown or closed)."""
        target = self.open.get(attributes["workflowId"])
        run_id = attributes.get("runId")
        if target is None or (run_id and target.run_id != run_id):
            return None
        return target

    def _signal(self, source: _Execution, event_id: int, attributes: Mapping[str, Any]) -> None:
        target = self._target(attributes)
        if target is None:
            source.writer.signal_external_failed(
                attributes["workflowId"], initiated_event_id=event_id
            )
            return
        target.writer.signal(
            attributes["signalName"],
            attributes.get("input"),
            external=(source.workflow_id, source.run_id),
            external_initiated_event_id=event_id,
        )
        source.writer.external_signaled(
            target.workflow_id, target.run_id, initiated_event_id=event_id
        )

    def _request_cancel(
        self, source: _Execution, event_id: int, attributes: Mapping[str, Any]
    ) -> None:
        target = self._target(attributes)
        if target is None:
            source.writer.request_cancel_external_failed(
                attributes["workflowId"], initiated_event_id=event_id
            )
            return
        target.writer.cancel_requested(
            external=(source.workflow_id, source.run_id), external_initiated_event_id=event_id
        )
        source.writer.external_cancel_requested(
            target.workflow_id, target.run_id, initiated_event_id=event_id
        )

    def signal_from_outside(self, name: str, payload: str) -> None:
        """``SignalWorkflowExecution`` to the root execution's current run."""
        assert self.root is not None
        if not self.root.closed:
            self.root.writer.signal(name, payload)

    def cancel_from_outside(self) -> None:
        """``RequestCancelWorkflowExecution`` of the root execution's current run."""
        assert self.root is not None
        if not self.root.closed:
            self.root.writer.cancel_requested()

    # -- closing -------------------------------------------------------------------------------

    def _time_out(self, execution: _Execution) -> None:
        if not execution.closed:
            execution.writer.time_out()
            self._read(execution)

    def _continue(self, execution: _Execution, attributes: Mapping[str, Any]) -> None:
        """The run continued as new: the next one starts (same workflow id and parent)."""
        self._close_children(execution)
        del self.open[execution.workflow_id]
        ref = attributes["workflowType"]
        workflow = self.workflows[(ref["name"], ref["version"])]
        following = self.start(
            workflow,
            execution.workflow_id,
            attributes.get("input"),
            task_list=attributes["taskList"]["name"],
            tag_list=attributes.get("tagList"),
            parent=execution.parent,
            execution_timeout=attributes.get("executionStartToCloseTimeout"),
            child_policy=attributes.get("childPolicy"),
            run_id=attributes["newExecutionRunId"],
            continuedExecutionRunId=execution.run_id,
        )
        if execution is self.root:
            self.root = following

    def _closed(self, execution: _Execution, kind: str, attributes: Mapping[str, Any]) -> None:
        """The run closed: its parent learns how; its child policy reaches its children."""
        self._close_children(execution)
        if self.open.get(execution.workflow_id) is execution:
            del self.open[execution.workflow_id]
        parent = execution.parent
        if parent is not None and not parent.closed:
            outcome_name, passed = _CLOSINGS[kind]
            parent.writer.child_closed(
                execution.workflow_id,
                outcome_name,
                **{key: attributes[key] for key in passed if attributes.get(key) is not None},
            )

    def _close_children(self, execution: _Execution) -> None:
        policy = execution.writer.started_attributes.get("childPolicy", constants.TERMINATE)
        for child in [e for e in self.open.values() if e.parent is execution]:
            if policy == constants.TERMINATE:
                child.writer.terminate(cause="CHILD_POLICY_APPLIED")
                self._read(child)
            elif policy == constants.REQUEST_CANCEL:
                child.writer.cancel_requested(cause="CHILD_POLICY_APPLIED")

    # -- activities ----------------------------------------------------------------------------

    def _run_activity(self, execution: _Execution, activity_id: str) -> None:
        writer = execution.writer
        scheduled_id = writer.opening_event_id("activity", activity_id)
        assert scheduled_id is not None
        attributes = writer.events[scheduled_id - 1]["activityTaskScheduledEventAttributes"]
        ref = attributes["activityType"]
        activity = self.activities[(ref["name"], ref["version"])]
        writer.start_activity(activity_id, identity="run_local")
        attempt = sum(
            1
            for event in writer.events
            if event["eventType"] == "ActivityTaskScheduled"
            and event["activityTaskScheduledEventAttributes"]["activityId"] == activity_id
        )
        context = ActivityContext(
            workflow_id=execution.workflow_id,
            run_id=execution.run_id,
            activity_id=activity_id,
            attempt=lambda: attempt,
            heartbeat=lambda details: False,  # nothing can ask while it runs
        )
        began = time.monotonic()
        try:
            args, kwargs = decode_input(attributes.get("input"), f"the input of {activity_id!r}")
            with running_activity(context):
                value = activity.execute(*args, **kwargs)
            result = encode(
                value, f"the result of activity {activity_id!r}", store=activity.payload_store
            )
        except CancelActivity as stop:
            self.clock.advance(time.monotonic() - began)
            writer.cancel_activity(activity_id, stop.details)
            return
        except Exception as exc:
            self.clock.advance(time.monotonic() - began)
            reason = truncate(f"{error_type(exc)}: {exc}", constants.MAX_REASON_LENGTH)
            writer.fail_activity(activity_id, reason, error_details(exc))
            return
        elapsed = time.monotonic() - began
        self.clock.advance(elapsed)
        limit = attributes.get("startToCloseTimeout")
        if limit not in (None, constants.NONE) and elapsed > float(limit):
            writer.time_out_activity(activity_id, "START_TO_CLOSE")
            return
        writer.complete_activity(activity_id, result)


def _new_run_id() -> str:
    return uuid.uuid4().hex
