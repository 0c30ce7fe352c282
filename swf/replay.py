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

from swf.actors import Decider, DecisionTask
from swf.core import Connection
from swf.exceptions import InvalidTypeError, SWFError, ValidationError
from swf.flow import Workflow, WorkflowDecider
from swf.flow.engine import SIDE_EFFECT_MARKER, decide
from swf.flow.ids import call_of
from swf.models import Domain, WorkflowExecution
from swf.models.decision import Decision, check_decisions
from swf.models.history import History
from swf.models.history.recorded import (
    KEY_FIELDS,
    RECORDING_EVENTS,
    DecisionKey,
    recorded_decisions,
)

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


def _side_effects(history: History, started_event_id: int) -> list[str]:
    """The side-effect markers the decision task started at ``started_event_id`` recorded."""
    completed = next(
        (
            event.id
            for event in history
            if event.event_type == "DecisionTaskCompleted"
            and event.attributes.get("startedEventId") == started_event_id
        ),
        None,
    )
    return [
        event.attributes.get("details", "")
        for event in history
        if completed is not None
        and event.event_type == "MarkerRecorded"
        and event.attributes.get("decisionTaskCompletedEventId") == completed
        and event.attributes.get("markerName") == SIDE_EFFECT_MARKER
    ]


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
            connection) or instance (its ``decide()`` is called as is), or a
            :class:`swf.flow.Workflow` subclass (replayed by the workflow engine; a history
            the code no longer matches raises :class:`ReplayError` whose ``__cause__`` is
            the :class:`~swf.flow.errors.NondeterminismError`).
        domain: the domain name given to the replayed tasks (a history does not record
            it); default: the instance's domain, else ``"replay"``.
        workflow_id: the workflow id given to the replayed tasks. By default, the one the
            history shows (a signal the execution sent itself, the ids of the children the
            engine named after it), else ``"replay"``.
        run_id: the run id given to the replayed tasks (by default, as ``workflow_id``).

    Attributes:
        connection: the offline connection the tasks are bound to; ``connection.calls``
            counts the requests that ``decide()`` tried (each raised :class:`ReplayError`).
    """

    def __init__(
        self,
        decider: Any,
        *,
        domain: str | None = None,
        workflow_id: str | None = None,
        run_id: str | None = None,
    ) -> None:
        if isinstance(decider, type):
            if not issubclass(decider, Decider | Workflow):
                raise InvalidTypeError(
                    "decider must be a Decider subclass or instance, or a swf.flow Workflow "
                    f"subclass, got class {decider.__name__}",
                    argument="decider",
                    value=decider,
                )
        elif not callable(getattr(decider, "decide", None)):
            raise InvalidTypeError(
                f"decider must be a Decider subclass or instance, got {decider!r}",
                argument="decider",
                value=decider,
            )
        # Not given: read from each history where it tells (a workflow's ids may depend on it).
        self._inferred = workflow_id is None and run_id is None
        workflow_id = "replay" if workflow_id is None else workflow_id
        run_id = "replay" if run_id is None else run_id
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
            if issubclass(self.decider, Workflow):
                self._instance = WorkflowDecider(
                    self.domain_name or "replay",
                    task_list or None,
                    workflows=[self.decider],
                    register=False,
                    identity="replay",
                    client=self.connection,
                )
                return self._instance
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

    def task(self, history: HistorySource, upto_event_id: int | None = None) -> DecisionTask:
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

    def _task(self, history: History, upto_event_id: int | None) -> DecisionTask:
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
        started = None
        for event in history:
            if upto_event_id is not None and event.id > upto_event_id:
                break
            if event.event_type == "DecisionTaskStarted":
                started = event.id
        if started is None:
            where = "" if upto_event_id is None else f" at or before event {upto_event_id}"
            raise ValidationError(
                f"no decision task started{where} in the history ({len(history)} events)",
                argument="upto_event_id",
                value=upto_event_id,
            )
        domain = Domain(self.domain_name or "replay", client=self.connection)
        workflow_id, run_id = self.workflow_id, self.run_id
        if self._inferred:
            workflow_id, run_id = _identity(history, workflow_id, run_id)
        execution = WorkflowExecution(domain, workflow_id, run_id, client=self.connection)
        return DecisionTask.from_history(
            history, execution=execution, token=f"replay-{started}", started_event_id=started
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

    def _decide(self, history: History, task: DecisionTask) -> list[Decision]:
        decider = self._decider(history)
        event_id = task.started_event_id
        where = f"the decision task started at event {event_id}"
        try:
            if isinstance(self.decider, type) and issubclass(self.decider, Workflow):
                result = decide(
                    self.decider, task, side_effects=_side_effects(history, task.started_event_id)
                )
            else:
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
        try:  # what the live decider checks before sending: count and size
            return check_decisions(decisions)
        except ValidationError as exc:
            raise ReplayError(
                f"decide() returned decisions SWF would refuse while replaying {where}: {exc}",
                event_id=event_id,
                workflow_id=self.workflow_id,
            ) from exc

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


def _identity(history: History, workflow_id: str, run_id: str) -> tuple[str, str]:
    """The execution's ids as its history shows them (a history does not hold them): a
    signal it sent itself names both; a child ``swf.flow`` named after it names the workflow
    id (its ``control`` holds the rest of its id). Else the given ones."""
    compiled = history.compiled
    for record in compiled.signals:
        sender = record.external_workflow_execution
        initiated = compiled.external_signals.get(record.external_initiated_event_id or 0)
        if sender and initiated is not None and initiated.workflow_id == sender["workflowId"]:
            return sender["workflowId"], sender["runId"]
    for child_id, child in compiled.child_workflows.items():
        call = call_of(child.control) or ""  # "child:{name}": its id is "{workflow id}-{name}"
        name = call.removeprefix("child:")
        if call.startswith("child:") and child_id.endswith(f"-{name}"):
            return child_id[: -len(name) - 1], run_id
    return workflow_id, run_id
