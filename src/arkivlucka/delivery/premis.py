"""Package stage, preservation metadata: the loss as PREMIS 3 (objects, events, agents) in memory.

The lost records are ``intellectualEntity`` objects; the loss is a ``deletion`` event (LoC
eventType vocabulary) dated when it occurred, with the estimate noted; the discovery, the
recovery of extracts and the package creation are events too; the organisation and the
software are agents. Swedish wording for details and outcomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.text import slug
from arkivlucka.delivery.premis_files import file_objects, identified_by
from arkivlucka.entries import prose
from arkivlucka.entries.build import incident_id
from arkivlucka.incident import model as m
from arkivlucka.xmldoc.build import add, serialise
from arkivlucka.xmldoc.namespaces import PREMIS as NS
from arkivlucka.xmldoc.namespaces import XSI

if TYPE_CHECKING:
    from arkivlucka.delivery.identify import IdentifiedFile

SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/premis/v3/premis.xsd"
LOC = "http://id.loc.gov/vocabulary/preservation"
#: LoC eventType terms used: label → code (http://id.loc.gov/vocabulary/preservation/eventType/<code>).
EVENT_TYPES = {
    "deletion": "del",
    "recovery": "rec",
    "information package creation": "ipc",
    "validation": "val",
    "format identification": "for",
}
ROLE_EXECUTING = ("executing program", "exe")
ROLE_IMPLEMENTER = ("implementer", "imp")
ID_TYPE = "local"
OBJECTS_MARKER = "arkivlucka-file-objects"
LINKS_MARKER = "arkivlucka-file-links"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    return add(parent, _q(tag), text, **attrs)


def _ident(parent: etree._Element, tag: str, value: str) -> etree._Element:
    el = _add(parent, tag)
    _add(el, f"{tag}Type", ID_TYPE)
    _add(el, f"{tag}Value", value)
    return el


def _vocab(parent: etree._Element, tag: str, label: str, scheme: str, code: str | None) -> None:
    if code is None:
        _add(parent, tag, label)
        return
    _add(
        parent, tag, label, authority=scheme, authorityURI=f"{LOC}/{scheme}",
        valueURI=f"{LOC}/{scheme}/{code}",
    )  # fmt: skip


#: what a precision says, of a time point with a clock time and of a date alone
_PRECISION_NOTE = {
    (True, "estimated"): "Tidpunkten är uppskattad.",
    (True, "exact"): "Tidpunkten är exakt.",
    (True, None): "Rapporten anger inte om tidpunkten är exakt eller uppskattad.",
    (False, "estimated"): "Datumet är uppskattat; klockslaget anges inte.",
    (False, "exact"): "Datumet är exakt; klockslaget anges inte.",
    (False, None): "Rapporten anger inte om datumet är exakt eller uppskattat; klockslaget "
    "anges inte.",
}


def _precision_note(tp: m.TimePoint) -> str:
    return _PRECISION_NOTE[(tp.has_time, tp.precision)]


#: EDTF (ISO 8601-2) for a date the report does not give: every digit unspecified
UNKNOWN_DATE = "XXXX-XX-XX"


def _loss_when(incident: m.Incident) -> tuple[str, str]:
    """The loss's date when the report does not say when it occurred: before the discovery."""
    if incident.discovered:
        return (
            f"../{incident.discovered.day().isoformat()}",
            "Rapporten anger inte när förlusten inträffade; den inträffade senast när den "
            "upptäcktes.",
        )
    return UNKNOWN_DATE, "Rapporten anger inte när förlusten inträffade eller upptäcktes."


def _recovery_when(incident: m.Incident, ctx: RunContext) -> tuple[str, str]:
    """When an extract was collected: the report does not say; after the loss, by this package.

    The period an extract covers is not the date it was collected, so it is never used as
    the event's date. The event is dated as the EDTF interval from the loss (or its
    discovery) to the day the package was made, and its note says the report gives no date.
    """
    made = ctx.created.date().isoformat()
    start = incident.occurred or incident.discovered
    note = "Rapporten anger inte när uttaget samlades in; "
    if start is None:
        return f"../{made}", note + "det var insamlat när paketet skapades."
    after = "förlusten" if incident.occurred else "upptäckten av förlusten"
    note += f"det samlades in efter {after} och före paketets skapande."
    return f"{start.day().isoformat()}/{made}", note


def _object(root: etree._Element, base: str, rec: m.LostRecord, events: list[str]) -> None:
    obj = _add(root, "object")
    obj.set(f"{{{XSI}}}type", "premis:intellectualEntity")
    _ident(obj, "objectIdentifier", f"{base}/{slug(rec.id) or 'handling'}")
    props = [
        ("Period", prose.period(rec.period)),
        (
            "Omfattning av förlusten",
            {"complete": "helt förlorad", "partial": "delvis förlorad"}.get(rec.extent),
        ),
        ("Handlingstyp", rec.record_type),
        ("Process", rec.process),
        ("Klassificering", rec.classification),
        ("Serie", rec.series),
        ("System", rec.system),
        ("Beskrivning", rec.description),
    ]
    for name, value in props:
        if value:
            sig = _add(obj, "significantProperties")
            _add(sig, "significantPropertiesType", name)
            _add(sig, "significantPropertiesValue", value)
    _add(obj, "originalName", rec.title)
    for event in events:
        _ident(obj, "linkingEventIdentifier", event)


class _Events:
    def __init__(self, root: etree._Element, base: str) -> None:
        self.root, self.base = root, base
        self.ids: list[str] = []

    def add(
        self, key: str, kind: str, when: str, detail: str, outcome: str | None, note: str | None,
        agents: list[tuple[str, tuple[str, str]]], objects: list[str],
    ) -> str:  # fmt: skip
        ident = f"{self.base}/handelse/{key}"
        ev = _add(self.root, "event")
        _ident(ev, "eventIdentifier", ident)
        _vocab(ev, "eventType", kind, "eventType", EVENT_TYPES.get(kind))
        _add(ev, "eventDateTime", when)
        _add(_add(ev, "eventDetailInformation"), "eventDetail", detail)
        if outcome or note:
            info = _add(ev, "eventOutcomeInformation")
            _add(info, "eventOutcome", outcome or "")
            if note:
                _add(_add(info, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
        for agent, (role, code) in agents:
            link = _ident(ev, "linkingAgentIdentifier", agent)
            _vocab(link, "linkingAgentRole", role, "eventRelatedAgentRole", code)
        for obj in objects:
            _ident(ev, "linkingObjectIdentifier", obj)
        self.ids.append(ident)
        return ident


def build_premis(
    incident: m.Incident, objid: str, ctx: RunContext, unvalidated_note: str | None = None,
    files: Sequence[IdentifiedFile] = (),
) -> bytes:  # fmt: skip
    """Return ``premis.xml`` for the incident and the package ``objid`` (not yet validated).

    ``unvalidated_note`` (the package is sealed without the official schemas) becomes a
    ``validation`` event whose outcome says the check was not performed; ``files`` (payload
    files with their PRONOM formats) become ``file`` objects and a format identification event.
    """
    return serialise(premis_tree(incident, objid, ctx, unvalidated_note, files))


def premis_tree(
    incident: m.Incident, objid: str, ctx: RunContext, unvalidated_note: str | None = None,
    files: Sequence[IdentifiedFile] = (), marked: bool = False,
) -> etree._Element:  # fmt: skip
    """The ``premis.xml`` tree; ``marked`` puts comment markers where the per-file parts go.

    With ``marked`` the ``file`` objects and the format identification event's linked objects
    are left out and a comment (``OBJECTS_MARKER``, ``LINKS_MARKER``) stands in for each, for
    ``premis_stream`` to write them in its place.
    """
    base = incident_id(incident)
    root = etree.Element(_q("premis"), nsmap={"premis": NS, "xsi": XSI}, version="3.0")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    records = [f"{base}/{slug(r.id) or 'handling'}" for r in incident.lost_records]
    org_id = f"organisation/{slug(incident.organisation or '') or 'okand'}"
    tool_id = f"programvara/{ctx.tool_name}/{ctx.tool_version}"
    holder = etree.Element("holder")
    events = _Events(holder, base)
    org = [(org_id, ROLE_IMPLEMENTER)] if incident.organisation else []
    _incident_events(events, incident, ctx, org, records)
    tool_agent = f"programvara/{files[0].tool.split(' (')[0].replace(' ', '/')}" if files else ""
    if files:
        events.add(
            "formatidentifiering", "format identification", ctx.created_iso(),
            f"Filformaten i paketets uttag identifierades mot PRONOM ({len(files)} filer).",
            "Lyckades", None, [(tool_agent, ROLE_EXECUTING)],
            [] if marked else [f"{objid}/{f.rel}" for f in files],
        )  # fmt: skip
        if marked:
            holder[-1].append(etree.Comment(LINKS_MARKER))
    events.add(
        "paket", "information package creation", ctx.created_iso(),
        f"Leveranspaket {objid} skapades med arkivredovisningen för informationsförlusten.",
        "Lyckades", None, [(tool_id, ROLE_EXECUTING)], [],
    )  # fmt: skip
    if unvalidated_note:
        events.add(
            "validering", "validation", ctx.created_iso(),
            "Validering av paketets METS och PREMIS mot de officiella schemana.",
            "Inte utförd", unvalidated_note, [(tool_id, ROLE_EXECUTING)], [],
        )  # fmt: skip
    linked = [
        e for e in events.ids if not e.endswith(("/paket", "/validering", "/formatidentifiering"))
    ]
    for rec in incident.lost_records:
        _object(root, base, rec, linked)
    if not incident.lost_records:
        obj = _add(root, "object")
        obj.set(f"{{{XSI}}}type", "premis:intellectualEntity")
        _ident(obj, "objectIdentifier", base)
        _add(obj, "originalName", "Förlorad information (handlingar ej specificerade i rapporten)")
    if marked and files:
        root.append(etree.Comment(OBJECTS_MARKER))
    else:
        file_objects(root, objid, files, format_event(base) if files else None)
    root.extend(list(holder))
    _agents(root, incident, org_id, tool_id, ctx, files, tool_agent)
    return root


def format_event(base: str) -> str:
    """The identifier of the format identification event of incident ``base``."""
    return f"{base}/handelse/formatidentifiering"


def _incident_events(
    events: _Events, incident: m.Incident, ctx: RunContext, org: list[tuple[str, tuple[str, str]]],
    records: list[str],
) -> None:  # fmt: skip
    """The loss, its discovery and each recovered extract, dated as the report says."""
    if incident.occurred:
        what = "; ".join(r.title for r in incident.lost_records)
        detail = "Information gick förlorad vid incidenten och kunde inte återställas"
        detail += f": {what}." if what else "."
        if incident.summary:
            detail += f" {incident.summary}"
        outcome = (
            "Informationen är förlorad och kan inte återställas; förlusten räknas som gallring."
        )
        if incident.consequences.restored == "partial":
            outcome = (
                "Informationen har delvis kunnat återställas; de förlorade handlingarna kan "
                "inte återställas, och förlusten av dem räknas som gallring."
            )
        elif incident.consequences.restored is True:
            outcome = "Informationen har enligt rapporten återställts."
        note = _precision_note(incident.occurred) + (f" {incident.scope}" if incident.scope else "")
        events.add(
            "forlust", "deletion", incident.occurred.iso(), detail, outcome, note, org, records
        )
    if not incident.occurred and incident.lost_records:
        when, note = _loss_when(incident)
        detail = "Information gick förlorad vid incidenten och kunde inte återställas: "
        detail += "; ".join(r.title for r in incident.lost_records) + "."
        events.add(
            "forlust", "deletion", when, detail,
            "Informationen är förlorad och kan inte återställas; förlusten räknas som gallring.",
            note, org, records,
        )  # fmt: skip
    if incident.discovered:
        detail = "Informationsförlusten upptäcktes."
        events.add(
            "upptackt", "upptäckt", incident.discovered.iso(), detail,
            "Förlusten konstaterades och rapporterades som incident.",
            _precision_note(incident.discovered), org, records,
        )  # fmt: skip
    for n, ext in enumerate(incident.extracts, 1):
        when, note = _recovery_when(incident, ctx)
        detail = f"Insamlat uttag: {prose.extract(ext)}"
        events.add(
            f"uttag-{n}", "recovery", when, detail, "Delar av informationen finns kvar i uttaget.",
            note, org, records,
        )  # fmt: skip


def _agents(
    root: etree._Element, incident: m.Incident, org_id: str, tool_id: str, ctx: RunContext,
    files: Sequence[IdentifiedFile], tool_agent: str,
) -> None:  # fmt: skip
    """The organisation, arkivlucka and (when files were identified) siegfried as agents."""
    if incident.organisation:
        agent = _add(root, "agent")
        _ident(agent, "agentIdentifier", org_id)
        _add(agent, "agentName", incident.organisation)
        _vocab(agent, "agentType", "organization", "agentType", "org")
    agent = _add(root, "agent")
    _ident(agent, "agentIdentifier", tool_id)
    _add(agent, "agentName", ctx.tool_name)
    _vocab(agent, "agentType", "software", "agentType", "sof")
    _add(agent, "agentVersion", ctx.tool_version)
    if files:
        identified_by(root, files[0].tool, tool_agent)
