"""Package stage, preservation metadata: PREMIS ``file`` objects for identified payload files.

Each payload file gets an object with its PRONOM format (``formatDesignation`` and
``formatRegistry`` PRONOM/PUID), linked to a ``format identification`` event whose agent is
the identifying software (siegfried with its signature files).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.xmldoc.build import add
from arkivlucka.xmldoc.namespaces import PREMIS as NS
from arkivlucka.xmldoc.namespaces import XSI

if TYPE_CHECKING:
    from arkivlucka.delivery.identify import IdentifiedFile

PRONOM = "PRONOM"


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    return add(parent, f"{{{NS}}}{tag}", text)


def _ident(parent: etree._Element, tag: str, value: str) -> None:
    el = _add(parent, tag)
    _add(el, f"{tag}Type", "local")
    _add(el, f"{tag}Value", value)


def file_objects(
    root: etree._Element, objid: str, files: Sequence[IdentifiedFile], event: str | None
) -> None:
    """Append one ``file`` object per payload file (its format, original name, the event)."""
    for f in files:
        obj = _add(root, "object")
        obj.set(f"{{{XSI}}}type", "premis:file")
        _ident(obj, "objectIdentifier", f"{objid}/{f.rel}")
        fmt = _add(_add(obj, "objectCharacteristics"), "format")
        ident = f.format
        if ident.known:
            designation = _add(fmt, "formatDesignation")
            _add(designation, "formatName", ident.name or ident.puid)
            if ident.version:
                _add(designation, "formatVersion", ident.version)
            registry = _add(fmt, "formatRegistry")
            _add(registry, "formatRegistryName", PRONOM)
            _add(registry, "formatRegistryKey", ident.puid)
            _add(registry, "formatRegistryRole", "identification")
        else:
            _add(_add(fmt, "formatDesignation"), "formatName", "okänt format")
        note = _note(ident.basis, ident.warning, ident.known)
        if note:
            _add(fmt, "formatNote", note)
        _add(obj, "originalName", f.original)
        if event:
            _ident(obj, "linkingEventIdentifier", event)


def _note(basis: str | None, warn: str | None, known: bool) -> str | None:
    if not known:
        return "Formatet kunde inte identifieras mot PRONOM."
    text = f"Identifierat av siegfried: {basis}" if basis else "Identifierat av siegfried"
    return f"{text} (varning: {warn})" if warn else text


def identified_by(root: etree._Element, tool: str, ident: str) -> None:
    """Append the identifying software (``tool``) as the agent ``ident``."""
    agent = _add(root, "agent")
    _ident(agent, "agentIdentifier", ident)
    _add(agent, "agentName", tool)
    el = _add(agent, "agentType", "software")
    el.set("authority", "agentType")
    el.set("authorityURI", "http://id.loc.gov/vocabulary/preservation/agentType")
    el.set("valueURI", "http://id.loc.gov/vocabulary/preservation/agentType/sof")
