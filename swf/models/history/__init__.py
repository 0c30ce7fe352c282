"""Histories of workflow executions and their compiled view.

>>> from swf.models.history import History
>>> history = History.from_json("tests/data/moto_history.json")  # doctest: +SKIP
>>> history.compiled.activities["double-1"].state                 # doctest: +SKIP
'completed'
"""

from __future__ import annotations

from swf.models.history.compiled import CompiledHistory
from swf.models.history.compiler import TRANSITIONS, compile_history
from swf.models.history.history import History
from swf.models.history.recorded import (
    KEY_FIELDS,
    RECORDING_EVENTS,
    DecisionKey,
    recorded_decisions,
)
from swf.models.history.records import (
    ActivityRecord,
    ChildWorkflowRecord,
    DecisionTaskRecord,
    ExternalCancelRecord,
    ExternalSignalRecord,
    HistoryProblem,
    LambdaFunctionRecord,
    MarkerRecord,
    Record,
    SignalRecord,
    TimerRecord,
    WorkflowRecord,
)

__all__ = [
    "KEY_FIELDS",
    "RECORDING_EVENTS",
    "TRANSITIONS",
    "ActivityRecord",
    "ChildWorkflowRecord",
    "CompiledHistory",
    "DecisionKey",
    "DecisionTaskRecord",
    "ExternalCancelRecord",
    "ExternalSignalRecord",
    "History",
    "HistoryProblem",
    "LambdaFunctionRecord",
    "MarkerRecord",
    "Record",
    "SignalRecord",
    "TimerRecord",
    "WorkflowRecord",
    "compile_history",
    "recorded_decisions",
]
