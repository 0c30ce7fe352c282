"""The workflow layer: workflows as plain Python, replayed from their history.

::

    from swf.flow import Workflow, activity, futures, RetryPolicy

    @activity.with_attributes(task_list="quickstart", version="example")
    def increment(x):
        return x + 1

    class BasicWorkflow(Workflow):
        name = "basic"
        task_list = "example"

        def run(self, x):
            y = self.submit(increment, x)
            return y.result

    swf.flow.run_local(BasicWorkflow, 1).result      # 2, with no SWF at all

See docs/flow.rst: the engine (:mod:`swf.flow.engine`) replays ``run()`` against the compiled
history at every decision task, the :class:`WorkflowDecider` and :class:`WorkflowWorker` run
it on SWF, :func:`run_local` runs it in this process in virtual time.
"""

from __future__ import annotations

from swf.flow import futures
from swf.flow.actors import WorkflowDecider, WorkflowWorker
from swf.flow.canvas import Chain, Group
from swf.flow.client import Plan, PlanItem, register, result, signal, start
from swf.flow.context import ActivityContext, CancelActivity, activity_context
from swf.flow.dag import (
    DAG,
    ActivityNode,
    ChildNode,
    DagWorkflow,
    DynamicDagWorkflow,
    GeneratorNode,
    TimerNode,
)
from swf.flow.definition import Activity, RetryPolicy, activity, nondeterministic
from swf.flow.errors import (
    ActivityCanceled,
    ActivityError,
    ActivityFailed,
    ActivityTimedOut,
    ChildWorkflowFailed,
    FlowError,
    NondeterminismError,
    PayloadTooLargeError,
    SignalFailed,
    SignalTimeout,
    TimerCanceled,
    WorkflowCanceled,
    WorkflowError,
    WorkflowFailed,
    WorkflowTerminated,
    WorkflowTimedOut,
)
from swf.flow.executor import LocalRun, run_local
from swf.flow.futures import Future
from swf.flow.standalone import run_standalone
from swf.flow.workflow import Marker, Workflow, WorkflowInfo

__all__ = [
    "DAG",
    "Activity",
    "ActivityCanceled",
    "ActivityContext",
    "ActivityError",
    "ActivityFailed",
    "ActivityNode",
    "ActivityTimedOut",
    "CancelActivity",
    "Chain",
    "ChildNode",
    "ChildWorkflowFailed",
    "DagWorkflow",
    "DynamicDagWorkflow",
    "FlowError",
    "Future",
    "GeneratorNode",
    "Group",
    "LocalRun",
    "Marker",
    "NondeterminismError",
    "PayloadTooLargeError",
    "Plan",
    "PlanItem",
    "RetryPolicy",
    "SignalFailed",
    "SignalTimeout",
    "TimerCanceled",
    "TimerNode",
    "Workflow",
    "WorkflowCanceled",
    "WorkflowDecider",
    "WorkflowError",
    "WorkflowFailed",
    "WorkflowInfo",
    "WorkflowTerminated",
    "WorkflowTimedOut",
    "WorkflowWorker",
    "activity",
    "activity_context",
    "futures",
    "nondeterministic",
    "register",
    "result",
    "run_local",
    "run_standalone",
    "signal",
    "start",
]
