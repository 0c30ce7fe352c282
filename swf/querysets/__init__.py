"""Lazy, chainable listings of the SWF models, in the manner of Django's QuerySets.

::

    from swf.querysets import (DomainQuerySet, WorkflowTypeQuerySet, ActivityTypeQuerySet,
                               WorkflowExecutionQuerySet)
"""

from __future__ import annotations

from swf.querysets.activity import ActivityTypeQuerySet
from swf.querysets.base import InDomainQuerySet, Page, QuerySet, TypeQuerySet, named_filters
from swf.querysets.domain import DomainQuerySet
from swf.querysets.workflow import (
    ExecutionCount,
    WorkflowExecutionQuerySet,
    WorkflowTypeQuerySet,
    filter_date,
)

__all__ = [
    "ActivityTypeQuerySet",
    "DomainQuerySet",
    "ExecutionCount",
    "InDomainQuerySet",
    "Page",
    "QuerySet",
    "TypeQuerySet",
    "WorkflowExecutionQuerySet",
    "WorkflowTypeQuerySet",
    "filter_date",
    "named_filters",
]
