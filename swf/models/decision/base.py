"""The decision base class and the checks every decision builder shares.

A decision is a read-only ``dict`` subclass holding exactly what
``RespondDecisionTaskCompleted`` expects for one decision::

    {"decisionType": "StartTimer",
     "startTimerDecisionAttributes": {"timerId": "t1", "startToFireTimeout": "30"}}

It subclasses ``dict`` (and so is a :class:`collections.abc.Mapping`) rather than being an
attrs class because botocore's parameter validation accepts structures only when they are
``dict`` instances: a list of decisions goes to boto3 as is, with no conversion step.
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

from swf import constants
from swf.exceptions import InvalidDecisionError, ValidationError
from swf.frozen import FrozenDict, freeze, thaw
from swf.validation import (
    check_choice,
    check_name,
    check_payload,
    check_tags,
    shorten,
    to_duration,
)

__all__ = [
    "Decision",
    "DecisionType",
    "check_child_policy",
    "check_duration",
    "check_id",
    "check_label",
    "check_lambda_role",
    "check_payload_field",
    "check_priority",
    "check_run_id",
    "check_tag_list",
    "checked",
    "task_list_field",
    "type_ref_field",
]

_T = TypeVar("_T")


class DecisionType(str, enum.Enum):
    """The 13 decision types of SWF; each value is the wire string."""

    SCHEDULE_ACTIVITY_TASK = "ScheduleActivityTask"
    REQUEST_CANCEL_ACTIVITY_TASK = "RequestCancelActivityTask"
    COMPLETE_WORKFLOW_EXECUTION = "CompleteWorkflowExecution"
    FAIL_WORKFLOW_EXECUTION = "FailWorkflowExecution"
    CANCEL_WORKFLOW_EXECUTION = "CancelWorkflowExecution"
    CONTINUE_AS_NEW_WORKFLOW_EXECUTION = "ContinueAsNewWorkflowExecution"
    RECORD_MARKER = "RecordMarker"
    START_TIMER = "StartTimer"
    CANCEL_TIMER = "CancelTimer"
    SIGNAL_EXTERNAL_WORKFLOW_EXECUTION = "SignalExternalWorkflowExecution"
    REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION = "RequestCancelExternalWorkflowExecution"
    START_CHILD_WORKFLOW_EXECUTION = "StartChildWorkflowExecution"
    SCHEDULE_LAMBDA_FUNCTION = "ScheduleLambdaFunction"

    def __str__(self) -> str:
        return self.value

    @property
    def attributes_key(self) -> str:
        """The key of this decision's attributes, e.g. ``startTimerDecisionAttributes``."""
        return self.value[0].lower() + self.value[1:] + "DecisionAttributes"


class Decision(FrozenDict[str, Any]):
    """One decision, as the read-only dict that ``RespondDecisionTaskCompleted`` expects.

    Build decisions with the classmethods of the subclasses
    (:meth:`ActivityTaskDecision.schedule <swf.models.decision.ActivityTaskDecision.schedule>`,
    :meth:`TimerDecision.start <swf.models.decision.TimerDecision.start>`...), never directly.
    A decision compares equal to the plain dict it stands for; ``None`` values are never
    part of it.
    """

    __slots__ = ()

    @classmethod
    def _build(cls, decision_type: DecisionType, attributes: Mapping[str, Any]) -> Decision:
        data: dict[str, Any] = {"decisionType": decision_type.value}
        data[decision_type.attributes_key] = freeze(attributes)
        return cls.of(data)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Decision:
        """Build a decision from its dict (as sent to SWF), with the builders' checks.

        Field names are checked against botocore's SWF service model, at any depth (a
        misspelt ``"output"`` for ``"result"`` fails here, not in the request); then the
        decision is built by its builder (:meth:`TimerDecision.start
        <swf.models.decision.TimerDecision.start>` for a ``StartTimer``...), so a dict gets
        exactly the checks of the builders, and the builder's class.

        Raises:
            InvalidDecisionError: ``decisionType`` is missing or unknown, a key is unknown, or
                a value the builder refuses (the message names the dict's field too).
        """
        raw = data.get("decisionType") if isinstance(data, Mapping) else None
        try:
            decision_type = DecisionType(raw)
        except ValueError:
            raise InvalidDecisionError(
                f"not a decision: decisionType {raw!r} is not one of SWF's decision types",
                decision=str(raw),
                argument="decisionType",
                value=raw,
            ) from None
        for key in data:
            if key not in ("decisionType", decision_type.attributes_key):
                raise InvalidDecisionError(
                    f"{decision_type.value} decision: unknown key {key!r} (its attributes go "
                    f"under {decision_type.attributes_key!r})",
                    decision=decision_type.value,
                    argument=key,
                    value=data[key],
                )
        attributes = data.get(decision_type.attributes_key) or {}
        _check_fields(decision_type, attributes, _decision_shape(decision_type), "")
        return _from_attributes(decision_type, attributes)

    @property
    def decision_type(self) -> DecisionType:
        """The decision type, e.g. ``DecisionType.START_TIMER``."""
        return DecisionType(self["decisionType"])

    @property
    def attributes(self) -> Mapping[str, Any]:
        """The decision's attributes (the ``...DecisionAttributes`` value), read-only."""
        attributes: Mapping[str, Any] = self.get(self.decision_type.attributes_key) or {}
        return attributes

    def to_api(self) -> dict[str, Any]:
        """Return a plain, mutable ``dict`` copy, as sent to SWF."""
        thawed: dict[str, Any] = thaw(self)
        return thawed

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_api()!r})"


#: How each decision type is built from its wire attributes: its builder, and the builder's
#: argument for each wire key whose name is not the key in snake case (``timerId`` -> ``id``).
#: Filled by the builders' modules (:func:`_register_builder`).
_BUILDERS: dict[
    DecisionType, tuple[Callable[..., Decision], Mapping[str, str], tuple[str, ...]]
] = {}


def _register_builder(
    decision_type: DecisionType, build: Callable[..., Decision], **renamed: str
) -> None:
    """Make ``build`` the builder :meth:`Decision.from_api` uses for ``decision_type``."""
    signature = inspect.signature(build)
    required = tuple(
        name
        for name, parameter in signature.parameters.items()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    )
    _BUILDERS[decision_type] = (build, renamed, required)


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _from_attributes(decision_type: DecisionType, attributes: Mapping[str, Any]) -> Decision:
    """Build a decision from wire attributes through its builder (its checks, its class)."""
    build, renamed, required = _BUILDERS[decision_type]
    arguments = {name: None for name in required}  # a missing one: the builder says required
    wire_of: dict[str, str] = {}
    for key, value in attributes.items():
        argument = renamed.get(key) or _snake(key)
        arguments[argument] = thaw(value)
        wire_of[argument] = key
    try:
        return build(**arguments)
    except InvalidDecisionError as exc:
        argument = (exc.argument or "").split(".")[0].split("[")[0]
        wire = (
            wire_of.get(argument)
            or next((key for key, name in renamed.items() if name == argument), None)
            or _camel(argument)
        )
        where = f"{decision_type.attributes_key}.{wire}" if wire else decision_type.attributes_key
        raise InvalidDecisionError(
            f"{exc} (the dict's {where})",
            decision=decision_type.value,
            argument=exc.argument,
            value=exc.value,
        ) from None


@functools.cache
def _service_shapes() -> Any:
    """The ``Decision`` shape of botocore's SWF service model (loaded once, on first use)."""
    import botocore.session

    return botocore.session.get_session().get_service_model("swf").shape_for("Decision")


def _decision_shape(decision_type: DecisionType) -> Any:
    return _service_shapes().members.get(decision_type.attributes_key)


def _check_fields(decision_type: DecisionType, value: Any, shape: Any, path: str) -> None:
    """Refuse keys the service model does not know, at any depth (a misspelt field)."""
    if shape is None:
        return
    if shape.type_name == "structure":
        if not isinstance(value, Mapping):
            raise InvalidDecisionError(
                f"{decision_type.value} decision: {path or 'attributes'} must be a mapping, "
                f"got {value!r}",
                decision=decision_type.value,
                argument=path or decision_type.attributes_key,
                value=value,
            )
        for key, item in value.items():
            member = shape.members.get(key)
            where = f"{path}.{key}" if path else key
            if member is None:
                raise InvalidDecisionError(
                    f"{decision_type.value} decision: unknown field {where!r} = {item!r}; "
                    f"known: {', '.join(shape.members)}",
                    decision=decision_type.value,
                    argument=where,
                    value=item,
                )
            _check_fields(decision_type, item, member, where)
    elif shape.type_name == "list" and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_fields(decision_type, item, shape.member, f"{path}[{index}]")


# -- field checks shared by the builders: each error names the decision, field and value --


def _fail(decision: DecisionType, argument: str, value: Any, problem: str) -> NoReturn:
    shown = shorten(value)
    raise InvalidDecisionError(
        f"{decision.value} decision: {argument} {problem} (got {shown})",
        decision=decision.value,
        argument=argument,
        value=value,
    )


def checked(decision: DecisionType, check: Callable[[], _T]) -> _T:
    """Run a :mod:`swf.validation` check; its error becomes an InvalidDecisionError."""
    try:
        return check()
    except ValidationError as exc:
        raise InvalidDecisionError(
            f"{decision.value} decision: {exc}",
            decision=decision.value,
            argument=exc.argument,
            value=exc.value,
        ) from None


def check_id(decision: DecisionType, value: Any, argument: str) -> str:
    """An id (activity, timer, workflow, Lambda task): required, 1..256, no ``:/|``."""
    if value is None:
        _fail(decision, argument, value, "is required")
    return checked(decision, lambda: check_name(value, argument))


def check_label(
    decision: DecisionType,
    value: Any,
    argument: str,
    *,
    max_length: int = constants.MAX_NAME_LENGTH,
) -> str:
    """A required free-form name (marker, signal, Lambda function): 1..max_length."""
    if value is None or value == "":
        _fail(decision, argument, value, "is required and must not be empty")
    payload = checked(decision, lambda: check_payload(value, argument, max_length=max_length))
    assert payload is not None
    return payload


def check_payload_field(
    decision: DecisionType,
    value: Any,
    argument: str,
    *,
    max_length: int = constants.MAX_INPUT_LENGTH,
) -> str | None:
    """An optional string payload (input, result, details, control, reason)."""
    return checked(decision, lambda: check_payload(value, argument, max_length=max_length))


def check_run_id(decision: DecisionType, value: Any, argument: str = "run_id") -> str | None:
    if value is None:
        return None
    return checked(decision, lambda: check_name(value, argument, max_length=64))


def check_duration(
    decision: DecisionType,
    value: Any,
    argument: str,
    *,
    required: bool = False,
    allow_none: bool = True,
) -> str | None:
    """A duration in SWF's form (seconds as a string, or ``'NONE'`` when allowed)."""
    if value is None and required:
        _fail(decision, argument, value, "is required")
    return checked(
        decision, lambda: to_duration(value, argument, allow_none=allow_none, optional=True)
    )


def check_priority(
    decision: DecisionType, value: Any, argument: str = "task_priority"
) -> str | None:
    """A task priority: a whole number in the signed 32-bit range, sent as a string."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        _fail(decision, argument, value, "must be a whole number")
    try:
        number = int(value)
    except ValueError:
        _fail(decision, argument, value, "must be a whole number")
    if not -(2**31) <= number <= 2**31 - 1:
        _fail(decision, argument, value, "must be within the signed 32-bit range")
    return str(number)


def check_child_policy(decision: DecisionType, value: Any) -> str | None:
    if value is None:
        return None
    value = getattr(value, "value", value)  # a ChildPolicy enum member
    return checked(decision, lambda: check_choice(value, "child_policy", constants.CHILD_POLICIES))


def check_tag_list(decision: DecisionType, value: Any) -> list[str] | None:
    if value is None:
        return None
    return list(checked(decision, lambda: check_tags(value, "tag_list")))


def check_lambda_role(decision: DecisionType, value: Any) -> str | None:
    if value is None:
        return None
    return check_label(decision, value, "lambda_role", max_length=1600)


def _task_list_name(value: Any) -> Any:
    """A task list given as a name, a ``{"name": ...}`` mapping or an object with ``.name``."""
    if isinstance(value, Mapping):
        return value.get("name")
    if value is not None and not isinstance(value, str):
        return getattr(value, "name", value)
    return value


def task_list_field(
    decision: DecisionType,
    value: Any,
    default_from: Any = None,
    *,
    kind: str = "type",
) -> dict[str, str] | None:
    """The ``taskList`` structure: the one given, else the type's registered default.

    When the type is a model object that has no default task list, SWF would refuse the
    decision (DEFAULT_TASK_LIST_UNDEFINED), so the task list is required. When the type is
    given only by name and version, its default is unknown here and SWF decides.
    """
    if isinstance(value, Mapping) and "name" not in value:
        _fail(decision, "task_list", value, "must be a name or a {'name': ...} mapping")
    name = _task_list_name(value)
    if name is None and default_from is not None:
        has_default = hasattr(default_from, "task_list")
        name = _task_list_name(getattr(default_from, "task_list", None))
        if name is None and has_default:
            _fail(
                decision,
                "task_list",
                None,
                f"is required: the {kind} has no default task list",
            )
    if name is None:
        return None
    return {"name": checked(decision, lambda: check_name(name, "task_list"))}


def type_ref_field(
    decision: DecisionType, value: Any, version: Any, argument: str
) -> tuple[dict[str, str], Any]:
    """Resolve an activity or workflow type reference.

    Accepts a model object (with ``name`` and ``version``), a ``(name, version)`` pair, a
    ``{"name": ..., "version": ...}`` mapping, or a name with ``version=``.

    Returns:
        The ``{"name", "version"}`` structure, and the model object (or None) for defaults.
    """
    model: Any = None
    name: Any
    if isinstance(value, str):
        name = value
    elif isinstance(value, Mapping):
        name, version = value.get("name"), value.get("version", version)
    elif isinstance(value, tuple | list) and len(value) == 2:
        name, version = value
    elif value is not None and hasattr(value, "name") and hasattr(value, "version"):
        model, name, version = value, value.name, value.version
    else:
        _fail(
            decision,
            argument,
            value,
            "must be a type object, a (name, version) pair, or a name with version=",
        )
    if version is None:
        _fail(decision, f"{argument}.version", version, f"is required for {shorten(value)}")
    checked_name = checked(decision, lambda: check_name(name, f"{argument}.name"))
    checked_version = checked(
        decision,
        lambda: check_name(version, f"{argument}.version", max_length=constants.MAX_VERSION_LENGTH),
    )
    return {"name": checked_name, "version": checked_version}, model
