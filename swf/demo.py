"""The demo run by ``make demo`` / ``swf demo`` (placeholder until the models land)."""

from __future__ import annotations


def main() -> int:
    """Run the demo; returns the exit code."""
    print("swf demo: the models are not built yet")
    return 0
