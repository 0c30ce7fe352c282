"""A workflow run on SWF from start to end by actors of its own: :func:`run_standalone`."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Sequence
from typing import Any

from swf.core import ClientLike, get_connection
from swf.flow.actors import WorkflowDecider, WorkflowWorker
from swf.flow.client import register, result, start
from swf.flow.definition import REGISTRY, Activity
from swf.flow.errors import WorkflowError
from swf.flow.workflow import WORKFLOWS, Workflow
from swf.models import Domain, WorkflowExecution
from swf.models.domain import to_domain

__all__ = ["run_standalone"]


def run_standalone(
    workflow: type[Workflow],
    *args: Any,
    domain: Any,
    workers: int = 1,
    activities: Sequence[Activity[Any]] | None = None,
    workflows: Sequence[type[Workflow]] | None = None,
    client: ClientLike = None,
    timeout: float | None = None,
    **kwargs: Any,
) -> WorkflowExecution:
    """Run ``workflow`` on SWF from start to end, with its own decider and workers.

    simpleflow's ``standalone``: registers the domain (when missing) and the types, runs a
    :class:`~swf.flow.WorkflowDecider` and ``workers`` :class:`~swf.flow.WorkflowWorker`
    threads on a task list of their own (every activity is scheduled there), starts the
    execution, waits for it to close, then stops them.

    Args:
        workflow: the :class:`~swf.flow.Workflow` subclass.
        *args: ``run()``'s positional arguments.
        domain: the domain (registered with a one-day retention when missing).
        workers: how many worker threads.
        activities: the activities the workers run (default: every ``@activity`` defined).
        workflows: the workflows its children may be (default: every Workflow subclass
            defined); the decider runs them too, on the same task list.
        client: how to reach SWF.
        timeout: give up waiting after this many seconds.
        **kwargs: ``run()``'s keyword arguments.

    Returns:
        The closed execution (:func:`result` gives its result).
    """
    connection = get_connection(client)
    where = Domain(to_domain(domain).name, retention_period=1, client=connection)
    if not where.exists:
        with contextlib.suppress(Domain.AlreadyExists):
            where.save()
    known = list(REGISTRY.values()) if activities is None else list(activities)
    classes = {w.key(): w for w in (WORKFLOWS.values() if workflows is None else workflows)}
    classes[workflow.key()] = workflow
    register(where, list(classes.values()), known, client=connection)
    task_list = f"swf-run-{uuid.uuid4().hex[:12]}"
    actors = [
        WorkflowDecider(
            where,
            task_list,
            workflows=list(classes.values()),
            activity_task_list=task_list,
            child_task_list=task_list,
            register=False,
            client=connection,
        ),
        *(
            WorkflowWorker(where, task_list, activities=known, register=False, client=connection)
            for _ in range(workers)
        ),
    ]
    threads = [
        threading.Thread(target=actor.start, daemon=True, name=f"swf-run-{number}")
        for number, actor in enumerate(actors)
    ]
    for thread in threads:
        thread.start()
    try:
        execution = start(
            workflow, *args, domain=where, task_list=task_list, client=connection, **kwargs
        )
        with contextlib.suppress(WorkflowError):
            result(execution, timeout=timeout)
        return execution
    finally:
        for actor in actors:
            actor.stop()
        for thread in threads:
            thread.join(timeout=75)
