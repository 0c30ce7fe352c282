"""``swf decider start`` and ``swf worker start``: run your actors, in one process or several
(:class:`swf.actors.ActorPool`)."""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from swf.cli.app import CliState, cli, domain_option, fail, is_local_endpoint, pass_state

__all__ = ["load_class", "start_actors", "task_lines"]


def load_class(spec: str, base: type) -> type:
    """Import ``MODULE:CLASS`` (or ``MODULE.CLASS``) and check it subclasses ``base``.

    The current directory is importable, as with ``python -m``.
    """
    module_name, sep, class_name = spec.partition(":")
    if not sep:
        module_name, _, class_name = spec.rpartition(".")
    if not module_name or not class_name:
        raise click.BadParameter(f"{spec!r} is not MODULE:CLASS", param_hint="MODULE:CLASS")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise click.BadParameter(
            f"cannot import {module_name!r}: {exc}", param_hint="MODULE:CLASS"
        ) from exc
    found = getattr(module, class_name, None)
    if not isinstance(found, type) or not issubclass(found, base):
        raise click.BadParameter(
            f"{spec!r} is not a {base.__name__} subclass", param_hint="MODULE:CLASS"
        )
    return found


def start_actors(
    state: CliState,
    base: type,
    spec: str,
    domain: str | None,
    task_list: str,
    processes: int,
    identity: str | None,
) -> None:
    """Run MODULE:CLASS: in this process, or in a pool of ``processes`` children.

    The class is imported here first, so that a bad MODULE:CLASS fails before anything
    starts. Each child builds its own connection from ``--region`` and ``--endpoint-url``.
    """
    from swf.actors import ActorPool

    actor_class = load_class(spec, base)  # fail early, in the parent, on a bad MODULE:CLASS
    where = state.require_domain(domain)
    with task_lines(state.debug):
        if processes == 1:
            actor = actor_class(where, task_list, identity=identity, client=state.connection)
            click.echo(
                f"{actor_class.__name__} polling {where}/{task_list} (Ctrl-C stops it)", err=True
            )
            actor.start()  # handles SIGTERM and SIGINT: finishes the task in hand, returns
            return
        factory: Any = actor_class
        settings: dict[str, Any] | None = {
            name: value
            for name, value in (("region", state.region), ("endpoint_url", state.endpoint_url))
            if value
        }
        if state.endpoint_url and is_local_endpoint(state.endpoint_url):
            # Each child connects as `state.connection` does: with swf.local's handling.
            region = {"region": state.region} if state.region else {}
            factory = functools.partial(
                _local_actor, actor_class, state.endpoint_url, settings=region
            )
            factory.__name__ = actor_class.__name__  # what the pool's messages call it
            settings = None
        pool = ActorPool(
            factory,
            where,
            task_list,
            processes=processes,
            identity=identity,
            settings=settings,
        )
        pool.start()  # SIGTERM and SIGINT now stop the children, after their tasks in hand
        click.echo(
            f"{processes} x {actor_class.__name__} polling {where}/{task_list} "
            f"(pids {', '.join(str(pid) for pid in pool.pids)}; Ctrl-C or SIGTERM stops them)",
            err=True,
        )
        codes = pool.wait()
    failed = [code for code in codes if code not in (0, None)]
    if failed:
        fail(f"{len(failed)} of {processes} processes exited with an error")


def _local_actor(
    actor_class: type,
    endpoint_url: str,
    domain: str,
    task_list: str,
    *,
    identity: str | None = None,
    client: Any = None,
    settings: dict[str, Any] | None = None,
) -> Any:
    """A pool child's actor on a local endpoint, with a :class:`swf.local.LocalConnection`."""
    from swf.local import LocalConnection

    connection = client or LocalConnection(endpoint_url, **(settings or {}))
    return actor_class(domain, task_list, identity=identity, client=connection)


class _EchoHandler(logging.Handler):
    """Writes each record as one line on the current stderr (click's, under a test runner)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:  # pragma: no cover - logging must never raise
            self.handleError(record)


@contextlib.contextmanager
def task_lines(debug: bool) -> Iterator[None]:
    """Print the actors' log lines on stderr while they run: one line per task handled
    (:class:`swf.actors.TaskReport`), and their warnings; nothing else at this level,
    botocore included. With ``--debug`` everything is logged instead (the root logger)."""
    if debug:
        yield
        return
    actors = logging.getLogger("swf.actors")
    handler = _EchoHandler(logging.INFO)
    handler.setFormatter(logging.Formatter("%(message)s"))
    previous = actors.level
    actors.addHandler(handler)
    if actors.getEffectiveLevel() > logging.INFO:
        actors.setLevel(logging.INFO)
    try:
        yield
    finally:
        actors.removeHandler(handler)
        actors.setLevel(previous)


def _actor_group(kind: str, base_name: str) -> click.Group:
    @click.group(kind, help=f"Run {kind}s: your {base_name} subclasses.")
    def group() -> None:
        pass

    @group.command("start")
    @click.argument("spec", metavar="MODULE:CLASS")
    @domain_option
    @click.option("--task-list", "-t", required=True, help="The task list to poll.")
    @click.option(
        "--processes",
        "-p",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="How many processes, each polling on its own; one that dies is replaced.",
    )
    @click.option("--identity", default=None, help="The identity SWF records.")
    @pass_state
    def start(
        state: CliState,
        spec: str,
        domain: str | None,
        task_list: str,
        processes: int,
        identity: str | None,
    ) -> None:
        """Import MODULE:CLASS and run it until Ctrl-C or SIGTERM.

        Each process finishes the task in hand before it exits.
        """
        from swf import actors

        base = getattr(actors, base_name)
        start_actors(state, base, spec, domain, task_list, processes, identity)

    return group


cli.add_command(_actor_group("decider", "Decider"))
cli.add_command(_actor_group("worker", "ActivityWorker"))
