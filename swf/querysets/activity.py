"""The :class:`ActivityTypeQuerySet`."""

from __future__ import annotations

from swf.models.activity import ActivityType
from swf.querysets.base import TypeQuerySet

__all__ = ["ActivityTypeQuerySet"]


class ActivityTypeQuerySet(TypeQuerySet[ActivityType]):
    """The activity types of a domain (ListActivityTypes); see :class:`TypeQuerySet`.

    Example::

        >>> atype, created = ActivityTypeQuerySet("media").get_or_create("resize", "2")
    """

    model = ActivityType
