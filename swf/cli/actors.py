"""``swf decider start`` and ``swf worker start``: run your actors, in one process or several
(:class:`swf.actors.ActorPool`)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from swf.cli.app import CliState, cli, domain_option, fail, pass_state

__all__ = ["load_class", "start_actors"]


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
    if processes == 1:
        actor = actor_class(where, task_list, identity=identity, client=state.connection)
        click.echo(
            f"{actor_class.__name__} polling {where}/{task_list} (Ctrl-C stops it)", err=True
        )
        actor.start()  # handles SIGTERM and SIGINT itself: finishes the task, then returns
        return
    settings = {
        name: value
        for name, value in (("region", state.region), ("endpoint_url", state.endpoint_url))
        if value
    }
    pool = ActorPool(
        actor_class,
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
