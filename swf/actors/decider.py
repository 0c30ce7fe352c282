"""The decider: polls decision tasks, asks :meth:`Decider.decide`, sends the decisions."""

from __future__ import annotations

import abc
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from swf import constants
from swf.actors.actor import Actor, TaskOutcome, TaskReport
from swf.exceptions import (
    DoesNotExistError,
    InvalidTypeError,
    PollTimeout,
    RateLimitExceededError,
    SWFError,
    TaskClosedError,
    TransportError,
    ValidationError,
)
from swf.models import WorkflowExecution, WorkflowType
from swf.models.decision import WorkflowExecutionDecision, check_decisions
from swf.models.event import Event
from swf.models.history import History
from swf.validation import check_identity, check_page_size, check_task_token, truncate

__all__ = ["Decider", "DecisionTask"]


@attrs.frozen
class DecisionTask:
    """A decision task, with the execution's whole history.

    Built by :meth:`Decider.poll`, by :class:`swf.replay.Replayer` and by the workflow
    engine's local executor, all through :meth:`from_history`.

    Attributes:
        token: the task token, for :meth:`Decider.complete`.
        history: the execution's history (every page) up to this task's
            ``DecisionTaskStarted`` event.
        execution: the workflow execution.
        workflow_type: its type.
        previous_started_event_id: the ``DecisionTaskStarted`` event of the previous decision
            task (None for the first one, or when SWF does not say).
        started_event_id: the ``DecisionTaskStarted`` event of this task.
    """

    token: str
    history: History
    execution: WorkflowExecution
    workflow_type: WorkflowType
    previous_started_event_id: int | None
    started_event_id: int

    @classmethod
    def from_history(
        cls,
        history: History,
        *,
        execution: WorkflowExecution,
        token: str = "",
        started_event_id: int | None = None,
        previous_started_event_id: int | None = None,
        workflow_type: WorkflowType | None = None,
    ) -> DecisionTask:
        """The decision task started at an event of ``history``, as a poll returns it.

        Args:
            history: the execution's history.
            execution: the workflow execution.
            token: the task token (empty for a task that is not SWF's: replay, local runs).
            started_event_id: the task's ``DecisionTaskStarted`` event (default: the last
                one); the history is cut just after it.
            previous_started_event_id: the ``DecisionTaskStarted`` of the previous decision
                task, as SWF tells it; by default found in the history (the start of the
                last completed decision task before this one).
            workflow_type: the execution's type (default: the execution's, else the
                history's ``WorkflowExecutionStarted``).

        Raises:
            ValidationError: ``started_event_id`` is not a ``DecisionTaskStarted`` event of
                the history, or the history has none.
        """
        position = _started_position(history, started_event_id)
        cut = history if position == len(history) - 1 else history[: position + 1]
        if previous_started_event_id is None:
            previous_started_event_id = _previous_started(cut)
        if workflow_type is None:
            workflow_type = execution.workflow_type
        if workflow_type is None:
            raw_type = cut.first.attributes.get("workflowType") or {}
            workflow_type = WorkflowType(
                execution.domain,
                raw_type.get("name", "unknown"),
                raw_type.get("version", "unknown"),
                client=execution.client,
            )
        return cls(
            token=token,
            history=cut,
            execution=execution,
            workflow_type=workflow_type,
            previous_started_event_id=previous_started_event_id,
            started_event_id=cut.last.id,
        )

    @property
    def workflow_id(self) -> str:
        """The execution's workflow id."""
        return self.execution.workflow_id

    @property
    def run_id(self) -> str:
        """The execution's run id."""
        return str(self.execution.run_id)

    @property
    def new_events(self) -> list[Event]:
        """The events since the previous decision task (all of them for the first task)."""
        after = self.previous_started_event_id or 0
        return [event for event in self.history if event.id > after]


def _started_position(history: History, started_event_id: int | None) -> int:
    """The position of the task's DecisionTaskStarted event in ``history``."""
    if started_event_id is not None and (
        isinstance(started_event_id, bool) or not isinstance(started_event_id, int)
    ):
        raise InvalidTypeError(
            f"started_event_id must be an event id (int), got {started_event_id!r}",
            argument="started_event_id",
            value=started_event_id,
        )
    for position in range(len(history) - 1, -1, -1):
        event = history[position]
        if started_event_id is not None and event.id != started_event_id:
            continue
        if event.event_type == "DecisionTaskStarted":
            return position
        break
    where = "" if started_event_id is None else f" at event {started_event_id}"
    raise ValidationError(
        f"no decision task started{where} in the history ({len(history)} events)",
        argument="started_event_id",
        value=started_event_id,
    )


def _previous_started(history: History) -> int | None:
    """The DecisionTaskStarted of the last completed decision task before the last event."""
    completed = {
        event.attributes.get("startedEventId")
        for event in history
        if event.event_type == "DecisionTaskCompleted"
    }
    for position in range(len(history) - 2, -1, -1):
        event = history[position]
        if event.event_type == "DecisionTaskStarted" and event.id in completed:
            return event.id
    return None


class Decider(Actor):
    """Polls decision tasks of a task list and answers each with the decisions of :meth:`decide`.

    Subclass it and implement :meth:`decide`::

        class Resize(Decider):
            def decide(self, task):
                compiled = task.history.compiled
                ...
                return [WorkflowExecutionDecision.complete(result="done")]

        Resize(domain, "deciders").start()

    :meth:`poll` and :meth:`complete` work on their own too.

    Attributes:
        fail_on_error: when :meth:`decide` raises, fail the workflow execution with the
            exception as reason (True), or only log it and let the decision task time out,
            so that a fixed decider can retry it (False, the default).
    """

    fail_on_error: ClassVar[bool] = False

    def poll(
        self,
        task_list: str | None = None,
        identity: str | None = None,
        maximum_page_size: int | None = None,
        *,
        reverse_order: bool = False,
    ) -> DecisionTask:
        """Long-poll for a decision task and fetch its whole history (every page).

        Args:
            task_list: the task list (default: the decider's).
            identity: who polls (default: the decider's identity).
            maximum_page_size: events per page (SWF's maximum, 1000, when omitted).
            reverse_order: ask SWF for the events newest first; the history is put back in
                event order either way.

        Returns:
            The :class:`DecisionTask`.

        Raises:
            PollTimeout: no task came within the long poll (about 60 s; 1 s on moto).
            SWFError: the request failed (a subclass says how).
        """
        task_list_name = self._task_list_name(task_list)
        params = {
            "domain": self.domain_name,
            "taskList": {"name": task_list_name},
            "identity": check_identity(identity) or self.identity,
            "reverseOrder": reverse_order or None,
        }
        page_size = check_page_size(maximum_page_size)
        pages = self.connection.paginate("PollForDecisionTask", params, page_size=page_size)
        first = next(pages, {})
        if not first.get("taskToken"):
            raise PollTimeout(
                f"no decision task on task list {task_list_name!r} in domain {self.domain_name!r}"
            )
        events: list[dict[str, Any]] = list(first.get("events") or ())
        for page in pages:
            events.extend(page.get("events") or ())
        if reverse_order:
            events.reverse()
        raw_type = first["workflowType"]
        raw_execution = first["workflowExecution"]
        workflow_type = WorkflowType(
            self.domain, raw_type["name"], raw_type["version"], client=self.connection
        )
        execution = WorkflowExecution(
            self.domain,
            raw_execution["workflowId"],
            raw_execution["runId"],
            workflow_type=workflow_type,
            client=self.connection,
        )
        task = DecisionTask.from_history(
            History.from_event_list(events),
            execution=execution,
            token=first["taskToken"],
            started_event_id=int(first["startedEventId"]),
            previous_started_event_id=first.get("previousStartedEventId") or None,
        )
        self.logger.debug(
            "%r: decision task for %r (%d events)", self, task.workflow_id, len(events)
        )
        return task

    def complete(
        self,
        task_token: str,
        decisions: Iterable[Mapping[str, Any]] | None = None,
        execution_context: str | None = None,
    ) -> None:
        """Send the decisions of a decision task (``RespondDecisionTaskCompleted``).

        Args:
            task_token: the task's token.
            decisions: the decisions (:mod:`swf.models.decision` builders, or plain dicts);
                none at all is a valid answer.
            execution_context: free data kept with the execution (at most 32,768 characters).

        Raises:
            InvalidDecisionError: more than 100 decisions, or something that is not a
                decision (nothing is sent).
            TaskClosedError: the task is closed already (it timed out, or was answered).
            SWFError: the request failed otherwise.
        """
        check_task_token(task_token)
        checked = check_decisions(decisions, execution_context=execution_context)
        try:
            self.connection.call(
                "RespondDecisionTaskCompleted",
                taskToken=task_token,
                decisions=checked,
                executionContext=execution_context,
            )
        except DoesNotExistError as exc:
            raise TaskClosedError(
                f"decision task {task_token[:12]}... is closed (timed out or answered): {exc}"
            ) from exc

    @abc.abstractmethod
    def decide(self, task: DecisionTask) -> Sequence[Mapping[str, Any]] | None:
        """Choose what to do next in the workflow execution of ``task``.

        Args:
            task: the decision task, with the whole history (``task.history.compiled``
                gives the state of every activity, timer, marker...).

        Returns:
            The decisions to send (builders of :mod:`swf.models.decision`), at most 100;
            an empty list or None sends none (the execution waits for its next event).

        Raises:
            Exception: anything. The run loop logs it with the workflow id and leaves the
                decision task to time out (SWF then schedules a new one), or fails the
                execution when :attr:`fail_on_error` is True.
        """

    def run_once(self) -> TaskReport:
        """Poll one decision task, decide and complete it.

        Returns:
            A :class:`~swf.actors.TaskReport`: ``completed`` (with the number of decisions),
            ``decide_failed`` (:meth:`decide` raised; the task is left to time out),
            ``failed`` (it raised and :attr:`fail_on_error` failed the workflow), ``closed``
            (the task was closed already) or ``not_answered`` (the answer could not be sent).

        Raises:
            PollTimeout: the poll returned no task.
            SWFError: the poll itself failed.
        """
        task = self.poll()
        started = time.monotonic()
        outcome: TaskOutcome
        try:
            decisions = self.decide(task)
            checked = check_decisions(decisions)
            self.complete(task.token, checked)
            outcome, detail = "completed", _count(len(checked))
        except TaskClosedError as exc:
            self.logger.warning("%r: workflow %r: %s", self, task.workflow_id, exc)
            outcome, detail = "closed", None
        except (TransportError, RateLimitExceededError) as exc:
            self.logger.error(
                "%r: could not answer the decision task of workflow %r (%s); it will time out",
                self,
                task.workflow_id,
                exc,
            )
            outcome, detail = "not_answered", str(exc)
        except Exception as exc:
            outcome, detail = self._on_decide_error(task, exc)
        return self._report(
            TaskReport(
                "decision",
                task.workflow_id,
                task.run_id,
                outcome,
                time.monotonic() - started,
                detail=detail,
            )
        )

    def _on_decide_error(self, task: DecisionTask, exc: Exception) -> tuple[TaskOutcome, str]:
        error = f"{type(exc).__name__}: {exc}"
        if not self.fail_on_error:
            self.logger.exception(
                "%r: deciding for workflow %r failed; the decision task is left to time out",
                self,
                task.workflow_id,
            )
            return "decide_failed", error
        self.logger.exception(
            "%r: deciding for workflow %r failed; failing the workflow", self, task.workflow_id
        )
        reason = truncate(error, constants.MAX_REASON_LENGTH)
        details = truncate(traceback.format_exc(), constants.MAX_INPUT_LENGTH)
        try:
            self.complete(task.token, [WorkflowExecutionDecision.fail(reason, details)])
        except SWFError:
            self.logger.exception(
                "%r: could not fail workflow %r; the decision task is left to time out",
                self,
                task.workflow_id,
            )
            return "decide_failed", error
        return "failed", error


def _count(decisions: int) -> str:
    return f"{decisions} decision{'' if decisions == 1 else 's'}"
