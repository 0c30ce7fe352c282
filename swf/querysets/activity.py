"""The :class:`ActivityTypeQuerySet`."""

from __future__ import annotations

from swf.models.activity import ActivityType
from swf.querysets.workflow import _TypeQuerySet

__all__ = ["ActivityTypeQuerySet"]


class ActivityTypeQuerySet(_TypeQuerySet[ActivityType]):
    """The activity types of a domain.

    Example::

        >>> qs = ActivityTypeQuerySet("media")
        >>> qs.get("resize", "1")
        >>> [t.version for t in qs.filter(name="resize")]
        >>> atype, created = qs.get_or_create("resize", "2", task_list="images")

    Listed types carry no registered defaults (ListActivityTypes does not return them); ``get``
    and :meth:`ActivityType.upstream` do.

    Args:
        domain: the domain (a :class:`~swf.models.Domain` or its name).
        client: a boto3 SWF client, a :class:`~swf.core.Connection`, or ``None``.
    """

    model = ActivityType
    _operation = "ListActivityTypes"
    _ref_key = "activityType"
