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

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow import futures
from swf.flow.definition import REGISTRY, Activity, RetryPolicy
from swf.flow.encoding import encode
from swf.flow.errors import FlowError
from swf.flow.futures import Future
from swf.flow.workflow import Workflow
from swf.validation import check_name, shorten, to_duration

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

#: The keys of a node's argument that are not node ids.
_RESERVED = frozenset({"workflow", "input"})


# -- nodes ----------------------------------------------------------------------------------------


def _requires(value: Any) -> tuple[str, ...]:
    """``requires=``: node ids (or nodes), as a tuple of ids; one id alone is accepted."""
    if isinstance(value, str) or _is_node(value):
        value = (value,)
    if not isinstance(value, Iterable):
        raise InvalidTypeError(
            f"requires must be a list of node ids, got {value!r}", argument="requires", value=value
        )
    ids = []
    for item in value:
        item_id = item.id if _is_node(item) else item
        if not isinstance(item_id, str):
            raise InvalidTypeError(
                f"requires holds node ids (or nodes), got {item!r}", argument="requires", value=item
            )
        ids.append(item_id)
    return tuple(ids)


def _retry(value: Any) -> RetryPolicy | None:
    return None if value is None else RetryPolicy.of(value)


def _check_id(node: Any, attribute: Any, value: Any) -> None:
    check_name(value, "id")
    if value in _RESERVED:
        raise ValidationError(
            f"a node cannot be called {value!r}: its argument's keys 'workflow' and 'input' "
            "are not node ids",
            argument="id",
            value=value,
        )


def _check_activity(node: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Activity):
        raise InvalidTypeError(
            f"node {node.id!r}: activity must be an activity (decorated with @activity), got "
            f"{value!r}",
            argument="activity",
            value=value,
        )


def _check_input(node: Any, attribute: Any, value: Any) -> None:
    encode(value, lambda: f"the input of node {node.id!r}")  # refused now if not JSON


def _seconds(value: Any) -> int:
    """A timer's duration: whole seconds (an int, a whole float, a timedelta...)."""
    return int(str(to_duration(value, "seconds", allow_none=False, optional=False)))


def _type_ref(name: str, version: str) -> dict[str, str]:
    return {"name": name, "version": version}


@attrs.frozen
class ActivityNode:
    """An activity of a :class:`DAG`.

    Attributes:
        id: the node's id, also its activity id.
        activity: the :class:`~swf.flow.Activity`.
        input: its own input (any JSON value), under ``"input"`` in its argument.
        requires: the ids of the nodes it runs after.
        retry: its :class:`~swf.flow.RetryPolicy` (or a number of retries); None: the
            activity's own.
        task_list: the task list it is scheduled on; None: the activity's own.
    """

    id: str = attrs.field(validator=_check_id)
    activity: Activity[Any] = attrs.field(validator=_check_activity)
    input: Any = attrs.field(default=None, validator=_check_input)
    requires: tuple[str, ...] = attrs.field(default=(), converter=_requires)
    retry: RetryPolicy | None = attrs.field(default=None, converter=_retry)
    task_list: str | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.task_list is not None:
            check_name(self.task_list, "task_list")

    def to_dict(self) -> dict[str, Any]:
        """The node's spec, a JSON value (what a generator returns, a list of)."""
        return {
            "type": "activity",
            "id": self.id,
            "activity": _type_ref(*self.activity.key),
            "input": self.input,
            "requires": list(self.requires),
            "retry": None if self.retry is None else _retry_dict(self.retry),
            "task_list": self.task_list,
        }


@attrs.frozen
class TimerNode:
    """A durable timer of a :class:`DAG` (its result is None).

    Attributes:
        id: the node's id, also its timer id.
        seconds: how long it waits, whole seconds (a ``timedelta`` is made seconds).
        requires: the ids of the nodes it starts after.
    """

    id: str = attrs.field(validator=_check_id)
    seconds: int = attrs.field(converter=_seconds)
    requires: tuple[str, ...] = attrs.field(default=(), converter=_requires)

    def to_dict(self) -> dict[str, Any]:
        """The node's spec, a JSON value."""
        return {
            "type": "timer",
            "id": self.id,
            "seconds": self.seconds,
            "requires": list(self.requires),
        }


@attrs.frozen
class ChildNode:
    """A child workflow execution of a :class:`DAG`.

    Attributes:
        id: the node's id; the child's workflow id is ``{workflow id}-{node id}``.
        workflow: the :class:`~swf.flow.Workflow` subclass (its ``run()`` receives the
            node's argument).
        input: its own input (any JSON value), under ``"input"`` in its argument.
        requires: the ids of the nodes it starts after.
    """

    id: str = attrs.field(validator=_check_id)
    workflow: type[Workflow] = attrs.field()
    input: Any = attrs.field(default=None, validator=_check_input)
    requires: tuple[str, ...] = attrs.field(default=(), converter=_requires)

    @workflow.validator
    def _check_workflow(self, attribute: Any, value: Any) -> None:
        if not (isinstance(value, type) and issubclass(value, Workflow)):
            raise InvalidTypeError(
                f"node {self.id!r}: workflow must be a Workflow subclass, got {value!r}",
                argument="workflow",
                value=value,
            )

    def to_dict(self) -> dict[str, Any]:
        """The node's spec, a JSON value."""
        return {
            "type": "child",
            "id": self.id,
            "workflow": _type_ref(*self.workflow.key()),
            "input": self.input,
            "requires": list(self.requires),
        }


@attrs.frozen
class GeneratorNode:
    """An activity of a :class:`DAG` whose result is more nodes: a list of node specs
    (``node.to_dict()``), added to the graph once it completed.

    Each new node requires the generator (and the nodes it lists); the nodes that require the
    generator also wait for every new node, and receive their results, and under the
    generator's id the list of the ids it added. A new node whose id is taken, or that
    requires no known node, fails the execution.

    Attributes:
        id: the node's id, also its activity id.
        activity: the :class:`~swf.flow.Activity` that returns the specs.
        requires: the ids of the nodes it runs after.
    """

    id: str = attrs.field(validator=_check_id)
    activity: Activity[Any] = attrs.field(validator=_check_activity)
    requires: tuple[str, ...] = attrs.field(default=(), converter=_requires)

    def to_dict(self) -> dict[str, Any]:
        """The node's spec, a JSON value."""
        return {
            "type": "generator",
            "id": self.id,
            "activity": _type_ref(*self.activity.key),
            "requires": list(self.requires),
        }


#: A node of a :class:`DAG`.
Node = ActivityNode | TimerNode | ChildNode | GeneratorNode
_NODE_TYPES = (ActivityNode, TimerNode, ChildNode, GeneratorNode)


def _is_node(value: Any) -> bool:
    return isinstance(value, _NODE_TYPES)


def _retry_dict(policy: RetryPolicy) -> dict[str, Any]:
    return {
        "max_attempts": policy.max_attempts,
        "initial_interval": policy.initial_interval,
        "backoff": policy.backoff,
        "max_interval": policy.max_interval,
        "non_retryable": list(policy.non_retryable),
    }


# -- the graph ------------------------------------------------------------------------------------


def _nodes(value: Any) -> tuple[Node, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidTypeError(
            f"DAG() takes a list of nodes, got {shorten(value)}", argument="nodes", value=value
        )
    nodes = tuple(value)
    for node in nodes:
        if not _is_node(node):
            raise InvalidTypeError(
                f"a DAG holds ActivityNode, TimerNode, ChildNode and GeneratorNode, got {node!r}",
                argument="nodes",
                value=node,
            )
    return nodes


@attrs.frozen
class DAG:
    """A graph of nodes (see the module docstring), checked when built.

    Attributes:
        nodes: the nodes, in order (ready nodes are scheduled in this order).

    Raises:
        ValidationError: two nodes have the same id, a node requires an id that is no
            node's, or the nodes require each other in a cycle (the message names them).
        InvalidTypeError: an item is not a node.
    """

    nodes: tuple[Node, ...] = attrs.field(converter=_nodes)

    def __attrs_post_init__(self) -> None:
        _check_graph(self.nodes, known=())

    @property
    def sinks(self) -> list[str]:
        """The ids of the nodes no other node requires (the result's keys), in order."""
        required = {r for node in self.nodes for r in node.requires}
        return [node.id for node in self.nodes if node.id not in required]

    def to_json(self) -> str:
        """The DAG as JSON text: ``{"nodes": [node.to_dict(), ...]}``."""
        return json.dumps({"nodes": [node.to_dict() for node in self.nodes]}, sort_keys=False)

    @classmethod
    def from_json(
        cls, spec: str | Mapping[str, Any], *, workflows: Sequence[type[Workflow]] = ()
    ) -> DAG:
        """The DAG of a spec written by :meth:`to_json` (the text, or its decoded value).

        Activities are found by name and version in
        :data:`~swf.flow.definition.REGISTRY`; workflows by :func:`find_workflow` (among
        ``workflows`` first).

        Raises:
            ValidationError: the spec is not JSON or not a DAG's, names an unknown activity
                or workflow, or its graph is refused (as when built).
        """
        value = spec
        if isinstance(spec, str | bytes):
            try:
                value = json.loads(spec)
            except ValueError as exc:
                raise ValidationError(
                    f"a DAG spec must be JSON ({exc}): {shorten(spec)}", argument="spec", value=spec
                ) from None
        if not isinstance(value, Mapping) or set(value) != {"nodes"}:
            raise ValidationError(
                f'a DAG spec is {{"nodes": [...]}}, got {shorten(value)}',
                argument="spec",
                value=spec,
            )
        return cls(_parse_nodes(value["nodes"], workflows))


def _parse_nodes(specs: Any, workflows: Sequence[type[Workflow]]) -> list[Node]:
    if not isinstance(specs, list):
        raise ValidationError(
            f"node specs come as a list, got {shorten(specs)}", argument="nodes", value=specs
        )
    return [_parse_node(spec, workflows) for spec in specs]


_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # type: (required keys, optional keys)
    "activity": ({"id", "activity"}, {"input", "requires", "retry", "task_list"}),
    "timer": ({"id", "seconds"}, {"requires"}),
    "child": ({"id", "workflow"}, {"input", "requires"}),
    "generator": ({"id", "activity"}, {"requires"}),
}


def _parse_node(spec: Any, workflows: Sequence[type[Workflow]]) -> Node:
    """A node of its ``to_dict()`` form."""
    kind = spec.get("type") if isinstance(spec, Mapping) else None
    if kind not in _FIELDS:
        raise ValidationError(
            "a node spec is an object whose type is activity, timer, child or generator, got "
            f"{shorten(spec)}",
            argument="nodes",
            value=spec,
        )
    required, optional = _FIELDS[kind]
    keys = set(spec) - {"type"}
    if not required <= keys or not keys <= required | optional:
        wrong = sorted((required - keys) | (keys - required - optional))
        raise ValidationError(
            f"node spec {shorten(spec)}: missing or unknown keys {wrong} (a {kind} node has "
            f"{sorted(required | optional)})",
            argument="nodes",
            value=spec,
        )
    fields = {key: spec[key] for key in keys}
    if "activity" in fields:
        fields["activity"] = _find_activity(fields["activity"], fields["id"])
    if "workflow" in fields:
        fields["workflow"] = find_workflow(*_ref(fields["workflow"], fields["id"]), workflows)
    if isinstance(fields.get("retry"), Mapping):
        try:
            fields["retry"] = RetryPolicy(**fields["retry"])
        except TypeError as exc:
            raise ValidationError(
                f"node {fields['id']!r}: a retry policy has {sorted(_retry_dict(RetryPolicy()))}"
                f", got {shorten(fields['retry'])} ({exc})",
                argument="retry",
                value=fields["retry"],
            ) from None
    node_type: Any = {
        "activity": ActivityNode,
        "timer": TimerNode,
        "child": ChildNode,
        "generator": GeneratorNode,
    }[kind]
    node: Node = node_type(**fields)
    return node


def _ref(value: Any, node_id: Any) -> tuple[str, str]:
    if (
        not isinstance(value, Mapping)
        or set(value) != {"name", "version"}
        or not all(isinstance(v, str) for v in value.values())
    ):
        raise ValidationError(
            f'node {node_id!r}: a type is {{"name": ..., "version": ...}}, got {shorten(value)}',
            argument="nodes",
            value=value,
        )
    return value["name"], value["version"]


def _find_activity(value: Any, node_id: Any) -> Activity[Any]:
    name, version = _ref(value, node_id)
    found = REGISTRY.get((name, version))
    if found is None:
        raise ValidationError(
            f"node {node_id!r}: no activity {name!r} version {version!r} is defined (import "
            "the module that defines it)",
            argument="activity",
            value=value,
        )
    return found


def _subclasses(cls: type[Workflow]) -> Iterable[type[Workflow]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def find_workflow(
    name: str, version: str, workflows: Sequence[type[Workflow]] = ()
) -> type[Workflow]:
    """The workflow class of type ``name`` / ``version``: among ``workflows``, else among
    every :class:`~swf.flow.Workflow` subclass defined (imported) so far.

    Raises:
        ValidationError: none has that type, or several classes do (pass the one meant in
            ``workflows``).
    """
    for cls in workflows:
        if cls.key() == (name, version):
            return cls
    found = list(dict.fromkeys(c for c in _subclasses(Workflow) if c.key() == (name, version)))
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            f"no workflow {name!r} version {version!r} is defined (import the module that "
            "defines it)",
            argument="workflow",
            value=(name, version),
        )
    classes = ", ".join(f"{c.__module__}.{c.__qualname__}" for c in found)
    raise ValidationError(
        f"several workflows are {name!r} version {version!r} ({classes}): pass the one meant "
        "in workflows=",
        argument="workflow",
        value=(name, version),
    )


def _check_graph(nodes: Sequence[Node], known: Iterable[str]) -> None:
    """Refuse duplicate ids, unknown requirements and cycles among ``nodes`` (which may
    also require the ids ``known``)."""
    known = set(known)
    seen: set[str] = set()
    for node in nodes:
        if node.id in seen or node.id in known:
            raise ValidationError(
                f"two nodes have the id {node.id!r}", argument="nodes", value=node.id
            )
        seen.add(node.id)
    unknown = [
        f"{node.id!r} requires {missing!r}"
        for node in nodes
        for missing in node.requires
        if missing not in seen and missing not in known
    ]
    if unknown:
        raise ValidationError(
            f"unknown requirements: {', '.join(unknown)} (no node has that id)",
            argument="requires",
            value=unknown,
        )
    cycle = _cycle({node.id: [r for r in node.requires if r in seen] for node in nodes})
    if cycle:
        path = " requires ".join(repr(node_id) for node_id in cycle)
        raise ValidationError(
            f"the nodes require each other in a cycle: {path}", argument="requires", value=cycle
        )


def _cycle(edges: Mapping[str, list[str]]) -> list[str] | None:
    """A cycle of ``edges`` (node -> the nodes it requires) as a path back to its start, or
    None (depth first, iteratively: a long chain does not hit the recursion limit)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in edges:
        if root in state:
            continue
        path = [root]
        state[root] = 1
        stack = [iter(edges[root])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return [*path[path.index(step) :], step]
            elif step not in state:
                state[step] = 1
                path.append(step)
                stack.append(iter(edges[step]))
    return None


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
