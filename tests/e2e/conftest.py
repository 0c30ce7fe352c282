"""End-to-end fixtures: a moto server on 127.0.0.1, started through swf.local."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from swf.local import LocalConnection, LocalSWF


@pytest.fixture(scope="session")
def local_swf() -> Iterator[LocalSWF]:
    """One moto server for the e2e session (started in ~0.5 s, stopped at the end)."""
    with LocalSWF() as local:
        yield local


@pytest.fixture
def local_connection(local_swf: LocalSWF) -> LocalConnection:
    """A connection to the session's server, emptied first (moto slows down as it fills)."""
    local_swf.reset()
    return local_swf.connection(retries=2, read_timeout=10, connect_timeout=2)
