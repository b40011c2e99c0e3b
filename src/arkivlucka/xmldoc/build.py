"""XML documents, building: add namespaced elements (skipping what has no value), serialise."""

from __future__ import annotations

import re

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


def escape_text(text: str) -> str:
    """``text`` as element content: what the parser reads back as exactly ``text``."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("\r", "&#13;")  # else the parser reads a CR as a line end
    return text


_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}
    | {"\r": "&#13;"}  # white space escaped: else the parser would normalise it to spaces
)


_ATTR_SPECIAL = re.compile('[&<>"\t\n\r]')


def escape_attr(value: str) -> str:
    """``value`` as an attribute value: what the parser reads back as exactly ``value``."""
    # a search is cheap, a translation is not: most values have nothing to escape
    return value.translate(_ATTR_ESCAPES) if _ATTR_SPECIAL.search(value) else value


def _attributes(attrs: dict[str, str | None]) -> str:
    """`` name="value"`` for each attribute that is not None, in the order given."""
    out = ""
    for key, value in attrs.items():
        if value is not None:
            out += f' {key}="{escape_attr(value)}"'
    return out


#: our own text only (no DTD, no entities); huge_tree for a document of 10,000s of records
_TEXT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
#: marks an element whose text is "" until it is parsed (no attribute of ours has the name)
_EMPTY_MARK = "arkivlucka-empty-text"
_NOT_XML_MESSAGE = (
    "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
)


class TextFragment:
    """XML text written element by element in document order: ``TextDocument`` without a root.

    ``start``/``end`` open and close an element, ``add`` writes one with its text, ``opt``
    one only when its text is not empty; attributes that are None are left out, as with
    ``Builder``. ``text`` is what was written, to put into documents with ``write``.
    """

    __slots__ = ("_append", "_empty", "_open", "_parts")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._append = self._parts.append
        self._open: list[str] = []
        self._empty = False  # whether an element has the text "" (the parser would drop it)

    def start(self, tag: str, **attrs: str | None) -> None:
        """Open ``<tag>`` with the attributes that are not None; ``end`` closes it."""
        self._append(f"<{tag}{_attributes(attrs)}>" if attrs else f"<{tag}>")
        self._open.append(tag)

    def end(self) -> None:
        """Close the element opened last."""
        self._append(f"</{self._open.pop()}>")

    def add(self, tag: str, text: str | None = None, **attrs: str | None) -> None:
        """Write ``<tag>text</tag>`` (no text: ``<tag/>``) with the attributes that are set."""
        head = f"{tag}{_attributes(attrs)}" if attrs else tag
        if text:
            self._append(f"<{head}>{escape_text(text)}</{tag}>")
        elif text is None:
            self._append(f"<{head}/>")
        else:  # marked, and given its empty text once parsed
            self._empty = True
            self._append(f'<{head} {_EMPTY_MARK}=""/>')

    def opt(self, tag: str, text: str | None) -> None:
        """Write ``<tag>text</tag>`` only when ``text`` is not empty."""
        if text:
            self._append(f"<{tag}>{escape_text(text)}</{tag}>")

    def write(self, text: str) -> None:
        """Append ``text``, what a ``TextFragment`` wrote (its ``text``)."""
        if _EMPTY_MARK in text:
            self._empty = True
        self._append(text)

    def text(self) -> str:
        """Everything written so far (every element closed)."""
        assert not self._open, f"<{self._open[-1]}> is not closed"
        return "".join(self._parts)


class TextDocument(TextFragment):
    """One XML document of one namespace written as text in document order, parsed once.

    Much cheaper than building it element by element through lxml's API (a proxy object, a
    namespace lookup and a text node per call): the elements, text and attributes are the
    same, so the document serialises to the same bytes.
    """

    __slots__ = ()

    def __init__(self, namespace: str, root: str, **attrs: str | None) -> None:
        super().__init__()
        xmlns = escape_attr(namespace)
        self._append(f'<{root} xmlns="{xmlns}"{_attributes(attrs)}>')
        self._open.append(root)

    def element(self) -> etree._Element:
        """Close every open element and parse the document; its root element.

        A string XML cannot hold raises ``ValueError``, as lxml's API does.
        """
        while self._open:
            self.end()
        data = "".join(self._parts).encode("utf-8")  # a lone surrogate: ValueError
        try:
            root = etree.fromstring(data, _TEXT_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(_NOT_XML_MESSAGE) from exc
        if self._empty:
            for el in root.iter():
                if _EMPTY_MARK in el.attrib:
                    del el.attrib[_EMPTY_MARK]
                    el.text = ""  # an empty text serialises as <tag></tag>, as lxml writes it
        return root
