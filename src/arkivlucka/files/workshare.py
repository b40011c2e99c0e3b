"""Shared helper for the streaming stages: two processes taking files from both ends of a list.

``take_many`` claims a batch at a time (one lock for up to ``BATCH`` small files); batches
shrink as the two ends near each other, and a large file ends its batch (``give_back``), so
both processes still finish together.
"""

from __future__ import annotations

from collections.abc import Callable
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


BATCH = 16


def take_many(shared: Any, front: bool, most: int = BATCH) -> range:
    """Claim up to ``most`` indices at once from the front or the back (empty when met).

    A batch is at most a sixteenth of what is left, so near the meeting point each end
    claims one file at a time. From the back the indices run downwards.
    """
    with shared.get_lock():
        lo, hi = int(shared[0]), int(shared[1])
        if lo >= hi:
            return range(0)
        n = max(1, min(most, (hi - lo) // 16))
        if front:
            shared[0] = lo + n
            return range(lo, lo + n)
        shared[1] = hi - n
        return range(hi - 1, hi - n - 1, -1)


#: a file at least this large ends its batch: the rest of the batch goes back to the list
LARGE = 1 << 20


def give_back(shared: Any, front: bool, rest: range) -> None:
    """Return the unclaimed ``rest`` of a batch this end took (after a large file).

    Only this end moves its own counter, so the rest is still next to it: the front sets
    ``next_front`` back to the first of it, the back sets ``end`` back past the highest.
    Sixteen large files claimed in one batch near the end would leave the other process
    idle for as long as they take to read.
    """
    if not rest:
        return
    with shared.get_lock():
        if front:
            shared[0] = rest[0]
        else:
            shared[1] = rest[0] + 1


def work_batch(
    shared: Any,
    front: bool,
    do: Callable[[int], int],
    claimed: Callable[[range], object] | None = None,
) -> bool:
    """Claim one batch from this end and ``do`` each index; False when none was left.

    ``do`` returns how many bytes the index's file had: one of ``LARGE`` or more ends the
    batch, and its rest goes back to the list (``give_back``). ``claimed`` is told the batch
    before its work starts.
    """
    batch = take_many(shared, front)
    if not batch:
        return False
    if claimed is not None:
        claimed(batch)
    for k, i in enumerate(batch):
        if do(i) >= LARGE and k + 1 < len(batch):
            give_back(shared, front, batch[k + 1 :])
            break
    return True
