"""A driver for engine tests: the history writer and the engine, with outcomes the test picks.

``Driver(Workflow, *args)`` starts an execution; ``decide()`` runs one decision task through
:func:`swf.flow.engine.decide` and applies its decisions as SWF would; ``complete``,
``fail``, ``time_out`` and ``fire`` report outcomes; ``history`` is the History so far.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from swf.actors import DecisionTask
from swf.flow import Workflow
from swf.flow.encoding import encode, encode_input, error_details
from swf.flow.engine import EngineOptions, decide
from swf.models import WorkflowExecution
from swf.models.decision import Decision
from swf.models.history import History
from swf.models.history.writer import HistoryWriter, ticking_clock


class Driver:
    """One execution of ``workflow`` under test."""

    def __init__(
        self,
        workflow: type[Workflow],
        *args: Any,
        options: EngineOptions | None = None,
        **kwargs: Any,
    ) -> None:
        self.workflow = workflow
        self.options = options
        self.writer = HistoryWriter(
            clock=ticking_clock(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        )
        self.writer.start(
            workflow.key(),
            task_list=workflow.task_list or "deciders",
            input=encode_input(args, kwargs, "input"),
        )
        self.answers: list[list[Decision]] = []

    @property
    def history(self) -> History:
        return History.from_event_list(self.writer.events)

    def task(self) -> DecisionTask:
        if not self.writer.decision_task_started:
            self.writer.decision_started()
        return DecisionTask.from_history(
            self.history, execution=WorkflowExecution("d", "wf-1", "run-1")
        )

    def decide(self) -> list[Decision]:
        """One decision task: the engine's decisions, applied to the history."""
        decisions = decide(self.workflow, self.task(), self.options)
        self.writer.complete_decision_task(decisions)
        self.answers.append(decisions)
        return decisions

    def types(self) -> list[str]:
        return [decision["decisionType"] for decision in self.answers[-1]]

    def start(self, activity_id: str) -> Driver:
        self.writer.start_activity(activity_id)
        return self

    def complete(self, activity_id: str, value: Any = None) -> Driver:
        if self.writer._activities[activity_id][1] is None:
            self.writer.start_activity(activity_id)
        self.writer.complete_activity(activity_id, encode(value, "result"))
        return self

    def fail(self, activity_id: str, error: BaseException) -> Driver:
        if self.writer._activities[activity_id][1] is None:
            self.writer.start_activity(activity_id)
        try:
            raise error
        except BaseException as raised:
            details = error_details(raised)
        reason = f"{type(error).__module__}.{type(error).__qualname__}: {error}"
        self.writer.fail_activity(activity_id, reason, details)
        return self

    def time_out(self, activity_id: str, timeout_type: str = "START_TO_CLOSE") -> Driver:
        self.writer.time_out_activity(activity_id, timeout_type)
        return self

    def fire(self, timer_id: str) -> Driver:
        self.writer.fire_timer(timer_id)
        return self

    @property
    def closed(self) -> Any:
        return self.history.compiled.workflow
