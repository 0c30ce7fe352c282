"""The specs of :mod:`swf.flow.dag`: its nodes and the :class:`DAG` they make, checked when
built, to and from JSON (the runner is in :mod:`swf.flow.dag`, which re-exports all of this).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from swf.exceptions import InvalidTypeError, ValidationError
from swf.flow.definition import REGISTRY, Activity, RetryPolicy
from swf.flow.encoding import encode
from swf.flow.workflow import Workflow
from swf.validation import check_name, shorten, to_duration

__all__ = [
    "DAG",
    "ActivityNode",
    "ChildNode",
    "GeneratorNode",
    "Node",
    "TimerNode",
    "find_workflow",
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
