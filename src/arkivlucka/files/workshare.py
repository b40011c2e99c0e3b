"""Shared helper for the streaming stages: two processes taking files from both ends of a list."""

from __future__ import annotations

from typing import Any


def take(shared: Any, front: bool) -> int | None:
    """Claim the next index from the front (the worker) or the back (the main process).

    ``shared`` is a ``multiprocessing.Array`` of two integers, ``[next_front, end]``; None
    when the two ends have met.
    """
    with shared.get_lock():
        lo, hi = shared[0], shared[1]
        if lo >= hi:
            return None
        if front:
            shared[0] = lo + 1
            return int(lo)
        shared[1] = hi - 1
        return int(hi - 1)
