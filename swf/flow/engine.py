"""The engine: one pure function from a workflow class and a decision task to decisions.

:func:`decide` re-runs ``Workflow.run`` from the start against the task's compiled history.
Every call ``run()`` makes is matched by id with what the history recorded:

- ``submit(activity, ...)``: activity id ``"{name}-{n}"`` (the n-th submission of that
  activity), a hash of the input for ``idempotent`` activities, or ``activity.options(id=)``;
  found in the history, its future takes the record's state (a failed try is retried by the
  activity's :class:`~swf.flow.RetryPolicy`, after a backoff timer); not found, it becomes a
  ``ScheduleActivityTask`` decision;
- ``sleep(seconds)``: timer ``"sleep-{n}"``; ``record_marker(name)``: the n-th marker of that
  name; ``side_effect(fn)``: the n-th ``swf.side-effect`` marker.

Each scheduling decision carries a fingerprint of the call (kind, type, version, input) in its
``control``: a replayed call that differs from the recorded one, or a recorded entity no call
claims, raises :class:`~swf.flow.NondeterminismError` (the code changed under a running
execution). Reading the result of a task that is not done suspends ``run()``
(:class:`~swf.flow.futures.Suspend`); its return value completes the execution, an exception
that escapes fails it.

SWF's limits are handled rather than refused: at most ``max_open_activities`` activities are
open (the others wait for completions), and an answer holds at most 100 decisions and 1 MB
(99 and a zero-second wake-up timer when more is ready). The same function serves the
:class:`~swf.flow.WorkflowDecider`, :func:`~swf.flow.run_local`, :class:`swf.replay.Replayer`
and the tests.
"""

from __future__ import annotations

import bisect
import collections
import hashlib
import io
import json
import logging
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from json import loads as _loads
from typing import Any, NoReturn, TextIO

import attrs

from swf import constants, states
from swf.actors.decider import DecisionTask
from swf.exceptions import InvalidTypeError
from swf.flow.context import current_run, replaying
from swf.flow.definition import Activity
from swf.flow.encoding import decode, decode_input, encode, encode_input, error_details, error_type
from swf.flow.errors import (
    ActivityCanceled,
    ActivityError,
    ActivityFailed,
    ActivityTimedOut,
    NondeterminismError,
    TimerCanceled,
)
from swf.flow.futures import PENDING, Future, Suspend
from swf.flow.workflow import Marker, Workflow, WorkflowInfo
from swf.models.decision import (
    ActivityTaskDecision,
    Decision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.history import ActivityRecord
from swf.validation import check_name, shorten, to_duration, truncate

__all__ = [
    "SIDE_EFFECT_MARKER",
    "WAKE_UP_TIMER",
    "EngineOptions",
    "ReplayAwareStdout",
    "Run",
    "current_run",
    "decide",
    "fingerprint",
]

logger = logging.getLogger(__name__)

#: The marker name under which ``side_effect`` keeps its values (one of the history's
#: :data:`~swf.models.history.recorded.VOLATILE_MARKERS`: replays compare only its name).
SIDE_EFFECT_MARKER = "swf.side-effect"
#: The prefix of the zero-second timers that wake the decider when more work was ready than
#: one answer can hold.
WAKE_UP_TIMER = "swf.wake-up-"
# What an answer may hold: SWF's 1 MB request, less room for the request's own keys.
_ANSWER_BYTES = constants.MAX_REQUEST_SIZE - 65_536


@attrs.frozen
class EngineOptions:
    """How a decider runs the engine (the same for every replay of an execution).

    Attributes:
        activity_task_list: schedule every activity on this task list, whatever its own
            (``swf workflow run`` runs a decider and workers on a task list of their own).
    """

    activity_task_list: str | None = None


class ReplayAwareStdout(io.TextIOBase):
    """Standard output that drops what ``Workflow.run`` prints while it replays.

    Installed around ``sys.stdout`` by :func:`decide` (once; it stays): a ``print`` in
    ``run()`` appears once, at the decision task that first ran it, however many times the
    engine replays it. Other threads, and code outside ``run()``, write through unchanged.
    """

    def __init__(self, target: TextIO) -> None:
        """Wrap ``target``."""
        self.target = target

    def write(self, text: str) -> int:
        """Write ``text``, unless a replaying ``run()`` of this thread wrote it."""
        run = current_run()
        if run is not None and run.is_replaying:
            return len(text)
        return self.target.write(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self.target.flush()

    def writable(self) -> bool:
        """Yes."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return str(getattr(self.target, "encoding", "utf-8"))


def fingerprint(kind: str, name: str, version: str, payload: str | None) -> str:
    """A short fingerprint of a call: 12 hex digits of SHA-1 over its kind, type, version
    and encoded input (kept in the ``control`` of the decision that made it)."""
    text = f"{kind}\0{name}\0{version}\0{payload or ''}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _control(fingerprint: str) -> str:
    return f'{{"swf.flow":"{fingerprint}"}}'


class _Fail(BaseException):
    """``Workflow.fail()``: fail the execution with this reason and details."""

    def __init__(self, reason: str, details: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def decide(
    workflow_class: type[Workflow],
    task: DecisionTask,
    options: EngineOptions | None = None,
    *,
    side_effects: Sequence[str] = (),
) -> list[Decision]:
    """Replay ``workflow_class.run`` against ``task``'s history; the decisions to answer.

    Pure: the same class, history and options always give the same decisions; nothing is
    sent, no state is kept.

    Args:
        workflow_class: the :class:`~swf.flow.Workflow` subclass.
        task: the decision task (its history ends with the task's ``DecisionTaskStarted``).
        options: how the decider runs the engine.
        side_effects: when replaying a saved history, the details of the side-effect markers
            this task recorded: its side effects return those values instead of running
            again (:class:`swf.replay.Replayer` passes them).

    Raises:
        NondeterminismError: the code no longer makes the calls the history records.
        ValidationError: the execution's input is not JSON.
    """
    if not isinstance(sys.stdout, ReplayAwareStdout):
        sys.stdout = ReplayAwareStdout(sys.stdout)
    return Run(workflow_class, task, options or EngineOptions(), side_effects).execute()


class Run:
    """One replay of a workflow at one decision task (what ``Workflow.run``'s calls talk to).

    Built by :func:`decide`; its methods are what the :class:`~swf.flow.Workflow` methods call.
    """

    def __init__(
        self,
        workflow_class: type[Workflow],
        task: DecisionTask,
        options: EngineOptions,
        side_effects: Sequence[str] = (),
    ) -> None:
        """Prepare the replay of ``workflow_class`` at ``task``."""
        if not (isinstance(workflow_class, type) and issubclass(workflow_class, Workflow)):
            raise InvalidTypeError(
                f"a Workflow subclass is needed, got {workflow_class!r}",
                argument="workflow_class",
                value=workflow_class,
            )
        self.workflow_class = workflow_class
        self.task = task
        self.options = options
        self.compiled = task.history.compiled
        self.decisions: list[Decision] = []
        self._counters: dict[str, int] = {}
        self._replayed_side_effects = list(side_effects)
        self.nondeterminism: NondeterminismError | None = None
        self._futures: dict[str, Future] = {}
        self._claimed_activities: set[str] = set()
        self._claimed_timers: set[str] = set()
        self._claimed_markers: collections.Counter[str] = collections.Counter()
        self._new_markers: list[Marker] = []
        self._open = len(self.compiled.open_activities)
        self._horizon: float = 0
        # The decision tasks whose code ran for good: the completed ones, and this one.
        starts = [
            (record.started_event_id, record.started_at)
            for record in self.compiled.decision_tasks
            if record.state == states.COMPLETED and record.started_event_id is not None
        ]
        starts.append((task.started_event_id, task.history.last.timestamp))
        self._starts = [event_id for event_id, _ in starts]
        self._start_times = [at for _, at in starts]
        workflow = self.compiled.workflow
        self._task_list = workflow.task_list
        self.input = workflow.input
        self.info = WorkflowInfo(
            workflow_id=task.workflow_id,
            run_id=task.run_id,
            domain=task.execution.domain.name,
            task_list=workflow.task_list,
            tag_list=tuple(workflow.tag_list),
            input=workflow.input,
            history_length=len(task.history),
            run=self,
        )

    # -- running ---------------------------------------------------------------------------

    def execute(self) -> list[Decision]:
        """Run ``run()`` and return the decisions (see :func:`decide`)."""
        args, kwargs = decode_input(self.input, "the workflow's input")
        workflow = self.workflow_class()
        workflow._run = self
        closing: Decision | None = None
        token = replaying(self)
        try:
            value = workflow.run(*args, **kwargs)
        except Suspend:
            pass
        except _Fail as request:
            closing = WorkflowExecutionDecision.fail(
                truncate(request.reason, constants.MAX_REASON_LENGTH), request.details
            )
        except NondeterminismError as exc:
            self.nondeterminism = self.nondeterminism or exc
        except Exception as exc:
            closing = self._failure(exc)
        else:
            closing = self._completion(value)
        finally:
            replaying(None, token)
        if self.nondeterminism is not None:
            raise self.nondeterminism
        self._check_unclaimed()
        if closing is not None:
            self.decisions.append(closing)
        return self._within_limits(self.decisions)

    def _completion(self, value: Any) -> Decision:
        try:
            result = encode(value, "the workflow's result")
        except Exception as exc:
            return self._failure(exc)
        return WorkflowExecutionDecision.complete(result)

    def _failure(self, exc: Exception) -> Decision:
        reason = str(exc) if isinstance(exc, ActivityError) else f"{error_type(exc)}: {exc}"
        return WorkflowExecutionDecision.fail(
            truncate(reason, constants.MAX_REASON_LENGTH), error_details(exc)
        )

    def fail(self, reason: str, details: Any = None) -> NoReturn:
        """``Workflow.fail``: fail the execution (after the decisions made so far)."""
        if not isinstance(reason, str):
            raise InvalidTypeError(
                f"reason must be a string, got {reason!r}", argument="reason", value=reason
            )
        raise _Fail(reason, None if details is None else encode(details, "the failure details"))

    def _nondeterministic(self, message: str, **context: Any) -> NoReturn:
        error = NondeterminismError(message, **context)
        self.nondeterminism = self.nondeterminism or error
        raise error

    # -- time and replay -------------------------------------------------------------------

    def consume(self, future: Future) -> None:
        """``run()`` reads ``future``: what it does next happens after that result."""
        seen = future._event_id if future.done else math.inf
        if seen > self._horizon:
            self._horizon = seen

    def _first_start_after(self, event_id: float) -> int:
        return bisect.bisect_right(self._starts, event_id)

    @property
    def is_replaying(self) -> bool:
        """Whether the code running now already ran at an earlier decision task."""
        return self._first_start_after(self._horizon) < len(self._starts) - 1

    def now(self) -> Any:
        """When the decision task that first ran this point started."""
        index = min(self._first_start_after(self._horizon), len(self._starts) - 1)
        return self._start_times[index]

    def first_completed(self, futures: Sequence[Future]) -> list[Future]:
        """``wait(..., FIRST_COMPLETED)``: the futures done by the decision task that first
        saw one of them done (suspends when none is)."""
        done = [future for future in futures if future.done]
        if not done:
            for future in futures:
                self.consume(future)
            raise Suspend("first completed")
        first = min(future._event_id for future in done)
        index = self._first_start_after(first)
        boundary = self._starts[index] if index < len(self._starts) else math.inf
        found = [future for future in done if future._event_id < boundary]
        for future in found:
            self.consume(future)
        return found

    # -- activities --------------------------------------------------------------------------

    def submit(self, task: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Future:
        """``Workflow.submit``: the future of one activity (see the module docstring)."""
        if not isinstance(task, Activity):
            raise InvalidTypeError(
                f"submit() takes an activity (a function or class decorated with @activity), "
                f"got {task!r}",
                argument="task",
                value=task,
            )
        if task.id is None and not task.idempotent:  # "{name}-{n}", inline: the common case
            count = self._counters[task.name] = self._counters.get(task.name, 0) + 1
            activity_id = f"{task.name}-{count}"
            if len(activity_id) > constants.MAX_NAME_LENGTH:
                activity_id = _bounded(task.name, str(count))
        else:
            activity_id = self._activity_id(task, args, kwargs)
            known = self._futures.get(activity_id)
            if known is not None and task.idempotent:
                return known
        future = Future(self, activity_id)
        self._futures[activity_id] = future
        if _has_future(args, kwargs):
            values = self._resolved(future, args, kwargs)
            if values is None:
                return future  # waits for its arguments (or failed with one of them)
            args, kwargs = values
        payload = encode_input(
            args, kwargs, lambda: f"the input of activity {activity_id!r} ({task.name})"
        )
        record = self.compiled.activities.get(activity_id)
        if record is None:
            self._schedule(task, future, payload)
            return future
        self._claimed_activities.add(activity_id)
        scheduled = record.scheduled_event
        if scheduled is None or not _same_call(scheduled.attributes, task, payload):
            self._verify_activity(task, record, payload)
        if record.state == states.COMPLETED and record.attempts == 1:  # the common case
            closed = record.closed_event
            assert closed is not None
            text = closed.attributes.get("result")
            try:
                value = None if text is None else _loads(text)
            except ValueError:
                value = _decode_result(record)  # raises, naming the activity
            future._complete(value, closed.id)
        else:
            self._bind(task, future, record, payload)
        return future

    def _activity_id(self, task: Activity[Any], args: Sequence[Any], kwargs: Any) -> str:
        """A fixed id (``options(id=)``), or a hash of the input (``idempotent``)."""
        if task.id is not None:
            return task.id
        digest = hashlib.sha1(
            json.dumps([_placeholders(args), _placeholders(kwargs)], sort_keys=True).encode(),
            usedforsecurity=False,
        ).hexdigest()[:16]
        return _bounded(task.name, digest)

    def _resolved(
        self, future: Future, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> tuple[list[Any], dict[str, Any]] | None:
        """The arguments with each future replaced by its result; None while one is not
        done (``future`` waits), or when one failed (``future`` fails with its error)."""
        values = list(args)
        named = dict(kwargs)
        for items, keys in ((values, range(len(values))), (named, list(named))):
            for key in keys:
                argument = items[key]  # type: ignore[index]
                if not isinstance(argument, Future):
                    continue
                self.consume(argument)
                if not argument.done:
                    return None
                if argument._exception is not None:
                    future._fail(argument._exception, argument._event_id, argument.state)
                    return None
                items[key] = argument._result  # type: ignore[index]
        return values, named

    def _schedule(self, task: Activity[Any], future: Future, payload: str) -> None:
        """A ``ScheduleActivityTask`` decision, unless ``max_open_activities`` are open."""
        if self._open >= self.workflow_class.max_open_activities:
            future.state = PENDING
            return
        self._open += 1
        self.decisions.append(
            ActivityTaskDecision.schedule(
                future.id,
                task.key,
                input=payload,
                control=_control(fingerprint("activity", task.name, task.version, payload)),
                task_list=self.options.activity_task_list or task.task_list or self._task_list,
                task_priority=task.task_priority,
                schedule_to_start_timeout=task.schedule_to_start_timeout,
                schedule_to_close_timeout=task.schedule_to_close_timeout,
                start_to_close_timeout=task.start_to_close_timeout,
                heartbeat_timeout=task.heartbeat_timeout,
            )
        )
        future.state = states.SCHEDULED

    def _verify_activity(self, task: Activity[Any], record: ActivityRecord, payload: str) -> None:
        """The call must be the one the history recorded under its id."""
        scheduled = record.scheduled_event
        if scheduled is None:
            scheduled = next(
                (try_.scheduled_event for try_ in reversed(record.tries) if try_.scheduled_event),
                None,
            )
        recorded_type = record.activity_type or {}
        if recorded_type.get("name") == task.name and recorded_type.get("version") == task.version:
            if scheduled is None:
                return  # never scheduled (refused): nothing else to compare
            attributes = scheduled.attributes
            if attributes.get("input") == payload:
                return
            # An input kept elsewhere (a payload reference): the fingerprint tells.
            call = fingerprint("activity", task.name, task.version, payload)
            if attributes.get("control") == _control(call):
                return
        recorded_input = scheduled.attributes.get("input") if scheduled is not None else None
        recorded_call = f"{recorded_type.get('name')}/{recorded_type.get('version')}"
        recorded = f"{recorded_call}({shorten(recorded_input)})"
        replayed = f"{task.name}/{task.version}({shorten(payload)})"
        event_id = scheduled.id if scheduled is not None else record.closed_event_id
        self._nondeterministic(
            f"activity {record.activity_id!r}: the history recorded {recorded} at event "
            f"{event_id}, the code now calls {replayed}",
            task_id=record.activity_id,
            event_id=event_id,
            recorded=recorded,
            replayed=replayed,
        )

    def _bind(
        self, task: Activity[Any], future: Future, record: ActivityRecord, payload: str
    ) -> None:
        """Give ``future`` the state of its record; retry a failed try if the policy says so."""
        state = record.state
        if record.attempts > 1 or state in states.FAILED_STATES:
            for attempt in range(1, record.attempts + 1):  # the backoffs of earlier tries
                self._claimed_timers.add(_retry_timer(attempt, record.activity_id))
        if state in states.OPEN_TASK_STATES:
            future.state = state
            return
        closed = record.closed_event_id or 0
        if state == states.COMPLETED:
            future._complete(_decode_result(record), closed)
            return
        error = _activity_error(task, record)
        kind = error.error_type if isinstance(error, ActivityFailed) else None
        if state == states.SCHEDULE_FAILED or not task.retry.retries(record.attempts, kind):
            future._fail(error, closed, states.FAILED if state == states.SCHEDULE_FAILED else state)
            return
        wait = task.retry.interval(record.attempts)
        if wait:
            timer_id = _retry_timer(record.attempts, record.activity_id)
            timer = self.compiled.timers.get(timer_id)
            if timer is None:
                call = fingerprint("activity", task.name, task.version, payload)
                self.decisions.append(TimerDecision.start(timer_id, wait, control=_control(call)))
            if timer is None or timer.state != states.FIRED:
                future.state = PENDING  # the next try waits for its backoff
                return
        self._schedule(task, future, payload)

    # -- timers, markers, side effects -----------------------------------------------------

    def sleep(self, seconds: Any, timer_id: str | None = None) -> Future:
        """``Workflow.sleep``: a durable timer ``sleep-{n}`` (or ``timer_id``)."""
        duration = to_duration(seconds, "seconds", allow_none=False, optional=False)
        assert duration is not None
        if timer_id is None:
            count = self._counters["swf.sleep"] = self._counters.get("swf.sleep", 0) + 1
            timer_id = f"sleep-{count}"
        else:
            check_name(timer_id, "id")
        call = fingerprint("timer", "sleep", "", duration)
        future = Future(self, timer_id)
        self._claimed_timers.add(timer_id)
        timer = self.compiled.timers.get(timer_id)
        if timer is None:
            self.decisions.append(TimerDecision.start(timer_id, duration, control=_control(call)))
            future.state = states.STARTED
            return future
        if timer.control != _control(call):
            recorded = f"sleep({timer.start_to_fire_timeout})"
            self._nondeterministic(
                f"timer {timer_id!r}: the history recorded {recorded} at event "
                f"{timer.started_event_id}, the code now calls sleep({duration})",
                task_id=timer_id,
                event_id=timer.started_event_id,
                recorded=recorded,
                replayed=f"sleep({duration})",
            )
        if timer.state == states.FIRED:
            future._complete(None, timer.closed_event_id or 0)
        elif timer.state == states.CANCELED:
            error = TimerCanceled(f"timer {timer_id!r} was canceled", timer_id=timer_id)
            future._fail(error, timer.closed_event_id or 0, states.CANCELED)
        else:
            future.state = timer.state
        return future

    def record_marker(self, name: str, details: Any = None) -> None:
        """``Workflow.record_marker``: the n-th marker of that name, recorded once."""
        if not isinstance(name, str):
            raise InvalidTypeError(
                f"marker name must be a string, got {name!r}", argument="name", value=name
            )
        self._marker(name, encode(details, f"the details of marker {name!r}"), details)

    def _marker(self, name: str, text: str, value: Any) -> Any:
        """The n-th marker ``name``: its recorded details, or a new RecordMarker decision."""
        index = self._claimed_markers[name]
        self._claimed_markers[name] += 1
        recorded = self.compiled.markers.get(name, ())
        if index < len(recorded):
            return decode(recorded[index].details, f"the details of marker {name!r}")
        self.decisions.append(MarkerDecision.record(name, text))
        self._new_markers.append(Marker(name, value))
        return value

    def markers(self, name: str | None = None) -> list[Marker]:
        """``Workflow.markers``: recorded ones (not the engine's own), then new ones."""
        found = [
            Marker(record.name, decode(record.details, "marker details"), record.event_id)
            for records in self.compiled.markers.values()
            for record in records
            if record.state == states.RECORDED
            and (name is None or record.name == name)
            and not record.name.startswith("swf.")
        ]
        found.sort(key=lambda marker: marker.event_id or 0)
        found.extend(m for m in self._new_markers if name is None or m.name == name)
        return found

    def side_effect(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``Workflow.side_effect``: ``function``'s value, computed once, kept in a marker."""
        index = self._claimed_markers[SIDE_EFFECT_MARKER]
        recorded = self.compiled.markers.get(SIDE_EFFECT_MARKER, ())
        if index < len(recorded):
            self._claimed_markers[SIDE_EFFECT_MARKER] += 1
            return decode(recorded[index].details, "a side effect's value")["value"]
        new = index - len(recorded)
        if new < len(self._replayed_side_effects):  # replaying the task that recorded it
            text = self._replayed_side_effects[new]
            return self._marker(SIDE_EFFECT_MARKER, text, decode(text, "a side effect")["value"])
        name = getattr(function, "__qualname__", repr(function))
        value = function(*args, **kwargs)
        text = encode({"value": value}, f"the value of side effect {name}")
        plain = json.loads(text)["value"]  # what every replay will return
        self._marker(SIDE_EFFECT_MARKER, text, plain)
        return plain

    # -- closing checks ----------------------------------------------------------------------

    def _check_unclaimed(self) -> None:
        """Every activity, timer and marker of the history must be some call's."""
        unclaimed: list[tuple[str, int | None]] = []
        for activity_id, activity in self.compiled.activities.items():
            if activity_id not in self._claimed_activities:
                event_id = activity.scheduled_event_id or activity.closed_event_id
                unclaimed.append((f"activity {activity_id!r}", event_id))
        for timer_id, timer in self.compiled.timers.items():
            if timer_id not in self._claimed_timers and not timer_id.startswith(WAKE_UP_TIMER):
                unclaimed.append((f"timer {timer_id!r}", timer.started_event_id))
        for name, records in self.compiled.markers.items():
            for record in records[self._claimed_markers[name] :]:
                unclaimed.append((f"marker {name!r}", record.event_id))
        if not unclaimed:
            return
        what, event_id = unclaimed[0]
        message = (
            f"the history holds {what} (event {event_id}) that no call of "
            f"{self.workflow_class.__qualname__}.run() makes"
            + (f", and {len(unclaimed) - 1} more" if len(unclaimed) > 1 else "")
        )
        if self.workflow_class.ignore_unclaimed_history:
            logger.warning("workflow %r: %s", self.task.workflow_id, message)
            return
        raise NondeterminismError(message, task_id=what, event_id=event_id, recorded=what)

    def _within_limits(self, decisions: list[Decision]) -> list[Decision]:
        """At most 100 decisions and 1 MB: what does not fit waits for a wake-up timer."""
        sizes = [len(json.dumps(decision, separators=(",", ":"))) for decision in decisions]
        if len(decisions) <= constants.MAX_DECISIONS and sum(sizes) <= _ANSWER_BYTES:
            return decisions
        kept: list[Decision] = []
        total = 0
        for decision, size in zip(decisions, sizes, strict=True):
            if len(kept) == constants.MAX_DECISIONS - 1 or total + size > _ANSWER_BYTES:
                break
            kept.append(decision)
            total += size
        kept.append(TimerDecision.start(f"{WAKE_UP_TIMER}{self.task.started_event_id}", 0))
        return kept


def _activity_error(task: Activity[Any], record: ActivityRecord) -> ActivityError:
    """The error of a try that did not complete."""
    activity_id, attempts = record.activity_id, record.attempts
    where = f"activity {activity_id!r} ({task.name})"
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if record.state == states.TIMED_OUT:
        return ActivityTimedOut(
            f"{where} timed out ({record.timeout_type}){tries}",
            activity_id=activity_id,
            name=task.name,
            attempts=attempts,
            timeout_type=record.timeout_type,
        )
    if record.state == states.CANCELED:
        return ActivityCanceled(
            f"{where} was canceled", activity_id=activity_id, name=task.name, attempts=attempts
        )
    if record.state == states.SCHEDULE_FAILED:
        reason = f"SWF refused to schedule it ({record.cause})"
        return ActivityFailed(
            f"{where}: {reason}",
            activity_id=activity_id,
            name=task.name,
            attempts=attempts,
            reason=reason,
        )
    details = record.details
    kind: str | None = None
    try:
        parsed = json.loads(details) if details else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("type"), str):
        kind = parsed["type"]
    return ActivityFailed(
        f"{where} failed{tries}: {record.reason}",
        activity_id=activity_id,
        name=task.name,
        attempts=attempts,
        reason=record.reason,
        details=details,
        error_type=kind,
    )


def _has_future(args: Sequence[Any], kwargs: Mapping[str, Any]) -> bool:
    for value in args:
        if type(value) is Future:
            return True
    return bool(kwargs) and any(type(value) is Future for value in kwargs.values())


def _same_call(attributes: Mapping[str, Any], task: Activity[Any], payload: str) -> bool:
    """Whether a scheduling event recorded this very call (the fast check of a replay)."""
    recorded = attributes["activityType"]
    return (
        attributes.get("input") == payload
        and recorded["name"] == task.name
        and recorded["version"] == task.version
    )


def _decode_result(record: ActivityRecord) -> Any:
    return decode(record.result, lambda: f"the result of {record.activity_id!r}")


def _retry_timer(attempts: int, activity_id: str) -> str:
    """The backoff timer before the try that follows ``attempts`` tries of an activity."""
    return _bounded(f"swf.retry-{attempts}-{activity_id}", "")


def _bounded(name: str, suffix: str) -> str:
    """``"{name}-{suffix}"`` within SWF's 256 characters (a long name keeps a hash)."""
    text = f"{name}-{suffix}" if suffix else name
    if len(text) <= constants.MAX_NAME_LENGTH:
        return text
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
    room = constants.MAX_NAME_LENGTH - len(digest) - len(suffix) - 2
    return f"{name[:room]}-{digest}" + (f"-{suffix}" if suffix else "")


def _placeholders(value: Any) -> Any:
    """Arguments as JSON for an idempotent id: futures stand as their ids."""
    if isinstance(value, Future):
        return {"future": value.id}
    if isinstance(value, Mapping):
        return {str(key): _placeholders(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_placeholders(item) for item in value]
    return value
