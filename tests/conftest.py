"""Shared fixtures: every test runs with dummy credentials and no ~/.swf (swf_env)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(swf_env: dict[str, str]) -> None:
    """Apply swf.testing's swf_env to every test of this suite."""
