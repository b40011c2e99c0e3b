"""Every checked CSIP/SIP requirement: requirement id → mutation of the template → finding.

The template (``csip_template``) is a minimal complete E-ARK SIP 2.1.0 package that passes
with no finding at all; each case breaks one requirement and expects the finding named by its
id, with the severity of its level (E error, W warning, I information).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support.csip_template import (
    at,
    build,
    chain,
    del_attr,
    duplicate,
    remove,
    set_attr,
)

R = "/mets:mets"
H = f"{R}/mets:metsHdr"
SW = f"{H}/mets:agent[1]"
ARCH, SUBM, CONTACT, PRES = (f"{H}/mets:agent[{i}]" for i in (2, 3, 4, 5))
DMD = f"{R}/mets:dmdSec"
SECS = {
    "dmd": f"{DMD}",
    "digiprov": f"{R}/mets:amdSec/mets:digiprovMD",
    "rights": f"{R}/mets:amdSec/mets:rightsMD",
}
FILES = {"dmd": "metadata/descriptive/dc.xml", "digiprov": "metadata/preservation/premis.xml",
         "rights": "metadata/other/rights.txt"}  # fmt: skip
GRP_DOC = f"{R}/mets:fileSec/mets:fileGrp[@USE='Documentation']"
GRP_XSD = f"{R}/mets:fileSec/mets:fileGrp[@USE='Schemas']"
GRP_REP = f"{R}/mets:fileSec/mets:fileGrp[@USE='Representations/rep1']"
FILE = f"{GRP_DOC}/mets:file"
SMAP = f"{R}/mets:structMap"
MAIN = f"{SMAP}/mets:div"
DIV = {label: f"{MAIN}/mets:div[@LABEL='{label}']" for label in ("Metadata", "Documentation", "Schemas", "Representations/rep1")}  # fmt: skip
MPTR = f"{DIV['Representations/rep1']}/mets:mptr"


def schemas() -> Path | None:
    """The official schemas and vocabularies: the installed ones (the usual lookup)."""
    return None


def insert(xpath: str, xml: str, *, first: bool = False) -> Callable[[Any], None]:
    """A mutation: append (or prepend) an XML fragment to the element at ``xpath``."""
    from lxml import etree

    def edit(root: Any) -> None:
        el = at(root, xpath)
        frag = etree.fromstring(
            f'<w xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">{xml}</w>'
        )[0]
        if first:
            el.insert(0, frag)
        else:
            el.append(frag)

    return edit


def after(fn: Callable[[Path], None]) -> dict[str, Any]:
    return {"after": fn}


def rename(src: str, dst: str) -> Callable[[Path], None]:
    return lambda pkg: (pkg / src).rename(pkg / dst)


def delete(rel: str) -> Callable[[Path], None]:
    return lambda pkg: (pkg / rel).unlink()


def write(rel: str, data: bytes) -> Callable[[Path], None]:
    def edit(pkg: Path) -> None:
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_bytes(data)

    return edit


REPS_DIV = '<mets:div ID="div-reps" LABEL="Representations"><mets:fptr FILEID="{0}"/></mets:div>'


# fmt: off
def _md_cases() -> list[tuple[str, str, str, dict[str, Any]]]:
    """The same rules for the dmdSec, digiprovMD and rightsMD references."""
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    ids = {"dmd": (18, 20, 21, 22), "digiprov": (33, 34, 35, 36), "rights": (46, 47, 48, 49)}
    for sec, (id_n, status_n, ref_n, first) in ids.items():
        x, ref = SECS[sec], f"{SECS[sec]}/mets:mdRef"
        n = [f"CSIP{first + i}" for i in range(9)]
        out += [
            (f"{sec}-no-id", f"CSIP{id_n}", "E", {"mets": del_attr(x, "ID")}),
            (f"{sec}-status-bad", f"CSIP{status_n}", "E", {"mets": set_attr(x, "STATUS", "OLD")}),
            (f"{sec}-status-missing", f"CSIP{status_n}", "W", {"mets": del_attr(x, "STATUS")}),
            (f"{sec}-no-mdref", f"CSIP{ref_n}", "W", {"mets": remove(ref)}),
            (f"{sec}-loctype", n[0], "E", {"mets": set_attr(ref, "LOCTYPE", "OTHER")}),
            (f"{sec}-xlink-type", n[1], "E", {"mets": set_attr(ref, "xlink:type", "locator")}),
            (f"{sec}-no-href", n[2], "E", {"mets": del_attr(ref, "xlink:href")}),
            (f"{sec}-file-missing", n[2], "E", after(delete(FILES[sec]))),
            (f"{sec}-no-mdtype", n[3], "E", {"mets": del_attr(ref, "MDTYPE")}),
            (f"{sec}-no-mimetype", n[4], "E", {"mets": del_attr(ref, "MIMETYPE")}),
            (
                f"{sec}-mimetype-not-iana",
                n[4],
                "E",
                {"mets": set_attr(ref, "MIMETYPE", "application/x-nonsense")},
            ),
            (f"{sec}-no-size", n[5], "E", {"mets": del_attr(ref, "SIZE")}),
            (f"{sec}-wrong-size", n[5], "E", {"mets": set_attr(ref, "SIZE", "3")}),
            (f"{sec}-no-created", n[6], "E", {"mets": del_attr(ref, "CREATED")}),
            (f"{sec}-no-checksum", n[7], "E", {"mets": del_attr(ref, "CHECKSUM")}),
            (f"{sec}-wrong-checksum", n[7], "E", {"mets": set_attr(ref, "CHECKSUM", "0" * 64)}),
            (f"{sec}-no-checksumtype", n[8], "E", {"mets": del_attr(ref, "CHECKSUMTYPE")}),
            (
                f"{sec}-checksumtype-crc",
                n[8],
                "E",
                {"mets": set_attr(ref, "CHECKSUMTYPE", "CRC32")},
            ),
        ]
    out.append(("dmd-no-created", "CSIP19", "E", {"mets": del_attr(DMD, "CREATED")}))
    out.append(("dmd-id-twice", "CSIP18", "E", {"mets": duplicate(DMD)}))
    return out


CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("no-objid", "CSIP1", "E", {"mets": del_attr(R, "OBJID")}),
    ("type-not-in-vocabulary", "CSIP2", "E", {"mets": set_attr(R, "TYPE", "Datasetz")}),
    ("no-type", "CSIP2", "E", {"mets": del_attr(R, "TYPE")}),
    ("type-other-without-othertype", "CSIP3", "E", {"mets": set_attr(R, "TYPE", "Other")}),
    ("type-OTHER-without-othertype", "CSIP2", "E", {"mets": set_attr(R, "TYPE", "OTHER")}),
    (
        "cit-not-in-vocabulary",
        "CSIP4",
        "E",
        {"mets": set_attr(R, "csip:CONTENTINFORMATIONTYPE", "FOO")},
    ),
    ("rep-without-cit", "CSIP4", "W", {"rep": del_attr(R, "csip:CONTENTINFORMATIONTYPE")}),
    (
        "cit-other-without-other",
        "CSIP5",
        "E",
        {"mets": del_attr(R, "csip:OTHERCONTENTINFORMATIONTYPE")},
    ),
    (
        "cit-other-without-other-is-csip4-too",
        "CSIP4",
        "E",
        {"mets": del_attr(R, "csip:OTHERCONTENTINFORMATIONTYPE")},
    ),
    ("no-profile", "CSIP6", "E", {"mets": del_attr(R, "PROFILE")}),
    ("no-metshdr", "CSIP117", "E", {"mets": remove(H)}),
    ("two-metshdr", "CSIP117", "E", {"mets": duplicate(H)}),
    ("no-createdate", "CSIP7", "E", {"mets": del_attr(H, "CREATEDATE")}),
    ("no-lastmoddate", "CSIP8", "W", {"mets": del_attr(H, "LASTMODDATE")}),
    ("lastmoddate-in-future", "CSIP8", "E", {"mets": set_attr(H, "LASTMODDATE", "2999-01-18T12:00:00")}),
    ("lastmoddate-before-createdate", "CSIP8", "E", {"mets": set_attr(H, "LASTMODDATE", "2020-01-01T00:00:00Z")}),
    ("createdate-in-future", "CSIP7", "E", {"mets": set_attr(H, "CREATEDATE", "2999-01-18T12:00:00+01:00")}),
    ("no-package-type", "CSIP9", "E", {"mets": del_attr(H, "csip:OAISPACKAGETYPE")}),
    (
        "package-type-not-in-vocabulary",
        "CSIP9",
        "E",
        {"mets": set_attr(H, "csip:OAISPACKAGETYPE", "XIP")},
    ),
    ("no-agents", "CSIP10", "E", {"mets": remove(f"{H}/mets:agent")}),
    ("software-agent-role", "CSIP11", "E", {"mets": set_attr(SW, "ROLE", "EDITOR")}),
    ("software-agent-type", "CSIP12", "E", {"mets": set_attr(SW, "TYPE", "INDIVIDUAL")}),
    ("software-agent-othertype", "CSIP13", "E", {"mets": set_attr(SW, "OTHERTYPE", "HUMAN")}),
    ("software-agent-no-name", "CSIP14", "E", {"mets": remove(f"{SW}/mets:name")}),
    ("software-agent-no-note", "CSIP15", "E", {"mets": remove(f"{SW}/mets:note")}),
    ("software-agent-no-note-no-notetype", "CSIP16", "E", {"mets": remove(f"{SW}/mets:note")}),
    (
        "software-agent-note-type",
        "CSIP16",
        "E",
        {"mets": del_attr(f"{SW}/mets:note", "csip:NOTETYPE")},
    ),
    ("rep-software-agent-othertype", "CSIP13", "E", {"rep": set_attr(SW, "OTHERTYPE", "HUMAN")}),
    ("second-creator-other-agent-without-othertype", "CSIP13", "W", {"mets": insert(H, '<mets:agent ROLE="CREATOR" TYPE="OTHER"><mets:name>Skanningsstation 3</mets:name></mets:agent>', first=True)}),
    ("mistyped-software-agent-no-note", "CSIP15", "E", {"mets": chain(set_attr(SW, "OTHERTYPE", "HUMAN"), remove(f"{SW}/mets:note"))}),
    ("mistyped-software-agent-no-name", "CSIP14", "E", {"mets": chain(set_attr(SW, "OTHERTYPE", "HUMAN"), remove(f"{SW}/mets:name"))}),
    ("no-dmdsec", "CSIP17", "W", {"mets": remove(DMD)}),
    ("dmdsec-two-mdrefs", "CSIP21", "W", {"mets": duplicate(f"{DMD}/mets:mdRef")}),
    ("dmdsec-mdwrap-instead-of-mdref", "CSIP21", "W", {"mets": chain(remove(f"{DMD}/mets:mdRef"), insert(DMD, '<mets:mdWrap MDTYPE="DC"><mets:xmlData><title>x</title></mets:xmlData></mets:mdWrap>'))}),
    ("digiprov-mdwrap-instead-of-mdref", "CSIP35", "W", {"mets": chain(remove(f"{R}/mets:amdSec/mets:digiprovMD/mets:mdRef"), insert(f"{R}/mets:amdSec/mets:digiprovMD", '<mets:mdWrap MDTYPE="PREMIS"><mets:xmlData><x/></mets:xmlData></mets:mdWrap>'))}),
    ("descriptive-files-without-dmdsec", "CSIP17", "E", {"mets": remove(DMD)}),
    ("dmdsec-without-descriptive-files", "CSIP17", "W", {"mets": set_attr(f"{DMD}/mets:mdRef", "xlink:href", "metadata/dc.xml"), **after(rename("metadata/descriptive/dc.xml", "metadata/dc.xml"))}),
    ("preservation-files-without-amdsec", "CSIP31", "E", {"mets": remove(f"{R}/mets:amdSec")}),
    ("amdsec-without-preservation-files", "CSIP31", "W", {"mets": set_attr(f"{SECS['digiprov']}/mets:mdRef", "xlink:href", "metadata/premis.xml"), **after(rename("metadata/preservation/premis.xml", "metadata/premis.xml"))}),
    ("package-without-cit", "CSIP4", "W", {"mets": chain(del_attr(R, "csip:CONTENTINFORMATIONTYPE"), del_attr(R, "csip:OTHERCONTENTINFORMATIONTYPE"))}),
    ("other-cit-without-other", "CSIP5", "E", {"mets": set_attr(R, "csip:CONTENTINFORMATIONTYPE", "ERMS")}),
    ("group-other-cit-without-other", "CSIP63", "E", {"mets": set_attr(GRP_REP, "csip:CONTENTINFORMATIONTYPE", "ERMS")}),
    ("two-csip-structmaps-named-csip80", "CSIP80", "E", {"mets": chain(duplicate(SMAP, "structmap-2"), set_attr(f"{SMAP}[2]/mets:div", "ID", "d2"), remove(f"{SMAP}[2]/mets:div/mets:div"))}),
    *_md_cases(),
    ("no-amdsec", "CSIP31", "W", {"mets": remove(f"{R}/mets:amdSec")}),
    ("no-digiprovmd", "CSIP32", "W", {"mets": remove(SECS["digiprov"])}),
    ("no-filesec", "CSIP58", "W", {"mets": remove(f"{R}/mets:fileSec")}),
    ("no-filesec-id", "CSIP59", "E", {"mets": del_attr(f"{R}/mets:fileSec", "ID")}),
    ("no-documentation-group", "CSIP60", "E", {"mets": remove(GRP_DOC)}),
    ("no-schemas-group", "CSIP113", "E", {"mets": remove(GRP_XSD)}),
    ("no-representations-group", "CSIP114", "E", {"mets": set_attr(GRP_REP, "USE", "Data")}),
    ("group-admid-unknown", "CSIP61", "E", {"mets": set_attr(GRP_DOC, "ADMID", "nope")}),
    (
        "rep-group-without-cit",
        "CSIP62",
        "W",
        {"mets": del_attr(GRP_REP, "csip:CONTENTINFORMATIONTYPE")},
    ),
    (
        "rep-group-cit-bad",
        "CSIP62",
        "E",
        {"mets": set_attr(GRP_REP, "csip:CONTENTINFORMATIONTYPE", "FOO")},
    ),
    (
        "rep-group-other-without-other",
        "CSIP63",
        "E",
        {"mets": del_attr(GRP_REP, "csip:OTHERCONTENTINFORMATIONTYPE")},
    ),
    ("group-no-use", "CSIP64", "E", {"mets": del_attr(GRP_XSD, "USE")}),
    (
        "group-use-not-in-vocabulary",
        "CSIP64",
        "E",
        {"mets": set_attr(GRP_DOC, "USE", "Documents")},
    ),
    (
        "group-use-no-folder",
        "CSIP64",
        "E",
        {"mets": set_attr(GRP_REP, "USE", "Representations/rep9")},
    ),
    (
        "rep-group-use-no-folder",
        "CSIP64",
        "E",
        {"rep": set_attr(f"{R}/mets:fileSec/mets:fileGrp", "USE", "Bilder")},
    ),
    ("group-no-id", "CSIP65", "E", {"mets": del_attr(GRP_XSD, "ID")}),
    ("group-empty", "CSIP66", "E", {"mets": remove(FILE)}),
    ("file-no-id", "CSIP67", "E", {"mets": del_attr(FILE, "ID")}),
    ("file-id-twice", "CSIP67", "E", {"mets": set_attr(f"{GRP_XSD}/mets:file", "ID", "file-doc")}),
    ("file-no-mimetype", "CSIP68", "E", {"mets": del_attr(FILE, "MIMETYPE")}),
    (
        "file-mimetype-not-iana",
        "CSIP68",
        "E",
        {"mets": set_attr(FILE, "MIMETYPE", "text/nonsense")},
    ),
    (
        "file-mimetype-too-long",
        "CSIP68",
        "E",
        {"mets": set_attr(FILE, "MIMETYPE", "text/plain;" + "a" * 250)},
    ),
    ("file-no-size", "CSIP69", "E", {"mets": del_attr(FILE, "SIZE")}),
    ("file-size-not-number", "CSIP69", "E", {"mets": set_attr(FILE, "SIZE", "tolv")}),
    ("file-wrong-size", "CSIP69", "E", {"mets": set_attr(FILE, "SIZE", "12")}),
    ("file-no-created", "CSIP70", "E", {"mets": del_attr(FILE, "CREATED")}),
    ("file-no-checksum", "CSIP71", "E", {"mets": del_attr(FILE, "CHECKSUM")}),
    (
        "file-changed",
        "CSIP71",
        "E",
        after(write("documentation/readme.txt", b"Testpaket!\nRad tva.\n")),
    ),
    (
        "rep-data-changed",
        "CSIP71",
        "E",
        after(write("representations/rep1/data/tabell.csv", b"namn;ar\nX;2020\n")),
    ),
    ("file-no-checksumtype", "CSIP72", "E", {"mets": del_attr(FILE, "CHECKSUMTYPE")}),
    ("file-checksumtype-crc", "CSIP72", "E", {"mets": set_attr(FILE, "CHECKSUMTYPE", "CRC32")}),
    ("file-admid-unknown", "CSIP74", "E", {"mets": set_attr(FILE, "ADMID", "nope")}),
    ("file-dmdid-unknown", "CSIP75", "E", {"mets": set_attr(FILE, "DMDID", "nope")}),
    ("file-no-flocat", "CSIP76", "E", {"mets": remove(f"{FILE}/mets:FLocat")}),
    ("file-two-flocats", "CSIP76", "E", {"mets": duplicate(f"{FILE}/mets:FLocat")}),
    (
        "flocat-loctype",
        "CSIP77",
        "E",
        {"mets": set_attr(f"{FILE}/mets:FLocat", "LOCTYPE", "OTHER")},
    ),
    (
        "flocat-xlink-type",
        "CSIP78",
        "E",
        {"mets": set_attr(f"{FILE}/mets:FLocat", "xlink:type", "locator")},
    ),
    ("flocat-no-href", "CSIP79", "E", {"mets": del_attr(f"{FILE}/mets:FLocat", "xlink:href")}),
    ("file-missing", "CSIP79", "E", after(delete("documentation/readme.txt"))),
    ("rep-file-missing", "CSIP79", "E", after(delete("representations/rep1/data/tabell.csv"))),
    ("no-structmap", "CSIP80", "E", {"mets": remove(SMAP)}),
    ("structmap-type", "CSIP81", "E", {"mets": set_attr(SMAP, "TYPE", "LOGICAL")}),
    ("structmap-label", "CSIP82", "E", {"mets": set_attr(SMAP, "LABEL", "csip")}),
    (
        "two-csip-structmaps",
        "CSIP82",
        "E",
        {
            "mets": chain(
                duplicate(SMAP, "structmap-2"),
                set_attr(f"{SMAP}[2]/mets:div", "ID", "d2"),
                remove(f"{SMAP}[2]/mets:div/mets:div"),
            )
        },
    ),
    ("structmap-no-id", "CSIP83", "E", {"mets": del_attr(SMAP, "ID")}),
    (
        "two-main-divisions",
        "CSIP84",
        "E",
        {"mets": insert(SMAP, '<mets:div ID="div-2" LABEL="x"/>')},
    ),
    ("main-division-no-id", "CSIP85", "E", {"mets": del_attr(MAIN, "ID")}),
    ("no-metadata-division", "CSIP88", "E", {"mets": remove(DIV["Metadata"])}),
    ("no-metadata-division-no-label", "CSIP90", "E", {"mets": remove(DIV["Metadata"])}),
    ("two-metadata-divisions", "CSIP88", "E", {"mets": duplicate(DIV["Metadata"], "div-md-2")}),
    ("metadata-division-no-id", "CSIP89", "E", {"mets": del_attr(DIV["Metadata"], "ID")}),
    (
        "metadata-division-label",
        "CSIP90",
        "E",
        {"mets": set_attr(DIV["Metadata"], "LABEL", "metadata")},
    ),
    (
        "metadata-division-admid-incomplete",
        "CSIP91",
        "W",
        {"mets": set_attr(DIV["Metadata"], "ADMID", "digiprov-1")},
    ),
    ("metadata-division-no-dmdid", "CSIP92", "W", {"mets": del_attr(DIV["Metadata"], "DMDID")}),
    (
        "two-documentation-divisions",
        "CSIP93",
        "W",
        {"mets": duplicate(DIV["Documentation"], "div-doc-2")},
    ),
    (
        "documentation-division-no-id",
        "CSIP94",
        "E",
        {"mets": del_attr(DIV["Documentation"], "ID")},
    ),
    (
        "documentation-division-label",
        "CSIP95",
        "E",
        {"mets": set_attr(DIV["Documentation"], "LABEL", "documentation")},
    ),
    ("no-documentation-division", "CSIP95", "E", {"mets": remove(DIV["Documentation"])}),
    (
        "documentation-division-no-fptr",
        "CSIP96",
        "E",
        {"mets": remove(f"{DIV['Documentation']}/mets:fptr")},
    ),
    (
        "documentation-fptr-wrong-group",
        "CSIP116",
        "E",
        {"mets": set_attr(f"{DIV['Documentation']}/mets:fptr", "FILEID", "grp-schemas")},
    ),
    ("two-schemas-divisions", "CSIP97", "W", {"mets": duplicate(DIV["Schemas"], "div-xsd-2")}),
    ("schemas-division-no-id", "CSIP98", "E", {"mets": del_attr(DIV["Schemas"], "ID")}),
    (
        "schemas-division-label",
        "CSIP99",
        "E",
        {"mets": set_attr(DIV["Schemas"], "LABEL", "Schema")},
    ),
    (
        "schemas-division-no-fptr",
        "CSIP100",
        "E",
        {"mets": remove(f"{DIV['Schemas']}/mets:fptr")},
    ),
    (
        "schemas-fptr-wrong-group",
        "CSIP118",
        "E",
        {"mets": set_attr(f"{DIV['Schemas']}/mets:fptr", "FILEID", "grp-doc")},
    ),
    (
        "two-representations-divisions",
        "CSIP101",
        "W",
        {
            "mets": chain(
                insert(MAIN, REPS_DIV.format("grp-rep1")),
                insert(MAIN, REPS_DIV.format("grp-rep1").replace("div-reps", "div-reps-2")),
            )
        },
    ),
    (
        "representations-division-no-id",
        "CSIP102",
        "E",
        {"mets": insert(MAIN, REPS_DIV.format("grp-rep1").replace(' ID="div-reps"', ""))},
    ),
    (
        "no-representation-division",
        "CSIP103",
        "E",
        {"mets": remove(DIV["Representations/rep1"])},
    ),
    (
        "representations-division-label",
        "CSIP103",
        "E",
        {
            "mets": insert(
                MAIN, REPS_DIV.format("grp-rep1").replace('"Representations"', '"representations"')
            )
        },
    ),
    (
        "representations-division-empty",
        "CSIP104",
        "E",
        {"mets": insert(MAIN, '<mets:div ID="div-reps" LABEL="Representations"/>')},
    ),
    (
        "representations-fptr-wrong-group",
        "CSIP119",
        "E",
        {"mets": insert(MAIN, REPS_DIV.format("grp-doc"))},
    ),
    (
        "representation-without-division",
        "CSIP105",
        "W",
        {"mets": remove(DIV["Representations/rep1"])},
    ),
    (
        "representation-division-no-id",
        "CSIP106",
        "E",
        {"mets": del_attr(DIV["Representations/rep1"], "ID")},
    ),
    (
        "representation-division-label",
        "CSIP107",
        "E",
        {"mets": set_attr(DIV["Representations/rep1"], "LABEL", "Representation/rep1")},
    ),
    (
        "representation-division-no-folder",
        "CSIP107",
        "E",
        {"mets": set_attr(DIV["Representations/rep1"], "LABEL", "Representations/rep9")},
    ),
    ("mptr-no-title", "CSIP108", "E", {"mets": del_attr(MPTR, "xlink:title")}),
    ("mptr-title-wrong-group", "CSIP108", "W", {"mets": set_attr(MPTR, "xlink:title", "grp-doc")}),
    ("no-mptr", "CSIP109", "E", {"mets": remove(MPTR)}),
    ("two-mptrs", "CSIP109", "E", {"mets": duplicate(MPTR)}),
    ("mptr-no-href", "CSIP110", "E", {"mets": del_attr(MPTR, "xlink:href")}),
    ("mptr-href-not-in-label-folder", "CSIP110", "E", {"mets": set_attr(MPTR, "xlink:href", "representations/rep2/METS.xml"), **after(write("representations/rep2/METS.xml", b"<x/>"))}),
    ("label-names-no-representation-mets", "CSIP105", "E", {"mets": set_attr(DIV["Representations/rep1"], "LABEL", "Representations/rep9")}),
    (
        "mptr-target-missing",
        "CSIP110",
        "E",
        {"mets": set_attr(MPTR, "xlink:href", "representations/rep1/METS2.xml")},
    ),
    ("mptr-xlink-type", "CSIP111", "E", {"mets": set_attr(MPTR, "xlink:type", "locator")}),
    ("mptr-loctype", "CSIP112", "E", {"mets": set_attr(MPTR, "LOCTYPE", "OTHER")}),
    ("othertype-while-type-not-other", "CSIP3", "W", {"mets": set_attr(R, "csip:OTHERTYPE", "Lager")}),
    ("software-criteria-spread-over-agents", "CSIP11", "E", {"mets": chain(set_attr(SW, "TYPE", "INDIVIDUAL"), set_attr(PRES, "TYPE", "OTHER"), set_attr(PRES, "OTHERTYPE", "SOFTWARE"), set_attr(PRES, "ROLE", "PRESERVATION"))}),
    ("group-admid-names-dmdsec", "CSIP61", "E", {"mets": set_attr(GRP_DOC, "ADMID", "dmd-1")}),
    ("file-admid-names-dmdsec", "CSIP74", "E", {"mets": set_attr(FILE, "ADMID", "dmd-1")}),
    ("file-dmdid-names-amd-section", "CSIP75", "E", {"mets": set_attr(FILE, "DMDID", "digiprov-1")}),
    ("metadata-division-admid-names-dmdsec", "CSIP91", "E", {"mets": set_attr(DIV["Metadata"], "ADMID", "digiprov-1 rights-1 dmd-1")}),
    ("metadata-division-dmdid-names-amd-section", "CSIP92", "E", {"mets": set_attr(DIV["Metadata"], "DMDID", "dmd-1 rights-1")}),
    ("rep-no-metadata-division", "CSIP88", "E", {"rep": remove(DIV["Metadata"])}),
    ("package-without-metadata-and-metadata-division", "CSIP88", "E", {"mets": chain(remove(DMD), remove(f"{R}/mets:amdSec"), remove(DIV["Metadata"]))}),
    ("empty-submission-agreement", "SIP5", "E", {"mets": insert(H, '<mets:altRecordID TYPE="SUBMISSIONAGREEMENT"/>')}),
    ("empty-previous-submission-agreement", "SIP6", "E", {"mets": insert(H, '<mets:altRecordID TYPE="PREVIOUSSUBMISSIONAGREEMENT"> </mets:altRecordID>')}),
    ("empty-reference-code", "SIP7", "E", {"mets": insert(H, '<mets:altRecordID TYPE="REFERENCECODE"/>')}),
    ("empty-previous-reference-code", "SIP8", "E", {"mets": insert(H, '<mets:altRecordID TYPE="PREVIOUSREFERENCECODE"/>')}),
    ("no-label", "SIP1", "I", {"mets": del_attr(R, "LABEL")}),
    ("no-submission-agreement", "SIP5", "I", {"mets": remove(f"{H}/mets:altRecordID[@TYPE='SUBMISSIONAGREEMENT']")}),
    ("no-reference-code", "SIP7", "I", {"mets": remove(f"{H}/mets:altRecordID[@TYPE='REFERENCECODE']")}),
    (
        "sip-profile",
        "SIP2",
        "W",
        {"mets": set_attr(R, "PROFILE", "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml")},
    ),
    ("sip-without-profile", "SIP2", "W", {"mets": del_attr(R, "PROFILE")}),
    ("record-status-bad", "SIP3", "E", {"mets": set_attr(H, "RECORDSTATUS", "BOGUS")}),
    ("sip-package-type", "SIP4", "E", {"mets": set_attr(H, "csip:OAISPACKAGETYPE", "AIP")}),
    (
        "two-submission-agreements",
        "SIP5",
        "I",
        {
            "mets": chain(
                *[
                    insert(
                        H, f'<mets:altRecordID TYPE="SUBMISSIONAGREEMENT">SA {i}</mets:altRecordID>'
                    )
                    for i in (1, 2)
                ]
            )
        },
    ),
    (
        "two-reference-codes",
        "SIP7",
        "I",
        {
            "mets": chain(
                *[
                    insert(H, f'<mets:altRecordID TYPE="REFERENCECODE">SE/{i}</mets:altRecordID>')
                    for i in (1, 2)
                ]
            )
        },
    ),
    ("two-archival-creators", "SIP9", "I", {"mets": duplicate(ARCH)}),
    ("agent-without-role", "SIP10", "E", {"mets": del_attr(ARCH, "ROLE")}),
    ("archival-creator-type", "SIP11", "E", {"mets": set_attr(ARCH, "TYPE", "OTHER")}),
    (
        "archival-creator-note-type",
        "SIP14",
        "E",
        {"mets": del_attr(f"{ARCH}/mets:note", "csip:NOTETYPE")},
    ),
    ("no-submitting-agent", "SIP15", "E", {"mets": remove(SUBM)}),
    ("two-submitting-agents", "SIP15", "E", {"mets": duplicate(SUBM)}),
    (
        "submitting-agent-type",
        "SIP17",
        "E",
        {
            "mets": chain(
                set_attr(SUBM, "ROLE", "OTHER"),
                set_attr(SUBM, "OTHERROLE", "SUBMITTER"),
                set_attr(SUBM, "TYPE", "OTHER"),
            )
        },
    ),
    ("submitting-agent-no-name", "SIP18", "I", {"mets": remove(f"{SUBM}/mets:name")}),
    (
        "submitting-agent-note-type",
        "SIP20",
        "E",
        {"mets": del_attr(f"{SUBM}/mets:note", "csip:NOTETYPE")},
    ),
    ("contact-no-name", "SIP24", "E", {"mets": remove(f"{CONTACT}/mets:name")}),
    ("two-preservation-agents", "SIP26", "I", {"mets": duplicate(PRES)}),
    ("preservation-agent-type", "SIP28", "E", {"mets": set_attr(PRES, "TYPE", "INDIVIDUAL")}),
    ("preservation-agent-no-name", "SIP29", "I", {"mets": remove(f"{PRES}/mets:name")}),
    (
        "preservation-agent-note-type",
        "SIP31",
        "E",
        {"mets": del_attr(f"{PRES}/mets:note", "csip:NOTETYPE")},
    ),
    (
        "format-key-without-registry",
        "SIP35",
        "I",
        {"mets": set_attr(FILE, "sip:FILEFORMATKEY", "fmt/101")},
    ),
    ("folder-not-objid", "CSIPSTR2", "W", {"mets": set_attr(R, "OBJID", "annat-id")}),
    ("objid-not-folder", "CSIP1", "W", {"mets": set_attr(R, "OBJID", "annat-id")}),
    ("rep-objid-not-folder", "CSIP1", "W", {"rep": set_attr(R, "OBJID", "rep2")}),
    ("mets-lower-case", "CSIPSTR4", "E", after(rename("METS.xml", "mets.xml"))),
    (
        "preservation-outside-folder",
        "CSIPSTR6",
        "W",
        {
            "mets": set_attr(f"{SECS['digiprov']}/mets:mdRef", "xlink:href", "metadata/premis.xml"),
            **after(rename("metadata/preservation/premis.xml", "metadata/premis.xml")),
        },
    ),
    (
        "descriptive-outside-folder",
        "CSIPSTR7",
        "W",
        {
            "mets": set_attr(f"{DMD}/mets:mdRef", "xlink:href", "metadata/dc.xml"),
            **after(rename("metadata/descriptive/dc.xml", "metadata/dc.xml")),
        },
    ),
    (
        "file-directly-in-representations",
        "CSIPSTR10",
        "W",
        after(write("representations/lös.txt", b"x")),
    ),
    (
        "representation-without-data",
        "CSIPSTR11",
        "W",
        after(delete("representations/rep1/data/tabell.csv")),
    ),
    (
        "representation-without-mets",
        "CSIPSTR12",
        "W",
        after(write("representations/rep2/data/x.txt", b"x")),
    ),
    ("no-schemas-folder", "CSIPSTR15", "W", after(delete("schemas/dc.xsd"))),
    ("no-documentation-folder", "CSIPSTR16", "W", after(delete("documentation/readme.txt"))),
]
# fmt: on
SEVERITY = {"E": "error", "W": "warning", "I": "info"}


@pytest.mark.parametrize(("name", "rid", "severity", "mutation"), CASES, ids=[c[0] for c in CASES])
def test_each_requirement_is_named(
    tmp_path: Path, name: str, rid: str, severity: str, mutation: dict[str, Any]
) -> None:
    from arkivlucka.delivery.verify import verify_package

    result = verify_package(build(tmp_path, **mutation), schemas())
    named = [f for f in result.findings if f.code == rid]
    assert named, [(f.code, f.message) for f in result.findings]
    assert SEVERITY[severity] in {f.severity.value for f in named}
    if severity == "E":
        assert not result.ok  # an invalid package is never accepted


def test_template_passes_with_no_finding(tmp_path: Path) -> None:
    from arkivlucka.delivery.verify import verify_package

    result = verify_package(build(tmp_path), schemas())
    assert result.findings == [] and result.ok and result.sip
    assert result.files == 8  # 7 files listed + METS.xml


def test_every_must_requirement_checked_has_a_case() -> None:
    from arkivlucka.delivery.requirements import REQUIREMENTS

    covered = {c[1] for c in CASES}
    untested = (
        {
            rid
            for rid, r in REQUIREMENTS.items()
            if r.checked and r.level == "MUST" and not r.how.startswith(("by ", "by definition"))
        }
        - covered
        - {"CSIPSTR1"}
    )  # CSIPSTR1: tests/test_verify_report.py (zips)
    assert untested == set()


def test_file_groups_each_pointed_from_its_own_representations_division(tmp_path: Path) -> None:
    """Two Representations divisions (CSIP101): a group pointed to by either is referenced."""
    from arkivlucka.delivery.verify import verify_package

    second = '<mets:fileGrp ID="grp-rep2" USE="Representations/rep1" csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="x" xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"/>'
    mutation = chain(
        insert(f"{R}/mets:fileSec", second),
        insert(MAIN, REPS_DIV.format("grp-rep1")),
        insert(MAIN, REPS_DIV.format("grp-rep2").replace("div-reps", "div-reps-2")),
    )
    result = verify_package(build(tmp_path, mets=mutation), schemas())
    codes = {f.code for f in result.findings}
    assert "CSIP101" in codes
    assert not [f for f in result.findings if f.code == "CSIP104"], result.findings


def test_a_mislabelled_metadata_division_is_named_once(tmp_path: Path) -> None:
    from arkivlucka.delivery.verify import verify_package

    pkg = build(tmp_path, mets=set_attr(DIV["Metadata"], "LABEL", "metadata"))
    found = verify_package(pkg, schemas()).findings
    assert [f.code for f in found].count("CSIP90") == 1  # its label, not again as "none"
    assert "CSIP88" in {f.code for f in found}


@pytest.mark.parametrize(
    "agent",
    [
        '<mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SCANNER"><mets:name>s</mets:name></mets:agent>',
        '<mets:agent ROLE="CREATOR" TYPE="INDIVIDUAL"><mets:name>Anna Berg</mets:name></mets:agent>',
    ],
    ids=["creator-other-saying-what-it-is", "creator-individual"],
)
def test_other_creator_agents_that_say_what_they_are_get_no_csip13(
    tmp_path: Path, agent: str
) -> None:
    """Only a CREATOR of TYPE OTHER without OTHERTYPE is doubted; the software agent is right."""
    from arkivlucka.delivery.verify import verify_package

    found = verify_package(build(tmp_path, mets=insert(H, agent, first=True)), schemas()).findings
    assert found == []  # the package stays valid (agents come first in metsHdr)


def test_a_mistyped_software_agent_is_reported_once_not_doubted_too(tmp_path: Path) -> None:
    """The software agent has another ROLE: CSIP11 says so; the other CREATOR is not doubted."""
    from arkivlucka.delivery.verify import verify_package

    other = '<mets:agent ROLE="CREATOR" TYPE="OTHER"><mets:name>s</mets:name></mets:agent>'
    mutation = chain(set_attr(SW, "ROLE", "EDITOR"), insert(H, other, first=True))
    found = verify_package(build(tmp_path, mets=mutation), schemas()).findings
    assert "CSIP11" in {f.code for f in found}
    assert not [f for f in found if f.code == "CSIP13"], found


def test_the_sip2_warning_says_where(tmp_path: Path) -> None:
    """SIP2 (a package of type SIP under the CSIP profile) names the header by file, line, path."""
    from arkivlucka.delivery.verify import verify_package

    pkg = build(
        tmp_path, mets=set_attr(R, "PROFILE", "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml")
    )
    (sip2,) = [f for f in verify_package(pkg, schemas()).findings if f.code == "SIP2"]
    assert (sip2.file, sip2.path) == ("METS.xml", "/mets:mets/mets:metsHdr")
    assert sip2.line is not None and sip2.line > 1
