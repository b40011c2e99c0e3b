from __future__ import annotations

import json

import pytest

from arkivlucka.cli import cli
from arkivlucka.core.errors import InputError
from arkivlucka.files.tables import table_bytes
from arkivlucka.retention.check import check_plan_file
from arkivlucka.retention.schedule import parse_meta, read_plan
from support.helpers import DATA, SAMPLES

PLANS = DATA / "plans"

#: each case file and the finding codes `plan check` must report for it (in file order).
CASES = {
    "valid_full.csv": [],
    "ids.csv": [],
    "title_row.csv": ["unknown-metadata"],
    "mark_columns.csv": ["cull-without-period", "conflicting-keep-cull"],
    "heading_rows.csv": [],
    "cp1252_comma.csv": [],
    "unknown_column.csv": ["unknown-column"],
    "duplicate_column.csv": ["duplicate-column"],
    "duplicate_code.csv": ["duplicate-code"],
    "duplicate_id.csv": ["duplicate-code"],
    "no_keep_or_cull.csv": ["no-keep-or-cull"],
    "unparsed_period.csv": ["unparsed-period"],
    "conflicting_keep_cull.csv": ["conflicting-keep-cull"],
    "cull_without_period.csv": ["cull-without-period"],
    "missing_code.csv": ["missing-code"],
    "missing_record_type.csv": ["missing-record-type"],
    "missing_column.csv": ["missing-column", "missing-record-type"],
    "no_action_column.csv": ["missing-column", "no-keep-or-cull"],
    "missing_name_version_decision.csv": [
        "missing-plan-name",
        "missing-version",
        "missing-decision",
    ],
    "incomplete_decision.csv": ["incomplete-decision"],
    "unknown_metadata.csv": ["unknown-metadata"],
    "empty_plan.csv": ["empty-plan"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_plan_check_findings(name):
    report = check_plan_file(PLANS / name)
    assert [f.code for f in report.findings] == CASES[name]
    for f in report.findings:
        assert f.file == str(PLANS / name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_findings_from_xlsx(name, tmp_path):
    table = read_plan(PLANS / name)  # noqa: F841 - the CSV must be readable
    import csv

    text = (PLANS / name).read_bytes()
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = text.decode("cp1252")
    delim = "," if name.startswith("cp1252") else ";"
    rows = [r for r in csv.reader(decoded.splitlines(), delimiter=delim)]
    xlsx = tmp_path / (name.removesuffix(".csv") + ".xlsx")
    xlsx.write_bytes(table_bytes(rows[0], rows[1:], ".xlsx"))
    report = check_plan_file(xlsx)
    assert [f.code for f in report.findings] == CASES[name]


def test_lines_point_at_the_row():
    report = check_plan_file(PLANS / "unparsed_period.csv")
    (finding,) = report.findings
    assert finding.line == 7
    assert "5 år eller tidigare" in finding.message


def test_metadata_and_rows_are_read():
    plan = read_plan(PLANS / "valid_full.csv")
    assert plan.meta.name == "Dokumenthanteringsplan för testnämnden"
    assert plan.meta.version == "2.1"
    assert plan.meta.decision() == "Testnämnden 2022-03-01 § 45"
    keep, inactual, verif = plan.rows
    assert (keep.code, keep.action, keep.frist) == ("2.2", "keep", None)
    assert inactual.action == "cull" and inactual.frist and inactual.frist.kind == "inactuality"
    assert verif.frist and verif.frist.years == 10 and verif.frist.base == "year-end"


def test_heading_rows_give_their_class_to_the_rows_below():
    plan = read_plan(PLANS / "heading_rows.csv")
    assert [(r.code, r.process, r.record_type, r.inherited) for r in plan.rows] == [
        ("2.2", "Bedriva arbete i projektform", "Utredningar, kartläggningar", True),
        ("2.2", "Bedriva arbete i projektform", "Tidplaner", True),
    ]


def test_windows_1252_comma_file():
    plan = read_plan(PLANS / "cp1252_comma.csv")
    assert plan.meta.name == "Äldre plan för nämnden"
    assert plan.meta.decision() == "Nämnden 2019-05-02 § 12"
    assert [r.record_type for r in plan.rows] == ["Utredningar, kartläggningar", "Tidplaner"]


def test_overrides_win_over_the_file():
    meta = parse_meta(["Beslutad av=Kommunfullmäktige", "paragraf=7", "dnr=KS 2020/1"])
    plan = read_plan(PLANS / "missing_name_version_decision.csv", meta)
    assert plan.meta.decision() == "Kommunfullmäktige § 7, dnr KS 2020/1"


def test_unknown_override_key_is_refused():
    with pytest.raises(InputError) as exc:
        parse_meta(["färg=blå"])
    assert exc.value.findings[0].code == "unknown-metadata"


def test_sample_plan_csv_and_xlsx_agree():
    csv_plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    xlsx_plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.xlsx")
    assert csv_plan.meta == xlsx_plan.meta
    assert [r.record_type for r in csv_plan.rows] == [r.record_type for r in xlsx_plan.rows]
    assert csv_plan.rows[0].record_type == "Producerat material: Utredningar, kartläggningar"
    assert csv_plan.rows[0].action == "keep"


def test_sample_xlsx_is_reproducible():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_xlsx", SAMPLES / "make_xlsx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.xlsx_bytes(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    assert made == (SAMPLES / "digframe" / "dokumenthanteringsplan.xlsx").read_bytes()


# --- CLI -----------------------------------------------------------------------------------


def test_cli_plan_check_valid(runner):
    result = runner.invoke(cli, ["plan", "check", str(PLANS / "valid_full.csv")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "3 record type(s), 0 error(s), 0 warning(s)" in result.stderr


def test_cli_plan_check_warnings_only_exit_0(runner):
    result = runner.invoke(cli, ["plan", "check", str(PLANS / "unknown_column.csv")])
    assert result.exit_code == 0
    assert "[unknown-column]" in result.stderr


def test_cli_plan_check_errors_exit_1(runner):
    result = runner.invoke(cli, ["plan", "check", str(PLANS / "duplicate_code.csv")])
    assert result.exit_code == 1
    assert "duplicate_code.csv:8: error:" in result.stderr
    assert "[duplicate-code]" in result.stderr
    assert result.stdout == ""


def test_cli_plan_check_json(runner):
    result = runner.invoke(cli, ["plan", "check", "--json", str(PLANS / "no_keep_or_cull.csv")])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["no-keep-or-cull"]
    assert data[0]["line"] == 7


def test_cli_plan_meta_option_fills_the_decision(runner):
    path = str(PLANS / "incomplete_decision.csv")
    result = runner.invoke(
        cli,
        ["plan", "check", path, "--plan-meta", "decided_by=KS", "--plan-meta", "§=3"],
    )
    assert result.exit_code == 0
    assert "incomplete-decision" not in result.stderr


def test_cli_plan_check_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["plan", "check", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_cli_plan_check_broken_xlsx(runner, tmp_path):
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(cli, ["plan", "check", str(bad)])
    assert result.exit_code == 1
    assert "[xlsx-unreadable]" in result.stderr


def test_mark_columns():
    plan = read_plan(PLANS / "mark_columns.csv")
    got = [(r.record_type, r.action, r.frist.years if r.frist else None) for r in plan.rows]
    assert got == [
        ("Protokoll", "keep", None),
        ("Kallelser", "cull", 2),
        ("Minnesanteckningar", "cull", None),
        ("Avtal", None, None),
    ]


def test_title_row_and_loose_metadata_rows():
    meta = read_plan(PLANS / "title_row.csv").meta
    assert meta.name == "Dokumenthanteringsplan för testnämnden"
    assert meta.version == "3"
    assert meta.decision() == "Testnämnden 2020-02-02 § 7"
