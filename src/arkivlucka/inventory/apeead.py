"""Export stage: an inventory as apeEAD, the Archives Portal Europe profile of EAD 2002.

Riksarkivet publishes its holdings in this form: ``archdesc level="fonds"``, ``c
level="series"`` (``class`` for process-based classes, nested as the inventory nests them),
storage units as ``c level="otherlevel" otherlevel="volym"``, the records creator in
``origination label="Arkivbildare"`` (apeEAD's ``corpname`` has no role attribute),
``unitdate normal="YYYY/YYYY"``, losses in ``appraisal``. apeEAD requires the repository's
agency code (ISIL, e.g. ``SE-RA``) in ``eadid/@mainagencycode``: the inventory does not hold
it, so it must be given.
"""

from __future__ import annotations

import re

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.core.text import slug
from arkivlucka.inventory.ead import _gap_text
from arkivlucka.inventory.model import Gap, Group, Inventory, Span, Unit
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import EAD2002, XLINK, XSI

SCHEMA_LOCATION = f"{EAD2002} http://schemas.archivesportaleurope.net/profiles/apeEAD.xsd"
#: an ISIL agency code: the country code (also eadid/@countrycode), a hyphen, 1-11 more
AGENCY_CODE = re.compile(r"^[A-Z]{2}-[a-zA-Z0-9:/\-]{1,11}$")
_NORMAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{EAD2002}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _para(parent: etree._Element, tag: str, texts: list[str], head: str | None = None) -> None:
    texts = [t for t in texts if t]
    if texts:
        block = _e(parent, tag)
        if head:
            _e(block, "head", head)
        for text in texts:
            _e(block, "p", text)


def _date(did: etree._Element, period: Span) -> None:
    """``unitdate`` with ``normal`` only when both ends are known (one end is not a date)."""
    if period.is_empty:
        return
    attrs = {}
    start, end = period.start or "", period.end or ""
    if _NORMAL.match(start) and _NORMAL.match(end):
        attrs["normal"] = start if start == end else f"{start}/{end}"
    _e(did, "unitdate", period.cell(), **attrs)


def _unit(parent: etree._Element, unit: Unit, title: str) -> None:
    c = _e(parent, "c", level="otherlevel", otherlevel="volym")
    did = _e(c, "did")
    _e(did, "unitid", unit.volume)
    _e(did, "unittitle", unit.title or unit.content or title)
    _date(did, unit.period)
    if unit.location:
        _e(did, "physloc", unit.location)
    _para(c, "scopecontent", [unit.content or ""])
    _para(c, "odd", unit.notes + [f"{name}: {value}" for name, value in unit.extra])


def _group(parent: etree._Element, group: Group, nested: dict[str | None, list[Group]]) -> None:
    c = _e(parent, "c", level="class" if group.kind == "Klass" else "series")
    did = _e(c, "did")
    _e(did, "unitid", group.code)
    first = next((u.title for u in group.children if isinstance(u, Unit) and u.title), None)
    title = group.title or first or group.code
    _e(did, "unittitle", title)
    _date(did, group.period)
    if group.location:
        _e(did, "physloc", group.location)
    _para(c, "scopecontent", [group.content or ""])
    gaps = [g for g in group.children if isinstance(g, Gap)]
    _para(c, "appraisal", [_gap_text(g) for g in gaps], head="Luckor och förluster")
    _para(c, "odd", group.notes + [f"{name}: {value}" for name, value in group.extra])
    for sub in nested.get(group.code, []):
        _group(c, sub, nested)
    for child in group.children:
        if isinstance(child, Unit):
            _unit(c, child, title)


def check_agency_code(code: str | None) -> str:
    """Return the agency code, or refuse: apeEAD cannot be written without a valid one."""
    if code and AGENCY_CODE.match(code):
        return code
    msg = (
        f"'{code}' is not an agency code apeEAD accepts (a country code, a hyphen and the "
        "archive's code, e.g. SE-RA)"
        if code
        else "apeEAD needs the repository's agency code (ISIL, e.g. SE-RA); the inventory "
        "does not hold it"
    )
    raise InputError(msg, [error("apeead-agency-code", msg, param="agency_code")])


def inventory_to_apeead(inv: Inventory, ctx: RunContext, agency_code: str) -> etree._Element:
    """Build the apeEAD document for an inventory (``agency_code`` checked by the caller)."""
    nsmap = {None: EAD2002, "xlink": XLINK, "xsi": XSI}
    ead = etree.Element(f"{{{EAD2002}}}ead", nsmap=nsmap)  # type: ignore[arg-type]
    ead.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    ident = inv.archive_code or slug(inv.creator) or "arkiv"
    title = inv.archive_name or inv.creator
    header = _e(ead, "eadheader")
    country = agency_code[:2]
    _e(header, "eadid", ident, countrycode=country, mainagencycode=agency_code, identifier=ident)
    _e(_e(_e(header, "filedesc"), "titlestmt"), "titleproper", f"Arkivförteckning: {title}")
    creation = _e(_e(header, "profiledesc"), "creation", f"{ctx.tool_name} {ctx.tool_version}, ")
    _e(creation, "date", ctx.created_iso())
    archdesc = _e(ead, "archdesc", level="fonds")
    did = _e(archdesc, "did")
    if inv.archive_code:
        _e(did, "unitid", inv.archive_code)
    _e(did, "unittitle", title)
    origination = _e(did, "origination", label="Arkivbildare")
    corp = _e(origination, "corpname", inv.creator)
    if inv.creator_code:
        corp.set("authfilenumber", inv.creator_code)
    if inv.department:
        _e(_e(did, "origination", label="Förvaltning"), "corpname", inv.department)
    _para(
        archdesc,
        "appraisal",
        [_gap_text(g) for g in inv.review],
        head="Luckor att granska (ej placerade i klass eller serie)",
    )
    if inv.groups:
        codes = {g.code for g in inv.groups}
        nested: dict[str | None, list[Group]] = {}
        for group in inv.groups:
            nested.setdefault(group.parent if group.parent in codes else None, []).append(group)
        dsc = _e(archdesc, "dsc")
        for group in nested.get(None, []):
            _group(dsc, group, nested)
    return ead


def apeead_bytes(inv: Inventory, ctx: RunContext, agency_code: str | None) -> bytes:
    """Return the apeEAD document as indented UTF-8 XML; refuse without an agency code."""
    root = inventory_to_apeead(inv, ctx, check_agency_code(agency_code))
    etree.indent(root, space="  ")
    return serialise(root)
