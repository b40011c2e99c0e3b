from __future__ import annotations

import functools
import shutil

from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.inventory.merge import merge_file
from arkivlucka.xmldoc.official import official_path
from support.helpers import DATA, SAMPLES
from support.inventory_helpers import make_entry

EAD = "{http://ead3.archivists.org/schema/}"
NS = {"e": "http://ead3.archivists.org/schema/"}


@functools.cache
def ead_schema() -> etree.XMLSchema:
    """The official EAD3 schema, from its installed source package (never copied here)."""
    return etree.XMLSchema(etree.parse(str(official_path("ead3/ead3.xsd"))))


def assert_ead_valid(path) -> etree._Element:
    doc = etree.parse(str(path))
    schema = ead_schema()
    assert schema.validate(doc), "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)
    return doc.getroot()


def _export(runner, inv, out, *extra):
    args = ["inventory", "export", str(inv), "-o", str(out), "--created", "2024-03-01T10:00:00Z"]
    result = runner.invoke(cli, [*args, *extra])
    assert result.exit_code == 0, result.output
    return out


def test_sample_inventory_exports_valid_ead3(runner, tmp_path):
    out = _export(runner, SAMPLES / "digframe" / "arkivforteckning.xml", tmp_path / "ead.xml")
    root = assert_ead_valid(out)
    assert root.tag == f"{EAD}ead"
    assert root.find(f"{EAD}archdesc").get("level") == "fonds"
    levels = [c.get("level") for c in root.iter(f"{EAD}c")]
    assert levels.count("file") == 6
    assert "series" in levels and "class" in levels
    origination = root.findtext(f".//{EAD}origination/{EAD}corpname/{EAD}part")
    assert origination == "Kommunstyrelsen"


def test_losses_and_review_gaps_land_in_appraisal(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    shutil.copyfile(DATA / "inventory" / "preserve.xml", inv)
    entry = make_entry(
        tmp_path / "e.xml",
        [
            {"id": "objekt", "klass": "2.2", "start": "2022", "end": "2023"},
            {"id": "okand", "klass": "9.9"},
        ],
    )
    merge_file(entry, inv)
    out = _export(runner, inv, tmp_path / "ead.xml", "--format", "ead")
    root = assert_ead_valid(out)
    klass = root.xpath("//e:c[e:did/e:unitid='2.2']", namespaces=NS)[0]
    texts = klass.xpath("e:appraisal/e:p/text()", namespaces=NS)
    assert texts == ["Lucka: objekt förlorade vid incident. (2022–2023)"]
    top = root.xpath("/e:ead/e:archdesc/e:appraisal/e:p/text()", namespaces=NS)
    assert top == ["Lucka: okand förlorade vid incident."]
    # the unit with the overlap note carries it as a note (odd)
    v3 = root.xpath("//e:c[@level='file'][e:did/e:unitid='3']", namespaces=NS)[0]
    assert v3.xpath("e:odd/e:p/text()", namespaces=NS) == ["Lucka: objekt förlorade vid incident."]


def test_ead_export_is_deterministic(runner, tmp_path):
    src = SAMPLES / "digframe" / "arkivforteckning.xml"
    a = _export(runner, src, tmp_path / "a.xml", "--format", "ead")
    b = _export(runner, src, tmp_path / "b.xml", "--format", "ead")
    assert a.read_bytes() == b.read_bytes()
