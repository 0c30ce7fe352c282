"""Typed history events: one class per SWF event type, grouped by family.

>>> from swf.models.event import from_api
>>> event = from_api({"eventId": 5, "eventType": "ActivityTaskCompleted",
...                   "eventTimestamp": 1700000000.0,
...                   "activityTaskCompletedEventAttributes": {
...                       "scheduledEventId": 3, "startedEventId": 4, "result": "42"}})
>>> event.type, event.state, event.result, event.scheduled_event_id
('ActivityTask', 'completed', '42', 3)
"""

from __future__ import annotations

from swf.models.event.base import Event, UnknownEvent, to_utc
from swf.models.event.types import (
    CLOSING_EVENT_TYPES,
    EVENT_CLASSES,
    EVENT_TYPES,
    FAMILIES,
    ActivityTaskEvent,
    ChildWorkflowExecutionEvent,
    DecisionTaskEvent,
    ExternalWorkflowExecutionEvent,
    LambdaFunctionEvent,
    MarkerEvent,
    TimerEvent,
    WorkflowExecutionEvent,
    from_api,
    from_api_list,
)

__all__ = [
    "CLOSING_EVENT_TYPES",
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "FAMILIES",
    "ActivityTaskEvent",
    "ChildWorkflowExecutionEvent",
    "DecisionTaskEvent",
    "Event",
    "ExternalWorkflowExecutionEvent",
    "LambdaFunctionEvent",
    "MarkerEvent",
    "TimerEvent",
    "UnknownEvent",
    "WorkflowExecutionEvent",
    "from_api",
    "from_api_list",
    "to_utc",
]
