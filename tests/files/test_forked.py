"""The forked worker without multiprocessing: shared counters, results over a pipe, ends seen."""

from __future__ import annotations

import os

import pytest

from arkivlucka.files.forked import Child, Counters, Sender, can_fork, pack, worker
from arkivlucka.files.workshare import take_many
from support.helpers import python_says

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


def _two_sends(conn: Sender, gate: int) -> None:
    conn.send("first")
    os.read(gate, 1)  # wait for the parent's go
    conn.send("second")


def test_ready_says_whether_something_has_arrived_without_reading_ahead() -> None:
    go_read, go_write = os.pipe()
    child = Child(_two_sends, go_read)
    try:
        assert child.recv() == "first"
        assert not child.ready()  # the second is not sent yet
        os.write(go_write, b".")
        while not child.ready():
            pass
        assert child.recv() == "second"
        with pytest.raises(EOFError):
            child.recv()  # the end is ready too
    finally:
        child.stop()
        os.close(go_read)
        os.close(go_write)


def _room(conn: Sender, small: int, large: int) -> None:
    # more than the empty pipe holds: not sent
    too_large = conn.send_packed(pack(b"y" * large), only_if_room=True)
    fits = conn.send_packed(pack(b"x" * small), only_if_room=True)
    again = conn.send_packed(pack(b"z"), only_if_room=True)  # the pipe is no longer empty
    conn.send((too_large, fits, again))


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="no pipe sizes")
def test_only_what_fits_in_the_empty_pipe_is_sent_without_waiting() -> None:
    from arkivlucka.files.forked import PIPE_SIZE

    child = Child(_room, 1000, 2 * PIPE_SIZE)
    try:
        assert child.recv() == b"x" * 1000  # the small one went at once
        assert child.recv() == (False, True, False)
    finally:
        child.stop()


def test_a_lone_thread_is_one_with_only_arkivlucka_s_idle_workers_beside_it() -> None:
    code = (
        "import threading\n"
        "from arkivlucka.files.forked import lone_thread\n"
        "from arkivlucka.delivery.sink import _hasher\n"
        "print(lone_thread())\n"
        "_hasher().submit(len, b'x').result()  # the hash pool's thread, idle again\n"
        "print(lone_thread())\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait).start()\n"
        "print(lone_thread())\n"
        "stop.set()\n"
    )
    said = python_says(code)
    assert said.split() == ["True", "True", "False"]
