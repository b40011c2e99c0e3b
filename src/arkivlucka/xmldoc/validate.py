"""Validate stage: check XML documents against the schema their namespace and root call for.

Official schemas are looked up as ``official`` says (a given folder, ``$ARKIVLUCKA_SCHEMAS``,
the installed sources); when one is missing or changed the document is not validated and the
finding (``official-schema-missing``/``-changed``) says so: never a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from lxml import etree

from arkivlucka.xmldoc import schemas
from arkivlucka.xmldoc.parse import parse_xml, parse_xml_file

if TYPE_CHECKING:  # a valid document needs neither (``validate`` starts faster without)
    from pathlib import Path

    from arkivlucka.core.findings import Finding


def validate_tree(
    tree: etree._ElementTree,
    file: str,
    *,
    external_dir: Path | None = None,
    official_schemas: bool = True,
) -> list[Finding]:
    """Validate a parsed document; return findings (empty when valid).

    ``external_dir`` is a folder of official schemas to use instead of the usual lookup;
    without ``official_schemas`` a document of an official kind is not schema-checked at all
    (the caller says so in its output).
    """
    root = tree.getroot()
    qname = etree.QName(root)
    info = schemas.lookup(qname.namespace, qname.localname)
    if info is None:
        from arkivlucka.core.findings import error

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
    if not info.bundled:
        if not official_schemas:
            return []
        problems = schemas.official_problems(info, external_dir)
        line = cast("int | None", root.sourceline)
        if problems:
            import dataclasses

            return [
                dataclasses.replace(
                    f, message=f"{info.label} not validated: {f.message}", file=file, line=line
                )
                for f in problems
            ]
    schema = schemas.schema_for(info, external_dir)
    if schema.validate(tree):
        return []
    from arkivlucka.core.findings import error

    return [
        error("xml-schema", e.message, file=file, line=e.line or None, path=e.path or None)
        for e in schema.error_log  # type: ignore[attr-defined]
    ]


def validate_bytes(
    data: bytes, file: str, *, external_dir: Path | None = None, official_schemas: bool = True
) -> list[Finding]:
    """Safely parse and validate one document given as bytes."""
    tree, findings = parse_xml(data, file)
    if tree is None:
        return findings
    return validate_tree(tree, file, external_dir=external_dir, official_schemas=official_schemas)


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
