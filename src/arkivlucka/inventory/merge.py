"""Merge stage: put the gaps of an arkivförteckning entry into a whole inventory, in place.

Each ``Lucka`` of the entry goes to the class (by code) or series (by signum) it names;
storage units whose period overlaps the gap get a note; gaps that match nowhere go to the
``Granskning`` section for review. Keyed on IncidentID + HandlingID, so a second merge of the
same entry changes nothing. Only inserted elements (and the whitespace beside them) differ.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from arkivlucka.core.errors import InputError, InvalidOutputError, OutputError, XMLInputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.core.text import norm_code
from arkivlucka.files.read import cannot_read
from arkivlucka.files.update import locked, read_with_snapshot, replace_with_backup
from arkivlucka.inventory.diff import diff
from arkivlucka.inventory.model import format_span, overlaps, q, valid_partial
from arkivlucka.inventory.xmlfile import (
    file_codec,
    insert_at,
    parse_inventory,
    position_after,
    require_regular_file,
    serialise_like,
    text_of,
)
from arkivlucka.xmldoc.parse import parse_trusted, parse_xml, parse_xml_file
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING
from arkivlucka.xmldoc.validate import validate_tree

REVIEW_TEXT = (
    "Att granska: luckor som inte kunde placeras i någon klass eller serie i denna "
    "arkivförteckning. Flytta varje lucka till rätt klass eller serie och ta bort den härifrån."
)
_GROUP_CHILDREN = ("Klass", "Serie", "Forvaringsenhet", "Lucka")
_GROUP_HEAD = ("Rubrik", "Period", "Innehall", "Forvaringsplats", "Anmarkning", "Kolumn")
_UNIT_HEAD = ("Volym", "Rubrik", "Period", "Innehall", "Forvaringsplats", "Anmarkning")


def _rq(tag: str) -> str:
    return f"{{{NS_ARKIVREDOVISNING}}}{tag}"


@dataclass(frozen=True)
class EntryGap:
    """One ``Lucka`` of an arkivförteckning entry, as an element to copy and its keys."""

    handling_id: str
    title: str
    element: etree._Element
    klass: str | None
    serie: str | None
    start: str | None
    end: str | None
    note: str


@dataclass(frozen=True)
class Entry:
    """The parts of an ``ArkivforteckningPost`` a merge needs."""

    file: str
    post_id: str
    creator: str
    incident_id: str
    incident_ref: etree._Element
    description_id: str
    gaps: list[EntryGap]


def _entry_hint(root: etree._Element) -> str:
    """Why a file given as the entry is not one, when that can be told."""
    if root.tag == q("Arkivforteckning"):
        return (
            ". It is a whole archive inventory: the arguments look swapped (first the entry "
            "made by describe, <creator>/arkivforteckning.xml, then the inventory)"
        )
    if root.tag == _rq("ArkivbeskrivningPost"):
        return (
            ". It is the arkivbeskrivning entry; the gaps to merge are in the "
            "arkivforteckning.xml beside it"
        )
    return ""


def read_entry(path: Path) -> Entry:
    """Read and validate an arkivförteckning entry made by ``arkivlucka describe``."""
    name = str(path)
    require_regular_file(path)
    tree, findings = parse_xml_file(path)
    if tree is not None:
        root = tree.getroot()
        if root.tag != _rq("ArkivforteckningPost"):
            qn = etree.QName(root)
            findings = [
                error(
                    "inventory-not-entry",
                    f"not an arkivförteckning entry: root <{qn.localname}> in namespace "
                    f"{qn.namespace or '(no namespace)'}; expected <ArkivforteckningPost> "
                    f"in {NS_ARKIVREDOVISNING}{_entry_hint(root)}",
                    file=name,
                    line=root.sourceline,
                )
            ]
        else:
            findings = validate_tree(tree, name)
    if tree is None or findings:
        raise XMLInputError(f"{name}: not a valid arkivförteckning entry", findings)
    root = tree.getroot()
    gaps = []
    for el in root.iterfind(_rq("Lucka")):
        place = el.find(_rq("Placering"))
        period = el.find(_rq("Period"))
        gaps.append(
            EntryGap(
                handling_id=el.get("HandlingID") or "",
                title=el.findtext(_rq("Rubrik")) or "",
                element=el,
                klass=place.findtext(_rq("Klassificering")) if place is not None else None,
                serie=place.findtext(_rq("Serie")) if place is not None else None,
                start=period.findtext(_rq("Start")) if period is not None else None,
                end=period.findtext(_rq("Slut")) if period is not None else None,
                note=el.findtext(_rq("Anmarkning")) or "",
            )
        )
    ref = root.find(_rq("IncidentReferens"))
    assert ref is not None
    return Entry(
        file=name,
        post_id=root.get("PostID") or "",
        creator=root.findtext(f"{_rq('Arkivbildare')}/{_rq('Namn')}") or "",
        incident_id=ref.findtext(_rq("IncidentID")) or "",
        incident_ref=ref,
        description_id=root.findtext(_rq("ArkivbeskrivningPostID")) or "",
        gaps=gaps,
    )


@dataclass
class MergeReport:
    """What a merge did (or would do): gaps placed, sent to review, already there."""

    placed: list[tuple[str, str]] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    unit_notes: int = 0
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False
    diff: str | None = None
    written: Path | None = None
    backup: Path | None = None


def _creator_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def _places(archive: etree._Element) -> Iterator[etree._Element]:
    """Every ``Klass``, ``Serie`` and ``Lucka`` of the inventory, in document order.

    The schema has them only in ``Arkiv``, ``Klass``, ``Serie`` and ``Granskning``: only
    those are walked, not the contents of the storage units (most of a large inventory). A
    document with them elsewhere is not valid, and is refused whatever the merge does.
    """
    lucka, review = q("Lucka"), q("Granskning")
    tags = (q("Klass"), q("Serie"), lucka, review)
    todo = [archive.iterchildren(*tags)]
    while todo:
        el = next(todo[-1], None)
        if el is None:
            todo.pop()
            continue
        if el.tag != review:
            yield el
        if el.tag != lucka:
            todo.append(el.iterchildren(*tags))


def _index(
    archive: etree._Element,
) -> tuple[set[tuple[str | None, str | None]], dict[tuple[str, str], list[etree._Element]]]:
    """The gaps already there (IncidentID, HandlingID), and the classes and series by code."""
    present: set[tuple[str | None, str | None]] = set()
    index: dict[tuple[str, str], list[etree._Element]] = {}
    klass = q("Klass")
    for el in _places(archive):
        if el.tag == q("Lucka"):
            present.add((el.get("IncidentID"), el.get("HandlingID")))
            continue
        kind = "Klass" if el.tag == klass else "Serie"
        code = el.get("Kod" if kind == "Klass" else "Signum") or ""
        keys = {norm_code(code), norm_code(code.rsplit("/", 1)[-1])}
        for key in keys:
            index.setdefault((kind, key), []).append(el)
            index.setdefault(("*", key), []).append(el)
    return present, index


def _target(
    index: dict[tuple[str, str], list[etree._Element]], gap: EntryGap
) -> etree._Element | None:
    tries = []
    if gap.serie:
        tries += [("Serie", gap.serie)]
    if gap.klass:
        tries += [("Klass", gap.klass)]
    tries += [("*", code) for _, code in list(tries)]
    for kind, code in tries:
        found = index.get((kind, norm_code(code)))
        if found:
            return found[0]
    return None


def _copy(parent: etree._Element, tag: str, text: str | None) -> None:
    if text:
        etree.SubElement(parent, q(tag)).text = text


def gap_element(entry: Entry, gap: EntryGap, for_review: bool) -> etree._Element:
    """The inventory's ``Lucka`` for one gap of the entry (marked for review when unplaced)."""
    src = gap.element
    el = etree.Element(q("Lucka"), IncidentID=entry.incident_id, HandlingID=gap.handling_id)
    _copy(el, "Rubrik", gap.title)
    _copy(el, "Handlingstyp", src.findtext(_rq("Handlingstyp")))
    period = src.find(_rq("Period"))
    if period is not None:
        p = etree.SubElement(el, q("Period"))
        _copy(p, "Start", gap.start)
        _copy(p, "Slut", gap.end)
        words_ = period.findtext(_rq("Beskrivning"))
        if words_ != format_span(gap.start, gap.end):  # not the dates again in other words
            _copy(p, "Text", words_)
    _copy(el, "Omfattning", src.findtext(_rq("Omfattning")))
    if for_review and (gap.klass or gap.serie):
        place = etree.SubElement(el, q("Placering"))
        _copy(place, "Klassificering", gap.klass)
        _copy(place, "Serie", gap.serie)
    _copy(el, "Anmarkning", gap.note)
    ref = etree.SubElement(el, q("IncidentReferens"))
    for tag in ("IncidentID", "Referens", "Organisation", "Rapport"):
        _copy(ref, tag, entry.incident_ref.findtext(_rq(tag)))
    _copy(el, "ArkivbeskrivningPostID", entry.description_id)
    _copy(el, "ArkivforteckningPostID", entry.post_id)
    return el


def _unit_period(unit: etree._Element) -> tuple[str | None, str | None] | None:
    period = unit.find(q("Period"))
    if period is None:
        return None
    start, end = text_of(period, "Start"), text_of(period, "Slut")
    if any(side and not valid_partial(side) for side in (start, end)):
        return None  # not a date: validation of the inventory reports it
    return (start, end) if (start or end) else None


def _note_units(target: etree._Element, entry: Entry, gap: EntryGap) -> int:
    from arkivlucka.inventory.placement import holds_records, words

    kinds = [gap.title] + [h.text or "" for h in gap.element.iterfind(_rq("Handlingstyp"))]
    record_words = set().union(*(words(k) for k in kinds))
    count = 0
    for unit in target.iter(q("Forvaringsenhet")):
        period = _unit_period(unit)
        if period is None or not overlaps(period, (gap.start, gap.end)):
            continue
        if not holds_records(unit, gap.serie, record_words):
            continue
        if any(
            n.get("IncidentID") == entry.incident_id and n.get("HandlingID") == gap.handling_id
            for n in unit.iterfind(q("Anmarkning"))
        ):
            continue
        note = etree.Element(
            q("Anmarkning"), Typ="lucka", IncidentID=entry.incident_id, HandlingID=gap.handling_id
        )
        note.text = gap.note or f"Lucka: {gap.title}"
        insert_at(unit, position_after(unit, _UNIT_HEAD), note)
        count += 1
    return count


def _review_section(archive: etree._Element) -> etree._Element:
    review = archive.find(q("Granskning"))
    if review is None:
        review = etree.Element(q("Granskning"))
        etree.SubElement(review, q("Beskrivning")).text = REVIEW_TEXT
        pos = position_after(archive, ("Namn", "Referenskod", "Anmarkning", "Klass", "Serie"))
        insert_at(archive, pos, review)
    return review


def merge_tree(tree: etree._ElementTree, entry: Entry, file: str) -> MergeReport:
    """Add the entry's gaps to the inventory ``tree`` in place; return what was done."""
    report = MergeReport()
    root = tree.getroot()
    archive = root.find(q("Arkiv"))
    assert archive is not None
    present, index = _index(archive)
    for gap in entry.gaps:
        if (entry.incident_id, gap.handling_id) in present:
            report.present.append(gap.handling_id)
            continue
        target = _target(index, gap)
        if target is None:
            review = _review_section(archive)
            insert_at(review, len(review), gap_element(entry, gap, True))
            report.review.append(gap.handling_id)
            wanted = " / ".join(c for c in (gap.klass, gap.serie) if c) or "(ingen placering)"
            report.findings.append(
                warning(
                    "inventory-gap-review",
                    f"gap '{gap.handling_id}' ({gap.title}) names {wanted}, which is in no "
                    "class or series of the inventory; put in the review section (Granskning)",
                    file=file,
                    path=f"Lucka[@HandlingID='{gap.handling_id}']",
                )
            )
        else:
            pos = position_after(target, _GROUP_CHILDREN) or position_after(target, _GROUP_HEAD)
            insert_at(target, pos, gap_element(entry, gap, False))
            code = target.get("Kod") or target.get("Signum") or ""
            report.placed.append((gap.handling_id, code))
            if gap.start or gap.end:
                report.unit_notes += _note_units(target, entry, gap)
        present.add((entry.incident_id, gap.handling_id))
        report.changed = True
    return report


def _check_creator(entry: Entry, root: etree._Element, file: str) -> None:
    name = text_of(root.find(q("Arkivbildare")), "Namn") or ""
    if _creator_name(name) == _creator_name(entry.creator):
        return
    msg = (
        f"the entry is for records creator '{entry.creator}' but the inventory is for "
        f"'{name}'; not merged (allow another records creator if this is intended)"
    )
    finding = error("inventory-creator-mismatch", msg, file=file, param="allow_other_creator")
    raise InputError(f"{file}: {msg}", [finding])


def _refuse_invalid(tree: etree._ElementTree, original: bytes, file: str) -> None:
    findings = validate_tree(tree, file)
    if not findings:
        return
    before, _ = parse_xml(original, file)
    if before is not None and (old := validate_tree(before, file)):
        raise XMLInputError(f"{file}: not a valid archive inventory; left untouched", old)
    raise InvalidOutputError(
        f"{file}: the merged inventory would not be valid; nothing written",
        [error("inventory-result-invalid", f.message, file=file, path=f.path) for f in findings],
    )


def _root_bytes(tree: etree._ElementTree) -> bytes:
    """The root element as lxml serialises it (the same bytes for the same infoset)."""
    return etree.tostring(tree.getroot(), encoding="UTF-8", with_tail=False)


def _plain_utf8(original: bytes, encoding: str | None) -> bool:
    """Whether the file is UTF-8 both by its first bytes and by its declaration."""
    declared = (encoding or "UTF-8").upper().replace("-", "").replace("_", "")
    return declared == "UTF8" and file_codec(original, encoding) == "utf-8"


def _read_back(new: bytes | None, digest: bytes | None, encoding: str | None, file: str) -> bytes:
    """The bytes to write, refused unless they read as the merged tree (``digest``: its hash).

    A UTF-8 file (the usual case, ``digest`` None) is the original's prolog, the root element
    as lxml serialises it and the original's epilog, each cut checked by ``serialise_like``:
    those bytes read as the tree that was validated, so they are not parsed again. In another
    encoding characters may have become references, which inside a comment or a name would
    change the document: those bytes are parsed again and compared with the tree.
    """
    if new is None or digest is None:
        same = new is not None
    else:
        try:
            same = hashlib.sha256(_root_bytes(parse_trusted(new))).digest() == digest
        except etree.XMLSyntaxError:
            same = False
    if new is None or not same:
        msg = (
            f"the merged inventory cannot be written back in the file's own encoding "
            f"({encoding or '?'}) so that it reads as merged; nothing written "
            "(convert the file to UTF-8 first)"
        )
        raise InvalidOutputError(f"{file}: {msg}", [error("inventory-encoding", msg, file=file)])
    return new


def _check_writable(path: Path, file: str) -> None:
    """Refuse an inventory that is marked read-only: it is not ours to replace."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # reading it reports the problem
    if mode & 0o222 == 0 or not os.access(path, os.W_OK):
        msg = "the inventory is read-only; nothing written (make it writable to merge into it)"
        raise OutputError(f"{file}: {msg}", [error("inventory-read-only", msg, file=file)])


def merge_file(
    entry_path: str | Path,
    inventory_path: str | Path,
    *,
    dry_run: bool = False,
    allow_other_creator: bool = False,
) -> MergeReport:
    """Merge the entry into the inventory file: lock, read, merge, validate, back up, replace.

    Nothing is written when nothing changes (idempotence), with ``dry_run`` (the report then
    holds a unified diff), or when the result would not be valid.
    """
    entry_path, inventory_path = Path(entry_path), Path(inventory_path)
    entry = read_entry(entry_path)
    file = str(inventory_path)
    # A link is followed: the file it points to is the inventory to update (and back up).
    target = inventory_path.resolve() if inventory_path.is_symlink() else inventory_path
    require_regular_file(target)
    if not dry_run:
        _check_writable(target, file)
    guard: contextlib.AbstractContextManager[list[Finding]] = (
        contextlib.nullcontext([]) if dry_run else locked(target)
    )
    with guard as notes:
        try:
            original, snapshot = read_with_snapshot(target)
        except OSError as exc:
            raise cannot_read(file, exc) from None
        tree = parse_inventory(original, file, validate=False)
        root = tree.getroot()
        if root.find(q("Arkiv")) is None or not text_of(root.find(q("Arkivbildare")), "Namn"):
            # Too broken to merge into: say what the schema says is wrong with it.
            findings = validate_tree(tree, file) or [
                error("xml-schema", "no Arkiv or no Arkivbildare/Namn", file=file)
            ]
            raise XMLInputError(f"{file}: not a valid archive inventory; left untouched", findings)
        if not allow_other_creator:
            _check_creator(entry, tree.getroot(), file)
        report = merge_tree(tree, entry, file)
        report.findings[:0] = notes
        _refuse_invalid(tree, original, file)
        if not report.changed:
            return report
        body = _root_bytes(tree)
        serialised = serialise_like(tree, original, body)
        encoding = tree.docinfo.encoding
        digest = None if _plain_utf8(original, encoding) else hashlib.sha256(body).digest()
        del body, tree, root  # the check, the diff and the write need only bytes: free the tree
        new = _read_back(serialised, digest, encoding, file)
        codec = file_codec(original, encoding) or "utf-8"
        if dry_run:
            report.diff = diff(original, new, file, codec)
            return report
        report.backup = replace_with_backup(target, new, snapshot)
        report.written = inventory_path
    return report
