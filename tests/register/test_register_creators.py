from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from arkivlucka.cli import cli
from arkivlucka.core.errors import InputError
from arkivlucka.register.creators import all_creators, org_number, partial_date, read_creators
from arkivlucka.register.db import open_register, transaction
from arkivlucka.register.model import Creator
from arkivlucka.register.service import export_creators_file, import_creators_file

SWEDISH = (
    "Namn;Typ;Förvaltning;Organisationsnummer;HSA-id;NAD-kod;Verksam från;Verksam till\n"
    "Kommunstyrelsen;styrelse;Kommunledningsförvaltningen;212000-1264;SE2120001264-KS;SE/TKA/KS;1971;\n"
    "Socialnämnden;nämnd;Socialförvaltningen;2120001264;;SE/TKA/SN;1971-01-01;\n"
    "Trelleborgs Hamn AB;bolag;;556005-9999;;;1985-06;\n"
)


def _csv(tmp_path: Path, text: str, name: str = "arkivbildare.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _creators(db: str) -> list[Creator]:
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            return all_creators(conn)
    finally:
        reg.close()


def test_a_swedish_sheet_is_imported_with_normalised_codes(db: str, tmp_path: Path) -> None:
    result, findings = import_creators_file(db, _csv(tmp_path, SWEDISH))
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert not [f for f in findings if f.is_error]
    got = {c.name: c for c in _creators(db)}
    assert got["Socialnämnden"].org_number == "212000-1264"
    assert got["Socialnämnden"].active_start == "1971-01-01"
    assert got["Kommunstyrelsen"].kind == "styrelse"
    assert got["Kommunstyrelsen"].identification_code() == "SE/TKA/KS"
    assert got["Trelleborgs Hamn AB"].identification_code() == "556005-9999"
    assert got["Trelleborgs Hamn AB"].department is None


def test_an_english_xlsx_sheet_is_imported(db: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Kind", "Serving department", "Organisation number", "NAD code",
                  "Active from", "Active to"])  # fmt: skip
    sheet.append(["Byggnadsnämnden", "nämnd", "Samhällsbyggnadsförvaltningen", "212000-1264",
                  "SE/TKA/BN", "1974", "2018-12-31"])  # fmt: skip
    path = tmp_path / "creators.xlsx"
    book.save(path)
    import_creators_file(db, path)
    (only,) = _creators(db)
    assert only == Creator("Byggnadsnämnden", "nämnd", "Samhällsbyggnadsförvaltningen",
                           "212000-1264", None, "SE/TKA/BN", "1974", "2018-12-31")  # fmt: skip


def test_a_second_import_updates_by_name_without_case(db: str, tmp_path: Path) -> None:
    import_creators_file(db, _csv(tmp_path, SWEDISH))
    changed = (
        "Namn;Typ;NAD-kod\nSOCIALNÄMNDEN;nämnd;SE/TKA/SN2\nKommunstyrelsen;styrelse;SE/TKA/KS\n"
    )
    result, _ = import_creators_file(db, _csv(tmp_path, changed, "b.csv"))
    assert (result.added, result.updated) == (0, 2)  # Kommunstyrelsen lost its other cells
    got = {c.name: c for c in _creators(db)}
    assert len(got) == 3 and got["SOCIALNÄMNDEN"].nad_code == "SE/TKA/SN2"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (";nämnd;;;;;;", "name"),
        ("Kultur;nämnd;;212000-1265;;;;", "org_number"),
        ("Kultur;nämnd;;;;;2019-13;", "active_start"),
        ("Kultur;nämnd;;;;;2020;2019", "active_end"),
        ("Kommunstyrelsen;nämnd;;;;;;", "name"),  # repeats a row
    ],
    ids=["no-name", "check-digit", "month", "ends-before-start", "duplicate"],
)
def test_a_bad_row_stops_the_whole_import(db: str, tmp_path: Path, row: str, column: str) -> None:
    with pytest.raises(InputError) as info:
        import_creators_file(db, _csv(tmp_path, SWEDISH + row + "\n"))
    bad = [f for f in info.value.findings if f.is_error]
    assert [(f.line, f.path) for f in bad] == [(5, column)]
    assert _creators(db) == []  # nothing imported


def test_a_sheet_without_a_name_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_creators(_csv(tmp_path, "Typ;NAD-kod\nnämnd;X\n"))
    assert info.value.findings[-1].code == "missing-column"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_reads_back_to_the_same_creators(db: str, tmp_path: Path, suffix: str) -> None:
    import_creators_file(db, _csv(tmp_path, SWEDISH))
    out = export_creators_file(db, tmp_path / f"export{suffix}")
    again, _ = read_creators(out)
    assert again == _creators(db)
    with pytest.raises(Exception, match="already exists"):
        export_creators_file(db, out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("212000-1264", "212000-1264"), ("16212000-1264", "212000-1264"), ("212000 1264", "212000-1264"),
     ("212000-1263", None), ("21200-1264", None)],
)  # fmt: skip
def test_organisation_numbers(text: str, expected: str | None) -> None:
    assert org_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019", "2019"), ("2019-05", "2019-05"), ("2019-05-31", "2019-05-31"),
     ("2019-05-31 00:00:00", "2019-05-31"), ("2019-02-30", None), ("maj 2019", None)],
)  # fmt: skip
def test_partial_dates(text: str, expected: str | None) -> None:
    assert partial_date(text) == expected


def test_cli_import_and_export(db: str, tmp_path: Path, runner) -> None:
    sheet = _csv(tmp_path, SWEDISH)
    result = runner.invoke(
        cli, ["register", "--db", db, "creators", "import", str(sheet), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 3
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["register", "--db", db, "creators", "export", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbfNamn;Typ")
    bad = _csv(tmp_path, "Namn;Organisationsnummer\nX;123\n", "bad.csv")
    result = runner.invoke(cli, ["register", "--db", db, "creators", "import", str(bad), "--json"])
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)] == ["creator-cell"]


def test_cli_reads_the_register_from_the_environment(db: str, tmp_path: Path, runner) -> None:
    sheet = _csv(tmp_path, SWEDISH)
    result = runner.invoke(
        cli, ["register", "creators", "import", str(sheet)], env={"ARKIVLUCKA_DB": db}
    )
    assert result.exit_code == 0, result.output
    assert len(_creators(db)) == 3
