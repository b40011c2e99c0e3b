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
from typing import ClassVar

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.core.text import slug
from arkivlucka.inventory.ead import EadWriter, gap_text
from arkivlucka.inventory.model import Group, Inventory, Span
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import EAD2002, XLINK, XSI

SCHEMA_LOCATION = f"{EAD2002} http://schemas.archivesportaleurope.net/profiles/apeEAD.xsd"
#: an ISIL agency code: the country code (also eadid/@countrycode), a hyphen, 1-11 more
AGENCY_CODE = re.compile(r"^[A-Z]{2}-[a-zA-Z0-9:/\-]{1,11}$")
_NORMAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _ApeWriter(EadWriter):
    """apeEAD: EAD 2002, periods as ``unitdate normal``, storage units as ``otherlevel`` volym."""

    unit_level: ClassVar[dict[str, str]] = {"level": "otherlevel", "otherlevel": "volym"}

    def date(self, did: etree._Element, period: Span) -> None:
        """``unitdate`` with ``normal`` only when both ends are known (one end is not a date)."""
        if period.is_empty:
            return
        attrs = {}
        start, end = period.start or "", period.end or ""
        if _NORMAL.match(start) and _NORMAL.match(end):
            attrs["normal"] = start if start == end else f"{start}/{end}"
        self.e(did, "unitdate", period.cell(), **attrs)


_W = _ApeWriter(EAD2002)
_e, _para, _group = _W.e, _W.para, _W.group


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
        [gap_text(g) for g in inv.review],
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
