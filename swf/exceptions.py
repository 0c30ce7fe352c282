"""The exceptions of swf: one tree, rooted at :class:`SWFError`.

::

    SWFError
    ├── ConfigurationError                    settings, credentials, endpoint
    │   └── InvalidSettingError (ValidationError)   a value given to a setting it cannot use
    ├── ValidationError (ValueError)          bad input, caught before any request is sent
    │   ├── InvalidTypeError (TypeError)      an argument of the wrong type
    │   ├── InvalidDecisionError              a decision that SWF would refuse
    │   └── InvalidHistoryError               a history that no SWF could have produced
    ├── TransportError (ConnectionError)      the endpoint could not be reached or timed out
    ├── PollTimeout (TimeoutError)            a long poll returned no task
    ├── TaskClosedError                       the task is already closed (heartbeat, respond)
    ├── PayloadError                          a payload stored out of band cannot be written or read
    │   ├── PayloadMissingError (LookupError) its object is not in its store
    │   └── PayloadCorruptedError             its object's size or SHA-256 is not the reference's
    └── ResponseError                         SWF answered with an error (``code`` says which)
        ├── DoesNotExistError (LookupError)   UnknownResourceFault
        ├── AlreadyExistsError                DomainAlreadyExistsFault, TypeAlreadyExistsFault
        │   └── WorkflowExecutionAlreadyStartedError
        ├── DeprecatedError                   DomainDeprecatedFault, TypeDeprecatedFault
        ├── NotDeprecatedError                TypeNotDeprecatedFault; an undeprecate of a
        │                                     registered domain or type
        ├── DefaultUndefinedError             DefaultUndefinedFault
        ├── LimitExceededError                LimitExceededFault, TooManyTagsFault
        ├── RateLimitExceededError            ThrottlingException and kin
        └── OperationNotPermittedError        OperationNotPermittedFault, AccessDenied...

Every SWF error code is mapped to a class in one table, :data:`ERROR_CODES`, by
:func:`from_client_error`; nothing else in swf inspects a ``ClientError``. Messages say
what was asked, what went wrong, and with which value, and end with the SWF error code::

    DoesNotExistError: workflow type 'resize' version '2' in domain 'media' not found
    (UnknownResourceFault: Unknown type: ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "ERROR_CODES",
    "AlreadyExistsError",
    "ConfigurationError",
    "DefaultUndefinedError",
    "DeprecatedError",
    "DoesNotExistError",
    "InvalidDecisionError",
    "InvalidHistoryError",
    "InvalidSettingError",
    "InvalidTypeError",
    "LimitExceededError",
    "NotDeprecatedError",
    "OperationNotPermittedError",
    "PayloadCorruptedError",
    "PayloadError",
    "PayloadMissingError",
    "PollTimeout",
    "RateLimitExceededError",
    "ResponseError",
    "SWFError",
    "TaskClosedError",
    "TransportError",
    "ValidationError",
    "WorkflowExecutionAlreadyStartedError",
    "describe_subject",
    "from_client_error",
]


class SWFError(Exception):
    """Root of every exception raised by swf."""


class ConfigurationError(SWFError):
    """Settings are missing or wrong: no region, no credentials, a bad ``~/.swf``."""


class ValidationError(SWFError, ValueError):
    """An argument was refused before any request was sent.

    Attributes:
        argument: the name of the offending argument (or field), if known.
        value: the offending value.
    """

    def __init__(self, message: str, *, argument: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value


class InvalidTypeError(ValidationError, TypeError):
    """An argument had the wrong type."""


class InvalidDecisionError(ValidationError):
    """A decision that SWF would refuse: missing field, value too long, bad duration.

    Attributes:
        decision: the decision type, e.g. ``'ScheduleActivityTask'``.
    """

    def __init__(
        self,
        message: str,
        *,
        decision: str | None = None,
        argument: str | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(message, argument=argument, value=value)
        self.decision = decision


class InvalidHistoryError(ValidationError):
    """A history that no SWF could have produced (or a malformed event).

    Attributes:
        event_id: the id of the offending event, if it has one.
        position: its index in the event list, if known.
        event_type: the offending event's SWF type, if known.
        entity: the entity concerned (``"activity 'a1'"``, ``"workflow"``), if any.
        from_state: the entity's state before the event (``""`` for "not seen yet"), if any.
        to_state: the state the event tried to move it to, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        event_id: int | None = None,
        position: int | None = None,
        argument: str | None = None,
        value: Any = None,
        event_type: str | None = None,
        entity: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
    ) -> None:
        super().__init__(message, argument=argument, value=value)
        self.event_id = event_id
        self.position = position
        self.event_type = event_type
        self.entity = entity
        self.from_state = from_state
        self.to_state = to_state


class InvalidSettingError(ConfigurationError, ValidationError):
    """A value given to a setting (:func:`swf.settings.set`, ``Connection(endpoint_url=...)``,
    the command line's ``--endpoint-url``) that it cannot use: bad input, refused when given,
    so it is also a :class:`ValidationError`. Its message never shows a credential's value,
    and ``value`` does not hold it either.
    """


class TransportError(SWFError, ConnectionError):
    """The endpoint could not be reached, or did not answer in time (after botocore's retries)."""


class PollTimeout(SWFError, TimeoutError):
    """A long poll ended without a task; polling again is the normal reaction."""


class TaskClosedError(SWFError):
    """The activity or decision task is already closed (completed, timed out or canceled)."""


class PayloadError(SWFError):
    """A payload stored out of band (:mod:`swf.flow.payload`) cannot be written or read.

    Attributes:
        reference: the payload's reference (``swf+s3://.../sha256/<hex> <size>``), if known.
        store: the store's address (``s3://bucket/prefix``), if known.
        digest: the payload's SHA-256, if known.
        code: the store's error code (S3's ``AccessDenied``...), if it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        reference: str | None = None,
        store: str | None = None,
        digest: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reference = reference
        self.store = store
        self.digest = digest
        self.code = code


class PayloadMissingError(PayloadError, LookupError):
    """The object a payload reference names is not in its store (expired, deleted, another
    store)."""


class PayloadCorruptedError(PayloadError):
    """The object a payload reference names is there, but its size or SHA-256 is not the
    reference's: it was changed after it was written. It is never used in its place."""


class ResponseError(SWFError):
    """SWF answered a request with an error.

    Attributes:
        code: the SWF error code, e.g. ``'UnknownResourceFault'``.
        operation: the API operation, e.g. ``'DescribeDomain'``.
        subject: what the request was about, in words (``"domain 'media'"``).
        swf_message: the message SWF sent with the error.
        domain, name, version, workflow_id, run_id: what the request named, where it did.
    """

    #: How the message states the problem, given the subject.
    template = "{operation} failed for {subject}"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str = "",
        operation: str = "",
        subject: str = "",
        swf_message: str = "",
        domain: str | None = None,
        name: str | None = None,
        version: str | None = None,
        workflow_id: str | None = None,
        run_id: str | None = None,
    ) -> None:
        self.code = code
        self.operation = operation
        self.subject = subject
        self.swf_message = swf_message
        self.domain = domain
        self.name = name
        self.version = version
        self.workflow_id = workflow_id
        self.run_id = run_id
        if message is None:
            message = self.template.format(operation=operation, subject=subject or "the request")
            reason = f"{code}: {swf_message}" if swf_message else code
            if reason:
                message = f"{message} ({reason})"
        super().__init__(message)


class DoesNotExistError(ResponseError, LookupError):
    """The domain, type, execution or task named does not exist (``UnknownResourceFault``)."""

    template = "{subject} not found"


class AlreadyExistsError(ResponseError):
    """The domain or type is already registered."""

    template = "{subject} already exists"


class WorkflowExecutionAlreadyStartedError(AlreadyExistsError):
    """An open execution with that workflow id already runs in the domain."""

    template = "{subject} is already started"


class DeprecatedError(ResponseError):
    """The domain or type is deprecated."""

    template = "{subject} is deprecated"


class NotDeprecatedError(ResponseError):
    """The domain or type is not deprecated: an undeprecate of a registered one (SWF's
    ``DomainAlreadyExistsFault`` / ``TypeAlreadyExistsFault`` there), or a delete of a
    registered type (``TypeNotDeprecatedFault``)."""

    template = "{subject} is not deprecated"


class DefaultUndefinedError(ResponseError):
    """A required default (task list, timeout, child policy) is neither given nor registered."""

    template = "{operation} for {subject}: a required default is undefined"


class LimitExceededError(ResponseError):
    """An SWF limit was reached (open executions, registered types, tags...)."""

    template = "{operation} for {subject}: limit exceeded"


class RateLimitExceededError(ResponseError):
    """SWF throttled the request and botocore's retries did not get through."""

    template = "{operation} for {subject}: rate limit exceeded"


class OperationNotPermittedError(ResponseError, PermissionError):
    """The caller may not do this (IAM), or SWF forbids it in this state."""

    template = "{operation} for {subject}: not permitted"


#: SWF and AWS error codes, mapped to the class raised for each. The one place they are read.
ERROR_CODES: Mapping[str, type[ResponseError]] = {
    "UnknownResourceFault": DoesNotExistError,
    "DomainAlreadyExistsFault": AlreadyExistsError,
    "TypeAlreadyExistsFault": AlreadyExistsError,
    "WorkflowExecutionAlreadyStartedFault": WorkflowExecutionAlreadyStartedError,
    "DomainDeprecatedFault": DeprecatedError,
    "TypeDeprecatedFault": DeprecatedError,
    "TypeNotDeprecatedFault": NotDeprecatedError,
    "DefaultUndefinedFault": DefaultUndefinedError,
    "LimitExceededFault": LimitExceededError,
    "TooManyTagsFault": LimitExceededError,
    "ThrottlingException": RateLimitExceededError,
    "Throttling": RateLimitExceededError,
    "ThrottledException": RateLimitExceededError,
    "RequestLimitExceeded": RateLimitExceededError,
    "TooManyRequestsException": RateLimitExceededError,
    "OperationNotPermittedFault": OperationNotPermittedError,
    "AccessDeniedException": OperationNotPermittedError,
    "AccessDenied": OperationNotPermittedError,
    "UnrecognizedClientException": OperationNotPermittedError,
}


def _quote(value: Any) -> str:
    return repr(str(value))


def describe_subject(
    params: Mapping[str, Any], operation: str = ""
) -> tuple[str, dict[str, str | None]]:
    """Say in words what a request's parameters name, and pick out the names for attributes.

    Args:
        params: the parameters of an SWF request.
        operation: the SWF operation, when known (``RegisterWorkflowType`` names its
            subject a workflow type although its parameters do not say so).

    Returns:
        A phrase such as ``"workflow type 'resize' version '2' in domain 'media'"`` (an
        execution comes first: ``"workflow execution 'w1' of workflow type 'resize' version
        '2' in domain 'media'"``) and a dict of ``domain``, ``name``, ``version``,
        ``workflow_id`` and ``run_id`` found in it.
    """
    found: dict[str, str | None] = {}
    parts: list[str] = []
    domain = params.get("domain")
    for key, kind in (("workflowType", "workflow type"), ("activityType", "activity type")):
        ref = params.get(key)
        if isinstance(ref, Mapping):
            found["name"], found["version"] = ref.get("name"), ref.get("version")
            parts.append(f"{kind} {_quote(ref.get('name'))} version {_quote(ref.get('version'))}")
    if not parts and "version" in params and "name" in params:
        if operation.endswith("WorkflowType"):
            kind = "workflow type"
        elif operation.endswith("ActivityType") or "defaultTaskHeartbeatTimeout" in params:
            kind = "activity type"
        else:
            kind = "type"
        found["name"], found["version"] = params["name"], params["version"]
        parts.append(f"{kind} {_quote(params['name'])} version {_quote(params['version'])}")
    execution = params.get("execution")
    workflow_id = execution.get("workflowId") if isinstance(execution, Mapping) else None
    run_id = execution.get("runId") if isinstance(execution, Mapping) else None
    workflow_id = workflow_id or params.get("workflowId")
    run_id = run_id or params.get("runId")
    if workflow_id:
        found["workflow_id"], found["run_id"] = workflow_id, run_id
        text = f"workflow execution {_quote(workflow_id)}"
        if run_id:
            text += f" run {_quote(run_id)}"
        if parts:  # the execution is the subject; its type says which
            text += " of " + " ".join(parts)
            parts = []
        parts.append(text)
    if domain is None and not parts and "name" in params:
        domain = params["name"]
    if domain is not None:
        found["domain"] = domain
        parts.append(f"domain {_quote(domain)}" if not parts else f"in domain {_quote(domain)}")
    if not parts and params.get("taskToken"):
        token = str(params["taskToken"])
        parts.append(f"task {token[:12]}...")
    task_list = params.get("taskList")
    if isinstance(task_list, Mapping) and task_list.get("name"):
        parts.append(f"task list {_quote(task_list['name'])}")
    return " ".join(parts), found


def from_client_error(
    error: Exception,
    operation: str,
    params: Mapping[str, Any],
    overrides: Mapping[type[ResponseError], type[ResponseError]] | None = None,
) -> ResponseError:
    """Build our exception for a botocore ``ClientError`` (not raised: the caller chains it).

    Args:
        error: the ``botocore.exceptions.ClientError``.
        operation: the SWF operation that failed.
        params: the request parameters (they name the subject in the message).
        overrides: a more specific class to use instead of a mapped one, e.g. a model's own
            ``DoesNotExist`` for :class:`DoesNotExistError`.

    Returns:
        The exception, with ``code``, ``operation`` and the named resources set.
    """
    response: Mapping[str, Any] = getattr(error, "response", None) or {}
    info = response.get("Error") or {}
    code = str(info.get("Code") or "")
    cls = ERROR_CODES.get(code, ResponseError)
    if cls is AlreadyExistsError and operation.startswith("Undeprecate"):
        # SWF answers an undeprecate of a registered domain or type with its
        # ...AlreadyExistsFault: what it means is "not deprecated".
        cls = NotDeprecatedError
    if overrides:
        cls = overrides.get(cls, cls)
    subject, names = describe_subject(params, operation)
    return cls(
        code=code,
        operation=operation,
        subject=subject,
        swf_message=str(info.get("Message") or ""),
        **names,
    )
