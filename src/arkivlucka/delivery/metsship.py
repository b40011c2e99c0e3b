"""Verify stage, sharing a METS reading between processes: a slim reading sent as plain data.

The forked worker reads each representation METS (``metsread.read_slim``: schema-validated,
its plain files taken out) while the main process reads the package METS, then sends the
reading here as plain data: the slim tree serialised, the line of every node in it, and the
``Slim`` with each element named by its place in the tree. ``unship`` rebuilds the same slim
tree in the main process (every node keeps the line it had in the file, so findings name the
same lines) and the same ``Slim``. A node past line 65,535 cannot be given its line (lxml
keeps set lines in 16 bits), so such a document (a representation of some 20,000 files or
more) is not shipped; it and anything else that does not fit is read by the main process as
before.
"""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from arkivlucka.delivery.metsread import Listing, NotPlain, Slim
from arkivlucka.xmldoc.parse import SAFE_OPTIONS, line_of

_new = tuple.__new__
#: the largest line lxml can set on a node
LINE_MAX = 65535


class Shipped(NamedTuple):
    """One slim METS reading as plain, picklable data."""

    xml: bytes
    lines: list[int | None]
    #: per file group (its node's place): its entries, a taken file as a plain tuple of its
    #: ``Listing``, a kept file as its node's place
    groups: list[tuple[int, list[tuple[object, ...] | int]]]
    ids: list[str]
    places: list[tuple[int, int]]
    totals: list[tuple[int, int]]


def _nodes(tree: etree._ElementTree) -> list[etree._Element]:
    """Every node of the tree in document order: before the root, the root's, after it."""
    root = tree.getroot()
    return [
        *reversed(list(root.itersiblings(preceding=True))),
        *root.iter(),
        *root.itersiblings(),
    ]


def ship(tree: etree._ElementTree, slim: Slim) -> Shipped | None:
    """The slim reading ``tree``/``slim`` as plain data (for the pipe to the main process).

    None when a node is past ``LINE_MAX`` (its line could not be set again).
    """
    nodes = _nodes(tree)
    lines: list[int | None] = [line_of(node) for node in nodes]
    if any(line is not None and line > LINE_MAX for line in lines):
        return None
    place = {node: n for n, node in enumerate(nodes)}
    return Shipped(
        etree.tostring(tree, encoding="UTF-8"),
        lines,
        [
            (place[group], [tuple(e) if isinstance(e, Listing) else place[e] for e in entries])
            for group, entries in slim.groups.items()
        ],
        slim.ids,
        [(place[el], n) for el, n in slim.index.items()],
        [(place[group], n) for group, n in slim.totals.items()],
    )


def unship(shipped: Shipped) -> tuple[etree._ElementTree, Slim]:
    """The slim tree and ``Slim`` ``ship`` was given, rebuilt here (lines as in the file).

    Its strings are not shared with the rest of the reading (as ``metsread``'s ``canon``
    does): only documents of up to some 20,000 files are shipped.
    """
    try:
        root = etree.fromstring(shipped.xml, etree.XMLParser(**SAFE_OPTIONS))
    except etree.XMLSyntaxError:
        raise NotPlain from None
    tree = root.getroottree()
    nodes = _nodes(tree)
    if len(nodes) != len(shipped.lines):
        raise NotPlain
    for node, line in zip(nodes, shipped.lines, strict=True):
        if line is not None:
            node.sourceline = line  # type: ignore[assignment]  # the stubs have it read-only
    slim = Slim()
    for group, entries in shipped.groups:
        slim.groups[nodes[group]] = [
            nodes[e] if isinstance(e, int) else _new(Listing, e) for e in entries
        ]
    slim.ids = shipped.ids
    slim.index = {nodes[el]: n for el, n in shipped.places}
    slim.totals = {nodes[group]: n for group, n in shipped.totals}
    return tree, slim
