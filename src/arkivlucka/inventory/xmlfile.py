"""Read stage for inventory XML: safe loading with file/line findings, and careful editing.

Loading refuses documents that are not well-formed, hostile, of another kind or invalid.
The editing helpers insert elements with the indentation of their neighbours and serialise
so that everything not touched keeps its bytes (declaration, comments, PIs, order).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from arkivlucka.core.errors import XMLInputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.files.read import cannot_read
from arkivlucka.inventory.model import q
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.parse import SAFE_OPTIONS, parse_xml
from arkivlucka.xmldoc.schemas import NS_ARKIVFORTECKNING as NS
from arkivlucka.xmldoc.validate import validate_tree


def check_kind(tree: etree._ElementTree, file: str) -> list[Finding]:
    """Findings when the document is not an ``Arkivforteckning`` in our namespace."""
    root = tree.getroot()
    qname = etree.QName(root)
    if qname.namespace == NS and qname.localname == "Arkivforteckning":
        return []
    ns = qname.namespace or "(no namespace)"
    hint = ""
    if qname.localname in ("ArkivforteckningPost", "ArkivbeskrivningPost"):
        hint = (
            "; it is an entry made by describe for one incident, not a whole inventory "
            "(an entry is merged into an inventory: first the entry, then the inventory)"
        )
    return [
        error(
            "inventory-not-inventory",
            f"not an archive inventory: root <{qname.localname}> in namespace {ns}; "
            f"expected <Arkivforteckning> in {NS}{hint}",
            file=file,
            line=root.sourceline,
            path=f"/{qname.localname}",
        )
    ]


def parse_inventory(data: bytes, file: str, *, validate: bool = True) -> etree._ElementTree:
    """Parse (and by default validate) inventory bytes; raise ``XMLInputError`` with findings."""
    tree, findings = parse_xml(data, file)
    if tree is None:
        raise XMLInputError(f"{file}: the inventory cannot be read", findings)
    findings = check_kind(tree, file)
    if not findings and validate:
        findings = validate_tree(tree, file)
    if findings:
        raise XMLInputError(f"{file}: not a valid archive inventory", findings)
    return tree


def require_regular_file(path: Path) -> None:
    """Refuse a path that is not a regular file (a FIFO or device would block or never end)."""
    if path.exists() and not path.is_file():
        msg = "not a regular file (a folder, pipe or device); give a file"
        raise XMLInputError(f"{path}: {msg}", [error("unreadable", msg, file=str(path))])


def load_inventory(path: str | Path, *, validate: bool = True) -> etree._ElementTree:
    """Read, parse and validate the inventory at ``path``."""
    name = str(path)
    require_regular_file(Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise cannot_read(name, exc) from None
    return parse_inventory(data, name, validate=validate)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a byte order mark, the first bytes of '<?xml' tell UTF-16/32 and their byte order.
_UNMARKED = (
    (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"),
    (b"<\0?\0", "utf-16-le"),
    (b"\0<\0?", "utf-16-be"),
)


def file_codec(original: bytes, declared: str | None) -> str | None:
    """The Python codec that reads ``original`` as the parser did (None when there is none).

    A byte order mark wins over the declaration (as in the parser), then the shape of the
    first bytes (UTF-16/32 without a mark), then the declared encoding, else UTF-8. The codec
    keeps the mark as a character, so encoding the text again gives back the same bytes.
    """
    for bom, name in _BOMS:
        if original.startswith(bom):
            return name
    for head, name in _UNMARKED:
        if original.startswith(head):
            return name
    name = (declared or "utf-8").lower()
    if name.replace("-", "").replace("_", "") in ("utf16", "utf32"):
        return None  # declared UTF-16/32 but neither marked nor shaped so: not ours to guess
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _prolog_end(text: str | bytes) -> int:
    """Offset of the root start tag: past the declaration, comments and PIs."""
    lt, pi, pi_end, com, com_end, decl = (
        ("<", "<?", "?>", "<!--", "-->", "<!")
        if isinstance(text, str)
        else (b"<", b"<?", b"?>", b"<!--", b"-->", b"<!")
    )
    i = 0
    while True:
        i = text.find(lt, i)  # type: ignore[arg-type]
        if i < 0:
            return -1
        if text.startswith(pi, i):  # type: ignore[arg-type]
            i = text.find(pi_end, i) + 2  # type: ignore[arg-type]
        elif text.startswith(com, i):  # type: ignore[arg-type]
            i = text.find(com_end, i) + 3  # type: ignore[arg-type]
        elif text.startswith(decl, i):  # type: ignore[arg-type]
            return -1  # a DOCTYPE: documents with one are refused when read
        else:
            return i
        if i < 2:
            return -1


Misc = tuple[str, str | None, str | None]


def _misc(nodes: Iterable[Any]) -> list[Misc]:
    """Comments and PIs as (kind, target, text), to compare two documents' epilogs."""
    return [
        ("pi", str(n.target), n.text)
        if isinstance(n, etree._ProcessingInstruction)
        else ("#", None, n.text)
        for n in nodes
    ]


def _epilog(tail: Any) -> list[Misc] | None:
    """What ``tail`` holds when read after a root element: comments and PIs; None if more."""
    head = "<x/>" if isinstance(tail, str) else b"<x/>"
    try:
        root = etree.fromstring(head + tail, etree.XMLParser(**SAFE_OPTIONS))
    except etree.XMLSyntaxError:
        return None
    return _misc(root.itersiblings())


def _root_end(original: Any, start: int, qname: str, after: list[Misc]) -> int:
    """Offset just past the root's end tag in ``original`` (-1 when it cannot be told).

    The end tag is the last ``</qname>`` after which the text reads as exactly the comments
    and PIs that follow the root in the parsed document (``after``): one inside a trailing
    comment or PI is passed over, so the text kept after the root is the document's epilog.
    """
    close: Any = "</" + qname
    gt: re.Pattern[Any] = re.compile(r"\s*>")
    if not isinstance(original, str):
        close, gt = close.encode("utf-8"), re.compile(rb"\s*>")
    pos = len(original)
    while (pos := original.rfind(close, start, pos)) >= 0:
        found = gt.match(original, pos + len(close))
        if found and _epilog(original[found.end() :]) == after:
            return found.end()
    return -1


def _splice(original: Any, body: Any, qname: str, after: list[Misc]) -> Any:
    """``original`` with its root element replaced by ``body`` (both str, or both bytes).

    The text before the root (up to its start tag) and after it (the comments and PIs
    ``after``, checked) is kept; None when either cannot be told exactly.
    """
    start = _prolog_end(original)
    end = -1 if start < 0 else _root_end(original, start, qname, after)
    if end < 0:
        return None
    cr, lf, crlf = ("\r", "\n", "\r\n") if isinstance(original, str) else (b"\r", b"\n", b"\r\n")
    first = original.find(lf, start, end)
    if (
        first > start
        and original[first - 1 : first] == cr  # the first line end is CRLF: are all of them?
        and original.count(crlf, start, end) == original.count(lf, start, end)
    ):
        body = body.replace(lf, crlf)  # the parser made CRLF into LF; put it back
    return original[:start] + body + original[end:]


def serialise_like(
    tree: etree._ElementTree, original: bytes, body: bytes | None = None
) -> bytes | None:
    """Serialise ``tree`` as the original was: only the root element is re-serialised.

    The text before the root (declaration, BOM, comments, PIs and the line breaks between
    them) and after it is copied from ``original``, in the original's own encoding (UTF-8,
    UTF-16/32 either byte order, ISO-8859-1, ...); Windows line ends (CRLF) are kept.
    Characters the encoding cannot hold become character references. Returns None when the
    original's encoding cannot be kept exactly (the caller then refuses to write).
    ``body`` is the root element already serialised as UTF-8, when the caller has it.
    """
    codec = file_codec(original, tree.docinfo.encoding)
    if codec is None:
        return None
    root = tree.getroot()
    local = etree.QName(root).localname
    qname = f"{root.prefix}:{local}" if root.prefix else local
    after = _misc(root.itersiblings())
    if codec == "utf-8":  # the usual case, in bytes (no decoded copies of a large file)
        if body is None:
            body = etree.tostring(root, encoding="UTF-8", with_tail=False)
        return _splice(original, body, qname, after)  # type: ignore[no-any-return]
    try:
        text = original.decode(codec)
    except UnicodeDecodeError:
        return None
    new = _splice(text, etree.tostring(root, encoding="unicode", with_tail=False), qname, after)
    return None if new is None else new.encode(codec, errors="xmlcharrefreplace")


def serialise_new(root: etree._Element) -> bytes:
    """Return a new document as indented UTF-8 XML with a declaration and final newline."""
    return serialise(root)  # it indents ``root`` in place


def _ws(text: str | None) -> str | None:
    return text if text is not None and text.strip() == "" and "\n" in text else None


def _own_indent(el: etree._Element) -> str | None:
    prev = el.getprevious()
    if prev is not None:
        return _ws(prev.tail)
    parent = el.getparent()
    return _ws(parent.text) if parent is not None else "\n"


def insert_at(parent: etree._Element, pos: int, new: etree._Element) -> None:
    """Insert ``new`` as child number ``pos`` of ``parent``, indented like its siblings.

    Only the whitespace next to the insertion changes; a document without line breaks gets
    none added.
    """
    if len(parent):
        child_ws = _ws(parent.text) if pos == 0 else _ws(parent[pos - 1].tail)
        if pos > 0 and pos == len(parent):
            child_ws = _ws(parent.text) or child_ws
    else:
        outer = _own_indent(parent)
        child_ws = outer + "  " if outer is not None else None
    if child_ws is not None:
        base = child_ws[child_ws.rfind("\n") + 1 :]
        etree.indent(new, space="  ")
        for el in new.iter():
            if el is not new and _ws(el.tail) is not None:
                el.tail = (el.tail or "") + base
            if len(el) and _ws(el.text) is not None:
                el.text = (el.text or "") + base
    if not len(parent):
        parent.text = child_ws
        new.tail = _own_indent(parent) if child_ws is not None else None
        parent.append(new)
        return
    if pos >= len(parent):
        last = parent[-1]
        new.tail = last.tail
        last.tail = child_ws if child_ws is not None else last.tail
        if child_ws is None:
            new.tail = None
        parent.append(new)
        return
    new.tail = child_ws
    parent.insert(pos, new)


def position_after(parent: etree._Element, tags: tuple[str, ...]) -> int:
    """Index just after the last child whose local name is in ``tags`` (0 when none)."""
    wanted = {q(t) for t in tags}
    pos = 0
    for index, child in enumerate(parent):
        if child.tag in wanted:
            pos = index + 1
    return pos


def text_of(el: etree._Element | None, tag: str) -> str | None:
    """Text of the child ``tag`` of ``el`` (None when absent or empty)."""
    if el is None:
        return None
    child = el.find(q(tag))
    return child.text if child is not None and child.text else None
