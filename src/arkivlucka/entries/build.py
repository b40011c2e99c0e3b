"""Build-XML stage: the arkivbeskrivning and arkivförteckning entries for one records creator."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.findings import Finding
from arkivlucka.entries import prose
from arkivlucka.entries.gallring import write_gallring
from arkivlucka.entries.incident_block import incident_element, incident_id, slug, write_incident
from arkivlucka.incident import model as m
from arkivlucka.incident.rules import LOSS_CLASSIFICATION
from arkivlucka.xmldoc.build import Builder, TextDocument, TextFragment
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING as NS

if TYPE_CHECKING:  # the retention stage is imported when an entry is written, not before
    from arkivlucka.retention.assess import CullingReport

__all__ = ["CreatorEntries", "build_entries", "creator_keys", "incident_element", "incident_id"]
__all__ += ["iter_entries", "serialise", "slug"]


@dataclass(frozen=True)
class CreatorEntries:
    """The two entries made for one records creator, with their ids."""

    creator: m.RecordsCreator
    key: str
    description: etree._Element
    inventory: etree._Element


def creator_keys(creators: tuple[m.RecordsCreator, ...]) -> list[str]:
    """Return a safe, stable, unique file name stem per records creator."""
    keys: list[str] = []
    for creator in creators:
        key = slug(creator.name) or "arkivbildare"
        if key in keys or key == "arkivbildare":
            key += "-" + hashlib.sha256(creator.name.encode("utf-8")).hexdigest()[:8]
        keys.append(key)
    return keys


_B = Builder(NS)  # for the records creator swapped into a copy (``_retarget``)
_q = _B.q


def _metadata(w: TextFragment, ctx: RunContext) -> None:
    w.start("Postmetadata")
    w.add("Skapad", ctx.created_iso())
    if ctx.by_role:
        w.start("SkapadAv")
        w.add("Roll", ctx.by_role)
        w.end()
    w.add("Programvara", ctx.tool_name, Version=ctx.tool_version)
    w.end()


def _creator(w: TextDocument, creator: m.RecordsCreator) -> None:
    w.start("Arkivbildare")
    w.add("Namn", creator.name)
    w.opt("Forvaltning", creator.department)
    w.opt("Kod", creator.code)
    w.end()


def _creator_element(parent: etree._Element, creator: m.RecordsCreator) -> None:
    """``_creator`` through lxml's API, for a copy of an entry already parsed."""
    el = _B.add(parent, "Arkivbildare")
    _B.add(el, "Namn", creator.name)
    _B.opt(el, "Forvaltning", creator.department)
    _B.opt(el, "Kod", creator.code)


def _period(w: TextFragment, period: m.Period) -> None:
    if period.is_empty:
        return
    w.start("Period")
    if period.start:
        w.add("Start", period.start.iso())
    if period.end:
        w.add("Slut", period.end.iso())
    w.opt("Beskrivning", prose.period(period))
    w.end()


def _lost_record(
    w: TextDocument, rec: m.LostRecord, culling: CullingReport | None, period: str
) -> None:
    w.start("ForloradHandling", ID=slug(rec.id) or "handling")
    w.add("Rubrik", rec.title)
    w.opt("Handlingstyp", rec.record_type)
    w.write(period)
    w.add("Omfattning", prose.EXTENT_CODE[rec.extent])
    w.opt("ProcessKod", rec.process)
    w.opt("Klassificering", rec.classification)
    w.opt("Serie", rec.series)
    w.opt("System", rec.system)
    w.opt("Beskrivning", rec.description)
    assessed = culling.get(rec) if culling else None  # retention schedule (issue 4)
    if assessed:
        write_gallring(w, assessed)
    w.end()


def description_entry(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    missing: list[Finding], culling: CullingReport | None = None,
) -> etree._Element:  # fmt: skip
    """Build the ``ArkivbeskrivningPost`` for one records creator (``culling``: plan assessment)."""
    ident = incident_id(incident)
    words = _Words(incident, culling, ctx)
    return _description(incident, creator, key, ctx, missing, culling, ident, words)


def _post(
    root: str, prefix: str, key: str, ident: str, words: _Words, creator: m.RecordsCreator
) -> TextDocument:
    """An entry's start, the same in both: its PostID, the metadata, the records creator."""
    post_id = f"{prefix}-{key}-{ident[len('incident-') :]}"
    w = TextDocument(NS, root, PostID=post_id, Schemaversion="1.0")
    w.write(words.metadata)
    _creator(w, creator)
    return w


def _description(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    missing: list[Finding], culling: CullingReport | None, ident: str, words: _Words,
) -> etree._Element:  # fmt: skip
    w = _post("ArkivbeskrivningPost", "ab", key, ident, words, creator)
    w.start("Incident")
    write_incident(w, incident, ctx, ident)
    w.end()
    w.start("ForloradeHandlingar")
    for rec, period in zip(incident.lost_records, words.periods, strict=True):
        _lost_record(w, rec, culling, period)
    w.end()
    if incident.systems:
        w.start("PaverkadeSystem")
        for sys in incident.systems:
            w.start("System")
            w.add("Namn", sys.name)
            w.opt("Roll", sys.role)
            w.opt("Leverantor", sys.supplier)
            w.end()
        w.end()
    if incident.processes:
        w.start("PaverkadeProcesser")
        for proc in incident.processes:
            w.start("Process", Kod=proc.code)
            w.opt("Benamning", proc.title)
            w.opt("Klassificeringsstruktur", proc.scheme)
            w.end()
        w.end()
    if incident.extracts:
        _extracts(w, incident.extracts)
    w.start("Gallringsgrund", Klassning=LOSS_CLASSIFICATION)
    w.opt("GallringsForklaring", incident.culling_rationale)
    w.end()
    w.add("Beskrivningstext", words.paragraph(creator))
    if missing:
        w.start("SaknadeUppgifter")
        for f in missing:
            w.add("Uppgift", "Uppgiften saknas i incidentrapporten", Falt=f.path or "")
        w.end()
    return w.element()


def _extracts(w: TextDocument, extracts: tuple[m.Extract, ...]) -> None:
    w.start("AtervunnaUttag")
    for ext in extracts:
        w.start("Uttag")
        w.add("Beskrivning", ext.title)
        _period(w, ext.period)
        if ext.kept_in or ext.series:
            w.start("Forvaringsplats")
            w.opt("System", ext.kept_in)
            w.opt("Serie", ext.series)
            w.end()
        w.opt("Referens", ext.reference)
        w.end()
    w.end()


def inventory_entry(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    description_id: str, culling: CullingReport | None = None,
) -> etree._Element:  # fmt: skip
    """Build the ``ArkivforteckningPost``: one ``Lucka`` per lost record type."""
    words = _Words(incident, culling, ctx)
    return _inventory(
        incident, creator, key, ctx, description_id, culling, incident_id(incident), words
    )


def _inventory(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    description_id: str, culling: CullingReport | None, ident: str, words: _Words,
) -> etree._Element:  # fmt: skip
    w = _post("ArkivforteckningPost", "af", key, ident, words, creator)
    w.start("IncidentReferens")
    w.add("IncidentID", ident)
    w.opt("Referens", incident.reference)
    w.opt("Organisation", incident.organisation)
    w.opt("Rapport", incident.source)
    w.end()
    w.add("ArkivbeskrivningPostID", description_id)
    notes = prose.GapNotes(incident)
    for rec, record, period in zip(
        incident.lost_records, words.records, words.periods, strict=True
    ):
        w.start("Lucka", HandlingID=slug(rec.id) or "handling")
        place_code = rec.classification or rec.process
        if place_code or rec.series:
            w.start("Placering")
            w.opt("Klassificering", place_code)
            w.opt("Serie", rec.series)
            w.end()
        w.add("Rubrik", rec.title)
        w.opt("Handlingstyp", rec.record_type)
        w.write(period)
        w.add("Omfattning", prose.EXTENT_CODE[rec.extent])
        w.opt("Beskrivning", rec.description)
        assessed = culling.get(rec) if culling else None  # retention schedule (issue 4)
        w.add("Anmarkning", notes.note(rec, assessed.note if assessed else None, record))
        if assessed:
            write_gallring(w, assessed)
        w.end()
    return w.element()


def _period_text(period: m.Period) -> str:
    piece = TextFragment()
    _period(piece, period)
    return piece.text()


class _Words:
    """What the prose of one incident's entries says the same for every records creator."""

    def __init__(
        self, incident: m.Incident, culling: CullingReport | None, ctx: RunContext
    ) -> None:
        self.incident, self.ctx = incident, ctx
        meta = TextFragment()
        _metadata(meta, ctx)
        #: the ``Postmetadata`` element, the same in both entries
        self.metadata = meta.text()
        from arkivlucka.retention.wording import paragraph_text

        self.culling = paragraph_text(incident, culling)
        #: each lost record in words, for the paragraph and for its note in the inventory
        self.records = [prose.lost_record(r) for r in incident.lost_records]
        #: each lost record's ``Period`` element, the same in both entries
        self.periods = [_period_text(r.period) for r in incident.lost_records]

    def paragraph(self, creator: m.RecordsCreator) -> str:
        """The arkivbeskrivning paragraph for ``creator``."""
        return prose.paragraph(self.incident, creator, self.ctx, self.culling, self.records)


def _retarget(template: bytes, post_id: str, creator: m.RecordsCreator) -> etree._Element:
    """A new copy of an entry made for one records creator (its bytes), pointed at another."""
    root = etree.fromstring(template, etree.XMLParser(remove_blank_text=False, huge_tree=True))
    root.set("PostID", post_id)
    old = root.find(_q("Arkivbildare"))
    assert old is not None
    holder = etree.Element("holder")
    _creator_element(holder, creator)
    root.replace(old, holder[0])
    return root


def build_entries(
    incident: m.Incident, ctx: RunContext, missing: list[Finding],
    culling: CullingReport | None = None,
) -> list[CreatorEntries]:  # fmt: skip
    """Build both entries for every records creator; ``culling`` is the plan assessment."""
    return list(iter_entries(incident, ctx, missing, culling))


def iter_entries(
    incident: m.Incident, ctx: RunContext, missing: list[Finding],
    culling: CullingReport | None = None,
) -> Iterator[CreatorEntries]:  # fmt: skip
    """Build both entries for one records creator after the other (memory for one at a time).

    Everything but the records creator is the same in every creator's entries, so the first
    pair is built in full and the others are copies with the creator (and its prose) swapped.
    """
    # The first pair is kept as bytes (a fraction of its trees), each copy parsed from them.
    first: tuple[bytes, bytes] | None = None
    ident = incident_id(incident)
    suffix = ident[len("incident-") :]
    keys = creator_keys(incident.records_creators)
    words = _Words(incident, culling, ctx)
    for creator, key in zip(incident.records_creators, keys, strict=True):
        if first is None:
            desc = _description(incident, creator, key, ctx, missing, culling, ident, words)
            desc_id = desc.get("PostID") or ""
            inv = _inventory(incident, creator, key, ctx, desc_id, culling, ident, words)
            if len(incident.records_creators) > 1:
                first = (etree.tostring(desc), etree.tostring(inv))
        else:
            desc = _retarget(first[0], f"ab-{key}-{suffix}", creator)
            text = desc.find(_q("Beskrivningstext"))
            assert text is not None
            text.text = words.paragraph(creator)
            del text  # an element keeps its whole document alive
            inv = _retarget(first[1], f"af-{key}-{suffix}", creator)
            inv.find(_q("ArkivbeskrivningPostID")).text = desc.get("PostID")  # type: ignore[union-attr]
        made = CreatorEntries(creator, key, desc, inv)
        yield made
        del made, desc, inv  # nothing of this pair stays while the next is built


def serialise(root: etree._Element) -> bytes:
    """Return the document as indented UTF-8 XML with a declaration and final newline."""
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
