"""Test helper: a minimal complete E-ARK SIP 2.1.0 package, from one template, with mutations.

``build(tmp_path, mets=..., rep=..., after=...)`` writes the package folder: ``rep`` edits the
representation METS tree before its checksum goes into the package METS, ``mets`` edits the
package METS tree after every SIZE/CHECKSUM is filled in, ``after`` edits the written folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from lxml import etree

NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
    "sip": "https://DILCIS.eu/XML/METS/SIPExtensionMETS",
}
M = "{http://www.loc.gov/METS/}"
XL = "{http://www.w3.org/1999/xlink}"
C = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
OBJID = "pkg-1"
T = "2024-03-01T10:00:00+01:00"

_ROOT = f"""<mets:mets xmlns:mets="{NS["mets"]}" xmlns:xlink="{NS["xlink"]}"
  xmlns:csip="{NS["csip"]}" xmlns:sip="{NS["sip"]}" OBJID="{{objid}}" LABEL="Testpaket"
  TYPE="Datasets" csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="test-1"
  PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml">
 <mets:metsHdr CREATEDATE="{T}" LASTMODDATE="{T}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">
  <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">
   <mets:name>testverktyg</mets:name>
   <mets:note csip:NOTETYPE="SOFTWARE VERSION">1.0</mets:note>
  </mets:agent>
  {{agents}}
  <mets:altRecordID TYPE="SUBMISSIONAGREEMENT">avtal-2024-1</mets:altRecordID>
  <mets:altRecordID TYPE="REFERENCECODE">SE/TEST/1</mets:altRecordID>
 </mets:metsHdr>"""

PACKAGE_METS = (
    _ROOT
    + f"""
 <mets:dmdSec ID="dmd-1" CREATED="{T}" STATUS="CURRENT">
  <mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="metadata/descriptive/dc.xml"
   MDTYPE="DC" MIMETYPE="application/xml" CREATED="{T}"/>
 </mets:dmdSec>
 <mets:amdSec>
  <mets:rightsMD ID="rights-1" STATUS="CURRENT">
   <mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="metadata/other/rights.txt"
    MDTYPE="OTHER" OTHERMDTYPE="text" MIMETYPE="text/plain" CREATED="{T}"/>
  </mets:rightsMD>
  <mets:digiprovMD ID="digiprov-1" STATUS="CURRENT">
   <mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="metadata/preservation/premis.xml"
    MDTYPE="PREMIS" MIMETYPE="application/xml" CREATED="{T}"/>
  </mets:digiprovMD>
 </mets:amdSec>
 <mets:fileSec ID="filesec-1">
  <mets:fileGrp ID="grp-doc" USE="Documentation">
   <mets:file ID="file-doc" MIMETYPE="text/plain" CREATED="{T}">
    <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="documentation/readme.txt"/>
   </mets:file>
  </mets:fileGrp>
  <mets:fileGrp ID="grp-schemas" USE="Schemas">
   <mets:file ID="file-xsd" MIMETYPE="application/xml" CREATED="{T}">
    <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="schemas/dc.xsd"/>
   </mets:file>
  </mets:fileGrp>
  <mets:fileGrp ID="grp-rep1" USE="Representations/rep1"
   csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="test-1">
   <mets:file ID="file-rep1-mets" MIMETYPE="application/xml" CREATED="{T}">
    <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml"/>
   </mets:file>
  </mets:fileGrp>
 </mets:fileSec>
 <mets:structMap ID="structmap-1" TYPE="PHYSICAL" LABEL="CSIP">
  <mets:div ID="div-root" LABEL="{{objid}}">
   <mets:div ID="div-md" LABEL="Metadata" DMDID="dmd-1" ADMID="digiprov-1 rights-1"/>
   <mets:div ID="div-doc" LABEL="Documentation"><mets:fptr FILEID="grp-doc"/></mets:div>
   <mets:div ID="div-schemas" LABEL="Schemas"><mets:fptr FILEID="grp-schemas"/></mets:div>
   <mets:div ID="div-rep1" LABEL="Representations/rep1">
    <mets:mptr LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml"
     xlink:title="grp-rep1"/>
   </mets:div>
  </mets:div>
 </mets:structMap>
</mets:mets>"""
)
AGENTS = """<mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">
   <mets:name>Kommunstyrelsen</mets:name>
   <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">ORG:212000-1124</mets:note>
  </mets:agent>
  <mets:agent ROLE="CREATOR" TYPE="ORGANIZATION">
   <mets:name>Trelleborgs kommun</mets:name>
   <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">ORG:212000-1124</mets:note>
  </mets:agent>
  <mets:agent ROLE="CREATOR" TYPE="INDIVIDUAL"><mets:name>Arkivarie</mets:name></mets:agent>
  <mets:agent ROLE="PRESERVATION" TYPE="ORGANIZATION">
   <mets:name>Kommunarkivet</mets:name>
   <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">ID:1</mets:note>
  </mets:agent>"""
REP_METS = (
    _ROOT
    + f"""
 <mets:fileSec ID="rep1-filesec">
  <mets:fileGrp ID="rep1-grp-data" USE="Data">
   <mets:file ID="rep1-file-1" MIMETYPE="text/csv" CREATED="{T}">
    <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="data/tabell.csv"/>
   </mets:file>
  </mets:fileGrp>
 </mets:fileSec>
 <mets:structMap ID="rep1-structmap" TYPE="PHYSICAL" LABEL="CSIP">
  <mets:div ID="rep1-div" LABEL="rep1">
   <mets:div ID="rep1-div-md" LABEL="Metadata"/>
   <mets:div ID="rep1-div-data" LABEL="Data"><mets:fptr FILEID="rep1-grp-data"/></mets:div>
  </mets:div>
 </mets:structMap>
</mets:mets>"""
)
PREMIS = b"""<?xml version="1.0" encoding="UTF-8"?>
<premis xmlns="http://www.loc.gov/premis/v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 version="3.0"><object xsi:type="intellectualEntity"><objectIdentifier>
 <objectIdentifierType>local</objectIdentifierType><objectIdentifierValue>1</objectIdentifierValue>
 </objectIdentifier></object></premis>
"""
FILES = {
    "metadata/descriptive/dc.xml": b'<?xml version="1.0"?>\n<dc xmlns="http://purl.org/dc/elements/1.1/"><title>T</title></dc>\n',
    "metadata/preservation/premis.xml": PREMIS,
    "metadata/other/rights.txt": b"Offentlig handling.\n",
    "documentation/readme.txt": b"Testpaket.\nRad tva.\n",
    "schemas/dc.xsd": b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n',
    "representations/rep1/data/tabell.csv": b"namn;ar\nDigitalisering;2020\n",
}

Edit = Callable[[etree._Element], None]


def fill_sums(root: etree._Element, base: str, files: dict[str, bytes]) -> None:
    """Put SIZE, CHECKSUM and CHECKSUMTYPE (SHA-256) on every reference to a known file."""
    for el in root.iter(f"{M}FLocat", f"{M}mdRef"):
        rel = f"{base}{el.get(XL + 'href')}"
        owner = el.getparent() if el.tag == f"{M}FLocat" else el
        if rel in files and owner is not None:
            owner.set("SIZE", str(len(files[rel])))
            owner.set("CHECKSUM", hashlib.sha256(files[rel]).hexdigest())
            owner.set("CHECKSUMTYPE", "SHA-256")


def build(
    tmp_path: Path,
    *,
    mets: Edit | None = None,
    rep: Edit | None = None,
    after: Callable[[Path], None] | None = None,
    objid: str = OBJID,
) -> Path:
    """Write the template package (with the given mutations) and return its folder."""
    files = dict(FILES)
    rep_root = etree.fromstring(REP_METS.format(objid="rep1", agents="").encode())
    fill_sums(rep_root, "representations/rep1/", files)
    if rep:
        rep(rep_root)
    files["representations/rep1/METS.xml"] = etree.tostring(
        rep_root, xml_declaration=True, encoding="UTF-8"
    )
    root = etree.fromstring(PACKAGE_METS.format(objid=objid, agents=AGENTS).encode())
    fill_sums(root, "", files)
    if mets:
        mets(root)
    files["METS.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    pkg = tmp_path / objid
    for rel, data in files.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_bytes(data)
    if after:
        after(pkg)
    return pkg


def at(root: etree._Element, xpath: str) -> etree._Element:
    """The first element at ``xpath`` (namespaces mets, xlink, csip, sip)."""
    found = root.xpath(xpath, namespaces=NS)
    assert isinstance(found, list) and found, xpath
    el = found[0]
    assert isinstance(el, etree._Element)
    return el


def qualified(attr: str) -> str:
    """``xlink:href`` → ``{http://www.w3.org/1999/xlink}href``."""
    prefix, _, local = attr.rpartition(":")
    return f"{{{NS[prefix]}}}{local}" if prefix else attr


def set_attr(xpath: str, attr: str, value: str) -> Edit:
    """A mutation: set ``attr`` on the first element at ``xpath``."""
    return lambda root: at(root, xpath).set(qualified(attr), value)


def del_attr(xpath: str, attr: str) -> Edit:
    """A mutation: remove ``attr`` from the first element at ``xpath``."""

    def edit(root: etree._Element) -> None:
        el = at(root, xpath)
        assert qualified(attr) in el.attrib, (xpath, attr)
        del el.attrib[qualified(attr)]

    return edit


def remove(xpath: str) -> Edit:
    """A mutation: remove every element at ``xpath``."""

    def edit(root: etree._Element) -> None:
        found = root.xpath(xpath, namespaces=NS)
        assert isinstance(found, list) and found, xpath
        for el in found:
            assert isinstance(el, etree._Element)
            parent = el.getparent()
            assert parent is not None
            parent.remove(el)

    return edit


def duplicate(xpath: str, new_id: str | None = None) -> Edit:
    """A mutation: repeat the first element at ``xpath`` right after it (with a fresh ID)."""

    def edit(root: etree._Element) -> None:
        from copy import deepcopy

        el = at(root, xpath)
        twin = deepcopy(el)
        if new_id and twin.get("ID"):
            twin.set("ID", new_id)
        el.addnext(twin)

    return edit


def chain(*edits: Edit) -> Edit:
    """Several mutations in order."""

    def edit(root: etree._Element) -> None:
        for e in edits:
            e(root)

    return edit
