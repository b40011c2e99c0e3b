"""Verify stage: check an FGS Paketstruktur 1.2 package (``sip.xml`` or ``mets.xml`` at its root).

METS validity (official METS 1.12; Riksarkivet's ``CSPackageMETS.xsd`` and
``CSPackageExtensionMETS.xsd`` too when they are in the schema folder given: they are on no
package registry), the 1.2 rules (``verify12_rules``), fixity (SIZE and SHA-256 or another
CHECKSUMTYPE), every listed file present and every present file listed.
"""

from __future__ import annotations

import functools
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery.fgs12 import EXT
from arkivlucka.delivery.hashshare import hash_all
from arkivlucka.delivery.reader import ALGORITHMS, PackageReader, Progress, hash_or_error
from arkivlucka.delivery.verify12_rules import Ref, check_sip, mets_name, refs
from arkivlucka.files.zipsafe import member_problem
from arkivlucka.xmldoc import official
from arkivlucka.xmldoc.namespaces import METS
from arkivlucka.xmldoc.namespaces import XSD as _XSD
from arkivlucka.xmldoc.parse import parse_xml
from arkivlucka.xmldoc.validate import validate_tree

if TYPE_CHECKING:
    from arkivlucka.delivery.verify import VerifyResult

RA_SCHEMAS = {METS: "CSPackageMETS.xsd", EXT: "CSPackageExtensionMETS.xsd"}
#: imports RA's schemas make by URL, answered by the official files of the same kind
_KNOWN_IMPORTS = {"xlink.xsd": "mets/xlink.xsd", "xml.xsd": "mets/xml.xsd"}

__all__ = ["check_sip", "mets_name", "ra_schema_findings", "split_schemas", "verify_12"]


def split_schemas(schema_dir: Path | None) -> tuple[Path | None, Path | None]:
    """The official-schema folder and Riksarkivet's 1.2 schema folder in one given folder.

    Riksarkivet's two files are looked for in the folder itself or its ``fgs-1.2/``; the
    folder is used for the official schemas only when it holds them (a ``mets/`` folder), so
    a folder of Riksarkivet's files alone leaves the installed official schemas in use.
    """
    if schema_dir is None:
        return None, None
    ra = next(
        (
            d
            for d in (schema_dir, schema_dir / "fgs-1.2")
            if all((d / n).is_file() for n in RA_SCHEMAS.values())
        ),
        None,
    )
    return (schema_dir if (schema_dir / "mets").is_dir() else None), ra


class _Resolver(etree.Resolver):
    """RA's schemas' imports: a file of that name in the folder given, else an official one."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        """Return a local file for an import (never the network)."""
        base = (system_url or "").rpartition("/")[2]
        local = self.folder / base
        if base and local.is_file():
            return self.resolve_filename(str(local), context)  # type: ignore[attr-defined]
        if base in _KNOWN_IMPORTS:
            path = official.official_path(_KNOWN_IMPORTS[base], None)
            return self.resolve_filename(str(path), context)  # type: ignore[attr-defined]
        return None


@functools.cache
def _ra_schema(folder: Path, _stamp: tuple[float, ...]) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_Resolver(folder))
    xs = _XSD
    wrapper = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for ns, name in RA_SCHEMAS.items():
        etree.SubElement(
            wrapper, f"{{{xs}}}import", namespace=ns, schemaLocation=(folder / name).as_uri()
        )
    text = etree.tostring(wrapper)
    return etree.XMLSchema(etree.fromstring(text, parser, base_url=str(folder / "_wrapper.xsd")))


def ra_schema_findings(root: etree._Element, name: str, schema_dir: Path | None) -> list[Finding]:
    """Validate against Riksarkivet's 1.2 schemas when ``schema_dir`` holds both; else nothing."""
    if schema_dir is None or not all((schema_dir / n).is_file() for n in RA_SCHEMAS.values()):
        return []
    folder = schema_dir.resolve()
    stamp = tuple((folder / n).stat().st_mtime for n in RA_SCHEMAS.values())
    try:
        schema = _ra_schema(folder, stamp)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        msg = f"Riksarkivet's 1.2 schemas in {schema_dir} cannot be compiled: {exc}"
        return [error("FGS12-SCHEMA", msg, file=name)]
    if schema.validate(root.getroottree()):
        return []
    return [
        error(
            "FGS12-SCHEMA",
            f"not valid against Riksarkivet's 1.2 schemas: {e.message}",
            file=name,
            line=e.line or None,
        )
        for e in schema.error_log  # type: ignore[attr-defined]
    ]


def _metadata(
    reader: PackageReader, name: str, schema_dir: Path | None, result: VerifyResult, walked: object
) -> list[tuple[str, list[Ref]]] | None:
    """Parse, validate and check ``sip.xml``; return the files to compare."""
    out = result.findings
    try:
        data = reader.read(name)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        out.append(error("unreadable", f"cannot be read: {exc}", file=name))
        return None
    tree, found = parse_xml(data, name)
    out += found
    if tree is None:
        return None
    root = tree.getroot()
    assert callable(walked)
    walked()
    official_dir, ra_dir = split_schemas(schema_dir)
    out += validate_tree(tree, name, external_dir=official_dir)
    out += check_sip(root, name)
    ra = ra_schema_findings(root, name, ra_dir)
    if ra_dir is None:
        out.append(
            warning(
                "FGS12-SCHEMA",
                "not validated against Riksarkivet's CSPackageMETS.xsd and "
                "CSPackageExtensionMETS.xsd (they are on no package registry; give the folder "
                "holding them as the schema folder)",
                file=name,
            )
        )
    out += ra
    return _tasks(reader, refs(root), name, out)


def _tasks(
    reader: PackageReader, listed: list[Ref], name: str, out: list[Finding]
) -> list[tuple[str, list[Ref]]]:
    by_path: dict[str, list[Ref]] = {}
    for ref in listed:
        if member_problem(ref.path):
            msg = f"reference '{ref.path}' points outside the package"
            out.append(error("href-unsafe", msg, file=name, line=ref.line))
            continue
        by_path.setdefault(ref.path, []).append(ref)
    tasks = []
    for path, items in sorted(by_path.items()):
        if path not in reader.sizes:
            for ref in items:
                msg = f"{path} is listed in {name} but missing from the package"
                out.append(error("FGS12-MISSING", msg, file=name, line=ref.line, path=path))
        else:
            tasks.append((path, items))
    for rel in sorted(set(reader.sizes) - set(by_path) - {name}):
        msg = f"{rel} is in the package but not listed in {name}"
        out.append(error("FGS12-UNLISTED", msg, file=name, path=rel))
    return tasks


def _compare(path: str, items: list[Ref], reader: PackageReader, outcome: object, name: str, result: VerifyResult,
    schema_dir: Path | None = None,) -> None:  # fmt: skip
    wanted = {(r.checksum_type or "").strip().upper() for r in items} & set(ALGORITHMS)
    if wanted - {"SHA-256"} or isinstance(outcome, Exception) or outcome is None:
        outcome = hash_or_error(reader, path, wanted, False)
    if isinstance(outcome, Exception):
        result.findings.append(error("unreadable", f"{path}: cannot be read: {outcome}", path=path))
        return
    assert isinstance(outcome, tuple)
    size, digests = outcome[0], outcome[1]
    result.files += 1
    result.bytes += size
    for ref in items:
        where = {"file": name, "line": ref.line, "path": path}
        if ref.size is not None and ref.size.strip() != str(size):
            msg = f"{path}: {name} says SIZE {ref.size}, the file has {size} bytes"
            result.findings.append(error("FGS12-SIZE", msg, **where))
        kind = (ref.checksum_type or "").strip().upper()
        if ref.checksum and kind not in ALGORITHMS:
            msg = f"{path}: unsupported CHECKSUMTYPE '{ref.checksum_type}'"
            result.findings.append(error("FGS12-CHECKSUMTYPE", msg, **where))
        elif ref.checksum and digests[kind] != ref.checksum.strip().lower():
            msg = f"{path}: {kind} checksum does not match (the file has changed)"
            result.findings.append(error("FGS12-CHECKSUM", msg, **where))
    if path.lower().startswith("metadata/") and path.lower().endswith(".xml"):
        _validate_member(reader, path, schema_dir, result)


def _validate_member(
    reader: PackageReader, path: str, schema_dir: Path | None, result: VerifyResult
) -> None:
    """Metadata XML of a kind we know (PREMIS, our entries, EAC-CPF …) must be valid."""
    try:
        data = reader.read(path)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        result.findings.append(error("unreadable", f"{path}: cannot be read: {exc}", path=path))
        return
    tree, found = parse_xml(data, path)
    result.findings += found
    if tree is not None:
        external = split_schemas(schema_dir)[0]
        result.findings += [
            f
            for f in validate_tree(tree, path, external_dir=external)
            if f.code != "xml-unknown-kind"
        ]


def verify_12(
    reader: PackageReader,
    path: Path,
    schema_dir: Path | None,
    result: VerifyResult,
    progress: Progress | None = None,
) -> VerifyResult:
    """Verify the 1.2 package ``reader`` reads (its METS file found by ``mets_name``).

    ``progress`` is told (files read so far, files to read), as by ``verify_package``.
    """
    name = mets_name(reader)
    assert name is not None
    try:
        tasks, outcomes = hash_all(
            reader, lambda walked: _metadata(reader, name, schema_dir, result, walked), progress
        )
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        result.findings.append(
            error("unreadable", f"the package cannot be read: {exc}", file=str(path))
        )
        return result
    result.findings += [f for f in reader.findings if f not in result.findings]
    for rel, items in tasks or []:
        _compare(rel, items, reader, outcomes.get(rel), name, result, schema_dir)
    result.files += 1
    if reader.zip is not None:
        reader.zip.close()
    return result
