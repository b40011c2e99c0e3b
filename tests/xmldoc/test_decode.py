"""Decoding our own documents to plain data: typed values, refused when invalid or foreign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arkivlucka import XMLInputError, decode_document, decode_file
from support.helpers import DATA, SAMPLES

GOLDEN = DATA / "golden" / "digframe" / "kommunstyrelsen"


def test_entry_decodes_with_typed_values_and_attributes() -> None:
    entry = decode_file(GOLDEN / "arkivbeskrivning.xml")
    assert entry["Arkivbildare"]["Namn"] == "Kommunstyrelsen"
    assert entry["@PostID"].startswith("ab-kommunstyrelsen-")
    json.dumps(entry, ensure_ascii=False)  # JSON-ready


def test_inventory_decodes() -> None:
    inv = decode_file(SAMPLES / "digframe" / "arkivforteckning.xml")
    assert "Arkivbildare" in json.dumps(inv, ensure_ascii=False)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<nope/>", "xml-not-decodable"),
        (b"<a><b></a>", None),
        (b'<ArkivbeskrivningPost xmlns="urn:arkivlucka:arkivredovisning:1.0"/>', None),
    ],
    ids=["foreign-root", "not-well-formed", "invalid-entry"],
)
def test_refused_with_findings(data: bytes, code: str | None) -> None:
    with pytest.raises(XMLInputError) as info:
        decode_document(data, "x.xml")
    assert info.value.findings and all(f.file == "x.xml" for f in info.value.findings)
    if code:
        assert info.value.findings[0].code == code


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(XMLInputError) as info:
        decode_file(tmp_path / "missing.xml")
    assert info.value.findings[0].code == "unreadable"
