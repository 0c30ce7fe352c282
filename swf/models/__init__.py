"""The SWF models: immutable values for domains, types and executions that can talk to SWF.

::

    from swf.models import Domain, WorkflowType, ActivityType, WorkflowExecution

Events (:mod:`swf.models.event`), histories (:mod:`swf.models.history`) and decisions
(:mod:`swf.models.decision`) live in their own subpackages.
"""

from __future__ import annotations

from swf.models.activity import ActivityType
from swf.models.base import Difference, Model, ModelDiff
from swf.models.domain import Domain
from swf.models.type import TypeModel
from swf.models.workflow import OpenCounts, WorkflowExecution, WorkflowType

__all__ = [
    "ActivityType",
    "Difference",
    "Domain",
    "Model",
    "ModelDiff",
    "OpenCounts",
    "TypeModel",
    "WorkflowExecution",
    "WorkflowType",
]
