"""The :class:`WorkflowTypeQuerySet` and :class:`WorkflowExecutionQuerySet`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from swf import constants
from swf.exceptions import InvalidTypeError, ValidationError
from swf.models.base import to_plain
from swf.models.workflow import (
    WorkflowExecution,
    WorkflowType,
    build_listed,
    find_run,
)
from swf.querysets.base import InDomainQuerySet, Request, TypeQuerySet, named_filters
from swf.validation import check_choice, check_name, check_payload, shorten, to_datetime

__all__ = ["ExecutionCount", "WorkflowExecutionQuerySet", "WorkflowTypeQuerySet", "filter_date"]


class WorkflowTypeQuerySet(TypeQuerySet[WorkflowType]):
    """The workflow types of a domain (ListWorkflowTypes); see :class:`TypeQuerySet`.

    Example::

        >>> [t.version for t in WorkflowTypeQuerySet("media").filter(name="thumbnails")]
    """

    model = WorkflowType


# -- executions -------------------------------------------------------------------------

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_DATE_FILTERS = ("start_oldest_date", "start_latest_date", "close_oldest_date", "close_latest_date")
_EXCLUSIVE = ("tag", "workflow_type_name", "workflow_id", "close_status")


class ExecutionCount(int):
    """A count of executions (an ``int``) that also says whether SWF truncated it.

    ``count == 42``, ``str(count)`` and arithmetic work as for an int; ``repr`` shows the
    flag.

    Attributes:
        truncated: True when SWF's count is a lower bound (SWF's ``truncated`` flag).
    """

    truncated: bool

    def __new__(cls, value: int, *, truncated: bool = False) -> ExecutionCount:
        count = super().__new__(cls, value)
        count.truncated = truncated
        return count

    def __repr__(self) -> str:
        return f"ExecutionCount({int(self)}, truncated={self.truncated})"

    def __str__(self) -> str:
        return int.__repr__(self)


class WorkflowExecutionQuerySet(InDomainQuerySet[WorkflowExecution]):
    """The workflow executions of a domain: open, closed, or both.

    Example::

        >>> qs = WorkflowExecutionQuerySet("media")
        >>> qs.get("thumbnails-42")                    # the open run, else the latest closed
        >>> qs.filter(status=OPEN, workflow_type_name="thumbnails")[:10]
        >>> qs.filter(status=CLOSED, close_status="FAILED", start_oldest_date="3 days ago")
        >>> qs.filter(status=OPEN).count()

    SWF takes at most one of ``tag``, ``workflow_type_name`` (with or without
    ``workflow_type_version``), ``workflow_id`` and ``close_status`` per listing, and either
    start or close dates, not both; close filters imply closed executions. Those rules are
    checked by :meth:`filter`, before any request. Results are re-checked client-side against
    every filter, so that backends that filter loosely (the local moto endpoint) still answer
    right.

    Args:
        domain: the domain (a :class:`~swf.models.Domain` or its name).
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None``.
    """

    model = WorkflowExecution

    # -- returns a new QuerySet ---------------------------------------------------------------

    @named_filters
    def filter(
        self,
        *,
        status: str | None = None,
        start_oldest_date: Any = None,
        start_latest_date: Any = None,
        close_oldest_date: Any = None,
        close_latest_date: Any = None,
        close_status: str | None = None,
        workflow_type_name: str | None = None,
        workflow_type_version: str | None = None,
        tag: str | None = None,
        workflow_id: str | None = None,
    ) -> WorkflowExecutionQuerySet:
        """Return a QuerySet narrowed by SWF's execution filters (nothing is sent).

        Args:
            status: ``'OPEN'`` or ``'CLOSED'``; both when not given.
            start_oldest_date: started at or after: a datetime, an epoch number (seconds;
                before 2000 is refused), a ``timedelta`` (that long ago), or a string such as
                ``'2026-11-01'``, ``'3 days ago'``, ``'yesterday'`` (see
                :func:`~swf.querysets.workflow.filter_date`).
            start_latest_date: started at or before.
            close_oldest_date: closed at or after (closed executions only).
            close_latest_date: closed at or before (closed executions only).
            close_status: ``'COMPLETED'``, ``'FAILED'``, ``'CANCELED'``, ``'TERMINATED'``,
                ``'CONTINUED_AS_NEW'`` or ``'TIMED_OUT'`` (closed executions only).
            workflow_type_name: the workflow type name.
            workflow_type_version: the workflow type version (with ``workflow_type_name``).
            tag: a tag the executions carry.
            workflow_id: the workflow id.

        Raises:
            swf.exceptions.ValidationError: a bad value, or a combination SWF forbids.
            swf.exceptions.InvalidTypeError: an unknown filter (named, with the known ones).
        """
        given: dict[str, Any] = {}
        if status is not None:
            given["status"] = check_choice(to_plain(status), "status", constants.EXECUTION_STATUSES)
        for argument, value in (
            ("start_oldest_date", start_oldest_date),
            ("start_latest_date", start_latest_date),
            ("close_oldest_date", close_oldest_date),
            ("close_latest_date", close_latest_date),
        ):
            if value is not None:
                given[argument] = filter_date(value, argument)
        if close_status is not None:
            given["close_status"] = check_choice(
                to_plain(close_status), "close_status", constants.CLOSE_STATUSES
            )
        if workflow_type_name is not None:
            given["workflow_type_name"] = check_name(workflow_type_name, "workflow_type_name")
        if workflow_type_version is not None:
            given["workflow_type_version"] = check_name(
                workflow_type_version,
                "workflow_type_version",
                max_length=constants.MAX_VERSION_LENGTH,
            )
        if tag is not None:
            given["tag"] = check_payload(tag, "tag", max_length=constants.MAX_TAG_LENGTH)
        if workflow_id is not None:
            given["workflow_id"] = check_name(workflow_id, "workflow_id")
        merged = {**self._filters, **given}
        _check_combination(merged)
        return self._clone(**given)

    # -- listing -----------------------------------------------------------------------------

    def _statuses(self) -> tuple[str, ...]:
        status = self._filters.get("status")
        if status is not None:
            return (status,)
        if any(
            name in self._filters for name in ("close_status", *_DATE_FILTERS[2:])
        ):  # close filters only make sense for closed executions
            return (constants.CLOSED,)
        return (constants.OPEN, constants.CLOSED)

    def _params(self, status: str) -> dict[str, Any]:
        f = self._filters
        params: dict[str, Any] = {"domain": self.domain.name}
        if "close_oldest_date" in f or "close_latest_date" in f:
            params["closeTimeFilter"] = {
                "oldestDate": f.get("close_oldest_date", _EPOCH),
                "latestDate": f.get("close_latest_date"),
            }
        else:
            # SWF requires a time filter: "started since the epoch" when none is given.
            params["startTimeFilter"] = {
                "oldestDate": f.get("start_oldest_date", _EPOCH),
                "latestDate": f.get("start_latest_date"),
            }
        if "workflow_type_name" in f:
            params["typeFilter"] = {
                "name": f["workflow_type_name"],
                "version": f.get("workflow_type_version"),
            }
        if "tag" in f:
            params["tagFilter"] = {"tag": f["tag"]}
        if "workflow_id" in f:
            params["executionFilter"] = {"workflowId": f["workflow_id"]}
        if "close_status" in f and status == constants.CLOSED:
            params["closeStatusFilter"] = {"status": f["close_status"]}
        return params

    def _requests(self) -> list[Request]:
        return [
            Request(
                "ListOpenWorkflowExecutions"
                if status == constants.OPEN
                else "ListClosedWorkflowExecutions",
                self._params(status),
                "executionInfos",
            )
            for status in self._statuses()
        ]

    def _page_builder(
        self,
    ) -> Callable[[Sequence[Mapping[str, Any]]], Iterable[WorkflowExecution]]:
        domain, connection = self.domain, self.connection
        types: dict[tuple[str, str], WorkflowType] = {}
        return lambda infos: build_listed(domain, infos, client=connection, types=types)

    def _predicate(self) -> Callable[[Mapping[str, Any]], bool] | None:
        return _predicate(self._filters)

    # -- sends requests ----------------------------------------------------------------------

    def count(self) -> ExecutionCount:
        """Count the executions with SWF's CountOpen/CountClosedWorkflowExecutions.

        Both operations are sent when no status is filtered.

        Returns:
            The number (an :class:`~swf.querysets.workflow.ExecutionCount`, an ``int``), with
            ``.truncated``, True
            when SWF says its count is a lower bound (it stops counting very large sets).
        """
        total = 0
        truncated = False
        for status in self._statuses():
            operation = (
                "CountOpenWorkflowExecutions"
                if status == constants.OPEN
                else "CountClosedWorkflowExecutions"
            )
            response = self.connection.call(
                operation, self._params(status), overrides=self._overrides()
            )
            total += int(response.get("count", 0))
            truncated = truncated or bool(response.get("truncated"))
        return ExecutionCount(total, truncated=truncated)

    def get(self, workflow_id: str, run_id: str | None = None) -> WorkflowExecution:
        """Read one execution (DescribeWorkflowExecution).

        Args:
            workflow_id: the workflow id.
            run_id: the run; when omitted, the open run, else the latest closed one.

        Raises:
            WorkflowExecution.DoesNotExist: no such execution in the domain.
        """
        execution = WorkflowExecution(self.domain, workflow_id, run_id, client=self.connection)
        if run_id is None:
            execution = find_run(self.connection, self.domain.name, execution.workflow_id)
        return execution.upstream()

    def create(
        self,
        workflow_type: WorkflowType,
        workflow_id: str | None = None,
        **options: Any,
    ) -> WorkflowExecution:
        """Start an execution of ``workflow_type`` in this domain.

        Args:
            workflow_type: the type to start.
            workflow_id: the workflow id (a new one by default).
            **options: the options of :meth:`WorkflowType.start_execution
                <swf.models.WorkflowType.start_execution>`.

        Raises:
            WorkflowExecution.AlreadyExists: an open execution with that id already runs.
        """
        return self._workflow_type(workflow_type).start_execution(workflow_id, **options)

    def get_or_create(
        self,
        workflow_id: str,
        workflow_type: WorkflowType,
        **options: Any,
    ) -> tuple[WorkflowExecution, bool]:
        """Get the open execution with this workflow id, or start one; race-safe.

        Returns:
            ``(execution, created)``.
        """
        wtype = self._workflow_type(workflow_type)
        workflow_id = check_name(workflow_id, "workflow_id")
        open_runs = self.filter(status=constants.OPEN, workflow_id=workflow_id)
        found = open_runs.first()
        if found is not None:
            return found.upstream(), False
        try:
            return wtype.start_execution(workflow_id, **options), True
        except WorkflowExecution.AlreadyExists:
            found = open_runs.first()
            if found is None:
                raise
            return found.upstream(), False

    def _workflow_type(self, workflow_type: Any) -> WorkflowType:
        if not isinstance(workflow_type, WorkflowType):
            raise InvalidTypeError(
                f"workflow_type must be a WorkflowType, got {type(workflow_type).__name__} "
                f"{workflow_type!r:.80}",
                argument="workflow_type",
                value=workflow_type,
            )
        if workflow_type.domain.name != self.domain.name or workflow_type.client is None:
            return WorkflowType(
                self.domain,
                workflow_type.name,
                workflow_type.version,
                client=self.connection,
            )
        return workflow_type


#: Epoch numbers below this (2000-01-01) are no time an SWF execution ran: 3 means 1970.
_EARLIEST_EPOCH = 946_684_800
#: Epoch numbers above this (year 5138) are milliseconds, not seconds.
_LATEST_EPOCH = 10**11
_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def filter_date(value: Any, argument: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """A date filter's value as an aware UTC datetime.

    Accepts what :func:`swf.validation.to_datetime` does (a datetime, an epoch number, a
    date string, ``'3 days ago'``), and also a ``timedelta`` (that long before now), ``'now'``,
    and ``'today'``, ``'yesterday'``, ``'tomorrow'`` (midnight UTC of that day). A string of
    digits is seconds since the epoch (as typed on a command line), not a day of the month. A
    number that cannot be meant as seconds since the epoch (before 2000, or milliseconds) is
    refused.

    Raises:
        swf.exceptions.ValidationError: not a date, or a number no execution could have.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    if isinstance(value, dt.timedelta):
        try:
            if value >= dt.timedelta(0):
                return now - value
        except OverflowError:
            pass
        raise ValidationError(
            f"{argument} {value!r} is not a time: a timedelta is how long before now "
            "(at least 0, within the years 1 to 9999)",
            argument=argument,
            value=value,
        )
    if isinstance(value, str):
        word = value.strip().lower()
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", word):  # '1700000000': seconds, not 'the 17th'
            return filter_date(float(word) if "." in word else int(word), argument, now=now)
        if word == "now":
            return now
        if word in _DAY_WORDS:
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
            return midnight + dt.timedelta(days=_DAY_WORDS[word])
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and _LATEST_EPOCH <= value < _LATEST_EPOCH * 1000:
        what = "milliseconds?"
    else:
        result = to_datetime(value, argument, now=now)  # no datetime at all: refused here
        if not number or value == 0 or _EARLIEST_EPOCH <= value < _LATEST_EPOCH:
            return result
        what = result.isoformat()
    raise ValidationError(
        f"{argument} {value!r} is not a meaningful time as seconds since the epoch "
        f"({what}); for a time before now use '3 days ago' or a timedelta, or give a "
        "date ('2026-11-01') or a datetime",
        argument=argument,
        value=value,
    )


def _check_combination(filters: Mapping[str, Any]) -> None:
    """Refuse the filter combinations SWF refuses, before any request."""
    exclusive = [name for name in _EXCLUSIVE if name in filters]
    if len(exclusive) > 1:
        raise ValidationError(
            f"SWF takes only one of tag, workflow_type_name, workflow_id and close_status per "
            f"listing; got {', '.join(f'{n}={filters[n]!r}' for n in exclusive)}",
            argument=exclusive[-1],
            value=filters[exclusive[-1]],
        )
    if "workflow_type_version" in filters and "workflow_type_name" not in filters:
        raise ValidationError(
            f"workflow_type_version {shorten(filters['workflow_type_version'])} needs "
            "workflow_type_name",
            argument="workflow_type_version",
            value=filters["workflow_type_version"],
        )
    starts = [n for n in _DATE_FILTERS[:2] if n in filters]
    closes = [n for n in _DATE_FILTERS[2:] if n in filters]
    if starts and closes:
        raise ValidationError(
            f"SWF filters on start dates or on close dates, not both; got {starts[0]} and "
            f"{closes[0]}",
            argument=closes[0],
            value=filters[closes[0]],
        )
    closed_only = [n for n in ("close_status", *_DATE_FILTERS[2:]) if n in filters]
    if closed_only and filters.get("status") == constants.OPEN:
        raise ValidationError(
            f"{closed_only[0]} applies to closed executions only, and status is 'OPEN'",
            argument=closed_only[0],
            value=filters[closed_only[0]],
        )
    for prefix in ("start", "close"):
        oldest = filters.get(f"{prefix}_oldest_date")
        latest = filters.get(f"{prefix}_latest_date")
        if oldest is not None and latest is not None and oldest > latest:
            raise ValidationError(
                f"{prefix}_oldest_date {oldest.isoformat()} is after {prefix}_latest_date "
                f"{latest.isoformat()}",
                argument=f"{prefix}_oldest_date",
                value=oldest,
            )


def _predicate(filters: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool] | None:
    """A check of the filters on a raw ``WorkflowExecutionInfo`` (None when there are none)."""
    checks: list[Callable[[Mapping[str, Any]], bool]] = []
    f = filters
    if "start_oldest_date" in f:
        start_oldest = f["start_oldest_date"]
        checks.append(lambda i: i["startTimestamp"] >= start_oldest)
    if "start_latest_date" in f:
        start_latest = f["start_latest_date"]
        checks.append(lambda i: i["startTimestamp"] <= start_latest)
    if "close_oldest_date" in f:
        close_oldest = f["close_oldest_date"]
        checks.append(lambda i: i.get("closeTimestamp") is not None)
        checks.append(lambda i: i["closeTimestamp"] >= close_oldest)
    if "close_latest_date" in f:
        close_latest = f["close_latest_date"]
        checks.append(lambda i: i.get("closeTimestamp") is not None)
        checks.append(lambda i: i["closeTimestamp"] <= close_latest)
    if "close_status" in f:
        close_status = f["close_status"]
        checks.append(lambda i: i.get("closeStatus") == close_status)
    if "workflow_type_name" in f:
        type_name = f["workflow_type_name"]
        checks.append(lambda i: i["workflowType"]["name"] == type_name)
    if "workflow_type_version" in f:
        type_version = f["workflow_type_version"]
        checks.append(lambda i: i["workflowType"]["version"] == type_version)
    if "tag" in f:
        tag = f["tag"]
        checks.append(lambda i: tag in i.get("tagList", ()))
    if "workflow_id" in f:
        workflow_id = f["workflow_id"]
        checks.append(lambda i: i["execution"]["workflowId"] == workflow_id)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]

    def keep(info: Mapping[str, Any]) -> bool:  # a loop: no generator per item
        for check in checks:  # noqa: SIM110
            if not check(info):
                return False
        return True

    return keep
