"""The :class:`WorkflowType` and :class:`WorkflowExecution` models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs

from swf import constants
from swf.exceptions import (
    AlreadyExistsError,
    DoesNotExistError,
    InvalidTypeError,
    ResponseError,
    ValidationError,
    WorkflowExecutionAlreadyStartedError,
)
from swf.models.base import (
    Model,
    check_type,
    optional_utc,
    to_aware,
    to_description,
    to_plain,
    to_priority,
    to_task_list,
)
from swf.models.domain import Domain, to_domain
from swf.models.type import TypeModel
from swf.validation import check_choice, check_name, check_payload, check_tags, to_duration

if TYPE_CHECKING:
    from swf.core import Connection
    from swf.models.event import Event  # type: ignore[import-not-found, unused-ignore]
    from swf.models.history import History  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "OpenCounts",
    "WorkflowExecution",
    "WorkflowType",
    "build_listed",
    "find_run",
    "iter_listed",
]


# -- converters ---------------------------------------------------------------------------


def _duration_execution_timeout(value: Any) -> str | None:
    return to_duration(value, "execution_timeout")


def _duration_decision_tasks_timeout(value: Any) -> str | None:
    return to_duration(value, "decision_tasks_timeout")


def _child_policy(value: Any) -> constants.ChildPolicy | None:
    if value is None:
        return None
    policy = check_choice(to_plain(value), "child_policy", constants.CHILD_POLICIES)
    return cast("constants.ChildPolicy", policy)


def _lambda_role(value: Any) -> str | None:
    return check_payload(value, "lambda_role", max_length=1224)


@attrs.frozen(repr=False, getstate_setstate=False)
class WorkflowType(TypeModel):
    """A workflow type: a named, versioned kind of workflow, with its registered defaults.

    Example::

        >>> wt = WorkflowType("media", "thumbnails", "1", task_list="deciders",
        ...                   execution_timeout=3600, decision_tasks_timeout=60)
        >>> wt.save()
        >>> execution = wt.start_execution(input='{"image": "cat.png"}')

    Attributes:
        domain, name, version, status: as in :class:`~swf.models.TypeModel`.
        task_list: the default decision task list.
        child_policy: the default child policy: ``'TERMINATE'``, ``'REQUEST_CANCEL'`` or
            ``'ABANDON'``.
        execution_timeout: the default execution start-to-close timeout (seconds as SWF's
            string; ints and timedeltas are converted).
        decision_tasks_timeout: the default decision task start-to-close timeout (seconds, or
            ``'NONE'``).
        description: free text, at most 1024 characters.
        lambda_role: the default IAM role for Lambda functions.
        task_priority: the default task priority (an integer, as SWF's string).
        creation_date: when SWF registered the type (not part of the value).
        deprecation_date: when SWF deprecated it (not part of the value).
    """

    class DoesNotExist(DoesNotExistError):
        """The workflow type does not exist."""

    class AlreadyExists(AlreadyExistsError):
        """The workflow type (name and version) is already registered."""

    _kind = "WorkflowType"
    _defaults = (
        ("child_policy", "defaultChildPolicy"),
        ("execution_timeout", "defaultExecutionStartToCloseTimeout"),
        ("decision_tasks_timeout", "defaultTaskStartToCloseTimeout"),
        ("lambda_role", "defaultLambdaRole"),
        ("task_priority", "defaultTaskPriority"),
    )

    child_policy: constants.ChildPolicy | None = attrs.field(default=None, converter=_child_policy)
    execution_timeout: str | None = attrs.field(default=None, converter=_duration_execution_timeout)
    decision_tasks_timeout: str | None = attrs.field(
        default=None, converter=_duration_decision_tasks_timeout
    )
    description: str | None = attrs.field(default=None, converter=to_description)
    lambda_role: str | None = attrs.field(default=None, converter=_lambda_role)
    task_priority: str | None = attrs.field(default=None, kw_only=True, converter=to_priority)
    creation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)
    deprecation_date: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False)

    def start_execution(
        self,
        workflow_id: str | None = None,
        task_list: str | None = None,
        input: str | None = None,
        tag_list: Iterable[str] | None = None,
        execution_timeout: Any = None,
        decision_tasks_timeout: Any = None,
        child_policy: str | None = None,
        task_priority: int | str | None = None,
        lambda_role: str | None = None,
    ) -> WorkflowExecution:
        """Start an execution of this type (StartWorkflowExecution).

        Options left out use the type's registered defaults.

        Args:
            workflow_id: the workflow id; a new ``'<name>-<uuid4>'`` when omitted.
            task_list: the decision task list.
            input: the input, a string of at most 32768 characters.
            tag_list: up to 5 tags.
            execution_timeout: the execution start-to-close timeout.
            decision_tasks_timeout: the decision task start-to-close timeout.
            child_policy: what happens to children when the execution is terminated.
            task_priority: the decision task priority.
            lambda_role: the IAM role for Lambda functions.

        Returns:
            The started execution, with its run id.

        Raises:
            WorkflowExecution.AlreadyExists: an open execution with that id already runs.
            WorkflowType.DoesNotExist: the type is not registered in the domain.
            Domain.DoesNotExist: the domain does not exist.
            swf.exceptions.DefaultUndefinedError: an option is neither given nor registered.
        """
        if workflow_id is None:
            workflow_id = f"{self.name}-{uuid.uuid4()}"
        execution = WorkflowExecution(
            self.domain,
            workflow_id,
            # An execution names its type (SWF describes no more): keep the reference only.
            workflow_type=WorkflowType(self.domain, self.name, self.version, client=self.client),
            status=constants.OPEN,
            input=input,
            tag_list=tag_list,
            task_list=task_list,
            execution_timeout=execution_timeout,
            decision_tasks_timeout=decision_tasks_timeout,
            child_policy=child_policy,
            task_priority=task_priority,
            lambda_role=lambda_role,
            client=self.client,
        )
        try:
            response = self._start(execution)
        except DoesNotExistError as exc:
            if "domain" in exc.swf_message.lower():
                raise self.domain_missing(
                    exc, f"cannot start workflow execution {workflow_id!r} in it"
                ) from exc
            raise WorkflowType.DoesNotExist(
                f"{self._describe()} not found in domain {self.domain.name!r}: cannot start "
                f"workflow execution {workflow_id!r} ({exc.code}: {exc.swf_message})",
                code=exc.code,
                operation=exc.operation,
                subject=exc.subject,
                swf_message=exc.swf_message,
                domain=self.domain.name,
                name=self.name,
                version=self.version,
                workflow_id=workflow_id,
            ) from exc
        return attrs.evolve(execution, run_id=response["runId"])

    def _start(self, execution: WorkflowExecution) -> dict[str, Any]:
        return self.connection.call(
            "StartWorkflowExecution",
            domain=self.domain.name,
            workflowId=execution.workflow_id,
            workflowType=self.to_ref(),
            taskList={"name": execution.task_list} if execution.task_list else None,
            taskPriority=execution.task_priority,
            input=execution.input,
            executionStartToCloseTimeout=execution.execution_timeout,
            tagList=list(execution.tag_list) or None,
            taskStartToCloseTimeout=execution.decision_tasks_timeout,
            childPolicy=execution.child_policy,
            lambdaRole=execution.lambda_role,
            overrides={WorkflowExecutionAlreadyStartedError: WorkflowExecution.AlreadyExists},
        )


# -- executions -------------------------------------------------------------------------


@attrs.frozen
class OpenCounts:
    """How many tasks, timers and children an open execution has (DescribeWorkflowExecution).

    Attributes:
        activity_tasks: open activity tasks.
        decision_tasks: open decision tasks (0 or 1).
        timers: open timers.
        child_workflow_executions: open child executions.
        lambda_functions: open Lambda functions.
    """

    activity_tasks: int = 0
    decision_tasks: int = 0
    timers: int = 0
    child_workflow_executions: int = 0
    lambda_functions: int = 0

    @classmethod
    def from_api(cls, counts: Mapping[str, Any]) -> OpenCounts:
        """Build from the ``openCounts`` of DescribeWorkflowExecution."""
        return cls(
            activity_tasks=counts.get("openActivityTasks", 0),
            decision_tasks=counts.get("openDecisionTasks", 0),
            timers=counts.get("openTimers", 0),
            child_workflow_executions=counts.get("openChildWorkflowExecutions", 0),
            lambda_functions=counts.get("openLambdaFunctions", 0),
        )


def _workflow_id(value: Any) -> str:
    return check_name(value, "workflow_id")


def _run_id(value: Any) -> str | None:
    return None if value is None else check_name(value, "run_id", max_length=64)


def _workflow_type(value: Any) -> WorkflowType | None:
    return check_type(value, "workflow_type", WorkflowType)


def _execution_status(value: Any) -> constants.ExecutionStatus | None:
    if value is None:
        return None
    status = check_choice(to_plain(value), "status", constants.EXECUTION_STATUSES)
    return cast("constants.ExecutionStatus", status)


def _close_status(value: Any) -> constants.CloseStatus | None:
    if value is None:
        return None
    status = check_choice(to_plain(value), "close_status", constants.CLOSE_STATUSES)
    return cast("constants.CloseStatus", status)


def _date_start_timestamp(value: Any) -> dt.datetime | None:
    return to_aware(value, "start_timestamp")


def _date_close_timestamp(value: Any) -> dt.datetime | None:
    return to_aware(value, "close_timestamp")


def _date_latest_activity_task_timestamp(value: Any) -> dt.datetime | None:
    return to_aware(value, "latest_activity_task_timestamp")


def _parent(value: Any) -> WorkflowExecution | None:
    return check_type(value, "parent", WorkflowExecution)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(
            f"cancel_requested must be a bool, got {value!r:.80}",
            argument="cancel_requested",
            value=value,
        )
    return value


def _open_counts(value: Any) -> OpenCounts | None:
    if isinstance(value, Mapping):
        return OpenCounts.from_api(value)
    return check_type(value, "open_counts", OpenCounts)


def _input(value: Any) -> str | None:
    return check_payload(value, "input")


def _context(value: Any) -> str | None:
    return check_payload(
        value, "latest_execution_context", max_length=constants.MAX_EXECUTION_CONTEXT_LENGTH
    )


def _tags(value: Any) -> tuple[str, ...]:
    return check_tags(value, "tag_list")


@attrs.frozen(repr=False, getstate_setstate=False)
class WorkflowExecution(Model):
    """One run of a workflow: a workflow id and the run id SWF gave it.

    An execution is often known in part (just started, read from a listing, or named by its
    workflow id), so ``changes`` and ``is_synced`` compare only what it knows: a
    field left None (and, for an execution with no status, the default tags and cancel
    flag) is not a difference. A just-started execution is synced; after a terminate, its
    ``status`` and ``close_status`` differ.

    Example::

        >>> execution = WorkflowExecutionQuerySet("media").get("thumbnails-42")
        >>> execution.signal("resume", input="{}")
        >>> for event in execution.raw_events():
        ...     print(event["eventType"])

    Attributes:
        domain: the domain (a string is turned into ``Domain(name)``).
        workflow_id: the workflow id, chosen by whoever started the execution.
        run_id: the run id SWF chose; ``None`` means "the current run".
        workflow_type: the type of the execution.
        status: ``'OPEN'`` or ``'CLOSED'``.
        close_status: how a closed execution ended (``'COMPLETED'``, ``'FAILED'``...).
        tag_list: the tags (a tuple).
        start_timestamp: when it started (aware, UTC).
        close_timestamp: when it closed (aware, UTC).
        cancel_requested: whether a cancellation was requested.
        parent: the parent execution of a child execution.
        input: the input it was started with (SWF does not describe it back, so it is not
            part of the value).
        task_list: the decision task list.
        child_policy: the child policy.
        execution_timeout: the execution start-to-close timeout.
        decision_tasks_timeout: the decision task start-to-close timeout.
        open_counts: the :class:`OpenCounts` (DescribeWorkflowExecution only).
        latest_activity_task_timestamp: when the latest activity task was scheduled.
        latest_execution_context: the latest execution context a decider sent.
        task_priority: the decision task priority.
        lambda_role: the IAM role for Lambda functions.
    """

    class DoesNotExist(DoesNotExistError):
        """The workflow execution does not exist."""

    class AlreadyExists(WorkflowExecutionAlreadyStartedError):
        """An open execution with that workflow id already runs in the domain."""

    _positional = ("domain", "workflow_id", "run_id")

    domain: Domain = attrs.field(converter=to_domain)
    workflow_id: str = attrs.field(converter=_workflow_id)
    run_id: str | None = attrs.field(default=None, converter=_run_id)
    workflow_type: WorkflowType | None = attrs.field(default=None, converter=_workflow_type)
    status: constants.ExecutionStatus | None = attrs.field(
        default=None, converter=_execution_status
    )
    close_status: constants.CloseStatus | None = attrs.field(default=None, converter=_close_status)
    tag_list: tuple[str, ...] = attrs.field(default=(), converter=_tags)
    start_timestamp: dt.datetime | None = attrs.field(default=None, converter=_date_start_timestamp)
    close_timestamp: dt.datetime | None = attrs.field(default=None, converter=_date_close_timestamp)
    cancel_requested: bool = attrs.field(default=False, converter=_bool)
    parent: WorkflowExecution | None = attrs.field(default=None, converter=_parent)
    input: str | None = attrs.field(default=None, converter=_input, eq=False)
    task_list: str | None = attrs.field(default=None, converter=to_task_list)
    child_policy: constants.ChildPolicy | None = attrs.field(default=None, converter=_child_policy)
    execution_timeout: str | None = attrs.field(default=None, converter=_duration_execution_timeout)
    decision_tasks_timeout: str | None = attrs.field(
        default=None, converter=_duration_decision_tasks_timeout
    )
    open_counts: OpenCounts | None = attrs.field(default=None, converter=_open_counts)
    latest_activity_task_timestamp: dt.datetime | None = attrs.field(
        default=None, converter=_date_latest_activity_task_timestamp
    )
    latest_execution_context: str | None = attrs.field(default=None, converter=_context)
    task_priority: str | None = attrs.field(default=None, kw_only=True, converter=to_priority)
    lambda_role: str | None = attrs.field(default=None, kw_only=True, converter=_lambda_role)

    #: Fields that are known when the status is, even when None: an open execution has no
    #: close status or close time.
    _KNOWN_WITH_STATUS = frozenset({"close_status", "close_timestamp"})

    def _knows(self, field: str, value: Any) -> bool:
        # An execution is often known in part: just started (its start time, child policy,
        # timeouts and open counts are SWF's to say), read from a listing (no configuration),
        # or named by workflow id only. A field it leaves unset is not a difference.
        if self.status is None:
            # Named only (no status: neither started here nor read from SWF): the defaults
            # (no tags, no cancel request) are not known either.
            return value is not None and value != _DEFAULTS.get(field)
        if value is not None:
            return True
        return field in self._KNOWN_WITH_STATUS

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What identifies the execution in SWF: ``(domain name, workflow id, run id)``."""
        return (self.domain.name, self.workflow_id, self.run_id)

    @classmethod
    def from_api(
        cls,
        domain: Domain,
        info: Mapping[str, Any],
        description: Mapping[str, Any] | None = None,
        *,
        client: Any = None,
        types: dict[tuple[str, str], WorkflowType] | None = None,
    ) -> WorkflowExecution:
        """Build from a ``WorkflowExecutionInfo`` (and the rest of a description).

        This is the hot path of listings: no validation (SWF's values are trusted), and
        workflow types are shared through ``types``.

        Args:
            domain: the domain the execution was read from.
            info: an item of a listing, or ``executionInfo`` of DescribeWorkflowExecution.
            description: the whole DescribeWorkflowExecution response, if described.
            client: the connection to keep.
            types: a cache of workflow types by ``(name, version)``, shared across a listing.
        """
        listed = build_listed(domain, (info,), client=client, types=types)[0]
        if description is None:
            return listed
        conf = description.get("executionConfiguration") or {}
        counts = description.get("openCounts")
        return listed._evolve_trusted(
            raw=description,
            task_list=(conf.get("taskList") or {}).get("name"),
            child_policy=conf.get("childPolicy"),
            execution_timeout=conf.get("executionStartToCloseTimeout"),
            decision_tasks_timeout=conf.get("taskStartToCloseTimeout"),
            task_priority=conf.get("taskPriority"),
            lambda_role=conf.get("lambdaRole"),
            open_counts=None if counts is None else OpenCounts.from_api(counts),
            latest_activity_task_timestamp=optional_utc(
                description.get("latestActivityTaskTimestamp")
            ),
            latest_execution_context=description.get("latestExecutionContext"),
        )

    def to_ref(self) -> dict[str, str | None]:
        """The ``WorkflowExecution`` reference SWF requests carry."""
        return {"workflowId": self.workflow_id, "runId": self.run_id}

    def _current_run(self) -> str:
        """This execution's run id, looked up (open run, else latest closed) when not known."""
        if self.run_id is not None:
            return self.run_id
        return find_run(self.connection, self.domain.name, self.workflow_id).run_id or ""

    def _overrides_for_calls(self) -> dict[Any, Any]:
        return {DoesNotExistError: WorkflowExecution.DoesNotExist}

    def upstream(self) -> WorkflowExecution:
        """Read the execution from SWF (DescribeWorkflowExecution).

        With no ``run_id``, the open run is described, else the latest closed one.

        Raises:
            WorkflowExecution.DoesNotExist: no such execution in the domain.
        """
        run_id = self._current_run()
        response = self.connection.call(
            "DescribeWorkflowExecution",
            domain=self.domain.name,
            execution={"workflowId": self.workflow_id, "runId": run_id},
            overrides=self._overrides_for_calls(),
        )
        described = WorkflowExecution.from_api(
            self.domain, response["executionInfo"], response, client=self.client
        )
        return described._evolve_trusted(input=self.input)

    def signal(self, name: str, input: str | None = None, run_id: str | None = None) -> None:
        """Send a signal to the execution (SignalWorkflowExecution).

        Args:
            name: the signal name.
            input: the signal's input (a string).
            run_id: the run to signal; this execution's run by default (and when that is
                ``None`` too, SWF's current run).
        """
        signal_name = check_name(name, "name")
        payload = check_payload(input, "input")
        target = run_id if run_id is not None else self.run_id
        self.connection.call(
            "SignalWorkflowExecution",
            domain=self.domain.name,
            workflowId=self.workflow_id,
            runId=_run_id(target),
            signalName=signal_name,
            input=payload,
            overrides=self._overrides_for_calls(),
        )

    def request_cancel(self) -> None:
        """Ask the execution to cancel itself (RequestCancelWorkflowExecution)."""
        self.connection.call(
            "RequestCancelWorkflowExecution",
            domain=self.domain.name,
            workflowId=self.workflow_id,
            runId=self.run_id,
            overrides=self._overrides_for_calls(),
        )

    def terminate(
        self,
        reason: str | None = None,
        details: str | None = None,
        child_policy: str | None = None,
    ) -> None:
        """Terminate the execution at once (TerminateWorkflowExecution).

        Args:
            reason: why, at most 256 characters.
            details: more details, at most 32768 characters.
            child_policy: what happens to its children; the execution's own by default.
        """
        self.connection.call(
            "TerminateWorkflowExecution",
            domain=self.domain.name,
            workflowId=self.workflow_id,
            runId=self.run_id,
            reason=check_payload(reason, "reason", max_length=constants.MAX_REASON_LENGTH),
            details=check_payload(details, "details"),
            childPolicy=_child_policy(child_policy),
            overrides=self._overrides_for_calls(),
        )

    def raw_events(
        self, reverse: bool = False, page_size: int = constants.MAX_PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """Iterate over the history's events as SWF sends them, fetching pages as needed.

        Args:
            reverse: newest first.
            page_size: events per request (1 to 1000).

        Yields:
            Each event dict (``eventId``, ``eventType``, ``eventTimestamp``, attributes).
        """
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise InvalidTypeError(
                f"page_size must be an int, got {page_size!r:.80}",
                argument="page_size",
                value=page_size,
            )
        if not 1 <= page_size <= constants.MAX_PAGE_SIZE:
            raise ValidationError(
                f"page_size must be between 1 and {constants.MAX_PAGE_SIZE}, got {page_size}",
                argument="page_size",
                value=page_size,
            )
        return self._raw_events(bool(reverse), page_size)

    def _raw_events(self, reverse: bool, page_size: int) -> Iterator[dict[str, Any]]:
        run_id = self._current_run()
        for page in self.connection.paginate(
            "GetWorkflowExecutionHistory",
            domain=self.domain.name,
            execution={"workflowId": self.workflow_id, "runId": run_id},
            page_size=page_size,
            reverseOrder=reverse or None,
            overrides=self._overrides_for_calls(),
        ):
            yield from page.get("events", ())

    def history(self) -> History:
        """The whole history (every page), as a :class:`swf.models.history.History`."""
        from swf.models.history import History

        return History.from_event_list(list(self.raw_events()))

    def iter_events(self, reverse: bool = False) -> Iterator[Event]:
        """Iterate over the history's events as event objects, fetching pages as needed."""
        from swf.models.event import from_api

        return (from_api(raw) for raw in self.raw_events(reverse=reverse))


_DEFAULTS = {"tag_list": (), "cancel_requested": False}


def find_run(connection: Connection, domain: str, workflow_id: str) -> WorkflowExecution:
    """Find the current run of a workflow id: the open one, else the latest closed one.

    Lists with an ``executionFilter`` and re-checks the workflow id (some backends ignore the
    filter). Returns an execution built from the listing (not described).

    Raises:
        WorkflowExecution.DoesNotExist: no run of that workflow id in the domain.
    """
    overrides: dict[type[ResponseError], type[ResponseError]] = {
        DoesNotExistError: WorkflowExecution.DoesNotExist
    }
    where = Domain(domain)
    for operation in ("ListOpenWorkflowExecutions", "ListClosedWorkflowExecutions"):
        latest: Mapping[str, Any] | None = None
        for page in connection.paginate(
            operation,
            domain=domain,
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": workflow_id},
            overrides=overrides,
        ):
            for info in page.get("executionInfos", ()):
                if info["execution"]["workflowId"] != workflow_id:
                    continue
                if latest is None or info["startTimestamp"] > latest["startTimestamp"]:
                    latest = info
        if latest is not None:
            return WorkflowExecution.from_api(where, latest, client=connection)
    raise WorkflowExecution.DoesNotExist(
        f"workflow execution {workflow_id!r} not found in domain {domain!r}",
        operation="ListOpenWorkflowExecutions",
        domain=domain,
        workflow_id=workflow_id,
    )


def iter_listed(
    domain: Domain,
    infos: Iterable[Mapping[str, Any]],
    *,
    client: Connection | None = None,
    types: dict[tuple[str, str], WorkflowType] | None = None,
) -> Iterator[WorkflowExecution]:
    """Turn the ``executionInfos`` of a listing page into executions (see :func:`build_listed`)."""
    return iter(build_listed(domain, infos, client=client, types=types))


def build_listed(
    domain: Domain,
    infos: Iterable[Mapping[str, Any]],
    *,
    client: Connection | None = None,
    types: dict[tuple[str, str], WorkflowType] | None = None,
) -> list[WorkflowExecution]:
    """Turn the ``executionInfos`` of a listing page into executions.

    The same as :meth:`WorkflowExecution.from_api <swf.models.WorkflowExecution.from_api>` for
    each item. Values from SWF are trusted
    (no validation) and workflow types are shared through ``types``; the clients swf builds
    parse timestamps as UTC already (:func:`swf.core.build_client`).

    Args:
        domain: the domain listed.
        infos: the ``WorkflowExecutionInfo`` dicts.
        client: the connection the models keep.
        types: a cache of workflow types by ``(name, version)``, shared across pages.
    """
    types = {} if types is None else types
    built: list[WorkflowExecution] = []
    for info in infos:
        ref = info["workflowType"]
        type_key = (ref["name"], ref["version"])
        workflow_type = types.get(type_key)
        if workflow_type is None:
            workflow_type = types[type_key] = WorkflowType._make(
                domain=domain, name=type_key[0], version=type_key[1], client=client
            )
        parent = info.get("parent")
        execution = info["execution"]
        built.append(
            WorkflowExecution._make(
                client=client,
                raw=info,
                domain=domain,
                workflow_id=execution["workflowId"],
                run_id=execution["runId"],
                workflow_type=workflow_type,
                status=info.get("executionStatus"),
                close_status=info.get("closeStatus"),
                tag_list=tuple(info.get("tagList") or ()),
                start_timestamp=optional_utc(info.get("startTimestamp")),
                close_timestamp=optional_utc(info.get("closeTimestamp")),
                cancel_requested=info.get("cancelRequested", False),
                parent=None
                if parent is None
                else WorkflowExecution._make(
                    domain=domain,
                    workflow_id=parent["workflowId"],
                    run_id=parent["runId"],
                    client=client,
                ),
            )
        )
    return built
