"""Run an actor in several processes, and replace the ones that die.

One actor polls one task list at a time; to use several CPUs (or to keep polling while a long
task runs), run N of them, each in its own process::

    from swf.actors.pool import ActorPool

    pool = ActorPool(MyWorker, "media", "images", processes=4)
    pool.run()      # until SIGTERM, SIGINT or pool.stop(); returns the children's exit codes

This is what ``swf worker start --processes N`` (and ``swf decider start``) runs.

Each child builds its own actor, ``actor_class(domain, task_list, identity=..., client=...)``,
with its own connection (a boto3 client is not shared across processes), and runs
:meth:`~swf.actors.Actor.start`.

The parent supervises:

- A child that exits with an error or is killed (a crash, the OOM killer, ``kill -9``) is
  replaced. A child that had run at least ``min_uptime`` seconds is replaced at once. One that
  dies sooner is replaced after a pause that doubles with each early death in a row
  (``restart_delay``, twice that, ... up to ``max_restart_delay``): a child that crashes at
  start-up (a bad configuration, say) is retried once every ``max_restart_delay`` seconds
  (60 by default), with a warning on the ``swf.actors`` logger each time, until the pool is
  stopped; it never spins.
- A child that exits cleanly (status 0: someone stopped that one alone) is not replaced. The
  pool ends when no child is left.
- SIGTERM or SIGINT to the parent (or :meth:`ActorPool.stop`) sends SIGTERM to every child;
  each finishes the task in hand, then exits, and :meth:`ActorPool.run` returns once all
  have.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from swf.actors.actor import Actor
from swf.core import Connection
from swf.exceptions import InvalidTypeError, ValidationError

__all__ = ["ActorPool"]

logger = logging.getLogger("swf.actors")

#: How often, at most, the parent looks at its children when nothing happens.
_TICK = 1.0


def _run_child(
    actor_class: Callable[..., Actor],
    domain: str,
    task_list: str,
    identity: str | None,
    settings: Mapping[str, Any] | None,
) -> None:
    """A child process's target: build the actor, run it until it is stopped."""
    # A forked child inherits the parent's handlers, which would act on the siblings. Until
    # the actor installs its own (and after it restores these on its way out), a stop just
    # ends the child, cleanly: it has no task in hand.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _exit_cleanly)
    client = None if settings is None else Connection(**settings)
    actor_class(domain, task_list, identity=identity, client=client).start()


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _how_it_ended(exitcode: int) -> str:
    if exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


class _Slot:
    """One of the pool's places: the child in it now, and its history of early deaths."""

    __slots__ = (
        "child",
        "early_deaths",
        "exitcode",
        "number",
        "restart_at",
        "started_at",
        "stop_sent",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.child: BaseProcess | None = None  # while one runs
        self.started_at = 0.0
        self.early_deaths = 0
        self.restart_at: float | None = None
        self.exitcode: int | None = None
        # SIGTERM goes to each child once: a second one could land after the actor restored
        # the default handler on its way out, and kill it.
        self.stop_sent = False


class ActorPool:
    """N processes, each running one actor; a child that dies is replaced.

    Args:
        actor_class: the actor to run: a :class:`~swf.actors.Decider` or
            :class:`~swf.actors.ActivityWorker` subclass, or any callable taking
            ``(domain, task_list, identity=..., client=...)`` and returning an
            :class:`~swf.actors.Actor` (a ``functools.partial`` binding more options works).
            With the ``spawn`` or ``forkserver`` start method it must be importable
            (defined at the top level of a module).
        domain: the domain's name.
        task_list: the task list every child polls.
        processes: how many children.
        identity: the identity SWF records; child ``n`` (from 0) gets ``"<identity>-<n>"``
            (default: each actor's own, ``"host:pid"``).
        settings: keyword arguments of the :class:`~swf.core.Connection` each child builds
            (``region=``, ``endpoint_url=``...); None: the default connection of
            :mod:`swf.settings`.
        restart_delay: the first pause before replacing a child that died early.
        max_restart_delay: the longest pause (early deaths in a row double it up to this).
        min_uptime: a child that ran this long before dying is replaced at once, and its
            slot's count of early deaths starts again.
        start_method: the :mod:`multiprocessing` start method (``'fork'``, ``'spawn'``,
            ``'forkserver'``); None: the platform's default.

    Attributes:
        restarts: how many children were replaced so far.
    """

    def __init__(
        self,
        actor_class: Callable[..., Actor],
        domain: str,
        task_list: str,
        *,
        processes: int = 1,
        identity: str | None = None,
        settings: Mapping[str, Any] | None = None,
        restart_delay: float = 1.0,
        max_restart_delay: float = 60.0,
        min_uptime: float = 10.0,
        start_method: str | None = None,
    ) -> None:
        if isinstance(processes, bool) or not isinstance(processes, int):
            raise InvalidTypeError(
                f"processes must be an int, got {processes!r:.80}",
                argument="processes",
                value=processes,
            )
        if processes < 1:
            raise ValidationError(
                f"processes must be at least 1, got {processes}",
                argument="processes",
                value=processes,
            )
        self.actor_class = actor_class
        self.domain = domain
        self.task_list = task_list
        self.processes = processes
        self.identity = identity
        self.settings = None if settings is None else dict(settings)
        self.restart_delay = restart_delay
        self.max_restart_delay = max_restart_delay
        self.min_uptime = min_uptime
        self.restarts = 0
        # typeshed's BaseContext has no Process; every concrete context (fork, spawn...) has.
        self._context: Any = multiprocessing.get_context(start_method)
        self._slots = [_Slot(n) for n in range(processes)]
        self._stopping = threading.Event()
        # Reentrant: stop() runs in signal handlers, which may interrupt the main thread
        # while it holds the lock.
        self._lock = threading.RLock()
        self._previous_handlers: dict[int, Any] = {}
        self._name = getattr(actor_class, "__name__", type(actor_class).__name__)

    def __repr__(self) -> str:
        return (
            f"<ActorPool {self._name} x {self.processes} domain={self.domain!r} "
            f"task_list={self.task_list!r} pids={self.pids}>"
        )

    @property
    def pids(self) -> list[int]:
        """The process ids of the children running now, by slot."""
        with self._lock:
            return [
                slot.child.pid
                for slot in self._slots
                if slot.child is not None and slot.child.pid is not None
            ]

    @property
    def stopping(self) -> bool:
        """Whether a stop was asked for (the children are finishing their tasks in hand)."""
        return self._stopping.is_set()

    def run(self) -> list[int | None]:
        """Start the children and supervise them until the pool is stopped.

        Returns:
            The exit status of each slot's last child, as :meth:`wait` gives it (0 when it
            stopped cleanly, negative when a signal killed it).
        """
        self.start()
        return self.wait()

    def start(self) -> None:
        """Start the children (and, in the main thread, handle SIGTERM and SIGINT); no wait."""
        if threading.current_thread() is threading.main_thread():
            owner = os.getpid()

            def handler(signum: int, frame: FrameType | None) -> None:
                if os.getpid() != owner:  # a child just forked, before _run_child's handlers
                    raise SystemExit(0)
                logger.info(
                    "%r: %s received, stopping the children after their tasks in hand",
                    self,
                    signal.Signals(signum).name,
                )
                self.stop()

            for signum in (signal.SIGTERM, signal.SIGINT):
                self._previous_handlers[signum] = signal.signal(signum, handler)
        try:
            for slot in self._slots:
                self._spawn(slot)
        except BaseException:
            # One did not start (the class cannot be pickled for spawn, say): take the others
            # down and give the handlers back, rather than leave half a pool behind.
            self.stop()
            self.wait()
            raise

    def stop(self) -> None:
        """Stop replacing children and send each SIGTERM: it finishes its task, then exits.

        Thread-safe, and safe to call from a signal handler.
        """
        self._stopping.set()
        with self._lock:
            for slot in self._slots:
                if slot.child is not None and not slot.stop_sent and slot.child.is_alive():
                    slot.stop_sent = True
                    slot.child.terminate()

    def wait(self) -> list[int | None]:
        """Supervise the children until none is left: replace the ones that die early.

        Returns:
            The exit status of each slot's last child (None when the slot never ran one).
        """
        try:
            while True:
                now = time.monotonic()
                self._reap(now)
                if self._stopping.is_set():
                    self.stop()  # again: for a child started as the stop came in
                    if not self._running():
                        break
                else:
                    self._restart_due(now)
                    if not self._running() and not self._scheduled():
                        break
                sentinels = [s.child.sentinel for s in self._slots if s.child is not None]
                multiprocessing.connection.wait(sentinels, timeout=self._timeout())
        finally:
            if threading.current_thread() is threading.main_thread():
                for signum, previous in self._previous_handlers.items():
                    signal.signal(signum, previous)
            self._previous_handlers.clear()
        return [slot.exitcode for slot in self._slots]

    # -- supervision ------------------------------------------------------------------------

    def _spawn(self, slot: _Slot) -> BaseProcess:
        identity = f"{self.identity}-{slot.number}" if self.identity else None
        child = self._context.Process(
            target=_run_child,
            args=(self.actor_class, self.domain, self.task_list, identity, self.settings),
            name=f"{self._name}-{slot.number}",
        )
        child.start()
        with self._lock:
            slot.child = child
            slot.started_at = time.monotonic()
            slot.restart_at = None
            slot.stop_sent = False
        return child

    def _reap(self, now: float) -> None:
        for slot in self._slots:
            child = slot.child
            if child is None or child.exitcode is None:
                continue
            child.join()
            with self._lock:
                slot.child = None
            slot.exitcode = child.exitcode
            if child.exitcode == 0 or self._stopping.is_set():
                continue  # stopped on purpose: not replaced
            uptime = now - slot.started_at
            if uptime >= self.min_uptime:
                slot.early_deaths = 0
                delay = 0.0
            else:
                slot.early_deaths += 1
                delay = min(
                    self.restart_delay * 2.0 ** (slot.early_deaths - 1), self.max_restart_delay
                )
            slot.restart_at = now + delay
            logger.warning(
                "%s (pid %s) %s after %.1f s; replacing it %s",
                child.name,
                child.pid,
                _how_it_ended(child.exitcode),
                uptime,
                f"in {delay:g} s" if delay else "now",
            )

    def _restart_due(self, now: float) -> None:
        for slot in self._slots:
            if slot.child is None and slot.restart_at is not None and slot.restart_at <= now:
                child = self._spawn(slot)
                self.restarts += 1
                logger.info("%s replaced: pid %s", child.name, child.pid)

    def _running(self) -> bool:
        return any(slot.child is not None for slot in self._slots)

    def _scheduled(self) -> bool:
        return any(slot.restart_at is not None for slot in self._slots)

    def _timeout(self) -> float:
        due = [s.restart_at for s in self._slots if s.child is None and s.restart_at is not None]
        if not due or self._stopping.is_set():
            return _TICK
        return max(0.0, min(min(due) - time.monotonic(), _TICK))
