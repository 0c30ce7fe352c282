"""Actors: the decider and the activity worker, abstract bases to subclass.

::

    from swf.actors import ActivityWorker, Decider

    class MyDecider(Decider):
        def decide(self, task):
            return [...]            # swf.models.decision builders

    class MyWorker(ActivityWorker):
        def process(self, task):
            return "result"

Each ``start()`` loops until ``stop()``, SIGTERM or SIGINT, finishing the task in hand
first. They log to the ``swf.actors`` logger. :class:`ActorPool` runs one in several
processes and replaces those that die.
"""

from __future__ import annotations

from swf.actors.actor import Actor, TaskOutcome, TaskReport
from swf.actors.decider import Decider, DecisionTask
from swf.actors.pool import ActorPool
from swf.actors.worker import ActivityTask, ActivityWorker

__all__ = [
    "ActivityTask",
    "ActivityWorker",
    "Actor",
    "ActorPool",
    "Decider",
    "DecisionTask",
    "TaskOutcome",
    "TaskReport",
]
