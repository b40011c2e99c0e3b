"""Validate stage, first step: parse XML safely (no DTDs, no entities, no network, no XInclude)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from lxml import etree

from arkivlucka.files.read import open_regular

if TYPE_CHECKING:  # a valid document needs neither (``validate`` starts faster without)
    from pathlib import Path

    from arkivlucka.core.findings import Finding

#: how every document is parsed, as a tree or as a stream: no entities, DTD or network
SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_blank_text": False,
}


def _error(code: str, message: str, **where: Any) -> Finding:
    """``findings.error``, imported when there is an error to report."""
    from arkivlucka.core.findings import error as make

    return make(code, message, **where)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE_OPTIONS)


def iterparse_safe(
    source: Any,
    events: tuple[str, ...] = ("end",),
    *,
    tag: str | None = None,
    schema: etree.XMLSchema | None = None,
) -> etree.iterparse:
    """``lxml.etree.iterparse`` with the safe options, validating against ``schema`` if given."""
    extra: dict[str, Any] = {} if schema is None else {"schema": schema}
    return etree.iterparse(source, events=events, tag=tag, **SAFE_OPTIONS, **extra)


def line_of(node: etree._Element | None) -> int | None:
    """The line ``node`` was parsed from (None: no node, or a line lxml does not know)."""
    line: object = node.sourceline if node is not None else None
    return line if isinstance(line, int) else None


def drop(el: etree._Element) -> None:
    """Free a streamed element once read: its content and the siblings before it."""
    el.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml has it; the stubs do not
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def root_tag(source: BinaryIO) -> str | None:
    """The root element's tag (``{namespace}name``), read from the start; None when unreadable."""
    try:
        for _, el in iterparse_safe(source, ("start",)):
            return str(el.tag)
    except etree.XMLSyntaxError:
        return None
    return None


def parse_trusted(data: bytes) -> etree._ElementTree:
    """Parse bytes arkivlucka itself just made (same safe parser, no hostility checks)."""
    return etree.fromstring(data, _parser()).getroottree()


def parse_xml(data: bytes, file: str) -> tuple[etree._ElementTree | None, list[Finding]]:
    """Parse ``data``; return the tree, or None and findings saying what is wrong and where.

    External entities are never resolved, no DTD is loaded and nothing is fetched; a document
    that declares entities is refused, and an entity-expansion bomb stops at once. Any other
    DOCTYPE and any XInclude element are refused too (``hostile``).
    """
    return _parse(lambda: etree.fromstring(data, _parser()), file)


def _parse(
    load: Callable[[], etree._Element], file: str
) -> tuple[etree._ElementTree | None, list[Finding]]:
    try:
        root = load()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        msg = exc.msg or str(exc)
        if "amplification" in msg or ("entity" in msg.lower() and "loop" in msg.lower()):
            return None, [
                _error(
                    "xml-entity-bomb",
                    "entity expansion is out of proportion (an entity bomb?); refused",
                    file=file,
                    line=line,
                )
            ]
        return None, [
            _error("xml-not-well-formed", f"not well-formed XML: {msg}", file=file, line=line)
        ]
    tree = root.getroottree()
    return (None, refused) if (refused := hostile(tree, file)) else (tree, [])


XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")


def hostile(tree: etree._ElementTree, file: str) -> list[Finding]:
    """Why a parsed document is refused: any DOCTYPE, or XInclude elements anywhere.

    Nothing they name is ever read (no DTD is loaded, XInclude is never processed), but a
    document that asks for either is not one we made or expect, so it is refused.
    """
    info: Any = tree.docinfo  # lxml-stubs lack doctype/system_url
    dtd = info.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        return [
            _error(
                "xml-entity",
                "the document declares entities in a DOCTYPE; refused "
                "(external entities are never resolved)",
                file=file,
                line=1,
            )
        ]
    if info.doctype or info.system_url or info.public_id or dtd is not None:
        ext = info.system_url or info.public_id
        said = f" naming {ext!r}" if ext else ""
        return [
            _error(
                "xml-doctype",
                f"the document has a DOCTYPE{said}; refused (a DTD is never loaded, and the "
                "documents arkivlucka reads have none)",
                file=file,
                line=1,
            )
        ]
    for el in tree.getroot().iter(*(f"{{{ns}}}*" for ns in XINCLUDE_NAMESPACES)):
        return [
            _error(
                "xml-xinclude",
                f"the document holds an XInclude element <{etree.QName(el).localname}>; "
                "refused (XInclude is never processed)",
                file=file,
                line=el.sourceline,
                path=tree.getpath(el),
            )
        ]
    return []


class _ReadOnly:
    """A file seen only through ``read``."""

    def __init__(self, fh: BinaryIO) -> None:
        self.read = fh.read


def parse_xml_file(path: str | Path) -> tuple[etree._ElementTree | None, list[Finding]]:
    """Read and safely parse the XML file at ``path``; unreadable files become findings."""
    name = str(path)
    try:
        # parsed as it is read: a huge file or a device such as /dev/zero is never held whole
        with open_regular(path) as fh:
            source = _ReadOnly(fh)  # no .name: lxml would encode it (fails for undecodable names)
            return _parse(lambda: etree.parse(source, _parser()).getroot(), name)  # type: ignore[arg-type]
    except OSError as exc:
        return None, [_error("unreadable", f"cannot read: {exc.strerror}", file=name)]
