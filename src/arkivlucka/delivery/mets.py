"""Package stage, structural metadata: METS.xml for the package and its representation (CSIP/SIP 2.1.0).

Builds the documents in memory from file entries whose size, creation time and SHA-256 are
already known; validation and writing happen in ``package``. Profile decisions are in
``docs/package.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.xmldoc.namespaces import CSIP, METS, SIP, SIP_PROFILE, XLINK, XSI

NSMAP = {"mets": METS, "xlink": XLINK, "csip": CSIP, "sip": SIP, "xsi": XSI}
SCHEMA_LOCATION = (
    f"{METS} http://www.loc.gov/standards/mets/mets.xsd "
    f"{XLINK} http://www.loc.gov/standards/xlink/xlink.xsd "
    f"{CSIP} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd "
    f"{SIP} https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"
)
CONTENT_TYPE = "arkivlucka-arkivredovisning-1.0"
OTHER_TYPE = "Arkivredovisning av informationsförlust"
CHECKSUM_TYPE = "SHA-256"


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file as METS lists it: path relative to the METS file, type, size, time, SHA-256."""

    rel: str
    group: str
    mimetype: str
    size: int
    created: str
    checksum: str


@dataclass(frozen=True)
class Header:
    """What the METS header says: identity, time, software, agents and delivery references."""

    objid: str
    label: str | None
    created: str
    tool_name: str
    tool_version: str
    settings: PackageSettings
    archival_creators: tuple[Agent, ...] = ()
    submitter: Agent = field(default_factory=Agent)
    #: set when the package was sealed without validation against the official schemas
    unvalidated_note: str | None = None


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def add_mets(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    prefixes: dict[str, str] | None = None,
    /,
    **attrs: str | None,
) -> etree._Element:
    """Append ``<mets:tag>``; ``prefix_NAME`` attributes go in that prefix's namespace.

    Attributes whose value is None are left out. ``prefixes`` maps prefixes to namespaces
    (the FGS 1.2 writer adds its ``ext`` prefix).
    """
    el = etree.SubElement(parent, _q(METS, tag))
    for key, value in attrs.items():
        if value is not None:
            el.set(_attr(key, prefixes or NSMAP), value)
    if text is not None:
        el.text = text
    return el


def _m(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    return add_mets(parent, tag, text, **attrs)


def _attr(key: str, prefixes: dict[str, str]) -> str:
    prefix, _, name = key.rpartition("_")
    if prefix in prefixes and name:
        return _q(prefixes[prefix], name.replace("-", ""))
    return key


def href(rel: str) -> str:
    """Return the xlink:href URL for a relative path (percent-encoded, slashes kept)."""
    if _PLAIN.match(rel):  # what quote leaves as it is: most paths (and cheaper to test)
        return rel
    return quote(rel, safe="/")


_PLAIN = re.compile(r"[A-Za-z0-9_.~/-]*\Z")


def _root(header: Header, objid: str, label: str | None) -> etree._Element:
    root = etree.Element(_q(METS, "mets"), nsmap=NSMAP)
    root.set(_q(XSI, "schemaLocation"), SCHEMA_LOCATION)
    root.set("OBJID", objid)
    if label:
        root.set("LABEL", label)
    root.set("TYPE", "Other")
    root.set(_q(CSIP, "OTHERTYPE"), OTHER_TYPE)
    root.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
    root.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    return root


def _org(hdr: etree._Element, role: str, agent: Agent, other_role: str | None = None) -> None:
    if not agent.name:
        return
    el = _m(hdr, "agent", ROLE=role, OTHERROLE=other_role, TYPE="ORGANIZATION")
    _m(el, "name", agent.name)
    if agent.id:
        _m(el, "note", agent.id, csip_NOTETYPE="IDENTIFICATIONCODE")


def _header(root: etree._Element, header: Header, *, full: bool) -> None:
    hdr = _m(
        root,
        "metsHdr",
        CREATEDATE=header.created,
        LASTMODDATE=header.created,
        RECORDSTATUS="NEW",
        csip_OAISPACKAGETYPE="SIP",
    )
    sw = _m(hdr, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _m(sw, "name", header.tool_name)
    _m(sw, "note", header.tool_version, csip_NOTETYPE="SOFTWARE VERSION")
    if header.unvalidated_note:
        check = _m(
            hdr, "agent", ROLE="OTHER", OTHERROLE="VALIDATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
        )
        _m(check, "name", header.tool_name)
        _m(check, "note", header.unvalidated_note)
    if not full:
        return
    for creator in header.archival_creators:
        _org(hdr, "ARCHIVIST", creator)
    _org(hdr, "OTHER", header.submitter, "SUBMITTER")
    _org(hdr, "PRESERVATION", header.settings.preservation)
    if header.settings.submission_agreement:
        _m(hdr, "altRecordID", header.settings.submission_agreement, TYPE="SUBMISSIONAGREEMENT")
    if header.settings.reference_code:
        _m(hdr, "altRecordID", header.settings.reference_code, TYPE="REFERENCECODE")


def _md_ref(
    parent: etree._Element, entry: FileEntry, mdtype: str, other: str | None, label: str | None
) -> None:
    _m(
        parent, "mdRef", LOCTYPE="URL", xlink_type="simple", xlink_href=href(entry.rel),
        MDTYPE=mdtype, OTHERMDTYPE=other, MIMETYPE=entry.mimetype, SIZE=str(entry.size),
        CREATED=entry.created, CHECKSUM=entry.checksum, CHECKSUMTYPE=CHECKSUM_TYPE, LABEL=label,
    )  # fmt: skip


def _file_grp(
    sec: etree._Element,
    use: str,
    ident: str,
    files: Iterable[FileEntry],
    prefix: str,
    cit: bool = False,
) -> int:
    grp = _m(sec, "fileGrp", USE=use, ID=ident)
    if cit:
        grp.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
        grp.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    count = 0
    file_tag, flocat_tag = _q(METS, "file"), _q(METS, "FLocat")
    xtype, xhref = _q(XLINK, "type"), _q(XLINK, "href")
    for entry in files:
        count += 1
        f = etree.SubElement(
            grp, file_tag,
            {
                "ID": f"{prefix}{count:06d}", "MIMETYPE": entry.mimetype, "SIZE": str(entry.size),
                "CREATED": entry.created, "CHECKSUM": entry.checksum, "CHECKSUMTYPE": CHECKSUM_TYPE,
            },
        )  # fmt: skip
        etree.SubElement(f, flocat_tag, {"LOCTYPE": "URL", xtype: "simple", xhref: href(entry.rel)})
    return count


def package_mets(
    header: Header, files: list[FileEntry], rep_mets: FileEntry, rep: str
) -> etree._Element:
    """Return the package ``METS.xml``: header, dmdSec/amdSec refs, fileSec, CSIP structMap."""
    root = _root(header, header.objid, header.label)
    _header(root, header, full=True)
    by_group: dict[str, list[FileEntry]] = {}
    for entry in files:
        by_group.setdefault(entry.group, []).append(entry)
    dmd_ids = []
    for n, entry in enumerate(by_group.get("descriptive", []), 1):
        sec = _m(root, "dmdSec", ID=f"dmd-{n:04d}", CREATED=entry.created, STATUS="CURRENT")
        eac = entry.rel.endswith("/eac-cpf.xml")
        _md_ref(sec, entry, "EAC-CPF" if eac else "OTHER", None if eac else CONTENT_TYPE, None)
        dmd_ids.append(f"dmd-{n:04d}")
    amd = _m(root, "amdSec")
    adm_ids = []
    for n, entry in enumerate(by_group.get("preservation", []), 1):
        sec = _m(amd, "digiprovMD", ID=f"digiprov-{n:04d}", STATUS="CURRENT")
        _md_ref(sec, entry, "PREMIS", None, None)
        adm_ids.append(f"digiprov-{n:04d}")
    sec = _m(root, "fileSec", ID="filesec")
    _file_grp(sec, "Documentation", "grp-documentation", by_group.get("documentation", []), "doc-")
    _file_grp(sec, "Schemas", "grp-schemas", by_group.get("schemas", []), "xsd-")
    rep_files = [rep_mets, *by_group.get("representation", [])]
    _file_grp(sec, f"Representations/{rep}", f"grp-{rep}", rep_files, f"{rep}-", cit=True)
    smap = _m(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP", ID="structmap-csip")
    top = _m(smap, "div", ID="div-package", LABEL=header.objid)
    _m(
        top,
        "div",
        ID="div-metadata",
        LABEL="Metadata",
        ADMID=" ".join(adm_ids) or None,
        DMDID=" ".join(dmd_ids) or None,
    )
    _m(
        _m(top, "div", ID="div-documentation", LABEL="Documentation"),
        "fptr",
        FILEID="grp-documentation",
    )
    _m(_m(top, "div", ID="div-schemas", LABEL="Schemas"), "fptr", FILEID="grp-schemas")
    reps = _m(top, "div", ID="div-representations", LABEL="Representations")
    _m(reps, "fptr", FILEID=f"grp-{rep}")
    sub = _m(reps, "div", ID=f"div-{rep}", LABEL=f"Representations/{rep}")
    _m(
        sub,
        "mptr",
        LOCTYPE="URL",
        xlink_type="simple",
        xlink_href=href(rep_mets.rel),
        xlink_title=f"grp-{rep}",
    )
    return root


def representation_mets(header: Header, rep: str, data: list[FileEntry]) -> etree._Element:
    """Return ``representations/<rep>/METS.xml`` listing the data files (paths relative to it)."""
    root = _root(header, rep, None)
    _header(root, header, full=False)
    if data:
        sec = _m(root, "fileSec", ID=f"{rep}-filesec")
        _file_grp(sec, "Data", f"{rep}-grp-data", data, f"{rep}-data-")
    smap = _m(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP", ID=f"{rep}-structmap")
    top = _m(smap, "div", ID=f"{rep}-div", LABEL=rep)
    # CSIP88: a Metadata division, 1..1, even when the representation has no metadata
    _m(top, "div", ID=f"{rep}-div-metadata", LABEL="Metadata")
    sub = _m(top, "div", ID=f"{rep}-div-data", LABEL="Data")
    if data:
        _m(sub, "fptr", FILEID=f"{rep}-grp-data")
    return root
