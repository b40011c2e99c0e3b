"""Build-XML stage: the arkivbeskrivning and arkivförteckning entries for one records creator."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.findings import Finding
from arkivlucka.core.text import slug as _slug_uncached
from arkivlucka.entries import prose
from arkivlucka.entries.gallring import add_gallring
from arkivlucka.incident import model as m
from arkivlucka.incident.rules import LOSS_CLASSIFICATION
from arkivlucka.retention.assess import CullingReport, paragraph_text
from arkivlucka.xmldoc.build import Builder
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING as NS

#: the same ids are slugged for both entries (and the incident's reference five times)
slug = functools.lru_cache(maxsize=4096)(_slug_uncached)

_TYPE = {"confirmed": "konstaterad", "suspected": "misstankt"}
_STATUS = {"ongoing": "pagaende", "aborted": "avbruten", "closed": "avslutad"}
_PRECISION = {"exact": "exakt", "estimated": "uppskattad"}
_DISRUPTION = {
    "limited": "begransad",
    "large": "stor",
    "very_large": "mycket-stor",
    "unknown": "okand",
}
_RISK = {"yes": "ja", "no": "nej", "unknown": "kan-ej-bedomas"}


@dataclass(frozen=True)
class CreatorEntries:
    """The two entries made for one records creator, with their ids."""

    creator: m.RecordsCreator
    key: str
    description: etree._Element
    inventory: etree._Element


def incident_id(incident: m.Incident) -> str:
    """Return a stable id for the incident: its reference, else a hash of its key facts."""
    if incident.reference and slug(incident.reference):
        return f"incident-{slug(incident.reference)}"
    basis = "|".join(
        x or ""
        for x in (
            incident.organisation,
            incident.department,
            incident.occurred.iso() if incident.occurred else None,
            incident.discovered.iso() if incident.discovered else None,
            incident.summary,
        )
    )
    return "incident-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]


def creator_keys(creators: tuple[m.RecordsCreator, ...]) -> list[str]:
    """Return a safe, stable, unique file name stem per records creator."""
    keys: list[str] = []
    for creator in creators:
        key = slug(creator.name) or "arkivbildare"
        if key in keys or key == "arkivbildare":
            key += "-" + hashlib.sha256(creator.name.encode("utf-8")).hexdigest()[:8]
        keys.append(key)
    return keys


_B = Builder(NS)
_q, _add, _opt = _B.q, _B.add, _B.opt


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _metadata(root: etree._Element, ctx: RunContext) -> None:
    meta = _add(root, "Postmetadata")
    _add(meta, "Skapad", ctx.created_iso())
    if ctx.by_role:
        _add(_add(meta, "SkapadAv"), "Roll", ctx.by_role)
    _add(meta, "Programvara", ctx.tool_name, Version=ctx.tool_version)


def _creator(root: etree._Element, creator: m.RecordsCreator) -> None:
    el = _add(root, "Arkivbildare")
    _add(el, "Namn", creator.name)
    _opt(el, "Forvaltning", creator.department)
    _opt(el, "Kod", creator.code)


def _period(parent: etree._Element, period: m.Period) -> None:
    if period.is_empty:
        return
    el = _add(parent, "Period")
    if period.start:
        _add(el, "Start", period.start.iso())
    if period.end:
        _add(el, "Slut", period.end.iso())
    _opt(el, "Beskrivning", prose.period(period))


def _timepoint(parent: etree._Element, tag: str, tp: m.TimePoint | None) -> None:
    if tp is not None:
        _add(parent, tag, tp.iso(), Precision=_PRECISION.get(tp.precision or ""))


def _incident(root: etree._Element, incident: m.Incident, ctx: RunContext) -> None:
    el = _add(root, "Incident")
    _add(el, "IncidentID", incident_id(incident))
    _opt(el, "Referens", incident.reference)
    _opt(el, "Organisation", incident.organisation)
    who = incident.reported_by
    fields = [("Roll", who.title)]
    if ctx.include_names:
        fields += [("Namn", who.name), ("Epost", who.email)]
    fields += [("Forvaltning", incident.department), ("Enhet", incident.unit)]
    if any(v for _, v in fields):
        rep = _add(el, "Rapportor")
        for tag, value in fields:
            _opt(rep, tag, value)
    if incident.kind:
        _add(el, "Typ", _TYPE[incident.kind])
    if incident.status:
        _add(el, "Status", _STATUS[incident.status])
    _timepoint(el, "Intraffade", incident.occurred)
    _timepoint(el, "Upptacktes", incident.discovered)
    _opt(el, "KortBeskrivning", incident.summary)
    if incident.categories:
        cats = _add(el, "Kategorier")
        for cat in incident.categories:
            _add(cats, "Kategori", cat)
    c = incident.consequences
    if c.disruption or c.business_critical is not None or c.restored is not None:
        cons = _add(el, "Konsekvenser")
        if c.disruption:
            _add(cons, "StorningITjansten", _DISRUPTION[c.disruption])
        if c.business_critical is not None:
            _add(cons, "Verksamhetskritisk", _bool(c.business_critical))
        if c.restored == "partial":
            _add(cons, "Aterstallt", "delvis")
        elif isinstance(c.restored, bool):
            _add(cons, "Aterstallt", _bool(c.restored))
    _opt(el, "VidtagnaAtgarder", incident.actions_taken)
    _opt(el, "PlaneradeAtgarder", incident.actions_planned)
    _opt(el, "Omfattning", incident.scope)
    _opt(el, "Informationsvardering", incident.valuation)
    _opt(el, "GallringOchArkivredovisning", incident.culling_notes)
    if incident.police_report is not None:
        _add(el, "Polisanmald", _bool(incident.police_report))
    if incident.personal_data_risk:
        _add(el, "RiskForPersonuppgifter", _RISK[incident.personal_data_risk])
    if incident.reports:
        reported = _add(el, "Anmalningar")
        for to_authority in incident.reports:
            r = _add(reported, "Anmalan")
            _add(r, "Mottagare", to_authority.to)
            _opt(r, "Datum", to_authority.date.iso() if to_authority.date else None)
            _opt(r, "Arende", to_authority.reference)
    if incident.affected.records or incident.affected.persons:
        counts = _add(el, "Berorda")
        _opt(counts, "Handlingar", incident.affected.records)
        _opt(counts, "Personer", incident.affected.persons)


def incident_element(incident: m.Incident, include_names: bool = False) -> etree._Element:
    """The ``Incident`` element an entry of ``incident`` holds (to compare an entry with it)."""
    from datetime import UTC, datetime

    holder = etree.Element("holder")
    _incident(
        holder,
        incident,
        RunContext(datetime(2000, 1, 1, tzinfo=UTC), "0", include_names=include_names),
    )
    return holder[0]


def _lost_record(
    parent: etree._Element, rec: m.LostRecord, culling: CullingReport | None = None
) -> None:
    el = _add(parent, "ForloradHandling", ID=slug(rec.id) or "handling")
    _add(el, "Rubrik", rec.title)
    _opt(el, "Handlingstyp", rec.record_type)
    _period(el, rec.period)
    _add(el, "Omfattning", prose.EXTENT_CODE[rec.extent])
    _opt(el, "ProcessKod", rec.process)
    _opt(el, "Klassificering", rec.classification)
    _opt(el, "Serie", rec.series)
    _opt(el, "System", rec.system)
    _opt(el, "Beskrivning", rec.description)
    assessed = culling.get(rec) if culling else None  # retention schedule (issue 4)
    if assessed:
        add_gallring(el, assessed)


def description_entry(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    missing: list[Finding], culling: CullingReport | None = None,
) -> etree._Element:  # fmt: skip
    """Build the ``ArkivbeskrivningPost`` for one records creator (``culling``: plan assessment)."""
    root = etree.Element(_q("ArkivbeskrivningPost"), nsmap={None: NS})  # type: ignore[dict-item]
    root.set("PostID", f"ab-{key}-{incident_id(incident)[len('incident-') :]}")
    root.set("Schemaversion", "1.0")
    _metadata(root, ctx)
    _creator(root, creator)
    _incident(root, incident, ctx)
    lost = _add(root, "ForloradeHandlingar")
    for rec in incident.lost_records:
        _lost_record(lost, rec, culling)
    if incident.systems:
        systems = _add(root, "PaverkadeSystem")
        for sys in incident.systems:
            el = _add(systems, "System")
            _add(el, "Namn", sys.name)
            _opt(el, "Roll", sys.role)
            _opt(el, "Leverantor", sys.supplier)
    if incident.processes:
        procs = _add(root, "PaverkadeProcesser")
        for proc in incident.processes:
            el = _add(procs, "Process", Kod=proc.code)
            _opt(el, "Benamning", proc.title)
            _opt(el, "Klassificeringsstruktur", proc.scheme)
    if incident.extracts:
        extracts = _add(root, "AtervunnaUttag")
        for ext in incident.extracts:
            el = _add(extracts, "Uttag")
            _add(el, "Beskrivning", ext.title)
            _period(el, ext.period)
            if ext.kept_in or ext.series:
                place = _add(el, "Forvaringsplats")
                _opt(place, "System", ext.kept_in)
                _opt(place, "Serie", ext.series)
            _opt(el, "Referens", ext.reference)
    basis = _add(root, "Gallringsgrund", Klassning=LOSS_CLASSIFICATION)
    _opt(basis, "GallringsForklaring", incident.culling_rationale)
    culling_text = paragraph_text(incident, culling)
    _add(root, "Beskrivningstext", prose.paragraph(incident, creator, ctx, culling_text))
    if missing:
        gaps = _add(root, "SaknadeUppgifter")
        for f in missing:
            _add(gaps, "Uppgift", "Uppgiften saknas i incidentrapporten", Falt=f.path or "")
    return root


def inventory_entry(
    incident: m.Incident, creator: m.RecordsCreator, key: str, ctx: RunContext,
    description_id: str, culling: CullingReport | None = None,
) -> etree._Element:  # fmt: skip
    """Build the ``ArkivforteckningPost``: one ``Lucka`` per lost record type."""
    root = etree.Element(_q("ArkivforteckningPost"), nsmap={None: NS})  # type: ignore[dict-item]
    root.set("PostID", f"af-{key}-{incident_id(incident)[len('incident-') :]}")
    root.set("Schemaversion", "1.0")
    _metadata(root, ctx)
    _creator(root, creator)
    ref = _add(root, "IncidentReferens")
    _add(ref, "IncidentID", incident_id(incident))
    _opt(ref, "Referens", incident.reference)
    _opt(ref, "Organisation", incident.organisation)
    _opt(ref, "Rapport", incident.source)
    _add(root, "ArkivbeskrivningPostID", description_id)
    for rec in incident.lost_records:
        gap = _add(root, "Lucka", HandlingID=slug(rec.id) or "handling")
        place_code = rec.classification or rec.process
        if place_code or rec.series:
            place = _add(gap, "Placering")
            _opt(place, "Klassificering", place_code)
            _opt(place, "Serie", rec.series)
        _add(gap, "Rubrik", rec.title)
        _opt(gap, "Handlingstyp", rec.record_type)
        _period(gap, rec.period)
        _add(gap, "Omfattning", prose.EXTENT_CODE[rec.extent])
        _opt(gap, "Beskrivning", rec.description)
        assessed = culling.get(rec) if culling else None  # retention schedule (issue 4)
        _add(gap, "Anmarkning", prose.gap_note(rec, incident, assessed.note if assessed else None))
        if assessed:
            add_gallring(gap, assessed)
    return root


def _retarget(template: bytes, post_id: str, creator: m.RecordsCreator) -> etree._Element:
    """A new copy of an entry made for one records creator (its bytes), pointed at another."""
    root = etree.fromstring(template, etree.XMLParser(remove_blank_text=False, huge_tree=True))
    root.set("PostID", post_id)
    old = root.find(_q("Arkivbildare"))
    assert old is not None
    holder = etree.Element("holder")
    _creator(holder, creator)
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
    suffix = incident_id(incident)[len("incident-") :]
    keys = creator_keys(incident.records_creators)
    culling_text = paragraph_text(incident, culling)
    for creator, key in zip(incident.records_creators, keys, strict=True):
        if first is None:
            desc = description_entry(incident, creator, key, ctx, missing, culling)
            inv = inventory_entry(incident, creator, key, ctx, desc.get("PostID") or "", culling)
            if len(incident.records_creators) > 1:
                first = (etree.tostring(desc), etree.tostring(inv))
        else:
            desc = _retarget(first[0], f"ab-{key}-{suffix}", creator)
            text = desc.find(_q("Beskrivningstext"))
            assert text is not None
            text.text = prose.paragraph(incident, creator, ctx, culling_text)
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
