"""Groups and chains of tasks, submitted as one: :class:`Group`, :class:`Chain`, :class:`Task`.

::

    from swf.flow.canvas import Chain, Group, Task

    class Thumbnails(Workflow):
        def run(self, images):
            resized = self.submit(Group(*(Task(resize, image) for image in images),
                                        max_parallel=4))
            return self.submit(Chain(Task(upload, resized), notify, send_result=True)).result

A member is a :class:`Task` (an activity or a child workflow with its arguments), an activity
or a :class:`~swf.flow.Workflow` subclass alone (no arguments of its own), or a nested
:class:`Group` or :class:`Chain`. ``Workflow.submit`` returns the composite's
:class:`~swf.flow.Future`:

- a group's is done once every member is, with their results in order; it fails as soon as
  a member failed, with the failure that came first (the earliest event). The other members
  go on: a replay must find again every member a decision task scheduled;
- a chain runs its members one after the other (the next once the previous completed; with
  ``send_result=True``, with its result as first argument); its future gives the last
  member's result, or fails with the first failure (the rest never run);
- ``future.cancel()`` cancels the members scheduled so far; a member a later replay
  schedules is taken back by the same call, which that replay makes again.

Ids do not depend on when members are scheduled: the n-th top-level group (chain) of ``run()``
is ``group-{n}`` (``chain-{n}``), and its i-th member (from 1) is ``{its id}-{i}``: the
activity id of an activity, ``{workflow id}-{its id}-{i}`` for a child workflow (child ids are
unique in a domain), the prefix of a nested group's or chain's members. So members scheduled
late (``max_parallel``, chains) never shift the ``"{name}-{n}"`` ids of the other calls, and a
replay finds each member under the same id.

Arguments given to ``submit`` go first, before a member's own: to every member of a group, to
the first member of a chain. So a nested group or chain in a chain with ``send_result`` passes
the previous result on the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from swf import states
from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow.definition import Activity
from swf.flow.futures import PENDING, Future
from swf.flow.workflow import Workflow

__all__ = ["Chain", "Group", "Task"]


class Task:
    """An activity or child workflow call, as a member of a :class:`Group` or :class:`Chain`.

    ``Task(resize, image, width=200)`` stands for ``self.submit(resize, image, width=200)``;
    ``Task(Child, 1)`` for ``self.child(Child, 1)``. An argument may be a future (the member
    waits for it, as ``submit`` does).

    Attributes:
        task: the :class:`~swf.flow.Activity` or :class:`~swf.flow.Workflow` subclass.
        args: its positional arguments.
        kwargs: its keyword arguments.
    """

    __slots__ = ("args", "kwargs", "task")

    def __init__(self, task: Activity[Any] | type[Workflow], *args: Any, **kwargs: Any) -> None:
        """A call of ``task`` with these arguments.

        Raises:
            InvalidTypeError: ``task`` is neither an activity nor a Workflow subclass.
        """
        if not isinstance(task, Activity) and not _is_workflow(task):
            raise InvalidTypeError(
                "Task() takes an activity (decorated with @activity) or a Workflow subclass, "
                f"got {task!r}",
                argument="task",
                value=task,
            )
        self.task = task
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        called = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        name = self.task.name if isinstance(self.task, Activity) else self.task.type_name()
        return f"Task({name}{''.join(', ' + c for c in called)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Task):
            return NotImplemented
        return (self.task, self.args, self.kwargs) == (other.task, other.args, other.kwargs)

    __hash__ = None  # type: ignore[assignment]  # arguments may be lists: not hashable

    def _submit(self, workflow: Workflow, member_id: str, first: tuple[Any, ...]) -> Future:
        run = workflow._context()
        args = (*first, *self.args)
        if isinstance(self.task, Activity):
            return run.submit(self.task.options(id=member_id), args, self.kwargs)
        child_id = run.child_id(member_id)
        return run.child(self.task, args, self.kwargs, workflow_id=child_id)


def _is_workflow(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, Workflow)


def _member(value: Any, owner: str) -> Task | _Composite:
    """A member as given (a Task, a Group or Chain), or an activity or Workflow alone."""
    if isinstance(value, Task | _Composite):
        return value
    if isinstance(value, Activity) or _is_workflow(value):
        return Task(value)
    raise InvalidTypeError(
        f"{owner}() takes Task(...), activities, Workflow subclasses, groups and chains, got "
        f"{value!r}",
        argument="tasks",
        value=value,
    )


class _Composite:
    """What a group and a chain share: members, and an id from a per-run counter."""

    _kind = ""

    def __init__(self, tasks: tuple[Any, ...]) -> None:
        owner = type(self).__name__
        self.tasks: tuple[Task | _Composite, ...] = tuple(_member(t, owner) for t in tasks)

    def __repr__(self) -> str:
        inside = ", ".join(repr(task) for task in self.tasks)
        return f"{type(self).__name__}({inside}{self._options()})"

    def _options(self) -> str:
        return ""

    def submit_to(self, workflow: Workflow, *args: Any, **kwargs: Any) -> Future:
        """Submit the members in ``workflow`` (what ``Workflow.submit`` calls); the future of
        the whole.

        ``args`` go first in the members' arguments (see the module docstring).

        Raises:
            InvalidTypeError: keyword arguments were given (a member has its own).
        """
        if kwargs:
            raise InvalidTypeError(
                f"submit({type(self).__name__}(...)) takes positional arguments only (given "
                f"to its members first), got {sorted(kwargs)}",
                argument=next(iter(kwargs)),
                value=kwargs,
            )
        run = workflow._context()
        count = run.count(f"swf.{self._kind}")
        return self._submit(workflow, f"{self._kind}-{count}", args)

    def _submit(self, workflow: Workflow, own_id: str, first: tuple[Any, ...]) -> Future:
        raise NotImplementedError

    @staticmethod
    def _composite(workflow: Workflow, own_id: str) -> tuple[Any, Future]:
        run = workflow._context()
        return run, Future(run, own_id, kind="group")


def _settle(
    future: Future, done: list[Future], everything_done: bool, result: Callable[[], Any]
) -> None:
    """Close ``future`` as its members say: failed with the earliest failure among ``done``,
    else completed with ``result()`` once ``everything_done``."""
    failed = [f for f in done if f._exception is not None]
    if failed:
        first = min(failed, key=lambda f: f._event_id)
        assert first._exception is not None
        future._fail(first._exception, first._event_id, first.state)
    elif everything_done:
        future._complete(result(), max((f._event_id for f in done), default=0))


class Group(_Composite):
    """Tasks run in parallel, submitted as one: ``self.submit(Group(...))``.

    Args:
        *tasks: the members (see the module docstring).
        max_parallel: at most this many members open at once; the others are scheduled, in
            order, as earlier ones finish (None: all at once).

    Raises:
        InvalidTypeError: a member is not a task, or ``max_parallel`` is not a number.
        ValidationError: ``max_parallel`` is below 1.
    """

    _kind = "group"

    def __init__(self, *tasks: Any, max_parallel: int | None = None) -> None:
        """Group ``tasks``."""
        super().__init__(tasks)
        if max_parallel is not None:
            if isinstance(max_parallel, bool) or not isinstance(max_parallel, int):
                raise InvalidTypeError(
                    f"max_parallel must be a whole number or None, got {max_parallel!r}",
                    argument="max_parallel",
                    value=max_parallel,
                )
            if max_parallel < 1:
                raise ValidationError(
                    f"max_parallel must be at least 1, got {max_parallel!r}",
                    argument="max_parallel",
                    value=max_parallel,
                )
        self.max_parallel = max_parallel

    def _options(self) -> str:
        return "" if self.max_parallel is None else f", max_parallel={self.max_parallel}"

    def _submit(self, workflow: Workflow, own_id: str, first: tuple[Any, ...]) -> Future:
        run, future = self._composite(workflow, own_id)
        members: list[Future] = []
        running = 0
        for index, task in enumerate(self.tasks, 1):
            if self.max_parallel is not None and running >= self.max_parallel:
                break  # the next members wait for room: a later replay schedules them
            member = task._submit(workflow, f"{own_id}-{index}", first)
            members.append(member)
            if not member.done:
                running += 1
            elif self.max_parallel is not None:
                run.peek(member)  # what is scheduled next comes after this outcome
        # A failure does not stop the others: the members scheduled by one decision task
        # must be submitted again by every later replay (the history holds them).
        done = [member for member in members if member.done]
        _settle(
            future,
            done,
            len(done) == len(self.tasks),
            lambda: [member._result for member in members],
        )
        if not future.done:
            future.state = states.STARTED if members else PENDING
        future._parts = tuple(members)
        return future


class Chain(_Composite):
    """Tasks run one after the other, submitted as one: ``self.submit(Chain(...))``.

    Args:
        *tasks: the members (see the module docstring).
        send_result: each member after the first receives the previous one's result as its
            first argument.

    Raises:
        InvalidTypeError: a member is not a task.
    """

    _kind = "chain"

    def __init__(self, *tasks: Any, send_result: bool = False) -> None:
        """Chain ``tasks``."""
        super().__init__(tasks)
        if not isinstance(send_result, bool):
            raise InvalidTypeError(
                f"send_result must be True or False, got {send_result!r}",
                argument="send_result",
                value=send_result,
            )
        self.send_result = send_result

    def _options(self) -> str:
        return ", send_result=True" if self.send_result else ""

    def _submit(self, workflow: Workflow, own_id: str, first: tuple[Any, ...]) -> Future:
        run, future = self._composite(workflow, own_id)
        members: list[Future] = []
        given = first
        for index, task in enumerate(self.tasks, 1):
            member = task._submit(workflow, f"{own_id}-{index}", given)
            members.append(member)
            if not member.done or member._exception is not None:
                break
            run.peek(member)  # what comes next is decided after this outcome
            given = (member._result,) if self.send_result else ()
        done = [member for member in members if member.done]
        _settle(
            future,
            done,
            len(done) == len(self.tasks),
            lambda: members[-1]._result if members else None,
        )
        if not future.done:
            future.state = states.STARTED
        future._parts = tuple(members)
        return future
