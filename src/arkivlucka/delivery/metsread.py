"""Verify stage, reading METS: one streamed pass that schema-validates and keeps a slim tree.

A METS file of 50,000 files is a 17 MB document whose lxml tree takes about 3 KB per file. The
plain files of its file groups (every attribute right, one good FLocat: what the requirement
checks find nothing in) are taken out of the tree as it is parsed and kept as compact
``Listing`` tuples; the schema is checked on the stream (``iterparse(schema=...)``). Everything
else (header, metadata sections, structMap, any file with something to report) stays in the
tree, so the requirement checks run on it as before and, with ``Slim``, see the taken files'
IDs, counts and places. A document that is not plainly valid (not well-formed, a schema error,
a DOCTYPE, nested file groups ...) is read again whole by the caller, so its findings are
exactly those of a whole-tree reading.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, NamedTuple
from urllib.parse import unquote

from lxml import etree

from arkivlucka.xmldoc.namespaces import METS_PREFIXES as NS
from arkivlucka.xmldoc.parse import iterparse_safe, line_of

IDS = {
    "file": ("CSIP79", "CSIP69", "CSIP71", "CSIP72"),
    "dmd": ("CSIP24", "CSIP27", "CSIP29", "CSIP30"),
    "digiprov": ("CSIP38", "CSIP41", "CSIP43", "CSIP44"),
    "rights": ("CSIP51", "CSIP54", "CSIP56", "CSIP57"),
    "mptr": ("CSIP110", "", "", ""),
}
_M = f"{{{NS['mets']}}}"
_HREF = f"{{{NS['xlink']}}}href"
_XTYPE = f"{{{NS['xlink']}}}type"
_FILE, _FLOCAT, _GRP, _SEC = f"{_M}file", f"{_M}FLocat", f"{_M}fileGrp", f"{_M}fileSec"
_FORMAT_KEY = "{https://DILCIS.eu/XML/METS/SIPExtensionMETS}FILEFORMATKEY"


class Listing(NamedTuple):
    """One reference in a METS file to a file of the package."""

    kind: str
    path: str
    size: str | None
    checksum: str | None
    checksum_type: str | None
    mdtype: str | None
    mets: str
    line: int | None
    #: the reference as written, when URL-decoding changed it (a file may be named "%41.txt")
    raw: str | None = None


#: stands for each taken file where only its place counts (``read_slim(records=False)``)
TAKEN = Listing("file", "", None, None, None, None, "", None)


class Slim:
    """What was taken out of one METS tree: the plain files of its file groups.

    ``groups`` holds, per file group (in document order), its files in order: a taken file as
    its ``Listing``, a kept one as its element. ``ids`` are the taken files' IDs; ``index``
    gives a kept file its place among its group's files as written (``getpath`` of the slim
    tree would count only the kept ones), ``totals`` each group's number of files.
    """

    __slots__ = ("groups", "ids", "index", "totals")

    def __init__(self) -> None:
        self.groups: dict[etree._Element, list[Listing | etree._Element]] = {}
        self.ids: list[str] = []
        self.index: dict[etree._Element, int] = {}
        self.totals: dict[etree._Element, int] = {}

    def taken(self, group: etree._Element) -> int:
        """How many files were taken out of ``group``."""
        return sum(1 for e in self.groups.get(group, ()) if isinstance(e, Listing))

    def path(self, el: etree._Element) -> str:
        """``getpath`` of ``el`` as in the whole document (kept files keep their positions)."""
        tree = el.getroottree()
        node: etree._Element | None = el
        while node is not None and node not in self.index:
            node = node.getparent()
        if node is None:
            return str(tree.getpath(el))
        group = node.getparent()
        assert group is not None
        own = str(tree.getpath(node))
        name = own.rpartition("/")[2].partition("[")[0]
        place = f"[{self.index[node]}]" if self.totals[group] > 1 else ""
        return f"{tree.getpath(group)}/{name}{place}{str(tree.getpath(el))[len(own) :]}"


class NotPlain(Exception):
    """The document is to be read whole (the slim reading cannot reproduce its findings)."""


def join(base: str, rel: str) -> str:
    """The package path of ``rel`` seen from the folder ``base``; ``..`` steps resolved.

    A reference that climbs above the package root keeps its ``..`` (reported unsafe).
    """
    joined = f"{base}/{rel}" if base else rel
    if ".." not in joined or ".." not in joined.split("/") or joined.startswith("/"):
        return joined
    parts: list[str] = []
    for part in joined.split("/"):
        if part == "..":
            if not parts:
                return joined
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def listing(
    kind: str,
    el: etree._Element,
    owner: etree._Element,
    mets_rel: str,
    base: str,
    canon: dict[str, str] | None = None,
) -> Listing | None:
    """The reference ``el`` makes (``owner`` has its SIZE and CHECKSUM); None without one.

    ``canon`` maps each string to one object for it (the same file listed by two METS files,
    and in the package listing, is then one path, size and checksum string in memory).
    """
    target = el.get(_HREF)
    if not target:
        return None
    line = line_of(el)
    return _make(
        kind, target, owner.get("SIZE"), owner.get("CHECKSUM"), owner.get("CHECKSUMTYPE"),
        el.get("MDTYPE"), line, mets_rel, base, canon,
    )  # fmt: skip


def _make(
    kind: str, target: str, size: str | None, checksum: str | None, checksum_type: str | None,
    mdtype: str | None, line: int | None, mets_rel: str, base: str, canon: dict[str, str] | None,
) -> Listing:  # fmt: skip
    raw = None
    if "%" in target or ".." in target or target.startswith(("file:", "./")):
        rel = (unquote(target) if "%" in target else target).removeprefix("file:")
        while rel.startswith("./"):
            rel = rel[2:]
        path = join(base, rel)
        raw = join(base, target) if "%" in target else None
    else:  # the common case: a plain relative reference
        path = f"{base}/{target}" if base else target
    if canon is not None:  # equal strings shared: safe whatever they are
        path = canon.setdefault(path, path)
        if size is not None and checksum is not None:
            size, checksum = (
                canon.setdefault(size, size),
                canon.setdefault(checksum, checksum),
            )
    if checksum_type is not None:
        checksum_type = _KINDS.get(checksum_type) or sys.intern(checksum_type)
    return _new(
        Listing,
        (kind if kind in IDS else "dmd", path, size, checksum, checksum_type, mdtype,
         mets_rel, line, raw),
    )  # fmt: skip


_XPATHS = (
    ("dmd", "mets:dmdSec/mets:mdRef"), ("digiprov", "mets:amdSec/mets:digiprovMD/mets:mdRef"),
    ("rights", "mets:amdSec/mets:rightsMD/mets:mdRef"), ("techmd", "mets:amdSec/mets:techMD/mets:mdRef"),
    ("sourcemd", "mets:amdSec/mets:sourceMD/mets:mdRef"), ("file", "mets:fileSec//mets:file/mets:FLocat"),
    ("mptr", "mets:structMap//mets:mptr"),
)  # fmt: skip


def listings(root: etree._Element, mets_rel: str, slim: Slim | None = None) -> Iterator[Listing]:
    """Every reference of one METS file to a file, in document order per kind."""
    base = mets_rel.rpartition("/")[0]
    for kind, xpath in _XPATHS:
        if kind == "file" and slim is not None:
            yield from _slim_files(slim, mets_rel, base)
            continue
        for el in root.iterfind(xpath, NS):
            owner = el.getparent() if kind == "file" else el
            assert owner is not None
            if (item := listing(kind, el, owner, mets_rel, base)) is not None:
                yield item


def _slim_files(slim: Slim, mets_rel: str, base: str) -> Iterator[Listing]:
    for entries in slim.groups.values():
        for entry in entries:
            if isinstance(entry, Listing):
                yield entry
                continue
            for loc in entry.iter(_FLOCAT):
                owner = loc.getparent()
                item = None
                if owner is not None and owner.tag == _FILE:
                    item = listing("file", loc, owner, mets_rel, base)
                if item is not None:
                    yield item


def plain(f: etree._Element, good_type: dict[str, bool]) -> bool:
    """A file the requirement checks find nothing in: every attribute right, one good FLocat.

    ``good_type`` says whether a MIMETYPE is good (IANA, short). The common case, cheaply.
    """
    if len(f) != 1 or f[0].tag != _FLOCAT or len(f[0]):
        return False
    return _plain(dict(f.items()), dict(f[0].items()), good_type)  # type: ignore[arg-type]


def _plain(a: dict[str, str], loc: dict[str, str], good_type: dict[str, bool]) -> bool:
    mime, size, kind = a.get("MIMETYPE"), a.get("SIZE"), a.get("CHECKSUMTYPE")
    return bool(
        mime and size and kind and a.get("ID") and a.get("CREATED") and a.get("CHECKSUM")
        and good_type[mime] and size.isdigit() and kind in _ALGORITHMS
        and "ADMID" not in a and "DMDID" not in a and _FORMAT_KEY not in a
        and loc.get("LOCTYPE") == "URL" and loc.get(_XTYPE) == "simple" and loc.get(_HREF)
    )  # fmt: skip


_ALGORITHMS = frozenset(("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"))
_KINDS = {sys.intern(k): sys.intern(k) for k in _ALGORITHMS}
_new = tuple.__new__


def _events(
    source: IO[bytes], schema: etree.XMLSchema | None, tag: str | None = _FILE
) -> etree.iterparse:
    """The ``end`` events of ``tag`` elements (None: all), parsed as safely as ``parse_xml``."""
    return iterparse_safe(source, tag=tag, schema=schema)


def read_slim(
    source: IO[bytes],
    mets_rel: str,
    schema: etree.XMLSchema | None,
    good_type: dict[str, bool],
    canon: dict[str, str] | None = None,
    records: bool = True,
) -> tuple[etree._ElementTree, Slim]:
    """Parse and schema-validate one METS file as a stream, taking its plain files out.

    ``schema`` None: not validated here (the caller has it validated otherwise).
    ``records`` False: a taken file is not kept as its ``Listing`` (one shared ``TAKEN``
    stands for each): for the requirement checks alone, which need only where files were.

    Raises ``NotPlain`` when the document is to be read whole (any parse or schema error, a
    file nested in a way the slim reading does not follow); the caller then does.
    """
    taker = _Taker(Slim(), good_type, mets_rel, canon, records)
    events = _events(source, schema)
    try:
        for _, f in events:
            taker.take(f)
    except etree.XMLSyntaxError:
        raise NotPlain from None
    root, slim = events.root, taker.slim
    if root is None:
        raise NotPlain
    for group, entries in slim.groups.items():
        slim.totals[group] = len(entries)
    return root.getroottree(), slim


class _Taker:
    """Takes the plain files out of a METS tree as it is parsed, one ``end`` event at a time."""

    __slots__ = ("base", "canon", "entries", "good_type", "group", "mets_rel", "records", "slim")

    def __init__(
        self,
        slim: Slim,
        good_type: dict[str, bool],
        mets_rel: str,
        canon: dict[str, str] | None,
        records: bool = True,
    ) -> None:
        self.slim, self.good_type, self.mets_rel, self.canon = (
            slim,
            good_type,
            mets_rel,
            canon,
        )
        self.records = records
        self.base = mets_rel.rpartition("/")[0]
        self.group: etree._Element | None = None
        self.entries: list[Listing | etree._Element] = []

    def take(self, f: etree._Element) -> None:
        """Take ``f`` out when it is plain, else keep it (recording its place)."""
        group = f.getparent()
        if group is not self.group:
            self._enter(group)
        if self.group is None or group is None:
            return  # a file in a file: kept with the file that holds it
        entries = self.entries
        if len(f) == 1 and (loc_el := f[0]).tag == _FLOCAT and not len(loc_el):
            if len(f.attrib) == 6:  # the usual six: asked for one by one (no dict built)
                taken = self._six(f, loc_el)
            else:
                a: dict[str, str] = dict(f.items())  # type: ignore[arg-type]  # lxml: str
                loc: dict[str, str] = dict(loc_el.items())  # type: ignore[arg-type]
                taken = None
                if _plain(a, loc, self.good_type):
                    line = line_of(loc_el)
                    taken = self._listing(a, loc, line) if self.records else TAKEN
                    self.slim.ids.append(a["ID"])
            if taken is not None:
                entries.append(taken)
                group.remove(f)
                return
        entries.append(f)
        self.slim.index[f] = len(entries)

    def _six(self, f: etree._Element, loc: etree._Element) -> Listing | None:
        """``take`` for a file of exactly six attributes: its Listing when they are the plain six.

        Those six (``_plain``) leave no room for an ADMID, a DMDID or a format key. None: not
        plain.
        """
        get, lget = f.get, loc.get
        fid, mime, size, kind = get("ID"), get("MIMETYPE"), get("SIZE"), get("CHECKSUMTYPE")
        checksum, href = get("CHECKSUM"), lget(_HREF)
        if not (
            fid and mime and size and kind and checksum and href and get("CREATED")
            and self.good_type[mime] and size.isdigit() and kind in _ALGORITHMS
            and lget("LOCTYPE") == "URL" and lget(_XTYPE) == "simple"
        ):  # fmt: skip
            return None
        self.slim.ids.append(fid)
        if not self.records:
            return TAKEN
        return _make(
            "file", href, size, checksum, kind, lget("MDTYPE"), line_of(loc), self.mets_rel,
            self.base, self.canon,
        )  # fmt: skip

    def _listing(self, a: dict[str, str], loc: dict[str, str], line: int | None) -> Listing:
        return _make(
            "file", loc[_HREF], a["SIZE"], a["CHECKSUM"], a["CHECKSUMTYPE"], loc.get("MDTYPE"),
            line, self.mets_rel, self.base, self.canon,
        )  # fmt: skip

    def _enter(self, group: etree._Element | None) -> None:
        """A file under another parent than the last one: check where it is."""
        if group is None or group.tag != _GRP:
            if group is not None and group.tag == _FILE:
                self.group = None  # the next file of the group is checked again
                return
            raise NotPlain
        sec = group.getparent()
        if sec is None or sec.tag != _SEC or sec.getparent() is None:
            raise NotPlain  # a file group inside a file group
        self.group, self.entries = group, self.slim.groups.setdefault(group, [])
