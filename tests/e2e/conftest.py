"""End-to-end fixtures: a moto server on 127.0.0.1, started through swf.local."""

from __future__ import annotations

import pytest

from swf.local import LocalConnection, LocalSWF


@pytest.fixture(scope="session")
def local_swf(_swf_server_session: LocalSWF) -> LocalSWF:
    """The session's moto server (swf.testing's ``swf_server``, without the reset)."""
    return _swf_server_session


@pytest.fixture
def local_connection(local_swf: LocalSWF) -> LocalConnection:
    """A connection to the session's server, emptied first (moto slows down as it fills)."""
    local_swf.reset()
    return local_swf.connection(retries=2, read_timeout=10, connect_timeout=2)
