"""Package stage, before sealing: check that the entries say what the incident file says now.

An incident edited after ``describe`` would otherwise be packaged with entries of its older
version. The facts an entry repeats (its ``Incident`` block, the lost records, the systems, the
recovered extracts) are compared with what the current incident file gives; each difference
is named in the finding.
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.core.findings import Finding, error
from arkivlucka.core.text import slug
from arkivlucka.entries.build import incident_element
from arkivlucka.incident import model as m
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING as NS

#: Swedish names of the facts, for the message (element name → what an archivist calls it)
_LABELS = {
    "IncidentID": "incident-id", "Referens": "referens", "Organisation": "organisation",
    "Rapportor": "rapportör", "Typ": "typ", "Status": "status", "Intraffade": "inträffade",
    "Upptacktes": "upptäcktes", "KortBeskrivning": "kort beskrivning", "Kategorier": "kategorier",
    "Konsekvenser": "konsekvenser", "VidtagnaAtgarder": "vidtagna åtgärder",
    "PlaneradeAtgarder": "planerade åtgärder", "Omfattning": "omfattning",
    "Informationsvardering": "informationsvärdering", "Polisanmald": "polisanmäld",
    "GallringOchArkivredovisning": "gallring och arkivredovisning",
    "RiskForPersonuppgifter": "risk för personuppgifter", "Anmalningar": "anmälningar",
    "Berorda": "berörda",
}  # fmt: skip


def _canon(el: etree._Element) -> str:
    text = etree.canonicalize(etree.tostring(el).decode("utf-8"), strip_text=True)
    return " ".join(text.split())


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _children(el: etree._Element | None) -> dict[str, str]:
    if el is None:
        return {}
    return {_local(c): _canon(c) for c in el if isinstance(c.tag, str)}


def _texts(root: etree._Element, xpath: str) -> set[str]:
    found = root.xpath(xpath, namespaces={"a": NS})
    assert isinstance(found, list)
    return {" ".join(str(t).split()) for t in found}


def _incident_block(root: etree._Element, incident: m.Incident) -> list[str]:
    got = root.find(f"{{{NS}}}Incident")
    if got is None:
        return []
    names = got.find(f"{{{NS}}}Rapportor/{{{NS}}}Namn") is not None
    fresh = incident_element(incident, include_names=names)
    # the fresh element is in no namespace context of its own: compare by local names
    mine = {_local(c): _canon(_renamespaced(c)) for c in fresh if isinstance(c.tag, str)}
    theirs = _children(got)
    return [_LABELS.get(k, k) for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]  # fmt: skip


def _renamespaced(el: etree._Element) -> etree._Element:
    """A copy of ``el`` serialised inside an entry (so namespace declarations compare equal)."""
    holder = etree.Element(f"{{{NS}}}ArkivbeskrivningPost", nsmap={None: NS})  # type: ignore[dict-item]
    holder.append(etree.fromstring(etree.tostring(el)))
    return holder[0]


def stale_facts(root: etree._Element, incident: m.Incident) -> list[str]:
    """The facts in which a (valid) entry differs from the incident as it is now."""
    differ: list[str] = []
    if _local(root) == "ArkivbeskrivningPost":
        differ += _incident_block(root, incident)
        systems = _texts(root, "a:PaverkadeSystem/a:System/a:Namn/text()")
        if systems != {" ".join(s.name.split()) for s in incident.systems}:
            differ.append("påverkade system")
        extracts = _texts(root, "a:AtervunnaUttag/a:Uttag/a:Beskrivning/text()")
        if extracts != {" ".join(e.title.split()) for e in incident.extracts}:
            differ.append("återvunna uttag")
    else:
        gaps = _texts(root, "a:Lucka/@HandlingID")
        if gaps != {slug(r.id) or "handling" for r in incident.lost_records}:
            differ.append("förlorade handlingar")
        titles = _texts(root, "a:Lucka/a:Rubrik/text()")
        if not differ and titles != {" ".join(r.title.split()) for r in incident.lost_records}:
            differ.append("förlorade handlingars rubriker")
    return differ


def stale_findings(root: etree._Element, file: str, incident: m.Incident) -> list[Finding]:
    """An ``entries-stale`` error naming what differs, or nothing when the entry is current."""
    differ = stale_facts(root, incident)
    if not differ:
        return []
    msg = (
        f"was made from another version of the incident file: {', '.join(differ)} "
        "differ from what the incident file says now; run describe again"
    )
    return [error("entries-stale", msg, file=file)]
