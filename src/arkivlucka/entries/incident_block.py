"""Build-XML stage: the ``Incident`` block of an arkivbeskrivning entry and the incident's id."""

from __future__ import annotations

import functools
import hashlib

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.text import slug as _slug_uncached
from arkivlucka.incident import model as m
from arkivlucka.xmldoc.build import TextDocument
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


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _timepoint(w: TextDocument, tag: str, tp: m.TimePoint | None) -> None:
    if tp is not None:
        w.add(tag, tp.iso(), Precision=_PRECISION.get(tp.precision or ""))


def write_incident(w: TextDocument, incident: m.Incident, ctx: RunContext, ident: str) -> None:
    """Write the children of the ``Incident`` element (``ident``: ``incident_id``) into ``w``."""
    w.add("IncidentID", ident)
    w.opt("Referens", incident.reference)
    w.opt("Organisation", incident.organisation)
    who = incident.reported_by
    fields = [("Roll", who.title)]
    if ctx.include_names:
        fields += [("Namn", who.name), ("Epost", who.email)]
    fields += [("Forvaltning", incident.department), ("Enhet", incident.unit)]
    if any(v for _, v in fields):
        w.start("Rapportor")
        for tag, value in fields:
            w.opt(tag, value)
        w.end()
    if incident.kind:
        w.add("Typ", _TYPE[incident.kind])
    if incident.status:
        w.add("Status", _STATUS[incident.status])
    _timepoint(w, "Intraffade", incident.occurred)
    _timepoint(w, "Upptacktes", incident.discovered)
    w.opt("KortBeskrivning", incident.summary)
    if incident.categories:
        w.start("Kategorier")
        for cat in incident.categories:
            w.add("Kategori", cat)
        w.end()
    _consequences(w, incident.consequences)
    w.opt("VidtagnaAtgarder", incident.actions_taken)
    w.opt("PlaneradeAtgarder", incident.actions_planned)
    w.opt("Omfattning", incident.scope)
    w.opt("Informationsvardering", incident.valuation)
    w.opt("GallringOchArkivredovisning", incident.culling_notes)
    if incident.police_report is not None:
        w.add("Polisanmald", _bool(incident.police_report))
    if incident.personal_data_risk:
        w.add("RiskForPersonuppgifter", _RISK[incident.personal_data_risk])
    if incident.reports:
        w.start("Anmalningar")
        for to_authority in incident.reports:
            w.start("Anmalan")
            w.add("Mottagare", to_authority.to)
            w.opt("Datum", to_authority.date.iso() if to_authority.date else None)
            w.opt("Arende", to_authority.reference)
            w.end()
        w.end()
    if incident.affected.records or incident.affected.persons:
        w.start("Berorda")
        w.opt("Handlingar", incident.affected.records)
        w.opt("Personer", incident.affected.persons)
        w.end()


def _consequences(w: TextDocument, c: m.Consequences) -> None:
    if c.disruption or c.business_critical is not None or c.restored is not None:
        w.start("Konsekvenser")
        if c.disruption:
            w.add("StorningITjansten", _DISRUPTION[c.disruption])
        if c.business_critical is not None:
            w.add("Verksamhetskritisk", _bool(c.business_critical))
        if c.restored == "partial":
            w.add("Aterstallt", "delvis")
        elif isinstance(c.restored, bool):
            w.add("Aterstallt", _bool(c.restored))
        w.end()


def incident_element(incident: m.Incident, include_names: bool = False) -> etree._Element:
    """The ``Incident`` element an entry of ``incident`` holds (to compare an entry with it)."""
    from datetime import UTC, datetime

    w = TextDocument(NS, "Incident")
    ctx = RunContext(datetime(2000, 1, 1, tzinfo=UTC), "0", include_names=include_names)
    write_incident(w, incident, ctx, incident_id(incident))
    return w.element()
