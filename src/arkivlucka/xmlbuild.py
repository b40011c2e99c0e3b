"""Build-XML stage helpers: add namespaced elements, skipping what has no value."""

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
        el = etree.SubElement(parent, self._names.get(tag) or self.q(tag))
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
            self.add(parent, tag, text)
