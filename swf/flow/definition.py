"""Activities: the ``@activity`` decorator, :class:`Activity`, :class:`RetryPolicy`.

::

    from swf.flow import activity, RetryPolicy

    @activity.with_attributes(task_list="quickstart", version="example")
    def increment(x):
        return x + 1

    @activity(retry=RetryPolicy(max_attempts=3, initial_interval=1, backoff=2.0))
    def double(x):
        return x * 2

    @activity(task_list="slow")
    class Delay:                    # a class activity: built with the arguments, then execute()
        def __init__(self, t, x): ...
        def execute(self): ...

The decorated function (or class) stays callable as it was: unit tests call it directly. A
workflow submits it (``self.submit(increment, 1)``); a :class:`~swf.flow.WorkflowWorker` runs
it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar, overload

import attrs

from swf import constants
from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow.context import current_run
from swf.validation import check_name, check_payload, to_duration

__all__ = ["REGISTRY", "Activity", "RetryPolicy", "activities_of", "activity", "nondeterministic"]

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")


def _positive_number(value: Any, argument: str, *, allow_zero: bool = True) -> float:
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidTypeError(
            f"{argument} must be a number of seconds, got {value!r}", argument=argument, value=value
        )
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(
            f"{argument} must be a finite number of seconds >= 0, got {value!r}",
            argument=argument,
            value=value,
        )
    return float(value)


@attrs.frozen
class RetryPolicy:
    """How an activity is retried after it failed or timed out.

    Each retry schedules the same activity id again (SWF allows it once the previous try is
    closed), after a backoff timer when the interval is above 0.

    Attributes:
        max_attempts: tries in all, the first included (1: no retry).
        initial_interval: seconds before the first retry (0: at once).
        backoff: the factor between one interval and the next.
        max_interval: the longest interval (None: no cap).
        non_retryable: exception types, as ``"module.Name"`` (``"builtins.ValueError"``),
            whose failure is final at once.
    """

    max_attempts: int = attrs.field(default=1)
    initial_interval: float = attrs.field(default=0.0)
    backoff: float = attrs.field(default=2.0)
    max_interval: float | None = attrs.field(default=None)
    non_retryable: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        if (
            isinstance(self.max_attempts, bool)
            or not isinstance(self.max_attempts, int)
            or self.max_attempts < 1
        ):
            raise ValidationError(
                f"max_attempts must be a whole number >= 1, got {self.max_attempts!r}",
                argument="max_attempts",
                value=self.max_attempts,
            )
        _positive_number(self.initial_interval, "initial_interval")
        _positive_number(self.backoff, "backoff")
        if self.max_interval is not None:
            _positive_number(self.max_interval, "max_interval")
        for name in self.non_retryable:
            if not isinstance(name, str) or not name:
                raise InvalidTypeError(
                    f'non_retryable holds exception types as "module.Name" strings, got {name!r}',
                    argument="non_retryable",
                    value=name,
                )

    @classmethod
    def of(cls, value: RetryPolicy | int | None) -> RetryPolicy:
        """The policy of an ``activity(retry=...)``: a policy, an int N (N immediate retries
        after the first try) or None (no retry)."""
        if value is None:
            return cls()
        if isinstance(value, RetryPolicy):
            return value
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidTypeError(
                f"retry must be a RetryPolicy or a number of retries >= 0, got {value!r}",
                argument="retry",
                value=value,
            )
        return cls(max_attempts=value + 1)

    def interval(self, attempts: int) -> int:
        """Whole seconds to wait before the next try, after ``attempts`` tries failed."""
        seconds = self.initial_interval * self.backoff ** max(attempts - 1, 0)
        if self.max_interval is not None:
            seconds = min(seconds, self.max_interval)
        return math.ceil(seconds)

    def retries(self, attempts: int, error_type: str | None) -> bool:
        """Whether to try again after ``attempts`` tries, the last failing with
        ``error_type`` (None: it timed out)."""
        return attempts < self.max_attempts and error_type not in self.non_retryable


def _retry(value: Any) -> RetryPolicy:
    return RetryPolicy.of(value)


def _schedule_to_start(value: Any) -> str | None:
    return to_duration(value, "schedule_to_start_timeout")


def _schedule_to_close(value: Any) -> str | None:
    return to_duration(value, "schedule_to_close_timeout")


def _start_to_close(value: Any) -> str | None:
    return to_duration(value, "start_to_close_timeout")


def _heartbeat_timeout(value: Any) -> str | None:
    return to_duration(value, "heartbeat_timeout")


@attrs.frozen(eq=False)
class Activity(Generic[_F]):
    """An activity: a function (or a class with ``execute()``) and its SWF activity type.

    Build it with :data:`activity`. Calling it calls the function (or builds the class), as
    if it were not decorated.

    Attributes:
        function: the function or class.
        name: the activity type's name (default ``"module.qualname"``).
        version: its version (default ``"1"``).
        task_list: the task list its tasks go to (default: the workflow's).
        retry: its :class:`RetryPolicy`.
        schedule_to_start_timeout: seconds (or ``"NONE"``) a task may wait for a worker.
        schedule_to_close_timeout: seconds (or ``"NONE"``) from scheduling to closing.
        start_to_close_timeout: seconds (or ``"NONE"``) a worker may take.
        heartbeat_timeout: seconds (or ``"NONE"``) between heartbeats.
        heartbeat: seconds between the automatic heartbeats of a ``WorkflowWorker`` (None:
            none; then the activity heartbeats itself, if it must).
        task_priority: the tasks' priority.
        idempotent: the same input gives the same activity id (submitting twice returns the
            same future).
        description: the activity type's description.
        id: a fixed activity id (set through :meth:`options`; None: derived).
        payload_store: where its inputs and results over SWF's 32 KB go: a
            :class:`~swf.flow.stores.PayloadStore` or its URI (a URI travels best to worker
            processes); default: for inputs the workflow's, else (results too) the process's
            (``SWF_PAYLOAD_STORE``).
    """

    function: _F
    name: str
    version: str = attrs.field(default="1")
    task_list: str | None = attrs.field(default=None)
    retry: RetryPolicy = attrs.field(default=RetryPolicy(), converter=_retry)
    schedule_to_start_timeout: str | None = attrs.field(
        default="NONE", converter=_schedule_to_start
    )
    schedule_to_close_timeout: str | None = attrs.field(
        default="NONE", converter=_schedule_to_close
    )
    start_to_close_timeout: str | None = attrs.field(default="3600", converter=_start_to_close)
    heartbeat_timeout: str | None = attrs.field(default="NONE", converter=_heartbeat_timeout)
    heartbeat: float | None = attrs.field(default=None)
    task_priority: int | None = attrs.field(default=None)
    idempotent: bool = attrs.field(default=False)
    description: str | None = attrs.field(default=None)
    id: str | None = attrs.field(default=None)
    payload_store: Any = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        check_name(self.name, "name")
        check_name(self.version, "version", max_length=constants.MAX_VERSION_LENGTH)
        if self.task_list is not None:
            check_name(self.task_list, "task_list")
        if self.id is not None:
            check_name(self.id, "id")
        if self.heartbeat is not None:
            _positive_number(self.heartbeat, "heartbeat", allow_zero=False)
        check_payload(self.description, "description", max_length=constants.MAX_DESCRIPTION_LENGTH)
        if inspect.isclass(self.function) and not callable(getattr(self.function, "execute", None)):
            raise InvalidTypeError(
                f"class activity {self.name!r} has no execute() method",
                argument="function",
                value=self.function,
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # The function travels by reference: its module attribute is this activity (the
        # decorator replaced it), so pickle's own lookup would not find the function.
        options = {f.name: getattr(self, f.name) for f in attrs.fields(Activity)[1:]}
        return (_restore, (self.function.__module__, self.function.__qualname__, options))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function, or build the class, as if it were not decorated."""
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<activity {self.name!r} version {self.version!r}>"

    def options(self, **changes: Any) -> Activity[_F]:
        """The same activity with other options, for one submission (``id=`` too)::

            self.submit(resize.options(id="resize-cover", task_list="gpu"), image)

        The type (name and version) is the activity's unless changed here.
        """
        return attrs.evolve(self, **changes)

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        """Run the activity as a worker does: the function's result, or the class's
        ``execute()`` after building it with the arguments."""
        made: Any = self.function(*args, **kwargs)
        return made.execute() if inspect.isclass(self.function) else made

    @property
    def key(self) -> tuple[str, str]:
        """``(name, version)``: what identifies the activity type."""
        return (self.name, self.version)

    def type_defaults(self) -> dict[str, Any]:
        """The activity type's registered defaults, as ``DescribeActivityType``'s
        ``configuration`` (what :class:`~swf.models.ActivityType` registers)."""
        return {
            "status": constants.REGISTERED,
            "defaultTaskList": {"name": self.task_list} if self.task_list else None,
            "defaultTaskScheduleToStartTimeout": self.schedule_to_start_timeout,
            "defaultTaskScheduleToCloseTimeout": self.schedule_to_close_timeout,
            "defaultTaskStartToCloseTimeout": self.start_to_close_timeout,
            "defaultTaskHeartbeatTimeout": self.heartbeat_timeout,
            "defaultTaskPriority": None if self.task_priority is None else str(self.task_priority),
        }


def _restore(module: str, qualname: str, options: dict[str, Any]) -> Activity[Any]:
    """Unpickle an activity: find its function again by module and qualified name."""
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    function = found.function if isinstance(found, Activity) else found
    return Activity(function, **options)


def _default_name(function: Any) -> str:
    return f"{function.__module__}.{function.__qualname__}"


class _ActivityDecorator:
    """``@activity``, ``@activity(...)`` and ``@activity.with_attributes(...)``: the same."""

    @overload
    def __call__(self, function: _F, /) -> Activity[_F]: ...

    @overload
    def __call__(
        self, function: None = None, /, **options: Any
    ) -> Callable[[_F], Activity[_F]]: ...

    def __call__(
        self, function: _F | None = None, /, **options: Any
    ) -> Activity[_F] | Callable[[_F], Activity[_F]]:
        """Make an :class:`Activity` of a function or class (options as its attributes:
        ``name``, ``version``, ``task_list``, ``retry``, the four timeouts, ``heartbeat``,
        ``task_priority``, ``idempotent``, ``description``)."""
        if function is not None:
            if options or not callable(function):
                raise InvalidTypeError(
                    "use @activity, @activity(option=...) or @activity.with_attributes(...)",
                    argument="function",
                    value=function,
                )
            return _make(function, {})
        unknown = sorted(set(options) - _OPTIONS)
        if unknown:
            raise InvalidTypeError(
                f"unknown activity option {unknown[0]!r}; known: {', '.join(sorted(_OPTIONS))}",
                argument=unknown[0],
                value=options[unknown[0]],
            )
        return lambda target: _make(target, options)

    def with_attributes(self, **options: Any) -> Callable[[_F], Activity[_F]]:
        """The same as ``activity(**options)`` (simpleflow's spelling)."""
        return self(**options)


#: Every activity defined so far, by ``(name, version)``: how the local executor finds the
#: function of a scheduled activity type (the last definition of a key wins).
REGISTRY: dict[tuple[str, str], Activity[Any]] = {}


def _make(function: _F, options: Mapping[str, Any]) -> Activity[_F]:
    if isinstance(function, Activity):
        made = function.options(**options) if options else function
    else:
        made = Activity(function, **{"name": _default_name(function), **options})
    REGISTRY[made.key] = made
    return made


_OPTIONS = frozenset(a.name for a in attrs.fields(Activity)) - {"function", "id"}

#: The activity decorator: ``@activity``, ``@activity(task_list=..., retry=...)``, or
#: ``@activity.with_attributes(...)`` (simpleflow's spelling of the same).
activity = _ActivityDecorator()


def activities_of(items: Iterable[Any]) -> list[Activity[Any]]:
    """The activities among ``items`` (module attributes, a list...), each once, by key."""
    found: dict[tuple[str, str], Activity[Any]] = {}
    for item in items:
        if isinstance(item, Activity):
            found.setdefault(item.key, item)
    return list(found.values())


def nondeterministic(function: _F) -> _F:
    """Make calls of ``function`` inside ``Workflow.run`` go through ``side_effect``.

    The function runs once, at the first execution of that point of the workflow; its value
    is kept in a marker and returned unchanged on every replay (pyswf's ``@nondeterministic``).
    Outside a workflow it is called as usual::

        @nondeterministic
        def new_id():
            return uuid.uuid4().hex
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = current_run()
        if run is None:
            return function(*args, **kwargs)
        return run.side_effect(function, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
