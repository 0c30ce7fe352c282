"""The engine's part for tasks: activities and child workflows (a mixin of
:class:`swf.flow.engine.Run`).

``submit(activity, ...)`` binds to ``compiled.activities["{name}-{n}"]``; ``child(Workflow,
...)`` to ``compiled.child_workflows["{parent id}-{name}-{n}"]``. Found, the future takes the
record's state, and a failed try is retried by the task's :class:`~swf.flow.RetryPolicy`
(after a backoff timer ``swf.retry-{attempts}-{id}``); not found, the call becomes a
``ScheduleActivityTask`` / ``StartChildWorkflowExecution`` decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from swf import constants, states
from swf.exceptions import InvalidTypeError
from swf.flow.definition import Activity, RetryPolicy
from swf.flow.encoding import decode, dumps, encode, encode_input, fit, loads
from swf.flow.errors import (
    ActivityCanceled,
    ActivityError,
    ActivityFailed,
    ActivityTimedOut,
    ChildWorkflowFailed,
)
from swf.flow.futures import PENDING, Future
from swf.flow.ids import bounded, control, fingerprint, fingerprint_of
from swf.flow.state import RunState
from swf.flow.workflow import Workflow
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    TimerDecision,
)
from swf.models.event import Event
from swf.models.history import ActivityRecord, ChildWorkflowRecord
from swf.validation import check_name, shorten

__all__ = ["TaskCalls"]

#: The future states of a child's record states.
_CHILD_STATES = {
    states.START_INITIATED: states.SCHEDULED,
    states.STARTED: states.STARTED,
    states.COMPLETED: states.COMPLETED,
    states.FAILED: states.FAILED,
    states.TIMED_OUT: states.TIMED_OUT,
    states.CANCELED: states.CANCELED,
    states.TERMINATED: states.FAILED,
    states.START_FAILED: states.FAILED,
}


class TaskCalls(RunState):
    """Activities and child workflows: what ``submit`` and ``child`` do in a replay."""

    # -- activities ----------------------------------------------------------------------

    def submit(self, task: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Future:
        """``Workflow.submit``: the future of an activity (or of a child workflow)."""
        if not isinstance(task, Activity):
            if isinstance(task, type) and issubclass(task, Workflow):
                return self.child(task, args, kwargs)
            submit_to = getattr(task, "submit_to", None)
            if callable(submit_to):  # a composite task (Group, Chain...)
                future: Future = submit_to(self.workflow, *args, **kwargs)
                return future
            raise InvalidTypeError(
                "submit() takes an activity (a function or class decorated with @activity), "
                f"a Workflow subclass or a task with submit_to(workflow, ...), got {task!r}",
                argument="task",
                value=task,
            )
        if task.id is None and not task.idempotent:  # "{name}-{n}", inline: the common case
            count = self._counters[task.name] = self._counters.get(task.name, 0) + 1
            activity_id = f"{task.name}-{count}"
            if len(activity_id) > constants.MAX_NAME_LENGTH:
                activity_id = bounded(task.name, str(count))
        else:
            activity_id = self._fixed_id(task, args, kwargs)
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
        try:
            payload = dumps({"args": args, "kwargs": kwargs})
        except (TypeError, ValueError):  # encode() says which argument is not JSON
            what = f"the input of activity {activity_id!r} ({task.name})"
            payload = encode({"args": args, "kwargs": kwargs}, what, limit=None)
        record = self.compiled.activities.get(activity_id)
        if record is None:
            self._schedule(task, future, payload)
            return future
        self._claimed_activities.add(activity_id)
        scheduled = record.scheduled_event
        recorded = scheduled.attributes if scheduled is not None else None
        if (  # the same call (its input, name and version): the fast check of a replay
            recorded is None
            or recorded.get("input") != payload
            or (kind := recorded["activityType"])["name"] != task.name
            or kind["version"] != task.version
        ):
            self._verify(
                "activity", activity_id, task.name, task.version, record, scheduled, payload
            )
        if record.state == states.COMPLETED and record.attempts == 1:  # the common case
            closed = record.closed_event
            assert closed is not None
            text = closed.attributes.get("result")
            try:
                value = None if text is None else loads(text)
            except ValueError:
                value = decode(text, f"the result of {activity_id!r}")  # raises, naming it
            future.state, future._result, future._event_id = states.COMPLETED, value, closed.id
        else:
            self._settle(
                future,
                record,
                task.retry,
                payload,
                lambda: self._schedule(task, future, payload),
                lambda: _activity_error(task, record),
            )
        return future

    def _fixed_id(self, task: Activity[Any], args: Sequence[Any], kwargs: Any) -> str:
        """A fixed id (``options(id=)``), or a hash of the input (``idempotent``)."""
        if task.id is not None:
            return task.id
        digest = hashlib.sha1(
            json.dumps([_placeholders(args), _placeholders(kwargs)], sort_keys=True).encode(),
            usedforsecurity=False,
        ).hexdigest()[:16]
        return bounded(task.name, digest)

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
                if not self.peek(argument):
                    return None
                if argument._exception is not None:
                    future._fail(argument._exception, argument._event_id, argument.state)
                    return None
                items[key] = argument._result  # type: ignore[index]
        return values, named

    def _schedule(self, task: Activity[Any], future: Future, payload: str) -> None:
        """A ``ScheduleActivityTask`` decision, unless ``max_open_activities`` are open."""
        if self._open is None:
            self._open = len(self.compiled.open_activities)
        if self._open >= self.workflow_class.max_open_activities:
            future.state = PENDING
            return
        self._open += 1
        self._decide(
            future,
            ActivityTaskDecision.schedule(
                future.id,
                task.key,
                input=fit(
                    payload,
                    lambda: f"the input of activity {future.id!r} ({task.name})",
                    task.payload_store or self.store,
                ),
                control=control(fingerprint("activity", task.name, task.version, payload)),
                task_list=self.options.activity_task_list or task.task_list or self._task_list,
                task_priority=task.task_priority,
                schedule_to_start_timeout=task.schedule_to_start_timeout,
                schedule_to_close_timeout=task.schedule_to_close_timeout,
                start_to_close_timeout=task.start_to_close_timeout,
                heartbeat_timeout=task.heartbeat_timeout,
            ),
        )
        future.state = states.SCHEDULED

    # -- child workflows -------------------------------------------------------------------

    def child(
        self,
        workflow: type[Workflow],
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        workflow_id: str | None = None,
        task_list: str | None = None,
        tag_list: Sequence[str] | None = None,
        retry: Any = None,
    ) -> Future:
        """``Workflow.child``: the future of a child workflow execution."""
        if not (isinstance(workflow, type) and issubclass(workflow, Workflow)):
            raise InvalidTypeError(
                f"child() takes a Workflow subclass, got {workflow!r}",
                argument="workflow",
                value=workflow,
            )
        name, version = workflow.key()
        if workflow_id is None:
            workflow_id = self.child_id(f"{name}-{self.count(f'child:{name}')}")
        else:
            check_name(workflow_id, "workflow_id")
        future = Future(self, workflow_id, kind="child")
        self._futures[workflow_id] = future
        if _has_future(args, kwargs):
            values = self._resolved(future, args, kwargs)
            if values is None:
                return future
            args, kwargs = values
        payload = encode_input(args, kwargs, "", limit=None)
        policy = RetryPolicy.of(retry if retry is not None else workflow.retry)

        def start() -> None:
            self._decide(
                future,
                ChildWorkflowExecutionDecision.start(
                    (name, version),
                    workflow_id,
                    input=fit(payload, f"the input of child {workflow_id!r}", self.store),
                    control=control(
                        fingerprint("child", name, version, payload),
                        self._derived_children.get(workflow_id),
                    ),
                    task_list=(
                        self.options.child_task_list
                        or task_list
                        or workflow.task_list
                        or self._task_list
                    ),
                    execution_start_to_close_timeout=workflow.execution_timeout,
                    task_start_to_close_timeout=workflow.decision_task_timeout,
                    child_policy=workflow.child_policy,
                    tag_list=list(tag_list if tag_list is not None else workflow.tag_list) or None,
                ),
            )
            future.state = states.SCHEDULED

        record = self.compiled.child_workflows.get(workflow_id)
        if record is None:
            start()
            return future
        self._claimed_children.add(workflow_id)
        initiated = record.initiated_event or next(
            (try_.initiated_event for try_ in reversed(record.tries) if try_.initiated_event),
            None,
        )
        self._verify("child", workflow_id, name, version, record, initiated, payload)
        self._settle(
            future,
            record,
            policy,
            payload,
            start,
            lambda: _child_error(name, record),
            _CHILD_STATES,
        )
        return future

    # -- both --------------------------------------------------------------------------------

    def _verify(
        self,
        kind: str,
        task_id: str,
        name: str,
        version: str,
        record: ActivityRecord | ChildWorkflowRecord,
        opened: Event | None,
        payload: str,
    ) -> None:
        """The call must be the one the history recorded under its id."""
        if opened is None and isinstance(record, ActivityRecord):
            opened = next(
                (try_.scheduled_event for try_ in reversed(record.tries) if try_.scheduled_event),
                None,
            )
        source = opened or record.closed_event
        attributes = source.attributes if source is not None else {}
        recorded_type = attributes.get("activityType" if kind == "activity" else "workflowType")
        recorded_type = recorded_type or {}
        if recorded_type.get("name") == name and recorded_type.get("version") == version:
            if opened is None:
                return  # never scheduled (refused): nothing else to compare
            if attributes.get("input") == payload:
                return
            # An input kept elsewhere (a payload reference): the fingerprint tells.
            if fingerprint_of(attributes.get("control")) == fingerprint(
                kind, name, version, payload
            ):
                return
        recorded_input = attributes.get("input") if opened is not None else None
        recorded_call = f"{recorded_type.get('name')}/{recorded_type.get('version')}"
        recorded = f"{recorded_call}({shorten(recorded_input)})"
        replayed = f"{name}/{version}({shorten(payload)})"
        event_id = source.id if source is not None else None
        self._nondeterministic(
            f"{kind} {task_id!r}: the history recorded {recorded} at event {event_id}, the "
            f"code now calls {replayed}",
            task_id=task_id,
            event_id=event_id,
            recorded=recorded,
            replayed=replayed,
        )

    def _settle(
        self,
        future: Future,
        record: ActivityRecord | ChildWorkflowRecord,
        retry: RetryPolicy,
        payload: str,
        again: Callable[[], None],
        error_of: Callable[[], Exception],
        state_map: Mapping[str, str] | None = None,
    ) -> None:
        """Give ``future`` the state of its record; try again if the policy says so."""
        state = record.state
        task_id = future.id
        if record.attempts > 1 or state in states.FAILED_STATES:
            for attempt in range(1, record.attempts + 1):  # the backoffs of earlier tries
                self._claimed_timers.add(retry_timer(attempt, task_id))
        shown = state_map.get(state, state) if state_map else state
        if state in states.OPEN_TASK_STATES or state in states.OPEN_CHILD_STATES:
            future.state = shown
            return
        closed = record.closed_event_id or 0
        if state == states.COMPLETED:
            future._complete(decode(record.result, f"the result of {task_id!r}"), closed)
            return
        error = error_of()
        kind = getattr(error, "error_type", None)
        if kind is None and isinstance(error, ChildWorkflowFailed):
            kind = _error_type(error.details)
        refused = state in (states.SCHEDULE_FAILED, states.START_FAILED)
        if refused or state == states.CANCELED or not retry.retries(record.attempts, kind):
            future._fail(error, closed, states.FAILED if refused else shown)
            return
        wait = retry.interval(record.attempts)
        if wait:
            timer_id = retry_timer(record.attempts, task_id)
            self._claimed_timers.add(timer_id)
            timer = self.compiled.timers.get(timer_id)
            if timer is None:
                call = control(fingerprint("retry", task_id, str(record.attempts), payload))
                self._decide(future, TimerDecision.start(timer_id, wait, control=call))
            if timer is None or timer.state != states.FIRED:
                future.state = PENDING  # the next try waits for its backoff
                return
        again()


def retry_timer(attempts: int, task_id: str) -> str:
    """The backoff timer before the try that follows ``attempts`` tries of a task."""
    return bounded(f"swf.retry-{attempts}-{task_id}")


def _has_future(args: Sequence[Any], kwargs: Mapping[str, Any]) -> bool:
    for value in args:
        if type(value) is Future:
            return True
    return bool(kwargs) and any(type(value) is Future for value in kwargs.values())


def _error_type(details: str | None) -> str | None:
    """The ``type`` of a ``swf.flow`` failure's JSON details, if it is one."""
    try:
        parsed = json.loads(details) if details else None
    except ValueError:
        return None
    found = parsed.get("type") if isinstance(parsed, dict) else None
    return found if isinstance(found, str) else None


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
    return ActivityFailed(
        f"{where} failed{tries}: {record.reason}",
        activity_id=activity_id,
        name=task.name,
        attempts=attempts,
        reason=record.reason,
        details=record.details,
        error_type=_error_type(record.details),
    )


def _child_error(name: str, record: ChildWorkflowRecord) -> ChildWorkflowFailed:
    """The error of a child that did not complete."""
    state = record.state
    why = record.reason or record.timeout_type or record.cause
    tries = f" after {record.attempts} attempts" if record.attempts > 1 else ""
    text = "could not start" if state == states.START_FAILED else state.replace("_", " ")
    return ChildWorkflowFailed(
        f"child workflow {record.workflow_id!r} ({name}) {text}{tries}"
        + (f": {why}" if why else ""),
        workflow_id=record.workflow_id,
        name=name,
        state=state,
        reason=why,
        details=record.details,
        attempts=record.attempts,
    )


def _placeholders(value: Any) -> Any:
    """Arguments as JSON for an idempotent id: futures stand as their ids."""
    if isinstance(value, Future):
        return {"future": value.id}
    if isinstance(value, Mapping):
        return {str(key): _placeholders(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_placeholders(item) for item in value]
    return value
