"""The actors of the workflow layer: :class:`WorkflowDecider` and :class:`WorkflowWorker`.

::

    WorkflowDecider("media", "example", workflows=[BasicWorkflow]).start()
    WorkflowWorker("media", "quickstart", modules=["examples.basic"]).start()

The decider answers each decision task with :func:`swf.flow.engine.decide`; the worker runs
each activity task's function and answers with its JSON result, or fails the task with
``{"type", "message", "traceback"}`` details (so that the decider knows the error type, for
``RetryPolicy.non_retryable``). Both register their types at :meth:`start`.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any, ClassVar

from swf import constants
from swf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask, TaskOutcome
from swf.core import ClientLike
from swf.exceptions import InvalidTypeError, TaskClosedError
from swf.flow.client import register
from swf.flow.context import ActivityContext, CancelActivity, running_activity
from swf.flow.definition import Activity, activities_of
from swf.flow.encoding import decode_input, encode, error_details, error_type
from swf.flow.engine import EngineOptions, decide
from swf.flow.errors import FlowError, NondeterminismError
from swf.flow.workflow import Workflow
from swf.models.decision import Decision
from swf.validation import truncate

__all__ = ["WorkflowDecider", "WorkflowWorker"]


def _workflow_classes(workflows: Iterable[Any]) -> dict[tuple[str, str], type[Workflow]]:
    found: dict[tuple[str, str], type[Workflow]] = {}
    for workflow in workflows:
        if not (isinstance(workflow, type) and issubclass(workflow, Workflow)):
            raise InvalidTypeError(
                f"workflows must be Workflow subclasses, got {workflow!r}",
                argument="workflows",
                value=workflow,
            )
        found[workflow.key()] = workflow
    return found


class WorkflowDecider(Decider):
    """A decider that runs ``swf.flow`` workflows (any decider may take any task).

    Args:
        domain: the domain.
        task_list: the decision task list to poll.
        workflows: the :class:`~swf.flow.Workflow` subclasses it runs.
        fail_on_nondeterminism: fail an execution whose history no longer matches the code
            (True), or log it and let the decision task time out so that a fixed deployment
            picks it up (False, the default).
        activity_task_list: schedule every activity on this task list (``swf workflow run``).
        child_task_list: start every child workflow on this task list (the children's
            classes must then be in ``workflows``).
        register: register the workflows' types (and the domain's need) at :meth:`start`.
        **kwargs: ``identity=``, ``client=`` (see :class:`~swf.actors.Actor`).
    """

    def __init__(
        self,
        domain: Any,
        task_list: str | None = None,
        *,
        workflows: Sequence[type[Workflow]],
        fail_on_nondeterminism: bool = False,
        activity_task_list: str | None = None,
        child_task_list: str | None = None,
        register: bool = True,
        identity: str | None = None,
        client: ClientLike = None,
    ) -> None:
        """Build the decider (nothing is sent before :meth:`start` or :meth:`poll`)."""
        super().__init__(domain, task_list, identity=identity, client=client)
        self.workflows = _workflow_classes(workflows)
        self.fail_on_nondeterminism = fail_on_nondeterminism
        self.options = EngineOptions(
            activity_task_list=activity_task_list, child_task_list=child_task_list
        )
        self.register = register

    def start(self) -> None:
        """Register the workflow types (idempotent), then poll until stopped."""
        if self.register:
            register(self.domain, workflows=list(self.workflows.values()), client=self.connection)
        super().start()

    def decide(self, task: DecisionTask) -> list[Decision]:
        """The engine's decisions for ``task`` (:func:`swf.flow.engine.decide`).

        Raises:
            FlowError: the task's workflow type is not one of :attr:`workflows`.
            NondeterminismError: the history no longer matches the code.
        """
        key = (task.workflow_type.name, task.workflow_type.version)
        workflow = self.workflows.get(key)
        if workflow is None:
            known = ", ".join(f"{n}/{v}" for n, v in self.workflows) or "none"
            raise FlowError(
                f"no workflow for type {key[0]!r} version {key[1]!r} in this decider "
                f"(it runs: {known})"
            )
        return decide(workflow, task, self.options)

    def _on_decide_error(self, task: DecisionTask, exc: Exception) -> tuple[TaskOutcome, str]:
        if not isinstance(exc, NondeterminismError):
            return super()._on_decide_error(task, exc)
        error = f"{type(exc).__name__}: {exc}"
        if not self.fail_on_nondeterminism:
            self.logger.error(
                "%r: workflow %r does not replay: %s; the decision task is left to time out "
                "(deploy code that matches its history, or fail_on_nondeterminism=True)",
                self,
                task.workflow_id,
                exc,
            )
            return "decide_failed", error
        self._fail_execution(task, exc)
        return "failed", error

    def _fail_execution(self, task: DecisionTask, exc: Exception) -> None:
        from swf.models.decision import WorkflowExecutionDecision

        reason = truncate(f"{error_type(exc)}: {exc}", constants.MAX_REASON_LENGTH)
        self.complete(task.token, [WorkflowExecutionDecision.fail(reason, error_details(exc))])


class WorkflowWorker(ActivityWorker):
    """An activity worker that runs ``@activity`` functions and classes.

    Args:
        domain: the domain.
        task_list: the activity task list to poll.
        activities: the activities it runs.
        modules: modules (or their dotted names) whose activities it runs too.
        register: register the activity types at :meth:`start`.
        **kwargs: ``identity=``, ``client=`` (see :class:`~swf.actors.Actor`).
    """

    #: Not ours: a task whose type this worker does not run fails with this reason.
    unknown_reason: ClassVar[str] = "no such activity in this worker"

    def __init__(
        self,
        domain: Any,
        task_list: str | None = None,
        *,
        activities: Iterable[Activity[Any]] = (),
        modules: Iterable[ModuleType | str] = (),
        register: bool = True,
        identity: str | None = None,
        client: ClientLike = None,
    ) -> None:
        """Build the worker (nothing is sent before :meth:`start` or :meth:`poll`)."""
        super().__init__(domain, task_list, identity=identity, client=client)
        found = list(activities)
        for module in modules:
            loaded = importlib.import_module(module) if isinstance(module, str) else module
            found.extend(vars(loaded).values())
        for item in activities:
            if not isinstance(item, Activity):
                raise InvalidTypeError(
                    f"activities must be @activity functions or classes, got {item!r}",
                    argument="activities",
                    value=item,
                )
        self.activities = {activity.key: activity for activity in activities_of(found)}
        if not self.activities:
            raise InvalidTypeError(
                "a WorkflowWorker needs activities: pass activities=[...] or modules=[...]",
                argument="activities",
                value=None,
            )
        self.register = register

    def start(self) -> None:
        """Register the activity types (idempotent), then poll until stopped."""
        if self.register:
            register(self.domain, activities=list(self.activities.values()), client=self.connection)
        super().start()

    def process(self, task: ActivityTask) -> Any:
        """Run the task's activity on its decoded input; its result as JSON.

        A failure is reported with JSON details (type, message, traceback), so that the
        decider knows the error type; the activity heartbeats every ``heartbeat`` seconds
        when it asks for it.
        """
        key = (task.activity_type.name, task.activity_type.version)
        activity = self.activities.get(key)
        if activity is None:
            task.fail(self.unknown_reason, f"{key[0]} version {key[1]} is not run here")
            return None
        what = f"the input of activity {task.activity_id!r}"
        try:
            args, kwargs = decode_input(task.input, what)
            context = ActivityContext(
                workflow_id=task.workflow_id,
                run_id=str(task.execution.run_id),
                activity_id=task.activity_id,
                attempt=functools.cache(lambda: _attempt(task)),
                heartbeat=task.heartbeat,
            )
            with _heartbeats(task, activity.heartbeat), running_activity(context):
                value = activity.execute(*args, **kwargs)
            result = encode(
                value,
                f"the result of activity {task.activity_id!r}",
                store=activity.payload_store,
            )
        except CancelActivity as stop:
            task.cancel(stop.details)
            return None
        except TaskClosedError:
            raise
        except Exception as exc:
            self.logger.info(
                "%r: activity %r of workflow %r failed: %r",
                self,
                task.activity_id,
                task.workflow_id,
                exc,
            )
            reason = truncate(f"{error_type(exc)}: {exc}", constants.MAX_REASON_LENGTH)
            task.fail(reason, error_details(exc))
            return None
        task.complete(result)
        return None


def _attempt(task: ActivityTask) -> int:
    """Which try of its activity id ``task`` is: the schedules of that id in the history."""
    count = 0
    for event in task.execution.iter_events():
        if event.id > task.started_event_id:
            break
        if event.event_type == "ActivityTaskScheduled" and (
            event.attributes.get("activityId") == task.activity_id
        ):
            count += 1
    return max(count, 1)


class _heartbeats:
    """Heartbeat ``task`` every ``period`` seconds on a thread while the activity runs."""

    def __init__(self, task: ActivityTask, period: float | None) -> None:
        self.task = task
        self.period = period
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> None:
        if self.period:
            self.thread = threading.Thread(target=self._beat, daemon=True, name="heartbeat")
            self.thread.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join()

    def _beat(self) -> None:
        assert self.period is not None
        while not self.stopped.wait(self.period):
            try:
                self.task.heartbeat()
            except TaskClosedError:
                return
            except Exception:  # the next beat tries again; the task may still finish in time
                self.task.worker.logger.warning("heartbeat of %r failed", self.task.activity_id)
