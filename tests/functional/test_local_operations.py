"""The operations of the local endpoint that moto 5.2.1 lacks or gets wrong, in-process and on
the server: counts, cancel requests, activity cancel, type deletion, paging, filters,
ordering, and the fidelity quirks (real dates, priorities, closed tasks, signals)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from local_kit import ACTIVITY, CHILD, DOMAIN, WORKFLOW, Kit, after, decision, endpoint, last

from swf.exceptions import DoesNotExistError, NotDeprecatedError, ResponseError


@pytest.fixture(params=["in-process", "server"])
def kit(request: pytest.FixtureRequest) -> Kit:
    return Kit(endpoint(request))


def schedule(activity_id: str = "a1", **extra: Any) -> dict[str, Any]:
    return decision(
        "ScheduleActivityTask", activityId=activity_id, activityType=ACTIVITY, input="x", **extra
    )


# -- counts and listings ----------------------------------------------------------------------


@pytest.fixture
def executions(kit: Kit) -> dict[str, str]:
    """Five executions: open ``a`` (tag ``vip``), ``b``; closed ``c`` completed, ``d``
    terminated, and ``e`` (a child type) failed."""
    runs = {"a": kit.start("a", tagList=["vip", "x"]), "b": kit.start("b")}
    runs["c"] = kit.start("c")
    runs["d"] = kit.start("d", tagList=["vip"])
    runs["e"] = kit.start("e", CHILD)
    for _ in range(3):  # the first decision tasks of a, b, c
        task = kit.poll()
        closing = task["workflowExecution"]["workflowId"] == "c"
        done = [decision("CompleteWorkflowExecution")] if closing else []
        kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=done)
    kit.call("TerminateWorkflowExecution", workflowId="d")
    kit.decide([decision("FailWorkflowExecution", reason="r")], "child-deciders")
    return runs


@pytest.mark.parametrize(
    ("operation", "filters", "expected"),
    [
        ("Open", {}, {"a", "b"}),
        ("Open", {"tagFilter": {"tag": "vip"}}, {"a"}),
        ("Open", {"executionFilter": {"workflowId": "b"}}, {"b"}),
        ("Open", {"typeFilter": {"name": "wf"}}, {"a", "b"}),  # a name without a version
        ("Open", {"typeFilter": {"name": "wf", "version": "2"}}, set()),
        ("Closed", {}, {"c", "d", "e"}),
        ("Closed", {"closeStatusFilter": {"status": "TERMINATED"}}, {"d"}),
        ("Closed", {"closeStatusFilter": {"status": "COMPLETED"}}, {"c"}),
        ("Closed", {"tagFilter": {"tag": "vip"}}, {"d"}),
        ("Closed", {"typeFilter": {"name": "child", "version": "1"}}, {"e"}),
        ("Closed", {"startTimeFilter": {"oldestDate": 0, "latestDate": 1}}, set()),
        (
            "Closed",
            {"closeTimeFilter": {"oldestDate": 0}, "startTimeFilter": None},
            {"c", "d", "e"},
        ),
        ("Closed", {"closeTimeFilter": {"oldestDate": 4102444800}, "startTimeFilter": None}, set()),
    ],
)
def test_counts_and_lists_apply_swf_filters(
    kit: Kit,
    executions: dict[str, str],
    operation: str,
    filters: dict[str, Any],
    expected: set[str],
) -> None:
    params = {"startTimeFilter": {"oldestDate": 0}, **filters}
    params = {k: v for k, v in params.items() if v is not None}
    count = kit.call(f"Count{operation}WorkflowExecutions", **params)
    assert count == {"count": len(expected), "truncated": False}
    listed = kit.call(f"List{operation}WorkflowExecutions", **params)["executionInfos"]
    assert {e["execution"]["workflowId"] for e in listed} == expected
    for info in listed:
        assert info["execution"]["runId"] == executions[info["execution"]["workflowId"]]
        assert info["executionStatus"] == operation.upper()


def test_exclusive_filters_are_refused(kit: Kit) -> None:
    with pytest.raises(ResponseError, match="ValidationException: Only one of"):
        kit.call(
            "CountOpenWorkflowExecutions",
            startTimeFilter={"oldestDate": 0},
            tagFilter={"tag": "a"},
            executionFilter={"workflowId": "w"},
        )
    with pytest.raises(ResponseError, match="exactly one of startTimeFilter"):
        kit.call(
            "ListClosedWorkflowExecutions",
            startTimeFilter={"oldestDate": 0},
            closeTimeFilter={"oldestDate": 0},
        )


def test_executions_are_listed_newest_first_or_reversed_and_paged(kit: Kit) -> None:
    for i in range(7):
        kit.start(f"w{i}")
        time.sleep(0.002)  # distinct start times
    params: dict[str, Any] = {"startTimeFilter": {"oldestDate": 0}, "maximumPageSize": 3}
    seen: list[str] = []
    pages = 0
    while True:
        page = kit.call("ListOpenWorkflowExecutions", **params)
        seen += [e["execution"]["workflowId"] for e in page["executionInfos"]]
        pages += 1
        if not page.get("nextPageToken"):
            break
        params["nextPageToken"] = page["nextPageToken"]
    assert seen == [f"w{i}" for i in reversed(range(7))]
    assert pages == 3
    oldest_first = kit.call(
        "ListOpenWorkflowExecutions", startTimeFilter={"oldestDate": 0}, reverseOrder=True
    )
    assert [e["execution"]["workflowId"] for e in oldest_first["executionInfos"]] == [
        f"w{i}" for i in range(7)
    ]
    assert "nextPageToken" not in oldest_first


def test_domains_and_types_page_filter_by_name_and_reverse(kit: Kit) -> None:
    for name in ("b", "a", "c"):
        kit.call("RegisterDomain", name=f"extra-{name}", workflowExecutionRetentionPeriodInDays="1")
    first = kit.call("ListDomains", registrationStatus="REGISTERED", maximumPageSize=2)
    rest = kit.call(
        "ListDomains",
        registrationStatus="REGISTERED",
        maximumPageSize=2,
        nextPageToken=first["nextPageToken"],
    )
    names = [d["name"] for d in first["domainInfos"] + rest["domainInfos"]]
    assert names == ["extra-a", "extra-b", "extra-c", DOMAIN]
    assert "nextPageToken" not in rest
    backwards = kit.call("ListDomains", registrationStatus="REGISTERED", reverseOrder=True)
    assert [d["name"] for d in backwards["domainInfos"]] == names[::-1]

    kit.call("RegisterWorkflowType", domain=DOMAIN, name="wf", version="2")
    by_name = kit.call("ListWorkflowTypes", registrationStatus="REGISTERED", name="wf")
    assert [t["workflowType"] for t in by_name["typeInfos"]] == [
        WORKFLOW,
        {"name": "wf", "version": "2"},
    ]
    paged = kit.call("ListWorkflowTypes", registrationStatus="REGISTERED", maximumPageSize=1)
    assert [t["workflowType"] for t in paged["typeInfos"]] == [CHILD]
    assert paged["nextPageToken"]
    reverse = kit.call("ListActivityTypes", registrationStatus="REGISTERED", reverseOrder=True)
    assert [t["activityType"] for t in reverse["typeInfos"]] == [ACTIVITY]


def test_a_bad_page_token_is_a_validation_error(kit: Kit) -> None:
    with pytest.raises(ResponseError, match="ValidationException: Invalid nextPageToken"):
        kit.call("ListDomains", registrationStatus="REGISTERED", nextPageToken="not-a-token")


# -- histories and decision tasks, paged ------------------------------------------------------


def test_histories_page_at_swf_s_default_and_on_request(kit: Kit) -> None:
    run = kit.start("long")
    for i in range(1050):
        kit.signal("long", "s", input=str(i))
    execution = {"workflowId": "long", "runId": run}
    first = kit.call("GetWorkflowExecutionHistory", execution=execution)
    assert len(first["events"]) == 1000  # SWF's default (and largest) page
    second = kit.call(
        "GetWorkflowExecutionHistory", execution=execution, nextPageToken=first["nextPageToken"]
    )
    assert [e["eventId"] for e in first["events"] + second["events"]] == list(range(1, 1053))
    assert "nextPageToken" not in second
    newest = kit.call(
        "GetWorkflowExecutionHistory", execution=execution, reverseOrder=True, maximumPageSize=2
    )
    assert [e["eventId"] for e in newest["events"]] == [1052, 1051]
    # one DecisionTaskScheduled for 1,050 signals: SWF keeps at most one scheduled
    assert kit.types("long", run).count("DecisionTaskScheduled") == 1

    task = kit.poll(maximumPageSize=400)
    assert len(task["events"]) == 400
    token, pages, events = task["taskToken"], [task], list(task["events"])
    while pages[-1].get("nextPageToken"):
        page = kit.poll(maximumPageSize=400, nextPageToken=pages[-1]["nextPageToken"])
        assert page["taskToken"] == token  # the same decision task, its next page
        pages.append(page)
        events += page["events"]
    assert len(pages) == 3
    assert [e["eventId"] for e in events] == list(range(1, task["startedEventId"] + 1))
    assert events[-1]["eventType"] == "DecisionTaskStarted"
    kit.call("RespondDecisionTaskCompleted", taskToken=token, decisions=[])


def test_a_decision_task_in_reverse_and_from_the_previous_started_event(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([])
    kit.signal("w")
    task = kit.poll(reverseOrder=True)
    assert [e["eventId"] for e in task["events"]] == list(range(task["startedEventId"], 0, -1))
    assert task["previousStartedEventId"] == 3
    kit.call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[])
    kit.signal("w")
    recent = kit.poll(startAtPreviousStartedEvent=True)
    assert recent["events"][0]["eventId"] == recent["previousStartedEventId"]
    assert len(recent["events"]) < len(kit.events("w", run))


# -- RequestCancelWorkflowExecution, types deletion -------------------------------------------


def test_request_cancel_workflow_execution(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([])
    kit.call("RequestCancelWorkflowExecution", workflowId="w")
    events = kit.events("w", run)
    requested = last(events, "WorkflowExecutionCancelRequested")
    assert set(requested) == {"event_id"}  # operator-initiated: no external execution, no cause
    assert after(events, requested["event_id"]) == ["DecisionTaskScheduled"]
    assert kit.describe("w", run)["executionInfo"]["cancelRequested"] is True
    kit.decide([decision("CancelWorkflowExecution", details="as asked")])
    assert kit.describe("w", run)["executionInfo"]["closeStatus"] == "CANCELED"
    with pytest.raises(DoesNotExistError):
        kit.call("RequestCancelWorkflowExecution", workflowId="w", runId=run)
    with pytest.raises(DoesNotExistError):
        kit.call("RequestCancelWorkflowExecution", workflowId="ghost")


@pytest.mark.parametrize("kind", ["Workflow", "Activity"])
def test_delete_type_only_when_deprecated(kit: Kit, kind: str) -> None:
    key = {f"{kind.lower()}Type": WORKFLOW if kind == "Workflow" else ACTIVITY}
    with pytest.raises(NotDeprecatedError):
        kit.call(f"Delete{kind}Type", **key)
    kit.call(f"Deprecate{kind}Type", **key)
    kit.call(f"Delete{kind}Type", **key)
    with pytest.raises(DoesNotExistError):
        kit.call(f"Describe{kind}Type", **key)
    listed = kit.call(f"List{kind}Types", registrationStatus="DEPRECATED")
    assert listed["typeInfos"] == []
    with pytest.raises(DoesNotExistError):
        kit.call(f"Delete{kind}Type", **key)


# -- fidelity ---------------------------------------------------------------------------------


def test_a_signal_without_input(kit: Kit) -> None:
    run = kit.start("w")
    kit.signal("w", "bare")
    signaled = last(kit.events("w", run), "WorkflowExecutionSignaled")
    assert signaled == {"event_id": 3, "signalName": "bare"}


def test_empty_strings_are_kept(kit: Kit) -> None:
    run = kit.start("w", input="")
    kit.signal("w", "s", input="")
    events = kit.events("w", run)
    assert last(events, "WorkflowExecutionStarted")["input"] == ""
    assert last(events, "WorkflowExecutionSignaled")["input"] == ""


def test_describe_carries_real_dates_and_the_whole_configuration(kit: Kit) -> None:
    before = time.time()
    run = kit.start("w", taskPriority="7", lambdaRole="arn:aws:iam::1:role/r", tagList=["t"])
    described = kit.describe("w", run)
    info = described["executionInfo"]
    assert before - 1 <= info["startTimestamp"].timestamp() <= time.time() + 1
    configuration = described["executionConfiguration"]
    assert configuration["taskPriority"] == "7"
    assert configuration["lambdaRole"] == "arn:aws:iam::1:role/r"
    assert configuration["taskList"] == {"name": "deciders"}
    assert described["openCounts"] == {
        "openActivityTasks": 0,
        "openDecisionTasks": 1,
        "openTimers": 0,
        "openChildWorkflowExecutions": 0,
        "openLambdaFunctions": 0,
    }
    started = last(kit.events("w", run), "WorkflowExecutionStarted")
    assert (started["taskPriority"], started["tagList"]) == ("7", ["t"])


def test_types_carry_real_dates_and_priorities(kit: Kit) -> None:
    before = time.time()
    kit.call("RegisterActivityType", domain=DOMAIN, name="p", version="1", defaultTaskPriority="5")
    kit.call("RegisterWorkflowType", domain=DOMAIN, name="p", version="1", defaultTaskPriority="3")
    activity = kit.call("DescribeActivityType", activityType={"name": "p", "version": "1"})
    assert activity["configuration"]["defaultTaskPriority"] == "5"
    created = activity["typeInfo"]["creationDate"].timestamp()
    assert before - 1 <= created <= time.time() + 1
    kit.call("DeprecateActivityType", activityType={"name": "p", "version": "1"})
    deprecated = kit.call("DescribeActivityType", activityType={"name": "p", "version": "1"})
    assert deprecated["typeInfo"]["deprecationDate"].timestamp() >= created
    workflow = kit.call("DescribeWorkflowType", workflowType={"name": "p", "version": "1"})
    assert workflow["configuration"]["defaultTaskPriority"] == "3"


def test_higher_priority_activities_are_handed_out_first(kit: Kit) -> None:
    kit.start("w")
    kit.decide([schedule("low", taskPriority="1"), schedule("high", taskPriority="9"), schedule()])
    order = [kit.work()["activityId"] for _ in range(3)]
    assert order == ["high", "low", "a1"]


def test_activity_tasks_of_a_closed_execution_are_not_handed_out(kit: Kit) -> None:
    run = kit.start("w")
    kit.decide([schedule()])
    assert kit.call("CountPendingActivityTasks", taskList={"name": "workers"})["count"] == 1
    kit.call("TerminateWorkflowExecution", workflowId="w", runId=run)
    assert "taskToken" not in kit.call("PollForActivityTask", taskList={"name": "workers"})
    assert kit.call("CountPendingActivityTasks", taskList={"name": "workers"})["count"] == 0


def test_a_late_answer_for_a_closed_task_is_unknown_resource(kit: Kit) -> None:
    kit.start("w")
    kit.decide([schedule()])
    task = kit.work()
    kit.call("RespondActivityTaskCompleted", taskToken=task["taskToken"], result="r")
    for operation, extra in (
        ("RespondActivityTaskCompleted", {}),
        ("RespondActivityTaskFailed", {"reason": "late"}),
        ("RespondActivityTaskCanceled", {}),
        ("RecordActivityTaskHeartbeat", {}),
    ):
        with pytest.raises(DoesNotExistError, match="UnknownResourceFault"):
            kit.call(operation, taskToken=task["taskToken"], **extra)
    decision_task = kit.poll()
    kit.call("RespondDecisionTaskCompleted", taskToken=decision_task["taskToken"])
    with pytest.raises(DoesNotExistError):
        kit.call("RespondDecisionTaskCompleted", taskToken=decision_task["taskToken"])


def test_pending_counts_are_the_tasks_waiting_on_the_list(kit: Kit) -> None:
    kit.start("w1")
    kit.start("w2")
    assert kit.call("CountPendingDecisionTasks", taskList={"name": "deciders"}) == {
        "count": 2,
        "truncated": False,
    }
    kit.decide([schedule(), schedule("a2")])
    assert kit.call("CountPendingDecisionTasks", taskList={"name": "deciders"})["count"] == 1
    kit.work()
    assert kit.call("CountPendingActivityTasks", taskList={"name": "workers"})["count"] == 1


def test_all_39_operations_answer(kit: Kit) -> None:
    """Each of SWF's operations, with valid parameters: an answer, never a 500 (which
    LocalConnection raises as LocalEndpointError) or moto's NotImplementedError."""
    called: list[str] = []

    def call(operation: str, **params: Any) -> dict[str, Any]:
        called.append(operation)
        return kit.call(operation, **params)

    arn = call("DescribeDomain", name=DOMAIN)["domainInfo"]["arn"]
    call("ListDomains", registrationStatus="REGISTERED")
    call("TagResource", resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    assert call("ListTagsForResource", resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    call("UntagResource", resourceArn=arn, tagKeys=["k"])
    call("RegisterDomain", name="spare", workflowExecutionRetentionPeriodInDays="1")
    call("RegisterWorkflowType", name="spare", version="1")
    call("DescribeWorkflowType", workflowType=WORKFLOW)
    call("ListWorkflowTypes", registrationStatus="REGISTERED")
    call("RegisterActivityType", name="spare", version="1")
    call("DescribeActivityType", activityType=ACTIVITY)
    call("ListActivityTypes", registrationStatus="REGISTERED")
    run = call("StartWorkflowExecution", workflowId="w", workflowType=WORKFLOW)["runId"]
    execution = {"workflowId": "w", "runId": run}
    call("DescribeWorkflowExecution", execution=execution)
    call("GetWorkflowExecutionHistory", execution=execution)
    every = {"startTimeFilter": {"oldestDate": 0}}
    call("ListOpenWorkflowExecutions", **every)
    call("ListClosedWorkflowExecutions", **every)
    call("CountOpenWorkflowExecutions", **every)
    call("CountClosedWorkflowExecutions", **every)
    call("CountPendingDecisionTasks", taskList={"name": "deciders"})
    token = call("PollForDecisionTask", taskList={"name": "deciders"})["taskToken"]
    decisions = [schedule("a1"), schedule("a2"), schedule("a3")]
    call("RespondDecisionTaskCompleted", taskToken=token, decisions=decisions)
    call("CountPendingActivityTasks", taskList={"name": "workers"})
    tokens = [
        call("PollForActivityTask", taskList={"name": "workers"})["taskToken"] for _ in range(3)
    ]
    call("RecordActivityTaskHeartbeat", taskToken=tokens[0], details="d")
    call("RespondActivityTaskCompleted", taskToken=tokens[0], result="r")
    call("RespondActivityTaskFailed", taskToken=tokens[1], reason="r")
    call("RespondActivityTaskCanceled", taskToken=tokens[2], details="d")
    call("SignalWorkflowExecution", workflowId="w", signalName="s")
    call("RequestCancelWorkflowExecution", workflowId="w")
    call("TerminateWorkflowExecution", workflowId="w")
    for kind, key in (("Activity", ACTIVITY), ("Workflow", WORKFLOW)):
        type_key = {f"{kind.lower()}Type": key}
        call(f"Deprecate{kind}Type", **type_key)
        call(f"Undeprecate{kind}Type", **type_key)
        call(f"Deprecate{kind}Type", **type_key)
        call(f"Delete{kind}Type", **type_key)
    call("DeprecateDomain", name="spare")
    call("UndeprecateDomain", name="spare")

    operations = set(kit.conn.client.meta.service_model.operation_names)
    assert len(operations) == 39
    assert set(called) == operations
    kinds = kit.types("w", run)
    assert kinds.count("ActivityTaskScheduled") == 3
    assert {"ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskCanceled"} <= set(kinds)
    assert kinds[-3:] == [
        "WorkflowExecutionSignaled",
        "WorkflowExecutionCancelRequested",
        "WorkflowExecutionTerminated",
    ]
