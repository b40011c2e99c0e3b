"""Shared by every stage: pausing Python's cycle collector while a stage makes many objects.

Reading a large input makes hundreds of thousands of objects and no reference cycles; each
collection of the oldest generation walks all of them, which costs a stage a tenth to a
quarter of its time. ``paused`` holds the collector off for a block; nested or concurrent
blocks share one pause, and the last one out restores the collector as it was.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector for the block (re-entrant, thread-safe), then restore it."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
