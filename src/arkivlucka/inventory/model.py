"""Model stage for whole inventories: records creator, classes/series, units, gaps.

Plain dataclasses with XML builders and readers for the ``urn:arkivlucka:arkivforteckning:1.0``
format, used by spreadsheet import/export and the EAD3 export. Merging works on the tree
itself (see ``inventory_merge``) so that nothing it does not touch changes. Periods:
``inventory_period``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from arkivlucka.core.text import norm_code
from arkivlucka.inventory.period import bounds as bounds  # re-exported: periods moved there
from arkivlucka.inventory.period import format_span as format_span
from arkivlucka.inventory.period import overlaps as overlaps
from arkivlucka.inventory.period import parse_span as parse_span
from arkivlucka.inventory.period import valid_partial as valid_partial
from arkivlucka.xmldoc.build import Builder
from arkivlucka.xmldoc.schemas import NS_ARKIVFORTECKNING as NS

_KLASSA = re.compile(r"^\d+(?:\.\d+)*$")


#: spreadsheet column key → its name in the XML (``Kolumn/@Falt``): Swedish, as the format is
FIELD_NAMES = {
    "reference": "Referenskod", "title": "Rubrik", "volume": "Volym", "period": "Tid",
    "content": "Innehåll", "note": "Anmärkning", "location": "Placering",
}  # fmt: skip
_FIELD_KEYS = {name: key for key, name in FIELD_NAMES.items()}


def _field_key(name: str | None) -> str | None:
    return _FIELD_KEYS.get(name, name) if name else name


def q(tag: str) -> str:
    """Return the qualified name of an inventory element."""
    return _B.q(tag)


def is_klassa_code(code: str) -> bool:
    """Whether a reference code looks like a process-based class code (2, 2.2, 2.2.1)."""
    return bool(_KLASSA.match(code.strip()))


@dataclass
class Span:
    """A period as structured dates plus the wording it was given in."""

    start: str | None = None
    end: str | None = None
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        """Whether nothing is known about the period."""
        return not (self.start or self.end or self.text)

    def cell(self) -> str:
        """The spreadsheet cell: the original wording, else the Swedish form of the dates."""
        return self.text or format_span(self.start, self.end)


class Note(str):
    """A note (Anmarkning), compared as its text.

    A note arkivlucka added for a loss carries its ``Typ`` (``lucka``) and the IncidentID
    and HandlingID it comes from.
    """

    kind: str | None = None
    incident_id: str | None = None
    handling_id: str | None = None

    @classmethod
    def of(
        cls, text: str, kind: str | None = None, incident: str | None = None,
        handling: str | None = None,
    ) -> Note:  # fmt: skip
        """A note with its attributes."""
        note = cls(text)
        note.kind, note.incident_id, note.handling_id = kind, incident, handling
        return note

    @property
    def has_attributes(self) -> bool:
        """Whether the note carries any attribute."""
        return bool(self.kind or self.incident_id or self.handling_id)


@dataclass(frozen=True)
class IncidentRef:
    """The incident a gap comes from, as the entry referenced it."""

    incident_id: str
    reference: str | None = None
    organisation: str | None = None
    report: str | None = None


@dataclass
class Unit:
    """A storage unit (volym / förvaringsenhet)."""

    volume: str
    title: str | None = None
    period: Span = field(default_factory=Span)
    content: str | None = None
    location: str | None = None
    notes: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Gap:
    """A gap (lucka) as it stands in an inventory."""

    title: str
    period: Span = field(default_factory=Span)
    notes: list[str] = field(default_factory=list)
    record_types: list[str] = field(default_factory=list)
    incident_id: str | None = None
    handling_id: str | None = None
    #: where the entry said the gap belongs (kept for gaps under review): class code, signum
    location: str | None = None
    location_series: str | None = None
    extent: str | None = None
    incident: IncidentRef | None = None
    description_post: str | None = None
    inventory_post: str | None = None


@dataclass
class Group:
    """A class (Klass, by code) or a series (Serie, by signum) with its own row and children."""

    kind: str
    code: str
    title: str | None = None
    period: Span = field(default_factory=Span)
    content: str | None = None
    location: str | None = None
    notes: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    has_row: bool = False
    children: list[Unit | Gap] = field(default_factory=list)
    #: the code of the class or series this one is nested in (None: at the archive's top)
    parent: str | None = None


@dataclass
class Inventory:
    """A whole inventory: creator, archive and its classes or series, plus review gaps."""

    creator: str
    department: str | None = None
    creator_code: str | None = None
    archive_name: str | None = None
    archive_code: str | None = None
    groups: list[Group] = field(default_factory=list)
    review: list[Gap] = field(default_factory=list)
    #: the explanation at the head of the review section (Granskning/Beskrivning)
    review_text: str | None = None
    source_file: str | None = None
    columns: list[tuple[str, str | None]] = field(default_factory=list)


_B = Builder(NS)
_add, _opt = _B.add, _B.opt


# A large inventory has hundreds of thousands of units: their elements are made directly.
_sub = etree.SubElement
_Q_PERIOD, _Q_START, _Q_END, _Q_TEXT = (q(t) for t in ("Period", "Start", "Slut", "Text"))
_Q_UNIT, _Q_VOLUME, _Q_TITLE = (q(t) for t in ("Forvaringsenhet", "Volym", "Rubrik"))
_Q_CONTENT, _Q_PLACE = q("Innehall"), q("Forvaringsplats")


def _span(parent: etree._Element, period: Span) -> None:
    start, end, text = period.start, period.end, period.text
    if not (start or end or text):  # Span.is_empty
        return
    el = _sub(parent, _Q_PERIOD)
    if start:
        _sub(el, _Q_START).text = start
    if end:
        _sub(el, _Q_END).text = end
    if text:
        _sub(el, _Q_TEXT).text = text


def _extra(parent: etree._Element, extra: list[tuple[str, str]]) -> None:
    for name, value in extra:
        _add(parent, "Kolumn", value).set("Namn", name)


def _notes_xml(parent: etree._Element, notes: list[str]) -> None:
    for note in notes:
        el = _add(parent, "Anmarkning", str(note))
        if isinstance(note, Note):
            for attr, value in (
                ("Typ", note.kind), ("IncidentID", note.incident_id), ("HandlingID", note.handling_id)
            ):  # fmt: skip
                if value:
                    el.set(attr, value)


def _gap(parent: etree._Element, gap: Gap) -> None:
    el = _add(parent, "Lucka")
    if gap.incident_id:
        el.set("IncidentID", gap.incident_id)
    if gap.handling_id:
        el.set("HandlingID", gap.handling_id)
    _add(el, "Rubrik", gap.title)
    for kind in gap.record_types:
        _add(el, "Handlingstyp", kind)
    _span(el, gap.period)
    _opt(el, "Omfattning", gap.extent)
    if gap.location or gap.location_series:
        place = _add(el, "Placering")
        _opt(place, "Klassificering", gap.location)
        _opt(place, "Serie", gap.location_series)
    _notes_xml(el, gap.notes)
    if gap.incident:
        ref = _add(el, "IncidentReferens")
        _add(ref, "IncidentID", gap.incident.incident_id)
        _opt(ref, "Referens", gap.incident.reference)
        _opt(ref, "Organisation", gap.incident.organisation)
        _opt(ref, "Rapport", gap.incident.report)
    _opt(el, "ArkivbeskrivningPostID", gap.description_post)
    _opt(el, "ArkivforteckningPostID", gap.inventory_post)


def _group_xml(parent: etree._Element, group: Group) -> etree._Element:
    g = _add(parent, group.kind)
    g.set("Kod" if group.kind == "Klass" else "Signum", group.code)
    _opt(g, "Rubrik", group.title)
    _span(g, group.period)
    _opt(g, "Innehall", group.content)
    _opt(g, "Forvaringsplats", group.location)
    _notes_xml(g, group.notes)
    _extra(g, group.extra)
    for child in group.children:
        if isinstance(child, Gap):
            _gap(g, child)
            continue
        u = _sub(g, _Q_UNIT)
        _sub(u, _Q_VOLUME).text = child.volume
        if child.title:
            _sub(u, _Q_TITLE).text = child.title
        _span(u, child.period)
        if child.content:
            _sub(u, _Q_CONTENT).text = child.content
        if child.location:
            _sub(u, _Q_PLACE).text = child.location
        if child.notes:
            _notes_xml(u, child.notes)
        if child.extra:
            _extra(u, child.extra)
    return g


def build_xml(inv: Inventory, created: str | None, tool: tuple[str, str] | None) -> etree._Element:
    """Build the ``Arkivforteckning`` document for an inventory."""
    root = etree.Element(q("Arkivforteckning"), nsmap={None: NS})  # type: ignore[dict-item]
    root.set("Schemaversion", "1.0")
    if created or tool or inv.source_file or inv.columns:
        meta = _add(root, "Metadata")
        _opt(meta, "Skapad", created)
        if tool:
            _add(meta, "Programvara", tool[0]).set("Version", tool[1])
        if inv.source_file or inv.columns:
            source = _add(meta, "Kalla")
            _opt(source, "Fil", inv.source_file)
            for header, key in inv.columns:
                col = _add(source, "Kolumn", header)
                if key:
                    col.set("Falt", FIELD_NAMES.get(key, key))
    creator = _add(root, "Arkivbildare")
    _add(creator, "Namn", inv.creator)
    _opt(creator, "Forvaltning", inv.department)
    _opt(creator, "Kod", inv.creator_code)
    archive = _add(root, "Arkiv")
    _opt(archive, "Namn", inv.archive_name)
    _opt(archive, "Referenskod", inv.archive_code)
    elements: dict[str, etree._Element] = {}
    for group in inv.groups:
        holder = elements.get(norm_code(group.parent)) if group.parent else None
        g = _group_xml(archive if holder is None else holder, group)
        elements.setdefault(norm_code(group.code), g)
    if inv.review or inv.review_text:
        review = _add(archive, "Granskning")
        _opt(review, "Beskrivning", inv.review_text)
        for gap in inv.review:
            _gap(review, gap)
    return root


def _text(el: etree._Element, tag: str) -> str | None:
    child = el.find(q(tag))
    return child.text if child is not None and child.text else None


def _read_tid(el: etree._Element) -> Span:
    period = el.find(q("Period"))
    if period is None:
        return Span()
    return Span(_text(period, "Start"), _text(period, "Slut"), _text(period, "Text"))


def _notes(el: etree._Element) -> list[str]:
    return [
        Note.of(n.text or "", n.get("Typ"), n.get("IncidentID"), n.get("HandlingID"))
        for n in el.iterfind(q("Anmarkning"))
    ]


def _read_extra(el: etree._Element) -> list[tuple[str, str]]:
    return [(k.get("Namn") or "", k.text or "") for k in el.iterfind(q("Kolumn"))]


def _read_gap(el: etree._Element) -> Gap:
    place = el.find(q("Placering"))
    ref = el.find(q("IncidentReferens"))
    return Gap(
        title=_text(el, "Rubrik") or "",
        period=_read_tid(el),
        notes=_notes(el),
        record_types=[h.text or "" for h in el.iterfind(q("Handlingstyp"))],
        incident_id=el.get("IncidentID"),
        handling_id=el.get("HandlingID"),
        location=_text(place, "Klassificering") if place is not None else None,
        location_series=_text(place, "Serie") if place is not None else None,
        extent=_text(el, "Omfattning"),
        incident=None
        if ref is None
        else IncidentRef(
            _text(ref, "IncidentID") or "",
            _text(ref, "Referens"),
            _text(ref, "Organisation"),
            _text(ref, "Rapport"),
        ),
        description_post=_text(el, "ArkivbeskrivningPostID"),
        inventory_post=_text(el, "ArkivforteckningPostID"),
    )


def _read_group(el: etree._Element, out: list[Group], parent: str | None = None) -> None:
    kind = etree.QName(el).localname
    group = Group(
        parent=parent,
        kind=kind,
        code=el.get("Kod" if kind == "Klass" else "Signum") or "",
        title=_text(el, "Rubrik"),
        period=_read_tid(el),
        content=_text(el, "Innehall"),
        location=_text(el, "Forvaringsplats"),
        notes=_notes(el),
        extra=_read_extra(el),
    )
    out.append(group)
    for child in el:
        tag = child.tag
        if tag == q("Forvaringsenhet"):
            group.children.append(
                Unit(
                    volume=_text(child, "Volym") or "",
                    title=_text(child, "Rubrik"),
                    period=_read_tid(child),
                    content=_text(child, "Innehall"),
                    location=_text(child, "Forvaringsplats"),
                    notes=_notes(child),
                    extra=_read_extra(child),
                )
            )
        elif tag == q("Lucka"):
            group.children.append(_read_gap(child))
        elif tag in (q("Klass"), q("Serie")):
            _read_group(child, out, group.code)


def read_xml(root: etree._Element) -> Inventory:
    """Read a (valid) ``Arkivforteckning`` tree; nested classes are listed in document order."""
    creator = root.find(q("Arkivbildare"))
    archive = root.find(q("Arkiv"))
    assert creator is not None and archive is not None
    inv = Inventory(
        creator=_text(creator, "Namn") or "",
        department=_text(creator, "Forvaltning"),
        creator_code=_text(creator, "Kod"),
        archive_name=_text(archive, "Namn"),
        archive_code=_text(archive, "Referenskod"),
    )
    source = root.find(f"{q('Metadata')}/{q('Kalla')}")
    if source is not None:
        inv.source_file = _text(source, "Fil")
        inv.columns = [
            (c.text or "", _field_key(c.get("Falt"))) for c in source.iterfind(q("Kolumn"))
        ]
    for child in archive:
        if child.tag in (q("Klass"), q("Serie")):
            _read_group(child, inv.groups)
    review = archive.find(q("Granskning"))
    if review is not None:
        inv.review = [_read_gap(g) for g in review.iterfind(q("Lucka"))]
        inv.review_text = _text(review, "Beskrivning")
    return inv
