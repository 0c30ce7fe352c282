"""Testing kit: pytest fixtures giving a moto-backed SWF to your own tests.

Installed as a pytest plugin (entry point ``pytest11``), so the fixtures are there as soon
as swf is installed:

- ``swf_env``: dummy AWS credentials and region, no ``~/.swf``, ``swf.settings`` reset; the
  environment is restored afterwards.
- ``swf_backend``: an in-process moto SWF, extended to behave as SWF (:func:`swf.local.install`);
  yields a :class:`swf.core.Connection` to it.
- ``swf_domain``: on ``swf_backend``, a registered domain with one workflow type and one
  activity type (a :class:`TestDomain`).
- ``swf_server``: a moto server on 127.0.0.1 for the whole test session (a
  :class:`swf.local.LocalSWF`), for tests with several threads or processes; emptied before
  each test that asks for it.
- ``swf_poll_timeout``: how long a poll of those backends waits for a task before it answers
  empty (1 s; SWF's is 60). Override it in a ``conftest.py`` for another value.

Nothing here talks to AWS.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from swf import settings
from swf.core import Connection
from swf.extras import require
from swf.testing.builder import HistoryBuilder

if TYPE_CHECKING:
    from swf.local import LocalSWF
    from swf.models import ActivityType, Domain, WorkflowType

__all__ = [
    "DUMMY_ENV",
    "HistoryBuilder",
    "TestDomain",
    "make_test_domain",
    "swf_backend",
    "swf_domain",
    "swf_env",
    "swf_poll_timeout",
    "swf_server",
]

#: The environment the fixtures set: recognisable fake credentials, one region.
DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIATESTINGSWF00000",
    "AWS_SECRET_ACCESS_KEY": "swf-testing-secret-key-never-real",
    "AWS_SESSION_TOKEN": "swf-testing-session-token",
    "AWS_DEFAULT_REGION": "us-east-1",
}
_CLEARED = ("AWS_PROFILE", "AWS_REGION", "SWF_ENDPOINT_URL", "SWF_DOMAIN", "SWF_CONNECTION_RETRIES")


@pytest.fixture
def swf_env(tmp_path: Any) -> Iterator[dict[str, str]]:
    """Dummy credentials and region; ``~/.swf`` replaced by a missing file; settings reset."""
    saved = dict(os.environ)
    os.environ.update(DUMMY_ENV)
    for name in _CLEARED:
        os.environ.pop(name, None)
    os.environ["SWF_CONFIG_FILE"] = str(tmp_path / "no-such-swf-config")
    settings.reset()
    try:
        yield DUMMY_ENV
    finally:
        os.environ.clear()
        os.environ.update(saved)
        settings.reset()


@pytest.fixture(scope="session")
def swf_poll_timeout() -> float:
    """Seconds a poll of ``swf_backend`` or ``swf_server`` waits for a task (default 1).

    SWF waits 60 s; a test that polls an empty task list, or stops an actor that is polling,
    would wait that long. A task scheduled while a poll waits is handed out at once, whatever
    the value. Override this fixture to change it.
    """
    return 1.0


@contextlib.contextmanager
def _poll_timeout(seconds: float) -> Iterator[None]:
    from swf.local import install, poll_timeout

    previous = poll_timeout()
    install(poll_timeout=seconds)
    try:
        yield
    finally:
        install(poll_timeout=previous)


@pytest.fixture
def swf_backend(swf_env: dict[str, str], swf_poll_timeout: float) -> Iterator[Connection]:
    """An in-process moto SWF backend that behaves as SWF, and a Connection to it.

    The extensions of :mod:`swf.local` are installed (every decision type and operation,
    long polls of ``swf_poll_timeout`` seconds, timeouts that fire on time).
    """
    require("local", "the swf_backend fixture")
    from moto import mock_aws

    from swf.local import cancel_timers

    with _poll_timeout(swf_poll_timeout), mock_aws():
        try:
            yield Connection(region=swf_env["AWS_DEFAULT_REGION"])
        finally:
            cancel_timers()  # a test's 600 s timer must not outlive it


@attrs.frozen
class TestDomain:
    """What ``swf_domain`` gives: a registered domain and two types, and the connection.

    The workflow type's decision tasks go to the ``"decisions"`` task list, the activity
    type's tasks to ``"activities"``; every timeout is short enough for tests and long enough
    not to fire during one (five minutes).
    """

    __test__ = False  # not a test class, for pytest's collector

    connection: Connection
    domain: Domain
    workflow_type: WorkflowType
    activity_type: ActivityType


def make_test_domain(connection: Connection, name: str = "swf-testing") -> TestDomain:
    """Register the domain and types of ``swf_domain`` through ``connection``.

    Args:
        connection: where to register (a moto backend or a local server).
        name: the domain name.
    """
    from swf.models import ActivityType, Domain, WorkflowType

    domain = Domain(name, retention_period=1, client=connection)
    domain.save()
    workflow_type = WorkflowType(
        name,
        "workflow",
        "1",
        task_list="decisions",
        execution_timeout=300,
        decision_tasks_timeout=300,
        child_policy="TERMINATE",
        client=connection,
    )
    workflow_type.save()
    activity_type = ActivityType(
        name,
        "activity",
        "1",
        task_list="activities",
        task_heartbeat_timeout=300,
        task_schedule_to_close_timeout=300,
        task_schedule_to_start_timeout=300,
        task_start_to_close_timeout=300,
        client=connection,
    )
    activity_type.save()
    return TestDomain(connection, domain, workflow_type, activity_type)


@pytest.fixture
def swf_domain(swf_backend: Connection) -> TestDomain:
    """A domain ``"swf-testing"`` with a workflow type and an activity type, on ``swf_backend``."""
    return make_test_domain(swf_backend)


@pytest.fixture(scope="session")
def _swf_server_session(swf_poll_timeout: float) -> Iterator[LocalSWF]:
    require("local", "the swf_server fixture")
    from swf.local import LocalSWF

    with LocalSWF(poll_timeout=swf_poll_timeout) as local:
        yield local


@pytest.fixture
def swf_server(_swf_server_session: LocalSWF) -> LocalSWF:
    """A moto server on 127.0.0.1 shared by the session, emptied before each test.

    ``swf_server.connection()`` connects to it; ``swf_server.env`` holds the environment
    variables that point another process (or ``swf.settings``) at it.
    """
    _swf_server_session.reset()
    return _swf_server_session
