"""Verify stage, requirements: the file section and the structural map of one METS file.

CSIP58–79 and CSIP113/114 (file groups and files, one Python pass over the files: the
MIMETYPE from the IANA list, exactly one FLocat, USE naming a real folder) and CSIP80–119
(exactly one CSIP structMap, the Metadata, Documentation, Schemas and Representations
divisions and their pointers). SIP35 is checked in the same pass over the files.
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.core.findings import Severity
from arkivlucka.delivery import vocab as V
from arkivlucka.delivery.check_context import XL, C, Ctx, M, S, blank, media_type_ok
from arkivlucka.delivery.metsread import plain
from arkivlucka.delivery.reader import ALGORITHMS
from arkivlucka.delivery.requirements import finding


def _use_folder(c: Ctx, use: str) -> str:
    """The package folder a fileGrp USE names: the first step in lower case, under the METS."""
    first, _, rest = use.partition("/")
    rel = "/".join(p for p in (first.lower(), rest) if p)
    return f"{c.base}/{rel}" if c.base else rel


def _href_path(c: Ctx, href: str) -> str:
    """A reference as a package path (URL-decoded, ``file:`` and ``./`` dropped)."""
    from urllib.parse import unquote

    rel = unquote(href).removeprefix("file:")
    while rel.startswith("./"):
        rel = rel[2:]
    return f"{c.base}/{rel}" if c.base else rel


_SECTION = {"ADMID": "administrative metadata (an amdSec section)", "DMDID": "a dmdSec"}


def _refs_exist(c: Ctx, rid: str, el: etree._Element, attr: str) -> None:
    """Every ID an ADMID/DMDID names is in the document and is a section of the right kind."""
    value = el.get(attr)
    if value is None:
        return
    unknown = [v for v in value.split() if v not in c.ids]
    if unknown:
        c.add(rid, f"@{attr} names IDs not in the document: {' '.join(unknown[:5])}", el, hard=True)
    sections = section_ids(c, attr)
    wrong = [v for v in value.split() if v in c.ids and v not in sections]
    if wrong:
        c.add(rid, f"@{attr} names {' '.join(wrong[:5])}, which is not {_SECTION[attr]}", el, hard=True)  # fmt: skip


def section_ids(c: Ctx, attr: str) -> frozenset[str]:
    """The IDs an ADMID (amdSec and its sections) or a DMDID (dmdSec) may name, once per METS."""
    known = c.sections.get(attr)
    if known is None:
        paths = (f"{M}amdSec", f"{M}amdSec/*") if attr == "ADMID" else (f"{M}dmdSec",)
        found = {el.get("ID") for p in paths for el in c.root.iterfind(p)}
        known = c.sections[attr] = frozenset(i for i in found if i)
    return known


def _fine(f: etree._Element, types: dict[str, bool]) -> bool:
    """The common case, cheaply: a file with every attribute right and one good FLocat."""
    return plain(f, types)


class TypeCache(dict[str, bool]):
    """MIMETYPE value → whether it is good (IANA, short), computed once per distinct value."""

    def __init__(self, iana: frozenset[str] | None) -> None:
        super().__init__()
        self.iana = iana

    def __missing__(self, mime: str) -> bool:
        good = self.iana is not None and media_type_ok(mime, self.iana)
        self[mime] = good
        return good


def _file(c: Ctx, f: etree._Element, iana: frozenset[str] | None) -> None:
    get = f.get
    if blank(get("ID")):
        c.add("CSIP67", "file/@ID is missing", f)
    mime = get("MIMETYPE")
    if blank(mime):
        c.add("CSIP68", "file/@MIMETYPE is missing", f)
    elif mime and iana is not None and not media_type_ok(mime, iana):
        c.add("CSIP68", f"file/@MIMETYPE '{mime[:80]}' is not an IANA media type", f)
    size = get("SIZE")
    if blank(size):
        c.add("CSIP69", "file/@SIZE is missing", f)
    elif size and not size.strip().isdigit():
        c.add("CSIP69", f"file/@SIZE '{size}' is not a number of bytes", f)
    if blank(get("CREATED")):
        c.add("CSIP70", "file/@CREATED is missing", f)
    if blank(get("CHECKSUM")):
        c.add("CSIP71", "file/@CHECKSUM is missing", f)
    kind = get("CHECKSUMTYPE")
    if blank(kind):
        c.add("CSIP72", "file/@CHECKSUMTYPE is missing", f)
    elif kind and kind.strip().upper() not in ALGORITHMS:
        c.add("CSIP72", f"unsupported CHECKSUMTYPE '{kind}'", f)
    _refs_exist(c, "CSIP74", f, "ADMID")
    _refs_exist(c, "CSIP75", f, "DMDID")
    locs = f.findall(f"{M}FLocat")
    if len(locs) != 1:
        c.add("CSIP76", f"a file has {len(locs)} FLocat elements; it must have exactly one", f)
    for loc in locs:
        if loc.get("LOCTYPE") != "URL":
            c.add("CSIP77", f"FLocat/@LOCTYPE is '{loc.get('LOCTYPE') or ''}', not URL", loc)
        if loc.get(f"{XL}type") != "simple":
            c.add("CSIP78", "FLocat/@xlink:type is not simple", loc)
        if blank(loc.get(f"{XL}href")):
            c.add("CSIP79", "FLocat/@xlink:href is missing", loc)
    if c.sip and get(f"{S}FILEFORMATKEY") and not get(f"{S}FILEFORMATREGISTRY"):
        c.info("SIP35", "sip:FILEFORMATKEY without sip:FILEFORMATREGISTRY", f)


def _group(c: Ctx, g: etree._Element, labels: frozenset[str] | None) -> None:
    use = g.get("USE")
    if blank(use):
        c.add("CSIP64", "fileGrp/@USE is missing", g)
    elif use:
        first = use.partition("/")[0]
        if not c.rep and labels is not None and first not in labels:
            c.add("CSIP64", f"fileGrp/@USE '{use}' does not start with a term of the vocabulary", g)
        elif c.folder_exists(_use_folder(c, use)) is False:
            c.add("CSIP64", f"fileGrp/@USE '{use}' names no folder of the package ({_use_folder(c, use)}/)", g)  # fmt: skip
    if blank(g.get("ID")):
        c.add("CSIP65", "fileGrp/@ID is missing", g)
    _refs_exist(c, "CSIP61", g, "ADMID")
    if (use or "").startswith("Representations") or c.root.get(
        f"{C}CONTENTINFORMATIONTYPE"
    ) == "MIXED":
        cit = g.get(f"{C}CONTENTINFORMATIONTYPE")
        cits = c.vocab(V.CONTENT_INFORMATION_TYPE, "CSIP62")
        if cit is None:
            c.add(
                "CSIP62", f"the fileGrp '{use}' does not state its csip:CONTENTINFORMATIONTYPE", g
            )
        elif cits is not None and cit not in cits:
            c.add(
                "CSIP62",
                f"csip:CONTENTINFORMATIONTYPE '{cit}' is not in the vocabulary",
                g,
                hard=True,
            )
    gcit = g.get(f"{C}CONTENTINFORMATIONTYPE")
    if gcit != "OTHER" and g.get(f"{C}OTHERCONTENTINFORMATIONTYPE") is not None:
        c.add("CSIP63", f"fileGrp csip:OTHERCONTENTINFORMATIONTYPE is given but CONTENTINFORMATIONTYPE is '{gcit or ''}', not OTHER", g, hard=True)  # fmt: skip
    if gcit == "OTHER" and blank(g.get(f"{C}OTHERCONTENTINFORMATIONTYPE")):
        c.add("CSIP63", "fileGrp CONTENTINFORMATIONTYPE is OTHER but csip:OTHERCONTENTINFORMATIONTYPE is missing", g, hard=True)  # fmt: skip


def check_filesec(c: Ctx) -> None:
    """CSIP58–79, CSIP113/114 and SIP35 on the file section(s)."""
    secs = c.root.findall(f"{M}fileSec")
    if len(secs) != 1:
        c.add("CSIP58", f"{len(secs)} fileSec elements; one is expected", c.root)
    iana = c.vocab(V.IANA, "CSIP68")
    types = TypeCache(iana)
    labels = c.vocab(V.FILEGRP_LABEL, "CSIP64")
    uses: list[str] = []
    for sec in secs:
        if blank(sec.get("ID")):
            c.add("CSIP59", "fileSec/@ID is missing", sec)
        for g in sec.findall(f"{M}fileGrp"):
            uses.append(g.get("USE") or "")
            _group(c, g, labels)
            empty = not (c.slim is not None and c.slim.taken(g))
            for f in g.iter(f"{M}file"):
                empty = False
                if not _fine(f, types):
                    _file(c, f, iana)
            if empty:
                c.add("CSIP66", f"the fileGrp '{g.get('USE') or ''}' holds no file", g)
    if c.rep or not secs:
        return
    for rid, label in (("CSIP60", "Documentation"), ("CSIP113", "Schemas")):
        if label not in uses:
            c.add(rid, f"no fileGrp with USE={label}", secs[0])
    if not any(u.startswith("Representations") for u in uses):
        c.add("CSIP114", "no fileGrp whose USE starts with Representations", secs[0])


def _groups(c: Ctx) -> list[etree._Element]:
    return list(c.root.iterfind(f"{M}fileSec/{M}fileGrp"))


def _labelled(
    divs: list[etree._Element], label: str
) -> tuple[list[etree._Element], list[etree._Element]]:
    exact = [d for d in divs if d.get("LABEL") == label]
    near = [d for d in divs if d.get("LABEL") != label and (d.get("LABEL") or "").strip().lower() == label.lower()]  # fmt: skip
    return exact, near


def _group_div(c: Ctx, subs: list[etree._Element], label: str, rids: tuple[str, ...]) -> None:
    """Documentation or Schemas: (SHOULD div, MUST label, ID, fptr, FILEID) rules."""
    should, label_rule, id_rule, fptr_rule, fileid_rule = rids
    divs, near = _labelled(subs, label)
    for d in near:
        c.add(
            label_rule,
            f"the division is labelled '{d.get('LABEL')}'; it must be exactly {label}",
            d,
        )
    grps = {g.get("ID"): g for g in _groups(c) if g.get("USE") == label}
    if grps and not divs:
        c.add(should, f"no {label} division for the {label} file group(s)", c.root)
        c.add(label_rule, f"the structMap has no division labelled {label}", c.root)
    if len(divs) > 1:
        c.add(should, f"{len(divs)} {label} divisions; one is expected", divs[1])
    referenced: set[str] = set()
    for d in divs:
        if blank(d.get("ID")):
            c.add(id_rule, f"the {label} division has no ID", d)
        fptrs = d.findall(f"{M}fptr")
        if not fptrs:
            c.add(fptr_rule, f"the {label} division has no fptr", d)
        for fp in fptrs:
            ref = fp.get("FILEID") or ""
            referenced.add(ref)
            if ref not in grps:
                c.add(fileid_rule, f"fptr/@FILEID '{ref}' is not a {label} file group", fp)
    for ident, g in grps.items():
        if divs and ident not in referenced:
            c.add(fptr_rule, f"the {label} file group '{ident}' is not referenced by an fptr", g)


def _metadata_div(c: Ctx, subs: list[etree._Element]) -> None:
    meta, near = _labelled(subs, "Metadata")
    mislabelled = False
    for d in subs:
        if d.get("LABEL") != "Metadata" and (d.get("DMDID") or d.get("ADMID") or d in near):
            c.add("CSIP90", f"the metadata division is labelled '{d.get('LABEL') or ''}', not Metadata", d)  # fmt: skip
            mislabelled = True
    has_md = c.root.find(f"{M}dmdSec") is not None or c.root.find(f"{M}amdSec/*") is not None
    if len(meta) > 1:
        c.add("CSIP88", f"{len(meta)} Metadata divisions; there must be one", meta[1])
    elif not meta:
        what = "the METS has metadata sections but" if has_md else "the structMap has"
        # no division labelled Metadata: CSIP90 too (Schematron: both), unless said above
        for rid in ("CSIP88",) if mislabelled else ("CSIP88", "CSIP90"):
            c.add(rid, f"{what} no Metadata division; there must be one", c.root, hard=True)
    for d in meta[:1]:
        if blank(d.get("ID")):
            c.add("CSIP89", "the Metadata division has no ID", d)
        for rid, attr, path in (
            ("CSIP91", "ADMID", f"{M}amdSec/*"),
            ("CSIP92", "DMDID", f"{M}dmdSec"),
        ):
            _refs_exist(c, rid, d, attr)
            named = set((d.get(attr) or "").split())
            current = [
                s.get("ID") for s in c.root.iterfind(path) if s.get("STATUS") in (None, "CURRENT")
            ]
            missing = [i for i in current if i and i not in named]
            if missing:
                c.add(
                    rid, f"the Metadata division's {attr} does not name {' '.join(missing[:5])}", d
                )


def _rep_divs(c: Ctx, subs: list[etree._Element]) -> None:
    grps = {
        g.get("ID"): g for g in _groups(c) if (g.get("USE") or "").startswith("Representations")
    }
    rdivs, near = _labelled(subs, "Representations")
    for d in near:
        c.add("CSIP103", f"the division is labelled '{d.get('LABEL')}'; it must be exactly Representations", d)  # fmt: skip
    reps = [
        d for d in subs
        if (d.get("LABEL") or "").startswith("Representations/") or d.find(f"{M}mptr") is not None
    ]  # fmt: skip
    reps += [d for r in rdivs for d in r.findall(f"{M}div")]
    if grps and not rdivs and not reps:
        c.add(
            "CSIP103", "no Representations division for the Representations file group(s)", c.root
        )
    if len(rdivs) > 1:
        c.add("CSIP101", f"{len(rdivs)} Representations divisions; one is expected", rdivs[1])
    titles = {mp.get(f"{XL}title") for d in reps for mp in d.findall(f"{M}mptr")}
    # a file group is referenced when any Representations division points to it
    pointed = {fp.get("FILEID") for r in rdivs for fp in r.findall(f"{M}fptr")} | titles
    for r in rdivs:
        if blank(r.get("ID")):
            c.add("CSIP102", "the Representations division has no ID", r)
        fptrs = r.findall(f"{M}fptr")
        if not fptrs and r.find(f"{M}div") is None:
            c.add("CSIP104", "the Representations division points to no file group", r)
        for fp in fptrs:
            if fp.get("FILEID") not in grps:
                c.add("CSIP119", f"fptr/@FILEID '{fp.get('FILEID') or ''}' is not a Representations file group", fp)  # fmt: skip
    if any(r.findall(f"{M}fptr") for r in rdivs):
        for ident, g in grps.items():
            if ident not in pointed:
                c.add("CSIP104", f"the file group '{ident}' is not referenced from the Representations division", g)  # fmt: skip
    for d in reps:
        _rep_div(c, d, grps)
    if c.files is not None and not c.rep:
        labelled = {(d.get("LABEL") or "").partition("/")[2] for d in reps}
        for rel in sorted(c.files):
            parts = rel.split("/")
            if len(parts) == 3 and parts[0] == "representations" and parts[2] == "METS.xml" and parts[1] not in labelled:  # fmt: skip
                c.add("CSIP105", f"the representation '{parts[1]}' has no division in the structMap", c.root)  # fmt: skip


def _rep_div(c: Ctx, d: etree._Element, grps: dict[str | None, etree._Element]) -> None:
    label = d.get("LABEL") or ""
    if blank(d.get("ID")):
        c.add("CSIP106", "a representation division has no ID", d)
    if not label.startswith("Representations/"):
        c.add("CSIP107", f"the representation division's LABEL '{label}' is not Representations/<folder>", d)  # fmt: skip
    elif c.folder_exists(_use_folder(c, label)) is False:
        c.add("CSIP107", f"the LABEL '{label}' names no folder of the package", d)
    folder = _use_folder(c, label) if label.startswith("Representations/") else None
    if folder and c.files is not None and f"{folder}/METS.xml" not in c.files:
        c.add("CSIP105", f"the LABEL '{label}' names no representation METS ({folder}/METS.xml)", d, hard=True)  # fmt: skip
    mptrs = d.findall(f"{M}mptr")
    if len(mptrs) != 1:
        c.add("CSIP109", f"the representation division has {len(mptrs)} mptr elements; one is required", d)  # fmt: skip
    for mp in mptrs:
        title = mp.get(f"{XL}title")
        if blank(title):
            c.add("CSIP108", "mptr/@xlink:title (the file group ID) is missing", mp)
        elif grps and title not in grps:  # older examples put a description there: a warning
            c.out.append(
                finding(
                    "CSIP108",
                    f"mptr/@xlink:title '{title}' is not the ID of a Representations file group",
                    severity=Severity.WARNING,
                    file=c.file,
                    line=mp.sourceline,
                )
            )
        href = mp.get(f"{XL}href")
        if blank(href):
            c.add("CSIP110", "mptr/@xlink:href is missing", mp)
        elif href and folder and not _href_path(c, href).startswith(f"{folder}/"):
            c.add("CSIP110", f"mptr/@xlink:href '{href}' is not in the folder the LABEL '{label}' names", mp)  # fmt: skip
        if mp.get(f"{XL}type") != "simple":
            c.add("CSIP111", "mptr/@xlink:type is not simple", mp)
        if mp.get("LOCTYPE") != "URL":
            c.add("CSIP112", f"mptr/@LOCTYPE is '{mp.get('LOCTYPE') or ''}', not URL", mp)


def check_structmap(c: Ctx) -> None:
    """CSIP80–119 on the structural map(s)."""
    maps = c.root.findall(f"{M}structMap")
    if not maps:
        c.add("CSIP80", "the METS has no structMap", c.root)
        return
    csip = [m for m in maps if m.get("LABEL") == "CSIP"]
    if len(csip) != 1:
        c.add("CSIP82", f"{len(csip)} structMaps labelled CSIP; there must be exactly one", c.root)
    if len(csip) > 1:
        c.add("CSIP80", "more than one CSIP structMap; a CSIP METS has ONE", csip[1])
    if not csip:
        if not any(m.get("TYPE") == "PHYSICAL" for m in maps):
            c.add("CSIP81", "no structMap has TYPE=PHYSICAL", c.root)
        return
    smap = csip[0]
    if smap.get("TYPE") != "PHYSICAL":
        c.add(
            "CSIP81", f"the CSIP structMap has TYPE '{smap.get('TYPE') or ''}', not PHYSICAL", smap
        )
    if blank(smap.get("ID")):
        c.add("CSIP83", "the CSIP structMap has no ID", smap)
    divs = smap.findall(f"{M}div")
    if len(divs) != 1:
        c.add("CSIP84", f"the CSIP structMap has {len(divs)} top divisions; it must have one", smap)
    if not divs:
        return
    if blank(divs[0].get("ID")):
        c.add("CSIP85", "the main division has no ID", divs[0])
    subs = divs[0].findall(f"{M}div")
    _metadata_div(c, subs)
    _group_div(c, subs, "Documentation", ("CSIP93", "CSIP95", "CSIP94", "CSIP96", "CSIP116"))
    _group_div(c, subs, "Schemas", ("CSIP97", "CSIP99", "CSIP98", "CSIP100", "CSIP118"))
    _rep_divs(c, subs)
