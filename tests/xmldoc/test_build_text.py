"""Building XML as text (``TextDocument``) gives the same bytes as lxml's element API."""

from __future__ import annotations

import pytest
from lxml import etree

from arkivlucka.xmldoc.build import Builder, TextDocument, TextFragment, serialise

NS = "urn:test:build"

#: text and attribute values with everything that must be escaped or kept as it is
VALUES = [
    "plain",
    "Åsa Öberg, Ängelholm",
    "a & b < c > d",
    "]]> ends a CDATA section",
    "quotes \" and ' apostrophes",
    "line\nbreak",
    "carriage\rreturn and \r\n pair",
    "tab\tinside",
    "  leading and trailing spaces  ",
    "   ",
    "e\u0301 (combining) and \u00e9",
    "emoji \U0001f600 and en dash \u2013",
    "&amp; already escaped",
    "",
]


def _by_lxml(text: str | None, attr: str | None) -> bytes:
    b = Builder(NS)
    root = etree.Element(b.q("Root"), nsmap={None: NS})  # type: ignore[dict-item]
    root.set("Id", "r-1")
    outer = b.add(root, "Outer", Kind=attr)
    b.add(outer, "Leaf", text, Note=attr)
    b.opt(outer, "Optional", text)
    b.add(root, "Empty")
    return serialise(root)


def _by_text(text: str | None, attr: str | None) -> bytes:
    w = TextDocument(NS, "Root", Id="r-1")
    w.start("Outer", Kind=attr)
    w.add("Leaf", text, Note=attr)
    w.opt("Optional", text)
    w.end()
    w.add("Empty")
    return serialise(w.element())


@pytest.mark.parametrize("value", VALUES)
def test_text_and_attributes_serialise_as_lxml_writes_them(value: str) -> None:
    assert _by_text(value, value) == _by_lxml(value, value)


@pytest.mark.parametrize(("text", "attr"), [(None, None), (None, "x"), ("x", None), ("", "")])
def test_missing_text_and_attributes_are_left_out_as_by_lxml(
    text: str | None, attr: str | None
) -> None:
    assert _by_text(text, attr) == _by_lxml(text, attr)


def test_an_empty_text_is_kept_and_leaves_no_mark() -> None:
    w = TextDocument(NS, "Root")
    w.add("A", "")
    w.add("B", "", Attr="v")
    root = w.element()
    assert [(el.text, dict(el.attrib)) for el in root] == [("", {}), ("", {"Attr": "v"})]
    assert b"<A></A>" in serialise(root)


def test_a_fragment_is_written_once_and_used_in_two_documents() -> None:
    piece = TextFragment()
    piece.start("Period")
    piece.add("Start", "2019")
    piece.add("Note", "")
    piece.end()
    text = piece.text()
    docs = []
    for root in ("One", "Two"):
        w = TextDocument(NS, root)
        w.write(text)
        docs.append(w.element())
    assert [etree.QName(d).localname for d in docs] == ["One", "Two"]
    for d in docs:
        period = d[0]
        assert [(etree.QName(c).localname, c.text) for c in period] == [
            ("Start", "2019"),
            ("Note", ""),
        ]
        assert not period[1].attrib


def test_an_unclosed_fragment_is_refused() -> None:
    piece = TextFragment()
    piece.start("Open")
    with pytest.raises(AssertionError):
        piece.text()


@pytest.mark.parametrize("bad", ["nul \x00", "bell \x07", "lone \ud800", "not a char \ufffe"])
def test_a_string_xml_cannot_hold_raises_value_error_as_lxml_does(bad: str) -> None:
    w = TextDocument(NS, "Root")
    w.add("Leaf", bad)
    with pytest.raises(ValueError):
        w.element()


def test_a_large_document_parses() -> None:
    w = TextDocument(NS, "Root")
    text = "x" * (11 * 1024 * 1024)  # one text node over libxml2's default limit of 10 MB
    w.add("Leaf", text)
    assert w.element()[0].text == text
