"""The forked worker without multiprocessing: shared counters, results over a pipe, ends seen."""

from __future__ import annotations

import os

import pytest

from arkivlucka.files.forked import Child, Counters, Sender, can_fork, worker
from arkivlucka.files.workshare import take_many

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform does not fork")


def _claim_all(conn: Sender, shared: Counters) -> None:
    got: list[int] = []
    while batch := take_many(shared, front=True, most=3):
        got.extend(batch)
    conn.send(got)
    conn.send({"and": "more"})


def test_two_processes_claim_every_index_exactly_once() -> None:
    with worker([0, 5000], _claim_all) as (child, shared):
        mine: list[int] = []
        while batch := take_many(shared, front=False, most=3):
            mine.extend(batch)
        theirs = child.recv()
        assert child.recv() == {"and": "more"}
        with pytest.raises(EOFError):
            child.recv()  # the child closed its end after two objects
    assert child.pid is None  # ended and waited for
    assert sorted(mine + theirs) == list(range(5000))
    assert not set(mine) & set(theirs)


def _fail(conn: Sender) -> None:
    raise RuntimeError("broken")


def test_a_child_that_raises_is_seen_as_ended() -> None:
    child = Child(_fail)
    try:
        with pytest.raises(EOFError):
            child.recv()
    finally:
        child.stop()


def _large(conn: Sender, size: int) -> None:
    conn.send(b"x" * size)


def test_results_larger_than_the_pipe_buffer_arrive_whole() -> None:
    child = Child(_large, 3 << 20)
    try:
        assert child.recv() == b"x" * (3 << 20)
    finally:
        child.stop()


def _hang(conn: Sender) -> None:
    import time

    time.sleep(60)


def test_stop_ends_a_child_that_still_runs() -> None:
    child = Child(_hang)
    pid = child.pid
    assert pid is not None
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_counters_index_like_an_array() -> None:
    shared = Counters([3, 9])
    try:
        assert (shared[0], shared[1]) == (3, 9)
        shared[1] = 4
        assert shared[1] == 4
        with pytest.raises(IndexError):
            shared[2]
    finally:
        shared.close()


def test_fork_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARKIVLUCKA_NO_FORK", "1")
    assert not can_fork()
    monkeypatch.delenv("ARKIVLUCKA_NO_FORK")
    assert can_fork()
