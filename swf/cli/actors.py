"""``swf decider start`` and ``swf worker start``: run your actors, in one process or several
(:class:`swf.actors.ActorPool`)."""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import click

from swf.cli.app import CliState, cli, domain_option, fail, is_local_endpoint, pass_state

__all__ = ["actor_factory", "load_class", "load_module", "start_actors", "task_lines"]


def load_module(name: str, hint: str = "MODULE") -> ModuleType:
    """Import module ``name``; the current directory is importable, as with ``python -m``."""
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise click.BadParameter(f"cannot import {name!r}: {exc}", param_hint=hint) from exc


def _split(spec: str) -> tuple[str, str]:
    module_name, sep, class_name = spec.partition(":")
    if not sep:
        module_name, _, class_name = spec.rpartition(".")
    if not module_name or not class_name:
        raise click.BadParameter(f"{spec!r} is not MODULE:CLASS", param_hint="MODULE:CLASS")
    return module_name, class_name


def load_class(spec: str, base: type | tuple[type, ...]) -> type:
    """Import ``MODULE:CLASS`` (or ``MODULE.CLASS``) and check it subclasses ``base``.

    The current directory is importable, as with ``python -m``.
    """
    module_name, class_name = _split(spec)
    found = getattr(load_module(module_name, "MODULE:CLASS"), class_name, None)
    if not isinstance(found, type) or not issubclass(found, base):
        first, *others = (base,) if isinstance(base, type) else base
        nor = "".join(f" (nor a {other.__name__} subclass)" for other in others)
        raise click.BadParameter(
            f"{spec!r} is not a {first.__name__} subclass{nor}", param_hint="MODULE:CLASS"
        )
    return found


def actor_factory(kind: str, spec: str) -> tuple[Callable[..., Any], str]:
    """What ``swf decider start`` / ``swf worker start`` run for SPEC, and its name.

    A decider: a :class:`~swf.actors.Decider` subclass, a :class:`swf.flow.Workflow` subclass
    (run by a :class:`~swf.flow.WorkflowDecider`), or a module (its workflows). A worker: an
    :class:`~swf.actors.ActivityWorker` subclass, an ``@activity``, or a module (its
    activities, run by a :class:`~swf.flow.WorkflowWorker`).
    """
    from swf import actors, flow

    if ":" not in spec:
        try:
            return _module_factory(kind, load_module(spec))
        except click.BadParameter:
            pass  # not a module: MODULE.CLASS
    module_name, attribute = _split(spec)
    found = getattr(load_module(module_name, "MODULE:CLASS"), attribute, None)
    base = actors.Decider if kind == "decider" else actors.ActivityWorker
    if isinstance(found, type) and issubclass(found, base):
        return found, found.__name__
    if kind == "decider" and isinstance(found, type) and issubclass(found, flow.Workflow):
        return functools.partial(flow.WorkflowDecider, workflows=[found]), found.__name__
    if kind == "worker" and isinstance(found, flow.Activity):
        return functools.partial(flow.WorkflowWorker, activities=[found]), found.name
    flow_kind = "Workflow" if kind == "decider" else "@activity"
    raise click.BadParameter(
        f"{spec!r} is not a {base.__name__} subclass, nor a swf.flow {flow_kind} (or a module "
        "of them)",
        param_hint="SPEC",
    )


def _module_factory(kind: str, module: ModuleType) -> tuple[Callable[..., Any], str]:
    from swf import flow

    if kind == "worker":
        return functools.partial(flow.WorkflowWorker, modules=[module]), module.__name__
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, flow.Workflow)
        and value is not flow.Workflow
    ]
    if not found:
        raise click.BadParameter(f"no swf.flow Workflow in {module.__name__!r}", param_hint="SPEC")
    return functools.partial(flow.WorkflowDecider, workflows=found), module.__name__


def start_actors(
    state: CliState,
    kind: str,
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

    actor_class, name = actor_factory(kind, spec)  # fail early, in the parent
    where = state.require_domain(domain)
    with task_lines(state.debug):
        if processes == 1:
            actor = actor_class(where, task_list, identity=identity, client=state.connection)
            click.echo(f"{name} polling {where}/{task_list} (Ctrl-C stops it)", err=True)
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
            factory.__name__ = name  # what the pool's messages call it
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
            f"{processes} x {name} polling {where}/{task_list} "
            f"(pids {', '.join(str(pid) for pid in pool.pids)}; Ctrl-C or SIGTERM stops them)",
            err=True,
        )
        codes = pool.wait()
    failed = [code for code in codes if code not in (0, None)]
    if failed:
        fail(f"{len(failed)} of {processes} processes exited with an error")


def _local_actor(
    actor_class: Callable[..., Any],
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
        start_actors(state, kind, spec, domain, task_list, processes, identity)

    return group


cli.add_command(_actor_group("decider", "Decider"))
cli.add_command(_actor_group("worker", "ActivityWorker"))
