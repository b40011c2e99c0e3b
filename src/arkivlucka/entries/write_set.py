"""Write stage for ``describe``: one set of entries per folder, replaced as a whole.

A folder that already holds entries (a sub-folder with ``arkivbeskrivning.xml`` or
``arkivforteckning.xml``) is refused unless ``overwrite``; with it the whole set is replaced:
the new set is written and synced beside the old one, the old records creators' folders are
moved aside, the new ones moved in, and only then the old ones deleted. A records creator
removed from the incident thus leaves no folder behind that looks current. A failure before
the swap leaves the old set untouched; during it, the old set is moved back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import error
from arkivlucka.files.write import fsync_dir, write_files

ENTRY_FILES = ("arkivbeskrivning.xml", "arkivforteckning.xml")


def existing_entries(outdir: Path) -> list[Path]:
    """The sub-folders of ``outdir`` that hold entries (sorted); none if it does not exist."""
    if not outdir.is_dir():
        return []
    return sorted(
        sub
        for sub in outdir.iterdir()
        if not sub.name.startswith(".")
        and sub.is_dir()
        and any((sub / name).is_file() for name in ENTRY_FILES)
    )


def _refuse_other_files(folders: list[Path], keep: set[str]) -> None:
    """A folder to remove must hold nothing but entries: anything else would be lost."""
    for folder in folders:
        if folder.name in keep:
            continue
        others = sorted(p.name for p in folder.iterdir() if p.name not in ENTRY_FILES)
        if others:
            msg = (
                f"the records creator's folder {folder.name}/ is no longer in the incident but "
                f"holds other files ({', '.join(others[:3])}); move them, then run again"
            )
            raise OutputError(
                f"{folder}: {msg}", [error("entries-folder-not-empty", msg, file=str(folder))]
            )


def refuse_existing(outdir: Path) -> None:
    """Raise ``OutputError`` (code ``entries-exist``) if ``outdir`` already holds entries."""
    found = existing_entries(outdir)
    if not found:
        return
    names = ", ".join(f"{p.name}/" for p in found[:4]) + (" …" if len(found) > 4 else "")
    msg = (
        f"the folder already holds entries ({names}); not overwritten. Replacing them "
        "replaces the whole set: a records creator no longer in the incident loses its folder"
    )
    finding = error("entries-exist", msg, file=str(outdir), param="overwrite")
    raise OutputError(f"{outdir}: {msg}", [finding])


def _move_aside(outdir: Path, folders: list[Path]) -> tuple[Path, list[tuple[Path, Path]]]:
    """Rename ``folders`` into a hidden folder of ``outdir``; return it and what moved where."""
    aside = Path(tempfile.mkdtemp(prefix=".arkivlucka-old-", dir=outdir))
    moved: list[tuple[Path, Path]] = []
    try:
        for folder in folders:
            os.replace(folder, aside / folder.name)
            moved.append((aside / folder.name, folder))
    except OSError as exc:
        _put_back(aside, moved)
        raise OutputError(f"{exc.filename or outdir}: cannot replace: {exc.strerror}") from None
    return aside, moved


def _put_back(aside: Path, moved: list[tuple[Path, Path]]) -> None:
    for dest, folder in reversed(moved):
        with contextlib.suppress(OSError):
            os.replace(dest, folder)
    with contextlib.suppress(OSError):
        aside.rmdir()


def write_entry_set(
    outdir: str | Path, documents: Mapping[str, bytes], overwrite: bool
) -> list[Path]:
    """Write ``documents`` (``<key>/<file>``) as the one set of entries in ``outdir``.

    With ``overwrite``, existing entries are replaced: each kept records creator's two files
    atomically (other files in its folder stay), and the folders of records creators no
    longer in the incident are removed once the new set is in place.
    """
    root = Path(outdir)
    old = existing_entries(root)
    if not old:
        return write_files(root, documents)
    if not overwrite:
        refuse_existing(root)
    keys = {rel.split("/", 1)[0] for rel in documents}
    _refuse_other_files(old, keys)
    removed = [folder for folder in old if folder.name not in keys]
    aside, moved = _move_aside(root, removed)
    try:
        written = write_files(root, documents)
    except BaseException:
        _put_back(aside, moved)
        raise
    fsync_dir(root)
    shutil.rmtree(aside, ignore_errors=True)
    return written
