"""Spreadsheet stage for inventories: the cells that make an export import back unchanged.

- **Tid**: the dates in ISO form (``2024-01-13–2024-01-19``); when the period also has a
  wording of its own that is not just another way of writing the dates, it follows in
  parentheses: ``2020– (efter 2019)``.
- **Anmärkning**: several notes are separated by an empty line.
- **arkivlucka-uppgifter**: what an inventory row holds beyond the traditional columns, one
  ``Etikett: värde`` per line: for a gap its incident, record id, record types, extent and
  the entries it comes from (and ``Att granska: ja`` for a gap under review); for a class in
  another class ``Ingår i: 2``; for a note added for a loss ``Anmärkning 2: lucka,
  incident-…, tidrapporter``.
"""

from __future__ import annotations

import re
from typing import Any

from arkivlucka.core.findings import Finding, warning
from arkivlucka.inventory.model import (
    Gap,
    Group,
    IncidentRef,
    Note,
    Span,
    Unit,
    format_span,
    parse_span,
)

DETAILS = "arkivlucka-uppgifter"
NOTE_JOIN = "\n\n"
_NOTE_SPLIT = re.compile(r"\n[ \t]*\n")
_WITH_TEXT = re.compile(r"^(.*?)\s*\((.+)\)$", re.DOTALL)
_NOTE_LABEL = re.compile(r"^Anmärkning (\d+)$")

_GAP_LABELS = (
    ("Incident", "incident_id"), ("Handling", "handling_id"), ("Omfattning", "extent"),
    ("Klassificering", "location"), ("Serie", "location_series"),
    ("Arkivbeskrivningspost", "description_post"), ("Arkivförteckningspost", "inventory_post"),
)  # fmt: skip
_REF_LABELS = (
    ("Incidentreferens", "incident_id"), ("Referens", "reference"),
    ("Organisation", "organisation"), ("Rapport", "report"),
)  # fmt: skip
REVIEW_LINE = "Att granska: ja"


def span_cell(period: Span) -> str:
    """The Tid cell: the dates, and the period's own wording where it says more."""
    canonical = format_span(period.start, period.end)
    if not period.text:
        return canonical
    if not canonical:
        return period.text
    try:
        if parse_span(period.text) == (period.start, period.end) and period.text != canonical:
            return period.text  # "2015-2018": the same dates, written the archive's way
    except ValueError:
        pass
    return f"{canonical} ({period.text})"


def parse_span_cell(text: str) -> Span:
    """Read a Tid cell (see ``tid_cell``); raise ``ValueError`` if it holds no period."""
    try:
        start, end = parse_span(text)
    except ValueError:
        match = _WITH_TEXT.match(text.strip())
        if not match:
            raise
        try:
            start, end = parse_span(match.group(1))
        except ValueError:
            raise ValueError(
                f"'{text}' is not a year, a date or a range such as 2019–2021"
            ) from None
        return Span(start, end, match.group(2).strip())
    return Span(start, end, None if text == format_span(start, end) else text)


def notes_cell(notes: list[str]) -> str:
    """The Anmärkning cell: the notes, separated by an empty line."""
    return NOTE_JOIN.join(str(n) for n in notes)


def split_notes(text: str | None) -> list[str]:
    """The notes of an Anmärkning cell."""
    if not text:
        return []
    return [n.strip() for n in _NOTE_SPLIT.split(text) if n.strip()]


def _note_lines(notes: list[str]) -> list[str]:
    out = []
    for i, note in enumerate(notes, 1):
        if isinstance(note, Note) and note.has_attributes:
            parts = [note.kind or "", note.incident_id or "", note.handling_id or ""]
            out.append(f"Anmärkning {i}: {', '.join(parts)}")
    return out


def item_details(item: Group | Unit) -> str:
    """The details cell of a class/series row or a storage unit's row."""
    lines = []
    if isinstance(item, Group) and item.parent:
        lines.append(f"Ingår i: {item.parent}")
    return "\n".join(lines + _note_lines(item.notes))


def gap_details(gap: Gap, review: bool) -> str:
    """The details cell of a gap's row."""
    lines = [REVIEW_LINE] if review else []
    lines += [f"{label}: {getattr(gap, attr)}" for label, attr in _GAP_LABELS if getattr(gap, attr)]
    lines += [f"Handlingstyp: {kind}" for kind in gap.record_types]
    if gap.incident:
        ref = gap.incident
        others = [(label, a) for label, a in _REF_LABELS[1:] if getattr(ref, a)]
        if ref.incident_id != gap.incident_id or not others:  # else it is the Incident line
            lines.append(f"Incidentreferens: {ref.incident_id}")
        lines += [f"{label}: {getattr(ref, a)}" for label, a in others]
    return "\n".join(lines + _note_lines(gap.notes))


def parse_details(text: str | None) -> list[tuple[str, str]]:
    """The ``Etikett: värde`` pairs of a details cell, in order (lines without one skipped)."""
    out = []
    for line in (text or "").splitlines():
        label, sep, value = line.partition(":")
        if sep and label.strip() and value.strip():
            out.append((label.strip(), value.strip()))
    return out


def is_review(pairs: list[tuple[str, str]]) -> bool:
    """Whether the details say the row is a gap under review."""
    return ("Att granska", "ja") in pairs


def is_gap(pairs: list[tuple[str, str]]) -> bool:
    """Whether the details are those of a gap (an incident or record id is given)."""
    return any(label in ("Incident", "Handling", "Att granska") for label, _ in pairs)


def parent_of(pairs: list[tuple[str, str]]) -> str | None:
    """The code of the class or series a class row says it is in."""
    return next((value for label, value in pairs if label == "Ingår i"), None)


def with_note_attributes(notes: list[str], pairs: list[tuple[str, str]]) -> list[str]:
    """The notes with the attributes the details give them (``Anmärkning 2: lucka, …``)."""
    out = list(notes)
    for label, value in pairs:
        match = _NOTE_LABEL.match(label)
        if not match or not 0 < int(match.group(1)) <= len(out):
            continue
        parts = [p.strip() or None for p in value.split(",")] + [None, None]
        i = int(match.group(1)) - 1
        out[i] = Note.of(out[i], parts[0], parts[1], parts[2])
    return out


def fill_gap(gap: Gap, pairs: list[tuple[str, str]]) -> Gap:
    """Set a gap's fields from its details."""
    by_label = dict(_GAP_LABELS)
    ref: dict[str, str] = {}
    refs = dict(_REF_LABELS)
    for label, value in pairs:
        if label in by_label:
            setattr(gap, by_label[label], value)
        elif label == "Handlingstyp":
            gap.record_types.append(value)
        elif label in refs:
            ref[refs[label]] = value
    if ref and "incident_id" not in ref and gap.incident_id:
        ref["incident_id"] = gap.incident_id
    if "incident_id" in ref:
        gap.incident = IncidentRef(**ref)
    gap.notes = with_note_attributes(gap.notes, pairs)
    return gap


def not_in_sheet(root: Any, file: str) -> list[Finding]:
    """Warnings for what an inventory holds that a spreadsheet export cannot.

    Each kind once, with how many and the line of the first: other tools' extensions,
    comments, unit ids, notes on the archive itself.
    """
    from lxml import etree

    from arkivlucka.xmldoc.schemas import NS_ARKIVFORTECKNING as NS

    found: dict[str, list[int | None]] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            kind = "comments and processing instructions"
        elif etree.QName(el).namespace != NS or etree.QName(el).localname == "Tillagg":
            kind = "" if el.getparent() is not None and _in_tillagg(el) else "Tillagg extensions"
        else:
            local = etree.QName(el).localname
            if any(name.startswith("{") for name in el.attrib):
                found.setdefault("attributes of other namespaces", []).append(el.sourceline)
            if local == "Forvaringsenhet" and el.get("ID"):
                found.setdefault("storage unit ids (Forvaringsenhet/@ID)", []).append(el.sourceline)
            kind = (
                "notes on the archive itself" if local == "Anmarkning" and _on_archive(el) else ""
            )
        if kind:
            found.setdefault(kind, []).append(el.sourceline)
    return [
        warning(
            "export-not-in-sheet",
            f"{len(lines)} {kind}: a spreadsheet cannot hold them; they are not in the export "
            "(the XML inventory keeps them)",
            file=file,
            line=lines[0],
        )
        for kind, lines in found.items()
    ]


def _in_tillagg(el: Any) -> bool:
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag.endswith("}Tillagg"):
            return True
        parent = parent.getparent()
    return False


def _on_archive(el: Any) -> bool:
    parent = el.getparent()
    return parent is not None and isinstance(parent.tag, str) and parent.tag.endswith("}Arkiv")
