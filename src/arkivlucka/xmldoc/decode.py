"""XML documents, decoding: a validated document of ours as plain, JSON-ready data.

lxml validates (fast, with line numbers); xmlschema then decodes the valid tree by its schema,
so values come out typed as the schema says (booleans, numbers) with attributes as ``@name``
and mixed text as ``$``. This is what ``--json`` output and the workbench show of an entry or
an inventory. Only our own kinds are decoded: the official schemas are validated, not decoded.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from arkivlucka.core.errors import XMLInputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.xmldoc import schemas
from arkivlucka.xmldoc.parse import parse_xml, parse_xml_file
from arkivlucka.xmldoc.validate import validate_tree


@functools.cache
def _decoder(filename: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(schemas.bundled_schema_path(filename)))


def decode_document(data: bytes, file: str = "<document>") -> dict[str, Any]:
    """Validate ``data`` (an entry or an inventory of ours) and return it as plain data.

    Raises ``XMLInputError`` with the findings when it is not well-formed, not one of our
    kinds, or not valid; nothing is decoded from an invalid document.
    """
    tree, findings = parse_xml(data, file)
    return _decode(tree, findings, file)


def decode_file(path: str | Path) -> dict[str, Any]:
    """``decode_document`` of the file at ``path``; an unreadable file is an ``XMLInputError``."""
    tree, findings = parse_xml_file(path)
    return _decode(tree, findings, str(path))


def _decode(tree: Any, findings: list[Finding], file: str) -> dict[str, Any]:
    if tree is None:
        raise XMLInputError(f"{file}: not readable as XML", findings)
    root = tree.getroot()
    qname = root.tag if isinstance(root.tag, str) else ""
    namespace, _, local = qname[1:].partition("}") if qname.startswith("{") else (None, "", qname)
    info = schemas.lookup(namespace, local)
    if info is None or not info.bundled:
        msg = f"not a document of arkivlucka's own (root {local or '?'}); only those are decoded"
        raise XMLInputError(f"{file}: {msg}", [error("xml-not-decodable", msg, file=file)])
    problems = [f for f in validate_tree(tree, file) if f.is_error]
    if problems:
        raise XMLInputError(f"{file}: not valid; not decoded", problems)
    decoded = _decoder(info.filename).to_dict(root)
    assert isinstance(decoded, dict)
    return decoded
