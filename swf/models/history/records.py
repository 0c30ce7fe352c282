"""Records of the compiled history: one per entity (activity, timer, child workflow, ...).

A record holds its state and the events that moved it (never copies of their attributes);
everything else is a property reading those events. The compiler fills records in; treat them
as read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from swf import states
from swf.models.event import Event

__all__ = [
    "ActivityRecord",
    "ChildWorkflowRecord",
    "DecisionTaskRecord",
    "ExternalCancelRecord",
    "ExternalSignalRecord",
    "HistoryProblem",
    "LambdaFunctionRecord",
    "MarkerRecord",
    "Record",
    "SignalRecord",
    "TimerRecord",
    "WorkflowRecord",
]


_T = TypeVar("_T")


if TYPE_CHECKING:

    class _Of(Generic[_T]):
        """A read-only record attribute: what ``read`` takes from the event in ``slot``, or
        None while the record has no such event. ``_Of[str]("_closed", _attribute("result"),
        doc)`` is the closing event's ``result``."""

        def __init__(self, slot: str, read: Callable[[Event], _T | None], doc: str) -> None: ...

        @overload
        def __get__(self, record: None, owner: type[Any]) -> _Of[_T]: ...
        @overload
        def __get__(self, record: object, owner: type[Any]) -> _T | None: ...
        def __get__(self, record: object | None, owner: type[Any]) -> Any: ...

    class _Field(Generic[_T]):
        """A read-only record attribute stored in the private slot ``slot`` (the compiler
        writes the slot; readers of the compiled view cannot)."""

        def __init__(self, slot: str, doc: str) -> None: ...

        @overload
        def __get__(self, record: None, owner: type[Any]) -> _Field[_T]: ...
        @overload
        def __get__(self, record: object, owner: type[Any]) -> _T: ...
        def __get__(self, record: object | None, owner: type[Any]) -> Any: ...

else:
    # At run time both are properties over C getters: reading a record's attribute runs no
    # Python frame when it is a slot (the engine reads several per replayed task).

    class _Of:
        def __class_getitem__(cls, item: Any) -> type:
            return cls

        def __new__(cls, slot: str, read: Callable[[Event], Any], doc: str) -> property:
            event = attrgetter(slot)
            if read is _itself:
                return property(event, doc=doc)

            def value(record: object) -> Any:
                found = event(record)
                return None if found is None else read(found)

            return property(value, doc=doc)

    class _Field:
        def __class_getitem__(cls, item: Any) -> type:
            return cls

        def __new__(cls, slot: str, doc: str) -> property:
            return property(attrgetter(slot), doc=doc)


def _attribute(key: str) -> Callable[[Event], Any]:
    """Reads one of an event's attributes (None when it lacks it)."""
    return lambda event: event.attributes.get(key)


def _itself(event: Event) -> Event:
    return event


_event_id: Callable[[Event], int] = attrgetter("id")
_timestamp: Callable[[Event], dt.datetime] = attrgetter("timestamp")


def _get(event: Event | None, key: str) -> Any:
    return None if event is None else event.attributes.get(key)


class HistoryProblem:
    """One thing wrong with a history (see :meth:`swf.models.history.History.validate`).

    Attributes:
        event_id: the offending event's id (None when it has none).
        event_type: its SWF event type.
        entity: what it concerns (``"activity 'a1'"``, ``"workflow"``, ``"event ids"``).
        from_state: the entity's state before the event, if relevant.
        to_state: the state the event tried to move it to, if relevant.
        message: the whole explanation.
        position: the event's index in the history.
    """

    __slots__ = (
        "entity",
        "event_id",
        "event_type",
        "from_state",
        "message",
        "position",
        "to_state",
    )

    def __init__(
        self,
        message: str,
        *,
        event_id: int | None = None,
        event_type: str | None = None,
        entity: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        position: int | None = None,
    ) -> None:
        """Build a problem record (the compiler does)."""
        self.message = message
        self.event_id = event_id
        self.event_type = event_type
        self.entity = entity
        self.from_state = from_state
        self.to_state = to_state
        self.position = position

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"HistoryProblem({self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HistoryProblem):
            return NotImplemented
        return (self.event_id, self.message) == (other.event_id, other.message)

    def __hash__(self) -> int:
        return hash((self.event_id, self.message))


class Record:
    """The base of the entity records: an entity opened by one event, maybe started by a
    second, closed by a third (the compiler writes the events; the attributes read them)."""

    __slots__ = ("_closed", "_opened", "_started", "_state")

    #: States in which the entity is still open.
    OPEN_STATES: frozenset[str] = frozenset()

    state = _Field[str]("_state", "The state the entity reached (:mod:`swf.states`).")

    def __init__(self, state: str, opened: Event | None, closed: Event | None = None) -> None:
        self._state = state
        self._opened = opened
        self._started: Event | None = None
        self._closed = closed

    @property
    def is_open(self) -> bool:
        """True while the entity has not reached a final state."""
        return self._state in self.OPEN_STATES

    started_event = _Of[Event]("_started", _itself, "The event that started it, if any.")
    closed_event = _Of[Event](
        "_closed", _itself, "The event that closed it (or the failed decision), if any."
    )
    started_event_id = _Of[int]("_started", _event_id, "The id of :attr:`started_event`.")
    closed_event_id = _Of[int]("_closed", _event_id, "The id of :attr:`closed_event`.")
    started_at = _Of[dt.datetime]("_started", _timestamp, "When it started (UTC).")
    closed_at = _Of[dt.datetime]("_closed", _timestamp, "When it closed (UTC).")
    result = _Of[str]("_closed", _attribute("result"), "The result of a completed entity.")
    reason = _Of[str]("_closed", _attribute("reason"), "The reason of a failed entity.")
    details = _Of[str](
        "_closed", _attribute("details"), "The details of a failed, timed out or canceled entity."
    )
    timeout_type = _Of[str](
        "_closed", _attribute("timeoutType"), "The timeout type of a timed out entity."
    )
    cause = _Of[str](
        "_closed",
        _attribute("cause"),
        "The cause of a failed decision (``schedule_failed``, ``start_failed``, ...).",
    )
    input = _Of[str]("_opened", _attribute("input"), "The input given when it was opened.")

    @property
    def control(self) -> str | None:
        """The control data of the decision that opened it."""
        return cast("str | None", _get(self._opened, "control") or _get(self._closed, "control"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._key()!r} {self._state}>"

    def _key(self) -> Any:
        return None


def _chain(record: Any) -> tuple[Any, ...]:
    """The records of the earlier uses of ``record``'s id, oldest first."""
    tries = []
    previous = record._previous
    while previous is not None:
        tries.append(previous)
        previous = previous._previous
    return tuple(reversed(tries))


class _Scheduled(Record):
    """A task opened by a scheduling event (activities, Lambda functions).

    Earlier uses of the same id are linked through ``previous`` (so that reusing an id
    costs the same however often it was used), and listed by ``tries``.
    """

    __slots__ = ("_attempts", "_previous")

    _previous: _Scheduled | None
    _attempts: int

    attempts = _Field[int]("_attempts", "How many times this id was scheduled.")

    @property
    def tries(self) -> tuple[Any, ...]:
        """The records of the earlier uses of this id, oldest first."""
        return _chain(self)

    scheduled_event = _Of[Event](
        "_opened", _itself, "The scheduling event (None when scheduling failed)."
    )
    scheduled_event_id = _Of[int]("_opened", _event_id, "The id of :attr:`scheduled_event`.")
    scheduled_at = _Of[dt.datetime]("_opened", _timestamp, "When it was scheduled (UTC).")


class ActivityRecord(_Scheduled):
    """An activity task, keyed by its activity id.

    Attributes:
        activity_id: the activity id.
        state: ``scheduled``, ``started``, ``completed``, ``failed``, ``timed_out``,
            ``canceled`` or ``schedule_failed``.
        attempts: how many times this activity id was scheduled (``ActivityTaskScheduled``).
        tries: the records of the earlier uses of this activity id, oldest first.
        previous: the record of the use of this id just before this one (None for the
            first); ``tries`` follows these links.
        cancel_requested: True once ``ActivityTaskCancelRequested`` was recorded for it.
    """

    __slots__ = ("_activity_id", "_cancel_requested", "_cancel_requested_event")

    OPEN_STATES = states.OPEN_TASK_STATES

    state = _Field[states.ActivityState]("_state", "The activity's state.")
    activity_id = _Field[str]("_activity_id", "The activity id.")
    previous = _Field["ActivityRecord | None"]("_previous", "The previous use of this id.")
    cancel_requested = _Field[bool]("_cancel_requested", "Whether a cancel was requested.")
    cancel_requested_event = _Field["Event | None"](
        "_cancel_requested_event", "The ``ActivityTaskCancelRequested`` event, if any."
    )

    def __init__(
        self,
        activity_id: str,
        state: str,
        opened: Event | None,
        closed: Event | None = None,
        previous: ActivityRecord | None = None,
    ) -> None:
        """Build a record (the compiler does; written out flat: it runs once per schedule)."""
        self._activity_id = activity_id
        self._state = state
        self._opened = opened
        self._started: Event | None = None
        self._closed = closed
        self._previous = previous
        scheduled = 0 if opened is None else 1
        self._attempts = scheduled if previous is None else previous._attempts + scheduled
        self._cancel_requested = False
        self._cancel_requested_event: Event | None = None

    def _key(self) -> Any:
        return self._activity_id

    @property
    def activity_type(self) -> Mapping[str, str] | None:
        """The activity type (``{"name": ..., "version": ...}``)."""
        return cast("Mapping[str, str] | None", _get(self._opened or self._closed, "activityType"))

    identity = _Of[str](
        "_started", _attribute("identity"), "The identity of the worker that started it."
    )

    @property
    def task_list(self) -> str | None:
        """The task list it was scheduled on."""
        task_list = _get(self._opened, "taskList")
        return task_list.get("name") if isinstance(task_list, Mapping) else None

    heartbeat_timeout = _Of[str](
        "_opened", _attribute("heartbeatTimeout"), "Its heartbeat timeout, as scheduled."
    )


class LambdaFunctionRecord(_Scheduled):
    """An AWS Lambda task, keyed by its id.

    Attributes:
        lambda_id: the Lambda task id.
        state: ``scheduled``, ``started``, ``completed``, ``failed``, ``timed_out``,
            ``schedule_failed`` or ``start_failed``.
        attempts: how many times this id was scheduled.
        tries: the records of earlier uses of this id.
        previous: the record of the use of this id just before this one (None for the
            first); ``tries`` follows these links.
    """

    __slots__ = ("_lambda_id",)

    OPEN_STATES = states.OPEN_TASK_STATES

    state = _Field[states.LambdaFunctionState]("_state", "The Lambda task's state.")
    lambda_id = _Field[str]("_lambda_id", "The Lambda task id.")
    previous = _Field["LambdaFunctionRecord | None"]("_previous", "The previous use of this id.")

    def __init__(
        self,
        lambda_id: str,
        state: str,
        opened: Event | None,
        closed: Event | None = None,
        previous: LambdaFunctionRecord | None = None,
    ) -> None:
        """Build a record (the compiler does)."""
        super().__init__(state, opened, closed)
        self._lambda_id = lambda_id
        self._previous = previous
        scheduled = 0 if opened is None else 1
        self._attempts = scheduled if previous is None else previous._attempts + scheduled

    def _key(self) -> Any:
        return self._lambda_id

    @property
    def name(self) -> str | None:
        """The Lambda function's name."""
        return cast("str | None", _get(self._opened or self._closed, "name"))

    message = _Of[str](
        "_closed", _attribute("message"), "The message of a ``StartLambdaFunctionFailed`` event."
    )


class TimerRecord(Record):
    """A timer, keyed by its timer id.

    Attributes:
        timer_id: the timer id.
        state: ``started``, ``fired``, ``canceled`` or ``start_failed``.
        cancel_failed_event: the last ``CancelTimerFailed`` for it, if any.
    """

    __slots__ = ("_cancel_failed_event", "_timer_id")

    OPEN_STATES = states.OPEN_TIMER_STATES

    state = _Field[states.TimerState]("_state", "The timer's state.")
    timer_id = _Field[str]("_timer_id", "The timer id.")
    cancel_failed_event = _Field["Event | None"](
        "_cancel_failed_event", "The last ``CancelTimerFailed`` for it, if any."
    )

    def __init__(
        self, timer_id: str, state: str, opened: Event | None, closed: Event | None = None
    ) -> None:
        """Build a record (the compiler does)."""
        super().__init__(state, opened, closed)
        self._timer_id = timer_id
        self._cancel_failed_event: Event | None = None

    def _key(self) -> Any:
        return self._timer_id

    started_event = _Of[Event]("_opened", _itself, "The ``TimerStarted`` event.")
    started_event_id = _Of[int]("_opened", _event_id, "The id of the ``TimerStarted`` event.")
    started_at = _Of[dt.datetime]("_opened", _timestamp, "When it started (UTC).")
    start_to_fire_timeout = _Of[str](
        "_opened", _attribute("startToFireTimeout"), "Its delay in seconds, as a string."
    )


class ChildWorkflowRecord(Record):
    """A child workflow execution, keyed by its workflow id.

    Attributes:
        workflow_id: the child's workflow id.
        state: ``start_initiated``, ``started``, ``completed``, ``failed``, ``timed_out``,
            ``canceled``, ``terminated`` or ``start_failed``.
        attempts: how many times a child with this workflow id was initiated.
        tries: the records of earlier children with this workflow id.
        previous: the record of the use of this id just before this one (None for the
            first); ``tries`` follows these links.
    """

    __slots__ = ("_attempts", "_previous", "_workflow_id")

    _previous: ChildWorkflowRecord | None
    _attempts: int

    OPEN_STATES = states.OPEN_CHILD_STATES

    state = _Field[states.ChildWorkflowState]("_state", "The child's state.")
    workflow_id = _Field[str]("_workflow_id", "The child's workflow id.")
    attempts = _Field[int]("_attempts", "How many times a child with this id was initiated.")
    previous = _Field["ChildWorkflowRecord | None"]("_previous", "The previous use of this id.")

    def __init__(
        self,
        workflow_id: str,
        state: str,
        opened: Event | None,
        previous: ChildWorkflowRecord | None = None,
    ) -> None:
        """Build a record (the compiler does)."""
        super().__init__(state, opened)
        self._workflow_id = workflow_id
        self._previous = previous
        initiated = 0 if opened is None else 1
        self._attempts = initiated if previous is None else previous._attempts + initiated

    @property
    def tries(self) -> tuple[ChildWorkflowRecord, ...]:
        """The records of earlier children with this workflow id, oldest first."""
        return _chain(self)

    def _key(self) -> Any:
        return self._workflow_id

    initiated_event = _Of[Event](
        "_opened", _itself, "The ``StartChildWorkflowExecutionInitiated`` event."
    )
    initiated_event_id = _Of[int]("_opened", _event_id, "The id of :attr:`initiated_event`.")
    initiated_at = _Of[dt.datetime]("_opened", _timestamp, "When the start was initiated (UTC).")

    @property
    def run_id(self) -> str | None:
        """The child's run id, once started."""
        execution = _get(self._started, "workflowExecution")
        return execution.get("runId") if isinstance(execution, Mapping) else None

    @property
    def workflow_type(self) -> Mapping[str, str] | None:
        """The child's workflow type (from the failed start when SWF refused the decision)."""
        return cast("Mapping[str, str] | None", _get(self._opened or self._closed, "workflowType"))


class _External(Record):
    """A signal or cancel request sent to another execution, keyed by its initiated event id."""

    __slots__ = ()

    OPEN_STATES = states.OPEN_EXTERNAL_STATES

    def _key(self) -> Any:
        return self.workflow_id

    initiated_event = _Of[Event](
        "_opened", _itself, "The initiating event (None when SWF refused the decision)."
    )
    initiated_event_id = _Of[int]("_opened", _event_id, "The id of :attr:`initiated_event`.")

    @property
    def workflow_id(self) -> str | None:
        """The target workflow id."""
        return cast("str | None", _get(self._opened or self._closed, "workflowId"))

    @property
    def run_id(self) -> str | None:
        """The target run id, if given."""
        return cast("str | None", _get(self._opened or self._closed, "runId"))


class ExternalSignalRecord(_External):
    """A signal sent to another execution.

    Attributes:
        state: ``signal_initiated``, ``signaled`` or ``signal_failed``.
    """

    __slots__ = ()

    state = _Field[states.ExternalSignalState]("_state", "The signal's state.")
    signal_name = _Of[str]("_opened", _attribute("signalName"), "The signal's name.")


class ExternalCancelRecord(_External):
    """A cancel request sent to another execution.

    Attributes:
        state: ``request_cancel_initiated``, ``cancel_requested`` or ``request_cancel_failed``.
    """

    __slots__ = ()

    state = _Field[states.ExternalCancelState]("_state", "The cancel request's state.")


class DecisionTaskRecord(Record):
    """A decision task.

    Attributes:
        state: ``scheduled``, ``started``, ``completed`` or ``timed_out``.
    """

    __slots__ = ()

    OPEN_STATES = states.OPEN_TASK_STATES

    state = _Field[states.DecisionTaskState]("_state", "The decision task's state.")

    def _key(self) -> Any:
        return self.scheduled_event_id

    scheduled_event = _Of[Event]("_opened", _itself, "The ``DecisionTaskScheduled`` event.")
    scheduled_event_id = _Of[int]("_opened", _event_id, "The id of :attr:`scheduled_event`.")
    scheduled_at = _Of[dt.datetime]("_opened", _timestamp, "When it was scheduled (UTC).")
    identity = _Of[str]("_started", _attribute("identity"), "The decider that started it.")
    execution_context = _Of[str](
        "_closed", _attribute("executionContext"), "The execution context its decider left."
    )


class MarkerRecord:
    """A marker (or a failed attempt to record one).

    Attributes:
        name: the marker name.
        state: ``recorded`` or ``record_failed``.
        event: the ``MarkerRecorded`` or ``RecordMarkerFailed`` event.
    """

    __slots__ = ("_event", "_name")

    def __init__(self, name: str, event: Event) -> None:
        """Build a record (the compiler does)."""
        self._name = name
        self._event = event

    name = _Field[str]("_name", "The marker name.")
    event = _Field[Event]("_event", "The ``MarkerRecorded`` or ``RecordMarkerFailed`` event.")

    @property
    def state(self) -> states.MarkerState:
        """``recorded`` or ``record_failed``."""
        return cast("states.MarkerState", self._event.state)

    details = _Of[str]("_event", _attribute("details"), "The marker's details.")
    cause = _Of[str]("_event", _attribute("cause"), "Why recording failed.")

    @property
    def event_id(self) -> int:
        """The event id."""
        return self._event.id

    @property
    def recorded_at(self) -> dt.datetime:
        """When it was recorded (UTC)."""
        return self._event.timestamp

    def __repr__(self) -> str:
        return f"<MarkerRecord {self._name!r} {self.state} event {self._event.id}>"


class SignalRecord:
    """A signal the execution received.

    Attributes:
        name: the signal name.
        event: the ``WorkflowExecutionSignaled`` event.
    """

    __slots__ = ("_event", "_name")

    def __init__(self, name: str, event: Event) -> None:
        """Build a record (the compiler does)."""
        self._name = name
        self._event = event

    name = _Field[str]("_name", "The signal name.")
    event = _Field[Event]("_event", "The ``WorkflowExecutionSignaled`` event.")
    input = _Of[str]("_event", _attribute("input"), "The signal's input.")
    external_workflow_execution = _Of[Mapping[str, str]](
        "_event",
        _attribute("externalWorkflowExecution"),
        "The sending execution, when another workflow sent it.",
    )
    external_initiated_event_id = _Of[int](
        "_event",
        _attribute("externalInitiatedEventId"),
        "The sender's initiating event id, when another workflow sent it.",
    )

    @property
    def event_id(self) -> int:
        """The event id."""
        return self._event.id

    @property
    def received_at(self) -> dt.datetime:
        """When it was received (UTC)."""
        return self._event.timestamp

    def __repr__(self) -> str:
        return f"<SignalRecord {self._name!r} event {self._event.id}>"


class WorkflowRecord(Record):
    """The workflow execution itself.

    Attributes:
        state: ``""`` before any event, then ``started``, ``completed``, ``failed``,
            ``canceled``, ``terminated``, ``timed_out`` or ``continued_as_new``.
        cancel_requested: True once ``WorkflowExecutionCancelRequested`` was recorded.
        cancel_requested_event: that event.
        failed_decisions: the events of close decisions SWF refused
            (``CompleteWorkflowExecutionFailed``, ...), in order.
    """

    __slots__ = ("_cancel_requested", "_cancel_requested_event", "_failed_decisions")

    OPEN_STATES = states.OPEN_WORKFLOW_STATES

    state = _Field[states.WorkflowState]("_state", "The execution's state.")
    cancel_requested = _Field[bool]("_cancel_requested", "Whether a cancel was requested.")
    cancel_requested_event = _Field["Event | None"](
        "_cancel_requested_event", "The ``WorkflowExecutionCancelRequested`` event, if any."
    )

    def __init__(self) -> None:
        """Build an empty record (the compiler fills it in)."""
        super().__init__("", None)
        self._cancel_requested = False
        self._cancel_requested_event: Event | None = None
        self._failed_decisions: list[Event] = []

    @property
    def failed_decisions(self) -> tuple[Event, ...]:
        """The events of close decisions SWF refused, in order."""
        return tuple(self._failed_decisions)

    def _key(self) -> Any:
        return "workflow"

    started_event = _Of[Event]("_opened", _itself, "The ``WorkflowExecutionStarted`` event.")
    started_event_id = _Of[int]("_opened", _event_id, "Its id.")
    started_at = _Of[dt.datetime]("_opened", _timestamp, "When the execution started (UTC).")

    @property
    def control(self) -> str | None:
        """Not used for workflows (always None)."""
        return None

    cause = _Of[str]("_closed", _attribute("cause"), "The cause of a termination.")
    continued_as_new_run_id = _Of[str](
        "_closed",
        _attribute("newExecutionRunId"),
        "The new run's id, when the execution continued as new.",
    )

    @property
    def tag_list(self) -> list[str]:
        """The execution's tags."""
        return list(_get(self._opened, "tagList") or ())

    parent = _Of[Mapping[str, str]](
        "_opened",
        _attribute("parentWorkflowExecution"),
        'The parent execution of a child workflow (``{"workflowId", "runId"}``).',
    )
    workflow_type = _Of[Mapping[str, str]](
        "_opened", _attribute("workflowType"), 'The workflow type (``{"name", "version"}``).'
    )

    @property
    def task_list(self) -> str | None:
        """The execution's decision task list."""
        task_list = _get(self._opened, "taskList")
        return task_list.get("name") if isinstance(task_list, Mapping) else None

    @property
    def child_policy(self) -> str | None:
        """The child policy (from the closing event when it has one)."""
        return cast(
            "str | None", _get(self._closed, "childPolicy") or _get(self._opened, "childPolicy")
        )
