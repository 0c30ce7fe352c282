"""The compiled view of a history: :class:`CompiledHistory`, read-only, with its JSON form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from swf.frozen import FrozenDict
from swf.models.history.records import (
    ActivityRecord,
    ChildWorkflowRecord,
    DecisionTaskRecord,
    ExternalCancelRecord,
    ExternalSignalRecord,
    HistoryProblem,
    LambdaFunctionRecord,
    MarkerRecord,
    Record,
    SignalRecord,
    TimerRecord,
    WorkflowRecord,
)

__all__ = ["CompiledHistory"]

_K = TypeVar("_K")
_V = TypeVar("_V")


def _read_only(value: Mapping[_K, _V] | None) -> Mapping[_K, _V]:
    """A read-only copy of a mapping (shallow: one dict copy, no deeper)."""
    return FrozenDict.of(value or {})


class CompiledHistory:
    """What every entity of an execution went through, correlated by ids: a read-only view.

    Built by the compiler: its mappings are read-only, its sequences are tuples, and neither
    it nor its records accept an assignment.

    Attributes:
        activities: activity id -> its latest :class:`ActivityRecord` (earlier uses of the
            id in its ``tries``), in order of first use.
        timers: timer id -> latest :class:`TimerRecord`.
        child_workflows: workflow id -> latest :class:`ChildWorkflowRecord`.
        external_signals: initiated event id -> :class:`ExternalSignalRecord`.
        external_cancels: initiated event id -> :class:`ExternalCancelRecord`.
        signals: the received signals (:class:`SignalRecord`), in order.
        markers: marker name -> its :class:`MarkerRecord` tuple, in order.
        lambda_functions: Lambda task id -> latest :class:`LambdaFunctionRecord`.
        decision_tasks: every :class:`DecisionTaskRecord`, in order.
        workflow: the :class:`WorkflowRecord`.
        last_event_id: the id of the last event (0 for an empty history).
        previous_started_event_id: the ``DecisionTaskStarted`` id of the last completed
            decision task (None before the first).
        problems: what was wrong (only filled by ``History.validate``; empty otherwise).
    """

    __slots__ = (
        "activities",
        "child_workflows",
        "decision_tasks",
        "external_cancels",
        "external_signals",
        "lambda_functions",
        "last_event_id",
        "markers",
        "previous_started_event_id",
        "problems",
        "signals",
        "timers",
        "workflow",
    )

    activities: Mapping[str, ActivityRecord]
    timers: Mapping[str, TimerRecord]
    child_workflows: Mapping[str, ChildWorkflowRecord]
    external_signals: Mapping[int, ExternalSignalRecord]
    external_cancels: Mapping[int, ExternalCancelRecord]
    signals: tuple[SignalRecord, ...]
    markers: Mapping[str, tuple[MarkerRecord, ...]]
    lambda_functions: Mapping[str, LambdaFunctionRecord]
    decision_tasks: tuple[DecisionTaskRecord, ...]
    workflow: WorkflowRecord
    last_event_id: int
    previous_started_event_id: int | None
    problems: tuple[HistoryProblem, ...]

    def __init__(
        self,
        *,
        activities: Mapping[str, ActivityRecord] | None = None,
        timers: Mapping[str, TimerRecord] | None = None,
        child_workflows: Mapping[str, ChildWorkflowRecord] | None = None,
        external_signals: Mapping[int, ExternalSignalRecord] | None = None,
        external_cancels: Mapping[int, ExternalCancelRecord] | None = None,
        signals: Iterable[SignalRecord] = (),
        markers: Mapping[str, Iterable[MarkerRecord]] | None = None,
        lambda_functions: Mapping[str, LambdaFunctionRecord] | None = None,
        decision_tasks: Iterable[DecisionTaskRecord] = (),
        workflow: WorkflowRecord | None = None,
        last_event_id: int = 0,
        previous_started_event_id: int | None = None,
        problems: Iterable[HistoryProblem] = (),
    ) -> None:
        """Build the view (the compiler does; an empty one when given nothing).

        The mappings and sequences given are copied (shallow) into read-only ones.
        """
        set_ = object.__setattr__
        set_(self, "activities", _read_only(activities))
        set_(self, "timers", _read_only(timers))
        set_(self, "child_workflows", _read_only(child_workflows))
        set_(self, "external_signals", _read_only(external_signals))
        set_(self, "external_cancels", _read_only(external_cancels))
        set_(self, "signals", tuple(signals))
        set_(
            self,
            "markers",
            FrozenDict.of({name: tuple(found) for name, found in (markers or {}).items()}),
        )
        set_(self, "lambda_functions", _read_only(lambda_functions))
        set_(self, "decision_tasks", tuple(decision_tasks))
        set_(self, "workflow", WorkflowRecord() if workflow is None else workflow)
        set_(self, "last_event_id", last_event_id)
        set_(self, "previous_started_event_id", previous_started_event_id)
        set_(self, "problems", tuple(problems))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a compiled history is read-only (cannot set {name!r})")

    @property
    def open_activities(self) -> list[ActivityRecord]:
        """The activities scheduled or started and not closed yet."""
        return [record for record in self.activities.values() if record.is_open]

    @property
    def open_timers(self) -> list[TimerRecord]:
        """The timers started and neither fired nor canceled."""
        return [record for record in self.timers.values() if record.is_open]

    @property
    def open_child_workflows(self) -> list[ChildWorkflowRecord]:
        """The child workflows initiated or started and not closed yet."""
        return [record for record in self.child_workflows.values() if record.is_open]

    @property
    def open_lambda_functions(self) -> list[LambdaFunctionRecord]:
        """The Lambda tasks scheduled or started and not closed yet."""
        return [record for record in self.lambda_functions.values() if record.is_open]

    def signals_named(self, name: str) -> list[SignalRecord]:
        """The received signals called ``name``, in order."""
        return [signal for signal in self.signals if signal.name == name]

    def to_dict(self) -> dict[str, Any]:
        """The view as JSON-ready data (what ``swf history --compiled -o json`` prints).

        Per record: its state, attempts, result, reason, details, timeout type, cause, input
        and times (ISO 8601); markers and signals with their details and input; the number
        of decision tasks and the last event id.
        """
        workflow = self.workflow
        return {
            "workflow": {
                "state": workflow.state,
                "started_at": _iso(workflow.started_at),
                "closed_at": _iso(workflow.closed_at),
                "result": workflow.result,
                "reason": workflow.reason,
                "details": workflow.details,
                "cancel_requested": workflow.cancel_requested,
            },
            "activities": {
                key: _record_dict(r, activity_type=r.activity_type)
                for key, r in self.activities.items()
            },
            "lambda_functions": {
                key: _record_dict(r, name=r.name) for key, r in self.lambda_functions.items()
            },
            "timers": {
                key: _record_dict(r, start_to_fire_timeout=r.start_to_fire_timeout)
                for key, r in self.timers.items()
            },
            "child_workflows": {
                key: _record_dict(r, run_id=r.run_id, workflow_type=r.workflow_type)
                for key, r in self.child_workflows.items()
            },
            "markers": {
                name: [{"state": m.state, "details": m.details} for m in markers]
                for name, markers in self.markers.items()
            },
            "signals": [
                {"name": s.name, "input": s.input, "received_at": _iso(s.received_at)}
                for s in self.signals
            ],
            "decision_tasks": len(self.decision_tasks),
            "last_event_id": self.last_event_id,
        }

    def __repr__(self) -> str:
        return (
            f"<CompiledHistory workflow={self.workflow.state or '-'} "
            f"last_event_id={self.last_event_id} activities={len(self.activities)} "
            f"timers={len(self.timers)} children={len(self.child_workflows)}>"
        )


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _record_dict(record: Record, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"state": record.state}
    for name in ("attempts", "result", "reason", "details", "timeout_type", "cause", "input"):
        if hasattr(record, name):
            data[name] = getattr(record, name)
    for name in ("scheduled_at", "initiated_at", "started_at", "closed_at"):
        if hasattr(record, name):
            data[name] = _iso(getattr(record, name))
    data.update(extra)
    return data
