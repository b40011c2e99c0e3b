"""Validate stage: the XSD schemas we know, picked by namespace and root, loaded lazily.

Our own schemas are package data (``importlib.resources``); third-party schemas (METS,
PREMIS, EAD3) are never shipped and are looked for only in a folder the caller names.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

NS_ARKIVREDOVISNING = "urn:arkivlucka:arkivredovisning:1.0"
NS_ARKIVFORTECKNING = "urn:arkivlucka:arkivforteckning:1.0"
NS_METS = "http://www.loc.gov/METS/"
NS_CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
NS_SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
NS_PREMIS = "http://www.loc.gov/premis/v3"
#: Environment variable naming the folder of the official third-party schemas.
SCHEMAS_ENV = "ARKIVLUCKA_SCHEMAS"


@dataclass(frozen=True)
class SchemaInfo:
    """One known document kind: its namespace, root element, schema file and a label."""

    namespace: str
    root: str
    filename: str
    label: str
    bundled: bool = True
    #: extra schemas (namespace, file in the same folder) compiled together with this one
    imports: tuple[tuple[str, str], ...] = ()


#: Every kind of document ``validate`` recognises. Later stages add their own rows here.
KNOWN: list[SchemaInfo] = [
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivbeskrivningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivbeskrivning entry"),
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivforteckningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivförteckning entry"),
    SchemaInfo(NS_ARKIVFORTECKNING, "Arkivforteckning", "arkivlucka-arkivforteckning-1.0.xsd", "archive inventory (arkivförteckning)"),
    SchemaInfo(NS_METS, "mets", "mets.xsd", "METS document", False, ((NS_CSIP, "DILCISExtensionMETS.xsd"), (NS_SIP, "DILCISExtensionSIPMETS.xsd"))),
    SchemaInfo(NS_PREMIS, "premis", "premis-v3.xsd", "PREMIS 3 document", False),
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


@functools.cache
def bundled_schema_dir() -> Path:
    """Return the folder of the schemas shipped with the package.

    The package is always installed as files (the path is handed to libxml2), so the folder
    beside this module is the one ``importlib.resources`` would name, without its start-up cost.
    """
    return Path(__file__).with_name("schemas")


def bundled_schema_path(filename: str) -> Path:
    """Return the path of one shipped schema file."""
    return bundled_schema_dir() / filename


@functools.cache
def load_schema(path: str) -> etree.XMLSchema:
    """Compile and cache the XSD at ``path`` (imports resolved relative to it, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(path, parser))


class _LocalResolver(etree.Resolver):
    """Resolve a schema's network imports to files of the same name in one folder, offline.

    An OASIS catalog (``catalog.xml``) in the folder is honoured first; otherwise the last
    segment of the URL is looked up in the folder.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.mapping: dict[str, Path] = {}
        catalog = folder / "catalog.xml"
        if catalog.is_file():
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            for el in etree.parse(str(catalog), parser).iter():
                key = el.get("name") or el.get("systemId")
                if key and el.get("uri"):
                    self.mapping[key] = folder / str(el.get("uri"))

    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        """Return the local copy of ``system_url`` if there is one (never the network)."""
        target = self.mapping.get(system_url)
        if target is None and "://" in (system_url or ""):
            target = self.folder / system_url.rstrip("/").rsplit("/", 1)[-1]
        if target is not None and target.is_file():
            return self.resolve_filename(str(target), context)  # type: ignore[attr-defined]
        return None


@functools.cache
def load_external_schema(path: str, imports: tuple[tuple[str, str], ...] = ()) -> etree.XMLSchema:
    """Compile a third-party XSD (and ``imports`` beside it), network imports resolved locally."""
    folder = Path(path).parent
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_LocalResolver(folder))
    present = [(ns, name) for ns, name in imports if (folder / name).is_file()]
    if not present:
        return etree.XMLSchema(etree.parse(path, parser))
    xs = "http://www.w3.org/2001/XMLSchema"
    wrapper = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for ns, name in [(None, Path(path).name), *present]:
        imp = etree.SubElement(wrapper, f"{{{xs}}}import", schemaLocation=name)
        doc = etree.parse(str(folder / name), parser)
        imp.set("namespace", ns or str(doc.getroot().get("targetNamespace")))
    text = etree.tostring(wrapper)
    return etree.XMLSchema(etree.fromstring(text, parser, base_url=str(folder / "_wrapper.xsd")))


def external_dir_from_env(given: Path | None = None) -> Path | None:
    """The official-schema folder: ``given``, else ``$ARKIVLUCKA_SCHEMAS``, else None."""
    if given is not None:
        return given
    env = os.environ.get(SCHEMAS_ENV)
    return Path(env) if env else None


def schema_for(info: SchemaInfo, external_dir: Path | None = None) -> etree.XMLSchema | None:
    """Return the compiled schema for ``info``; None when a third-party schema is not found."""
    if info.bundled:
        return load_schema(str(bundled_schema_path(info.filename)))
    external_dir = external_dir_from_env(external_dir)
    if external_dir is None:
        return None
    candidate = external_dir / info.filename
    if not candidate.is_file():
        return None
    return load_external_schema(str(candidate.resolve()), info.imports)
