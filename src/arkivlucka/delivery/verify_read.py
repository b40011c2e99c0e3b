"""Verify stage, reading METS and metadata XML for ``verify``: streamed where plainly valid.

How each METS file is read (``metsread``: a slim tree, validated on the stream; a
representation METS by the forked worker, ``preread``, and shipped here) and when it is read
whole instead; and large
metadata XML validated as a stream. The whole reading is the reference: any doubt falls back
to it, so the findings are always the whole reading's.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NamedTuple

from lxml import etree

from arkivlucka.core.findings import Finding, error
from arkivlucka.delivery import vocab
from arkivlucka.delivery.check_struct import TypeCache
from arkivlucka.delivery.metsread import NotPlain, Slim, read_slim
from arkivlucka.delivery.metsship import Shipped, ship, unship
from arkivlucka.delivery.reader import PackageReader
from arkivlucka.xmldoc.namespaces import METS_PREFIXES as NS
from arkivlucka.xmldoc.parse import drop, iterparse_safe, parse_xml, root_tag
from arkivlucka.xmldoc.validate import validate_tree


def parse_whole(reader: PackageReader, rel: str, out: list[Finding]) -> etree._ElementTree | None:
    """``rel`` read and parsed whole; None (and a finding in ``out``) when that fails."""
    try:
        data = reader.read(rel)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        out.append(error("unreadable", f"cannot be read: {why}", file=rel))
        return None
    tree, found = parse_xml(data, rel)
    out += found
    return tree


class Plan(NamedTuple):
    """How METS files are read: the METS schema and the IANA types, for the streamed reading."""

    schema: etree.XMLSchema
    types: TypeCache


def plan(schema_dir: Path | None) -> Plan | None:
    """The streamed reading's needs; None when the whole reading must report.

    That is when the schema or the IANA list is missing or changed (nothing is taken out of
    a tree without the IANA list).
    """
    from arkivlucka.xmldoc import schemas

    info = schemas.lookup(NS["mets"], "mets")
    iana = vocab.terms(vocab.IANA)
    if info is None or iana is None or schemas.official_problems(info, schema_dir):
        return None
    return Plan(schemas.schema_for(info, schema_dir), TypeCache(iana))


def rep_mets(rel: str) -> bool:
    """A representation METS where CSIP puts one: validated by the worker when it can."""
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == "representations" and parts[2] == "METS.xml"


def preread(reader: PackageReader, plan: Plan) -> dict[str, Shipped | None]:
    """On the worker: each representation METS read as ``stream`` reads it, shipped.

    None for one that is to be read by the main process instead (not plainly valid, too long
    to ship); the main process then reads it as it reads the package METS.
    """
    out: dict[str, Shipped | None] = {}
    for rel in sorted(r for r in reader.sizes if rep_mets(r)):
        got = stream(reader, rel, plan, {}, False)
        out[rel] = ship(*got) if got is not None else None
    return out


def side_job(reader: PackageReader, needs: Callable[[], Plan | None]) -> dict[str, Any]:
    """On the forked worker, after the listing: each representation METS read and shipped.

    ``needs`` gives the streamed reading's needs (``plan``; the worker may work them out
    itself, so it can start before they are loaded); without them it reads nothing (the main
    process then reads every METS file whole).
    """
    if not any(rep_mets(rel) for rel in reader.sizes):
        return {}  # nothing to read: nothing to load or compile either
    got = needs()
    return dict(preread(reader, got)) if got is not None else {}


def shipped(
    results: dict[str, Shipped | None] | None, rel: str
) -> tuple[etree._ElementTree, Slim] | None:
    """The worker's reading of ``rel`` (``preread``), rebuilt here; None: read it here."""
    got = (results or {}).get(rel)
    if got is None:
        return None
    try:
        return unship(got)
    except NotPlain:
        return None


def stream(
    reader: PackageReader, rel: str, plan: Plan, canon: dict[str, str], validated: bool
) -> tuple[etree._ElementTree, Slim] | None:
    """``rel`` read as a stream into a slim tree; None: read it whole instead.

    Validated as it is read, unless ``validated`` (the caller has it validated otherwise).
    """
    from arkivlucka.xmldoc.parse import hostile

    try:
        with reader.open(rel) as fh:
            schema = None if validated else plan.schema
            tree, slim = read_slim(fh, rel, schema, plan.types, canon)
    except (NotPlain, OSError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
    if tree.getroot().tag != f"{{{NS['mets']}}}mets" or hostile(tree, rel):
        return None
    return tree, slim


def read_mets(
    reader: PackageReader,
    rel: str,
    plan: Plan | None,
    out: list[Finding],
    canon: dict[str, str] | None,
    validated: bool = False,
) -> tuple[etree._ElementTree, Slim | None] | None:
    """One METS file: streamed into a slim tree when plainly valid, else parsed whole.

    ``canon``: one string per path (``metsread.listing``); None (or no ``plan``): parse whole.
    """
    got = None
    if canon is not None and plan is not None:
        got = stream(reader, rel, plan, canon, validated)
    if got is not None:
        return got
    tree = parse_whole(reader, rel, out)
    return None if tree is None else (tree, None)


def xml_findings(data: bytes, path: str, schema_dir: Path | None) -> list[Finding]:
    """A metadata document parsed whole and validated (an unknown kind is no finding here)."""
    tree, found = parse_xml(data, path)
    if tree is not None:
        found += [
            f
            for f in validate_tree(tree, path, external_dir=schema_dir)
            if f.code != "xml-unknown-kind"
        ]
    return found


_XINCLUDE = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")
#: attribute names an ID goes by (METS, EAD, PREMIS, xml:id): a value seen twice is read whole
_ID_NAMES = frozenset(("ID", "id", "xmlID", "{http://www.w3.org/XML/1998/namespace}id"))


def validates(source: IO[bytes], schema: etree.XMLSchema) -> bool:
    """Whether the document in ``source`` is plainly valid, read as a stream in bounded memory.

    Each element is dropped once parsed. Not plainly valid: not well-formed, a schema error, a
    DOCTYPE, an XInclude element, or an ID value given twice (a stream is never told of a
    repeated xs:ID); the whole reading then reports.
    """
    events = iterparse_safe(source, tag=None, schema=schema)
    seen: set[str] = set()
    try:
        for _, el in events:
            if str(el.tag).startswith(_XINCLUDE):
                return False
            if len(el.attrib):
                for name in _ID_NAMES.intersection(el.keys()):
                    value = str(el.get(name))
                    if value in seen:
                        return False
                    seen.add(value)
            drop(el)
    except etree.XMLSyntaxError:
        return False
    root = events.root
    if root is None:
        return False
    info: Any = root.getroottree().docinfo
    return not (info.doctype or info.internalDTD is not None or info.system_url or info.public_id)


def large_xml_findings(reader: PackageReader, path: str, schema_dir: Path | None) -> list[Finding]:
    """A large metadata document (a PREMIS file of every payload file) validated as a stream.

    Plainly valid: no finding, in bounded memory. Anything else (a schema error, a DOCTYPE,
    an unknown kind, a schema missing): parsed whole, so the findings are the whole reading's.
    """
    from arkivlucka.xmldoc import schemas

    try:
        with reader.open(path) as fh:
            tag = root_tag(fh)
        namespace, _, local = (tag or "").lstrip("{").rpartition("}")
        info = schemas.lookup(namespace or None, local) if tag else None
        if info is not None and (info.bundled or not schemas.official_problems(info, schema_dir)):
            with reader.open(path) as fh:
                if validates(fh, schemas.schema_for(info, schema_dir)):
                    return []
        data = reader.read(path)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        return [error("unreadable", f"{path}: cannot be read: {exc}", path=path)]
    return xml_findings(data, path, schema_dir)
