"""Validate stage: check XML documents against the schema their namespace and root call for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.xmldoc import schemas
from arkivlucka.xmldoc.parse import parse_xml, parse_xml_file


def validate_tree(
    tree: etree._ElementTree, file: str, *, external_dir: Path | None = None
) -> list[Finding]:
    """Validate a parsed document; return findings (empty when valid)."""
    root = tree.getroot()
    qname = etree.QName(root)
    info = schemas.lookup(qname.namespace, qname.localname)
    if info is None:
        ns = qname.namespace or "(no namespace)"
        return [
            error(
                "xml-unknown-kind",
                f"unknown document: root <{qname.localname}> in namespace {ns}; supported "
                f"namespaces: {', '.join(schemas.supported_namespaces())}",
                file=file,
                line=root.sourceline,
                path=f"/{qname.localname}",
            )
        ]
    schema = schemas.schema_for(info, external_dir)
    if schema is None:
        return [
            warning(
                "schema-unavailable",
                f"the official schema for {info.label} ({info.filename}) was not found; "
                "give its folder with --schemas or $ARKIVLUCKA_SCHEMAS",
                file=file,
                line=root.sourceline,
            )
        ]
    if schema.validate(tree):
        return []
    return [
        error("xml-schema", e.message, file=file, line=e.line or None, path=e.path or None)
        for e in schema.error_log  # type: ignore[attr-defined]
    ]


def validate_bytes(data: bytes, file: str, *, external_dir: Path | None = None) -> list[Finding]:
    """Safely parse and validate one document given as bytes."""
    tree, findings = parse_xml(data, file)
    if tree is None:
        return findings
    return validate_tree(tree, file, external_dir=external_dir)


def validate_files(
    paths: Iterable[str | Path], *, external_dir: Path | None = None
) -> list[Finding]:
    """Validate every file; return all findings, in file order."""
    out: list[Finding] = []
    for path in paths:
        tree, findings = parse_xml_file(path)
        if tree is None:
            out += findings
            continue
        out += validate_tree(tree, str(path), external_dir=external_dir)
    return out
