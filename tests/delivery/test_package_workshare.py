"""Batched claiming from both ends of a work list: every index exactly once, ends meet."""

from __future__ import annotations

import pytest

from arkivlucka.files.forked import Counters
from arkivlucka.files.workshare import LARGE, take, take_many, work_batch


@pytest.mark.parametrize("count", [0, 1, 2, 15, 16, 17, 100, 1000, 10_007])
@pytest.mark.parametrize("most", [1, 4, 16])
def test_batches_from_both_ends_cover_every_index_once(count: int, most: int) -> None:
    shared = Counters([0, count])
    front: list[int] = []
    back: list[int] = []
    turn = True
    while batch := take_many(shared, front=turn, most=most):
        assert len(batch) <= most
        (front if turn else back).extend(batch)
        turn = not turn
    assert sorted(front + back) == list(range(count))
    assert front == sorted(front) and back == sorted(back, reverse=True)
    if front and back:
        assert max(front) < min(back)  # the two ends met, they did not cross


def test_batches_shrink_near_the_meeting_point() -> None:
    shared = Counters([0, 40])
    sizes = []
    while batch := take_many(shared, front=True):
        sizes.append(len(batch))
    assert sizes[0] == 2 and sizes[-1] == 1 and sum(sizes) == 40


def test_single_take_still_works_with_batches() -> None:
    shared = Counters([0, 5])
    assert take(shared, front=False) == 4
    assert list(take_many(shared, front=True)) == [0]
    assert take(shared, front=True) == 1


@pytest.mark.parametrize("count", [1, 17, 100, 1000, 10_007])
@pytest.mark.parametrize("every", [1, 3, 7])
def test_a_large_file_gives_the_rest_of_its_batch_back(count: int, every: int) -> None:
    """Every ``every``-th index is a large file: it ends its batch; nothing is lost or doubled."""
    shared = Counters([0, count])
    done: list[int] = []
    batches: list[int] = []

    def do(i: int) -> int:
        done.append(i)
        return LARGE if i % every == 0 else 1

    turn = True
    while work_batch(shared, turn, do, lambda batch: batches.append(len(batch))):
        turn = not turn
    assert sorted(done) == list(range(count))  # every index once, given back or not
    if every == 1:  # every file large: each batch ended after its first file
        assert len(done) == len(batches)
