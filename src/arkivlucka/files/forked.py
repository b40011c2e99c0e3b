"""Shared helper for the streaming stages: a forked worker process, without ``multiprocessing``.

``package`` and ``verify`` share their reading and hashing with one forked process. Importing
``multiprocessing`` (with ``socket``, ``selectors`` and ``logging`` behind it) costs more than
a small package takes to verify, so this module does the little they need with ``os``:

- ``Counters``: two integers in anonymous shared memory with a lock (a token in a pipe), the
  ``[next_front, end]`` pair ``workshare.take_many`` claims work from;
- ``Child``: a forked process running one function, which sends its results back on a pipe
  (length-prefixed pickles); the parent receives them, and ``EOFError`` says the child ended
  before sending.

Only where the platform forks (``can_fork``).
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

_HEADER = struct.Struct("!Q")
_SLOT = struct.Struct("q")


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


class Sender:
    """The child's end of the result pipe: ``send`` pickles one object onto it."""

    def __init__(self, fd: int) -> None:
        self._out: BinaryIO = os.fdopen(fd, "wb")

    def send(self, value: object) -> None:
        """Send ``value`` (any picklable object) to the parent."""
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
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
        self._in: BinaryIO = os.fdopen(read, "rb")

    def recv(self) -> Any:
        """The next object the child sent; ``EOFError`` when it ended without sending one."""
        header = self._in.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise EOFError("the worker process ended")
        (length,) = _HEADER.unpack(header)
        data = self._in.read(length)
        if len(data) < length:
            raise EOFError("the worker process ended")
        return pickle.loads(data)

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
        self._in.close()


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
