"""Workflows as data: a :class:`DAG` of nodes, each run once the nodes it requires are done.

::

    from swf.flow.dag import DAG, ActivityNode, DagWorkflow, GeneratorNode, TimerNode

    class Nightly(DagWorkflow):
        dag = DAG([
            ActivityNode("extract", extract, input={"table": "users"}),
            TimerNode("cool-down", 60, requires=["extract"]),
            ActivityNode("load", load, requires=["extract", "cool-down"], retry=3),
        ])

    run_local(Nightly, {"day": "2026-01-01"}).result     # {"load": ...}: the sinks' results

The four kinds of node (floto's task specs):

- :class:`ActivityNode`: an activity, with a retry policy and a task list of its own if given;
- :class:`TimerNode`: a durable timer (its result is None);
- :class:`ChildNode`: a child workflow execution;
- :class:`GeneratorNode`: an activity whose result is a list of node specs (``node.to_dict()``)
  added to the graph: each new node requires the generator (and what it lists), and the nodes
  that required the generator wait for the new ones too, and receive their results (under the
  generator's id, the list of the ids it added).

A node runs once every node it requires completed. It receives one argument::

    {"workflow": <the workflow's input>, "<required id>": <its result>, ..., "input": <its input>}

The execution fails with the first failure (the earliest event), a node's retries spent; its
result maps each sink (a node no other node requires) to its result. Node ids are the ids in
the history: the activity id, the timer id, and ``{workflow id}-{node id}`` for a child (child
ids are unique in a domain), so that a replay finds each node by id whatever the order the
nodes were scheduled in.

A DAG is checked when it is built: a duplicate id, a requirement that names no node, or a
cycle is refused (:class:`~swf.exceptions.ValidationError`, naming the nodes) before anything
is scheduled. :meth:`DAG.to_json` / :meth:`DAG.from_json` give the spec as JSON, activities and
workflows referred to by name and version (found again in :data:`~swf.flow.definition.REGISTRY`
and by :func:`find_workflow`). :class:`DagWorkflow` runs the DAG of its class;
:class:`DynamicDagWorkflow` the DAG its input holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow import futures
from swf.flow.dagspec import (
    DAG,
    ActivityNode,
    ChildNode,
    GeneratorNode,
    Node,
    TimerNode,
    _check_graph,
    _cycle,
    _parse_nodes,
    find_workflow,
)
from swf.flow.errors import FlowError
from swf.flow.futures import Future
from swf.flow.workflow import Workflow

__all__ = [
    "DAG",
    "ActivityNode",
    "ChildNode",
    "DagWorkflow",
    "DynamicDagWorkflow",
    "GeneratorNode",
    "Node",
    "TimerNode",
    "find_workflow",
    "run_dag",
]

# -- running a DAG --------------------------------------------------------------------------------


class _Runner:
    """One replay of a DAG in a workflow (see :func:`run_dag`)."""

    def __init__(
        self,
        workflow: Workflow,
        dag: DAG,
        input: Any,
        workflows: Sequence[type[Workflow]],
    ) -> None:
        self.workflow = workflow
        self.run = workflow._context()
        self.input = input
        self.workflows = workflows
        self.nodes: dict[str, Node] = {node.id: node for node in dag.nodes}
        self.requires: dict[str, list[str]] = {n.id: list(n.requires) for n in dag.nodes}
        self.futures: dict[str, Future] = {}
        self.added: dict[str, list[str]] = {}  # generator id: the ids of the nodes it added
        self.refused: dict[str, ValidationError] = {}  # generator id: why its nodes were not

    def __call__(self) -> dict[str, Any]:
        progressed = True
        while progressed:
            progressed = False
            for node_id in list(self.nodes):
                if node_id not in self.futures and self._ready(node_id):
                    self._submit(self.nodes[node_id])
                    progressed = True
        failures = [f for f in self.futures.values() if f.done and f._exception is not None]
        if failures or self.refused:
            # Every node the history holds was submitted again (a replay must claim it); the
            # nodes this replay would schedule now are taken back: the execution fails.
            for future in self.futures.values():
                if not future.done and self._new(future):
                    future.cancel()
            first = min(
                [*failures, *(self.futures[g] for g in self.refused)], key=lambda f: f._event_id
            )
            if first.id in self.refused:
                first.result  # noqa: B018  # read it, as run() would
                raise self.refused[first.id]
            first.result  # noqa: B018  # raises its error (and reads it, as run() would)
        if len(self.futures) == len(self.nodes) and all(f.done for f in self.futures.values()):
            required = {r for needs in self.requires.values() for r in needs}
            return {
                node_id: self.futures[node_id].result
                for node_id in self.nodes
                if node_id not in required
            }
        open_ = [future for future in self.futures.values() if not future.done]
        futures.wait(open_, return_when=futures.FIRST_COMPLETED)  # suspends: none is done
        raise FlowError("unreachable: a DAG waits for a node that is not done")  # pragma: no cover

    def _ready(self, node_id: str) -> bool:
        for required in self.requires[node_id]:
            future = self.futures.get(required)
            if future is None or not future.done:
                return False
            if future._exception is not None or required in self.refused:
                return False
        return True

    def _new(self, future: Future) -> bool:
        """Whether ``future``'s task is not in the history (this replay decided it)."""
        compiled = self.run.compiled
        records: Mapping[str, Any] = compiled.activities
        if future.kind == "timer":
            records = compiled.timers
        elif future.kind == "child":
            records = compiled.child_workflows
        return future.id not in records

    def _argument(self, node: Node) -> dict[str, Any]:
        argument: dict[str, Any] = {"workflow": self.input}
        for required in self.requires[node.id]:
            value = self.futures[required].result  # done: read it (its time)
            argument[required] = self.added.get(required, value)
        argument["input"] = getattr(node, "input", None)
        return argument

    def _submit(self, node: Node) -> None:
        run = self.run
        if isinstance(node, TimerNode):
            for required in self.requires[node.id]:
                self.futures[required].result  # noqa: B018  # it starts after them
            self.futures[node.id] = self.workflow.sleep(node.seconds, id=node.id)
            return
        if isinstance(node, ChildNode):
            child_id = run.child_id(node.id)
            self.futures[node.id] = self.workflow.child(
                node.workflow, self._argument(node), workflow_id=child_id
            )
            return
        options: dict[str, Any] = {"id": node.id}
        if isinstance(node, ActivityNode):
            if node.retry is not None:
                options["retry"] = node.retry
            if node.task_list is not None:
                options["task_list"] = node.task_list
        future = self.workflow.submit(node.activity.options(**options), self._argument(node))
        self.futures[node.id] = future
        if isinstance(node, GeneratorNode) and future.done and future._exception is None:
            self._expand(node, future.result)

    def _expand(self, generator: GeneratorNode, specs: Any) -> None:
        """Add the nodes a generator returned (before any node that requires it runs)."""
        try:
            added = _parse_nodes(specs, self.workflows)
            added = [
                attrs.evolve(node, requires=(generator.id, *node.requires))
                if generator.id not in node.requires
                else node
                for node in added
            ]
            _check_graph(added, known=self.nodes)
            new_ids = [node.id for node in added]
            edges = {
                node_id: [*needs, *new_ids] if generator.id in needs else needs
                for node_id, needs in self.requires.items()
            }
            edges.update((node.id, list(node.requires)) for node in added)
            cycle = _cycle(edges)  # a new node requires a node that waits for the new ones
            if cycle:
                path = " requires ".join(repr(node_id) for node_id in cycle)
                raise ValidationError(f"they make a cycle: {path}", argument="requires")
        except (ValidationError, InvalidTypeError) as exc:
            # Raised once every node the history holds was submitted again.
            error = ValidationError(
                f"generator {generator.id!r} returned nodes that cannot be added: {exc}",
                argument="nodes",
                value=specs,
            )
            error.__cause__ = exc
            self.refused[generator.id] = error
            return
        self.added[generator.id] = new_ids
        for needs in self.requires.values():
            if generator.id in needs:
                needs.extend(new_ids)
        for node in added:
            self.nodes[node.id] = node
            self.requires[node.id] = list(node.requires)


def run_dag(
    workflow: Workflow,
    dag: DAG,
    input: Any = None,
    *,
    workflows: Sequence[type[Workflow]] = (),
) -> dict[str, Any]:
    """Run ``dag`` inside ``workflow.run()``: its sinks' results, by id.

    Suspends ``run()`` until the DAG is done, as reading a future's result does.

    Args:
        workflow: the running workflow (``self``).
        dag: the :class:`DAG`.
        input: the workflow's input (``"workflow"`` in each node's argument).
        workflows: where the child workflows generated nodes name are looked for first.

    Raises:
        ActivityError: a node failed (its retries spent); the earliest failure.
        ChildWorkflowFailed: a child node did not complete (the earliest failure).
        ValidationError: a generator returned nodes that cannot be added.
    """
    return _Runner(workflow, dag, input, workflows)()


class DagWorkflow(Workflow):
    """A workflow that runs the :class:`DAG` of its class attribute :attr:`dag`.

    ::

        class Nightly(DagWorkflow):
            dag = DAG([ActivityNode("extract", extract), ...])

    ``run(input=None)``: the workflow's input is the ``"workflow"`` of each node's argument;
    the result maps each sink to its result.

    Attributes:
        dag: the DAG (a list of nodes is made a DAG, and checked, when the class is defined).
        workflows: where the child workflows generated nodes name are looked for first.
    """

    dag: ClassVar[DAG | None] = None
    workflows: ClassVar[Sequence[type[Workflow]]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        spec: Any = cls.__dict__.get("dag")
        if spec is not None and not isinstance(spec, DAG):
            cls.dag = DAG(spec)

    def run(self, input: Any = None) -> dict[str, Any]:
        """Run the class's DAG with ``input``; the sinks' results by id."""
        if self.dag is None:
            raise FlowError(f"{type(self).__qualname__} must set its class attribute dag")
        return run_dag(self, self.dag, input, workflows=self.workflows)


class DynamicDagWorkflow(Workflow):
    """A workflow that runs the DAG its input holds (floto's dynamic decider).

    ``run(dag, input=None)``: ``dag`` is :meth:`DAG.to_json`'s text or its decoded value;
    ``input`` is the ``"workflow"`` of each node's argument::

        run_local(DynamicDagWorkflow, dag.to_json(), {"day": "2026-01-01"})

    A spec that is refused (an unknown activity, a cycle...) fails the execution before
    anything is scheduled.

    Attributes:
        workflows: where the child workflows the spec names are looked for first.
    """

    workflows: ClassVar[Sequence[type[Workflow]]] = ()

    def run(self, dag: Any, input: Any = None) -> dict[str, Any]:
        """Run ``dag`` with ``input``; the sinks' results by id."""
        graph = DAG.from_json(dag, workflows=self.workflows)
        return run_dag(self, graph, input, workflows=self.workflows)
