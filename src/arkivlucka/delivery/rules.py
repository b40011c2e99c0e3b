"""Verify stage, requirements: the CSIP/SIP 2.1.0 MUSTs on a package METS, each named by its id.

A table of (id, context, test) XPath rules, written from the specification text (not copied
from the published Schematron, whose CSIP63 and SIP14 are wrong and whose rules treat every
CREATOR agent as the software agent). Vocabulary tests are done in Python.
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.xmldoc.namespaces import METS_PREFIXES as NS
from arkivlucka.xmldoc.namespaces import SIP_PROFILE

CONTENT_CATEGORIES = frozenset(
    [
        "Textual works – Print", "Textual works – Digital", "Textual works – Electronic Serials",
        "Digital Musical Composition (score-based representations)", "Photographs – Print",
        "Photographs – Digital", "Other Graphic Images – Print", "Other Graphic Images – Digital",
        "Microforms", "Audio – On Tangible Medium (digital or analog)",
        "Audio – Media-independent (digital)", "Motion Pictures – Digital and Physical Media",
        "Video – File-based and Physical Media", "Software", "Datasets", "Geospatial Data",
        "Databases", "Websites", "Collection", "Event", "Interactive resource", "Physical object",
        "Service", "Mixed", "Other",
    ]
)  # fmt: skip
CONTENT_INFORMATION_TYPES = frozenset(
    [
        "ERMS",
        "SIARD1",
        "SIARD2",
        "SIARDDK",
        "GeoData",
        "citscarchival_v1_0",
        "citserms_v2_1",
        "citspremis_v1_0",
        "citsehpj_v1_0",
        "citsehcr_v1_0",
        "citssiard_v1_0",
        "citsgeospatial_v3_0",
        "MIXED",
        "OTHER",
    ]
)
PACKAGE_TYPES = frozenset({"SIP", "AIP", "DIP", "AIU", "AIC"})
STATUSES = frozenset({"SUPERSEDED", "CURRENT"})

_ROOT = "/mets:mets"
_HDR = f"{_ROOT}/mets:metsHdr"
_SW = "mets:agent[@ROLE='CREATOR' and @TYPE='OTHER' and @OTHERTYPE='SOFTWARE']"
_MAP = f"{_ROOT}/mets:structMap[@TYPE='PHYSICAL' and @LABEL='CSIP']"
_DIV = f"{_MAP}/mets:div/mets:div"


def _md_rules(sec: str, ids: tuple[int, ...]) -> list[tuple[str, str, str, str]]:
    ref = f"{sec}/mets:mdRef"
    names = (
        "@LOCTYPE='URL'",
        "@xlink:type='simple'",
        "@xlink:href",
        "@MDTYPE",
        "@MIMETYPE",
        "@SIZE",
        "@CREATED",
        "@CHECKSUM",
        "@CHECKSUMTYPE",
    )
    texts = (
        "LOCTYPE is URL",
        "xlink:type is simple",
        "xlink:href gives the location",
        "MDTYPE is given",
        "MIMETYPE is given",
        "SIZE is given",
        "CREATED is given",
        "CHECKSUM is given",
        "CHECKSUMTYPE is given",
    )
    return [
        (f"CSIP{n}", ref, test, f"{ref.rsplit('/', 2)[-2]}/mdRef: {text}")
        for n, test, text in zip(ids, names, texts, strict=True)
    ]


#: (requirement id, context XPath, test XPath, what the requirement says)
RULES: list[tuple[str, str, str, str]] = [
    ("CSIP1", _ROOT, "normalize-space(@OBJID) != ''", "mets/@OBJID identifies the package"),
    ("CSIP6", _ROOT, "@PROFILE", "mets/@PROFILE names the profile"),
    ("SIP2", _ROOT, f"@PROFILE = '{SIP_PROFILE}'", f"mets/@PROFILE is {SIP_PROFILE}"),
    ("CSIP117", _ROOT, "count(mets:metsHdr) = 1", "one metsHdr"),
    ("CSIP7", _HDR, "@CREATEDATE", "metsHdr/@CREATEDATE gives the creation time"),
    ("CSIP9", _HDR, "@csip:OAISPACKAGETYPE", "metsHdr/@csip:OAISPACKAGETYPE gives the package type"),
    ("SIP4", _HDR, "@csip:OAISPACKAGETYPE = 'SIP'", "metsHdr/@csip:OAISPACKAGETYPE is SIP"),
    ("CSIP10", _HDR, "mets:agent", "metsHdr has an agent for the creating software"),
    ("CSIP11", _HDR, "mets:agent[@ROLE='CREATOR']", "the software agent has ROLE=CREATOR"),
    ("CSIP12", _HDR, "mets:agent[@ROLE='CREATOR' and @TYPE='OTHER']", "the software agent has TYPE=OTHER"),
    ("CSIP13", _HDR, _SW, "the software agent has OTHERTYPE=SOFTWARE"),
    ("CSIP14", f"{_HDR}/{_SW}", "count(mets:name) = 1 and normalize-space(mets:name) != ''", "the software agent has one name"),
    ("CSIP15", f"{_HDR}/{_SW}", "count(mets:note) = 1 and normalize-space(mets:note) != ''", "the software agent has one note with the version"),
    ("CSIP16", f"{_HDR}/{_SW}", "mets:note[@csip:NOTETYPE='SOFTWARE VERSION']", "the version note has csip:NOTETYPE=SOFTWARE VERSION"),
    ("SIP10", f"{_HDR}/mets:agent", "@ROLE", "every agent has a ROLE"),
    ("SIP11", f"{_HDR}/mets:agent[@ROLE='ARCHIVIST']", "@TYPE='ORGANIZATION' or @TYPE='INDIVIDUAL'", "the archival creator agent is an ORGANIZATION or INDIVIDUAL"),
    ("SIP14", f"{_HDR}/mets:agent[@ROLE='ARCHIVIST']/mets:note", "@csip:NOTETYPE='IDENTIFICATIONCODE'", "the archival creator agent's note has csip:NOTETYPE=IDENTIFICATIONCODE"),
    ("SIP17", f"{_HDR}/mets:agent[@ROLE='OTHER' and @OTHERROLE='SUBMITTER']", "@TYPE='ORGANIZATION' or @TYPE='INDIVIDUAL'", "the submitting agent is an ORGANIZATION or INDIVIDUAL"),
    ("SIP20", f"{_HDR}/mets:agent[(@ROLE='CREATOR' and @TYPE='ORGANIZATION') or (@ROLE='OTHER' and @OTHERROLE='SUBMITTER')]/mets:note", "@csip:NOTETYPE='IDENTIFICATIONCODE'", "the submitting agent's note has csip:NOTETYPE=IDENTIFICATIONCODE"),
    ("SIP24", f"{_HDR}/mets:agent[@ROLE='CREATOR' and @TYPE='INDIVIDUAL']", "normalize-space(mets:name) != ''", "the contact person agent has a name"),
    ("SIP28", f"{_HDR}/mets:agent[@ROLE='PRESERVATION']", "@TYPE='ORGANIZATION'", "the preservation agent is an ORGANIZATION"),
    ("SIP31", f"{_HDR}/mets:agent[@ROLE='PRESERVATION']/mets:note", "@csip:NOTETYPE='IDENTIFICATIONCODE'", "the preservation agent's note has csip:NOTETYPE=IDENTIFICATIONCODE"),
    ("CSIP18", f"{_ROOT}/mets:dmdSec", "@ID", "dmdSec/@ID"),
    ("CSIP19", f"{_ROOT}/mets:dmdSec", "@CREATED", "dmdSec/@CREATED"),
    *_md_rules(f"{_ROOT}/mets:dmdSec", (22, 23, 24, 25, 26, 27, 28, 29, 30)),
    ("CSIP33", f"{_ROOT}/mets:amdSec/mets:digiprovMD", "@ID", "digiprovMD/@ID"),
    *_md_rules(f"{_ROOT}/mets:amdSec/mets:digiprovMD", (36, 37, 38, 39, 40, 41, 42, 43, 44)),
    ("CSIP46", f"{_ROOT}/mets:amdSec/mets:rightsMD", "@ID", "rightsMD/@ID"),
    *_md_rules(f"{_ROOT}/mets:amdSec/mets:rightsMD", (49, 50, 51, 52, 53, 54, 55, 56, 57)),
    ("CSIP59", f"{_ROOT}/mets:fileSec", "@ID", "fileSec/@ID"),
    ("CSIP60", f"{_ROOT}/mets:fileSec", "mets:fileGrp[@USE='Documentation']", "a fileGrp USE=Documentation"),
    ("CSIP113", f"{_ROOT}/mets:fileSec", "mets:fileGrp[@USE='Schemas']", "a fileGrp USE=Schemas"),
    ("CSIP114", _ROOT, "mets:fileSec/mets:fileGrp[starts-with(@USE, 'Representations')]", "a fileGrp USE=Representations…"),
    ("CSIP64", f"{_ROOT}/mets:fileSec/mets:fileGrp", "@USE", "fileGrp/@USE"),
    ("CSIP65", f"{_ROOT}/mets:fileSec/mets:fileGrp", "@ID", "fileGrp/@ID"),
    ("CSIP66", f"{_ROOT}/mets:fileSec/mets:fileGrp", "mets:file", "fileGrp holds file elements"),
    ("CSIP67", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@ID", "file/@ID"),
    ("CSIP68", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@MIMETYPE", "file/@MIMETYPE"),
    ("CSIP69", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@SIZE", "file/@SIZE"),
    ("CSIP70", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@CREATED", "file/@CREATED"),
    ("CSIP71", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@CHECKSUM", "file/@CHECKSUM"),
    ("CSIP72", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "@CHECKSUMTYPE", "file/@CHECKSUMTYPE"),
    ("CSIP76", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file", "mets:FLocat", "file/FLocat"),
    ("CSIP77", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@LOCTYPE='URL'", "FLocat/@LOCTYPE is URL"),
    ("CSIP78", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@xlink:type='simple'", "FLocat/@xlink:type is simple"),
    ("CSIP79", f"{_ROOT}/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@xlink:href", "FLocat/@xlink:href"),
    ("CSIP80", _ROOT, "mets:structMap", "a structMap"),
    ("CSIP81", _ROOT, "mets:structMap[@TYPE='PHYSICAL']", "a structMap TYPE=PHYSICAL"),
    ("CSIP82", _ROOT, "mets:structMap[@TYPE='PHYSICAL' and @LABEL='CSIP']", "the physical structMap has LABEL=CSIP"),
    ("CSIP83", _MAP, "@ID", "structMap/@ID"),
    ("CSIP84", _MAP, "count(mets:div) = 1", "the CSIP structMap has a single div"),
    ("CSIP85", f"{_MAP}/mets:div", "@ID", "the main div has an ID"),
    ("CSIP88", f"{_MAP}/mets:div", "not(/mets:mets/mets:dmdSec or /mets:mets/mets:amdSec/*) or mets:div[@LABEL='Metadata']", "a Metadata div when there is metadata"),
    ("CSIP89", f"{_DIV}[@LABEL='Metadata']", "@ID", "Metadata div/@ID"),
    ("CSIP95", f"{_MAP}/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[@USE='Documentation']) or mets:div[@LABEL='Documentation']", "a Documentation div"),
    ("CSIP94", f"{_DIV}[@LABEL='Documentation']", "@ID", "Documentation div/@ID"),
    ("CSIP96", f"{_DIV}[@LABEL='Documentation']", "mets:fptr", "Documentation div/fptr"),
    ("CSIP116", f"{_DIV}[@LABEL='Documentation']/mets:fptr", "@FILEID = /mets:mets/mets:fileSec/mets:fileGrp[@USE='Documentation']/@ID", "fptr/@FILEID names a Documentation fileGrp"),
    ("CSIP99", f"{_MAP}/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[@USE='Schemas']) or mets:div[@LABEL='Schemas']", "a Schemas div"),
    ("CSIP98", f"{_DIV}[@LABEL='Schemas']", "@ID", "Schemas div/@ID"),
    ("CSIP100", f"{_DIV}[@LABEL='Schemas']", "mets:fptr", "Schemas div/fptr"),
    ("CSIP118", f"{_DIV}[@LABEL='Schemas']/mets:fptr", "@FILEID = /mets:mets/mets:fileSec/mets:fileGrp[@USE='Schemas']/@ID", "fptr/@FILEID names a Schemas fileGrp"),
    ("CSIP103", f"{_MAP}/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[starts-with(@USE, 'Representations')]) or mets:div[@LABEL='Representations']", "a Representations div"),
    ("CSIP102", f"{_DIV}[@LABEL='Representations']", "@ID", "Representations div/@ID"),
    ("CSIP104", f"{_DIV}[@LABEL='Representations']", "mets:fptr or mets:div", "Representations div points to its file groups"),
    ("CSIP119", f"{_DIV}[@LABEL='Representations']/mets:fptr", "@FILEID = /mets:mets/mets:fileSec/mets:fileGrp[starts-with(@USE, 'Representations')]/@ID", "fptr/@FILEID names a Representations fileGrp"),
    ("CSIP106", f"{_DIV}[@LABEL='Representations']/mets:div", "@ID", "representation div/@ID"),
    ("CSIP107", f"{_DIV}[@LABEL='Representations']/mets:div", "starts-with(@LABEL, 'Representations/')", "representation div/@LABEL is Representations/<folder>"),
    ("CSIP109", f"{_DIV}[@LABEL='Representations']/mets:div", "count(mets:mptr) = 1", "representation div has one mptr"),
    ("CSIP110", f"{_DIV}[@LABEL='Representations']/mets:div/mets:mptr", "@xlink:href", "mptr/@xlink:href"),
    ("CSIP111", f"{_DIV}[@LABEL='Representations']/mets:div/mets:mptr", "@xlink:type='simple'", "mptr/@xlink:type is simple"),
    ("CSIP112", f"{_DIV}[@LABEL='Representations']/mets:div/mets:mptr", "@LOCTYPE='URL'", "mptr/@LOCTYPE is URL"),
]  # fmt: skip

_COMPILED = [
    (rid, etree.XPath(f"{ctx}[not({test})]", namespaces=NS), text) for rid, ctx, test, text in RULES
]


def _path(node: etree._Element) -> str:
    return str(node.getroottree().getpath(node)) if isinstance(node, etree._Element) else "/"


def _vocab(root: etree._Element, file: str) -> list[Finding]:
    out: list[Finding] = []
    csip = f"{{{NS['csip']}}}"
    kind = root.get("TYPE")
    if kind not in CONTENT_CATEGORIES:
        out.append(
            error(
                "CSIP2",
                f"mets/@TYPE '{kind or ''}' is not a content category of the CSIP vocabulary",
                file=file,
                line=root.sourceline,
                path="/mets:mets/@TYPE",
            )
        )
    elif kind == "Other" and not root.get(f"{csip}OTHERTYPE"):
        out.append(
            error(
                "CSIP2",
                "mets/@TYPE is Other but csip:OTHERTYPE is missing",
                file=file,
                line=root.sourceline,
            )
        )
    cit = root.get(f"{csip}CONTENTINFORMATIONTYPE")
    if cit is not None and cit not in CONTENT_INFORMATION_TYPES:
        out.append(
            error(
                "CSIP4",
                f"csip:CONTENTINFORMATIONTYPE '{cit}' is not in the vocabulary",
                file=file,
                line=root.sourceline,
            )
        )
    if cit == "OTHER" and not root.get(f"{csip}OTHERCONTENTINFORMATIONTYPE"):
        out.append(
            error(
                "CSIP5",
                "csip:CONTENTINFORMATIONTYPE is OTHER but csip:OTHERCONTENTINFORMATIONTYPE is missing",
                file=file,
                line=root.sourceline,
            )
        )
    hdr = root.find("mets:metsHdr", NS)
    ptype = hdr.get(f"{csip}OAISPACKAGETYPE") if hdr is not None else None
    if ptype is not None and ptype not in PACKAGE_TYPES:
        out.append(
            error(
                "CSIP9",
                f"csip:OAISPACKAGETYPE '{ptype}' is not in the vocabulary",
                file=file,
                line=hdr.sourceline if hdr is not None else None,
            )
        )
    for rid, xpath in (
        ("CSIP20", "mets:dmdSec"),
        ("CSIP34", "mets:amdSec/mets:digiprovMD"),
        ("CSIP47", "mets:amdSec/mets:rightsMD"),
    ):
        for sec in root.iterfind(xpath, NS):
            status = sec.get("STATUS")
            if status is not None and status not in STATUSES:
                out.append(
                    error(
                        rid,
                        f"STATUS '{status}' is not CURRENT or SUPERSEDED",
                        file=file,
                        line=sec.sourceline,
                    )
                )
    if root.find("mets:dmdSec", NS) is None:
        out.append(
            warning("CSIP17", "no dmdSec: descriptive metadata should be referenced", file=file)
        )
    return out


def check_mets(root: etree._Element, file: str) -> list[Finding]:
    """Check a package METS against the CSIP/SIP MUST requirements; findings named by id."""
    out = _vocab(root, file)
    if etree.QName(root).localname != "mets" or etree.QName(root).namespace != NS["mets"]:
        return [
            error("CSIP1000", "the root element is not mets:mets", file=file, line=root.sourceline)
        ]
    for rid, failing, text in _COMPILED:
        nodes = failing(root)
        assert isinstance(nodes, list)
        for node in nodes:
            if isinstance(node, etree._Element):
                out.append(
                    error(
                        rid, f"{text} (not met)", file=file, line=node.sourceline, path=_path(node)
                    )
                )
    return out
