"""The events a history gets from outside its decider: :class:`EventWriter`.

The base of :class:`swf.models.history.writer.HistoryWriter`: the raw event list, the ids of
every entity's latest use (later events refer to them), what is open, and the outcomes that
workers, timers, children, other executions and Lambda report. Each outcome the decider must
see asks for a decision task (:meth:`EventWriter.needs_decision`), which the history writer
schedules as SWF does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from swf.exceptions import ValidationError
from swf.models.history.history import History
from swf.models.history.rules import OpenEntities, without_none

__all__ = ["EventWriter"]

_Self = TypeVar("_Self", bound="EventWriter")
_UTC = dt.timezone.utc


class EventWriter:
    """Appends raw events with consistent ids; records the outcomes of open entities.

    Args:
        clock: what stamps each event (default: the current UTC time).

    Attributes:
        events: the raw events written so far (boto3's form: ``eventTimestamp`` a datetime).
        clock: what stamps each event.
        open: the ids of what is open (:class:`~swf.models.history.rules.OpenEntities`).
        closed: True once an event closed the execution.
    """

    def __init__(self, *, clock: Callable[[], dt.datetime] | None = None) -> None:
        """Start an empty history."""
        self.events: list[dict[str, Any]] = []
        self.clock = clock or (lambda: dt.datetime.now(_UTC))
        self.closed = False
        self.open = OpenEntities()
        # Per id: the ids of its latest use (kept after it closes: later events may name it).
        self._activities: dict[str, tuple[int, int | None]] = {}
        self._timers: dict[str, int] = {}
        self._children: dict[str, tuple[int, int | None, str, int]] = {}
        self._signals: dict[str, list[tuple[int, int]]] = {}
        self._cancels: dict[str, list[tuple[int, int]]] = {}
        self._lambdas: dict[str, tuple[int, int | None]] = {}

    def needs_decision(self: _Self, wanted: bool = True) -> _Self:
        """After an event the decider must see (the history writer schedules a decision
        task, as SWF does); here, nothing."""
        return self

    def opening_event_id(self, kind: str, entity_id: str) -> int | None:
        """The event that opened the latest use of ``entity_id``: for ``"activity"`` its
        ``ActivityTaskScheduled``, ``"timer"`` its ``TimerStarted``, ``"child"`` its
        ``StartChildWorkflowExecutionInitiated`` (None when the id was never used)."""
        if kind == "activity":
            return self._activities[entity_id][0] if entity_id in self._activities else None
        if kind == "timer":
            return self._timers.get(entity_id)
        if kind == "child":
            return self._children[entity_id][0] if entity_id in self._children else None
        raise ValueError(f"kind must be activity, timer or child, got {kind!r}")

    @property
    def last_event_id(self) -> int:
        """The id of the last event (0 when there is none)."""
        return len(self.events)

    def add(self, event_type: str, attributes: Mapping[str, Any] | None = None) -> int:
        """Append one raw event with the next id and the clock's time; no checks at all.

        ``None`` attribute values are left out, as SWF leaves them out.

        Returns:
            The new event's id.
        """
        event_id = len(self.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": self.clock(),
                key: without_none(attributes or {}),
            }
        )
        return event_id

    def history(self) -> History:
        """The events so far, as a :class:`~swf.models.history.History`."""
        return History.from_event_list(self.events)

    # -- outcomes: activity tasks --------------------------------------------------------------

    def start_activity(self: _Self, activity_id: str, identity: str = "worker") -> _Self:
        """``ActivityTaskStarted``: a worker polled the activity."""
        scheduled, _ = self._activities[activity_id]
        started = self.add(
            "ActivityTaskStarted", {"scheduledEventId": scheduled, "identity": identity}
        )
        self._activities[activity_id] = (scheduled, started)
        return self

    def _activity_closed(
        self: _Self, event_type: str, activity_id: str, schedule_decision: bool, **attributes: Any
    ) -> _Self:
        scheduled, started = self._activities[activity_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        self.open.activities.discard(activity_id)
        return self.needs_decision(schedule_decision)

    def complete_activity(
        self: _Self, activity_id: str, result: str | None = None, *, schedule_decision: bool = True
    ) -> _Self:
        """``ActivityTaskCompleted`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskCompleted", activity_id, schedule_decision, result=result
        )

    def fail_activity(
        self: _Self,
        activity_id: str,
        reason: str | None = None,
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> _Self:
        """``ActivityTaskFailed`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskFailed", activity_id, schedule_decision, reason=reason, details=details
        )

    def time_out_activity(
        self: _Self,
        activity_id: str,
        timeout_type: str = "START_TO_CLOSE",
        details: str | None = None,
        *,
        schedule_decision: bool = True,
    ) -> _Self:
        """``ActivityTaskTimedOut`` (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskTimedOut",
            activity_id,
            schedule_decision,
            timeoutType=timeout_type,
            details=details,
        )

    def cancel_activity(
        self: _Self, activity_id: str, details: str | None = None, *, schedule_decision: bool = True
    ) -> _Self:
        """``ActivityTaskCanceled``: the worker reported the cancel (and a decision task)."""
        return self._activity_closed(
            "ActivityTaskCanceled", activity_id, schedule_decision, details=details
        )

    # -- outcomes: timers ----------------------------------------------------------------------

    def fire_timer(self: _Self, timer_id: str, *, schedule_decision: bool = True) -> _Self:
        """``TimerFired`` (and a decision task)."""
        self.add("TimerFired", {"timerId": timer_id, "startedEventId": self._timers[timer_id]})
        self.open.timers.discard(timer_id)
        return self.needs_decision(schedule_decision)

    # -- outcomes: child workflows -------------------------------------------------------------

    def _child_type(self, initiated: int) -> dict[str, Any]:
        attributes = self.events[initiated - 1][
            "startChildWorkflowExecutionInitiatedEventAttributes"
        ]
        return dict(attributes["workflowType"])

    def start_child_failed(
        self: _Self, workflow_id: str, cause: str = "WORKFLOW_ALREADY_RUNNING"
    ) -> _Self:
        """``StartChildWorkflowExecutionFailed`` of an initiated child (and a decision task).

        SWF writes this for an initiated start only with the cause
        ``WORKFLOW_ALREADY_RUNNING``; it refuses a start decision for any other cause before
        initiating anything (``initiatedEventId`` 0: :meth:`HistoryWriter.record_failed_decision
        <swf.models.history.writer.HistoryWriter.record_failed_decision>`).

        Raises:
            ValidationError: another cause.
        """
        if cause != "WORKFLOW_ALREADY_RUNNING":
            raise ValidationError(
                f"SWF fails an initiated child start only with WORKFLOW_ALREADY_RUNNING, not "
                f"{cause!r}: a start refused for {cause!r} initiates nothing "
                "(record_failed_decision, or HistoryBuilder.start_child_refused)",
                argument="cause",
                value=cause,
            )
        initiated, _, _, completed = self._children[workflow_id]
        self.add(
            "StartChildWorkflowExecutionFailed",
            {
                "workflowId": workflow_id,
                "workflowType": self._child_type(initiated),
                "cause": cause,
                "initiatedEventId": initiated,
                "decisionTaskCompletedEventId": completed,
            },
        )
        self.open.children.discard(workflow_id)
        return self.needs_decision(True)

    def child_started(self: _Self, workflow_id: str, run_id: str | None = None) -> _Self:
        """``ChildWorkflowExecutionStarted`` (and a decision task)."""
        initiated, _, _, completed = self._children[workflow_id]
        run = run_id or f"{workflow_id}-run"
        started = self.add(
            "ChildWorkflowExecutionStarted",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
            },
        )
        self._children[workflow_id] = (initiated, started, run, completed)
        return self.needs_decision(True)

    def child_closed(self: _Self, workflow_id: str, outcome: str, **attributes: Any) -> _Self:
        """The child closed: ``outcome`` is ``"completed"``, ``"failed"``, ``"timed_out"``,
        ``"canceled"`` or ``"terminated"``; ``attributes`` are raw (``result=``,
        ``reason=``, ``details=``, ``timeoutType=``)."""
        event_type = {
            "completed": "ChildWorkflowExecutionCompleted",
            "failed": "ChildWorkflowExecutionFailed",
            "timed_out": "ChildWorkflowExecutionTimedOut",
            "canceled": "ChildWorkflowExecutionCanceled",
            "terminated": "ChildWorkflowExecutionTerminated",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        initiated, started, run, _ = self._children[workflow_id]
        self.add(
            event_type,
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run},
                "workflowType": self._child_type(initiated),
                "initiatedEventId": initiated,
                "startedEventId": started or 0,
                **attributes,
            },
        )
        self.open.children.discard(workflow_id)
        return self.needs_decision(True)

    # -- outcomes: signals and cancel requests sent to other executions ------------------------

    def _external_outcome(
        self: _Self,
        sent: dict[str, list[tuple[int, int]]],
        workflow_id: str,
        initiated_event_id: int | None,
        event_type: str,
        attributes: Mapping[str, Any],
        *,
        with_decision: bool,
    ) -> _Self:
        """An outcome of a signal or cancel request sent to ``workflow_id``: the one its
        ``...Initiated`` event ``initiated_event_id`` started (default: the latest)."""
        initiated, completed = next(
            (sent_id, completed)
            for sent_id, completed in reversed(sent[workflow_id])
            if initiated_event_id in (None, sent_id)
        )
        extra = {"decisionTaskCompletedEventId": completed} if with_decision else {}
        self.add(event_type, {**attributes, "initiatedEventId": initiated, **extra})
        return self.needs_decision(True)

    def signal_external_failed(
        self: _Self,
        workflow_id: str,
        cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``SignalExternalWorkflowExecutionFailed`` of a signal sent to ``workflow_id``
        (the one ``initiated_event_id`` started; default: the latest), and a decision task."""
        return self._external_outcome(
            self._signals,
            workflow_id,
            initiated_event_id,
            "SignalExternalWorkflowExecutionFailed",
            {"workflowId": workflow_id, "cause": cause},
            with_decision=True,
        )

    def external_signaled(
        self: _Self,
        workflow_id: str,
        run_id: str = "run-x",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``ExternalWorkflowExecutionSignaled`` (and a decision task)."""
        return self._external_outcome(
            self._signals,
            workflow_id,
            initiated_event_id,
            "ExternalWorkflowExecutionSignaled",
            {"workflowExecution": {"workflowId": workflow_id, "runId": run_id}},
            with_decision=False,
        )

    def request_cancel_external_failed(
        self: _Self,
        workflow_id: str,
        cause: str = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``RequestCancelExternalWorkflowExecutionFailed`` (and a decision task)."""
        return self._external_outcome(
            self._cancels,
            workflow_id,
            initiated_event_id,
            "RequestCancelExternalWorkflowExecutionFailed",
            {"workflowId": workflow_id, "cause": cause},
            with_decision=True,
        )

    def external_cancel_requested(
        self: _Self,
        workflow_id: str,
        run_id: str = "run-x",
        *,
        initiated_event_id: int | None = None,
    ) -> _Self:
        """``ExternalWorkflowExecutionCancelRequested`` (and a decision task)."""
        return self._external_outcome(
            self._cancels,
            workflow_id,
            initiated_event_id,
            "ExternalWorkflowExecutionCancelRequested",
            {"workflowExecution": {"workflowId": workflow_id, "runId": run_id}},
            with_decision=False,
        )

    # -- outcomes: Lambda tasks ----------------------------------------------------------------

    def start_lambda(self: _Self, lambda_id: str) -> _Self:
        """``LambdaFunctionStarted``."""
        scheduled, _ = self._lambdas[lambda_id]
        started = self.add("LambdaFunctionStarted", {"scheduledEventId": scheduled})
        self._lambdas[lambda_id] = (scheduled, started)
        return self

    def start_lambda_failed(
        self: _Self, lambda_id: str, cause: str = "ASSUME_ROLE_FAILED", message: str | None = None
    ) -> _Self:
        """``StartLambdaFunctionFailed`` (and a decision task)."""
        scheduled, _ = self._lambdas[lambda_id]
        self.add(
            "StartLambdaFunctionFailed",
            {"scheduledEventId": scheduled, "cause": cause, "message": message},
        )
        self.open.lambda_functions.discard(lambda_id)
        return self.needs_decision(True)

    def lambda_closed(self: _Self, lambda_id: str, outcome: str, **attributes: Any) -> _Self:
        """The Lambda task closed: ``outcome`` is ``"completed"``, ``"failed"`` or
        ``"timed_out"``; ``attributes`` are raw (``result=``, ``reason=``, ``details=``)."""
        event_type = {
            "completed": "LambdaFunctionCompleted",
            "failed": "LambdaFunctionFailed",
            "timed_out": "LambdaFunctionTimedOut",
        }[outcome]
        if outcome == "timed_out":
            attributes.setdefault("timeoutType", "START_TO_CLOSE")
        scheduled, started = self._lambdas[lambda_id]
        self.add(
            event_type,
            {"scheduledEventId": scheduled, "startedEventId": started or 0, **attributes},
        )
        self.open.lambda_functions.discard(lambda_id)
        return self.needs_decision(True)
