from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from arkivlucka.cli import cli
from arkivlucka.files.tables import read_table, table_bytes
from arkivlucka.inventory.model import overlaps, parse_span
from arkivlucka.inventory.sheet import COLUMNS
from support.helpers import DATA, SAMPLES, assert_valid
from support.inventory_helpers import parse, q

INV = DATA / "inventory"
CREATED = "2024-03-01T10:00:00+01:00"


def _import(runner, source: Path, out: Path, *extra: str):
    return runner.invoke(
        cli,
        [
            "inventory", "import", str(source), "-o", str(out),
            "--arkivbildare", "Kommunstyrelsen", "--created", CREATED, *extra,
        ],
    )  # fmt: skip


def _export(runner, inv: Path, out: Path, *extra: str):
    return runner.invoke(
        cli, ["inventory", "export", str(inv), "-o", str(out), "--created", CREATED, *extra]
    )


def _cells(path: Path) -> list[list[str]]:
    """Every row of a spreadsheet as stripped cells, header first, blank rows dropped."""
    table, _ = read_table(path, {"x": ()})
    rows = [[h.strip() for h in table.headers]]
    from arkivlucka.files.tables import _raw_rows

    raw, _, _ = _raw_rows(path)
    rows += [[c.strip() for c in cells] for _, cells in raw[1:] if any(c.strip() for c in cells)]
    width = len(rows[0])
    return [r + [""] * (width - len(r)) for r in rows]


@pytest.mark.parametrize(
    "name",
    [
        "comma_bom.csv",
        "semicolon_cp1252.csv",
        "extra_column.csv",
        "../../../samples/digframe/arkivforteckning-kommunstyrelsen.csv",
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_spreadsheet_round_trip_keeps_every_cell(runner, tmp_path, name, suffix):
    source = INV / name
    inv = tmp_path / "inv.xml"
    result = _import(runner, source, inv)
    assert result.exit_code == 0, result.output
    assert_valid(inv)
    out = tmp_path / f"back{suffix}"
    result = _export(runner, inv, out)
    assert result.exit_code == 0, result.output
    assert _cells(out) == _cells(source)


def test_import_reads_encodings_headers_and_periods(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    assert _import(runner, INV / "semicolon_cp1252.csv", inv).exit_code == 0
    root = parse(inv)
    unit = root.find(f".//{q('Serie')}/{q('Forvaringsenhet')}")
    assert unit.findtext(q("Innehall")) == "Årsredovisningar"
    assert unit.findtext(q("Anmarkning")) == "Rätt"
    assert unit.findtext(f"{q('Period')}/{q('Start')}") == "2019"
    assert unit.findtext(f"{q('Period')}/{q('Slut')}") == "2021"
    assert unit.find(f"{q('Period')}/{q('Text')}") is None  # "2019–2021" is the normal form
    assert _import(runner, INV / "comma_bom.csv", inv, "--force").exit_code == 0
    root = parse(inv)
    klass = root.find(f".//{q('Klass')}")
    assert klass.get("Kod") == "2.2"
    assert klass.findtext(q("Rubrik")) == "Bedriva arbete i projektform"
    dates = [
        (u.findtext(f"{q('Period')}/{q('Start')}"), u.findtext(f"{q('Period')}/{q('Slut')}"))
        for u in klass.iter(q("Forvaringsenhet"))
    ]
    assert dates == [("2015", "2018"), ("2019-03-01", "2019-12-31")]


def test_extra_columns_are_kept_and_reported(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    result = _import(runner, INV / "extra_column.csv", inv, "--json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["inventory-extra-column"]
    assert "Arkivbeteckning" in findings[0]["message"]
    extra = parse(inv).find(f".//{q('Forvaringsenhet')}/{q('Kolumn')}")
    assert (extra.get("Namn"), extra.text) == ("Arkivbeteckning", "SE/KS/F2:1")


@pytest.mark.parametrize(
    ("name", "codes", "where"),
    [
        (
            "bad_period.csv",
            ["inventory-bad-period"] * 3,
            [("D2", "ca 1990"), ("D3", "ends before it starts"), ("D4", "not a real date")],
        ),
        ("no_reference.csv", ["inventory-row-no-reference"], [("A2", "no reference code")]),
        ("no_volume_row.csv", ["inventory-row-no-volume"], [("C3", "already has its own row")]),
    ],
)
def test_bad_rows_are_reported_by_row_and_column(runner, tmp_path, name, codes, where):
    inv = tmp_path / "inv.xml"
    result = _import(runner, INV / name, inv, "--json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == codes
    for finding, (cell, text) in zip(findings, where, strict=True):
        assert finding["severity"] == "warning"
        assert finding["path"] == cell
        assert finding["line"] == int(cell[1:])
        assert f"row {cell[1:]}, column {cell[0]}" in finding["message"]
        assert text in finding["message"]
    assert inv.exists()
    assert_valid(inv)
    # --strict: the same cells are errors and nothing is written
    inv.unlink()
    result = _import(runner, INV / name, inv, "--strict")
    assert result.exit_code == 1
    assert f"[{codes[0]}]" in result.stderr
    assert "error:" in result.stderr
    assert not inv.exists()


def test_bad_period_text_is_kept(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    _import(runner, INV / "bad_period.csv", inv)
    texts = [p.findtext(q("Text")) for p in parse(inv).iter(q("Period"))]
    assert texts == ["ca 1990", "2021-2019", "2019-02-30–2020"]


def test_missing_column_stops_the_import(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    result = _import(runner, INV / "missing_column.csv", inv)
    assert result.exit_code == 1
    assert "[missing-column]" in result.stderr
    assert "Referenskod" in result.stderr
    assert not inv.exists()


def test_duplicate_volume_is_a_warning(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    result = _import(runner, INV / "duplicate_unit.csv", inv)
    assert result.exit_code == 0
    assert "[inventory-duplicate-unit]" in result.stderr
    assert "volume '1' appears twice in F2" in result.stderr


def test_import_does_not_overwrite_without_force(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    inv.write_text("keep me")
    result = _import(runner, INV / "comma_bom.csv", inv)
    assert result.exit_code == 1
    assert "[output-exists]" in result.stderr
    assert inv.read_text() == "keep me"


def test_import_is_deterministic(runner, tmp_path):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    _import(runner, INV / "comma_bom.csv", a)
    _import(runner, INV / "comma_bom.csv", b)
    assert a.read_bytes() == b.read_bytes()


def test_xlsx_formula_like_text_stays_text(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Signum;Rubrik;Volym;Anmärkning\nF2;=SUM(A1:A3);1;=HYPERLINK(x)\n")
    inv = tmp_path / "inv.xml"
    assert _import(runner, source, inv).exit_code == 0
    out = tmp_path / "out.xlsx"
    assert _export(runner, inv, out).exit_code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert [c.value for c in cells] == ["=SUM(A1:A3)", "=HYPERLINK(x)"]
    assert {c.data_type for c in cells} == {"s"}
    assert _cells(out) == _cells(source)


def test_table_bytes_keeps_its_api():
    data = table_bytes(["A", "B"], [["1", "=2"]], ".csv")
    assert data == "\ufeffA;B\r\n1;=2\r\n".encode()


def test_export_after_merge_writes_gap_rows(runner, tmp_path, sample_incident):
    inv = tmp_path / "inv.xml"
    shutil.copyfile(SAMPLES / "digframe" / "arkivforteckning.xml", inv)
    out = tmp_path / "entries"
    runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out)])
    entry = out / "kommunstyrelsen" / "arkivforteckning.xml"
    assert runner.invoke(cli, ["inventory", "merge", str(entry), str(inv)]).exit_code == 0
    csv_out = tmp_path / "out.csv"
    assert _export(runner, inv, csv_out).exit_code == 0
    rows = _cells(csv_out)
    gap_rows = [r for r in rows if r[2] == "" and r[5].startswith("Lucka:")]
    assert gap_rows[0][1] == "Tidplaner för digitaliseringsprojekt"
    assert len(gap_rows) == 4
    # re-import keeps them as gaps
    again = tmp_path / "again.xml"
    assert _import(runner, csv_out, again).exit_code == 0
    assert len(list(parse(again).iter(q("Lucka")))) == 4


def test_export_refuses_broken_inventory(runner, tmp_path):
    result = _export(runner, INV / "invalid.xml", tmp_path / "x.csv")
    assert result.exit_code == 1
    assert "invalid.xml:6" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_export_needs_a_known_format(runner, tmp_path):
    result = _export(runner, SAMPLES / "digframe" / "arkivforteckning.xml", tmp_path / "x.txt")
    assert result.exit_code == 1
    assert "[export-format]" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", ("2019", "2019")),
        ("2019-2021", ("2019", "2021")),
        ("2019–2021", ("2019", "2021")),
        ("2019 - 2021", ("2019", "2021")),
        ("2019-03", ("2019-03", "2019-03")),
        ("2019-03-01", ("2019-03-01", "2019-03-01")),
        ("2019-03-01–2020-02-29", ("2019-03-01", "2020-02-29")),
        ("2019-03-01--2020-02-29", ("2019-03-01", "2020-02-29")),
        ("2019-", ("2019", None)),
        ("–2021", (None, "2021")),
    ],
)
def test_parse_tid(text, expected):
    assert parse_span(text) == expected


@pytest.mark.parametrize("text", ["ca 1990", "2021-2019", "2019-13", "2019-02-30", "–", "19"])
def test_parse_tid_refuses(text):
    with pytest.raises(ValueError):
        parse_span(text)


def test_overlaps():
    assert overlaps(("2019", "2021"), ("2021-12", None))
    assert not overlaps(("2019", "2021"), ("2022", "2023"))
    assert overlaps((None, "2019-02"), ("2019-02-28", "2019-02-28"))
    assert not overlaps(("2019-03", "2019-03"), ("2019-04-01", None))


def test_column_aliases_cover_the_issue_headers():
    wanted = ["Referenskod", "Signum", "Klass", "Rubrik", "Serierubrik", "Volym", "Tid"]
    wanted += ["Datering", "Innehåll", "Anmärkning", "Placering"]
    accepted = {a for aliases in COLUMNS.values() for a in aliases}
    assert set(wanted) <= accepted


def test_validate_command_knows_inventories(runner):
    result = runner.invoke(cli, ["validate", str(SAMPLES / "digframe" / "arkivforteckning.xml")])
    assert result.exit_code == 0, result.output


def test_spreadsheet_without_rows_is_refused(runner, tmp_path):
    inv = tmp_path / "inv.xml"
    result = _import(runner, INV / "header_only.csv", inv)
    assert result.exit_code == 1
    assert "[inventory-empty]" in result.stderr
    assert not inv.exists()


def test_xlsx_import_with_numbers_and_dates(runner, tmp_path):
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Klass", "Rubrik", "Volym", "Datering", "Anmärkning"])
    sheet.append(["2.2", "Projekt", 1, 2019, None])
    sheet.append(["2.2", "Projekt", 2.0, datetime.datetime(2020, 5, 4), "=A1 är text"])
    sheet["E3"].data_type = "s"
    source = tmp_path / "in.xlsx"
    book.save(source)
    inv = tmp_path / "inv.xml"
    result = _import(runner, source, inv)
    assert result.exit_code == 0, result.output
    units = list(parse(inv).iter(q("Forvaringsenhet")))
    assert [u.findtext(q("Volym")) for u in units] == ["1", "2"]
    assert units[1].findtext(f"{q('Period')}/{q('Start')}") == "2020-05-04"
    assert units[1].findtext(q("Anmarkning")) == "=A1 är text"
    back = tmp_path / "back.xlsx"
    assert _export(runner, inv, back).exit_code == 0
    assert _cells(back) == _cells(source)
