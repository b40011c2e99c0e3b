"""Package stage, preservation metadata written as a stream: premis.xml without the whole tree.

The incident's part (lost records, events, agents) is built as a tree by ``premis`` with a
comment marker where the payload files' ``file`` objects go and another where the format
identification event links them. Each batch of files is built as a small tree under a root
of the same depth, serialised by lxml and spliced in, so the bytes are those of
``premis.build_premis`` (``tests/delivery/test_premis_stream.py`` compares them) while memory
holds one batch of elements at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, BinaryIO

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.delivery import premis
from arkivlucka.delivery.premis_files import file_objects
from arkivlucka.entries.build import incident_id
from arkivlucka.incident import model as m
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.namespaces import PREMIS as NS
from arkivlucka.xmldoc.namespaces import XSI

if TYPE_CHECKING:
    from arkivlucka.delivery.identify import IdentifiedFile

BATCH = 500  # files built and serialised together


def _pretty(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", pretty_print=True, xml_declaration=False)


def _root() -> etree._Element:
    return etree.Element(f"{{{NS}}}premis", nsmap={"premis": NS, "xsi": XSI})


def _objects(objid: str, files: Sequence[IdentifiedFile], event: str) -> bytes:
    """The ``file`` objects of ``files`` as they appear in the document, each after a newline."""
    root = _root()
    file_objects(root, objid, files, event)
    data = _pretty(root)
    return data[data.index(b">") + 1 : data.rindex(b"\n</premis:premis>")]


def _links(objid: str, files: Sequence[IdentifiedFile]) -> bytes:
    """The event's ``linkingObjectIdentifier`` elements for ``files``, each after a newline."""
    root = _root()
    event = etree.SubElement(root, f"{{{NS}}}event")
    for f in files:
        link = etree.SubElement(event, f"{{{NS}}}linkingObjectIdentifier")
        etree.SubElement(link, f"{{{NS}}}linkingObjectIdentifierType").text = premis.ID_TYPE
        etree.SubElement(link, f"{{{NS}}}linkingObjectIdentifierValue").text = f"{objid}/{f.rel}"
    data = _pretty(root)
    start = data.index(b"<premis:event>") + len(b"<premis:event>")
    return data[start : data.rindex(b"\n  </premis:event>")]


def write_premis(
    out: BinaryIO, incident: m.Incident, objid: str, ctx: RunContext,
    unvalidated_note: str | None = None, files: Sequence[IdentifiedFile] = (),
) -> None:  # fmt: skip
    """Write ``premis.xml``: the same bytes as ``premis.build_premis`` with the same input."""
    if not files:
        out.write(premis.build_premis(incident, objid, ctx, unvalidated_note, files))
        return
    data = serialise(premis.premis_tree(incident, objid, ctx, unvalidated_note, files, True))
    head, _, rest = data.partition(f"<!--{premis.OBJECTS_MARKER}-->".encode())
    middle, _, tail = rest.partition(f"<!--{premis.LINKS_MARKER}-->".encode())
    event = premis.format_event(incident_id(incident))
    out.write(head[: head.rindex(b"\n")])
    for start in range(0, len(files), BATCH):
        out.write(_objects(objid, files[start : start + BATCH], event))
    out.write(middle[: middle.rindex(b"\n")])
    for start in range(0, len(files), BATCH):
        out.write(_links(objid, files[start : start + BATCH]))
    out.write(tail)
