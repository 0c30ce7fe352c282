from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from swf import exceptions as exc
from swf.exceptions import ERROR_CODES, from_client_error


def client_error(code: str, message: str = "boom") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "Op")


@pytest.mark.parametrize(("code", "cls"), sorted(ERROR_CODES.items()))
def test_every_code_maps_to_its_class(code: str, cls: type[exc.ResponseError]) -> None:
    error = from_client_error(client_error(code), "DescribeDomain", {"name": "media"})
    assert type(error) is cls
    assert error.code == code
    assert error.operation == "DescribeDomain"
    assert isinstance(error, exc.SWFError)
    assert code in str(error)


def test_every_fault_of_the_service_model_is_mapped() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("swf")
    faults = {name for name in model.shape_names if model.shape_for(name).metadata.get("exception")}
    assert faults <= set(ERROR_CODES)


def test_unknown_code_is_a_plain_response_error() -> None:
    error = from_client_error(client_error("SomethingNew"), "ListDomains", {})
    assert type(error) is exc.ResponseError
    assert "SomethingNew" in str(error)


def test_message_names_type_version_and_domain() -> None:
    params = {"domain": "media", "workflowType": {"name": "resize", "version": "2"}}
    error = from_client_error(
        client_error("UnknownResourceFault", "Unknown type"), "DescribeWorkflowType", params
    )
    assert str(error) == (
        "workflow type 'resize' version '2' in domain 'media' not found "
        "(UnknownResourceFault: Unknown type)"
    )
    assert (error.domain, error.name, error.version) == ("media", "resize", "2")
    assert isinstance(error, LookupError)


def test_message_names_execution() -> None:
    params = {"domain": "d", "execution": {"workflowId": "wf-1", "runId": "r1"}}
    error = from_client_error(
        client_error("WorkflowExecutionAlreadyStartedFault"), "StartWorkflowExecution", params
    )
    assert "workflow execution 'wf-1' run 'r1' in domain 'd'" in str(error)
    assert (error.workflow_id, error.run_id) == ("wf-1", "r1")
    assert isinstance(error, exc.AlreadyExistsError)


def test_overrides_pick_a_more_specific_class() -> None:
    class DomainDoesNotExist(exc.DoesNotExistError):
        pass

    error = from_client_error(
        client_error("UnknownResourceFault"),
        "DescribeDomain",
        {"name": "x"},
        {exc.DoesNotExistError: DomainDoesNotExist},
    )
    assert type(error) is DomainDoesNotExist
    assert str(error).startswith("domain 'x' not found")


def test_builtin_bases() -> None:
    assert issubclass(exc.ValidationError, ValueError)
    assert issubclass(exc.InvalidTypeError, TypeError)
    assert issubclass(exc.InvalidHistoryError, exc.ValidationError)
    assert issubclass(exc.InvalidDecisionError, exc.ValidationError)
    assert issubclass(exc.TransportError, ConnectionError)
    assert issubclass(exc.PollTimeout, TimeoutError)
    assert issubclass(exc.OperationNotPermittedError, PermissionError)


def test_task_token_is_shortened_in_messages() -> None:
    error = from_client_error(
        client_error("UnknownResourceFault"),
        "RespondActivityTaskCompleted",
        {"taskToken": "A" * 500},
    )
    assert "A" * 13 not in str(error)


@pytest.mark.parametrize(
    ("operation", "kind"),
    [
        ("RegisterWorkflowType", "workflow type"),
        ("RegisterActivityType", "activity type"),
        ("SomethingElse", "type"),
    ],
)
def test_a_registration_names_its_kind_of_type(operation: str, kind: str) -> None:
    params = {"domain": "d", "name": "t", "version": "1"}
    error = from_client_error(client_error("TypeAlreadyExistsFault"), operation, params)
    assert str(error).startswith(f"{kind} 't' version '1' in domain 'd' already exists")


def test_an_execution_of_a_type_is_the_subject() -> None:
    params = {"domain": "d", "workflowId": "w1", "workflowType": {"name": "t", "version": "1"}}
    error = from_client_error(
        client_error("WorkflowExecutionAlreadyStartedFault"), "StartWorkflowExecution", params
    )
    assert str(error).startswith(
        "workflow execution 'w1' of workflow type 't' version '1' in domain 'd' is already started"
    )


@pytest.mark.parametrize(
    ("operation", "code"),
    [
        ("UndeprecateDomain", "DomainAlreadyExistsFault"),
        ("UndeprecateWorkflowType", "TypeAlreadyExistsFault"),
        ("UndeprecateActivityType", "TypeAlreadyExistsFault"),
    ],
)
def test_undeprecating_a_registered_one_is_not_deprecated(operation: str, code: str) -> None:
    error = from_client_error(client_error(code), operation, {"name": "x"})
    assert type(error) is exc.NotDeprecatedError
    assert str(error).startswith("domain 'x' is not deprecated")
