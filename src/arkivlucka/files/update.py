"""Write stage for files edited in place: a lock, a did-it-change check, backup and atomic rename.

``locked(path)`` serialises concurrent updates of one file (``fcntl.flock`` on a lock file
beside it, opened without following links; ``O_EXCL`` creation where ``fcntl`` is missing).
Temporary files are named so that later runs remove the ones a killed run left (``leftovers``). ``replace_with_backup`` keeps the
previous version as ``<name>.bak`` and puts the new one in place by an fsynced rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import Finding, Severity, error
from arkivlucka.files.leftovers import is_stale, sweep, temp_name
from arkivlucka.files.write import fsync_dir, open_exclusive, temp_beside

LOCK_TIMEOUT = 60.0


def lock_path(path: Path) -> Path:
    """The lock file used for ``path``."""
    return path.with_name(path.name + ".lock")


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def _busy(path: Path, timeout: float) -> OutputError:
    msg = f"another process holds {lock_path(path)} for over {timeout:.0f} s; nothing written"
    return OutputError(f"{path}: {msg}", [error("file-locked", msg, file=str(path))])


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_lock(lock: Path, flags: int) -> int:
    """Open the lock file without following a link; refuse anything but a plain file."""
    try:
        fd = os.open(lock, flags | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
    except FileExistsError:
        raise
    except OSError as exc:
        reason = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
        msg = f"cannot create the lock file {lock}: {reason}; nothing written"
        raise OutputError(msg, [error("lock-failed", msg, file=str(lock))]) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
        os.close(fd)
        msg = f"the lock file {lock} is not a plain file of its own; nothing written (remove it)"
        raise OutputError(msg, [error("lock-failed", msg, file=str(lock))])
    return fd


def _stamp(fd: int, lock: Path) -> list[Finding]:
    """Put our host, pid and time in the lock; say so when a killed run's lock is taken over."""
    notes: list[Finding] = []
    with contextlib.suppress(OSError):
        old = os.pread(fd, 200, 0).decode("ascii", "replace").strip()
        if old and is_stale("." + lock.name + "." + old + ".lock"):
            notes.append(
                Finding(
                    "stale-lock-removed",
                    Severity.INFO,
                    f"took over {lock}, left behind by an earlier run that did not finish",
                    file=str(lock),
                )
            )
        tag = temp_name(lock.name).rsplit(".", 2)[-2]
        os.ftruncate(fd, 0)
        os.pwrite(fd, tag.encode("ascii") + b"\n", 0)
    return notes


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[list[Finding]]:
    """Hold an exclusive lock for updating ``path``; wait up to ``timeout`` seconds for it.

    The default wait is ``LOCK_TIMEOUT``. The lock file is removed on release. Yields the
    notes to report (a lock or temporary files left by a killed run, taken over or removed).
    """
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    lock = lock_path(path)
    deadline = time.monotonic() + timeout
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield from _excl_lock(path, lock, deadline, timeout)
        return
    while True:
        fd = _open_lock(lock, os.O_RDWR | os.O_CREAT)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise _busy(path, timeout) from None
                    time.sleep(0.02)
            # The holder before us may have removed the lock file: lock the current one.
            try:
                same = os.fstat(fd).st_ino == os.lstat(lock).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        try:
            yield _stamp(fd, lock) + sweep(path.parent)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)
        return


def _excl_lock(path: Path, lock: Path, deadline: float, timeout: float) -> Iterator[list[Finding]]:
    while True:
        try:
            fd = _open_lock(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise _busy(path, timeout) from None
            time.sleep(0.05)
    os.close(fd)
    try:
        yield sweep(path.parent)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read (to see whether it changed under us)."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        """Take the snapshot of ``path`` now."""
        st = os.stat(path)
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


def read_with_snapshot(path: Path) -> tuple[bytes, Snapshot]:
    """Read ``path`` and remember its identity, size and modification time."""
    before = Snapshot.of(path)
    data = path.read_bytes()
    after = Snapshot.of(path)
    if before != after:
        raise _changed(path)
    return data, after


def _changed(path: Path) -> OutputError:
    msg = (
        "the file changed while it was being updated (another program?); nothing written, run again"
    )
    return OutputError(f"{path}: {msg}", [error("file-changed", msg, file=str(path))])


def _copy_exclusive(src: Path, dst: Path) -> None:
    """Copy ``src`` to the new file ``dst`` (created exclusively, never through a link)."""
    fd = open_exclusive(dst, stat.S_IMODE(os.stat(src).st_mode))
    with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
        shutil.copyfileobj(inp, out)
        out.flush()
        os.fsync(out.fileno())
    shutil.copystat(src, dst)


def replace_with_backup(path: Path, data: bytes, snapshot: Snapshot) -> Path:
    """Replace ``path`` by ``data`` atomically, keeping the previous version as ``.bak``.

    Refuses (``OutputError``, nothing changed) when ``path`` no longer matches ``snapshot``.
    Returns the backup path.
    """
    backup = backup_path(path)
    tmp: Path | None = None
    bak_tmp: Path | None = None
    step = f"cannot write the new version beside {path}"
    try:
        tmp = temp_beside(path, data)
        if Snapshot.of(path) != snapshot:
            raise _changed(path)
        step = f"cannot keep the previous version as {backup}"
        bak_tmp = path.with_name(temp_name(backup.name))
        try:
            os.link(path, bak_tmp)
        except OSError:
            _copy_exclusive(path, bak_tmp)
        os.replace(bak_tmp, backup)
        bak_tmp = None
        step = f"cannot put the new version in place of {path}"
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        msg = f"{step}: {reason}; the inventory is left unchanged"
        raise OutputError(f"{path}: {msg}", [error("write-failed", msg, file=str(path))]) from None
    finally:
        for left in (tmp, bak_tmp):
            if left is not None:
                with contextlib.suppress(OSError):
                    left.unlink()
    fsync_dir(path.parent)
    return backup
