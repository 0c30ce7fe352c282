"""The activity worker: polls activity tasks, runs :meth:`ActivityWorker.process`, answers."""

from __future__ import annotations

import abc
import json
import time
import traceback
from typing import Any, Literal

import attrs

from swf import constants
from swf.actors.actor import Actor, TaskOutcome, TaskReport
from swf.exceptions import (
    DoesNotExistError,
    InvalidTypeError,
    PollTimeout,
    SWFError,
    TaskClosedError,
    ValidationError,
)
from swf.models import ActivityType, WorkflowExecution
from swf.validation import check_identity, check_payload, check_task_token, truncate

__all__ = ["ActivityTask", "ActivityWorker"]


@attrs.define(eq=False)
class ActivityTask:
    """An activity task received by a worker; it answers through its methods.

    Attributes:
        token: the task token.
        activity_id: the activity's id in its execution.
        activity_type: an :class:`~swf.models.ActivityType`.
        input: the input given when scheduling (None when there was none).
        execution: the :class:`~swf.models.WorkflowExecution` it belongs to.
        started_event_id: the id of its ``ActivityTaskStarted`` event.
        worker: the worker that polled it.
        closed: whether this task was answered (completed, failed or canceled) through it.
        answer: how it was answered through it: ``"completed"``, ``"failed"``,
            ``"canceled"``, or None.
    """

    token: str
    activity_id: str
    activity_type: ActivityType
    input: str | None
    execution: WorkflowExecution
    started_event_id: int
    worker: ActivityWorker = attrs.field(repr=False)
    closed: bool = attrs.field(default=False, init=False)
    answer: Literal["completed", "failed", "canceled"] | None = attrs.field(
        default=None, init=False
    )

    @property
    def workflow_id(self) -> str:
        """The workflow id of the execution."""
        return self.execution.workflow_id

    def heartbeat(self, details: str | None = None) -> bool:
        """Report progress; see :meth:`ActivityWorker.heartbeat`.

        Returns:
            Whether cancellation of the task was requested.

        Raises:
            TaskClosedError: the task is closed already (timed out, canceled...).
        """
        return self.worker.heartbeat(self.token, details)

    def complete(self, result: str | None = None) -> None:
        """Complete the task with ``result``; see :meth:`ActivityWorker.complete`."""
        self.worker.complete(self.token, result)
        self.closed, self.answer = True, "completed"

    def fail(self, reason: str | None = None, details: str | None = None) -> None:
        """Fail the task; see :meth:`ActivityWorker.fail`."""
        self.worker.fail(self.token, reason, details)
        self.closed, self.answer = True, "failed"

    def cancel(self, details: str | None = None) -> None:
        """Acknowledge a cancellation request; see :meth:`ActivityWorker.cancel`."""
        self.worker.cancel(self.token, details)
        self.closed, self.answer = True, "canceled"


def _token(task_token: Any) -> str:
    return check_task_token(task_token)


def _result_text(result: Any) -> str | None:
    """What :meth:`ActivityWorker.process` returned, as the task's result string."""
    if result is None or isinstance(result, str):
        return result
    try:
        return json.dumps(result)
    except (TypeError, ValueError) as exc:
        raise InvalidTypeError(
            f"process() returned a {type(result).__name__} that is neither a string nor "
            f"JSON-serialisable: {exc}",
            argument="result",
            value=result,
        ) from None


class ActivityWorker(Actor):
    """Polls activity tasks of a task list and runs :meth:`process` on each.

    Subclass it and implement :meth:`process`::

        class Resizer(ActivityWorker):
            def process(self, task):
                return resize(task.input)       # completes the task with this result

        Resizer(domain, "resize").start()

    An exception in :meth:`process` fails the task (the exception as reason, its traceback as
    details, both cut to SWF's limits) and the worker goes on with the next task.
    """

    def poll(self, task_list: str | None = None, identity: str | None = None) -> ActivityTask:
        """Long-poll for an activity task.

        Returns:
            The :class:`ActivityTask`.

        Raises:
            PollTimeout: no task came within the long poll (about 60 s; 1 s on moto).
            SWFError: the request failed.
        """
        name = self._task_list_name(task_list)
        response = self.connection.call(
            "PollForActivityTask",
            domain=self.domain_name,
            taskList={"name": name},
            identity=check_identity(identity) or self.identity,
        )
        if not response.get("taskToken"):
            raise PollTimeout(
                f"no activity task on task list {name!r} in domain {self.domain_name!r}"
            )
        raw_type = response["activityType"]
        raw_execution = response["workflowExecution"]
        task = ActivityTask(
            token=response["taskToken"],
            activity_id=response["activityId"],
            activity_type=ActivityType(
                self.domain, raw_type["name"], raw_type["version"], client=self.connection
            ),
            input=response.get("input"),
            execution=WorkflowExecution(
                self.domain,
                raw_execution["workflowId"],
                raw_execution["runId"],
                client=self.connection,
            ),
            started_event_id=int(response.get("startedEventId") or 0),
            worker=self,
        )
        self.logger.debug("%r: activity task %r of %r", self, task.activity_id, task.workflow_id)
        return task

    def _respond(self, operation: str, task_token: str, **params: Any) -> dict[str, Any]:
        try:
            return self.connection.call(operation, taskToken=task_token, **params)
        except DoesNotExistError as exc:
            raise TaskClosedError(
                f"activity task {task_token[:12]}... is closed (timed out, canceled or "
                f"answered): {exc}"
            ) from exc

    def complete(self, task_token: str, result: str | None = None) -> None:
        """Complete a task (``RespondActivityTaskCompleted``).

        Raises:
            ValidationError: ``result`` is not a string or is over 32,768 characters.
            TaskClosedError: the task is closed already.
            SWFError: the request failed otherwise.
        """
        self._respond(
            "RespondActivityTaskCompleted",
            _token(task_token),
            result=check_payload(result, "result"),
        )

    def fail(self, task_token: str, reason: str | None = None, details: str | None = None) -> None:
        """Fail a task (``RespondActivityTaskFailed``).

        Raises:
            ValidationError: ``reason`` over 256 or ``details`` over 32,768 characters.
            TaskClosedError: the task is closed already.
            SWFError: the request failed otherwise.
        """
        self._respond(
            "RespondActivityTaskFailed",
            _token(task_token),
            reason=check_payload(reason, "reason", max_length=constants.MAX_REASON_LENGTH),
            details=check_payload(details, "details"),
        )

    def cancel(self, task_token: str, details: str | None = None) -> None:
        """Acknowledge a cancellation request (``RespondActivityTaskCanceled``).

        Raises:
            ValidationError: ``details`` over 32,768 characters.
            TaskClosedError: the task is closed already.
            SWFError: the request failed otherwise (moto does not implement this call).
        """
        self._respond(
            "RespondActivityTaskCanceled",
            _token(task_token),
            details=check_payload(details, "details"),
        )

    def heartbeat(self, task_token: str, details: str | None = None) -> bool:
        """Report that the task is alive (``RecordActivityTaskHeartbeat``).

        Returns:
            Whether cancellation of the task was requested (then :meth:`cancel` it).

        Raises:
            ValidationError: ``details`` over 2,048 characters.
            TaskClosedError: the task is closed already (timed out, canceled or answered):
                stop working on it. The run loop catches it.
            SWFError: the request failed otherwise.
        """
        response = self._respond(
            "RecordActivityTaskHeartbeat",
            _token(task_token),
            details=check_payload(
                details, "details", max_length=constants.MAX_HEARTBEAT_DETAILS_LENGTH
            ),
        )
        return bool(response.get("cancelRequested"))

    @abc.abstractmethod
    def process(self, task: ActivityTask) -> Any:
        """Do the work of an activity task.

        Args:
            task: the task: ``task.input``, ``task.activity_type``, ``task.heartbeat()``.

        Returns:
            The result, a string, or None for no result, or anything ``json.dumps`` accepts
            (sent as JSON). The run loop completes the task with it, unless ``process``
            already answered through ``task.complete``/``fail``/``cancel``.

        Raises:
            TaskClosedError: from ``task.heartbeat()`` when the task is closed already; the
                run loop logs it and moves on.
            Exception: anything else fails the task, with ``str(exc)`` as reason and the
                traceback as details (cut to 256 and 32,768 characters).
        """

    def run_once(self) -> TaskReport:
        """Poll one activity task, process it and answer.

        An exception in :meth:`process`, or a result SWF would refuse (not text, over 32,768
        characters), fails the task. When the answer cannot be sent (the endpoint fails after
        botocore's retries), the task is left to time out: a transport error is not the
        activity's failure.

        Returns:
            A :class:`~swf.actors.TaskReport`: ``completed``, ``failed`` (with the reason),
            ``canceled`` (:meth:`process` acknowledged a cancel request), ``closed`` (the task
            was closed already) or ``not_answered`` (the answer could not be sent).

        Raises:
            PollTimeout: the poll returned no task.
            SWFError: the poll itself failed.
        """
        task = self.poll()
        started = time.monotonic()
        outcome, detail = self._handle(task)
        return self._report(
            TaskReport(
                "activity",
                task.workflow_id,
                task.execution.run_id,
                outcome,
                time.monotonic() - started,
                activity_id=task.activity_id,
                detail=detail,
            )
        )

    def _handle(self, task: ActivityTask) -> tuple[TaskOutcome, str | None]:
        try:
            result = _result_text(self.process(task))
        except TaskClosedError as exc:
            return self._closed(task, exc)
        except Exception as exc:
            return self._fail_task(task, exc)
        if task.closed:  # process() answered itself
            return task.answer or "completed", None
        try:
            task.complete(result)
        except TaskClosedError as exc:
            return self._closed(task, exc)
        except ValidationError as exc:  # the result itself is refused (too large)
            return self._fail_task(task, exc)
        except SWFError as exc:
            # The endpoint failed (after botocore's retries): not the activity's failure.
            self.logger.error(
                "%r: could not complete activity %r of workflow %r (%s); it will time out",
                self,
                task.activity_id,
                task.workflow_id,
                exc,
            )
            return "not_answered", str(exc)
        return "completed", None

    def _closed(self, task: ActivityTask, exc: TaskClosedError) -> tuple[TaskOutcome, None]:
        self.logger.warning(
            "%r: activity %r of workflow %r: %s", self, task.activity_id, task.workflow_id, exc
        )
        return "closed", None

    def _fail_task(self, task: ActivityTask, exc: Exception) -> tuple[TaskOutcome, str | None]:
        self.logger.debug(
            "%r: activity %r of workflow %r failed: %r",
            self,
            task.activity_id,
            task.workflow_id,
            exc,
        )
        reason = truncate(str(exc) or type(exc).__name__, constants.MAX_REASON_LENGTH)
        details = truncate(traceback.format_exc(), constants.MAX_INPUT_LENGTH)
        try:
            task.fail(reason, details)
        except TaskClosedError as closed:
            self.logger.warning("%r: %s", self, closed)
            return "closed", reason
        except Exception:
            self.logger.exception(
                "%r: could not fail activity %r of workflow %r; it will time out",
                self,
                task.activity_id,
                task.workflow_id,
            )
            return "not_answered", reason
        return "failed", reason
