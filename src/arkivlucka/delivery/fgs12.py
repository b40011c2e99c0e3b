"""Package stage, structural metadata: ``sip.xml`` of an FGS Paketstruktur 1.2 package.

FGS Paketstruktur 1.2 (Riksarkivet's RAFGS1V1.2 with the 2017-10-25 addendum) is METS 1.12 with
the ``ExtensionMETS`` attributes (prefix ``ext``). The document is built in memory from file
entries whose size, creation time and SHA-256 are known; ``package12`` writes it. Decisions
(layout, OBJID, which agents) are in ``docs/package.md``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.delivery.mets import add_mets
from arkivlucka.xmldoc.namespaces import FGS12_PROFILE, METS, XLINK, XSI

#: the extension namespace is literally this URI
EXT = "ExtensionMETS"
PROFILE_12 = FGS12_PROFILE
#: ESSArch's spelling, with /version12/ in the path; both are accepted by verify
PROFILE_12_ESSARCH = (
    "http://xml.ra.se/e-arkiv/METS/version12/CommonSpecificationSwedenPackageProfile.xml"
)
PROFILES_12 = (PROFILE_12, PROFILE_12_ESSARCH)
NSMAP = {"mets": METS, "ext": EXT, "xlink": XLINK, "xsi": XSI}
SCHEMA_LOCATION = (
    f"{METS} http://xml.ra.se/e-arkiv/METS/CSPackageMETS.xsd "
    f"{EXT} http://xml.ra.se/e-arkiv/METS/CSPackageExtensionMETS.xsd"
)
METS_FILE = "sip.xml"
CONTENT_TYPE = "arkivlucka-arkivredovisning-1.0"
#: the information type (mets/@TYPE) of documentation about an archive, from the 1.2 list
DEFAULT_TYPE = "Archival information"
CHECKSUM_TYPE = "SHA-256"
#: a fixed namespace for the UUIDs made from package names (same name → same OBJID)
OBJID_NAMESPACE = uuid.UUID("6f1d3c52-5f43-4d0e-9a59-6c1b7c4f2a12")


@dataclass(frozen=True)
class Entry12:
    """A file as ``sip.xml`` lists it: package path, original name, type, size, time, SHA-256."""

    rel: str
    original: str
    mimetype: str
    size: int
    created: str
    checksum: str


@dataclass(frozen=True)
class Header12:
    """What the 1.2 header says: identity, time, software, agents and delivery references."""

    objid: str
    label: str | None
    created: str
    tool_name: str
    tool_version: str
    settings: PackageSettings
    archival_creators: tuple[Agent, ...] = ()
    submitter: Agent = field(default_factory=Agent)
    #: the systems the records come from (ARCHIVIST/OTHER/SOFTWARE), name and version note
    source_systems: tuple[Agent, ...] = ()
    unvalidated_note: str | None = None


def objid_12(name: str) -> str:
    """The 1.2 OBJID for a package name: kept when it is ``UUID:``/``GUID:``, else a UUID of it.

    The UUID is derived from the name (version 5), so the same package name gives the same
    OBJID every run.
    """
    if name[:5].upper() in ("UUID:", "GUID:"):
        return name
    return f"UUID:{uuid.uuid5(OBJID_NAMESPACE, name)}"


def href_12(rel: str) -> str:
    """The ``xlink:href`` of a package file: ``file:///`` and the path, percent-encoded."""
    return "file:///" + quote(rel, safe="/")


def _m(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:  # fmt: skip
    return add_mets(parent, tag, text, NSMAP, **attrs)


def _agent(hdr: etree._Element, agent: Agent, role: str, kind: str, **extra: str) -> None:
    if not agent.name:
        return
    el = _m(hdr, "agent", ROLE=role, TYPE=kind, **extra)
    _m(el, "name", agent.name)
    if agent.id:
        _m(el, "note", agent.id)


def _root(header: Header12) -> etree._Element:
    s = header.settings
    root = etree.Element(f"{{{METS}}}mets", nsmap=NSMAP)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("PROFILE", PROFILE_12)
    root.set("OBJID", header.objid)
    if header.label:
        root.set("LABEL", header.label)
    root.set("TYPE", s.information_type or DEFAULT_TYPE)
    for name, value in (
        ("CONTENTTYPESPECIFICATION", s.content_type_specification or CONTENT_TYPE),
        ("SYSTEMTYPE", s.system_type),
        ("ARCHIVALNAME", s.archival_name),
        ("APPRAISAL", s.appraisal),
        ("ACCESSRESTRICT", s.access_restrict),
        ("INFORMATIONCLASS", s.information_class),
    ):
        if value:
            root.set(f"{{{EXT}}}{name}", value)
    return root


def _header(root: etree._Element, header: Header12) -> None:
    s = header.settings
    hdr = _m(
        root,
        "metsHdr",
        CREATEDATE=header.created,
        RECORDSTATUS="NEW",
        ext_OAISSTATUS="SIP",
        ext_AGREEMENTFORM=s.agreement_form,
    )
    for creator in header.archival_creators:
        _agent(hdr, creator, "ARCHIVIST", "ORGANIZATION")
    _agent(hdr, header.submitter, "CREATOR", "ORGANIZATION")
    _agent(hdr, s.producer, "OTHER", "ORGANIZATION", OTHERROLE="PRODUCER")
    _agent(hdr, header.submitter, "OTHER", "ORGANIZATION", OTHERROLE="SUBMITTER")
    _agent(hdr, s.ipowner, "IPOWNER", "ORGANIZATION")
    _agent(hdr, s.preservation, "PRESERVATION", "ORGANIZATION")
    for system in header.source_systems:
        _agent(hdr, system, "ARCHIVIST", "OTHER", OTHERTYPE="SOFTWARE")
    _agent(
        hdr,
        Agent(header.tool_name, header.tool_version),
        "CREATOR",
        "OTHER",
        OTHERTYPE="SOFTWARE",
    )
    if header.unvalidated_note:
        note = Agent(header.tool_name, header.unvalidated_note)
        _agent(hdr, note, "OTHER", "OTHER", OTHERROLE="VALIDATOR", OTHERTYPE="SOFTWARE")
    for kind, value in (
        ("SUBMISSIONAGREEMENT", s.submission_agreement),
        ("PREVIOUSSUBMISSIONAGREEMENT", s.previous_submission_agreement),
        ("REFERENCECODE", s.reference_code),
        ("PREVIOUSREFERENCECODE", s.previous_reference_code),
    ):
        if value:
            _m(hdr, "altRecordID", value, TYPE=kind)
    _m(hdr, "metsDocumentID", METS_FILE)


def _file(grp: etree._Element, entry: Entry12, ident: str) -> None:
    f = _m(
        grp, "file", ID=ident, MIMETYPE=entry.mimetype, SIZE=str(entry.size),
        CREATED=entry.created, CHECKSUM=entry.checksum, CHECKSUMTYPE=CHECKSUM_TYPE,
        ext_ORIGINALFILENAME=entry.original,
    )  # fmt: skip
    _m(f, "FLocat", LOCTYPE="URL", xlink_href=href_12(entry.rel), xlink_type="simple")


def sip_mets(header: Header12, files: Iterable[Entry12], premis: Entry12) -> etree._Element:
    """Return ``sip.xml``: root with ``ext:`` attributes, header, PREMIS ref, files, structMap."""
    root = _root(header)
    _header(root, header)
    amd = _m(root, "amdSec", ID="amdSec001")
    digi = _m(amd, "digiprovMD", ID="digiprovMD001")
    _m(
        digi, "mdRef", ID="premis001", MIMETYPE=premis.mimetype, xlink_href=href_12(premis.rel),
        LOCTYPE="URL", CREATED=premis.created, CHECKSUM=premis.checksum,
        CHECKSUMTYPE=CHECKSUM_TYPE, xlink_type="simple", MDTYPE="PREMIS",
    )  # fmt: skip
    sec = _m(root, "fileSec", ID="fileSec001")
    grp = _m(sec, "fileGrp", ID="fileGrp001")
    by_top: dict[str, list[str]] = {}
    for n, entry in enumerate(files, 1):
        ident = f"ID{n:06d}"
        _file(grp, entry, ident)
        top = entry.rel.partition("/")[0] if "/" in entry.rel else "root"
        by_top.setdefault(top, []).append(ident)
    smap = _m(root, "structMap", ID="structMap001")
    pkg = _m(smap, "div", LABEL=f"Package:{header.objid}")
    for top in sorted(by_top, key=lambda t: (t != "root", t)):
        div = _m(pkg, "div", LABEL=top)
        for ident in by_top[top]:
            _m(div, "fptr", FILEID=ident)
    return root
