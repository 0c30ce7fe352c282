"""Models against moto's SWF (in-process): register, describe, diff, start, signal, terminate."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from swf import constants
from swf.core import Connection
from swf.exceptions import DefaultUndefinedError, DeprecatedError, NotDeprecatedError
from swf.models import (
    ActivityType,
    Difference,
    Domain,
    ModelDiff,
    WorkflowExecution,
    WorkflowType,
)


@pytest.fixture
def domain(swf_backend: Connection) -> Domain:
    domain = Domain("media", description="images", retention_period=60, client=swf_backend)
    domain.save()
    return domain


@pytest.fixture
def workflow_type(domain: Domain) -> WorkflowType:
    wtype = WorkflowType(
        domain,
        "thumbnails",
        "1",
        task_list="deciders",
        child_policy=constants.TERMINATE,
        execution_timeout=3600,
        decision_tasks_timeout=60,
        description="makes thumbnails",
        client=domain.client,
    )
    wtype.save()
    return wtype


def test_domain_round_trip(domain: Domain, swf_backend: Connection) -> None:
    assert domain.exists
    upstream = domain.upstream()
    assert upstream == domain
    assert upstream.raw is not None and upstream.raw["domainInfo"]["name"] == "media"
    assert domain.is_synced
    assert not domain.changes


def test_domain_exists_is_false_for_a_missing_domain(swf_backend: Connection) -> None:
    assert Domain("nope", client=swf_backend).exists is False
    with pytest.raises(Domain.DoesNotExist, match="domain 'nope' not found") as caught:
        Domain("nope", client=swf_backend).upstream()
    assert caught.value.code == "UnknownResourceFault"
    assert caught.value.domain == "nope"


def test_domain_save_twice(domain: Domain) -> None:
    with pytest.raises(Domain.AlreadyExists, match="domain 'media' already exists"):
        domain.save()


def test_domain_delete_and_undeprecate(domain: Domain) -> None:
    domain.delete()
    assert domain.changes == domain.diff(domain.upstream())
    assert list(domain.changes) == [Difference("status", "REGISTERED", "DEPRECATED")]
    with pytest.raises(DeprecatedError):
        domain.delete()
    domain.undeprecate()
    assert domain.is_synced


def test_domain_counts_pending_tasks_per_task_list(workflow_type: WorkflowType) -> None:
    domain = workflow_type.domain
    assert domain.count_pending_decision_tasks("deciders") == 0
    workflow_type.start_execution("counted-1")
    workflow_type.start_execution("counted-2")
    assert domain.count_pending_decision_tasks("deciders") == 2
    assert domain.count_pending_decision_tasks("elsewhere") == 0
    assert domain.count_pending_activity_tasks("workers") == 0
    with pytest.raises(Domain.DoesNotExist, match="'nope'"):
        Domain("nope", client=domain.client).count_pending_activity_tasks("workers")


def test_workflow_type_round_trip(workflow_type: WorkflowType) -> None:
    upstream = workflow_type.upstream()
    assert upstream == workflow_type
    assert upstream.creation_date is not None
    assert upstream.creation_date.tzinfo is not None
    assert workflow_type.is_synced


def test_workflow_type_twice_and_missing(workflow_type: WorkflowType) -> None:
    with pytest.raises(WorkflowType.AlreadyExists, match="'thumbnails' version '1'"):
        workflow_type.save()
    missing = WorkflowType(workflow_type.domain, "thumbnails", "9", client=workflow_type.client)
    assert not missing.exists
    with pytest.raises(WorkflowType.DoesNotExist, match="version '9'"):
        missing.upstream()


def test_workflow_type_deprecate(workflow_type: WorkflowType) -> None:
    workflow_type.delete()
    assert workflow_type.changes["status"] == Difference("status", "REGISTERED", "DEPRECATED")
    assert workflow_type.upstream().deprecation_date is not None
    workflow_type.undeprecate()
    assert workflow_type.is_synced


def test_activity_type_round_trip(domain: Domain) -> None:
    atype = ActivityType(
        domain,
        "resize",
        "1",
        task_list="images",
        task_heartbeat_timeout=30,
        task_schedule_to_close_timeout=600,
        task_schedule_to_start_timeout="NONE",
        task_start_to_close_timeout=300,
        description="resize an image",
        client=domain.client,
    )
    atype.save()
    assert atype.upstream() == atype
    assert atype.is_synced
    atype.delete()
    assert "status" in atype.changes
    atype.undeprecate()
    assert atype.exists


def test_activity_type_priority_round_trip(domain: Domain) -> None:
    atype = ActivityType(domain, "resize", "2", task_priority=5, client=domain.client)
    atype.save()
    assert atype.upstream().task_priority == "5"


def test_start_execution(workflow_type: WorkflowType) -> None:
    execution = workflow_type.start_execution(input="cat.png", tag_list=["a", "b"])
    assert execution.run_id
    assert execution.workflow_id.startswith("thumbnails-")
    assert execution.status == constants.OPEN
    upstream = execution.upstream()
    assert upstream.key == execution.key
    assert upstream.workflow_type == WorkflowType(workflow_type.domain, "thumbnails", "1")
    assert (upstream.status, upstream.tag_list, upstream.input) == ("OPEN", ("a", "b"), "cat.png")
    assert (upstream.task_list, upstream.child_policy) == ("deciders", "TERMINATE")
    assert (upstream.execution_timeout, upstream.decision_tasks_timeout) == ("3600", "60")
    assert upstream.open_counts is not None and upstream.open_counts.decision_tasks == 1
    assert upstream.start_timestamp is not None


def test_start_execution_twice(workflow_type: WorkflowType) -> None:
    workflow_type.start_execution("same")
    with pytest.raises(WorkflowExecution.AlreadyExists, match="'same'"):
        workflow_type.start_execution("same")


def test_start_execution_without_defaults(domain: Domain) -> None:
    bare = WorkflowType(domain, "bare", "1", client=domain.client)
    bare.save()
    with pytest.raises(DefaultUndefinedError):
        bare.start_execution()


def test_raw_events_page_with_maximum_page_size(workflow_type: WorkflowType) -> None:
    execution = workflow_type.start_execution(input="x")
    events = list(execution.raw_events())
    assert [e["eventType"] for e in events] == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert [e["eventId"] for e in events] == [1, 2]
    started = events[0]["workflowExecutionStartedEventAttributes"]
    assert started["input"] == "x"


def test_raw_events_stop_fetching_when_the_caller_stops(workflow_type: WorkflowType) -> None:
    execution = workflow_type.start_execution()
    connection = execution.connection
    before = connection.calls["GetWorkflowExecutionHistory"]
    iterator = execution.raw_events()
    assert connection.calls["GetWorkflowExecutionHistory"] == before  # nothing sent yet
    assert next(iterator)["eventId"] == 1
    assert connection.calls["GetWorkflowExecutionHistory"] == before + 1


def test_signal_and_terminate(workflow_type: WorkflowType) -> None:
    execution = workflow_type.start_execution()
    execution.signal("resume", input='{"page": 2}')
    events = list(execution.raw_events())
    signaled = [e for e in events if e["eventType"] == "WorkflowExecutionSignaled"]
    attributes = signaled[0]["workflowExecutionSignaledEventAttributes"]
    assert (attributes["signalName"], attributes["input"]) == ("resume", '{"page": 2}')
    execution.terminate(reason="enough", details="bye")
    closed = execution.upstream()
    assert (closed.status, closed.close_status) == ("CLOSED", "TERMINATED")
    assert list(execution.raw_events(reverse=False))[-1]["eventType"] == (
        "WorkflowExecutionTerminated"
    )


def test_execution_without_run_id_uses_the_current_run(workflow_type: WorkflowType) -> None:
    started = workflow_type.start_execution("current")
    loose = WorkflowExecution(workflow_type.domain, "current", client=workflow_type.client)
    assert loose.upstream().run_id == started.run_id
    assert len(list(loose.raw_events())) == 2


def test_missing_execution(domain: Domain) -> None:
    ghost = WorkflowExecution(domain, "ghost", "run", client=domain.client)
    assert not ghost.exists
    with pytest.raises(WorkflowExecution.DoesNotExist, match="'ghost'"):
        ghost.upstream()
    with pytest.raises(WorkflowExecution.DoesNotExist):
        WorkflowExecution(domain, "ghost", client=domain.client).upstream()


def test_request_cancel_request_shape() -> None:
    """moto lacks RequestCancelWorkflowExecution: its request shape is checked by the Stubber."""
    client = boto3.client("swf", region_name="us-east-1")
    connection = Connection(client)
    with Stubber(client) as stubber:
        stubber.add_response(
            "request_cancel_workflow_execution",
            {},
            {"domain": "d", "workflowId": "w", "runId": "r"},
        )
        stubber.add_client_error(
            "request_cancel_workflow_execution", "UnknownResourceFault", "Unknown execution"
        )
        WorkflowExecution("d", "w", "r", client=connection).request_cancel()
        with pytest.raises(WorkflowExecution.DoesNotExist, match="'w'"):
            WorkflowExecution("d", "w", "r", client=connection).request_cancel()
        stubber.assert_no_pending_responses()


def test_start_execution_request_shape() -> None:
    client = boto3.client("swf", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response(
            "start_workflow_execution",
            {"runId": "run-1"},
            {
                "domain": "d",
                "workflowId": "w",
                "workflowType": {"name": "t", "version": "1"},
                "taskList": {"name": "tl"},
                "taskPriority": "3",
                "input": "in",
                "executionStartToCloseTimeout": "60",
                "tagList": ["x"],
                "taskStartToCloseTimeout": "NONE",
                "childPolicy": "ABANDON",
                "lambdaRole": "role",
            },
        )
        execution = WorkflowType("d", "t", "1", client=client).start_execution(
            "w",
            task_list="tl",
            input="in",
            tag_list=["x"],
            execution_timeout=60,
            decision_tasks_timeout="NONE",
            child_policy="ABANDON",
            task_priority=3,
            lambda_role="role",
        )
    assert (execution.run_id, execution.task_priority, execution.tag_list) == ("run-1", "3", ("x",))


def test_a_just_started_execution_is_synced_and_a_terminated_one_differs_in_its_status(
    workflow_type: WorkflowType,
) -> None:
    """Fields the local model does not know (start time, the type's defaults, open counts)
    are not differences (issue 12, correctness 4)."""
    execution = workflow_type.start_execution(input="x", tag_list=["a"])
    assert execution.changes == ModelDiff()
    assert execution.is_synced
    execution.terminate(reason="enough")
    changed = {d.attr for d in execution.changes}
    # (moto describes no closeTimestamp; SWF does, and that is a real difference too)
    assert {"status", "close_status"} <= changed <= {"status", "close_status", "close_timestamp"}
    assert execution.changes["close_status"] == Difference("close_status", None, "TERMINATED")
    listed = WorkflowExecution(workflow_type.domain, execution.workflow_id, client=execution.client)
    assert (
        listed.changes == ModelDiff()
    )  # named by workflow id only: nothing known, nothing differs


# -- messages that say what happened (issue 12, correctness 6) ----------------------------------


@pytest.mark.parametrize("model", [WorkflowType, ActivityType])
def test_saving_a_type_in_a_missing_domain_says_the_domain_is_missing(
    swf_backend: Connection, model: type[WorkflowType] | type[ActivityType]
) -> None:
    kind = "workflow type" if model is WorkflowType else "activity type"
    with pytest.raises(Domain.DoesNotExist) as caught:
        model("nope", "t", "1", client=swf_backend).save()
    assert not isinstance(caught.value, model.DoesNotExist)
    assert str(caught.value).startswith(
        f"domain 'nope' not found: cannot register {kind} 't' version '1' in it"
    )
    assert (caught.value.domain, caught.value.code) == ("nope", "UnknownResourceFault")


def test_a_duplicate_type_and_start_name_what_exists(workflow_type: WorkflowType) -> None:
    with pytest.raises(WorkflowType.AlreadyExists) as caught:
        workflow_type.save()
    assert str(caught.value).startswith(
        "workflow type 'thumbnails' version '1' in domain 'media' already exists"
    )
    workflow_type.start_execution("w1")
    with pytest.raises(WorkflowExecution.AlreadyExists) as started:
        workflow_type.start_execution("w1")
    assert str(started.value).startswith(
        "workflow execution 'w1' of workflow type 'thumbnails' version '1' in domain 'media' "
        "is already started"
    )


def test_starting_a_missing_type_or_in_a_missing_domain(
    workflow_type: WorkflowType, swf_backend: Connection
) -> None:
    missing = WorkflowType(workflow_type.domain, "nope", "1", client=swf_backend)
    with pytest.raises(WorkflowType.DoesNotExist) as caught:
        missing.start_execution("w2")
    assert str(caught.value).startswith(
        "workflow type 'nope' version '1' not found in domain 'media': cannot start "
        "workflow execution 'w2'"
    )
    elsewhere = WorkflowType("gone", "thumbnails", "1", client=swf_backend)
    with pytest.raises(Domain.DoesNotExist, match="^domain 'gone' not found: cannot start"):
        elsewhere.start_execution("w3")


def test_undeprecating_a_registered_domain_or_type_says_it_is_not_deprecated(
    workflow_type: WorkflowType,
) -> None:
    with pytest.raises(NotDeprecatedError, match="^domain 'media' is not deprecated"):
        workflow_type.domain.undeprecate()
    with pytest.raises(NotDeprecatedError) as caught:
        workflow_type.undeprecate()
    assert str(caught.value).startswith(
        "workflow type 'thumbnails' version '1' in domain 'media' is not deprecated"
    )
    assert caught.value.code == "TypeAlreadyExistsFault"
