"""Validate stage: the XSD schemas we know, picked by namespace and root, loaded lazily.

Our own schemas are package data (``importlib.resources``); third-party schemas (METS,
PREMIS, EAD3) are never shipped and are looked for only in a folder the caller names.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

NS_ARKIVREDOVISNING = "urn:arkivlucka:arkivredovisning:1.0"
NS_ARKIVFORTECKNING = "urn:arkivlucka:arkivforteckning:1.0"


@dataclass(frozen=True)
class SchemaInfo:
    """One known document kind: its namespace, root element, schema file and a label."""

    namespace: str
    root: str
    filename: str
    label: str
    bundled: bool = True


#: Every kind of document ``validate`` recognises. Later stages add their own rows here.
KNOWN: list[SchemaInfo] = [
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivbeskrivningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivbeskrivning entry"),
    SchemaInfo(NS_ARKIVREDOVISNING, "ArkivforteckningPost", "arkivlucka-arkivredovisning-1.0.xsd", "arkivförteckning entry"),
    SchemaInfo(NS_ARKIVFORTECKNING, "Arkivforteckning", "arkivlucka-arkivforteckning-1.0.xsd", "archive inventory (arkivförteckning)"),
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
    """Return the folder of the schemas shipped with the package."""
    return Path(str(resources.files("arkivlucka") / "schemas"))


def bundled_schema_path(filename: str) -> Path:
    """Return the path of one shipped schema file."""
    return bundled_schema_dir() / filename


@functools.cache
def load_schema(path: str) -> etree.XMLSchema:
    """Compile and cache the XSD at ``path`` (imports resolved relative to it, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(path, parser))


def schema_for(info: SchemaInfo, external_dir: Path | None = None) -> etree.XMLSchema | None:
    """Return the compiled schema for ``info``; None when a third-party schema is not found."""
    if info.bundled:
        return load_schema(str(bundled_schema_path(info.filename)))
    if external_dir is None:
        return None
    candidate = external_dir / info.filename
    return load_schema(str(candidate)) if candidate.is_file() else None
