"""Write stage: whole files written atomically (in-place edits: ``safe_update``; packages: ``package_sink``).

One rule for every command: an existing file is replaced only when the caller says so
(``overwrite``), a symbolic link is never written through (not as a folder below the output
folder, not as the file to replace), and temporary files are created exclusively and without
following links in the target's own folder. Their names (``leftovers``) carry the host, the
process id and the time, so a later run recognises the ones a killed run left and removes them.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.files.leftovers import sweep, temp_name

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_EXCL_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (so a rename survives a crash); best effort."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_UMASK_LOCK = threading.Lock()


def _new_file_mode(path: Path) -> int:
    """The mode the written file should have: the old file's, else what umask allows."""
    try:
        st = path.lstat()
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def open_exclusive(path: Path, mode: int = 0o600) -> int:
    """Create ``path`` for writing: never an existing file, never through a link."""
    return os.open(path, _EXCL_FLAGS, mode)


def temp_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file in ``path``'s folder, with ``path``'s future mode."""
    tmp = path.parent / temp_name(path.name)
    fd = open_exclusive(tmp)
    try:
        os.fchmod(fd, _new_file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _problem(code: str, target: Path, msg: str, param: str | None = None) -> OutputError:
    return OutputError(f"{target}: {msg}", [error(code, msg, file=str(target), param=param)])


def check_target(root: Path, rel: str, *, overwrite: bool) -> Path:
    """The path to write ``rel`` under ``root``, refused when the rule does not allow it.

    No folder below ``root`` on the way may be a symbolic link (it could lead out of the
    output folder); the file itself may not be a link or a folder; an existing file is
    replaced only with ``overwrite``.
    """
    target = root / rel
    here = root
    for part in Path(rel).parts[:-1]:
        here = here / part
        if here.is_symlink():
            msg = f"{here} is a symbolic link; nothing is written through it (write elsewhere)"
            raise _problem("output-symlink", target, msg)
    if target.is_symlink():
        msg = "is a symbolic link; it is not replaced (remove it or write elsewhere)"
        raise _problem("output-symlink", target, msg)
    if target.is_dir():
        raise _problem("output-exists", target, "a folder is in the way of the file to write")
    if target.exists() and not overwrite:
        msg = "the output file exists; not overwritten unless told to overwrite"
        raise _problem("output-exists", target, msg, param="overwrite")
    return target


def atomic_write(
    path: str | Path, data: bytes, *, overwrite: bool = False, notes: list[Finding] | None = None
) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename.

    Either the old file or the complete new one is there afterwards, never a partial one.
    An existing file is replaced only with ``overwrite``; see ``check_target``.
    """
    return write_files(
        Path(path).parent, {Path(path).name: data}, overwrite=overwrite, notes=notes
    )[0]


def _make_folder(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its parents (noted in ``created``); name a file in the way."""
    missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        created += reversed(missing)
    except (FileExistsError, NotADirectoryError):
        blocker = next(
            (p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None
        )
        if blocker is None:
            raise
        raise OutputError(f"{blocker}: is a file, not a folder; cannot write into it") from None


def write_error(target: Path | str, exc: BaseException) -> OutputError:
    """An ``OutputError`` with a ``write-failed`` finding for any exception a write raised."""
    if isinstance(exc, OSError):
        where = exc.filename or target
        reason = exc.strerror or str(exc)
    else:  # e.g. lxml's SerialisationError (IO_EFBIG), a MemoryError
        where, reason = target, f"{type(exc).__name__}: {exc}"
    msg = f"cannot write {where}: {reason}; nothing written"
    return OutputError(f"{target}: {msg}", [error("write-failed", msg, file=str(target))])


class Staging:
    """Files staged one at a time beside their targets, then all put in place at once.

    ``stage`` writes and syncs one file's temporary copy (so the caller need not keep its
    bytes); ``commit`` renames every staged file into place; leaving the ``with`` block
    without committing removes the temporary files and the folders this staging made.
    """

    def __init__(self, root: str | Path, *, overwrite: bool = False) -> None:
        self.root, self.overwrite = Path(root), overwrite
        self.staged: list[tuple[Path, Path]] = []
        self.created: list[Path] = []
        self.notes: list[Finding] = []
        self._swept: set[Path] = set()

    def stage(self, rel: str, data: bytes) -> None:
        """Write ``data`` for ``rel`` to a temporary file beside its target."""
        target = check_target(self.root, rel, overwrite=self.overwrite)
        try:
            _make_folder(target.parent, self.created)
            if target.parent not in self._swept:
                self._swept.add(target.parent)
                self.notes += sweep(target.parent)
            self.staged.append((temp_beside(target, data), target))
        except OSError as exc:
            raise write_error(target, exc) from None

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the targets."""
        try:
            for tmp, target in self.staged:
                os.replace(tmp, target)
        except OSError as exc:
            raise write_error(self.root, exc) from None
        for folder in {target.parent for _, target in self.staged}:
            fsync_dir(folder)
        done = [target for _, target in self.staged]
        self.staged, self.created = [], []
        return done

    def abort(self) -> None:
        """Remove what was staged and the folders made for it (if still empty)."""
        for tmp, _ in self.staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.staged, self.created = [], []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()


def write_files(
    outdir: str | Path,
    files: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
    *,
    overwrite: bool = False,
    notes: list[Finding] | None = None,
) -> list[Path]:
    """Write several files under ``outdir`` (relative names, folders created as needed).

    All contents are first written and synced to temporary files beside their targets; only
    then are they renamed into place, so a failure leaves earlier versions untouched. Stale
    temporary files of killed runs found beside the targets are removed (``notes`` says so).
    """
    items = files.items() if isinstance(files, Mapping) else files
    with Staging(outdir, overwrite=overwrite) as staging:
        for rel, data in items:
            staging.stage(rel, data)
        done = staging.commit()
    if notes is not None:
        notes += staging.notes
    return done
