"""The base of deciders and activity workers: identity, logging, the run loop, signals."""

from __future__ import annotations

import abc
import logging
import os
import signal
import socket
import threading
import time
from types import FrameType
from typing import Any, Literal

import attrs

from swf import constants
from swf.core import ClientLike, ConnectedSWFObject
from swf.exceptions import InvalidTypeError, PollTimeout, SWFError
from swf.validation import check_identity, check_name, truncate

__all__ = ["Actor", "TaskOutcome", "TaskReport"]

#: What became of a task an actor handled (:attr:`TaskReport.outcome`):
#:
#: - ``completed``: answered (a decision task with its decisions, an activity with its result);
#: - ``failed``: an activity whose ``process`` raised, failed with the exception; a workflow
#:   failed because ``decide`` raised (``Decider.fail_on_error``);
#: - ``canceled``: an activity that acknowledged a cancel request;
#: - ``decide_failed``: ``decide`` raised; the decision task is left to time out;
#: - ``closed``: the task was closed already (timed out, canceled, answered elsewhere);
#: - ``not_answered``: the answer could not be sent (the endpoint failed after botocore's
#:   retries); the task will time out.
TaskOutcome = Literal["completed", "failed", "canceled", "decide_failed", "closed", "not_answered"]


@attrs.frozen
class TaskReport:
    """What :meth:`Actor.run_once` did with the task it polled; always true.

    ``str(report)`` is the one line the actors log per task (at INFO, on ``swf.actors``)::

        decision  wf-42 run 22bX...  completed  2 decisions  0.012s
        activity  wf-42 resize-1     failed     'boom'       1.250s

    Attributes:
        kind: ``"decision"`` or ``"activity"``.
        workflow_id: the execution's workflow id.
        run_id: its run id.
        activity_id: the activity id (activity tasks only).
        outcome: what became of the task (:data:`TaskOutcome`).
        seconds: how long handling it took, from the poll's answer to the answer sent.
        detail: a few words more: how many decisions, the failure reason, the error.
    """

    kind: Literal["decision", "activity"]
    workflow_id: str
    run_id: str | None
    outcome: TaskOutcome
    seconds: float
    activity_id: str | None = None
    detail: str | None = None

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        what = self.activity_id if self.activity_id is not None else f"run {self.run_id}"
        parts = [self.kind, self.workflow_id, what, self.outcome]
        if self.detail:
            parts.append(self.detail)
        parts.append(f"{self.seconds:.3f}s")
        return "  ".join(parts)


logger = logging.getLogger("swf.actors")

#: An empty poll that returns faster than this is followed by a short pause, so that an
#: endpoint without long polling can never make the loop spin (moto answers after ~1 s).
_MIN_POLL_SECONDS = 0.5
#: The longest pause after consecutive errors of the endpoint (botocore already retried).
_MAX_ERROR_PAUSE = 30.0


def _default_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Actor(ConnectedSWFObject, abc.ABC):
    """Something that polls an SWF task list and handles the tasks it gets.

    Subclasses implement :meth:`run_once`; users subclass :class:`~swf.actors.Decider` or
    :class:`~swf.actors.ActivityWorker` instead.

    Args:
        domain: the domain, a :class:`~swf.models.Domain` or its name.
        task_list: the task list to poll (required by :meth:`start`; ``poll`` may name one).
        identity: who polls, recorded in the history (default ``"host:pid"``, cut to 256).
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or None for the default.

    Attributes:
        domain: the :class:`~swf.models.Domain`.
        task_list: the task list polled by default.
        identity: the identity sent with each poll.
        logger: the ``swf.actors`` logger.
    """

    def __init__(
        self,
        domain: Any,
        task_list: str | None = None,
        *,
        identity: str | None = None,
        client: ClientLike = None,
    ) -> None:
        from swf.models import Domain

        super().__init__(client=client)
        if not isinstance(domain, Domain):
            domain = Domain(domain, client=self.connection)
        self.domain = domain
        self.domain_name = domain.name
        self.task_list = None if task_list is None else check_name(task_list, "task_list")
        self.identity = check_identity(identity) or truncate(
            _default_identity(), constants.MAX_IDENTITY_LENGTH
        )
        self.logger = logger
        self._stopping = threading.Event()
        self._running = False

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} domain={self.domain_name!r} task_list={self.task_list!r} "
            f"identity={self.identity!r}>"
        )

    def _task_list_name(self, task_list: str | None) -> str:
        name = task_list if task_list is not None else self.task_list
        if name is None:
            raise InvalidTypeError(
                f"{type(self).__name__} needs a task list: pass task_list= here or to the "
                "constructor",
                argument="task_list",
            )
        return check_name(name, "task_list")

    @property
    def is_running(self) -> bool:
        """Whether :meth:`start` is looping."""
        return self._running

    @property
    def stopping(self) -> bool:
        """Whether a stop was asked for (the loop ends after the task in hand)."""
        return self._stopping.is_set()

    def stop(self) -> None:
        """Ask the loop to end: the task in hand is finished first, then :meth:`start` returns.

        Thread-safe, and safe to call from a signal handler.
        """
        self._stopping.set()

    @abc.abstractmethod
    def run_once(self) -> TaskReport:
        """Poll once and handle the task received.

        Returns:
            A :class:`TaskReport`: which task, what became of it, how long it took (it is
            also logged, one line at INFO). Always true, so ``if actor.run_once():`` reads
            "a task was handled".

        Raises:
            PollTimeout: the poll returned no task (the loop just polls again).
            SWFError: the endpoint failed after botocore's retries (the loop logs it, pauses,
                then polls again). Errors of the task's own handling are dealt with inside.
        """

    def start(self) -> None:
        """Poll and handle tasks until :meth:`stop`, SIGTERM or SIGINT.

        In the main thread, SIGTERM and SIGINT handlers are installed for the duration of the
        loop (and the previous ones restored afterwards): the first signal lets the task in
        hand finish, then the loop ends; a second SIGINT raises ``KeyboardInterrupt``.
        """
        self._task_list_name(None)  # fail now, not at the first poll
        self._stopping.clear()
        self._running = True
        previous = self._install_signal_handlers()
        self.logger.info("%r started", self)
        errors = 0
        try:
            while not self._stopping.is_set():
                polled_at = time.monotonic()
                try:
                    self.run_once()
                    errors = 0
                except PollTimeout:
                    errors = 0
                    elapsed = time.monotonic() - polled_at
                    if elapsed < _MIN_POLL_SECONDS:
                        self._stopping.wait(_MIN_POLL_SECONDS - elapsed)
                except Exception as exc:
                    # botocore already retried what is retryable; pause (1, 2, 4... 30 s)
                    # rather than hammer a failing endpoint, and never let the loop die.
                    errors += 1
                    pause = min(2.0 ** (errors - 1), _MAX_ERROR_PAUSE)
                    self.logger.warning(
                        "%r: polling failed (%s: %s); polling again in %.0f s",
                        self,
                        type(exc).__name__,
                        exc,
                        pause,
                        exc_info=not isinstance(exc, SWFError),
                    )
                    self._stopping.wait(pause)
        finally:
            self._restore_signal_handlers(previous)
            self._running = False
            self.logger.info("%r stopped", self)

    def _report(self, report: TaskReport) -> TaskReport:
        """Log the one line of a handled task, and return it."""
        self.logger.info("%s", report)
        return report

    def _install_signal_handlers(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous: dict[int, Any] = {}

        def handler(signum: int, frame: FrameType | None) -> None:
            if signum == signal.SIGINT and self._stopping.is_set():
                raise KeyboardInterrupt
            self.logger.info(
                "%r: %s received, finishing the task in hand, then stopping",
                self,
                signal.Signals(signum).name,
            )
            self.stop()

        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, handler)
        return previous

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, Any]) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
