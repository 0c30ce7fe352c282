"""Offline replay: run a decider on a saved history, with no SWF call.

Two uses, before deploying a changed decider:

- :meth:`Replayer.replay` answers "what would my current code decide at this point of this
  history?" (by default: at the last decision task);
- :meth:`Replayer.check` replays every decision task of a history and compares what the
  decider decides now with what was recorded (the nondeterminism check)::

    >>> from swf.replay import Replayer
    >>> report = Replayer(MyDecider).check("prod-history.json")   # doctest: +SKIP
    >>> report.ok                                                  # doctest: +SKIP
    False
    >>> print(report)                                              # doctest: +SKIP
    1 mismatch in 3 decision tasks (26 events), compared in order:
      event 17 (decision task completed at event 16): expected ScheduleActivityTask(...)

The decider gets the same :class:`~swf.actors.DecisionTask` as from a poll: the history cut
just after the ``DecisionTaskStarted`` event, ``previous_started_event_id`` and
``started_event_id``, the execution and its workflow type. Everything in it is bound to an
offline connection: a request to SWF made through it raises :class:`ReplayError` instead of
leaving the machine.

How :meth:`~Replayer.check` compares: each decision (replayed) and each decision event
(recorded: the events whose ``decisionTaskCompletedEventId`` is the task's
``DecisionTaskCompleted``) is reduced to a :class:`DecisionKey`: the decision type and its
identifying and payload attributes (ids, type names, input, control, result, reason,
details, marker name, timer duration). Timeouts, task lists and priorities are left out: an
event records the defaults SWF filled in, a decision usually omits them. A failure event
(``ScheduleActivityTaskFailed``...) records only the ids, so only those are compared.
SWF applies a task's decisions in order and records their events in that order, so the
comparison is ordered by default (``ordered=False`` compares them as a multiset).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, NoReturn

import attrs

from swf.core import Connection
from swf.exceptions import InvalidTypeError, SWFError, ValidationError
from swf.models.decision import Decision, DecisionType
from swf.models.history import History

__all__ = [
    "KEY_FIELDS",
    "RECORDING_EVENTS",
    "DecisionKey",
    "Mismatch",
    "ReplayError",
    "ReplayReport",
    "Replayer",
    "recorded_decisions",
]


class ReplayError(SWFError):
    """The decider could not be replayed at a decision task.

    Raised when ``decide()`` raises (the original exception is the ``__cause__``), returns
    something that is not a list of decisions, or tries to call SWF.

    Attributes:
        event_id: the ``DecisionTaskStarted`` event of the decision task being replayed.
        workflow_id: the workflow id given to the replayed task.
    """

    def __init__(
        self, message: str, *, event_id: int | None = None, workflow_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.event_id = event_id
        self.workflow_id = workflow_id


class _OfflineConnection(Connection):
    """A connection that refuses every request: replay never talks to SWF."""

    def __repr__(self) -> str:
        return "<Connection offline (replay)>"

    @property
    def client(self) -> Any:
        """Never built: raises :class:`ReplayError`."""
        self._refuse("a boto3 client")

    def _refuse(self, what: str) -> NoReturn:
        raise ReplayError(
            f"decide() asked SWF for {what} during an offline replay: a decider must decide "
            "from the task's history alone"
        )

    def call(
        self, operation: str, params: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> dict[str, Any]:
        """Count the request and refuse it."""
        self.calls[operation] += 1
        self._refuse(operation)

    def paginate(
        self, operation: str, params: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        """Count the request and refuse it."""
        self.calls[operation] += 1
        self._refuse(operation)


# -- what a decision is compared on -----------------------------------------------------------

_D = DecisionType

#: Per decision type, the attributes a replayed decision and a recorded event are compared on.
KEY_FIELDS: dict[DecisionType, tuple[str, ...]] = {
    _D.SCHEDULE_ACTIVITY_TASK: ("activityId", "activityType", "input", "control"),
    _D.REQUEST_CANCEL_ACTIVITY_TASK: ("activityId",),
    _D.COMPLETE_WORKFLOW_EXECUTION: ("result",),
    _D.FAIL_WORKFLOW_EXECUTION: ("reason", "details"),
    _D.CANCEL_WORKFLOW_EXECUTION: ("details",),
    _D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION: ("input",),
    _D.RECORD_MARKER: ("markerName", "details"),
    _D.START_TIMER: ("timerId", "startToFireTimeout", "control"),
    _D.CANCEL_TIMER: ("timerId",),
    _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: (
        "workflowId",
        "runId",
        "signalName",
        "input",
        "control",
    ),
    _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: ("workflowId", "runId", "control"),
    _D.START_CHILD_WORKFLOW_EXECUTION: ("workflowId", "workflowType", "input", "control"),
    _D.SCHEDULE_LAMBDA_FUNCTION: ("id", "name", "input", "control"),
}

#: The events that record a decision: event type -> (decision type, the key attributes the
#: event records; None when it records all of them).
RECORDING_EVENTS: dict[str, tuple[DecisionType, tuple[str, ...] | None]] = {
    "ActivityTaskScheduled": (_D.SCHEDULE_ACTIVITY_TASK, None),
    "ScheduleActivityTaskFailed": (_D.SCHEDULE_ACTIVITY_TASK, ("activityId", "activityType")),
    "ActivityTaskCancelRequested": (_D.REQUEST_CANCEL_ACTIVITY_TASK, None),
    "RequestCancelActivityTaskFailed": (_D.REQUEST_CANCEL_ACTIVITY_TASK, None),
    "WorkflowExecutionCompleted": (_D.COMPLETE_WORKFLOW_EXECUTION, None),
    "CompleteWorkflowExecutionFailed": (_D.COMPLETE_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionFailed": (_D.FAIL_WORKFLOW_EXECUTION, None),
    "FailWorkflowExecutionFailed": (_D.FAIL_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionCanceled": (_D.CANCEL_WORKFLOW_EXECUTION, None),
    "CancelWorkflowExecutionFailed": (_D.CANCEL_WORKFLOW_EXECUTION, ()),
    "WorkflowExecutionContinuedAsNew": (_D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION, None),
    "ContinueAsNewWorkflowExecutionFailed": (_D.CONTINUE_AS_NEW_WORKFLOW_EXECUTION, ()),
    "MarkerRecorded": (_D.RECORD_MARKER, None),
    "RecordMarkerFailed": (_D.RECORD_MARKER, ("markerName",)),
    "TimerStarted": (_D.START_TIMER, None),
    "StartTimerFailed": (_D.START_TIMER, ("timerId",)),
    "TimerCanceled": (_D.CANCEL_TIMER, None),
    # moto 5 writes a CancelTimer as "TimerCancelled" with no attributes at all
    "TimerCancelled": (_D.CANCEL_TIMER, ("timerId",)),
    "CancelTimerFailed": (_D.CANCEL_TIMER, None),
    "SignalExternalWorkflowExecutionInitiated": (_D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION, None),
    "SignalExternalWorkflowExecutionFailed": (
        _D.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
        ("workflowId", "runId", "control"),
    ),
    "RequestCancelExternalWorkflowExecutionInitiated": (
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        None,
    ),
    "RequestCancelExternalWorkflowExecutionFailed": (
        _D.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
        ("workflowId", "runId", "control"),
    ),
    "StartChildWorkflowExecutionInitiated": (_D.START_CHILD_WORKFLOW_EXECUTION, None),
    "StartChildWorkflowExecutionFailed": (
        _D.START_CHILD_WORKFLOW_EXECUTION,
        ("workflowId", "workflowType", "control"),
    ),
    "LambdaFunctionScheduled": (_D.SCHEDULE_LAMBDA_FUNCTION, None),
    "ScheduleLambdaFunctionFailed": (_D.SCHEDULE_LAMBDA_FUNCTION, ("id", "name")),
}

#: Failure events that follow an ``...Initiated`` event (its ``initiatedEventId``): the
#: decision is already recorded by the initiated event, the failure is a later outcome.
_FAILED_AFTER_INITIATED = {
    "SignalExternalWorkflowExecutionFailed": "SignalExternalWorkflowExecutionInitiated",
    "RequestCancelExternalWorkflowExecutionFailed": (
        "RequestCancelExternalWorkflowExecutionInitiated"
    ),
    "StartChildWorkflowExecutionFailed": "StartChildWorkflowExecutionInitiated",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _key_attributes(
    decision_type: DecisionType, attributes: Mapping[str, Any], fields: Sequence[str] | None
) -> dict[str, Any]:
    # Absent, None and "" are the same value: SWF (and moto) leave empty strings out of events.
    selected = KEY_FIELDS[decision_type] if fields is None else fields
    return {
        name: _plain(attributes[name])
        for name in selected
        if attributes.get(name) not in (None, "")
    }


@attrs.frozen
class DecisionKey:
    """What a decision is compared on: its type and its key attributes.

    Attributes:
        decision_type: the decision type, e.g. ``'ScheduleActivityTask'``.
        attributes: the key attributes (:data:`KEY_FIELDS`), with SWF's names; empty ones
            are left out.
        compared: the attribute names compared (None: all of :data:`KEY_FIELDS`); a failure
            event records only the ids.
        event_id: the event that recorded it (None for a replayed decision).
        event_type: that event's type (None for a replayed decision).
    """

    decision_type: str
    attributes: Mapping[str, Any] = attrs.field(factory=dict)
    compared: tuple[str, ...] | None = None
    event_id: int | None = None
    event_type: str | None = None

    @classmethod
    def from_decision(cls, decision: Mapping[str, Any]) -> DecisionKey:
        """The key of a decision (a :class:`~swf.models.decision.Decision` or its dict)."""
        wrapped = decision if isinstance(decision, Decision) else Decision.from_api(decision)
        decision_type = wrapped.decision_type
        return cls(decision_type.value, _key_attributes(decision_type, wrapped.attributes, None))

    @classmethod
    def from_event(cls, event: Any) -> DecisionKey | None:
        """The key of the decision an event records, or None if it records no decision."""
        known = RECORDING_EVENTS.get(event.event_type)
        if known is None:
            return None
        decision_type, fields = known
        return cls(
            decision_type.value,
            _key_attributes(decision_type, event.attributes, fields),
            compared=fields,
            event_id=event.id,
            event_type=event.event_type,
        )

    def matches(self, replayed: DecisionKey) -> bool:
        """Whether ``replayed`` (a decision made now) is the decision this key recorded."""
        if self.decision_type != replayed.decision_type:
            return False
        if self.compared is None:
            return dict(self.attributes) == dict(replayed.attributes)
        return all(
            self.attributes.get(name) == replayed.attributes.get(name)
            for name in self.compared
            if name in self.attributes
        )

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={_short(value)}" for name, value in self.attributes.items())
        return f"{self.decision_type}({shown})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "decision_type": self.decision_type,
            "attributes": dict(self.attributes),
            "event_id": self.event_id,
            "event_type": self.event_type,
        }


def _short(value: Any) -> str:
    if isinstance(value, Mapping) and set(value) == {"name", "version"}:
        return f"{value['name']}/{value['version']}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen
class Mismatch:
    """A decision that differs between the history and the replay.

    Attributes:
        event_id: the event that recorded the expected decision; when the replay made a
            decision the history does not have, the task's ``DecisionTaskCompleted`` event.
        expected: the recorded decision (None: the replay made one more).
        got: the replayed decision (None: the replay did not make it).
        decision_task_event_id: the task's ``DecisionTaskCompleted`` event.
    """

    event_id: int
    expected: DecisionKey | None
    got: DecisionKey | None
    decision_task_event_id: int | None = None

    def __str__(self) -> str:
        where = f"event {self.event_id}"
        if self.decision_task_event_id is not None and self.decision_task_event_id != self.event_id:
            where += f" (decision task completed at event {self.decision_task_event_id})"
        expected = str(self.expected) if self.expected is not None else "nothing"
        got = str(self.got) if self.got is not None else "nothing"
        return f"{where}: expected {expected}, got {got}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "event_id": self.event_id,
            "decision_task_event_id": self.decision_task_event_id,
            "expected": self.expected.to_dict() if self.expected is not None else None,
            "got": self.got.to_dict() if self.got is not None else None,
        }


@attrs.frozen
class ReplayReport:
    """What :meth:`Replayer.check` found: iterate over it for the mismatches.

    Attributes:
        mismatches: every :class:`Mismatch`, in event order.
        decision_tasks: the ``DecisionTaskCompleted`` event ids of the tasks replayed.
        events: the number of events in the history.
        ordered: whether decisions were compared in order.
    """

    mismatches: tuple[Mismatch, ...]
    decision_tasks: tuple[int, ...]
    events: int
    ordered: bool = True

    @property
    def ok(self) -> bool:
        """True when the replay decided exactly what the history recorded."""
        return not self.mismatches

    def __iter__(self) -> Iterator[Mismatch]:
        return iter(self.mismatches)

    def __str__(self) -> str:
        how = "in order" if self.ordered else "in any order"
        tasks = f"{len(self.decision_tasks)} decision tasks ({self.events} events)"
        if self.ok:
            return f"OK: {tasks} replayed, every decision as recorded (compared {how})"
        count = len(self.mismatches)
        lines = [f"{count} mismatch{'es' if count > 1 else ''} in {tasks}, compared {how}:"]
        lines.extend(f"  {mismatch}" for mismatch in self.mismatches)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape ``swf replay --check --output json`` prints)."""
        return {
            "ok": self.ok,
            "events": self.events,
            "ordered": self.ordered,
            "decision_tasks": list(self.decision_tasks),
            "mismatches": [mismatch.to_dict() for mismatch in self.mismatches],
        }


def recorded_decisions(history: History) -> dict[int, list[DecisionKey]]:
    """The decisions recorded in ``history``, per ``DecisionTaskCompleted`` event id.

    A decision event is attributed by its ``decisionTaskCompletedEventId``; one that lacks it
    (moto's ``TimerCancelled``) goes to the latest ``DecisionTaskCompleted`` before it. A
    failure of a signal, cancel request or child start that follows its ``...Initiated``
    event is an outcome, not a decision, and is skipped.
    """
    recorded: dict[int, list[DecisionKey]] = {}
    types_by_id: dict[int, str] = {}
    last_completed: int | None = None
    for event in history:
        types_by_id[event.id] = event.event_type
        if event.event_type == "DecisionTaskCompleted":
            last_completed = event.id
            recorded.setdefault(event.id, [])
            continue
        key = DecisionKey.from_event(event)
        if key is None:
            continue
        initiated = _FAILED_AFTER_INITIATED.get(event.event_type)
        if initiated is not None:
            source = event.attributes.get("initiatedEventId")
            if isinstance(source, int) and types_by_id.get(source) == initiated:
                continue
        completed = event.attributes.get("decisionTaskCompletedEventId", last_completed)
        if completed is None:
            continue
        recorded.setdefault(int(completed), []).append(key)
    return recorded


def _align(
    expected: Sequence[DecisionKey], got: Sequence[DecisionKey], ordered: bool
) -> list[tuple[DecisionKey | None, DecisionKey | None]]:
    """Pairs (expected, got) that do not match; unmatched leftovers paired up in order."""
    if not ordered:
        free = list(got)
        unmatched: list[DecisionKey] = []
        for key in expected:
            index = next((i for i, other in enumerate(free) if key.matches(other)), None)
            if index is None:
                unmatched.append(key)
            else:
                del free[index]
        return _pair(unmatched, free)
    # Longest common subsequence (at most 100 decisions a task), then the gaps between
    # matched decisions are the mismatches: an inserted decision shifts nothing else.
    n, m = len(expected), len(got)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if expected[i].matches(got[j]):
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs: list[tuple[DecisionKey | None, DecisionKey | None]] = []
    gap_expected: list[DecisionKey] = []
    gap_got: list[DecisionKey] = []
    i = j = 0
    while i < n or j < m:
        if (
            i < n
            and j < m
            and expected[i].matches(got[j])
            and table[i][j] == table[i + 1][j + 1] + 1
        ):
            pairs.extend(_pair(gap_expected, gap_got))
            gap_expected, gap_got = [], []
            i, j = i + 1, j + 1
        elif j < m and (i == n or table[i][j + 1] >= table[i + 1][j]):
            gap_got.append(got[j])
            j += 1
        else:
            gap_expected.append(expected[i])
            i += 1
    pairs.extend(_pair(gap_expected, gap_got))
    return pairs


def _pair(
    expected: Sequence[DecisionKey], got: Sequence[DecisionKey]
) -> list[tuple[DecisionKey | None, DecisionKey | None]]:
    pairs: list[tuple[DecisionKey | None, DecisionKey | None]] = []
    for index in range(max(len(expected), len(got))):
        pairs.append(
            (
                expected[index] if index < len(expected) else None,
                got[index] if index < len(got) else None,
            )
        )
    return pairs


HistorySource = History | str | bytes | os.PathLike[str] | IO[Any] | Sequence[Mapping[str, Any]]


def _load(history: Any) -> History:
    if isinstance(history, History):
        return history
    if isinstance(history, str | bytes | os.PathLike) or hasattr(history, "read"):
        return History.from_json(history)
    if isinstance(history, Sequence):
        return History.from_event_list(history)
    raise InvalidTypeError(
        "history must be a History, JSON text, a path or a file of JSON, or a list of "
        f"events, got {type(history).__name__}",
        argument="history",
        value=history,
    )


class Replayer:
    """Runs a decider's ``decide()`` on saved histories, offline.

    Args:
        decider: a :class:`~swf.actors.Decider` subclass (built here, on an offline
            connection) or instance (its ``decide()`` is called as is).
        domain: the domain name given to the replayed tasks (a history does not record
            it); default: the instance's domain, else ``"replay"``.
        workflow_id: the workflow id given to the replayed tasks (default ``"replay"``).
        run_id: the run id given to the replayed tasks (default ``"replay"``).

    Attributes:
        connection: the offline connection the tasks are bound to; ``connection.calls``
            counts the requests that ``decide()`` tried (each raised :class:`ReplayError`).
    """

    def __init__(
        self,
        decider: Any,
        *,
        domain: str | None = None,
        workflow_id: str = "replay",
        run_id: str = "replay",
    ) -> None:
        from swf.actors import Decider

        if isinstance(decider, type):
            if not issubclass(decider, Decider):
                raise InvalidTypeError(
                    f"decider must be a Decider subclass or instance, got class {decider.__name__}",
                    argument="decider",
                    value=decider,
                )
        elif not callable(getattr(decider, "decide", None)):
            raise InvalidTypeError(
                f"decider must be a Decider subclass or instance, got {decider!r}",
                argument="decider",
                value=decider,
            )
        for name, value in (("workflow_id", workflow_id), ("run_id", run_id)):
            if not isinstance(value, str) or not value:
                raise InvalidTypeError(
                    f"{name} must be a non-empty string, got {value!r}", argument=name, value=value
                )
        self.decider = decider
        self.connection: Connection = _OfflineConnection()
        default_domain = getattr(getattr(decider, "domain", None), "name", None)
        self.domain_name = domain or (default_domain if isinstance(default_domain, str) else None)
        self.workflow_id = workflow_id
        self.run_id = run_id
        self._instance: Any = None if isinstance(decider, type) else decider

    def __repr__(self) -> str:
        target = self.decider if isinstance(self.decider, type) else type(self.decider)
        return f"<Replayer {target.__module__}.{target.__qualname__}>"

    # -- the decision task -------------------------------------------------------------------

    def _decider(self, history: History) -> Any:
        if self._instance is None:
            task_list = (history.first.attributes.get("taskList") or {}).get("name")
            try:
                self._instance = self.decider(
                    self.domain_name or "replay",
                    task_list or None,
                    identity="replay",
                    client=self.connection,
                )
            except TypeError as exc:
                raise InvalidTypeError(
                    f"cannot build {self.decider.__name__}(domain, task_list, identity=..., "
                    f"client=...): {exc}; pass an instance to Replayer instead",
                    argument="decider",
                    value=self.decider,
                ) from exc
        return self._instance

    def task(self, history: HistorySource, upto_event_id: int | None = None) -> Any:
        """The :class:`~swf.actors.DecisionTask` a poll would have returned at that point.

        Args:
            history: a :class:`~swf.models.history.History`, JSON text, a path to a JSON
                file, an open file, or a list of raw events.
            upto_event_id: replay the decision task started at or before this event id
                (default: the last decision task started).

        Raises:
            InvalidHistoryError: the history cannot be read.
            ValidationError: no decision task started at or before ``upto_event_id``.
        """
        return self._task(_load(history), upto_event_id)

    def _task(self, history: History, upto_event_id: int | None) -> Any:
        from swf.actors import DecisionTask
        from swf.models import Domain, WorkflowExecution, WorkflowType

        if upto_event_id is not None and (
            isinstance(upto_event_id, bool) or not isinstance(upto_event_id, int)
        ):
            raise InvalidTypeError(
                f"upto_event_id must be an event id (int), got {upto_event_id!r}",
                argument="upto_event_id",
                value=upto_event_id,
            )
        if len(history) == 0 or history.first.event_type != "WorkflowExecutionStarted":
            raise ValidationError(
                "cannot replay: the history does not begin with WorkflowExecutionStarted",
                argument="history",
                value=None,
            )
        position = None
        for index, event in enumerate(history):
            if upto_event_id is not None and event.id > upto_event_id:
                break
            if event.event_type == "DecisionTaskStarted":
                position = index
        if position is None:
            where = "" if upto_event_id is None else f" at or before event {upto_event_id}"
            raise ValidationError(
                f"no decision task started{where} in the history ({len(history)} events)",
                argument="upto_event_id",
                value=upto_event_id,
            )
        cut = history[: position + 1]
        started = cut.last.id
        completed_started = {
            event.attributes.get("startedEventId")
            for event in cut
            if event.event_type == "DecisionTaskCompleted"
        }
        previous = None
        for event in reversed(cut[:-1]):
            if event.event_type == "DecisionTaskStarted" and event.id in completed_started:
                previous = event.id
                break
        raw_type = history.first.attributes.get("workflowType") or {}
        domain = Domain(self.domain_name or "replay", client=self.connection)
        workflow_type = WorkflowType(
            domain,
            raw_type.get("name", "replay"),
            raw_type.get("version", "replay"),
            client=self.connection,
        )
        execution = WorkflowExecution(
            domain,
            self.workflow_id,
            self.run_id,
            workflow_type=workflow_type,
            client=self.connection,
        )
        return DecisionTask(
            token=f"replay-{started}",
            history=cut,
            execution=execution,
            workflow_type=workflow_type,
            previous_started_event_id=previous,
            started_event_id=started,
        )

    # -- replaying -----------------------------------------------------------------------------

    def replay(self, history: HistorySource, upto_event_id: int | None = None) -> list[Decision]:
        """The decisions ``decide()`` makes now at one decision task of ``history``.

        Args:
            history: as :meth:`task` accepts.
            upto_event_id: the decision task started at or before this event id (default:
                the last one).

        Returns:
            The decisions (:class:`~swf.models.decision.Decision`), in order.

        Raises:
            ReplayError: ``decide()`` raised, returned something else than decisions, or
                tried to call SWF; the message names the ``DecisionTaskStarted`` event id.
            InvalidHistoryError: the history cannot be read.
            ValidationError: no decision task started at or before ``upto_event_id``.
        """
        loaded = _load(history)
        return self._decide(loaded, self._task(loaded, upto_event_id))

    def _decide(self, history: History, task: Any) -> list[Decision]:
        decider = self._decider(history)
        event_id = task.started_event_id
        where = f"the decision task started at event {event_id}"
        try:
            result = decider.decide(task)
        except ReplayError as exc:  # the offline connection refused a request
            raise ReplayError(
                f"{exc} (while replaying {where})", event_id=event_id, workflow_id=self.workflow_id
            ) from exc
        except Exception as exc:
            raise ReplayError(
                f"decide() raised {type(exc).__name__} while replaying {where}: {exc}",
                event_id=event_id,
                workflow_id=self.workflow_id,
            ) from exc
        if result is None:
            return []
        if isinstance(result, Mapping | str | bytes) or not isinstance(result, Sequence | Iterator):
            raise ReplayError(
                f"decide() returned {type(result).__name__}, not a list of decisions, "
                f"while replaying {where}",
                event_id=event_id,
                workflow_id=self.workflow_id,
            )
        decisions: list[Decision] = []
        for index, item in enumerate(result):
            if not isinstance(item, Mapping):
                raise ReplayError(
                    f"decide() returned {item!r} as decision {index}, not a decision, "
                    f"while replaying {where}",
                    event_id=event_id,
                    workflow_id=self.workflow_id,
                )
            try:
                decisions.append(item if isinstance(item, Decision) else Decision.from_api(item))
            except ValidationError as exc:
                raise ReplayError(
                    f"decide() returned an invalid decision {index} while replaying {where}: {exc}",
                    event_id=event_id,
                    workflow_id=self.workflow_id,
                ) from exc
        return decisions

    def check(self, history: HistorySource, *, ordered: bool = True) -> ReplayReport:
        """Replay every decision task of ``history`` and compare with what was recorded.

        A decision task is replayed when its ``DecisionTaskStarted`` is followed by its
        ``DecisionTaskCompleted`` (timed-out tasks recorded no decision). The decisions it
        recorded are the events whose ``decisionTaskCompletedEventId`` is that
        ``DecisionTaskCompleted`` (see :func:`recorded_decisions`).

        Args:
            history: as :meth:`task` accepts.
            ordered: compare each task's decisions in order (SWF applies them in order; the
                default) or as a multiset.

        Returns:
            A :class:`ReplayReport`; ``report.ok`` is True when nothing differs.

        Raises:
            ReplayError: ``decide()`` failed at a decision task (the message names its
                ``DecisionTaskStarted`` event id).
            InvalidHistoryError: the history cannot be read.
        """
        loaded = _load(history)
        recorded = recorded_decisions(loaded)
        mismatches: list[Mismatch] = []
        replayed: list[int] = []
        for event in loaded:
            if event.event_type != "DecisionTaskCompleted":
                continue
            started = event.attributes.get("startedEventId")
            if not isinstance(started, int):
                continue
            task = self._task(loaded, started)
            if task.started_event_id != started:
                continue
            got = [DecisionKey.from_decision(d) for d in self._decide(loaded, task)]
            replayed.append(event.id)
            for expected, made in _align(recorded.get(event.id, []), got, ordered):
                at = expected.event_id if expected is not None else None
                mismatches.append(Mismatch(at or event.id, expected, made, event.id))
        return ReplayReport(tuple(mismatches), tuple(replayed), len(loaded), ordered)
