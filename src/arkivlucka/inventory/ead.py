"""Export stage: an inventory as EAD3 (Riksarkivet profile style), losses in ``<appraisal>``.

``archdesc level="fonds"`` for the archive, ``c level="series"`` for series, ``c
level="class"`` for process-based classes, ``c level="file"`` for storage units (volymer).
Gaps are ISAD(G) 3.3.2 matters and go to ``<appraisal>`` of the class or series they belong
to; gaps under review go to the archdesc's ``<appraisal>``.
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.text import slug
from arkivlucka.inventory.model import Gap, Group, Inventory, Span, Unit
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import EAD3 as EAD_NS


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{EAD_NS}}}{tag}", attrs)  # empty attributes are kept
    if text is not None:
        el.text = text
    return el


def _para(parent: etree._Element, tag: str, texts: list[str], head: str | None = None) -> None:
    texts = [t for t in texts if t]
    if not texts:
        return
    block = _e(parent, tag)
    if head:
        _e(block, "head", head)
    for text in texts:
        _e(block, "p", text)


def _date(did: etree._Element, period: Span) -> None:
    if period.start or period.end:
        structured = _e(did, "unitdatestructured")
        if period.start and period.start == period.end:
            _e(structured, "datesingle", period.text or period.start, standarddate=period.start)
        else:
            span = _e(structured, "daterange")
            if period.start:
                _e(span, "fromdate", period.start, standarddate=period.start)
            if period.end:
                _e(span, "todate", period.end, standarddate=period.end)
    elif period.text:
        _e(did, "unitdate", period.text)


def _gap_text(gap: Gap) -> str:
    text = " ".join(gap.notes) or f"Lucka: {gap.title}"
    if gap.period.cell() and gap.period.cell() not in text:
        text += f" ({gap.period.cell()})"
    return text


def _unit(parent: etree._Element, unit: Unit, title: str) -> None:
    c = _e(parent, "c", level="file")
    did = _e(c, "did")
    _e(did, "unitid", unit.volume)
    _e(did, "unittitle", unit.title or unit.content or title)
    _date(did, unit.period)
    if unit.location:
        _e(did, "physloc", unit.location)
    _para(c, "scopecontent", [unit.content or ""])
    _para(c, "odd", unit.notes + [f"{name}: {value}" for name, value in unit.extra])


def _group(dsc: etree._Element, group: Group) -> None:
    c = _e(dsc, "c", level="class" if group.kind == "Klass" else "series")
    did = _e(c, "did")
    _e(did, "unitid", group.code)
    first_title = next((u.title for u in group.children if isinstance(u, Unit) and u.title), None)
    title = group.title or first_title or group.code
    _e(did, "unittitle", title)
    _date(did, group.period)
    if group.location:
        _e(did, "physloc", group.location)
    _para(c, "scopecontent", [group.content or ""])
    gaps = [g for g in group.children if isinstance(g, Gap)]
    _para(c, "appraisal", [_gap_text(g) for g in gaps], head="Luckor och förluster")
    _para(c, "odd", group.notes + [f"{name}: {value}" for name, value in group.extra])
    for child in group.children:
        if isinstance(child, Unit):
            _unit(c, child, title)


def inventory_to_ead(inv: Inventory, ctx: RunContext) -> etree._Element:
    """Build the EAD3 document for an inventory."""
    ead = etree.Element(f"{{{EAD_NS}}}ead", nsmap={None: EAD_NS})  # type: ignore[dict-item]
    title = inv.archive_name or inv.creator
    control = _e(ead, "control")
    _e(control, "recordid", inv.archive_code or slug(inv.creator) or "arkiv")
    titlestmt = _e(_e(control, "filedesc"), "titlestmt")
    _e(titlestmt, "titleproper", f"Arkivförteckning: {title}")
    _e(control, "maintenancestatus", value="derived")
    _e(_e(control, "maintenanceagency"), "agencyname", inv.creator)
    event = _e(_e(control, "maintenancehistory"), "maintenanceevent")
    _e(event, "eventtype", value="derived")
    _e(event, "eventdatetime", ctx.created_iso(), standarddatetime=ctx.created_iso())
    _e(event, "agenttype", value="machine")
    _e(event, "agent", f"{ctx.tool_name} {ctx.tool_version}")
    archdesc = _e(ead, "archdesc", level="fonds")
    did = _e(archdesc, "did")
    if inv.archive_code:
        _e(did, "unitid", inv.archive_code)
    _e(did, "unittitle", title)
    origination = _e(did, "origination", label="Arkivbildare")
    _e(_e(origination, "corpname"), "part", inv.creator)
    if inv.department:
        _e(_e(origination, "corpname", localtype="forvaltning"), "part", inv.department)
    _para(
        archdesc,
        "appraisal",
        [_gap_text(g) for g in inv.review],
        head="Luckor att granska (ej placerade i klass eller serie)",
    )
    if inv.groups:
        dsc = _e(archdesc, "dsc")
        for group in inv.groups:
            _group(dsc, group)
    return ead


def ead_bytes(inv: Inventory, ctx: RunContext) -> bytes:
    """Return the EAD3 document as indented UTF-8 XML."""
    root = inventory_to_ead(inv, ctx)
    etree.indent(root, space="  ")
    return serialise(root)
