"""Package stage, structural metadata written as a stream: METS.xml without the whole tree.

The fixed parts of a METS document (header, dmdSec/amdSec, the small file groups, the
structMap) are built as a tree by ``mets`` with a marker where the big file group's files go;
the serialised skeleton is split there and every file is written between the halves as text
formatted exactly as lxml pretty-prints it. The bytes are the same as ``serialise`` of the
tree that ``mets`` builds (``tests/delivery/test_mets_stream.py`` compares them), while
memory holds one file's record at a time instead of about 3 KB of elements per file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from lxml import etree

from arkivlucka.delivery import mets
from arkivlucka.delivery.mets import CHECKSUM_TYPE, FileEntry, Header, href
from arkivlucka.xmldoc.build import escape_attr, serialise
from arkivlucka.xmldoc.namespaces import METS

MARKER = "arkivlucka-files"
BATCH = 256  # files joined into one write
#: an attribute value escaped as libxml2 serialises it (UTF-8 output)
attr = escape_attr


def _file_lines(
    entries: Iterable[FileEntry], prefix: str, strip: int, indent: str
) -> Iterator[str]:
    """The ``<mets:file>`` elements, as lxml pretty-prints them at ``indent``."""
    inner, ident = indent + "  ", attr(prefix)
    types: dict[str, str] = {}  # a few MIME types, escaped once each
    for count, e in enumerate(entries, 1):
        mime = types.get(e.mimetype)
        if mime is None:
            mime = types[e.mimetype] = attr(e.mimetype)
        yield (
            f'<mets:file ID="{ident}{count:06d}" MIMETYPE="{mime}" '
            f'SIZE="{e.size}" CREATED="{attr(e.created)}" CHECKSUM="{attr(e.checksum)}" '
            f'CHECKSUMTYPE="{CHECKSUM_TYPE}">\n{inner}<mets:FLocat LOCTYPE="URL" '
            f'xlink:type="simple" xlink:href="{attr(href(e.rel[strip:]))}"/>\n{indent}</mets:file>'
        )


def _write(
    out: BinaryIO,
    skeleton: etree._Element,
    entries: Iterable[FileEntry],
    prefix: str,
    strip: int,
) -> None:
    """Write ``skeleton`` with ``entries`` in place of its marker (the skeleton is consumed)."""
    data = serialise(skeleton)
    head, _, tail = data.partition(f"<!--{MARKER}-->".encode())
    indent = head.rpartition(b"\n")[2].decode()
    out.write(head)
    sep = f"\n{indent}"
    batch: list[str] = []
    written = 0
    for line in _file_lines(entries, prefix, strip, indent):
        batch.append(line)
        if len(batch) >= BATCH:
            out.write(((sep if written else "") + sep.join(batch)).encode())
            written += len(batch)
            batch = []
    if batch:
        out.write(((sep if written else "") + sep.join(batch)).encode())
        written += len(batch)
    if not written:
        raise ValueError("a streamed file group needs at least one file")
    out.write(tail)


def _marked(grp: etree._Element) -> None:
    grp.append(etree.Comment(MARKER))


def write_representation(
    out: BinaryIO,
    header: Header,
    rep: str,
    data: Callable[[], Iterable[FileEntry]],
    count: int,
    strip: int,
) -> None:
    """Write ``representations/<rep>/METS.xml`` for ``count`` data files (paths cut by ``strip``).

    Same bytes as ``serialise(mets.representation_mets(header, rep, data))``.
    """
    if not count:
        out.write(serialise(mets.representation_mets(header, rep, [])))
        return
    root = mets.representation_mets(header, rep, [])
    sec = root.find(f"{{{METS}}}structMap")
    assert sec is not None
    filesec = mets.add_mets(root, "fileSec", None, None, ID=f"{rep}-filesec")
    sec.addprevious(filesec)
    _marked(mets.add_mets(filesec, "fileGrp", None, None, USE="Data", ID=f"{rep}-grp-data"))
    div = root.find(f".//{{{METS}}}div[@ID='{rep}-div-data']")
    assert div is not None
    mets.add_mets(div, "fptr", None, None, FILEID=f"{rep}-grp-data")
    _write(out, root, data(), f"{rep}-data-", strip)


def write_package(
    out: BinaryIO,
    header: Header,
    fixed: list[FileEntry],
    rep_mets: FileEntry,
    data: Callable[[], Iterable[FileEntry]],
    rep: str,
) -> None:
    """Write the package ``METS.xml``: ``fixed`` files (not the payload), then the payload ``data``.

    Same bytes as ``serialise(mets.package_mets(header, fixed + payload, rep_mets, rep))``.
    """
    root = mets.package_mets(header, fixed, rep_mets, rep)
    grp = root.find(f".//{{{METS}}}fileGrp[@ID='grp-{rep}']")
    assert grp is not None
    for child in list(grp):
        grp.remove(child)
    _marked(grp)

    def files() -> Iterator[FileEntry]:
        yield rep_mets
        yield from data()

    _write(out, root, files(), f"{rep}-", 0)
