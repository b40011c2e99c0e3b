"""Export stage: an inventory as EAD3 (Riksarkivet profile style), losses in ``<appraisal>``.

``archdesc level="fonds"`` for the archive, ``c level="series"`` for series, ``c
level="class"`` for process-based classes, ``c level="file"`` for storage units (volymer).
Gaps are ISAD(G) 3.3.2 matters and go to ``<appraisal>`` of the class or series they belong
to; gaps under review go to the archdesc's ``<appraisal>``.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.text import slug
from arkivlucka.inventory.model import Gap, Group, Inventory, Span, Unit
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import EAD3 as EAD_NS


class EadWriter:
    """EAD elements of one namespace: paragraphs, dates, a class or series with its units.

    The EAD3 export uses it as it is; the apeEAD export (EAD 2002) changes the namespace, how a
    period is written and how a storage unit is marked.
    """

    #: the attributes of a storage unit's ``c``
    unit_level: ClassVar[dict[str, str]] = {"level": "file"}

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def e(
        self, parent: etree._Element, tag: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        """Append ``<tag>`` with ``text`` and ``attrs`` (empty attributes are kept)."""
        el = etree.SubElement(parent, f"{{{self.namespace}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    def para(
        self, parent: etree._Element, tag: str, texts: list[str], head: str | None = None
    ) -> None:
        """``<tag>`` with a ``head`` and one ``p`` per non-empty text; nothing when all empty."""
        texts = [t for t in texts if t]
        if not texts:
            return
        block = self.e(parent, tag)
        if head:
            self.e(block, "head", head)
        for text in texts:
            self.e(block, "p", text)

    def date(self, did: etree._Element, period: Span) -> None:
        """The period as EAD3 ``unitdatestructured`` (or ``unitdate`` with words only)."""
        if period.start or period.end:
            structured = self.e(did, "unitdatestructured")
            if period.start and period.start == period.end:
                self.e(
                    structured, "datesingle", period.text or period.start, standarddate=period.start
                )
            else:
                span = self.e(structured, "daterange")
                if period.start:
                    self.e(span, "fromdate", period.start, standarddate=period.start)
                if period.end:
                    self.e(span, "todate", period.end, standarddate=period.end)
        elif period.text:
            self.e(did, "unitdate", period.text)

    def unit(self, parent: etree._Element, unit: Unit, title: str) -> None:
        """A storage unit (volym) as a ``c`` under its class or series."""
        c = self.e(parent, "c", **self.unit_level)
        did = self.e(c, "did")
        self.e(did, "unitid", unit.volume)
        self.e(did, "unittitle", unit.title or unit.content or title)
        self.date(did, unit.period)
        if unit.location:
            self.e(did, "physloc", unit.location)
        self.para(c, "scopecontent", [unit.content or ""])
        self.para(c, "odd", unit.notes + [f"{name}: {value}" for name, value in unit.extra])

    def group(
        self, parent: etree._Element, group: Group,
        nested: dict[str | None, list[Group]] | None = None,
    ) -> None:  # fmt: skip
        """A class or series as a ``c`` with its gaps (``appraisal``), sub-groups and units."""
        c = self.e(parent, "c", level="class" if group.kind == "Klass" else "series")
        did = self.e(c, "did")
        self.e(did, "unitid", group.code)
        first = next((u.title for u in group.children if isinstance(u, Unit) and u.title), None)
        title = group.title or first or group.code
        self.e(did, "unittitle", title)
        self.date(did, group.period)
        if group.location:
            self.e(did, "physloc", group.location)
        self.para(c, "scopecontent", [group.content or ""])
        gaps = [g for g in group.children if isinstance(g, Gap)]
        self.para(c, "appraisal", [gap_text(g) for g in gaps], head="Luckor och förluster")
        self.para(c, "odd", group.notes + [f"{name}: {value}" for name, value in group.extra])
        for sub in (nested or {}).get(group.code, []):
            self.group(c, sub, nested)
        for child in group.children:
            if isinstance(child, Unit):
                self.unit(c, child, title)


def gap_text(gap: Gap) -> str:
    """A gap in words for ``appraisal``: its notes, else its title, with its period."""
    text = " ".join(gap.notes) or f"Lucka: {gap.title}"
    if gap.period.cell() and gap.period.cell() not in text:
        text += f" ({gap.period.cell()})"
    return text


_W = EadWriter(EAD_NS)
_e, _para, _gap_text = _W.e, _W.para, gap_text


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
            _W.group(dsc, group)
    return ead


def ead_bytes(inv: Inventory, ctx: RunContext) -> bytes:
    """Return the EAD3 document as indented UTF-8 XML."""
    root = inventory_to_ead(inv, ctx)
    etree.indent(root, space="  ")
    return serialise(root)
