"""The engine's part for time and signals: timers, signals received and signals sent (a mixin
of :class:`swf.flow.engine.Run`).

- ``sleep(seconds)``: timer ``sleep-{n}`` (or the id given).
- ``wait_signal(name, timeout)``: each call receives the next signal of that name the
  execution received and no earlier call received, in the order SWF recorded them (a signal
  that came before the call is not lost: it waits for it). With a timeout, a timer
  ``swf.signal-{k}-{name}`` bounds the wait: a call whose timer fired before its signal came
  fails with :class:`~swf.flow.errors.SignalTimeout` and receives none (the next call will).
- ``signals(name)``: what was received so far (so far: as of the decision task that first ran
  this point, so that every replay lists the same).
- ``signal(name, ...)``: ``SignalExternalWorkflowExecution``, whose ``control`` holds the call's
  id ``signal-{k}-{i}`` (its i-th target): a replay finds it, so each signal is sent once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from swf import states
from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow.encoding import decode_input, encode_input, fit
from swf.flow.errors import SignalFailed, SignalTimeout, TimerCanceled
from swf.flow.futures import Future
from swf.flow.ids import bounded, control, fingerprint
from swf.flow.state import RunState
from swf.models.decision import ExternalWorkflowExecutionDecision, TimerDecision
from swf.models.history import ExternalSignalRecord, SignalRecord, TimerRecord
from swf.validation import check_name, to_duration

__all__ = ["SignalCalls", "signal_value"]


# Computed once per value: the engine replays every sleep of run() at every decision task.
_durations: dict[int, str] = {}
_controls: dict[tuple[str, str], str] = {}


def signal_value(text: str | None) -> Any:
    """What ``wait_signal`` gives for a signal's input: its one argument; several arguments
    as a list; keyword arguments only as a dict; both as ``{"args": [...], "kwargs": {...}}``;
    None for none. (``self.signal`` and ``swf.flow.signal`` send ``{"args", "kwargs"}``; any
    other JSON input is one argument, and a text that is not JSON is itself the value: what
    ``swf execution signal --input hello`` sends.)"""
    try:
        args, kwargs = decode_input(text, "a signal's input")
    except ValidationError:
        return text
    if not kwargs:
        return None if not args else args[0] if len(args) == 1 else args
    return kwargs if not args else {"args": args, "kwargs": kwargs}


class SignalCalls(RunState):
    """Timers and signals: what ``sleep``, ``wait_signal``, ``signals`` and ``signal`` do in
    a replay."""

    # -- timers ------------------------------------------------------------------------------

    def sleep(self, seconds: Any, timer_id: str | None = None) -> Future:
        """``Workflow.sleep``: a durable timer ``sleep-{n}`` (or ``timer_id``)."""
        duration = _durations.get(seconds) if type(seconds) is int else None
        if duration is None:
            duration = to_duration(seconds, "seconds", allow_none=False, optional=False)
            assert duration is not None
            if type(seconds) is int and len(_durations) < 4096:
                _durations[seconds] = duration
        if timer_id is None:
            count = self._counters["swf.sleep"] = self._counters.get("swf.sleep", 0) + 1
            timer_id = f"sleep-{count}"
        else:
            check_name(timer_id, "id")
        future = Future(self, timer_id, kind="timer")
        self._others.append(future)
        timer = self._timer(future, timer_id, duration, "sleep", "sleep")
        if timer is None:
            future.state = states.STARTED
        elif timer.state == states.FIRED:
            future._complete(None, timer.closed_event_id or 0)
        elif timer.state == states.CANCELED:
            error = TimerCanceled(f"timer {timer_id!r} was canceled", timer_id=timer_id)
            future._fail(error, timer.closed_event_id or 0, states.CANCELED)
        else:
            future.state = timer.state
        return future

    def _timer(
        self, future: Future, timer_id: str, duration: str, kind: str, call: str
    ) -> TimerRecord | None:
        """The record of timer ``timer_id`` (checked against the call), or None after deciding
        to start it."""
        self._claimed_timers.add(timer_id)
        expected = _controls.get((kind, duration))
        if expected is None:
            expected = control(fingerprint("timer", kind, "", duration))
            if len(_controls) < 4096:
                _controls[kind, duration] = expected
        timer = self.compiled.timers.get(timer_id)
        if timer is None:
            self._decide(future, TimerDecision.start(timer_id, duration, control=expected))
            return None
        if timer.control != expected:
            recorded = f"{call}({timer.start_to_fire_timeout})"
            replayed = f"{call}({duration})"
            self._nondeterministic(
                f"timer {timer_id!r}: the history recorded {recorded} at event "
                f"{timer.started_event_id}, the code now calls {replayed}",
                task_id=timer_id,
                event_id=timer.started_event_id,
                recorded=recorded,
                replayed=replayed,
            )
        return timer

    # -- signals received --------------------------------------------------------------------

    def _received(self, name: str) -> list[SignalRecord]:
        if self._signals_by_name is None:
            self._signals_by_name = {}
            for record in self.compiled.signals:
                self._signals_by_name.setdefault(record.name, []).append(record)
        return self._signals_by_name.get(name, [])

    def wait_signal(self, name: str, timeout: Any = None) -> Future:
        """``Workflow.wait_signal``: the next signal ``name`` (see the module docstring)."""
        check_name(name, "name")
        count = self._counters[f"signal:{name}"] = self._counters.get(f"signal:{name}", 0) + 1
        future = Future(self, bounded(f"{name}-{count}"), kind="signal")
        self._others.append(future)
        records = self._received(name)
        cursor = self._signal_cursors.get(name, 0)
        candidate = records[cursor] if cursor < len(records) else None
        timer: TimerRecord | None = None
        fired = math.inf
        duration: str | None = None
        if timeout is not None:
            duration = to_duration(timeout, "timeout", allow_none=False, optional=False)
            assert duration is not None
            timer_id = bounded(f"swf.signal-{count}-{name}")
            self._wait_timers[future] = timer_id
            if candidate is None or timer_id in self.compiled.timers:
                timer = self._timer(future, timer_id, duration, "signal", "wait_signal")
            else:  # the signal came before the call: no timer
                self._claimed_timers.add(timer_id)
            if timer is not None and timer.state == states.FIRED:
                fired = timer.closed_event_id or 0
        if candidate is not None and candidate.event_id < fired:
            self._signal_cursors[name] = cursor + 1
            future._complete(signal_value(candidate.input), candidate.event_id)
            if timer is not None and timer.is_open:  # it came first: the timer is not needed
                self.decisions.append(TimerDecision.cancel(timer.timer_id))
        elif fired < math.inf:  # the timer fired first: this call receives none
            error = SignalTimeout(
                f"no signal {name!r} came within {duration} seconds",
                name=name,
                timeout=str(duration),
            )
            future._fail(error, int(fired), states.TIMED_OUT)
        else:  # the next signal to come is this call's
            self._signal_cursors[name] = cursor + 1
            future.state = states.STARTED
        return future

    def signals(self, name: str) -> list[Any]:
        """``Workflow.signals``: the values of the signals ``name`` received so far."""
        check_name(name, "name")
        boundary = self.boundary()
        return [
            signal_value(record.input)
            for record in self._received(name)
            if record.event_id < boundary
        ]

    def _cancel_wait(self, future: Future) -> None:
        """A wait canceled: it keeps the signal it had reserved (which stays in ``signals``),
        so that the calls after it receive the same signals in every replay."""
        timer_id = self._wait_timers.get(future)
        timer = self.compiled.timers.get(timer_id) if timer_id else None
        if timer is not None and timer.is_open:
            self.decisions.append(TimerDecision.cancel(timer.timer_id))

    # -- signals sent ------------------------------------------------------------------------

    def signal(
        self,
        name: str,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        workflow_id: str | None = None,
        run_id: str | None = None,
        propagate: bool = False,
    ) -> Future:
        """``Workflow.signal``: send signal ``name`` (to this execution by default; with
        ``propagate``, to its parent and its started children as well)."""
        check_name(name, "name")
        if not isinstance(propagate, bool):
            raise InvalidTypeError(
                f"propagate must be True or False, got {propagate!r}",
                argument="propagate",
                value=propagate,
            )
        if workflow_id is None:
            workflow_id, run_id = self.info.workflow_id, run_id or self.info.run_id
        else:
            check_name(workflow_id, "workflow_id")
        count = self._counters["swf.signal"] = self._counters.get("swf.signal", 0) + 1
        future = Future(self, f"signal-{count}", kind="sent signal")
        what = f"the input of signal {name!r}"
        payload = encode_input(args, kwargs, what, limit=None)
        targets: dict[str, str | None] = {workflow_id: run_id}
        if propagate:
            parent = self.compiled.workflow.parent
            if parent:
                targets.setdefault(parent["workflowId"], parent.get("runId"))
            for child_id, child_run_id in self._started_children():
                targets.setdefault(child_id, child_run_id)
        call = fingerprint("signal", name, "", payload)
        records: list[ExternalSignalRecord] = []
        for index, (target, target_run) in enumerate(targets.items()):
            call_id = f"signal-{count}-{index}"
            record = self._external_calls.get(call_id)
            self._external_calls_claimed.add(call_id)
            if record is None:
                self._decide(
                    future,
                    ExternalWorkflowExecutionDecision.signal(
                        target,
                        name,
                        run_id=target_run,
                        input=fit(payload, what, self.store),
                        control=control(call, call_id),
                    ),
                )
            else:
                records.append(record)  # type: ignore[arg-type]
        if len(records) < len(targets):
            future.state = states.SCHEDULED
            return future
        failed = next((r for r in records if r.state == states.SIGNAL_FAILED), None)
        closed = max((r.closed_event_id or 0 for r in records), default=0)
        if failed is not None:
            error = SignalFailed(
                f"signal {name!r} to {failed.workflow_id!r} failed: {failed.cause}",
                name=name,
                workflow_id=failed.workflow_id,
                cause=failed.cause,
            )
            future._fail(error, failed.closed_event_id or 0)
        elif all(record.state == states.SIGNALED for record in records):
            future._complete(None, closed)
        else:
            future.state = states.STARTED
        return future

    def _started_children(self) -> list[tuple[str, str | None]]:
        """The children of this run started, and not closed, as of this point."""
        boundary = self.boundary()
        found = []
        for future in self._futures.values():
            if future.kind != "child":
                continue
            record = self.compiled.child_workflows.get(future.id)
            if record is None or (record.started_event_id or math.inf) > boundary:
                continue
            if (record.closed_event_id or math.inf) < boundary:
                continue
            found.append((future.id, record.run_id))
        return found
