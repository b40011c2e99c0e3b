"""Hostile and odd inputs through the CLI: a clear finding, exit 1, clean stdout, nothing written.

Each case file under tests/data/bad_input/ is named by the case it covers; the tables below
give the finding codes each must produce.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from arkivlucka.cli import cli
from arkivlucka.core.text import slug
from support.helpers import DATA, SAMPLES

BAD = DATA / "bad_input"

#: incident file → the error codes `describe` must report (and exit 1, nothing written)
INCIDENTS = {
    "incident_too_deep.yaml": ["too-deep"],
    "incident_too_deep.json": ["too-deep"],
    "incident_huge_integer.yaml": ["invalid-date"],
    "incident_huge_integer.json": ["invalid-date"],
    "incident_nan.json": ["json-syntax"],
    "incident_nul_byte.yaml": ["yaml-syntax"],
    "incident_control_character.yaml": ["invalid-character"],
    "incident_lone_surrogate.yaml": ["invalid-character"],
    "incident_arabic_digits_year.yaml": ["invalid-date"],
    "incident_yaml_tag.yaml": ["yaml-tag", "yaml-tag"],
    "incident_period_with_dash.yaml": ["invalid-date"],
}

#: plan file → the codes `plan check --json` must report
PLANS = {
    "plan_nul_bytes.csv": ["not-text"],
    "plan_bom_not_utf8.csv": ["encoding"],
    "plan_binary_garbage.csv": ["not-text"],
    "plan_control_character.csv": ["invalid-character"],
    "plan_invalid_decision_date.csv": ["invalid-date"],
    "plan_utf16_bom.csv": [],
    "plan_xlsx_named_csv.csv": [],
    "plan_nfd_text.csv": [],
    "plan_unclosed_quote.csv": ["no-keep-or-cull"],
    "plan_field_too_long.csv": ["csv-syntax"],
}


def codes(stderr: str, severity: str = "error") -> list[str]:
    """The finding codes of the given severity in human output."""
    return sorted(re.findall(rf": {severity}: .*\[([a-z-]+)\]$", stderr, flags=re.M))


@pytest.mark.parametrize("name", sorted(INCIDENTS))
def test_bad_incident_is_refused_cleanly(runner, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["describe", str(BAD / name), "-o", str(out), "--by", "x"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stdout == ""
    assert codes(result.stderr) == INCIDENTS[name]
    assert "Traceback" not in result.stderr and "b'" not in result.stderr
    assert all(line.startswith(str(BAD / name)) for line in result.stderr.splitlines())
    assert len(result.stderr) < 2000  # a 5000-digit value is not echoed in full
    assert not out.exists()


def test_nul_byte_names_its_line(runner, tmp_path: Path) -> None:
    path = BAD / "incident_nul_byte.yaml"
    result = runner.invoke(cli, ["describe", str(path), "-o", str(tmp_path / "o")])
    assert f"{path}:2: error: character U+0000" in result.stderr


def test_look_alike_creators_are_warned(runner, tmp_path: Path) -> None:
    path = BAD / "incident_look_alike_creators.yaml"
    result = runner.invoke(cli, ["describe", str(path), "-o", str(tmp_path), "--by", "x"])
    assert result.exit_code == 0, result.output
    assert codes(result.stderr, "warning").count("look-alike-value") == 2
    assert "records_creators[2].name: 'Socialnamnden'" in result.stderr


def test_decomposed_letters_are_read_as_composed(runner, tmp_path: Path) -> None:
    path = BAD / "incident_nfd_names.yaml"
    assert "a\u0308" in path.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["describe", str(path), "-o", str(tmp_path), "--by", "x"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["socialnamnden"]
    xml = (tmp_path / "socialnamnden" / "arkivbeskrivning.xml").read_text(encoding="utf-8")
    assert "Socialnämnden" in xml and "a\u0308" not in xml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Socialnämnden", "socialnamnden"),
        (unicodedata.normalize("NFD", "Socialnämnden"), "socialnamnden"),
        ("Ærø kommun Straße", "aero-kommun-strasse"),
        ("Överförmyndarnämnden i Ångermanland", "overformyndarnamnden-i-angermanland"),
    ],
)
def test_slug_drops_accents_however_written(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize("name", sorted(PLANS))
def test_bad_plan_findings(runner, name: str) -> None:
    result = runner.invoke(cli, ["plan", "check", "--json", str(BAD / name)])
    found = [f["code"] for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert found == PLANS[name]
    assert result.exit_code == (1 if PLANS[name] else 0)
    assert isinstance(result.exception, (SystemExit, type(None)))


@pytest.mark.parametrize(
    "name", ["plan_utf16_bom.csv", "plan_xlsx_named_csv.csv", "plan_nfd_text.csv"]
)
def test_plan_read_by_content_has_every_row(name: str) -> None:
    from arkivlucka.retention.schedule import read_plan

    expected = read_plan(DATA / "plans" / "valid_full.csv")
    plan = read_plan(BAD / name)
    assert [r.record_type for r in plan.rows] == [r.record_type for r in expected.rows]
    assert plan.meta == expected.meta


def test_invalid_plan_date_stops_describe(runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = BAD / "plan_invalid_decision_date.csv"
    incident = SAMPLES / "digframe" / "incident.yaml"
    args = ["describe", str(incident), "-o", str(out), "--by", "x", "--plan", str(plan)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "invalid-date" in codes(result.stderr)
    assert not out.exists()


def test_workbook_first_sheet_with_data_is_read(runner, tmp_path: Path) -> None:
    import csv

    import openpyxl

    rows = list(
        csv.reader((DATA / "plans" / "valid_full.csv").open(encoding="utf-8"), delimiter=";")
    )
    book = openpyxl.Workbook()
    book.active.title = "Försättsblad"
    plan = book.create_sheet("Plan")
    for row in rows:
        plan.append(row)
    book.create_sheet("Ändringslogg").append(["2022", "ny version"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    result = runner.invoke(cli, ["plan", "check", "--json", str(path)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [f["code"] for f in found] == ["sheet-ignored"]
    assert "'Ändringslogg'" in found[0]["message"] and "('Plan')" in found[0]["message"]


def test_output_under_a_file_names_the_file(runner, tmp_path: Path, sample_incident) -> None:
    blocker = tmp_path / "entries"
    blocker.write_text("keep me", encoding="utf-8")
    args = ["describe", str(sample_incident), "-o", str(blocker / "sub"), "--by", "x", "-q"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {blocker}: is a file, not a folder; cannot write into it [write-failed]\n"
    )
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries"]


def test_decomposed_form_reads_like_composed(runner, tmp_path: Path) -> None:
    form = SAMPLES / "digframe" / "form.txt"
    nfd = tmp_path / "form.txt"
    nfd.write_text(unicodedata.normalize("NFD", form.read_text(encoding="utf-8")), "utf-8")
    composed = runner.invoke(cli, ["import", str(form)])
    decomposed = runner.invoke(cli, ["import", str(nfd)])
    assert decomposed.exit_code == composed.exit_code == 0
    assert decomposed.stdout == composed.stdout
    assert "field-not-found" not in decomposed.stderr


def test_sparse_incident_prose_has_no_stray_punctuation(runner, tmp_path: Path) -> None:
    path = BAD / "incident_sparse_trailing_punctuation.yaml"
    args = ["describe", str(path), "-o", str(tmp_path), "--by", "kommunarkivarie", "-q"]
    args += ["--created", "2024-05-01T10:00:00+02:00"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "kommunstyrelsen"
    text = (folder / "arkivbeskrivning.xml").read_text(encoding="utf-8")
    text += (folder / "arkivforteckning.xml").read_text(encoding="utf-8")
    assert "protokoll (från och med maj 2019, delvis förlorade)" in text
    assert "delegationsbeslut m.fl. (till och med 2020)" in text  # abbreviation kept
    assert "Ciceron (leverantör Formpipe)" in text
    for bad in ("protokoll. (", "Ciceron. (", "..", ";)", ",)", " ,", " .", ";;", "; ;"):
        assert bad not in text, bad


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
@pytest.mark.parametrize(
    "args",
    [
        ["describe", "{path}", "-o", "{tmp}/out"],
        ["validate", "{path}"],
        ["plan", "check", "{path}"],
        ["import", "{path}"],
    ],
    ids=["describe", "validate", "plan", "import"],
)
def test_special_files_are_refused_without_blocking(
    runner, tmp_path: Path, special: str, args: list[str]
) -> None:
    import os

    path = special
    if special == "fifo":
        path = str(tmp_path / "pipe.yaml")
        os.mkfifo(path)  # no writer: opening it the usual way would block for ever
    elif special == "folder":
        path = str(tmp_path / "folder.yaml")
        os.mkdir(path)
    result = runner.invoke(cli, [a.format(tmp=tmp_path, path=path) for a in args])
    if special == "folder":
        # a folder for a file argument is a usage error (import takes a folder only with -o)
        assert result.exit_code == 2
        return
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert codes(result.stderr) == ["unreadable"]
    assert "not a regular file" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["describe", "{big}", "-o", "{tmp}/out"], "file-too-large"),
        (["plan", "check", "{big}"], "file-too-large"),
        (["import", "{big}"], "form-too-large"),
    ],
)
def test_huge_input_is_refused_without_reading_it_all(
    runner, tmp_path: Path, monkeypatch, args: list[str], code: str
) -> None:
    from arkivlucka.files import tables as tabular
    from arkivlucka.form import pipeline as form_import
    from arkivlucka.incident import load as incident_file

    monkeypatch.setattr(tabular, "MAX_TABLE_BYTES", 1 << 20)  # keep the test light
    monkeypatch.setattr(form_import, "MAX_BYTES", 1 << 20)
    monkeypatch.setattr(incident_file, "MAX_BYTES", 1 << 20)
    big = tmp_path / "big.csv"
    big.write_bytes(b"a;b\n" * (1 << 19))
    result = runner.invoke(cli, [a.format(tmp=tmp_path, big=big) for a in args])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert codes(result.stderr) == [code]
    assert not (tmp_path / "out").exists()


def test_workbook_zip_bomb_is_refused_before_unpacking(runner, tmp_path: Path) -> None:
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Klass", "Handlingstyp", "Bevaras/Gallras"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * (20 << 20)
                data = data.replace(b"</sheetData>", cell + b"</t></is></c></row></sheetData>")
            out.writestr(info.filename, data)
    result = runner.invoke(cli, ["plan", "check", str(path)])
    assert result.exit_code == 1
    assert codes(result.stderr) == ["zip-bomb"]


@pytest.mark.parametrize(
    ("created", "env", "message"),
    [
        (
            "2023-02-29",
            {},
            "'2023-02-29' is not an ISO 8601 date-time (2024-03-01T10:00:00+01:00): day",
        ),
        (None, {"SOURCE_DATE_EPOCH": "-1"}, "SOURCE_DATE_EPOCH: '-1' is not a number of seconds"),
        (None, {"SOURCE_DATE_EPOCH": "garbage"}, "SOURCE_DATE_EPOCH: 'garbage' is not a number"),
    ],
)
def test_bad_creation_time_is_refused(runner, tmp_path, sample_incident, created, env, message):
    args = ["describe", str(sample_incident), "-o", str(tmp_path / "out"), "-q"]
    args += ["--created", created] if created else []
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 1
    assert message in result.stderr and result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_created_without_zone_is_utc_and_with_zone_is_kept() -> None:
    from arkivlucka.core.context import resolve_created

    assert resolve_created("2024-01-01T10:00", {}).isoformat() == "2024-01-01T10:00:00+00:00"
    kept = resolve_created("2024-01-01T10:00+02:00", {})
    assert kept.isoformat() == "2024-01-01T10:00:00+02:00"


def test_batch_output_names_differ_beyond_case_and_normalisation() -> None:
    from arkivlucka.form.pipeline import output_names

    forms = [Path("x/FORM.TXT"), Path("x/form.pdf"), Path("a/\u00c5r.txt"), Path("b/A\u030ar.docx")]
    names = output_names(forms, "yaml")
    folded = {unicodedata.normalize("NFC", n).casefold() for n in names}
    assert len(folded) == len(forms), names


def test_blocked_second_creator_leaves_no_temp_files_or_folders(runner, tmp_path: Path) -> None:
    from arkivlucka.entries.build import creator_keys
    from arkivlucka.incident.load import load_incident

    path = BAD / "incident_look_alike_creators.yaml"
    keys = creator_keys(load_incident(path).incident.records_creators)
    out = tmp_path / "out"
    out.mkdir()
    (out / keys[-1]).write_text("in the way", encoding="utf-8")
    result = runner.invoke(cli, ["describe", str(path), "-o", str(out), "--by", "x", "-q"])
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in out.rglob("*")] == [keys[-1]]  # nothing written, nothing left


def test_dashed_period_gets_a_hint(runner, tmp_path: Path) -> None:
    path = BAD / "incident_period_with_dash.yaml"
    result = runner.invoke(cli, ["describe", str(path), "-o", str(tmp_path / "o")])
    assert "'2020–2022' is not a year" in result.stderr
    assert "looks like a period; write it '2020/2022'" in result.stderr


def test_yaml_11_merge_and_value_signs_are_plain_text() -> None:
    from arkivlucka.incident.load import load_incident_text

    loaded = load_incident_text('organisation: =\nsummary: "<<"\n')
    assert loaded.incident.organisation == "="


#: form file → the error code `import` must report
FORMS = {
    "form_zip_unsupported_version.docx": "docx-broken",
    "form_docx_cut_short.docx": "docx-broken",
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_damaged_form_is_refused_cleanly(runner, name: str) -> None:
    result = runner.invoke(cli, ["import", str(BAD / name)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert codes(result.stderr) == [FORMS[name]]


def test_reasons_never_show_bytes_or_reprs() -> None:
    from arkivlucka.form.read import reason

    assert reason(ValueError("Ascii85 overflow")) == "Ascii85 overflow"
    assert reason(KeyError("There is no item named 'x'")) == "There is no item named 'x'"
    assert "b'" not in reason(ValueError(b"bad \x80")) and "bad" in reason(ValueError(b"bad"))
    assert reason(RuntimeError()) == "RuntimeError"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--by", "arkiv\x07arie"], "contains U+0007, a character XML cannot hold (--by)"),
        (
            ["--tool-version", "1\x01"],
            "contains U+0001, a character XML cannot hold (--tool-version)",
        ),
        (
            ["--plan", str(DATA / "plans" / "valid_full.csv"), "--plan-meta", "name=a\x1bb"],
            "U+001B",
        ),
    ],
)
def test_option_values_xml_cannot_hold_are_refused(
    runner, tmp_path: Path, sample_incident, extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["describe", str(sample_incident), "-o", str(out), "-q", *extra])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert message in result.stderr
    assert not out.exists()


def test_form_text_drops_characters_that_cannot_be_written() -> None:
    from arkivlucka.form.read import normalise_lines

    assert normalise_lines("Dig\ud800frame\uffff") == ["Digframe"]


def test_formula_without_saved_value_is_named(runner, tmp_path: Path) -> None:
    import csv

    import openpyxl

    rows = list(
        csv.reader((DATA / "plans" / "valid_full.csv").open(encoding="utf-8"), delimiter=";")
    )
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active["C8"] = '=UPPER("arbetsmaterial")'  # openpyxl saves no computed value
    path = tmp_path / "plan.xlsx"
    book.save(path)
    result = runner.invoke(cli, ["plan", "check", "--json", str(path)])
    found = json.loads(result.stdout)
    unsaved = [f for f in found if f["code"] == "formula-without-value"]
    assert [(f["line"], f["path"]) for f in unsaved] == [(8, "C")]
    assert "cell C8 holds a formula with no saved value" in unsaved[0]["message"]


def test_batch_import_of_forms_with_very_long_names(runner, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    sample = (SAMPLES / "digframe" / "form.txt").read_bytes()
    long = "Incidentrapport " + "å" * 110  # 236 bytes: near the 255-byte limit
    (forms / f"{long}.txt").write_bytes(sample)
    (forms / f"{long}.TXT").write_bytes(sample)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["import", str(forms), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and all(len(n.encode("utf-8")) <= 255 for n in names)
    assert not [n for n in names if n.endswith(".tmp")]


def test_plan_facts_with_trailing_full_stops_read_well(runner, tmp_path: Path) -> None:
    incident = BAD / "incident_sparse_with_plan_code.yaml"
    plan = BAD / "plan_trailing_full_stops.csv"
    args = ["describe", str(incident), "-o", str(tmp_path), "--plan", str(plan), "-q"]
    result = runner.invoke(cli, [*args, "--created", "2024-05-01T10:00:00+02:00"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ekonomiavdelningen" / "arkivbeskrivning.xml").read_text("utf-8")
    assert "Enligt Dokumenthanteringsplan för testnämnden, version 2.1 (beslut:" in text
    assert "i klass 3.1 Hantera ekonomi gallras" in text
    assert ".," not in text and ". (" not in text and ".." not in text


def test_csv_problems_name_their_lines(runner) -> None:
    result = runner.invoke(cli, ["plan", "check", "--json", str(BAD / "plan_unclosed_quote.csv")])
    quote = [f for f in json.loads(result.stdout) if f["code"] == "csv-quote"]
    assert [(f["line"], f["severity"]) for f in quote] == [(8, "warning")]
    assert "lines 8–9" in quote[0]["message"]
    result = runner.invoke(cli, ["plan", "check", "--json", str(BAD / "plan_field_too_long.csv")])
    assert [(f["code"], f["line"]) for f in json.loads(result.stdout)] == [("csv-syntax", 8)]


def test_findings_stay_on_one_line_without_terminal_escapes(runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Plan;Evil \x1b[2J name\nKlass;Handlingstyp;Bevaras/Gallras\n1;A;Bevaras\n", "utf-8"
    )
    result = runner.invoke(cli, ["plan", "check", str(plan)])
    assert "\x1b" not in result.stderr and "Evil \\x1b[2J name" in result.stderr
    result = runner.invoke(cli, ["plan", "check", str(BAD / "plan_unclosed_quote.csv")])
    lines = result.stderr.splitlines()
    assert all(line.startswith(str(BAD / "plan_unclosed_quote.csv")) for line in lines)
    assert " ⏎ 3.1;Hantera ekonomi" in result.stderr


def test_file_name_that_is_not_utf8(runner, tmp_path: Path) -> None:
    import os

    path = tmp_path / os.fsdecode(b"\xffentry.xml")
    path.write_bytes(b"<a/>")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert codes(result.stderr) == ["xml-unknown-kind"]
