"""Pausing Python's cyclic garbage collector while swf builds many objects at once.

Building and compiling a large history allocates hundreds of thousands of small objects
(events, records, dicts) that hold no reference cycle. Each allocation counts towards the
collector's thresholds, and every full collection walks everything alive: the cost per event
grows with the history (``make bench``: ``bench_compile`` measures 5,000 to 100,000 events).
:func:`collector_paused` turns the collector off for the duration of such a build, and back
on afterwards, even when an exception escapes; nothing swf builds there needs it.

Only the collector of cycles is paused: reference counting frees memory as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
#: How many pauses are in progress (threads, or nested calls), and whether the first one
#: found the collector enabled (then the last one to end enables it again).
_depth = 0
_reenable = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the ``with`` block.

    Nested and concurrent pauses (threads) are counted: the collector is enabled again when
    the last one ends, and only if it was enabled when the first one began, so a program that
    runs with the collector disabled keeps it so. An exception leaving the block still
    enables it again.
    """
    global _depth, _reenable
    with _lock:
        if _depth == 0:
            _reenable = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _reenable:
                gc.enable()
