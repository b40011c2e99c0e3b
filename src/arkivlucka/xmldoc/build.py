"""XML documents, building: add namespaced elements (skipping what has no value), serialise."""

from __future__ import annotations

from lxml import etree


class Builder:
    """Adds elements of one namespace; qualified names are made once and reused."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._names: dict[str, str] = {}

    def q(self, tag: str) -> str:
        """Return ``{namespace}tag``."""
        name = self._names.get(tag)
        if name is None:
            name = self._names[tag] = f"{{{self.namespace}}}{tag}"
        return name

    def add(
        self, parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
    ) -> etree._Element:
        """Append ``<tag>`` with ``text`` and the attributes that are not None."""
        el = _sub(parent, self._names.get(tag) or self.q(tag))
        if attrs:
            for key, value in attrs.items():
                if value is not None:
                    el.set(key, value)
        if text is not None:
            el.text = text
        return el

    def opt(self, parent: etree._Element, tag: str, text: str | None) -> None:
        """Append ``<tag>text</tag>`` only when ``text`` is not empty."""
        if text:
            _sub(parent, self._names.get(tag) or self.q(tag)).text = text


_sub = etree.SubElement


def add(
    parent: etree._Element, qname: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    """Append ``<qname>`` (``{namespace}tag``) with ``text`` and the attributes that are set."""
    el = etree.SubElement(parent, qname, {k: v for k, v in attrs.items() if v})
    if text is not None:
        el.text = text
    return el


def serialise(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, indented: the one serialiser."""
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
