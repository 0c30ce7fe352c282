"""swf: a pleasant, Django-like object layer over boto3 for Amazon Simple Workflow.

The everyday names are importable from here; each is loaded on first use, so that
``import swf`` stays cheap::

    import swf
    domain = swf.Domain("media")
    for execution in swf.WorkflowExecutionQuerySet(domain).filter(status=swf.constants.OPEN):
        print(execution.workflow_id, execution.history().compiled.workflow.state)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from swf import constants, exceptions, settings
from swf.core import Connection
from swf.exceptions import SWFError

if TYPE_CHECKING:
    from swf.actors import ActivityTask, ActivityWorker, Actor, Decider, DecisionTask
    from swf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
    from swf.models.history import History
    from swf.querysets import (
        ActivityTypeQuerySet,
        DomainQuerySet,
        WorkflowExecutionQuerySet,
        WorkflowTypeQuerySet,
    )

__version__ = "0.1.0"

_LAZY = {
    "Domain": "swf.models",
    "WorkflowType": "swf.models",
    "ActivityType": "swf.models",
    "WorkflowExecution": "swf.models",
    "History": "swf.models.history",
    "DomainQuerySet": "swf.querysets",
    "WorkflowTypeQuerySet": "swf.querysets",
    "ActivityTypeQuerySet": "swf.querysets",
    "WorkflowExecutionQuerySet": "swf.querysets",
    "Actor": "swf.actors",
    "Decider": "swf.actors",
    "DecisionTask": "swf.actors",
    "ActivityWorker": "swf.actors",
    "ActivityTask": "swf.actors",
}

__all__ = [
    "ActivityTask",
    "ActivityType",
    "ActivityTypeQuerySet",
    "ActivityWorker",
    "Actor",
    "Connection",
    "Decider",
    "DecisionTask",
    "Domain",
    "DomainQuerySet",
    "History",
    "SWFError",
    "WorkflowExecution",
    "WorkflowExecutionQuerySet",
    "WorkflowType",
    "WorkflowTypeQuerySet",
    "__version__",
    "constants",
    "exceptions",
    "settings",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'swf' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
