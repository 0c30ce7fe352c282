"""Testing kit: pytest fixtures giving a moto-backed SWF to your own tests.

Installed as a pytest plugin (entry point ``pytest11``), so the fixtures are there as soon
as swf is installed:

- ``swf_env``: dummy AWS credentials and region, no ``~/.swf``, ``swf.settings`` reset; the
  environment is restored afterwards.
- ``swf_backend``: an in-process moto SWF; yields a :class:`swf.core.Connection` to it.

Nothing here talks to AWS.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from swf import settings
from swf.core import Connection
from swf.testing.builder import HistoryBuilder

__all__ = ["DUMMY_ENV", "HistoryBuilder", "swf_backend", "swf_env"]

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


@pytest.fixture
def swf_backend(swf_env: dict[str, str]) -> Iterator[Connection]:
    """An in-process moto SWF backend, and a :class:`~swf.core.Connection` to it."""
    import boto3
    from moto import mock_aws

    from swf.local import cancel_timers

    with mock_aws():
        try:
            yield Connection(boto3.client("swf", region_name=swf_env["AWS_DEFAULT_REGION"]))
        finally:
            cancel_timers()  # moto's timers are non-daemon threads: a 600 s one blocks exit
