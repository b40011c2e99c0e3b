"""Inventory round trip: export to CSV/XLSX and import back gives the same inventory XML.

Every valid sample and test inventory, as it is and after the sample incident's gaps were
merged into it (gaps placed, notes on storage units, gaps under review), and every test
spreadsheet that imports. Compared canonically, without the Metadata (when and from which
file the import was made). Inventories made by other tools keep things a spreadsheet cannot
hold (Tillagg, foreign attributes, comments, unit ids); those are taken out first.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import describe
from arkivlucka.inventory.merge import merge_file
from arkivlucka.inventory.pipeline import export_inventory, import_spreadsheet
from arkivlucka.inventory.sheet import ImportOptions
from arkivlucka.xmldoc.validate import validate_bytes
from support.helpers import DATA, SAMPLES, assert_valid
from support.inventory_helpers import make_entry

NS = "urn:arkivlucka:arkivforteckning:1.0"
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")
INVENTORIES = DATA / "inventory"
XML = sorted(
    [SAMPLES / "digframe" / "arkivforteckning.xml"]
    + [p for p in INVENTORIES.glob("*.xml") if not validate_bytes(p.read_bytes(), p.name)]
)
#: test spreadsheets made not to import at all (no data row; no Referenskod column)
NOT_IMPORTING = {"header_only.csv", "missing_column.csv"}
CSV = sorted(
    [SAMPLES / "digframe" / "arkivforteckning-kommunstyrelsen.csv"]
    + [p for p in INVENTORIES.glob("*.csv") if p.name not in NOT_IMPORTING]
)


def _spreadsheet_content(data: bytes) -> bytes:
    """The inventory without what no spreadsheet holds and without Metadata, canonical."""
    root = etree.fromstring(
        data, etree.XMLParser(remove_blank_text=True, remove_comments=True, remove_pis=True)
    )
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace != NS or etree.QName(el).localname in ("Tillagg", "Metadata"):
            el.getparent().remove(el)
            continue
        for name in list(el.attrib):
            if name.startswith("{") or (
                etree.QName(el).localname == "Forvaringsenhet" and name == "ID"
            ):
                del el.attrib[name]
    return etree.canonicalize(etree.tostring(root, encoding="unicode"), strip_text=True).encode()


def _options(data: bytes) -> ImportOptions:
    root = etree.fromstring(data)
    t = lambda path: root.findtext(path, namespaces={"a": NS})  # noqa: E731
    return ImportOptions(
        creator=t("a:Arkivbildare/a:Namn") or "",
        department=t("a:Arkivbildare/a:Forvaltning"),
        creator_code=t("a:Arkivbildare/a:Kod"),
        archive_name=t("a:Arkiv/a:Namn"),
        archive_code=t("a:Arkiv/a:Referenskod"),
    )


def _round_trip(source: Path, tmp_path: Path, fmt: str) -> tuple[bytes, bytes]:
    data = source.read_bytes()
    sheet = export_inventory(source, tmp_path / f"export.{fmt}", None, CTX)
    again = tmp_path / "again.xml"
    result = import_spreadsheet(sheet, again, _options(data), CTX)
    assert not [f for f in result.findings if f.code == "csv-quote"], result.findings
    # a period given only in words (no dates) is read back as such, with its warning again
    worded = etree.fromstring(data).xpath(
        "//a:Period[a:Text and not(a:Start) and not(a:Slut)]", namespaces={"a": NS}
    )
    bad = [f for f in result.findings if f.code == "inventory-bad-period"]
    assert len(bad) == len(worded), bad
    assert_valid(again)
    return _spreadsheet_content(data), _spreadsheet_content(again.read_bytes())


def _merged(source: Path, tmp_path: Path) -> Path:
    """``source`` with the Digframe sample's gaps merged in (its records creator)."""
    entries = tmp_path / "entries"
    describe(SAMPLES / "digframe" / "incident.yaml", entries, CTX)
    inventory = tmp_path / "merged.xml"
    shutil.copyfile(source, inventory)
    merge_file(
        entries / "kommunstyrelsen" / "arkivforteckning.xml", inventory, allow_other_creator=True
    )
    # and gaps of another incident that match no class or series: they go to review
    review = make_entry(
        tmp_path / "review.xml",
        [
            {"id": "tidrapporter", "klass": "9.9", "start": "2024-01-13", "end": "2024-01-19",
             "text": "13–19 januari 2024"},
            {"id": "utan-placering", "title": "Lönefiler (elektroniska filer)"},
        ],
        incident="incident-ks-2024-17",
    )  # fmt: skip
    merge_file(review, inventory, allow_other_creator=True)
    return inventory


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("source", XML, ids=lambda p: p.name)
def test_inventory_survives_export_and_import(source: Path, fmt: str, tmp_path: Path) -> None:
    before, after = _round_trip(source, tmp_path, fmt)
    assert after == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("source", XML, ids=lambda p: p.name)
def test_merged_inventory_survives_export_and_import(
    source: Path, fmt: str, tmp_path: Path
) -> None:
    merged = _merged(source, tmp_path)
    assert b"<Lucka" in merged.read_bytes() and b"<Granskning>" in merged.read_bytes()
    before, after = _round_trip(merged, tmp_path, fmt)
    assert after == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("source", CSV, ids=lambda p: p.name)
def test_imported_spreadsheet_survives_export_and_import(
    source: Path, fmt: str, tmp_path: Path
) -> None:
    first = tmp_path / "first.xml"
    options = ImportOptions("Kommunstyrelsen", "Kommunledningsförvaltningen")
    import_spreadsheet(source, first, options, CTX)
    (tmp_path / "rt").mkdir()
    before, after = _round_trip(first, tmp_path / "rt", fmt)
    assert after == before


@pytest.mark.parametrize(
    "above",
    [
        "Arkivförteckning Kommunstyrelsen\n",
        "Arkivförteckning;;;\nKommunstyrelsen, upprättad 2024-03-01;;;\n\n",
    ],
    ids=["one title row", "several title rows and an empty one"],
)
def test_title_rows_above_the_header_import(above: str, tmp_path: Path) -> None:
    sheet = tmp_path / "med-titel.csv"
    body = "Referenskod;Rubrik;Volym;Tid\nF3;Lönehandlingar;;\nF3;Lönelistor;1;2019–2020\n"
    sheet.write_text(above + body, encoding="utf-8")
    plain = tmp_path / "utan-titel.csv"
    plain.write_text(body, encoding="utf-8")
    options = ImportOptions("Kommunstyrelsen")
    with_title = import_spreadsheet(sheet, tmp_path / "a.xml", options, CTX)
    import_spreadsheet(plain, tmp_path / "b.xml", options, CTX)
    assert not [f for f in with_title.findings if f.is_error]
    assert (with_title.groups, with_title.units) == (1, 1)
    assert _spreadsheet_content((tmp_path / "a.xml").read_bytes()) == _spreadsheet_content(
        (tmp_path / "b.xml").read_bytes()
    )


def test_export_names_what_a_spreadsheet_cannot_hold(runner, tmp_path: Path) -> None:
    from arkivlucka.cli import cli

    out = tmp_path / "x.csv"
    result = runner.invoke(
        cli, ["inventory", "export", str(INVENTORIES / "preserve.xml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    warned = [line for line in result.stderr.splitlines() if "[export-not-in-sheet]" in line]
    kinds = " | ".join(warned)
    assert "4 Tillagg extensions" in kinds
    assert "attributes of other namespaces" in kinds
    assert "storage unit ids" in kinds
    assert "comments and processing instructions" in kinds


def test_export_of_a_plain_inventory_warns_of_nothing(runner, tmp_path: Path) -> None:
    from arkivlucka.cli import cli

    source = SAMPLES / "digframe" / "arkivforteckning.xml"
    result = runner.invoke(cli, ["inventory", "export", str(source), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 0 and "export-not-in-sheet" not in result.stderr
