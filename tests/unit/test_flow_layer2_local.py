"""Layer II in run_local (virtual time): children, signals, cancellation, continue-as-new,
versions, async workflows, the activity context. Every history produced replays."""

from __future__ import annotations

import flowapp
import pytest

from swf.flow import FlowError, run_local
from swf.models.history import History
from swf.replay import Replayer


def replays(workflow: type, history: History) -> bool:
    return Replayer(workflow).check(history).ok


# -- children ------------------------------------------------------------------------------------


def test_children_run_as_executions_of_their_own() -> None:
    run = run_local(flowapp.Parent, 3, workflow_id="parent")
    assert run.result == 0 + 1 + 4
    children = run.history.compiled.child_workflows
    assert sorted(children) == [f"parent-flowapp.Child-{n}" for n in (1, 2, 3)]
    assert {c.state for c in children.values()} == {"completed"}
    child = run.executions[("parent-flowapp.Child-2", children["parent-flowapp.Child-2"].run_id)]
    started = child.compiled.workflow
    assert started.parent == {"workflowId": "parent", "runId": run.run_id}
    assert started.task_list == "children"  # the child's class's
    assert replays(flowapp.Parent, run.history) and replays(flowapp.Child, child)


def test_a_failed_child_raises_child_workflow_failed() -> None:
    run = run_local(flowapp.ParentOfFailing)
    assert run.result == "ChildWorkflowFailed: failed builtins.ValueError: the child gives up"


def test_a_child_is_retried_by_its_policy_after_a_backoff() -> None:
    flowapp.CHILD_CALLS.clear()
    run = run_local(flowapp.ParentOfFlaky, "k1", 2)
    assert run.result == "child ok after 3"
    record = run.history.compiled.child_workflows["flaky-k1"]
    assert record.attempts == 3
    timers = run.history.compiled.timers
    assert [timers[t].start_to_fire_timeout for t in sorted(timers)] == ["10", "20"]
    assert replays(flowapp.ParentOfFlaky, run.history)


# -- signals ---------------------------------------------------------------------------------------


def test_each_wait_receives_the_next_signal_and_a_timeout_fails_the_wait() -> None:
    run = run_local(flowapp.Approval, signals=[(60, "approve", "yes")])
    assert run.result == {"first": "yes", "second": "SignalTimeout", "received": ["yes"]}
    timer = run.history.compiled.timers["swf.signal-2-approve"]
    assert (timer.state, timer.start_to_fire_timeout) == ("fired", "600")
    assert replays(flowapp.Approval, run.history)


def test_signals_before_the_wait_are_kept_and_come_in_order() -> None:
    run = run_local(
        flowapp.Approval, signals=[(0, "approve", "a"), (0, "approve", "b"), (5, "approve", "c")]
    )
    assert run.result == {"first": "a", "second": "b", "received": ["a", "b"]}  # not c: later
    # the second wait needed no timer: its signal had come
    assert "swf.signal-2-approve" not in run.history.compiled.timers


def test_a_late_signal_goes_to_the_next_wait_not_the_timed_out_one() -> None:
    run = run_local(flowapp.Approval, signals=[(0, "approve", 1), (900, "approve", 2)])
    assert run.result["second"] == "SignalTimeout"
    assert run.result["received"] == [1]  # the late one came after the run had finished


def test_a_workflow_signals_itself_and_sends_each_signal_once() -> None:
    run = run_local(flowapp.SelfSignal)
    assert run.result == [1, 2]
    sent = run.history.compiled.external_signals
    assert [record.state for record in sent.values()] == ["signaled"]
    assert replays(flowapp.SelfSignal, run.history)


def test_a_parent_signals_its_child() -> None:
    run = run_local(flowapp.Broadcaster)
    assert run.result == "hello"


def test_a_signal_to_an_unknown_execution_fails_its_future() -> None:
    run = run_local(flowapp.SignalsUnknown)
    assert run.result == "SignalFailed: UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"


# -- cancellation ----------------------------------------------------------------------------------


def test_a_canceled_timer_fails_its_future_with_timer_canceled() -> None:
    run = run_local(flowapp.CancelsTimer)
    assert run.result == "TimerCanceled"
    assert run.history.compiled.timers["sleep-1"].state == "canceled"
    assert replays(flowapp.CancelsTimer, run.history)


def test_a_canceled_child_closes_canceled() -> None:
    run = run_local(flowapp.CancelsChild)
    assert run.result == "ChildWorkflowFailed: canceled"
    assert run.history.compiled.child_workflows["waiting-child"].state == "canceled"


def test_a_cancel_request_cancels_the_open_work_then_the_execution() -> None:
    run = run_local(flowapp.Patient, cancel_after=600)
    assert run.status == "CANCELED"
    assert run.history.compiled.timers["sleep-1"].state == "canceled"
    assert replays(flowapp.Patient, run.history)


def test_on_cancel_requested_may_clean_up_first() -> None:
    flowapp.CLEANUPS.clear()
    run = run_local(flowapp.CleansUp, cancel_after=60)
    assert run.status == "CANCELED" and flowapp.CLEANUPS == ["tmp"]
    assert run.history.compiled.activities["flowapp.clean_up-1"].state == "completed"
    assert replays(flowapp.CleansUp, run.history)


# -- continue-as-new ------------------------------------------------------------------------------


def test_a_long_loop_continues_as_new_and_the_result_follows_the_runs() -> None:
    run = run_local(flowapp.Counter, 0, 30, workflow_id="counter")
    assert run.result == 30
    runs = run.runs()
    assert len(runs) > 1
    assert all(len(history) <= 60 for history in runs)
    assert [h.compiled.workflow.state for h in runs[:-1]] == ["continued_as_new"] * (len(runs) - 1)
    first_id, second_id = [run_id for _, run_id in run.executions][:2]
    first, second = runs[0].compiled.workflow, runs[1].compiled.workflow
    assert first.continued_as_new_run_id == second_id
    assert second.started_event.attributes["continuedExecutionRunId"] == first_id
    assert all(replays(flowapp.Counter, history) for history in runs)


# -- versions --------------------------------------------------------------------------------------


def test_patched_is_true_for_a_new_execution_and_recorded() -> None:
    run = run_local(flowapp.Versioned)
    assert run.result == "new 9"
    assert [m.details for m in run.history.compiled.markers["swf.patch"]] == ['{"id":"use-square"}']
    assert replays(flowapp.Versioned, run.history)


# -- async ----------------------------------------------------------------------------------------


def test_an_async_run_interleaves_its_branches_the_same_way_in_every_replay() -> None:
    run = run_local(flowapp.AsyncFanIn, 3)
    assert run.result == {"pairs": [1, 5, 13], "spawned": 100 + 121}
    assert replays(flowapp.AsyncFanIn, run.history)


def test_awaiting_something_else_than_a_flow_future_fails_the_execution() -> None:
    run = run_local(flowapp.AsyncForeign)
    assert run.status == "FAILED"
    reason = run.history.compiled.workflow.reason
    assert reason.startswith("swf.flow.errors.FlowError: an async run() awaited")


# -- the activity context --------------------------------------------------------------------------


def test_an_activity_knows_its_attempt_and_may_report_itself_canceled() -> None:
    run = run_local(flowapp.ContextUser)
    assert run.result == {
        "attempt": 2,
        "activity_id": "flowapp.attempt_number-1",
        "cancel_requested": False,
        "gives_up": "ActivityCanceled",
    }
    record = run.history.compiled.activities["flowapp.gives_up-1"]
    assert (record.state, record.details) == ("canceled", "nothing to do")


def test_activity_context_outside_an_activity_is_an_error() -> None:
    from swf.flow import activity_context

    with pytest.raises(FlowError, match="inside an activity"):
        activity_context()


def test_a_propagated_signal_reaches_the_parent_and_the_open_children_once() -> None:
    run = run_local(flowapp.ParentOfPropagating)
    assert run.result == {"child": ["for all", "for all"], "mine": "for all"}
    middle = run.runs("propagating")[0]
    sent = sorted(r.workflow_id for r in middle.compiled.external_signals.values())
    assert sent == [run.workflow_id, "propagated-to", "propagating"]
    assert Replayer(flowapp.Propagator).check(middle).ok


def test_an_async_run_is_canceled_and_an_async_hook_awaited() -> None:
    run = run_local(flowapp.AsyncPatient, cancel_after=60)
    assert run.status == "CANCELED"
    flowapp.CLEANUPS.clear()
    run = run_local(flowapp.AsyncCleansUp, cancel_after=60)
    assert run.status == "CANCELED" and flowapp.CLEANUPS == ["async tmp"]
    assert Replayer(flowapp.AsyncCleansUp).check(run.history).ok
