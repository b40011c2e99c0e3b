"""Builders for inventory tests: arkivförteckning entries with chosen gaps."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from support.helpers import assert_valid

NS = "urn:arkivlucka:arkivredovisning:1.0"
INV_NS = "urn:arkivlucka:arkivforteckning:1.0"


def _e(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def make_entry(
    path: Path,
    gaps: list[dict],
    *,
    incident: str = "incident-test-1",
    creator: str = "Kommunstyrelsen",
) -> Path:
    """Write a valid ArkivforteckningPost with one Lucka per dict in ``gaps``.

    Each dict: id, title, and optional klass, serie, start, end, text.
    """
    root = etree.Element(f"{{{NS}}}ArkivforteckningPost", nsmap={None: NS})
    root.set("PostID", f"af-test-{incident}")
    root.set("Schemaversion", "1.0")
    meta = _e(root, "Postmetadata")
    _e(meta, "Skapad", "2024-03-01T10:00:00+01:00")
    _e(meta, "Programvara", "arkivlucka", Version="test")
    _e(_e(root, "Arkivbildare"), "Namn", creator)
    ref = _e(root, "IncidentReferens")
    _e(ref, "IncidentID", incident)
    _e(ref, "Organisation", "Exempelkommun")
    _e(root, "ArkivbeskrivningPostID", f"ab-test-{incident}")
    for gap in gaps:
        el = _e(root, "Lucka", HandlingID=gap["id"])
        if gap.get("klass") or gap.get("serie"):
            place = _e(el, "Placering")
            if gap.get("klass"):
                _e(place, "Klassificering", gap["klass"])
            if gap.get("serie"):
                _e(place, "Serie", gap["serie"])
        _e(el, "Rubrik", gap.get("title", gap["id"].capitalize()))
        if gap.get("start") or gap.get("end") or gap.get("text"):
            period = _e(el, "Period")
            if gap.get("start"):
                _e(period, "Start", gap["start"])
            if gap.get("end"):
                _e(period, "Slut", gap["end"])
            if gap.get("text"):
                _e(period, "Beskrivning", gap["text"])
        _e(el, "Omfattning", "delvis")
        _e(el, "Anmarkning", f"Lucka: {gap['id']} förlorade vid incident.")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert_valid(data)
    path.write_bytes(data)
    return path


def q(tag: str) -> str:
    return f"{{{INV_NS}}}{tag}"


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()
