"""Verify stage: check any CSIP package (folder or zip, read in place) against its METS and the rules.

Structure, files listed vs present, sizes and checksums (each file read once, streamed),
schema validity of METS, PREMIS and our own documents, and the CSIP/SIP MUST requirements.
Findings are named by requirement id (CSIP79, SIP4, ...) or by a documented code.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery.reader import ALGORITHMS, PackageReader, hash_all, hash_or_error
from arkivlucka.delivery.rules import check_mets
from arkivlucka.files.zipsafe import ZipLimits, member_problem
from arkivlucka.xmldoc import official
from arkivlucka.xmldoc.namespaces import METS_PREFIXES as NS
from arkivlucka.xmldoc.parse import parse_xml
from arkivlucka.xmldoc.validate import validate_tree

IDS = {
    "file": ("CSIP79", "CSIP69", "CSIP71", "CSIP72"),
    "dmd": ("CSIP24", "CSIP27", "CSIP29", "CSIP30"),
    "digiprov": ("CSIP38", "CSIP41", "CSIP43", "CSIP44"),
    "rights": ("CSIP51", "CSIP54", "CSIP56", "CSIP57"),
    "mptr": ("CSIP110", "", "", ""),
}


class Listing(NamedTuple):
    """One reference in a METS file to a file of the package."""

    kind: str
    path: str
    size: str | None
    checksum: str | None
    checksum_type: str | None
    mdtype: str | None
    mets: str
    line: int | None
    #: the reference as written, when URL-decoding changed it (a file may be named "%41.txt")
    raw: str | None = None


@dataclass
class VerifyResult:
    """What ``verify`` found, with counts for the summary line."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        """Whether the package passed (no error findings)."""
        return not any(f.is_error for f in self.findings)

    @property
    def not_verified(self) -> int:
        """How many schema checks did not run because an official schema is missing or changed.

        One per document (a document whose schema needs several missing files counts once).
        """
        return len({(f.file, f.line) for f in self.findings if f.code in official.CODES})


def _join(base: str, rel: str) -> str:
    """The package path of ``rel`` seen from the folder ``base``; ``..`` steps resolved.

    A reference that climbs above the package root keeps its ``..`` (reported unsafe).
    """
    joined = f"{base}/{rel}" if base else rel
    if ".." not in joined.split("/") or joined.startswith("/"):
        return joined
    parts: list[str] = []
    for part in joined.split("/"):
        if part == "..":
            if not parts:
                return joined
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _listings(root: etree._Element, mets_rel: str) -> Iterator[Listing]:
    base = mets_rel.rpartition("/")[0]
    href = f"{{{NS['xlink']}}}href"
    for kind, xpath in (
        ("dmd", "mets:dmdSec/mets:mdRef"), ("digiprov", "mets:amdSec/mets:digiprovMD/mets:mdRef"),
        ("rights", "mets:amdSec/mets:rightsMD/mets:mdRef"), ("techmd", "mets:amdSec/mets:techMD/mets:mdRef"),
        ("sourcemd", "mets:amdSec/mets:sourceMD/mets:mdRef"), ("file", "mets:fileSec//mets:file/mets:FLocat"),
        ("mptr", "mets:structMap//mets:mptr"),
    ):  # fmt: skip
        for el in root.iterfind(xpath, NS):
            target = el.get(href)
            if not target:
                continue
            owner = el.getparent() if kind == "file" else el
            assert owner is not None
            rel = (unquote(target) if "%" in target else target).removeprefix("file:")
            while rel.startswith("./"):
                rel = rel[2:]
            yield Listing(
                kind if kind in IDS else "dmd", _join(base, rel),
                owner.get("SIZE"), owner.get("CHECKSUM"), owner.get("CHECKSUMTYPE"), el.get("MDTYPE"),
                mets_rel, el.sourceline if isinstance(el.sourceline, int) else None,
                _join(base, target) if "%" in target else None,
            )  # fmt: skip


def _parse(reader: PackageReader, rel: str, out: list[Finding]) -> etree._ElementTree | None:
    try:
        data = reader.read(rel)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        out.append(error("unreadable", f"cannot be read: {why}", file=rel))
        return None
    tree, found = parse_xml(data, rel)
    out += found
    return tree


Task = tuple[str, list[Listing], set[str], bool]


def _tasks(reader: PackageReader, listings: list[Listing], out: list[Finding]) -> list[Task]:
    """Group the references by file; report unsafe and missing ones; what to read and how."""
    by_path: dict[str, list[Listing]] = {}
    for item in listings:
        problem = member_problem(item.path)
        if problem:
            out.append(
                error(
                    "href-unsafe",
                    f"reference '{item.path}' points outside the package",
                    file=item.mets,
                    line=item.line,
                )
            )
            continue
        by_path.setdefault(item.path, []).append(item)
    present: list[Task] = []
    for path, items in sorted(by_path.items()):
        if path not in reader.sizes:
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
        wanted = {
            i.checksum_type.strip().upper()
            for i in items
            if i.checksum_type and i.checksum_type.strip().upper() in ALGORITHMS
        }
        keep = path.lower().endswith(".xml") and any(
            i.kind in ("dmd", "digiprov", "rights") for i in items
        )
        present.append((path, items, wanted, keep))
    return present


def _match_normalisation(
    reader: PackageReader, listings: list[Listing], out: list[Finding]
) -> list[Listing]:
    """Match references to files whose names differ only in Unicode form or path separator.

    A package zipped on macOS may hold ``ä`` decomposed (NFD) where METS has it composed
    (NFC); a tool on Windows may put backslashes between folders. The file is there, so it is checked,
    and the difference is a warning.
    """
    if all(i.path in reader.sizes for i in listings):
        return listings
    by_nfc: dict[str, str] = {}
    for name in reader.sizes:
        by_nfc.setdefault(unicodedata.normalize("NFC", name), name)
    out_listings = []
    for item in listings:
        actual = None
        if item.path not in reader.sizes and item.raw in reader.sizes:
            out_listings.append(item._replace(path=item.raw))  # a name with a literal %
            continue
        if item.path not in reader.sizes:
            actual = by_nfc.get(unicodedata.normalize("NFC", item.path.replace("\\", "/")))
        if actual is not None:
            why = (
                "with / between folders, not \\ (a URL path needs /)"
                if "\\" in item.path
                else "the same letters in another Unicode normalisation form"
            )
            out.append(
                warning(
                    "href-normalisation",
                    f"'{item.path}' is in the package as '{actual}' ({why}); checked, but some "
                    "systems will not find it",
                    file=item.mets,
                    line=item.line,
                    path=item.path,
                )
            )
            item = item._replace(path=actual)
        out_listings.append(item)
    return out_listings


def _check_metadata(
    reader: PackageReader,
    path: Path,
    schema_dir: Path | None,
    result: VerifyResult,
    walked: Callable[[], object],
) -> list[Task] | None:
    """Parse, validate and check METS (and representation METS); return what to compare."""
    trees: list[tuple[str, etree._ElementTree]] = []
    tree = _parse(reader, "METS.xml", result.findings)
    if tree is None:
        return None
    trees.append(("METS.xml", tree))
    root = tree.getroot()
    listings = list(_listings(root, "METS.xml"))
    walked()
    for item in [i for i in listings if i.kind == "mptr"]:
        if item.path in reader.sizes and item.path.endswith(".xml"):
            rep = _parse(reader, item.path, result.findings)
            if rep is not None:
                trees.append((item.path, rep))
                listings += _listings(rep.getroot(), item.path)
    listings = _match_normalisation(reader, listings, result.findings)
    tasks = _tasks(reader, listings, result.findings)
    for rel, parsed in trees:
        result.findings += validate_tree(parsed, rel, external_dir=schema_dir)
    result.findings += check_mets(root, "METS.xml")
    if root.get("OBJID") and root.get("OBJID") != reader.root_name:
        result.findings.append(
            warning(
                "CSIPSTR2",
                f"the root folder '{reader.root_name}' is not named by the OBJID "
                f"'{root.get('OBJID')}'",
                file=str(path),
            )
        )
    listed = {i.path for i in listings}
    for rel in sorted(set(reader.sizes) - listed - {"METS.xml"}):
        result.findings.append(
            error(
                "file-unlisted",
                f"{rel} is in the package but not listed in any METS file",
                file=str(path),
                path=rel,
            )
        )
    return tasks


def _compare(
    path: str,
    items: list[Listing],
    outcome: tuple[int, dict[str, str], bytes | None] | Exception,
    schema_dir: Path | None,
    result: VerifyResult,
) -> None:
    out = result.findings
    if isinstance(outcome, Exception):
        out.append(error("unreadable", f"{path}: cannot be read: {outcome}", path=path))
        return
    size, digests, data = outcome
    result.files += 1
    result.bytes += size
    for item in items:
        _, size_id, sum_id, type_id = IDS[item.kind]
        if item.kind == "mptr":
            continue
        if item.size is not None and item.size.strip() != str(size):
            out.append(
                error(
                    size_id,
                    f"{path}: METS says SIZE {item.size}, the file has {size} bytes",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
        kind = (item.checksum_type or "").strip().upper()
        if item.checksum and kind not in ALGORITHMS:
            out.append(
                error(
                    type_id,
                    f"{path}: unsupported CHECKSUMTYPE '{item.checksum_type}'",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
        elif item.checksum and digests[kind] != item.checksum.strip().lower():
            out.append(
                error(
                    sum_id,
                    f"{path}: {kind} checksum does not match (the file has changed)",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
    if data is not None:
        tree, found = parse_xml(data, path)
        out += found
        if tree is not None:
            out += [
                f
                for f in validate_tree(tree, path, external_dir=schema_dir)
                if f.code != "xml-unknown-kind"
            ]


def verify_package(
    path: str | Path, schema_dir: str | Path | None = None, limits: ZipLimits | None = None
) -> VerifyResult:
    """Verify the package at ``path`` (folder or zip); never extracts anything."""
    path = Path(path)
    schema_dir = Path(schema_dir) if schema_dir is not None else None
    result = VerifyResult(str(path))
    if not path.exists():
        result.findings.append(error("CSIPSTR1", "no such file or folder", file=str(path)))
        return result
    if not path.is_dir() and not path.is_file():
        result.findings.append(
            error("CSIPSTR1", "neither a folder nor a file (a pipe or device?)", file=str(path))
        )
        return result
    reader = PackageReader(path, limits or ZipLimits())
    result.findings += reader.findings
    if any(f.code.startswith("zip-") and f.is_error for f in reader.findings) or (
        reader.zip is None and not path.is_dir()
    ):
        return result
    if not reader.has("METS.xml"):
        from arkivlucka.delivery import verify12  # FGS Paketstruktur 1.2: sip.xml or mets.xml

        if verify12.mets_name(reader):
            return verify12.verify_12(reader, path, schema_dir, result)
        hint = ""
        if reader.inner:
            names = ", ".join(sorted(p.name for p in reader.inner))
            hint = f" (it is a folder holding other files and the package folder(s) {names}: verify those)"
        if reader.zip is not None:
            top = [n for n in reader.sizes if "/" not in n]
        else:
            try:
                top = os.listdir(reader.base)
            except OSError:
                top = []
        near = sorted(n for n in top if n.lower() == "mets.xml")
        if near:
            hint = f" (there is {near[0]}; the name must be METS.xml, in capitals)"
        result.findings.append(
            error("CSIPSTR4", f"the package root has no METS.xml{hint}", file=str(path))
        )
        return result
    # Every file but METS.xml is read and SHA-256-hashed from the start by a worker (a forked
    # process for a folder where the platform forks, else a thread), while this thread
    # parses, validates and checks the METS files. Files METS gives another algorithm for
    # are read again with it (rare: CSIP packages use SHA-256).
    known = len(reader.findings)
    try:
        tasks, outcomes = hash_all(
            reader, lambda walked: _check_metadata(reader, path, schema_dir, result, walked)
        )
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        result.findings.append(
            error("unreadable", f"the package cannot be read: {exc}", file=str(path))
        )
        return result
    result.findings += reader.findings[known:]
    for rel, items, wanted, keep in tasks or []:
        outcome = outcomes.get(rel) or Exception("not read")
        if wanted - {"SHA-256"} or (
            keep and not isinstance(outcome, Exception) and outcome[2] is None
        ):
            outcome = hash_or_error(reader, rel, wanted, keep)
        _compare(rel, items, outcome, schema_dir, result)
    result.files += 1
    if reader.zip is not None:
        reader.zip.close()
    return result
