"""Write stage: whole files written atomically (in-place edits: ``safe_update``; packages: ``package_sink``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from arkivlucka.core.errors import OutputError


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
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        with _UMASK_LOCK:
            umask = os.umask(0o022)
            os.umask(umask)
        return 0o666 & ~umask


def temp_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file in ``path``'s folder, with ``path``'s future mode."""
    # the temporary name stays within file-name limits however long the target's name is
    stem = path.name.encode("utf-8")[:120].decode("utf-8", "ignore")
    fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _new_file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename.

    Either the old file or the complete new one is there afterwards, never a partial one.
    """
    return write_files(Path(path).parent, {Path(path).name: data})[0]


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


def write_files(outdir: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files under ``outdir`` (relative names, folders created as needed).

    All contents are first written and synced to temporary files beside their targets; only
    then are they renamed into place, so a failure leaves earlier versions untouched.
    """
    root = Path(outdir)
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    try:
        for rel, data in files.items():
            target = root / rel
            if target.exists() and target.is_dir():
                raise OutputError(f"{target}: a folder is in the way of the file to write")
            _make_folder(target.parent, created)
            staged.append((temp_beside(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(created):  # only the folders this call made, if still empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise OutputError(f"{exc.filename or root}: cannot write: {exc.strerror}") from None
        raise
    for folder in {target.parent for _, target in staged}:
        fsync_dir(folder)
    return [target for _, target in staged]
