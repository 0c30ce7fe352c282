"""The local endpoint's runtime: one lock, long-poll wake-ups, a deadline scheduler, Lambdas.

Everything the extensions of moto's SWF backend share lives here, per process (moto's backends
are per process too: ``mock_aws`` and the server of :class:`~swf.local.LocalSWF` use the same):

- :data:`LOCK` serializes every SWF call and every timer or timeout that fires, so that moto's
  models (which have no locking of their own) are only ever changed by one thread.
- A condition per (domain, kind, task list) wakes the long polls waiting on that task list as
  soon as a task is scheduled there; :func:`end_polls` ends them all (reset, stop).
- One daemon thread fires deadlines (activity, decision-task and workflow timeouts) at their
  time, with no API call needed.
- Lambda functions: Python callables registered under a function name run, in a thread, for
  ``ScheduleLambdaFunction`` decisions.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

logger = logging.getLogger("swf.local")

#: SWF's long-poll timeout, in seconds.
SWF_POLL_TIMEOUT = 60.0

#: Serializes every change to moto's SWF models (API calls, timers, timeouts, Lambdas).
LOCK = threading.RLock()


class _Settings:
    """Process-wide settings of the local endpoint (moto's backends are process-wide)."""

    poll_timeout: float = SWF_POLL_TIMEOUT


SETTINGS = _Settings()


def poll_timeout() -> float:
    """Seconds a poll of a local endpoint of this process waits for a task (set by
    :func:`~swf.local.install`)."""
    return SETTINGS.poll_timeout


# -- long polling -----------------------------------------------------------------------------

_conditions: dict[tuple[str, ...], threading.Condition] = {}
#: Bumped by :func:`end_polls`: a poll that began before the bump ends, empty.
_poll_epoch = 0
#: Polls waiting now (for tests and diagnostics).
_waiting = 0


def condition(key: tuple[str, ...]) -> threading.Condition:
    """The condition (on :data:`LOCK`) of one task list; call with :data:`LOCK` held."""
    found = _conditions.get(key)
    if found is None:
        found = _conditions[key] = threading.Condition(LOCK)
    return found


def notify(key: tuple[str, ...]) -> None:
    """Wake one poll waiting on the task list ``key`` (a task was scheduled there)."""
    found = _conditions.get(key)
    if found is not None:
        with LOCK:  # held already by every caller of the endpoint; re-entrant
            found.notify()


def wait_for(key: tuple[str, ...], find: Callable[[], Any], timeout: float | None = None) -> Any:
    """Long-poll: ``find()`` until it returns a task, waiting on ``key`` between tries.

    Call with :data:`LOCK` held (it is released while waiting). Returns None when ``timeout``
    (default: the configured poll timeout) passes, or when :func:`end_polls` is called.
    """
    global _waiting
    epoch = _poll_epoch
    deadline = time.monotonic() + (SETTINGS.poll_timeout if timeout is None else timeout)
    cond = condition(key)
    while True:
        task = find()
        if task is not None:
            # another poll on this list may find the next task: pass the wake-up on
            cond.notify()
            return task
        remaining = deadline - time.monotonic()
        if remaining <= 0 or epoch != _poll_epoch:
            return None
        _waiting += 1
        try:
            cond.wait(remaining)
        finally:
            _waiting -= 1


def waiting_polls() -> int:
    """How many polls are waiting for a task now, in this process."""
    with LOCK:
        return _waiting


def end_polls() -> None:
    """End every long poll pending on the local endpoint in this process; each answers as an
    empty poll does (no task). For stopping actors without waiting out their polls."""
    global _poll_epoch
    with LOCK:
        _poll_epoch += 1
        for cond in _conditions.values():
            cond.notify_all()


# -- deadlines --------------------------------------------------------------------------------


class Deadline:
    """One pending call of the scheduler; :meth:`cancel` drops it."""

    __slots__ = ("callback", "canceled", "epoch", "when")

    def __init__(self, when: float, callback: Callable[[], None], epoch: int) -> None:
        self.when = when
        self.callback = callback
        self.canceled = False
        self.epoch = epoch

    def cancel(self) -> None:
        """Do not run it (a no-op once it ran)."""
        self.canceled = True


class _Scheduler:
    """Runs callbacks at wall-clock times on one daemon thread, holding :data:`LOCK`."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._counter = itertools.count()
        self._wake = threading.Condition(LOCK)
        self._thread: threading.Thread | None = None
        #: Bumped by :meth:`clear`: deadlines of a reset backend never run.
        self.epoch = 0

    def at(self, when: float, callback: Callable[[], None]) -> Deadline:
        """Run ``callback`` (holding :data:`LOCK`) at ``when`` (seconds since the epoch)."""
        with LOCK:
            deadline = Deadline(when, callback, self.epoch)
            first = not self._heap or when < self._heap[0][0]
            heapq.heappush(self._heap, (when, next(self._counter), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="swf-local-deadlines", daemon=True
                )
                self._thread.start()
            elif first:
                self._wake.notify()
            return deadline

    def clear(self) -> None:
        """Forget every pending deadline (the backend was reset)."""
        with LOCK:
            self.epoch += 1
            self._heap.clear()
            self._wake.notify()

    def _run(self) -> None:
        with LOCK:
            while True:
                now = time.time()
                while self._heap and self._heap[0][0] <= now:
                    _, _, deadline = heapq.heappop(self._heap)
                    if deadline.canceled or deadline.epoch != self.epoch:
                        continue
                    try:
                        deadline.callback()
                    except Exception:  # a bug here must not stop every later timeout
                        logger.exception("swf.local: a deadline callback failed")
                wait = self._heap[0][0] - time.time() if self._heap else None
                self._wake.wait(wait)


SCHEDULER = _Scheduler()

# -- Lambda functions -------------------------------------------------------------------------

#: A local "Lambda function": called with the task's input (or None), returns its result.
LambdaFunction = Callable[[str | None], Any]

_lambdas: dict[str, LambdaFunction] = {}


def register_lambda(name: str, function: LambdaFunction) -> None:
    """Run ``function`` for the ``ScheduleLambdaFunction`` decisions naming ``name``.

    Without one, the local endpoint answers such a decision with
    ``ScheduleLambdaFunctionFailed``, as SWF does for an execution that cannot invoke Lambda.
    ``function`` receives the decision's ``input`` (a string, or None) and returns the result
    (converted with ``str``; None for no result); an exception it raises fails the Lambda task
    (``LambdaFunctionFailed``, with the exception as reason and details). It runs in a thread
    of its own, bounded by the decision's ``startToCloseTimeout`` (default 300 s), past which
    the task times out (``LambdaFunctionTimedOut``). Registrations are per process.

    Args:
        name: the function name the decisions use (1 to 64 characters).
        function: the callable.
    """
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        raise ValueError(f"a Lambda function name has 1 to 64 characters, got {name!r}")
    if not callable(function):
        raise TypeError(f"{name!r}: a Lambda function must be callable, got {function!r}")
    with LOCK:
        _lambdas[name] = function


def unregister_lambda(name: str) -> None:
    """Forget the function registered under ``name`` (a no-op when there is none)."""
    with LOCK:
        _lambdas.pop(name, None)


def registered_lambdas() -> Mapping[str, LambdaFunction]:
    """The functions registered (a copy)."""
    with LOCK:
        return dict(_lambdas)


def lambda_function(name: str) -> LambdaFunction | None:
    """The function registered under ``name``, if any."""
    return _lambdas.get(name)
