"""Verify stage, requirements: the CSIP/SIP 2.1.0 rules on one METS file, each named by its id.

Written from the specification text (not from the published Schematron, whose CSIP63 and SIP14
are wrong and whose rules treat every CREATOR agent as the software agent), in Python, one
pass per section. The root and metadata sections are here; the header in ``check_header``,
the file section and the structural map in ``check_struct``. Severity: the requirement's level for presence (MUST →
error, SHOULD → warning, MAY → info); always an error for a value outside a closed vocabulary
and for a conditional "must" of the requirement text (TYPE Other → csip:OTHERTYPE).
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.core.findings import Finding, error
from arkivlucka.delivery import vocab as V
from arkivlucka.delivery.check_context import SIP_PROFILE, XL, C, Ctx, M, blank, media_type_ok
from arkivlucka.delivery.check_header import check_header
from arkivlucka.delivery.check_struct import check_filesec, check_structmap
from arkivlucka.delivery.metsread import NotPlain, Slim
from arkivlucka.delivery.reader import ALGORITHMS
from arkivlucka.xmldoc.namespaces import METS_PREFIXES as NS


def declares_sip(root: etree._Element) -> bool:
    """Whether the package says it is an E-ARK SIP: its profile is the E-ARK SIP profile.

    A package of type SIP under the CSIP profile is a CSIP package (the E-ARK examples and
    test corpus have many); it is checked by the CSIP rules, with a SIP2 warning.
    """
    return (root.get("PROFILE") or "").strip() == SIP_PROFILE


def _root(c: Ctx) -> None:
    root = c.root
    if blank(root.get("OBJID")):
        c.add("CSIP1", "mets/@OBJID is missing or empty", root)
    kind = root.get("TYPE")
    cats = c.vocab(V.CONTENT_CATEGORY, "CSIP2")
    if kind is None:
        c.add("CSIP2", "mets/@TYPE (content category) is missing", root)
    elif cats is not None and kind not in cats:
        c.add("CSIP2", f"mets/@TYPE '{kind}' is not a CSIP content category", root, hard=True)
    if kind in ("Other", "OTHER") and blank(root.get(f"{C}OTHERTYPE")):
        for rid in ("CSIP3", "CSIP2"):
            c.add(rid, f"mets/@TYPE is {kind} but csip:OTHERTYPE is missing", root, hard=True)
    elif kind not in ("Other", "OTHER") and root.get(f"{C}OTHERTYPE") is not None:
        c.add("CSIP3", f"csip:OTHERTYPE is given but mets/@TYPE is '{kind or ''}', not OTHER", root)
    cit = root.get(f"{C}CONTENTINFORMATIONTYPE")
    cits = c.vocab(V.CONTENT_INFORMATION_TYPE, "CSIP4")
    if cit is None:
        what = "a representation METS needs" if c.rep else "the package METS should give"
        c.add("CSIP4", f"{what} csip:CONTENTINFORMATIONTYPE", root)
    elif cit is not None and cits is not None and cit not in cits:
        c.add(
            "CSIP4",
            f"csip:CONTENTINFORMATIONTYPE '{cit}' is not in the vocabulary",
            root,
            hard=True,
        )
    if cit == "OTHER" and blank(root.get(f"{C}OTHERCONTENTINFORMATIONTYPE")):
        for rid in ("CSIP5", "CSIP4"):  # the official Schematron's CSIP4 asks it too (as CSIP2)
            c.add(rid, "CONTENTINFORMATIONTYPE is OTHER but csip:OTHERCONTENTINFORMATIONTYPE is missing", root, hard=True)  # fmt: skip
    if cit != "OTHER" and root.get(f"{C}OTHERCONTENTINFORMATIONTYPE") is not None:
        c.add("CSIP5", f"csip:OTHERCONTENTINFORMATIONTYPE is given but CONTENTINFORMATIONTYPE is '{cit or ''}', not OTHER", root, hard=True)  # fmt: skip
    if blank(root.get("PROFILE")):
        c.add("CSIP6", "mets/@PROFILE is missing or empty", root)
    elif c.sip and root.get("PROFILE", "").strip() != SIP_PROFILE:
        c.add(
            "SIP2",
            f"a SIP's mets/@PROFILE must be {SIP_PROFILE}, not '{root.get('PROFILE')}'",
            root,
        )
    if c.sip and not c.rep and blank(root.get("LABEL")):
        c.info("SIP1", "the package has no name (mets/@LABEL)", root)


def md_ref(c: Ctx, ref: etree._Element, ids: tuple[str, ...]) -> None:
    """The nine attribute rules of an mdRef (LOCTYPE … CHECKSUMTYPE), ids in that order."""
    iana = c.vocab(V.IANA, ids[4])
    where = etree.QName(ref.getparent()).localname if ref.getparent() is not None else "md"
    if ref.get("LOCTYPE") != "URL":
        c.add(ids[0], f"{where}/mdRef/@LOCTYPE is '{ref.get('LOCTYPE') or ''}', not URL", ref)
    if ref.get(f"{XL}type") != "simple":
        c.add(ids[1], f"{where}/mdRef/@xlink:type is not simple", ref)
    for rid, attr in zip(ids[2:], (f"{XL}href", "MDTYPE", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE"), strict=True):  # fmt: skip
        if blank(ref.get(attr)):
            c.add(rid, f"{where}/mdRef/@{etree.QName(attr).localname} is missing", ref)
    mime, size = ref.get("MIMETYPE"), ref.get("SIZE")
    if mime and iana is not None and not media_type_ok(mime, iana):
        c.add(ids[4], f"{where}/mdRef/@MIMETYPE '{mime[:80]}' is not an IANA media type", ref)
    if size and not size.strip().isdigit():
        c.add(ids[5], f"{where}/mdRef/@SIZE '{size}' is not a number of bytes", ref)
    kind = ref.get("CHECKSUMTYPE")
    if kind and kind.strip().upper() not in ALGORITHMS:
        c.add(ids[8], f"unsupported CHECKSUMTYPE '{kind}'", ref)


_MD = {  # section: (ID, STATUS, mdRef, the nine mdRef rules)
    "dmdSec": ("CSIP18", "CSIP20", "CSIP21", tuple(f"CSIP{n}" for n in range(22, 31))),
    "digiprovMD": ("CSIP33", "CSIP34", "CSIP35", tuple(f"CSIP{n}" for n in range(36, 45))),
    "rightsMD": ("CSIP46", "CSIP47", "CSIP48", tuple(f"CSIP{n}" for n in range(49, 58))),
}


def _section(c: Ctx, sec: etree._Element, name: str, statuses: frozenset[str] | None) -> None:
    id_rule, status_rule, ref_rule, ref_rules = _MD[name]
    if blank(sec.get("ID")):
        c.add(id_rule, f"{name}/@ID is missing", sec)
    if name == "dmdSec" and blank(sec.get("CREATED")):
        c.add("CSIP19", "dmdSec/@CREATED is missing", sec)
    status = sec.get("STATUS")
    if status is None:
        c.add(status_rule, f"{name}/@STATUS is missing", sec)
    elif statuses is not None and status not in statuses:
        c.add(
            status_rule, f"{name}/@STATUS '{status}' is not CURRENT or SUPERSEDED", sec, hard=True
        )
    refs = sec.findall(f"{M}mdRef")
    if len(refs) != 1:
        wrapped = not refs and sec.find(f"{M}mdWrap") is not None
        said = "embeds its metadata (mdWrap) instead of referencing a file in metadata/" if wrapped else f"has {len(refs)} mdRef elements"  # fmt: skip
        c.add(ref_rule, f"{name} {said}; one mdRef is expected", sec)
    for ref in refs:
        md_ref(c, ref, ref_rules)


def _metadata(c: Ctx) -> None:
    statuses = c.vocab(V.STATUS, "CSIP20", "CSIP34", "CSIP47")
    dmds = c.root.findall(f"{M}dmdSec")
    amds = c.root.findall(f"{M}amdSec")
    if not c.rep and not dmds:
        c.add("CSIP17", "no dmdSec: descriptive metadata should be referenced")
    if not c.rep and len(amds) != 1:
        c.add("CSIP31", f"{len(amds)} amdSec elements; all administrative metadata belongs in one")
    for sec in dmds:
        _section(c, sec, "dmdSec", statuses)
    for amd in amds:
        if amd.find(f"{M}digiprovMD") is None and not c.rep:
            c.add("CSIP32", "the amdSec has no digiprovMD (preservation metadata)", amd)
        for name in ("digiprovMD", "rightsMD"):
            for sec in amd.findall(f"{M}{name}"):
                _section(c, sec, name, statuses)


_ID_RULE = {"dmdSec": "CSIP18", "digiprovMD": "CSIP33", "rightsMD": "CSIP46", "fileSec": "CSIP59",
            "fileGrp": "CSIP65", "file": "CSIP67", "structMap": "CSIP83"}  # fmt: skip
_DIV_RULE = {"Metadata": "CSIP89", "Documentation": "CSIP94", "Schemas": "CSIP98", "Representations": "CSIP102"}  # fmt: skip


_ALL_IDS = etree.XPath("//@ID", smart_strings=False)


def _unique_ids(c: Ctx) -> None:
    """Every ID once in the document; a repeated one is named by its element's requirement."""
    values = _ALL_IDS(c.root)
    assert isinstance(values, list)
    c.ids.update(values)  # type: ignore[arg-type]
    taken = c.slim.ids if c.slim is not None else []
    c.ids.update(taken)
    if len(c.ids) == len(values) + len(taken):
        return
    if c.slim is not None:  # read as a stream: the schema's own finding on a repeated xs:ID
        raise NotPlain  # is the whole reading's alone (and it names them in document order)
    c.ids.clear()
    for el in c.root.iter(f"{M}*"):
        ident = el.get("ID")
        if ident is None:
            continue
        if ident in c.ids:
            local = etree.QName(el).localname
            if local == "div":
                parent = el.getparent()
                top = parent is not None and etree.QName(parent).localname == "structMap"
                rid = "CSIP85" if top else _DIV_RULE.get(el.get("LABEL") or "", "CSIP106")
            else:
                rid = _ID_RULE.get(local, "")
            if rid:
                c.add(rid, f"the ID '{ident}' is used more than once", el, hard=True)
        c.ids.add(ident)


def check_document(c: Ctx) -> None:
    """Run every requirement check on ``c``'s METS (package or representation)."""
    _unique_ids(c)
    _root(c)
    check_header(c)
    _metadata(c)
    check_filesec(c)
    check_structmap(c)


def check_mets(
    root: etree._Element,
    file: str,
    *,
    rep: bool = False,
    files: frozenset[str] | None = None,
    sip: bool | None = None,
) -> list[Finding]:
    """Check a METS document against the CSIP (and, for a SIP, the SIP) requirements.

    ``files`` (the package's file paths) enables the checks that a USE or LABEL names a real
    folder; ``sip`` defaults to what the document declares. Findings are named by id.
    """
    return run_checks(root, file, rep=rep, files=files, sip=sip)[0]


def run_checks(
    root: etree._Element,
    file: str,
    *,
    rep: bool = False,
    files: frozenset[str] | None = None,
    sip: bool | None = None,
    folders: frozenset[str] | None = None,
    slim: Slim | None = None,
) -> tuple[list[Finding], set[str]]:
    """``check_mets`` with the requirement ids skipped for a missing vocabulary.

    ``slim``: the files taken out of ``root`` by a streamed reading (``metsread``); raises
    ``NotPlain`` when the document must be read whole to report exactly.
    """
    from arkivlucka.delivery.check_context import folders_of

    if etree.QName(root).localname != "mets" or etree.QName(root).namespace != NS["mets"]:
        return [error("CSIP1000", "the root element is not mets:mets", file=file)], set()
    if files is not None and folders is None:
        folders = folders_of(files)
    c = Ctx(root, file, rep=rep, files=files, folders=folders, slim=slim)
    c.sip = declares_sip(root) if sip is None else sip
    check_document(c)
    return c.out, c.skipped
