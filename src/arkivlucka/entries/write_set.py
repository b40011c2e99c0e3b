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
from pathlib import Path

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import error
from arkivlucka.files.leftovers import temp_name
from arkivlucka.files.write import Staging, fsync_dir

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
    aside = outdir / temp_name("entries", "old")
    aside.mkdir()
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


def commit_entry_set(root: Path, staging: Staging, keys: set[str], overwrite: bool) -> list[Path]:
    """Put the staged entries (records creators ``keys``) in place as the one set in ``root``.

    Without ``overwrite`` a folder already holding entries is refused. With it, each kept
    records creator's files are replaced (other files in its folder stay), and the folders of
    records creators no longer in the incident are moved aside before the new set goes in and
    deleted after; a failure while putting it in place moves them back.
    """
    old = existing_entries(root)
    if old and not overwrite:
        refuse_existing(root)
    _refuse_other_files(old, keys)
    removed = [folder for folder in old if folder.name not in keys]
    if not removed:
        return staging.commit()
    aside, moved = _move_aside(root, removed)
    try:
        written = staging.commit()
    except BaseException:
        _put_back(aside, moved)
        raise
    fsync_dir(root)
    shutil.rmtree(aside, ignore_errors=True)
    return written


def write_entry_set(outdir: str | Path, documents: dict[str, bytes], overwrite: bool) -> list[Path]:
    """Write ``documents`` (``<key>/<file>``) as the one set of entries in ``outdir``."""
    root = Path(outdir)
    if not overwrite:
        refuse_existing(root)
    with Staging(root, overwrite=overwrite) as staging:
        for rel, data in documents.items():
            staging.stage(rel, data)
        return commit_entry_set(root, staging, {r.split("/", 1)[0] for r in documents}, overwrite)
