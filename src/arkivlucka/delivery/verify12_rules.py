"""Verify stage, FGS Paketstruktur 1.2 rules: what ``sip.xml`` must say, each finding named by rule.

Each finding is named ``FGS12-<field>`` by the field or rule it checks (see ``docs/verify.md``);
fixity and file presence are checked by ``verify12``.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery.fgs12 import EXT, PROFILES_12
from arkivlucka.delivery.reader import PackageReader
from arkivlucka.xmldoc.namespaces import METS, XLINK
from arkivlucka.xmldoc.parse import line_of

#: the names a 1.2 METS file has at the package root (ESSArch, FGSBuddy, municipal scripts)
METS_NAMES = ("sip.xml", "mets.xml")
NS = {"mets": METS, "xlink": XLINK, "ext": EXT}
FILE_ATTRS = ("ID", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE")
HREF = f"{{{XLINK}}}href"


class Ref(NamedTuple):
    """One file ``sip.xml`` names: package path, size, checksum and type, where it is said."""

    path: str
    size: str | None
    checksum: str | None
    checksum_type: str | None
    line: int | None


def mets_name(reader: PackageReader) -> str | None:
    """The 1.2 METS file of the package, if it has one at its root (and no ``METS.xml``).

    ``sip.xml`` always; ``mets.xml`` (ESSArch's name) when it uses the 1.2 extension or
    profile, so a CSIP package whose ``METS.xml`` was renamed is still told so.
    """
    if reader.has("sip.xml"):
        return "sip.xml"
    if reader.has("mets.xml"):
        try:
            head = reader.read("mets.xml")[:65536]
        except Exception:  # unreadable: verify as 1.2 and report it there
            return "mets.xml"
        if b'"ExtensionMETS"' in head or b"CommonSpecificationSwedenPackageProfile" in head:
            return "mets.xml"
    return None


def _agent(hdr: etree._Element, role: str, kind: str, other: str | None = None) -> list[etree._Element]:  # fmt: skip
    found = []
    for el in hdr.iterfind("mets:agent", NS):
        if (
            el.get("ROLE") == role
            and el.get("TYPE") == kind
            and (other is None or other in (el.get("OTHERTYPE"), el.get("OTHERROLE")))
        ):
            found.append(el)
    return found


def _root_rules(root: etree._Element, name: str) -> list[Finding]:
    out: list[Finding] = []
    line = line_of(root)
    profile = root.get("PROFILE")
    if profile not in PROFILES_12:
        out.append(
            error(
                "FGS12-PROFILE",
                f"mets/@PROFILE is {profile!r}, not the FGS 1.2 profile "
                f"{PROFILES_12[0]} (or ESSArch's /version12/ spelling)",
                file=name,
                line=line,
            )
        )
    objid = root.get("OBJID") or ""
    if not objid:
        out.append(error("FGS12-OBJID", "mets/@OBJID is missing", file=name, line=line))
    elif objid[:5].upper() not in ("UUID:", "GUID:"):
        out.append(
            warning(
                "FGS12-OBJID",
                f"mets/@OBJID '{objid}' does not start with UUID: or GUID:",
                file=name,
                line=line,
            )
        )
    if not root.get("TYPE"):
        out.append(
            error(
                "FGS12-TYPE", "mets/@TYPE (the information type) is missing", file=name, line=line
            )
        )
    return out


def _header_rules(root: etree._Element, name: str) -> list[Finding]:
    hdr = root.find("mets:metsHdr", NS)
    if hdr is None:
        return [error("FGS12-METSHDR", "no metsHdr", file=name, line=line_of(root))]
    out: list[Finding] = []
    line = line_of(hdr)

    def need(code: str, message: str, severe: bool = True) -> None:
        out.append((error if severe else warning)(code, message, file=name, line=line))

    if not hdr.get("CREATEDATE"):
        need("FGS12-CREATEDATE", "metsHdr/@CREATEDATE is missing")
    status = hdr.get(f"{{{EXT}}}OAISSTATUS")
    if status is None:
        need("FGS12-OAISSTATUS", "metsHdr/@ext:OAISSTATUS is missing (SIP for a submission)")
    elif status != "SIP":
        need("FGS12-OAISSTATUS", f"metsHdr/@ext:OAISSTATUS is '{status}', not SIP", False)
    archivists = [a for a in _agent(hdr, "ARCHIVIST", "ORGANIZATION") if a.findtext("mets:name", namespaces=NS)]  # fmt: skip
    if not archivists:
        need("FGS12-ARCHIVIST", "no agent ARCHIVIST/ORGANIZATION (the records creator) with a name")
    for agent in archivists:
        if not (agent.findtext("mets:note", namespaces=NS) or "").strip():
            need(
                "FGS12-ARCHIVIST",
                f"the records creator '{agent.findtext('mets:name', namespaces=NS)}' has no "
                "identification code (agent/note)",
                False,
            )
    if not _agent(hdr, "CREATOR", "ORGANIZATION"):
        need("FGS12-CREATOR", "no agent CREATOR/ORGANIZATION (the delivering organisation)")
    if not _agent(hdr, "CREATOR", "OTHER", "SOFTWARE"):
        need("FGS12-SOFTWARE", "no agent CREATOR/OTHER/SOFTWARE (the packaging software)", False)
    kinds = {el.get("TYPE"): el for el in hdr.iterfind("mets:altRecordID", NS)}
    if not (kinds.get("SUBMISSIONAGREEMENT") is not None and kinds["SUBMISSIONAGREEMENT"].text):
        need("FGS12-SUBMISSIONAGREEMENT", "no altRecordID SUBMISSIONAGREEMENT", False)
    doc_id = (hdr.findtext("mets:metsDocumentID", namespaces=NS) or "").strip()
    if doc_id != name.rpartition("/")[2]:
        shown = f"'{doc_id}'" if doc_id else "missing"
        need("FGS12-METSDOCUMENTID", f"metsDocumentID is {shown}, not '{name}'", False)
    return out


def _file_rules(root: etree._Element, name: str) -> list[Finding]:
    out: list[Finding] = []
    ids: set[str] = set()
    for f in root.iterfind("mets:fileSec//mets:file", NS):
        line = line_of(f)
        ids.add(f.get("ID") or "")
        missing = [a for a in FILE_ATTRS if not f.get(a)]
        if missing:
            out.append(
                error(
                    "FGS12-FILE",
                    f"file {f.get('ID') or '(no ID)'} lacks {', '.join(missing)}",
                    file=name,
                    line=line,
                )
            )
        if not f.get(f"{{{EXT}}}ORIGINALFILENAME"):
            out.append(
                warning(
                    "FGS12-ORIGINALFILENAME",
                    f"file {f.get('ID')} has no ext:ORIGINALFILENAME",
                    file=name,
                    line=line,
                )
            )
        out += _flocat(f, name)
    out += _structmap(root, name, ids)
    refs = [
        m
        for m in root.iterfind("mets:amdSec/mets:digiprovMD/mets:mdRef", NS)
        if m.get("MDTYPE") == "PREMIS"
    ]
    if not refs:
        out.append(
            error(
                "FGS12-PREMIS",
                "no amdSec/digiprovMD/mdRef with MDTYPE PREMIS",
                file=name,
                line=line_of(root),
            )
        )
    return out


def _flocat(f: etree._Element, name: str) -> list[Finding]:
    locs = f.findall("mets:FLocat", NS)
    if not locs:
        return [
            error("FGS12-FLOCAT", f"file {f.get('ID')} has no FLocat", file=name, line=line_of(f))
        ]
    out = []
    for loc in locs:
        href = loc.get(HREF) or ""
        if loc.get("LOCTYPE") != "URL" or not href:
            out.append(
                error(
                    "FGS12-FLOCAT",
                    f"file {f.get('ID')}: FLocat needs LOCTYPE URL and an xlink:href",
                    file=name,
                    line=line_of(loc),
                )
            )
        elif not href.startswith("file:///"):
            out.append(
                warning(
                    "FGS12-FLOCAT",
                    f"file {f.get('ID')}: xlink:href '{href}' does not start with file:///",
                    file=name,
                    line=line_of(loc),
                )
            )
    return out


def _structmap(root: etree._Element, name: str, ids: set[str]) -> list[Finding]:
    smap = root.find("mets:structMap", NS)
    if smap is None:
        return [error("FGS12-STRUCTMAP", "no structMap", file=name, line=line_of(root))]
    out = []
    pointed = set()
    for fptr in smap.iterfind(".//mets:fptr", NS):
        target = fptr.get("FILEID") or ""
        pointed.add(target)
        if target not in ids:
            out.append(
                error(
                    "FGS12-STRUCTMAP",
                    f"fptr FILEID '{target}' names no file",
                    file=name,
                    line=line_of(fptr),
                )
            )
    for ident in sorted(ids - pointed):
        out.append(
            error(
                "FGS12-STRUCTMAP",
                f"file {ident} is in no structMap div (no fptr)",
                file=name,
                line=line_of(smap),
            )
        )
    return out


def check_sip(root: etree._Element, name: str) -> list[Finding]:
    """The FGS Paketstruktur 1.2 rules on a parsed ``sip.xml``; findings named by rule."""
    return _root_rules(root, name) + _header_rules(root, name) + _file_rules(root, name)


def refs(root: etree._Element) -> list[Ref]:
    """Every file ``sip.xml`` names (files and metadata references), by package path."""
    out = []
    for el in root.iterfind("mets:fileSec//mets:file/mets:FLocat", NS):
        owner = el.getparent()
        assert owner is not None
        out.append(_ref(el, owner))
    for el in root.iterfind("mets:amdSec/*/mets:mdRef", NS):
        out.append(_ref(el, el))
    out += [_ref(el, el) for el in root.iterfind("mets:dmdSec/mets:mdRef", NS)]
    return [r for r in out if r.path]


def _ref(el: etree._Element, owner: etree._Element) -> Ref:
    href = el.get(HREF) or ""
    rel = unquote(href)
    for prefix in ("file:///", "file:", "./"):
        rel = rel.removeprefix(prefix)
    return Ref(
        rel, owner.get("SIZE"), owner.get("CHECKSUM"), owner.get("CHECKSUMTYPE"), line_of(el)
    )
