"""Verify stage, fixity: what each file listed in METS should be, against what reading it gave.

``tasks`` groups the references by file (reporting unsafe and missing ones) and says what to
read and how; ``compare`` reports a size or checksum that differs, naming line-ending
conversion when that explains it, and validates metadata XML.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from arkivlucka.core.findings import Finding, error
from arkivlucka.delivery.check_names import LINE_ENDINGS_MAX, line_endings
from arkivlucka.delivery.metsread import IDS, Listing
from arkivlucka.delivery.reader import ALGORITHMS, XML_HOLD, XML_KEEP, PackageReader
from arkivlucka.delivery.verify_read import large_xml_findings, xml_findings
from arkivlucka.files.zipsafe import member_problem

#: one file to compare: its path, the references to it, the algorithms they give, whether its
#: bytes are kept to validate it
Task = tuple[str, list[Listing], frozenset[str], bool]
_WANTED: dict[frozenset[str], frozenset[str]] = {}
_EXACT = {name: frozenset((name,)) for name in ALGORITHMS}


_META_KINDS = frozenset(("dmd", "digiprov", "rights"))


def tasks(reader: PackageReader, listings: list[Listing], out: list[Finding]) -> list[Task]:
    """Group the references by file; report unsafe and missing ones; what to read and how."""
    by_path: dict[str, list[Listing]] = {}
    for item in listings:
        if (same := by_path.get(item.path)) is not None:
            same.append(item)
        else:
            by_path[item.path] = [item]
    unsafe = {path for path in by_path if member_problem(path)}  # each path checked once
    for item in listings if unsafe else ():
        if item.path in unsafe:
            out.append(
                error(
                    "href-unsafe",
                    f"reference '{item.path}' points outside the package",
                    file=item.mets,
                    line=item.line,
                )
            )
    present: list[Task] = []
    sizes = reader.sizes
    for path, items in sorted(by_path.items()):
        if path in unsafe:
            continue
        if path not in sizes:
            for item in items:
                out.append(
                    error(
                        IDS[item.kind][0],
                        f"{path} is listed in METS but missing from the package",
                        file=item.mets,
                        line=item.line,
                        path=path,
                    )
                )
            continue
        present.append((path, items, _wanted(items), _keep(path, items)))
    return present


def _wanted(items: list[Listing]) -> frozenset[str]:
    """The algorithms the references to one file give (one set object per combination)."""
    first = items[0].checksum_type
    if first in _EXACT and (
        items[-1].checksum_type == first
        if len(items) <= 2
        else all(i.checksum_type == first for i in items)
    ):
        return _EXACT[first]  # the common case: every reference gives one plain CHECKSUMTYPE
    key = frozenset(
        i.checksum_type.strip().upper()
        for i in items
        if i.checksum_type and i.checksum_type.strip().upper() in ALGORITHMS
    )
    return _WANTED.setdefault(key, key)  # 50,000 files: one or two sets


def _keep(path: str, items: list[Listing]) -> bool:
    """Whether a file's bytes are kept to validate it: metadata XML a section points to."""
    for item in items:
        if item.kind in _META_KINDS:
            return path.lower().endswith(".xml")
    return False


def agrees(items: Sequence[Listing], size: int, sha256: str) -> bool:
    """Whether every reference gives exactly this size and SHA-256, as written (the common case).

    Anything else (another algorithm, a checksum in capitals, spaces, a pointer) is for
    ``compare`` to judge.
    """
    size_s = str(size)
    for i in items:  # a plain loop: this runs once per file
        if i.checksum != sha256 or i.size != size_s or i.checksum_type != "SHA-256":
            return False
    return True


def _line_endings(
    reader: PackageReader,
    path: str,
    size: str | None,
    checksum: str | None,
    kind: str,
    has: int,
) -> str | None:
    """LF ↔ CRLF as the explanation of a mismatch (the file read again; only on a mismatch)."""
    if has > LINE_ENDINGS_MAX:
        return None
    try:
        return line_endings(lambda: reader.read(path), size, checksum, kind)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error):
        return None


def compare(
    reader: PackageReader,
    path: str,
    items: list[Listing],
    outcome: tuple[int, dict[str, str], bytes | None] | Exception,
    schema_dir: Path | None,
    out: list[Finding],
    keep: bool = False,
) -> int | None:
    """Report how one file read (``outcome``) differs from what each reference says of it.

    Returns its size (None: it could not be read); metadata XML kept from the reading, or
    large enough to be read again as a stream, is validated too.
    """
    if isinstance(outcome, Exception):
        out.append(error("unreadable", f"{path}: cannot be read: {outcome}", path=path))
        return None
    size, digests, data = outcome
    sha = digests.get("SHA-256")
    for item in items:
        if sha is not None and agrees((item,), size, sha):
            continue  # the common case: everything as written agrees
        _, size_id, sum_id, _ = IDS[item.kind]
        if item.kind == "mptr":
            continue
        if item.size is not None and item.size.strip() != str(size):
            why = _line_endings(reader, path, item.size, None, "", size)
            out.append(
                error(
                    size_id,
                    f"{path}: METS says SIZE {item.size}, the file has {size} bytes"
                    + (f" (line endings changed, {why})" if why else ""),
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
        kind = (item.checksum_type or "").strip().upper()
        # an unsupported CHECKSUMTYPE is reported by the requirement checks (CSIP72, ...)
        if item.checksum and kind in ALGORITHMS and digests[kind] != item.checksum.strip().lower():
            why = _line_endings(reader, path, None, item.checksum, kind, size)
            change = f"line endings changed, {why}" if why else "the file has changed"
            out.append(
                error(
                    sum_id,
                    f"{path}: {kind} checksum does not match ({change})",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
    if data is not None:
        out += xml_findings(data, path, schema_dir)
    elif keep and XML_HOLD < size <= XML_KEEP:
        out += large_xml_findings(reader, path, schema_dir)
    return size
