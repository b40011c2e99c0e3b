"""Shared helper for the streaming stages: a forked worker process, without ``multiprocessing``.

``package`` and ``verify`` share their reading and hashing with one forked process. Importing
``multiprocessing`` (with ``socket``, ``selectors`` and ``logging`` behind it) costs more than
a small package takes to verify, so this module does the little they need with ``os``:

- ``Counters``: two integers in anonymous shared memory with a lock (a token in a pipe), the
  ``[next_front, end]`` pair ``workshare.take_many`` claims work from;
- ``Child``: a forked process running one function, which sends its results back on a pipe
  (length-prefixed pickles); the parent receives them, and ``EOFError`` says the child ended
  before sending. ``ready`` says whether something has arrived, so the parent can do other
  work meanwhile; the pipe is made large (1 MiB on Linux) and ``Sender.send_packed`` can send
  only what fits in it without waiting.

Only where the platform forks (``can_fork``).
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, BinaryIO

_HEADER = struct.Struct("!Q")
_SLOT = struct.Struct("q")


#: arkivlucka's own worker threads that wait idle whenever the main work forks (a hash pool)
IDLE_OWN = ("arkivlucka-sha256",)


def lone_thread() -> bool:
    """Whether no other thread can be in the middle of anything (an import, a lock) now.

    True when every thread but this one is one of arkivlucka's own idle workers
    (``IDLE_OWN``). A forked child may then import and lock freely; otherwise a lock another
    thread held at the fork stays held in the child for ever.
    """
    import threading

    me = threading.current_thread()
    return all(t is me or t.name.startswith(IDLE_OWN) for t in threading.enumerate())


def can_fork() -> bool:
    """Whether work may be shared with a forked process (``ARKIVLUCKA_NO_FORK`` turns it off)."""
    return hasattr(os, "fork") and not os.environ.get("ARKIVLUCKA_NO_FORK")


class Counters:
    """Integers shared between this process and the children it forks, with one lock.

    Indexed like a ``multiprocessing.Array("q", ...)``; ``get_lock()`` is a context manager.
    """

    def __init__(self, values: list[int]) -> None:
        self._size = len(values)
        self._memory = mmap.mmap(-1, _SLOT.size * max(1, self._size))  # shared across fork
        for i, value in enumerate(values):
            _SLOT.pack_into(self._memory, _SLOT.size * i, value)
        self._take, self._give = os.pipe()
        os.write(self._give, b".")  # the one token: whoever reads it holds the lock

    def __getitem__(self, index: int) -> int:
        """The value at ``index``."""
        return int(_SLOT.unpack_from(self._memory, _SLOT.size * self._check(index))[0])

    def __setitem__(self, index: int, value: int) -> None:
        """Set the value at ``index``."""
        _SLOT.pack_into(self._memory, _SLOT.size * self._check(index), value)

    def _check(self, index: int) -> int:
        if not 0 <= index < self._size:
            raise IndexError(index)
        return index

    @contextmanager
    def get_lock(self) -> Iterator[None]:
        """Hold the lock (wait for the token) for the block."""
        os.read(self._take, 1)
        try:
            yield
        finally:
            os.write(self._give, b".")

    def close(self) -> None:
        """Release the shared memory and the lock's pipe (in the process that made them)."""
        for fd in (self._take, self._give):
            os.close(fd)
        self._memory.close()


def pack(value: object) -> bytes:
    """``value`` as ``Sender`` sends it (a pickle)."""
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


class Sender:
    """The child's end of the result pipe: ``send`` pickles one object onto it."""

    def __init__(self, fd: int) -> None:
        self._out: BinaryIO = os.fdopen(fd, "wb")
        self._room = _pipe_size(fd)

    def send(self, value: object) -> None:
        """Send ``value`` (any picklable object) to the parent (waits while the pipe is full)."""
        self.send_packed(pack(value))

    def send_packed(self, data: bytes, *, only_if_room: bool = False) -> bool:
        """Send what ``pack`` made; with ``only_if_room``, only if it fits in the empty pipe.

        Then sending does not wait for the parent; False (nothing sent) when it would not fit,
        or the pipe's size is not known.
        """
        if only_if_room:
            if self._room is None or _HEADER.size + len(data) > self._room:
                return False
            self._room = None  # the pipe is no longer empty
        self._write(data)
        return True

    def _write(self, data: bytes) -> None:
        self._out.write(_HEADER.pack(len(data)))
        self._out.write(data)
        self._out.flush()

    def close(self) -> None:
        """Close the pipe (the parent then sees the end after what was sent)."""
        self._out.close()


class Child:
    """A forked process running ``target(sender, *args)``; its results arrive by ``recv``.

    The child leaves with ``os._exit`` (no clean-up handlers of the parent run twice, no
    buffered output is written twice); anything it raises ends it, which the parent sees as
    ``EOFError`` on ``recv``.
    """

    def __init__(self, target: Callable[..., object], *args: Any) -> None:
        read, write = os.pipe()
        _grow(write)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; coverage does not follow forks
            os.close(read)
            code = 1
            try:
                target(Sender(write), *args)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid: int | None = pid
        self._fd: int | None = read

    def recv(self) -> Any:
        """The next object the child sent; ``EOFError`` when it ended without sending one."""
        (length,) = _HEADER.unpack(self._exactly(_HEADER.size))
        return pickle.loads(self._exactly(length))

    def ready(self) -> bool:
        """Whether something the child sent (or its end) can be received without waiting."""
        import select

        assert self._fd is not None
        return bool(select.select([self._fd], [], [], 0)[0])

    def _exactly(self, size: int) -> bytes:
        """``size`` bytes from the pipe, no more (nothing is read ahead: ``ready`` stays true)."""
        assert self._fd is not None
        parts, left = [], size
        while left:
            part = os.read(self._fd, min(left, 1 << 20))
            if not part:
                raise EOFError("the worker process ended")
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def stop(self) -> None:
        """End the child if it still runs, wait for it, close the pipe."""
        if self.pid is not None:
            try:
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGTERM)
                    os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


#: how large a pipe to ask for (Linux lets anyone have 1 MiB): a 10,000-file listing fits
PIPE_SIZE = 1 << 20


def _grow(fd: int) -> None:
    """Ask for a larger pipe where the platform can (Linux); nothing happens elsewhere."""
    import fcntl

    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is not None:
        with suppress(OSError):  # a smaller pipe works as well, only with less sent at once
            fcntl.fcntl(fd, setsize, PIPE_SIZE)


def _pipe_size(fd: int) -> int | None:
    """The pipe's size in bytes, where the platform says (Linux), else None."""
    import fcntl

    getsize = getattr(fcntl, "F_GETPIPE_SZ", None)
    if getsize is None:
        return None
    try:
        return int(fcntl.fcntl(fd, getsize))
    except OSError:
        return None


@contextmanager
def worker(
    values: list[int], target: Callable[..., object], *args: Any
) -> Iterator[tuple[Child, Counters]]:
    """A forked ``target(sender, counters, *args)`` sharing ``Counters(values)`` with this process.

    Yields the child and the counters; after the block the child is ended (if it still runs)
    and the counters are freed.
    """
    shared = Counters(values)
    try:
        child = Child(target, shared, *args)
        try:
            yield child, shared
        finally:
            child.stop()
    finally:
        shared.close()
