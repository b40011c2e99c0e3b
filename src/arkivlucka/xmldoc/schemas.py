"""Validate stage: the XSD schemas we know, picked by namespace and root, loaded lazily.

Our own schemas are package data (``importlib.resources``). The official schemas (METS,
PREMIS 3, EAD3, EAC-CPF, apeEAD) are never shipped: ``official`` finds and checks them, and
they are compiled offline, every network import resolved to a checked local file.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.xmldoc import namespaces as _ns
from arkivlucka.xmldoc.namespaces import XSD as _XSD

if TYPE_CHECKING:  # validating one of our own documents needs neither (a faster start)
    from pathlib import Path

    from arkivlucka.core.findings import Finding

# ``official`` (hashing, the manifest, importlib.metadata) is imported only where an official
# schema is asked for: validating our own documents, the usual case, never needs it.

NS_ARKIVREDOVISNING = _ns.ARKIVREDOVISNING
NS_ARKIVFORTECKNING = _ns.ARKIVFORTECKNING
NS_METS = _ns.METS
NS_CSIP = _ns.CSIP
NS_SIP = _ns.SIP
NS_PREMIS = _ns.PREMIS
NS_EAD3 = _ns.EAD3
NS_EAC_CPF = _ns.EAC_CPF
NS_EAD2002 = _ns.EAD2002
#: Network schemaLocations used by official schemas → the manifest key of the local file.
NETWORK_IMPORTS = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": "mets/xlink.xsd",
    "http://www.w3.org/2001/xml.xsd": "mets/xml.xsd",
}


class SchemaInfo:
    """One known document kind: namespace, root element, schema file and a label.

    ``filename`` is a file of ours (``bundled``) or the manifest key of an official schema.
    ``imports`` are extra official schemas (namespace, manifest key) compiled together with
    this one, ``needs`` further official files the schema reads (its own imports), checked
    before compiling. A plain class: made at start-up far faster than a dataclass or a
    NamedTuple (``validate`` of one small file is mostly start-up).
    """

    __slots__ = ("bundled", "filename", "imports", "label", "namespace", "needs", "root")

    def __init__(
        self, namespace: str, root: str, filename: str, label: str, bundled: bool = True,
        imports: tuple[tuple[str, str], ...] = (), needs: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        self.namespace, self.root, self.filename, self.label = namespace, root, filename, label
        self.bundled, self.imports, self.needs = bundled, imports, needs

    def _fields(self) -> tuple[object, ...]:
        return (self.namespace, self.root, self.filename, self.label, self.bundled)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is."""
        if not isinstance(other, SchemaInfo):
            return NotImplemented
        same = self._fields() == other._fields()
        return same and (self.imports, self.needs) == (other.imports, other.needs)

    def __hash__(self) -> int:
        """The hash of the fields."""
        return hash(self._fields())

    def __repr__(self) -> str:
        """``SchemaInfo(namespace, root, filename, ...)``."""
        return f"SchemaInfo{(*self._fields(), self.imports, self.needs)!r}"

    def official_keys(self) -> tuple[str, ...]:
        """Every official file this kind needs (none for our own schemas)."""
        if self.bundled:
            return ()
        return (self.filename, *(key for _, key in self.imports), *self.needs)


#: Every kind of document ``validate`` recognises. Later stages add their own rows here.
KNOWN: list[SchemaInfo] = [
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivbeskrivningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivbeskrivning entry"),
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivforteckningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivförteckning entry"),
    SchemaInfo(NS_ARKIVFORTECKNING, "Arkivforteckning", "arkivlucka-arkivforteckning-1.0.xsd", "archive inventory (arkivförteckning)"),
    SchemaInfo(NS_METS, "mets", "mets/mets.xsd", "METS document", False, ((NS_CSIP, "mets/DILCISExtensionMETS.xsd"), (NS_SIP, "mets/DILCISExtensionSIPMETS.xsd")), ("mets/xlink.xsd",)),
    SchemaInfo(NS_PREMIS, "premis", "premis/premis.xsd", "PREMIS 3 document", False),
    SchemaInfo(NS_EAD3, "ead", "ead3/ead3.xsd", "EAD3 document", False),
    SchemaInfo(NS_EAC_CPF, "eac-cpf", "eac-cpf/cpf.xsd", "EAC-CPF document", False, (), ("eac-cpf/xlink.xsd", "eac-cpf/xml.xsd")),
    SchemaInfo(NS_EAD2002, "ead", "apeead/apeEAD.xsd", "apeEAD document (EAD 2002, Archives Portal Europe)", False, (), ("apeead/xlink.xsd",)),
]  # fmt: skip


def lookup(namespace: str | None, root: str) -> SchemaInfo | None:
    """Return the schema for a document with this root namespace and local name, if known."""
    for info in KNOWN:
        if info.namespace == namespace and info.root == root:
            return info
    return None


def supported_namespaces() -> list[str]:
    """The namespaces ``validate`` knows, for messages."""
    return sorted({info.namespace for info in KNOWN})


def bundled_schema_dir() -> Path:
    """Return the folder of our own schemas: package data of the installed package.

    The wheel carries them as ``arkivlucka/schemas``; a source checkout (an editable install)
    reads the one copy in the repository's top-level ``schemas/``.
    """
    from pathlib import Path

    return Path(_bundled_dir())


@functools.cache
def _bundled_dir() -> str:
    # the package is installed as files (libxml2 is handed a path), so the folder beside the
    # package is the one importlib.resources would name, without its start-up cost (nor
    # pathlib's: ``validate`` of one of our documents runs without it)
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(package, "schemas")
    if os.path.isdir(packaged):
        return packaged
    checkout = os.path.join(os.path.dirname(os.path.dirname(package)), "schemas")
    if os.path.isfile(os.path.join(checkout, "arkivlucka-arkivredovisning-1.0.xsd")):
        return checkout
    return packaged


def bundled_schema_path(filename: str) -> Path:
    """Return the path of one shipped schema file."""
    return bundled_schema_dir() / filename


@functools.cache
def load_schema(path: str) -> etree.XMLSchema:
    """Compile and cache the XSD at ``path`` (imports resolved relative to it, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(path, parser))


@functools.cache
def _bundled_schema(filename: str) -> etree.XMLSchema:
    """One of our own schemas, compiled once (its path is looked up once too)."""
    return load_schema(os.path.join(_bundled_dir(), filename))


class _OfficialResolver(etree.Resolver):
    """Resolve the network imports of official schemas to the checked local files, offline."""

    def __init__(self, schema_dir: Path | None) -> None:
        super().__init__()
        self.schema_dir = schema_dir

    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        """Return the local copy of ``system_url`` if it is a known import (never the network)."""
        key = NETWORK_IMPORTS.get(system_url or "")
        if key is None:
            return None
        from arkivlucka.xmldoc import official

        path = official.official_path(key, self.schema_dir)
        return self.resolve_filename(str(path), context)  # type: ignore[attr-defined]


def _compile_official(info: SchemaInfo, schema_dir: Path | None) -> etree.XMLSchema:
    from arkivlucka.xmldoc import official

    main = official.official_path(info.filename, schema_dir)
    extra = tuple((ns, official.official_path(key, schema_dir)) for ns, key in info.imports)
    stamp = tuple(official.digest(p) for p in (main, *(p for _, p in extra)))
    return _load_official(str(main), tuple((ns, str(p)) for ns, p in extra), schema_dir, stamp)


@functools.cache
def _load_official(
    path: str,
    imports: tuple[tuple[str, str], ...],
    schema_dir: Path | None,
    _stamp: tuple[str | None, ...],
) -> etree.XMLSchema:
    from pathlib import Path

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_OfficialResolver(schema_dir))
    if not imports:
        return etree.XMLSchema(etree.parse(path, parser))
    xs = _XSD
    wrapper = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for ns, name in [(None, path), *imports]:
        imp = etree.SubElement(wrapper, f"{{{xs}}}import", schemaLocation=Path(name).as_uri())
        doc = etree.parse(name, parser)
        imp.set("namespace", ns or str(doc.getroot().get("targetNamespace")))
    text = etree.tostring(wrapper)
    base = str(Path(path).parent / "_wrapper.xsd")
    return etree.XMLSchema(etree.fromstring(text, parser, base_url=base))


def official_problems(info: SchemaInfo, schema_dir: Path | None = None) -> list[Finding]:
    """Findings for the official files ``info`` needs that are missing or changed."""
    from arkivlucka.xmldoc import official

    return official.check(info.official_keys(), schema_dir)


def schema_for(info: SchemaInfo, schema_dir: Path | None = None) -> etree.XMLSchema:
    """Return the compiled schema for ``info``.

    An official schema is looked up as ``official`` does (``schema_dir``, then
    ``$ARKIVLUCKA_SCHEMAS``, then the installed sources); ``OfficialSchemasError`` when a file
    it needs is missing or changed (check with ``official_problems`` first to get findings).
    """
    if info.bundled:
        return _bundled_schema(info.filename)
    from arkivlucka.xmldoc import official

    official.require(info.official_keys(), schema_dir)
    return _compile_official(info, schema_dir)
