"""The bad-input table: every public entry point, fed what a user would type wrong.

Each :class:`Row` calls one entry point with one bad value and expects an
:class:`swf.exceptions.SWFError` whose message names the argument and shows the value (or a
recognisable prefix of a huge one), raised before any request (:func:`check_row`).
``tests/unit/test_bad_input.py`` runs the rows against a client whose endpoint is a closed
loopback port, ``tests/functional/test_bad_input_moto.py`` on in-process moto, and
``docs/gen_bad_input.py`` writes ``docs/bad-input.rst`` from them (:func:`render_doc`).
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from swf import settings
from swf.actors import ActivityWorker, Decider
from swf.core import Connection
from swf.exceptions import SWFError
from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from swf.models.decision import (
    ActivityTaskDecision,
    ChildWorkflowExecutionDecision,
    Decision,
    ExternalWorkflowExecutionDecision,
    LambdaFunctionDecision,
    MarkerDecision,
    TimerDecision,
    WorkflowExecutionDecision,
)
from swf.models.event import from_api_list
from swf.models.history import History
from swf.querysets import (
    ActivityTypeQuerySet,
    DomainQuerySet,
    WorkflowExecutionQuerySet,
    WorkflowTypeQuerySet,
)

DOC = pathlib.Path(__file__).parent.parent / "docs" / "bad-input.rst"

LONG_NAME = "n" * 257
LONG_VERSION = "v" * 65
LONG_REASON = "r" * 257
HUGE = "x" * 32_769
LONG_TAG = "t" * 257


@dataclass(frozen=True)
class Row:
    """One bad input: where it goes, what it is, and what the error must show."""

    entry: str  # the entry point, as documented
    case: str  # what is wrong, as documented
    call: Callable[[Connection], Any]
    argument: str  # must appear in the message
    shown: str  # must appear in the message (the value, or a prefix of it)

    @property
    def id(self) -> str:
        return f"{self.entry} {self.case}".replace(" ", "-")


class _Decider(Decider):
    def decide(self, task: Any) -> list[Any]:
        return []


class _Worker(ActivityWorker):
    def process(self, task: Any) -> Any:
        return None


def _domain(conn: Connection) -> Domain:
    return Domain("d", client=conn)


def _wtype(conn: Connection) -> WorkflowType:
    return WorkflowType(_domain(conn), "wt", "1", client=conn)


def _execution(conn: Connection) -> WorkflowExecution:
    return WorkflowExecution(_domain(conn), "wf-1", "run-1", client=conn)


# -- name-like arguments: the same seven mistakes each -------------------------------------

_NAME_CASES: list[tuple[str, Any, str]] = [
    ("empty", "", "''"),
    ("over 256", LONG_NAME, "'nnnnnnnnnn"),
    ("colon", "a:b", "'a:b'"),
    ("slash", "a/b", "'a/b'"),
    ("pipe", "a|b", "'a|b'"),
    ("control char", "a\nb", "'a\\nb'"),
    ("literal arn", "arn", "'arn'"),
    ("int", 42, "42"),
]


def _names(
    entry: str, argument: str, call: Callable[[Connection, Any], Any], *, skip: tuple[str, ...] = ()
) -> Iterator[Row]:
    for case, value, shown in _NAME_CASES:
        if case in skip:
            continue
        yield Row(entry, f"{argument} {case}", lambda c, v=value: call(c, v), argument, shown)


def _payload(
    entry: str,
    argument: str,
    call: Callable[[Connection, Any], Any],
    *,
    limit: int = 32_768,
) -> Iterator[Row]:
    over = "p" * (limit + 1)
    yield Row(entry, f"{argument} over {limit}", lambda c: call(c, over), argument, "'pppppppp")
    yield Row(entry, f"{argument} dict", lambda c: call(c, {"k": 1}), argument, "{'k': 1}")


def _rows() -> Iterator[Row]:
    # -- models --------------------------------------------------------------------------
    yield from _names("Domain()", "name", lambda c, v: Domain(v, client=c))
    yield Row(
        "Domain()",
        "retention 91 days",
        lambda c: Domain("d", retention_period=91, client=c),
        "retention_period",
        "91",
    )
    yield Row(
        "Domain()",
        "retention -1",
        lambda c: Domain("d", retention_period=-1, client=c),
        "retention_period",
        "-1",
    )
    yield Row(
        "Domain()",
        "retention text",
        lambda c: Domain("d", retention_period="month", client=c),
        "retention_period",
        "'month'",
    )
    yield Row(
        "Domain()",
        "description over 1024",
        lambda c: Domain("d", description="D" * 1025, client=c),
        "description",
        "'DDDDDDDD",
    )
    yield Row(
        "Domain()",
        "status unknown",
        lambda c: Domain("d", status="ACTIVE", client=c),
        "status",
        "'ACTIVE'",
    )
    yield from _names(
        "WorkflowType()", "name", lambda c, v: WorkflowType(_domain(c), v, "1", client=c)
    )
    yield from _names(
        "WorkflowType()",
        "version",
        lambda c, v: WorkflowType(_domain(c), "wt", v, client=c),
        skip=("over 256",),
    )
    yield Row(
        "WorkflowType()",
        "version over 64",
        lambda c: WorkflowType(_domain(c), "wt", LONG_VERSION, client=c),
        "version",
        "'vvvvvvvv",
    )
    yield Row(
        "WorkflowType()",
        "task_list colon",
        lambda c: WorkflowType(_domain(c), "wt", "1", task_list="a:b", client=c),
        "task_list",
        "'a:b'",
    )
    yield Row(
        "WorkflowType()",
        "execution_timeout negative",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout=-5, client=c),
        "execution_timeout",
        "-5",
    )
    yield Row(
        "WorkflowType()",
        "execution_timeout text",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout="1h", client=c),
        "execution_timeout",
        "'1h'",
    )
    yield Row(
        "WorkflowType()",
        "execution_timeout 9 digits",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout=123456789, client=c),
        "execution_timeout",
        "123456789",
    )
    yield Row(
        "WorkflowType()",
        "child_policy unknown",
        lambda c: WorkflowType(_domain(c), "wt", "1", child_policy="KILL", client=c),
        "child_policy",
        "'KILL'",
    )
    yield Row(
        "WorkflowType()",
        "task_priority text",
        lambda c: WorkflowType(_domain(c), "wt", "1", task_priority="high", client=c),
        "task_priority",
        "'high'",
    )
    yield from _names(
        "ActivityType()",
        "name",
        lambda c, v: ActivityType(_domain(c), v, "1", client=c),
        skip=("empty", "colon", "pipe"),
    )
    yield Row(
        "ActivityType()",
        "task_heartbeat_timeout float",
        lambda c: ActivityType(_domain(c), "at", "1", task_heartbeat_timeout=1.5, client=c),
        "task_heartbeat_timeout",
        "1.5",
    )
    yield Row(
        "ActivityType()",
        "task_start_to_close_timeout list",
        lambda c: ActivityType(_domain(c), "at", "1", task_start_to_close_timeout=[1], client=c),
        "task_start_to_close_timeout",
        "[1]",
    )
    yield from _names(
        "WorkflowExecution()",
        "workflow_id",
        lambda c, v: WorkflowExecution(_domain(c), v, client=c),
        skip=("colon", "pipe", "int"),
    )
    yield Row(
        "WorkflowExecution()",
        "tag_list 6 tags",
        lambda c: WorkflowExecution(_domain(c), "wf", tag_list=list("abcdef"), client=c),
        "tag_list",
        "6",
    )
    yield Row(
        "WorkflowExecution()",
        "start_timestamp not a date",
        lambda c: WorkflowExecution(_domain(c), "wf", start_timestamp="yesterday-ish", client=c),
        "start_timestamp",
        "'yesterday-ish'",
    )
    # -- model methods -------------------------------------------------------------------
    yield from _names(
        "WorkflowType.start_execution",
        "workflow_id",
        lambda c, v: _wtype(c).start_execution(workflow_id=v),
        skip=("slash", "control char", "literal arn"),
    )
    yield from _payload(
        "WorkflowType.start_execution", "input", lambda c, v: _wtype(c).start_execution(input=v)
    )
    yield Row(
        "WorkflowType.start_execution",
        "tag_list 6 tags",
        lambda c: _wtype(c).start_execution(tag_list=["a", "b", "c", "d", "e", "f"]),
        "tag_list",
        "6",
    )
    yield Row(
        "WorkflowType.start_execution",
        "tag_list tag over 256",
        lambda c: _wtype(c).start_execution(tag_list=[LONG_TAG]),
        "tag_list",
        "'tttttttt",
    )
    yield Row(
        "WorkflowType.start_execution",
        "tag_list a string",
        lambda c: _wtype(c).start_execution(tag_list="urgent"),
        "tag_list",
        "'urgent'",
    )
    yield Row(
        "WorkflowType.start_execution",
        "task_list pipe",
        lambda c: _wtype(c).start_execution(task_list="a|b"),
        "task_list",
        "'a|b'",
    )
    yield Row(
        "WorkflowType.start_execution",
        "execution_timeout timedelta fraction",
        lambda c: _wtype(c).start_execution(execution_timeout=dt.timedelta(seconds=1.5)),
        "execution_timeout",
        "microseconds=500000",
    )
    yield Row(
        "WorkflowType.start_execution",
        "child_policy lower case",
        lambda c: _wtype(c).start_execution(child_policy="terminate"),
        "child_policy",
        "'terminate'",
    )
    yield from _names(
        "WorkflowExecution.signal",
        "name",
        lambda c, v: _execution(c).signal(v),
        skip=("colon", "slash", "pipe"),
    )
    yield from _payload(
        "WorkflowExecution.signal", "input", lambda c, v: _execution(c).signal("go", input=v)
    )
    yield Row(
        "WorkflowExecution.terminate",
        "reason over 256",
        lambda c: _execution(c).terminate(reason=LONG_REASON),
        "reason",
        "'rrrrrrrr",
    )
    yield from _payload(
        "WorkflowExecution.terminate", "details", lambda c, v: _execution(c).terminate(details=v)
    )
    yield Row(
        "WorkflowExecution.terminate",
        "child_policy unknown",
        lambda c: _execution(c).terminate(child_policy="NUKE"),
        "child_policy",
        "'NUKE'",
    )
    # -- querysets -----------------------------------------------------------------------
    yield from _names(
        "DomainQuerySet.get",
        "name",
        lambda c, v: DomainQuerySet(client=c).get(v),
        skip=("slash", "pipe", "literal arn"),
    )
    yield Row(
        "DomainQuerySet.filter",
        "status unknown",
        lambda c: DomainQuerySet(client=c).filter(status="GONE"),
        "status",
        "'GONE'",
    )
    yield Row(
        "DomainQuerySet.create",
        "retention 365",
        lambda c: DomainQuerySet(client=c).create("d", retention_period=365),
        "retention_period",
        "365",
    )
    yield Row(
        "DomainQuerySet.create",
        "name colon",
        lambda c: DomainQuerySet(client=c).create("a:b"),
        "name",
        "'a:b'",
    )
    for qs_name, qs in (
        ("WorkflowTypeQuerySet", WorkflowTypeQuerySet),
        ("ActivityTypeQuerySet", ActivityTypeQuerySet),
    ):
        yield from _names(
            f"{qs_name}.get",
            "name",
            lambda c, v, qs=qs: qs("d", client=c).get(v, "1"),
            skip=("slash", "pipe", "control char", "literal arn"),
        )
        yield Row(
            f"{qs_name}.get",
            "version over 64",
            lambda c, qs=qs: qs("d", client=c).get("t", LONG_VERSION),
            "version",
            "'vvvvvvvv",
        )
        yield Row(
            f"{qs_name}.filter",
            "version empty",
            lambda c, qs=qs: qs("d", client=c).filter(version=""),
            "version",
            "''",
        )
        yield Row(
            f"{qs_name}.filter",
            "status unknown",
            lambda c, qs=qs: qs("d", client=c).filter(status="ON"),
            "status",
            "'ON'",
        )
        yield Row(
            f"{qs_name}.create",
            "name slash",
            lambda c, qs=qs: qs("d", client=c).create("a/b", "1"),
            "name",
            "'a/b'",
        )
        yield Row(
            f"{qs_name}.create",
            "unknown option",
            lambda c, qs=qs: qs("d", client=c).create("t", "1", tasklist="x"),
            "tasklist",
            "tasklist",
        )
        yield Row(
            f"{qs_name}()",
            "domain colon",
            lambda c, qs=qs: qs("a:b", client=c),
            "name",
            "'a:b'",
        )
    wqs = WorkflowExecutionQuerySet
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "start_oldest_date not a date",
        lambda c: wqs("d", client=c).filter(start_oldest_date="last tuesday-ish"),
        "start_oldest_date",
        "'last tuesday-ish'",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "start_latest_date 13th month",
        lambda c: wqs("d", client=c).filter(start_latest_date="2026-13-01"),
        "start_latest_date",
        "'2026-13-01'",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "close_oldest_date list",
        lambda c: wqs("d", client=c).filter(close_oldest_date=[2026]),
        "close_oldest_date",
        "[2026]",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "close_latest_date epoch overflow",
        lambda c: wqs("d", client=c).filter(close_latest_date=10**20),
        "close_latest_date",
        "100000000000000000000",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "status unknown",
        lambda c: wqs("d", client=c).filter(status="RUNNING"),
        "status",
        "'RUNNING'",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "close_status unknown",
        lambda c: wqs("d", client=c).filter(close_status="DONE"),
        "close_status",
        "'DONE'",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "tag over 256",
        lambda c: wqs("d", client=c).filter(tag=LONG_TAG),
        "tag",
        "'tttttttt",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "workflow_id pipe",
        lambda c: wqs("d", client=c).filter(workflow_id="a|b"),
        "workflow_id",
        "'a|b'",
    )
    yield Row(
        "WorkflowExecutionQuerySet.filter",
        "workflow_type_name empty",
        lambda c: wqs("d", client=c).filter(workflow_type_name=""),
        "workflow_type_name",
        "''",
    )
    yield from _names(
        "WorkflowExecutionQuerySet.get",
        "workflow_id",
        lambda c, v: wqs("d", client=c).get(v),
        skip=("colon", "slash", "pipe", "literal arn"),
    )
    yield Row(
        "WorkflowExecutionQuerySet.create",
        "input over 32768",
        lambda c: wqs("d", client=c).create(_wtype(c), "wf", input=HUGE),
        "input",
        "'xxxxxxxx",
    )
    yield Row(
        "WorkflowExecutionQuerySet.create",
        "workflow_type a string",
        lambda c: wqs("d", client=c).create("wt", "wf"),
        "workflow_type",
        "'wt'",
    )
    # -- settings ------------------------------------------------------------------------
    yield Row("settings.set", "unknown name", lambda c: settings.set(regoin="x"), "regoin", "")
    for case, values, argument, shown in (
        ("retries -1", {"retries": -1}, "retries", "-1"),
        ("retries text", {"retries": "many"}, "retries", "'many'"),
        ("retries 2.5", {"retries": 2.5}, "retries", "2.5"),
        ("region int", {"region": 1}, "region", "1"),
        ("region with spaces", {"region": "eu west 1"}, "region", "'eu west 1'"),
        ("endpoint_url no scheme", {"endpoint_url": "localhost:4566"}, "endpoint_url", "4566"),
        ("connect_timeout 0", {"connect_timeout": 0}, "connect_timeout", "0"),
        ("read_timeout text", {"read_timeout": "long"}, "read_timeout", "'long'"),
        ("retry_mode unknown", {"retry_mode": "fast"}, "retry_mode", "'fast'"),
    ):
        yield Row("settings.set", case, lambda c, v=values: settings.set(**v), argument, shown)
    yield Row(
        "Connection()",
        "unknown setting",
        lambda c: Connection(endpoint="x"),
        "endpoint",
        "",
    )
    # -- Connection.call -----------------------------------------------------------------
    yield Row(
        "Connection.call",
        "unknown operation",
        lambda c: c.call("DescribeDomian", name="d"),
        "operation",
        "'DescribeDomian'",
    )
    yield Row(
        "Connection.call",
        "name int",
        lambda c: c.call("DescribeDomain", name=3),
        "name",
        "3",
    )
    yield Row(
        "Connection.call",
        "unknown parameter",
        lambda c: c.call("DescribeDomain", name="d", nmae="d"),
        "nmae",
        "nmae",
    )
    yield Row(
        "Connection.call",
        "missing parameter",
        lambda c: c.call("DescribeDomain"),
        "name",
        "name",
    )
    # -- decision builders ---------------------------------------------------------------
    atd = ActivityTaskDecision
    yield from _names(
        "ActivityTaskDecision.schedule",
        "activity_id",
        lambda c, v: atd.schedule(v, {"name": "a", "version": "1"}),
    )
    yield from _payload(
        "ActivityTaskDecision.schedule",
        "input",
        lambda c, v: atd.schedule("a1", {"name": "a", "version": "1"}, input=v),
    )
    yield from _payload(
        "ActivityTaskDecision.schedule",
        "control",
        lambda c, v: atd.schedule("a1", {"name": "a", "version": "1"}, control=v),
    )
    yield Row(
        "ActivityTaskDecision.schedule",
        "heartbeat_timeout negative",
        lambda c: atd.schedule("a1", {"name": "a", "version": "1"}, heartbeat_timeout=-1),
        "heartbeat_timeout",
        "-1",
    )
    yield Row(
        "ActivityTaskDecision.schedule",
        "activity_type without version",
        lambda c: atd.schedule("a1", "resize"),
        "version",
        "None",
    )
    yield Row(
        "ActivityTaskDecision.schedule",
        "task_list slash",
        lambda c: atd.schedule("a1", {"name": "a", "version": "1"}, task_list="a/b"),
        "task_list",
        "'a/b'",
    )
    yield Row(
        "ActivityTaskDecision.request_cancel",
        "activity_id empty",
        lambda c: atd.request_cancel(""),
        "activity_id",
        "''",
    )
    yield Row(
        "LambdaFunctionDecision.schedule",
        "name over 64",
        lambda c: LambdaFunctionDecision.schedule("l1", "f" * 65),
        "name",
        "'ffffffff",
    )
    yield Row(
        "LambdaFunctionDecision.schedule",
        "id colon",
        lambda c: LambdaFunctionDecision.schedule("l:1", "f"),
        "id",
        "'l:1'",
    )
    yield from _names(
        "TimerDecision.start",
        "id",
        lambda c, v: TimerDecision.start(v, 30),
        skip=("slash", "pipe"),
    )
    yield Row(
        "TimerDecision.start",
        "start_to_fire_timeout NONE",
        lambda c: TimerDecision.start("t1", "NONE"),
        "start_to_fire_timeout",
        "'NONE'",
    )
    yield Row(
        "TimerDecision.start",
        "start_to_fire_timeout missing",
        lambda c: TimerDecision.start("t1", None),
        "start_to_fire_timeout",
        "None",
    )
    yield Row(
        "TimerDecision.cancel",
        "id over 256",
        lambda c: TimerDecision.cancel(LONG_NAME),
        "id",
        "'nnnnnnnn",
    )
    yield Row(
        "MarkerDecision.record",
        "name empty",
        lambda c: MarkerDecision.record(""),
        "name",
        "''",
    )
    yield from _payload(
        "MarkerDecision.record", "details", lambda c, v: MarkerDecision.record("m", v)
    )
    wed = WorkflowExecutionDecision
    yield from _payload(
        "WorkflowExecutionDecision.complete", "result", lambda c, v: wed.complete(v)
    )
    yield Row(
        "WorkflowExecutionDecision.fail",
        "reason over 256",
        lambda c: wed.fail(reason=LONG_REASON),
        "reason",
        "'rrrrrrrr",
    )
    yield from _payload(
        "WorkflowExecutionDecision.fail", "details", lambda c, v: wed.fail(details=v)
    )
    yield from _payload("WorkflowExecutionDecision.cancel", "details", lambda c, v: wed.cancel(v))
    yield Row(
        "WorkflowExecutionDecision.continue_as_new",
        "child_policy unknown",
        lambda c: wed.continue_as_new(child_policy="ORPHAN"),
        "child_policy",
        "'ORPHAN'",
    )
    yield Row(
        "WorkflowExecutionDecision.continue_as_new",
        "tag_list 6 tags",
        lambda c: wed.continue_as_new(tag_list=list("abcdef")),
        "tag_list",
        "6",
    )
    yield Row(
        "WorkflowExecutionDecision.continue_as_new",
        "input over 32768",
        lambda c: wed.continue_as_new(input=HUGE),
        "input",
        "'xxxxxxxx",
    )
    cwd = ChildWorkflowExecutionDecision
    yield from _names(
        "ChildWorkflowExecutionDecision.start",
        "workflow_id",
        lambda c, v: cwd.start({"name": "w", "version": "1"}, v),
        skip=("slash", "control char"),
    )
    yield Row(
        "ChildWorkflowExecutionDecision.start",
        "task_start_to_close_timeout text",
        lambda c: cwd.start(
            {"name": "w", "version": "1"}, "c1", task_start_to_close_timeout="soon"
        ),
        "task_start_to_close_timeout",
        "'soon'",
    )
    ewd = ExternalWorkflowExecutionDecision
    yield from _names(
        "ExternalWorkflowExecutionDecision.signal",
        "signal_name",
        lambda c, v: ewd.signal("wf", v),
        skip=("colon", "slash", "pipe", "control char", "literal arn"),
    )
    yield Row(
        "ExternalWorkflowExecutionDecision.signal",
        "input over 32768",
        lambda c: ewd.signal("wf", "go", input=HUGE),
        "input",
        "'xxxxxxxx",
    )
    yield Row(
        "ExternalWorkflowExecutionDecision.request_cancel",
        "workflow_id empty",
        lambda c: ewd.request_cancel(""),
        "workflow_id",
        "''",
    )
    yield Row(
        "Decision.from_api",
        "unknown decisionType",
        lambda c: Decision.from_api({"decisionType": "KillWorkflow"}),
        "decisionType",
        "'KillWorkflow'",
    )
    yield Row(
        "Decision.from_api",
        "unknown attribute",
        lambda c: Decision.from_api(
            {
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {
                    "timerId": "t",
                    "startToFireTimeout": "1",
                    "fireAt": "noon",
                },
            }
        ),
        "fireAt",
        "'noon'",
    )
    yield Row(
        "Decision.from_api",
        "unknown top-level key",
        lambda c: Decision.from_api(
            {
                "decisionType": "CancelTimer",
                "cancelTimerDecisionAttributes": {"timerId": "t"},
                "scheduleActivityTaskDecisionAttributes": {},
            }
        ),
        "scheduleActivityTaskDecisionAttributes",
        "scheduleActivityTaskDecisionAttributes",
    )
    # -- history -------------------------------------------------------------------------
    yield Row(
        "History.from_json",
        "not JSON",
        lambda c: History.from_json("{events: oops}"),
        "source",
        "{events: oops}",
    )
    yield Row(
        "History.from_json",
        "truncated JSON",
        lambda c: History.from_json('{"events": [{"eventId": 1'),
        "source",
        '{"events": [{',
    )
    yield Row(
        "History.from_json",
        "events not a list",
        lambda c: History.from_json('{"events": 3}'),
        "source",
        "3",
    )
    yield Row(
        "History.from_json",
        "missing file",
        lambda c: History.from_json("/no/such/history.json"),
        "history file",
        "/no/such/history.json",
    )
    yield Row(
        "History.from_json",
        "int",
        lambda c: History.from_json(42),  # type: ignore[arg-type]
        "source",
        "42",
    )
    yield Row(
        "History.from_json",
        "binary file",
        lambda c: History.from_json(io.BytesIO(b"\xff\xfe\x00")),
        "history",
        "can't decode",
    )
    yield Row(
        "History.from_event_list",
        "a string",
        lambda c: History.from_event_list("events"),  # type: ignore[arg-type]
        "events",
        "str",
    )
    yield Row(
        "History.from_event_list",
        "eventId text",
        lambda c: History.from_event_list(
            [{"eventId": "one", "eventType": "WorkflowExecutionStarted", "eventTimestamp": 0}]
        ),
        "eventId",
        "'one'",
    )
    yield Row(
        "History.from_event_list",
        "eventTimestamp not a date",
        lambda c: History.from_event_list(
            [{"eventId": 1, "eventType": "WorkflowExecutionStarted", "eventTimestamp": "soon"}]
        ),
        "eventTimestamp",
        "'soon'",
    )
    yield Row(
        "History.from_event_list",
        "event not a dict",
        lambda c: History.from_event_list([["eventId", 1]]),
        "position 0",
        "['eventId', 1]",
    )
    yield Row(
        "from_api_list",
        "an int",
        lambda c: from_api_list(5),  # type: ignore[arg-type]
        "events",
        "int",
    )
    yield Row(
        "from_api_list",
        "one event, not a list",
        lambda c: from_api_list({"eventId": 1, "eventType": "WorkflowExecutionStarted"}),
        "events",
        "dict",
    )
    yield Row(
        "from_api_list",
        "eventType unknown type",
        lambda c: from_api_list([{"eventId": 1, "eventType": 7, "eventTimestamp": 0}]),
        "position 0",
        "7",
    )
    # -- actors --------------------------------------------------------------------------
    yield from _names(
        "Decider()",
        "task_list",
        lambda c, v: _Decider("d", v, client=c),
        skip=("empty", "literal arn"),
    )
    yield Row(
        "Decider()",
        "identity int",
        lambda c: _Decider("d", "tl", identity=7, client=c),
        "identity",
        "7",
    )
    yield Row(
        "Decider()",
        "domain slash",
        lambda c: _Decider("a/b", "tl", client=c),
        "name",
        "'a/b'",
    )
    yield Row(
        "Decider.complete",
        "task_token empty",
        lambda c: _Decider("d", "tl", client=c).complete(""),
        "task_token",
        "''",
    )
    yield Row(
        "Decider.complete",
        "decisions a dict",
        lambda c: _Decider("d", "tl", client=c).complete("tok", {"decisionType": "StartTimer"}),
        "decisions",
        "dict",
    )
    yield Row(
        "Decider.complete",
        "decision a string",
        lambda c: _Decider("d", "tl", client=c).complete("tok", ["complete"]),
        "decisions[0]",
        "'complete'",
    )
    yield Row(
        "Decider.complete",
        "101 decisions",
        lambda c: _Decider("d", "tl", client=c).complete(
            "tok", [TimerDecision.start(f"t{i}", 1) for i in range(101)]
        ),
        "decisions",
        "101",
    )
    yield Row(
        "Decider.complete",
        "unknown decision field",
        lambda c: _Decider("d", "tl", client=c).complete(
            "tok",
            [
                {
                    "decisionType": "CompleteWorkflowExecution",
                    "completeWorkflowExecutionDecisionAttributes": {"output": "done"},
                }
            ],
        ),
        "output",
        "'done'",
    )
    yield Row(
        "Decider.complete",
        "execution_context over 32768",
        lambda c: _Decider("d", "tl", client=c).complete("tok", [], execution_context=HUGE),
        "execution_context",
        "'xxxxxxxx",
    )
    yield Row(
        "ActivityWorker()",
        "task_list colon",
        lambda c: _Worker("d", "a:b", client=c),
        "task_list",
        "'a:b'",
    )
    yield Row(
        "ActivityWorker()",
        "identity bytes",
        lambda c: _Worker("d", "tl", identity=b"me", client=c),
        "identity",
        "b'me'",
    )
    yield Row(
        "ActivityWorker.complete",
        "result dict",
        lambda c: _Worker("d", "tl", client=c).complete("tok", {"ok": True}),
        "result",
        "{'ok': True}",
    )
    yield Row(
        "ActivityWorker.complete",
        "task_token None",
        lambda c: _Worker("d", "tl", client=c).complete(None, "ok"),  # type: ignore[arg-type]
        "task_token",
        "None",
    )
    yield Row(
        "ActivityWorker.fail",
        "reason over 256",
        lambda c: _Worker("d", "tl", client=c).fail("tok", reason=LONG_REASON),
        "reason",
        "'rrrrrrrr",
    )
    yield Row(
        "ActivityWorker.fail",
        "details over 32768",
        lambda c: _Worker("d", "tl", client=c).fail("tok", details=HUGE),
        "details",
        "'xxxxxxxx",
    )
    yield Row(
        "ActivityWorker.cancel",
        "details int",
        lambda c: _Worker("d", "tl", client=c).cancel("tok", details=5),
        "details",
        "5",
    )
    yield Row(
        "ActivityWorker.heartbeat",
        "details over 2048",
        lambda c: _Worker("d", "tl", client=c).heartbeat("tok", details="h" * 2049),
        "details",
        "'hhhhhhhh",
    )

    yield from _round_two()


def _event(event_id: int, event_type: str, stamp: Any, **attributes: Any) -> dict[str, Any]:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    return {"eventId": event_id, "eventType": event_type, "eventTimestamp": stamp, key: attributes}


_STARTED = _event(
    1,
    "WorkflowExecutionStarted",
    1.0,
    childPolicy="TERMINATE",
    taskList={"name": "deciders"},
    workflowType={"name": "w", "version": "1"},
)


def _round_two() -> Iterator[Row]:
    """Issue 17's classes, one row or more each (the walk, ``bad_input_walk.py``, does the
    rest)."""
    nan, inf = float("nan"), float("inf")
    # 1. non-finite and out-of-range numbers
    yield Row(
        "WorkflowType()",
        "execution_timeout NaN",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout=nan, client=c),
        "execution_timeout",
        "nan",
    )
    yield Row(
        "ActivityType()",
        "task_heartbeat_timeout infinite",
        lambda c: ActivityType(_domain(c), "at", "1", task_heartbeat_timeout=inf, client=c),
        "task_heartbeat_timeout",
        "inf",
    )
    yield Row(
        "Domain()",
        "retention NaN",
        lambda c: Domain("d", retention_period=nan, client=c),
        "retention_period",
        "nan",
    )
    yield Row(
        "TimerDecision.start",
        "start_to_fire_timeout infinite",
        lambda c: TimerDecision.start("t1", inf),
        "start_to_fire_timeout",
        "inf",
    )
    for case, values, argument, shown in (
        ("read_timeout infinite", {"read_timeout": inf}, "read_timeout", "inf"),
        ("connect_timeout 1e300", {"connect_timeout": 1e300}, "connect_timeout", "1e+300"),
        ("retries infinite", {"retries": inf}, "retries", "inf"),
        ("retries 1000", {"retries": 1000}, "retries", "1000"),
        # 4. settings that failed only on first use
        ("endpoint_url without host", {"endpoint_url": "http://"}, "endpoint_url", "'http://'"),
        (
            "endpoint_url port 99999",
            {"endpoint_url": "http://localhost:99999"},
            "endpoint_url",
            "99999",
        ),
        ("domain slash", {"domain": "a/b"}, "domain", "'a/b'"),
        ("region over 63", {"region": "r" * 64}, "region", "'rrrrrrrr"),
        ("aws_access_key_id int", {"aws_access_key_id": 5}, "aws_access_key_id", "not shown"),
    ):
        yield Row("settings.set", case, lambda c, v=values: settings.set(**v), argument, shown)
    # 2. out-of-range dates
    wqs = WorkflowExecutionQuerySet
    for case, value in (
        ("10000 years ago", "10000 years ago"),
        ("99999999999 days ago", "99999999999 days ago"),
        ("offset +25:00", "2026-01-01T00:00+25:00"),
        ("year 9999 at -05:00", "9999-12-31T23:00-05:00"),
    ):
        yield Row(
            "WorkflowExecutionQuerySet.filter",
            f"start_oldest_date {case}",
            lambda c, v=value: wqs("d", client=c).filter(start_oldest_date=v),
            "start_oldest_date",
            repr(value),
        )
    # 5. wrong argument types reaching deep code
    yield Row(
        "Domain()",
        "client a region name",
        lambda c: Domain("d", client="us-east-1"),
        "client",
        "'us-east-1'",
    )
    yield Row(
        "Decider.poll",
        "identity int",
        lambda c: _Decider("d", "tl", client=c).poll(identity=123),
        "identity",
        "123",
    )
    yield Row(
        "Decider.poll",
        "task_list int",
        lambda c: _Decider("d", "tl", client=c).poll(task_list=7),
        "task_list",
        "7",
    )
    yield Row(
        "Decider.poll",
        "maximum_page_size 0",
        lambda c: _Decider("d", "tl", client=c).poll(maximum_page_size=0),
        "maximum_page_size",
        "0",
    )
    yield Row(
        "Decider.poll",
        "maximum_page_size 5000",
        lambda c: _Decider("d", "tl", client=c).poll(maximum_page_size=5000),
        "maximum_page_size",
        "5000",
    )
    yield Row(
        "Decider.complete",
        "execution_context dict",
        lambda c: _Decider("d", "tl", client=c).complete("tok", [], execution_context={"a": 1}),
        "execution_context",
        "{'a': 1}",
    )
    yield Row(
        "ActivityWorker.complete",
        "task_token over 1024",
        lambda c: _Worker("d", "tl", client=c).complete("k" * 1025, "r"),
        "task_token",
        "'kkkkkkkk",
    )
    yield Row(
        "WorkflowType.start_execution",
        "tag_list a dict",
        lambda c: _wtype(c).start_execution(tag_list={"urgent": 1}),
        "tag_list",
        "{'urgent': 1}",
    )
    # 8. values SWF's documented limits refuse
    yield Row(
        "WorkflowType()",
        "execution_timeout over a year",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout=31_536_001, client=c),
        "execution_timeout",
        "31536001",
    )
    yield Row(
        "WorkflowType()",
        "execution_timeout NONE",
        lambda c: WorkflowType(_domain(c), "wt", "1", execution_timeout="NONE", client=c),
        "execution_timeout",
        "'NONE'",
    )
    yield Row(
        "WorkflowType.start_execution",
        "execution_timeout NONE",
        lambda c: _wtype(c).start_execution(execution_timeout="NONE"),
        "execution_timeout",
        "'NONE'",
    )
    yield Row(
        "ActivityType()",
        "task_start_to_close_timeout over a year",
        lambda c: ActivityType(
            _domain(c), "at", "1", task_start_to_close_timeout=dt.timedelta(days=366), client=c
        ),
        "task_start_to_close_timeout",
        "days=366",
    )
    # 3. and 9. histories: timestamps, shapes, order, emptiness, nesting
    for case, stamp in (("1e400", float("1e400")), ("NaN", nan), ("1e18", 1e18), ("2**70", 2**70)):
        yield Row(
            "History.from_event_list",
            f"eventTimestamp {case}",
            lambda c, s=stamp: History.from_event_list([{**_STARTED, "eventTimestamp": s}]),
            "(id 1)",
            "eventTimestamp",
        )
    for case, event, argument, shown in (
        (
            "signal input an int",
            _event(2, "WorkflowExecutionSignaled", 2.0, signalName="s", input=5),
            "input",
            "int 5",
        ),
        (
            "markerName a bool",
            _event(2, "MarkerRecorded", 2.0, markerName=True, decisionTaskCompletedEventId=1),
            "markerName",
            "True",
        ),
        (
            "ActivityTaskScheduled without taskList",
            _event(
                2,
                "ActivityTaskScheduled",
                2.0,
                activityId="a1",
                activityType={"name": "a", "version": "1"},
                decisionTaskCompletedEventId=1,
            ),
            "taskList",
            "missing",
        ),
        (
            "activityType without version",
            _event(
                2,
                "ActivityTaskScheduled",
                2.0,
                activityId="a1",
                activityType={"name": "a"},
                taskList={"name": "t"},
                decisionTaskCompletedEventId=1,
            ),
            "activityType.version",
            "missing",
        ),
        (
            "timestamp before the previous one",
            _event(2, "WorkflowExecutionSignaled", 0.5, signalName="s"),
            "(id 2)",
            "before the previous",
        ),
    ):
        yield Row(
            "History.from_event_list",
            case,
            lambda c, e=event: History.from_event_list([_STARTED, e]),
            argument,
            shown,
        )
    yield Row(
        "History.from_event_list",
        "empty list",
        lambda c: History.from_event_list([]),
        "events",
        "at least one event",
    )
    yield Row(
        "History.from_json",
        "arrays nested 100000 deep",
        lambda c: History.from_json("[" * 100_000 + "]" * 100_000),
        "source",
        "[[[[[[[[",
    )


ROWS: list[Row] = list(_rows())


def check_row(row: Row, connection: Connection) -> SWFError:
    """Run one row, assert what every row must show, and return the error."""
    before = sum(connection.calls.values())
    try:
        row.call(connection)
    except SWFError as exc:
        error = exc
    else:
        raise AssertionError(f"{row.id}: accepted")
    message = str(error)
    assert row.argument in message, f"argument {row.argument!r} not named in {message!r}"
    assert row.shown in message, f"value {row.shown!r} not shown in {message!r}"
    assert sum(connection.calls.values()) == before, f"a request was sent: {connection.calls}"
    return error


def closed_port_connection() -> Connection:
    """A Connection to a loopback port where nothing listens, with no retries.

    botocore's own parameter validation runs (a Stubber would answer before it); a request
    that got through would fail with a TransportError and be counted in ``calls``.
    """
    client = boto3.client(
        "swf",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=0.5, read_timeout=0.5),
    )
    return Connection(client)


_DOC_HEAD = """\
..  Written by docs/gen_bad_input.py from tests/bad_input_table.py: do not edit by hand.

Bad input
=========

Every public entry point checks what it is given before it sends anything to SWF, and
refuses a bad value with an :class:`~swf.exceptions.SWFError` subclass whose message names
the argument and shows the value (a prefix of it when it is huge; never the value of a
credential). Two tests hold this: a table of known bad inputs, and a walk that feeds every
argument of every entry point a pool of values, then more values drawn by hypothesis.

What is checked
---------------

* names (domain, type, version, workflow id, activity id, timer id, task list, signal):
  empty, over 256 characters (64 for versions and Lambda names), ``:``, ``/``, ``|``, a
  control character, the literal ``arn``, not a string;
* payloads (input, result, details, control, execution context): over 32,768 characters
  (reason 256, heartbeat details 2,048), not a string (serialise with ``json.dumps``);
* tags: more than 5, one over 256 characters, a bare string, bytes or a mapping;
* durations: negative, fractional, NaN or infinite, text, over SWF's limit of one year
  (31,536,000 seconds) for every timeout, ``'NONE'`` for a workflow execution's
  start-to-close timeout (a type's default or an execution's own: SWF refuses it);
  retention over 90 days;
* choices (statuses, close statuses, child policies, retry modes): unknown values;
* dates: unparseable strings, impossible dates, anything outside the years 1 to 9999 once
  in UTC (``'10000 years ago'``, an offset of ``+25:00``, 9999-12-31 at ``-05:00``, an epoch
  of ``1e20``), wrong types;
* ``client=``: anything but a boto3 SWF client, a :class:`~swf.core.Connection` or None
  (a region name, another service's client);
* actors: an identity that is not a string (a long one is cut to 256 characters), a task
  token that is empty, not a string or over 1,024 characters, a ``maximum_page_size`` that is
  not a whole number from 1 to 1,000;
* decisions: unknown decision types, unknown fields at any depth (checked against botocore's
  SWF service model), more than 100 decisions, something that is not a decision;
* histories: malformed JSON, JSON nested too deeply to read, wrong document shapes, an empty
  event list, and each event against its shape in SWF's service model (botocore's): its
  ``eventId`` a positive integer, its ``eventTimestamp`` a datetime or a number of seconds
  that is a time between the years 1 and 9999 and not before the previous event's, its
  attribute dict with every required member (nested ones too: ``activityType.version``) and
  each member the model knows of its JSON type (string, integer, mapping, list of strings).
  The message names the event's position and id, the member and the value. Members the model
  does not know are kept (a newer SWF's), values are not checked against enums or lengths,
  and an unknown event type is not bad input: a newer SWF's event becomes an
  ``UnknownEvent`` (see :doc:`events`). The check is straight-line code generated once per
  event type from the model, run inline on the common case (plain dicts, as boto3 and JSON
  give them), the same rules said in words on the slow path;
* settings: unknown names; regions (at most 63 characters); endpoint URLs (http or https, a
  valid host, a port from 1 to 65535, no user name or password); retries (0 to 100);
  connect and read timeouts (positive, finite, at most an hour); credentials (strings
  without white space, never shown); the default domain (a valid name). All are checked
  when set, not at the first request. ``~/.swf`` is read as UTF-8 without interpolation (a
  ``%`` is a ``%``); an error names the file and the line, never a credential's value.
  :class:`~swf.settings.Settings` holding credentials refuse to be pickled;
* ``Connection.call``: unknown operations and parameters botocore refuses (nothing is sent
  and the request is not counted).

The walk
--------

``tests/unit/test_bad_input_walk.py`` (with ``tests/bad_input_walk.py``) feeds each of the
{walk_arguments} arguments of {walk_entries} entry points (models, querysets, decisions, the
actors' constructors and calls, settings) each of {walk_values} values, the other arguments
valid: wrong types (None, bool, bytes, lists, dicts, sets, Decimal, Fraction, complex, an
unknown object), NaN and infinities, huge, negative and fractional numbers, empty, blank and
over-long strings, control characters, SWF's words, dates out of range, extreme datetimes and
timedeltas: {walk_calls} calls against the closed loopback port. Each call must be refused
(our exception, the value shown, ``Connection.calls`` unchanged) or accepted (it returns, or
it sent a request); anything else (a bare ``ValueError``, ``TypeError``, ``OverflowError``...)
fails the test. Each argument has an oracle, written from SWF's documentation, that says
whether a value is valid when it can tell: accepting an invalid value, or refusing a valid
one, fails too. History loading is walked the same way: each of {walk_members} members (the
attribute members of the {walk_event_types} event types, ``eventId`` and ``eventTimestamp``)
is given each value, or removed, and loaded through ``History.from_event_list``,
``from_api_list`` and ``History.from_json``: {walk_loads} loads, each refused with
:class:`~swf.exceptions.InvalidHistoryError` naming the event id, the member and the value,
or loaded when the value fits the model. Then hypothesis draws 400 more values for random
arguments and 400 for random members (derandomized, so that every run tries the same ones).
``tests/functional/test_cli_bad_input_walk.py`` does the same for the command line's options:
a bad value is a one-line usage error, exit status 2, no traceback.

The table
---------

The table below is the test table of ``tests/bad_input_table.py``: {rows} bad inputs over
{entries} entry points. Each row runs twice: against a client whose endpoint is a closed
loopback port (any request would fail, ``tests/unit/test_bad_input.py``), and on in-process
moto (``tests/functional/test_bad_input_moto.py``); in both, ``Connection.calls`` must not
grow. A unit test checks that this page is what ``docs/gen_bad_input.py`` writes today.

.. list-table:: {rows} bad inputs
   :header-rows: 1
   :widths: 40 20 40

   * - Entry point and input
     - Exception
     - Message (sample)
"""


def _cut(message: str, width: int = 90) -> str:
    message = message.replace("\n", " ").replace("`", "'")
    return message if len(message) <= width else message[: width - 3] + "..."


def render_doc() -> str:
    """``docs/bad-input.rst``: every row, with the exception and message it gets today."""
    connection = closed_port_connection()
    from bad_input_walk import figures

    walked = {f"walk_{name}": f"{number:,}" for name, number in figures().items()}
    lines = [_DOC_HEAD.format(rows=len(ROWS), entries=len({row.entry for row in ROWS}), **walked)]
    for row in ROWS:
        try:
            error = check_row(row, connection)
        finally:
            settings.reset()
        lines.append(
            f"   * - ``{row.entry}`` {row.case}\n"
            f"     - {type(error).__name__}\n"
            f"     - ``{_cut(str(error))}``\n"
        )
    return "".join(lines)
