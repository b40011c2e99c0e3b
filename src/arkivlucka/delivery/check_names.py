"""Verify stage, the package layout: the CSIPSTR folder rules, file names, line endings.

``check_layout`` applies CSIPSTR5–16 (SHOULD rules: warnings) to the package's file list and
its METS trees. ``match_names`` pairs each METS reference with the file it means (another
Unicode form, backslashes between folders, another letter case), and ``line_endings`` tells
whether a size or checksum mismatch is explained by LF ↔ CRLF conversion, the usual cause
when a text file passed through another system.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery.check_context import XL, M
from arkivlucka.delivery.reader import ALGORITHMS
from arkivlucka.delivery.requirements import error_of, finding

L = TypeVar("L", bound=Any)
LINE_ENDINGS_MAX = 64 << 20  # larger files are not re-read to look for LF/CRLF changes


def _under(folders: frozenset[str], folder: str) -> bool:
    return folder in folders


def _hrefs(root: etree._Element, path: str) -> list[str]:
    return [r.get(f"{XL}href") or "" for r in root.iterfind(path)]


def check_layout(
    files: frozenset[str],
    root: etree._Element,
    reps: dict[str, etree._Element],
    shown: str,
    folders: frozenset[str] | None = None,
) -> list[Finding]:
    """CSIPSTR5–16 on the package: files by path, the package METS and representation METS."""
    out: list[Finding] = []
    if folders is None:
        from arkivlucka.delivery.check_context import folders_of

        folders = folders_of(files)

    def add(rid: str, message: str) -> None:
        out.append(finding(rid, message, file=shown))

    for rid, section, folder in (
        ("CSIP17", "dmdSec", "metadata/descriptive"),
        ("CSIP31", "amdSec", "metadata/preservation"),
    ):
        present, files_there = root.find(f"{M}{section}") is not None, _under(folders, folder)
        if files_there and not present:
            out.append(
                error_of(rid, f"{folder}/ holds metadata but METS has no {section}", file=shown)
            )
        elif present and not files_there:
            add(rid, f"METS has a {section} but {folder}/ holds no file")
    has_md = root.find(f"{M}dmdSec") is not None or root.find(f"{M}amdSec") is not None
    if has_md and not _under(folders, "metadata"):
        add("CSIPSTR5", "the package has metadata but no metadata/ folder")
    prov = [h for h in _hrefs(root, f"{M}amdSec/{M}digiprovMD/{M}mdRef") if h]
    if any(not h.removeprefix("./").startswith("metadata/preservation/") for h in prov):
        add("CSIPSTR6", "preservation metadata is not (all) in metadata/preservation/")
    desc = [h for h in _hrefs(root, f"{M}dmdSec/{M}mdRef") if h]
    if any(not h.removeprefix("./").startswith("metadata/descriptive/") for h in desc):
        add("CSIPSTR7", "descriptive metadata is not (all) in metadata/descriptive/")
    if not _under(folders, "representations"):
        add("CSIPSTR9", "the package has no representations/ folder")
    rep_names: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        if parts[0] == "representations" and len(parts) == 2:
            add(
                "CSIPSTR10",
                f"{rel} is directly in representations/, not in a representation folder",
            )
        elif parts[0] == "representations":
            rep_names.add(parts[1])
    for name in sorted(rep_names):
        base = f"representations/{name}"
        if not _under(folders, f"{base}/data"):
            add("CSIPSTR11", f"the representation {name} has no data/ folder")
        if f"{base}/METS.xml" not in files:
            add("CSIPSTR12", f"the representation {name} has no METS.xml")
        rep = reps.get(f"{base}/METS.xml")
        rep_md = rep is not None and (
            rep.find(f"{M}dmdSec") is not None or rep.find(f"{M}amdSec") is not None
        )
        if rep_md and not _under(folders, f"{base}/metadata"):
            add("CSIPSTR13", f"the representation {name} has metadata but no metadata/ folder")
    xml = any(f.startswith("metadata/") and f.lower().endswith(".xml") for f in files)
    if xml and not _under(folders, "schemas"):
        add("CSIPSTR15", "the package has XML metadata but no schemas/ folder")
    if not _under(folders, "documentation"):
        add("CSIPSTR16", "the package has no documentation/ folder")
    return out


def by_case(files: Iterable[str]) -> dict[str, str]:
    """A map from each file path, case-folded, to the path (the first when several fold alike)."""
    out: dict[str, str] = {}
    for name in sorted(files):
        out.setdefault(name.casefold(), name)
    return out


def line_endings(
    read: Callable[[], bytes], size: str | None, checksum: str | None, kind: str
) -> str | None:
    """How LF ↔ CRLF conversion explains a mismatch ("LF → CRLF" …), or None when it does not.

    ``read`` gives the file's bytes (only called here, on a mismatch); ``size``, ``checksum``
    and ``kind`` (the algorithm) are what METS says.
    """
    data = read()
    if len(data) > LINE_ENDINGS_MAX or b"\n" not in data:
        return None
    lf = data.replace(b"\r\n", b"\n")
    variants = {"LF → CRLF": lf, "CRLF → LF": lf.replace(b"\n", b"\r\n")}
    algorithm = ALGORITHMS.get(kind)
    for how, original in variants.items():
        if original == data:
            continue
        if checksum and algorithm:
            if hashlib.new(algorithm, original).hexdigest() == checksum.strip().lower():
                return how
        elif size and size.strip() == str(len(original)):
            return how
    return None


def match_names(
    sizes: Mapping[str, int],
    listings: list[L],
    out: list[Finding],
    missing_id: Callable[[str], str],
) -> list[L]:
    """Match references to files whose names differ only in Unicode form or path separator.

    A package zipped on macOS may hold ``ä`` decomposed (NFD) where METS has it composed
    (NFC); a tool on Windows may put backslashes between folders. The file is there, so it is checked,
    and the difference is a warning. A file there only in another letter case is an error
    named by the requirement of the reference (``missing_id(kind)``: CSIP79 …), and it is
    still compared. ``listings`` are ``verify.Listing`` tuples.
    """
    if all(i.path in sizes for i in listings):
        return listings
    by_nfc: dict[str, str] = {}
    for name in sizes:
        by_nfc.setdefault(unicodedata.normalize("NFC", name), name)
    folded: dict[str, str] | None = None
    out_listings = []
    for item in listings:
        actual = None
        if item.path not in sizes and item.raw in sizes:
            out_listings.append(item._replace(path=item.raw))  # a name with a literal %
            continue
        if item.path not in sizes:
            actual = by_nfc.get(unicodedata.normalize("NFC", item.path.replace("\\", "/")))
        if actual is None and item.path not in sizes:
            folded = folded if folded is not None else by_case(by_nfc)
            near = folded.get(unicodedata.normalize("NFC", item.path.replace("\\", "/")).casefold())
            if near is not None:
                actual = by_nfc[near]
                out.append(
                    error(
                        missing_id(item.kind),
                        f"'{item.path}' is not in the package; '{actual}' is (the letter case "
                        "differs); its size and checksum are still compared",
                        file=item.mets,
                        line=item.line,
                        path=item.path,
                    )
                )
                out_listings.append(item._replace(path=actual))
                continue
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
