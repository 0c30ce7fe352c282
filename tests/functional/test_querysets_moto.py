"""QuerySets against the local endpoint (moto's SWF in-process, extended by swf.local)."""

from __future__ import annotations

import pytest

from swf import constants
from swf.core import Connection
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.querysets import (
    ActivityTypeQuerySet,
    DomainQuerySet,
    WorkflowExecutionQuerySet,
    WorkflowTypeQuerySet,
)


@pytest.fixture
def domain(swf_backend: Connection) -> Domain:
    return DomainQuerySet(client=swf_backend).create("media", retention_period=7)


@pytest.fixture
def wtype(domain: Domain, swf_backend: Connection) -> WorkflowType:
    return WorkflowTypeQuerySet(domain, client=swf_backend).create(
        "thumbnails",
        "1",
        task_list="deciders",
        execution_timeout=3600,
        decision_tasks_timeout=60,
        child_policy="TERMINATE",
    )


@pytest.fixture
def executions(wtype: WorkflowType, swf_backend: Connection) -> dict[str, WorkflowExecution]:
    """Two open executions, one terminated, one open run of a terminated workflow id."""
    qs = WorkflowExecutionQuerySet(wtype.domain, client=swf_backend)
    tagged = qs.create(wtype, "tagged", tag_list=["vip"])
    plain = qs.create(wtype, "plain")
    done = qs.create(wtype, "again")
    done.terminate(reason="first run")
    rerun = qs.create(wtype, "again")
    return {"tagged": tagged, "plain": plain, "done": done, "rerun": rerun}


def test_domains(domain: Domain, swf_backend: Connection) -> None:
    qs = DomainQuerySet(client=swf_backend)
    other = qs.create("other")
    assert qs.get("media") == domain
    assert [d.name for d in qs.all()] == ["media", "other"]
    assert qs.count() == 2
    assert qs.exists()
    assert [d.name for d in qs.filter(name="other")] == ["other"]
    other.delete()
    assert [d.name for d in qs] == ["media"]
    assert [d.name for d in qs.filter(status=constants.DEPRECATED)] == ["other"]
    with pytest.raises(Domain.DoesNotExist, match="'ghost'"):
        qs.get("ghost")


def test_domain_get_or_create(swf_backend: Connection) -> None:
    qs = DomainQuerySet(client=swf_backend)
    created = qs.get_or_create("d", description="x", retention_period=3)
    again = qs.get_or_create("d", description="ignored")
    assert created == (Domain("d", description="x", retention_period=3), True)
    assert again == (Domain("d", description="x", retention_period=3), False)
    with pytest.raises(Domain.AlreadyExists):
        qs.create("d")


def test_listed_domains_lack_only_the_retention_period(domain: Domain) -> None:
    listed = DomainQuerySet(client=domain.client).first()
    assert listed is not None
    assert domain.diff(listed).as_dict() == {"retention_period": ("7", None)}


def test_workflow_types(wtype: WorkflowType, swf_backend: Connection) -> None:
    qs = WorkflowTypeQuerySet(wtype.domain, client=swf_backend)
    qs.create("thumbnails", "2")
    qs.create("other", "1")
    assert qs.get("thumbnails", "1") == wtype
    # SWF lists types by name.
    assert [t.key[1:] for t in qs] == [("other", "1"), ("thumbnails", "1"), ("thumbnails", "2")]
    assert [t.version for t in qs.filter(name="thumbnails")] == ["1", "2"]
    assert [t.name for t in qs.filter(version="1")] == ["other", "thumbnails"]
    assert qs.count() == 3
    assert [t.key[1:] for t in qs[1:2]] == [("thumbnails", "1")]
    qs.get("other", "1").delete()
    assert [t.name for t in qs.filter(status=constants.DEPRECATED)] == ["other"]
    assert qs.filter(status=constants.DEPRECATED)[0].status == constants.DEPRECATED
    with pytest.raises(WorkflowType.DoesNotExist):
        qs.get("ghost", "1")


def test_type_get_or_create(domain: Domain, swf_backend: Connection) -> None:
    qs = ActivityTypeQuerySet(domain, client=swf_backend)
    atype, created = qs.get_or_create("resize", "1", task_list="images", task_heartbeat_timeout=9)
    assert created is True
    assert atype == ActivityType(domain, "resize", "1", task_list="images",
                                 task_heartbeat_timeout="9")  # fmt: skip
    again, created = qs.get_or_create("resize", "1")
    assert (again, created) == (atype, False)
    assert [a.name for a in qs] == ["resize"]
    assert not qs.filter(status=constants.DEPRECATED).exists()


def test_executions_listing(executions: dict[str, WorkflowExecution], domain: Domain) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    open_ids = sorted(e.workflow_id for e in qs.filter(status=constants.OPEN))
    assert open_ids == ["again", "plain", "tagged"]
    closed = list(qs.filter(status=constants.CLOSED))
    assert [(e.workflow_id, e.run_id, e.close_status) for e in closed] == [
        ("again", executions["done"].run_id, "TERMINATED")
    ]
    assert sorted(e.workflow_id for e in qs) == ["again", "again", "plain", "tagged"]
    assert len(list(qs[:2])) == 2
    listed = {e.run_id: e for e in qs}
    assert listed[executions["tagged"].run_id].tag_list == ("vip",)
    assert listed[executions["plain"].run_id].workflow_type == WorkflowType(
        domain, "thumbnails", "1"
    )


def test_execution_filters_rechecked_on_moto(
    executions: dict[str, WorkflowExecution], domain: Domain
) -> None:
    """moto ignores these filters; the client-side re-check keeps the answers right."""
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    assert [e.workflow_id for e in qs.filter(status="OPEN", workflow_id="plain")] == ["plain"]
    assert [e.workflow_id for e in qs.filter(status="OPEN", tag="vip")] == ["tagged"]
    assert list(qs.filter(workflow_type_name="thumbnails", workflow_type_version="2")) == []
    assert len(list(qs.filter(workflow_type_name="thumbnails", workflow_type_version="1"))) == 4
    assert list(qs.filter(start_latest_date="2000-01-01")) == []
    assert len(list(qs.filter(start_oldest_date="1 day ago"))) == 4


def test_type_name_filter_without_version_on_moto(
    executions: dict[str, WorkflowExecution], domain: Domain
) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    assert len(list(qs.filter(workflow_type_name="thumbnails"))) == 4


def test_close_status_filter_on_moto(
    executions: dict[str, WorkflowExecution], domain: Domain
) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    assert [e.run_id for e in qs.filter(close_status="TERMINATED")] == [executions["done"].run_id]


def test_get_picks_the_open_run(executions: dict[str, WorkflowExecution], domain: Domain) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    assert qs.get("again").run_id == executions["rerun"].run_id
    assert qs.get("again", executions["done"].run_id).status == "CLOSED"
    with pytest.raises(WorkflowExecution.DoesNotExist, match="'ghost'"):
        qs.get("ghost")


def test_get_falls_back_to_the_closed_run(wtype: WorkflowType, domain: Domain) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    run = qs.create(wtype, "once")
    run.terminate()
    found = qs.get("once")
    assert (found.run_id, found.close_status) == (run.run_id, "TERMINATED")


def test_execution_get_or_create(wtype: WorkflowType, domain: Domain) -> None:
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    created, was_created = qs.get_or_create("job", wtype, input="x")
    found, found_created = qs.get_or_create("job", wtype)
    assert (was_created, found_created) == (True, False)
    assert found.run_id == created.run_id


def test_count_on_the_local_endpoint(
    executions: dict[str, WorkflowExecution], domain: Domain
) -> None:
    """Count(Open|Closed)WorkflowExecutions, which swf.local adds to moto, with filters."""
    qs = WorkflowExecutionQuerySet(domain, client=domain.client)
    assert qs.filter(status="OPEN").count() == 3
    assert qs.filter(status="CLOSED").count() == 1
    assert qs.count() == 4  # both operations
    assert qs.filter(status="OPEN", tag="vip").count() == 1
    assert qs.filter(status="CLOSED", close_status="TERMINATED").count() == 1
    assert qs.filter(status="CLOSED", close_status="COMPLETED").count() == 0
    assert qs.filter(workflow_id="again").count() == 2
    assert qs.filter(workflow_type_name="thumbnails", workflow_type_version="2").count() == 0


def test_listing_in_a_missing_domain(swf_backend: Connection) -> None:
    with pytest.raises(Domain.DoesNotExist, match="'ghost'"):
        list(WorkflowTypeQuerySet("ghost", client=swf_backend))
