"""Read stage for inventory XML: safe loading with file/line findings, and careful editing.

Loading refuses documents that are not well-formed, hostile, of another kind or invalid.
The editing helpers insert elements with the indentation of their neighbours and serialise
so that everything not touched keeps its bytes (declaration, comments, PIs, order).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from arkivlucka.core.errors import XMLInputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.files.read import cannot_read
from arkivlucka.inventory.model import q
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.parse import parse_xml
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


def _prolog_end(data: bytes) -> int:
    """Byte offset of the root start tag: past the declaration, comments, PIs and DOCTYPE."""
    i = 0
    while True:
        i = data.find(b"<", i)
        if i < 0:
            return -1
        if data.startswith(b"<?", i):
            i = data.find(b"?>", i) + 2
        elif data.startswith(b"<!--", i):
            i = data.find(b"-->", i) + 3
        elif data.startswith(b"<!", i):
            close = data.find(b"]>", i) if b"[" in data[i : data.find(b">", i)] else -1
            i = (close + 2) if close >= 0 else data.find(b">", i) + 1
        else:
            return i
        if i < 2:
            return -1


def serialise_like(tree: etree._ElementTree, original: bytes) -> bytes:
    """Serialise ``tree`` as the original was: only the root element is re-serialised.

    The bytes before the root (declaration, BOM, comments, PIs and the line breaks between
    them) and after it are copied from ``original``; Windows line ends (CRLF) are kept.
    """
    root = tree.getroot()
    encoding = tree.docinfo.encoding or "UTF-8"
    body = etree.tostring(root, encoding=encoding, xml_declaration=False, with_tail=False)
    assert isinstance(body, bytes)
    start = _prolog_end(original)
    qname = (
        root.prefix + ":" + etree.QName(root).localname
        if root.prefix
        else etree.QName(root).localname
    )
    closing = list(re.finditer(rb"</" + re.escape(qname.encode(encoding)) + rb"\s*>", original))
    if (
        start < 0
        or not closing
        or encoding.upper().replace("-", "") not in ("UTF8", "ASCII", "USASCII")
    ):
        whole = etree.tostring(tree, encoding=encoding, xml_declaration=True)
        assert isinstance(whole, bytes)
        return whole + b"\n"
    kept = original[start : closing[-1].end()]
    if b"\r\n" in kept and kept.count(b"\r\n") == kept.count(b"\n"):
        body = body.replace(b"\n", b"\r\n")  # the parser made CRLF into LF; put it back
    return original[:start] + body + original[closing[-1].end() :]


def serialise_new(root: etree._Element) -> bytes:
    """Return a new document as indented UTF-8 XML with a declaration and final newline."""
    etree.indent(root, space="  ")
    return serialise(root)


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
