"""Registering, starting and reading workflows: :func:`register`, :func:`start`, :func:`result`.

::

    plan = swf.flow.register("media", workflows=[BasicWorkflow], activities=[increment])
    execution = swf.flow.start(BasicWorkflow, 1, 5, domain="media")
    swf.flow.result(execution)            # 4, or the workflow's failure as an exception
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from swf import constants
from swf.core import ClientLike, get_connection
from swf.exceptions import InvalidTypeError, TransportError, ValidationError
from swf.flow.definition import Activity
from swf.flow.encoding import decode, encode_input
from swf.flow.errors import (
    WorkflowCanceled,
    WorkflowError,
    WorkflowFailed,
    WorkflowTerminated,
    WorkflowTimedOut,
)
from swf.flow.workflow import Workflow
from swf.models import ActivityType, Domain, ModelDiff, WorkflowExecution, WorkflowType
from swf.models.domain import to_domain
from swf.models.history import History

__all__ = [
    "Plan",
    "PlanItem",
    "activity_type",
    "outcome",
    "register",
    "result",
    "signal",
    "start",
    "workflow_type",
]

#: What :func:`register` did (or would do, ``dry_run``) for one type.
CREATED, UNCHANGED, DIFFERS = "created", "unchanged", "differs"


@attrs.frozen
class PlanItem:
    """One type in a registration plan.

    Attributes:
        kind: ``'workflow'`` or ``'activity'``.
        name: the type's name.
        version: its version.
        status: ``'created'`` (registered now, or to be with ``dry_run``), ``'unchanged'``
            (registered with these defaults) or ``'differs'`` (registered with other
            defaults: SWF types are immutable; register a new version).
        diff: for ``'differs'``, the defaults that differ (local vs registered).
    """

    kind: str
    name: str
    version: str
    status: str
    diff: ModelDiff | None = None

    def __str__(self) -> str:
        text = f"{self.kind} type {self.name!r} version {self.version!r}: {self.status}"
        if self.diff:
            text += (
                " ("
                + ", ".join(
                    f"{d.attr} {d.local!r} here, {d.upstream!r} registered" for d in self.diff
                )
                + ")"
            )
        return text


@attrs.frozen
class Plan:
    """What :func:`register` did or would do, type by type (iterable).

    Attributes:
        items: one :class:`PlanItem` per type.
        dry_run: True when nothing was registered.
    """

    items: tuple[PlanItem, ...]
    dry_run: bool = False

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def differences(self) -> list[PlanItem]:
        """The types registered with other defaults than the code declares."""
        return [item for item in self.items if item.status == DIFFERS]

    def __str__(self) -> str:
        return "\n".join(str(item) for item in self.items) or "nothing to register"


def workflow_type(workflow: type[Workflow], domain: Any, client: ClientLike = None) -> WorkflowType:
    """The :class:`~swf.models.WorkflowType` a workflow class declares."""
    return WorkflowType(
        to_domain(domain),
        workflow.type_name(),
        workflow.version,
        task_list=workflow.task_list,
        execution_timeout=workflow.execution_timeout,
        decision_tasks_timeout=workflow.decision_task_timeout,
        child_policy=workflow.child_policy,
        description=(workflow.__doc__ or "").strip().split("\n")[0][:1024] or None,
        client=client,
    )


def activity_type(task: Activity[Any], domain: Any, client: ClientLike = None) -> ActivityType:
    """The :class:`~swf.models.ActivityType` an activity declares."""
    return ActivityType(
        to_domain(domain),
        task.name,
        task.version,
        task_list=task.task_list,
        task_schedule_to_start_timeout=task.schedule_to_start_timeout,
        task_schedule_to_close_timeout=task.schedule_to_close_timeout,
        task_start_to_close_timeout=task.start_to_close_timeout,
        task_heartbeat_timeout=task.heartbeat_timeout,
        task_priority=task.task_priority,
        description=task.description,
        client=client,
    )


def _declared_only(local: Any, registered: Any) -> ModelDiff:
    """The defaults that differ, among those the code declares (dates and status left out)."""
    found = local.diff(registered)
    ignored = {"status", "creation_date", "deprecation_date", "description"}
    return ModelDiff(tuple(d for d in found if d.attr not in ignored and d.local is not None))


def register(
    domain: Any,
    workflows: Iterable[type[Workflow]] = (),
    activities: Iterable[Activity[Any]] = (),
    *,
    dry_run: bool = False,
    client: ClientLike = None,
) -> Plan:
    """Register the types the code declares, idempotently; returns the :class:`Plan`.

    A type already registered with the same defaults is left alone; one registered with
    other defaults is reported (``'differs'``, with the differences) and left alone too: SWF
    types are immutable, so a change needs a new version. Nothing is ignored silently.

    Args:
        domain: the domain (a name or a :class:`~swf.models.Domain`); it must exist.
        workflows: :class:`~swf.flow.Workflow` subclasses.
        activities: ``@activity`` functions and classes.
        dry_run: say what would be registered, register nothing.
        client: how to reach SWF.

    Raises:
        Domain.DoesNotExist: the domain does not exist.
        InvalidTypeError: something that is neither a workflow nor an activity.
    """
    connection = get_connection(client)
    where = to_domain(domain)
    declared: list[tuple[str, Any]] = []
    for workflow in workflows:
        if not (isinstance(workflow, type) and issubclass(workflow, Workflow)):
            raise InvalidTypeError(
                f"workflows must be Workflow subclasses, got {workflow!r}",
                argument="workflows",
                value=workflow,
            )
        declared.append(("workflow", workflow_type(workflow, where, connection)))
    for task in activities:
        if not isinstance(task, Activity):
            raise InvalidTypeError(
                f"activities must be @activity functions or classes, got {task!r}",
                argument="activities",
                value=task,
            )
        declared.append(("activity", activity_type(task, where, connection)))
    Domain(where.name, client=connection).upstream()  # the domain must exist
    items = []
    for kind, model in declared:
        try:
            registered = model.upstream()
        except model.DoesNotExist:
            if not dry_run:
                with contextlib.suppress(model.AlreadyExists):  # registered meanwhile
                    model.save()
            items.append(PlanItem(kind, model.name, model.version, CREATED))
            continue
        diff = _declared_only(model, registered)
        status = DIFFERS if diff else UNCHANGED
        items.append(PlanItem(kind, model.name, model.version, status, diff or None))
    return Plan(tuple(items), dry_run)


def start(
    workflow: type[Workflow],
    *args: Any,
    domain: Any,
    workflow_id: str | None = None,
    task_list: str | None = None,
    tag_list: Sequence[str] | None = None,
    client: ClientLike = None,
    **kwargs: Any,
) -> WorkflowExecution:
    """Start an execution of ``workflow`` with ``run(*args, **kwargs)``.

    Args:
        workflow: the :class:`~swf.flow.Workflow` subclass.
        *args: ``run()``'s positional arguments (JSON values).
        domain: the domain.
        workflow_id: the workflow id (default ``"{name}-{uuid}"``).
        task_list: the decision task list (default: the class's ``task_list``).
        tag_list: tags (default: the class's ``tag_list``).
        client: how to reach SWF.
        **kwargs: ``run()``'s keyword arguments.

    Returns:
        The started :class:`~swf.models.WorkflowExecution`, with its run id.

    Raises:
        PayloadTooLargeError: the input is over SWF's 32 KB.
        WorkflowExecution.AlreadyExists: an open execution with that id runs already.
    """
    if not (isinstance(workflow, type) and issubclass(workflow, Workflow)):
        raise InvalidTypeError(
            f"start() takes a Workflow subclass, got {workflow!r}",
            argument="workflow",
            value=workflow,
        )
    connection = get_connection(client)
    name = workflow.type_name()
    what = f"the input of workflow {name!r}"
    payload = encode_input(args, kwargs, what, store=workflow.payload_store)
    wtype = WorkflowType(to_domain(domain), name, workflow.version, client=connection)
    return wtype.start_execution(
        workflow_id=workflow_id or f"{name}-{uuid.uuid4()}",
        task_list=task_list or workflow.task_list,
        input=payload,
        tag_list=list(tag_list if tag_list is not None else workflow.tag_list) or None,
        execution_timeout=workflow.execution_timeout,
        decision_tasks_timeout=workflow.decision_task_timeout,
        child_policy=workflow.child_policy,
    )


def result(
    execution: WorkflowExecution | History,
    *,
    wait: bool = True,
    timeout: float | None = None,
    poll_interval: float = 0.5,
) -> Any:
    """The decoded result of an execution, or its failure as an exception.

    Args:
        execution: the execution (or its history).
        wait: wait for an open execution to close (False: raise at once when open).
        timeout: give up waiting after this many seconds (None: wait as long as it takes).
        poll_interval: seconds between two looks at an open execution.

    An execution that continued as new is followed to the run that closed for good.

    Returns:
        What ``run()`` returned (decoded JSON).

    Raises:
        WorkflowFailed, WorkflowTimedOut, WorkflowTerminated, WorkflowCanceled: the execution
            closed without completing (reason and details attached).
        TimeoutError: still open after ``timeout`` seconds (a
            :class:`~swf.exceptions.TransportError`).
        ValidationError: still open and ``wait`` is False.
    """
    if isinstance(execution, History):
        return outcome(execution, None, None)
    if not isinstance(execution, WorkflowExecution):
        raise InvalidTypeError(
            f"result() takes a WorkflowExecution or a History, got {execution!r}",
            argument="execution",
            value=execution,
        )
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        history = execution.history()
        following = history.compiled.workflow.continued_as_new_run_id
        if history.finished and following:  # the next run of the chain holds the result
            execution = WorkflowExecution(
                execution.domain, execution.workflow_id, following, client=execution.connection
            )
            continue
        if history.finished:
            return outcome(history, execution.workflow_id, execution.run_id)
        if not wait:
            raise ValidationError(
                f"workflow execution {execution.workflow_id!r} is still open",
                argument="execution",
                value=execution.workflow_id,
            )
        if deadline is not None and time.monotonic() >= deadline:
            raise TransportError(
                f"workflow execution {execution.workflow_id!r} still open after {timeout} s"
            )
        time.sleep(poll_interval)


def signal(execution: WorkflowExecution, name: str, *args: Any, **kwargs: Any) -> None:
    """Send the signal ``name`` to ``execution`` from outside, with these arguments, encoded
    as ``self.signal`` encodes them (``wait_signal`` gives back the one argument, a list of
    several, a dict of keyword arguments); a large input goes to the payload store.

    Raises:
        WorkflowExecution.DoesNotExist: the execution is closed or unknown.
        PayloadTooLargeError: the input is over SWF's 32 KB and no store takes it.
    """
    if not isinstance(execution, WorkflowExecution):
        raise InvalidTypeError(
            f"signal() takes a WorkflowExecution, got {execution!r}",
            argument="execution",
            value=execution,
        )
    payload = encode_input(args, kwargs, f"the input of signal {name!r}")
    execution.signal(name, payload)


_ERRORS: dict[str, type[WorkflowError]] = {
    "failed": WorkflowFailed,
    "timed_out": WorkflowTimedOut,
    "terminated": WorkflowTerminated,
    "canceled": WorkflowCanceled,
}


def outcome(history: History, workflow_id: str | None, run_id: str | None) -> Any:
    """The result of a closed execution's history, or its failure raised."""
    workflow = history.compiled.workflow
    if workflow.state == constants.COMPLETED.lower():
        return decode(workflow.result, "the workflow's result")
    error = _ERRORS.get(workflow.state)
    if error is None:
        raise ValidationError(
            f"workflow execution {workflow_id!r} did not close with a result "
            f"(state {workflow.state or 'not started'!r})",
            argument="execution",
            value=workflow_id,
        )
    what = f"workflow execution {workflow_id!r}" if workflow_id else "the workflow execution"
    why = workflow.reason or workflow.timeout_type or workflow.cause or ""
    raise error(
        f"{what} {workflow.state.replace('_', ' ')}" + (f": {why}" if why else ""),
        workflow_id=workflow_id,
        run_id=run_id,
        reason=workflow.reason,
        details=workflow.details,
    )
