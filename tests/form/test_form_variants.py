"""Forms from other (imagined) municipalities, the round trip to entries, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from arkivlucka.cli import cli
from arkivlucka.form.pipeline import import_form, import_path
from arkivlucka.form.propose import find_period
from support.formgen import docx_bytes, pdf_bytes
from support.helpers import DATA, SAMPLES, assert_valid, flat

FORMS = DATA / "forms"
VARIANTS = [FORMS / "norrvik_same_line.txt", FORMS / "vastra_own_lines.txt"]
SEED = SAMPLES / "digframe" / "form.txt"


@pytest.mark.parametrize("form", VARIANTS, ids=[p.stem for p in VARIANTS])
def test_other_municipality_form_reads_as_expected(form):
    result = import_path(form)
    expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert json.loads(result.render("json"))["incident"] == expected
    assert result.warnings == []


@pytest.mark.parametrize("form", VARIANTS, ids=[p.stem for p in VARIANTS])
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_other_municipality_form_as_pdf_and_docx(form, kind):
    text = form.read_text(encoding="utf-8")
    data = pdf_bytes(text) if kind == "pdf" else docx_bytes(text.split("\n"))
    result = import_form(data, f"{form.stem}.{kind}")
    expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert flat(result.data) == flat(expected)


def test_norrvik_reads_labels_on_the_same_line_and_brackets():
    d = import_path(FORMS / "norrvik_same_line.txt").data
    assert (d["department"], d["unit"]) == ("Miljö- och byggförvaltningen", "Bygglovsenheten")
    assert d["reported_by"] == {
        "name": "Erik Lund",
        "title": "Registrator",
        "email": "erik.lund@norrvik.se",
    }
    assert (d["kind"], d["status"], d["personal_data_risk"]) == ("suspected", "aborted", "unknown")
    assert d["occurred"] == {"at": "2024-03-03T14:30", "precision": "estimated"}


def test_vastra_reads_labels_on_own_lines_and_boxes_after_options():
    d = import_path(FORMS / "vastra_own_lines.txt").data
    assert d["reported_by"]["email"] == "lisa.ek@vasteras.se"
    assert d["status"] == "ongoing"
    assert d["discovered"] == {"at": "2025-01-13T08:15", "precision": "estimated"}
    assert [r["title"] for r in d["lost_records"]] == [
        "Elevinlämningar höstterminen",
        "Bedömningsunderlag",
    ]
    assert d["extracts"][0]["kept_in"] == "Public 360"


PERIODS = [
    ("detaljer 2022-2023", {"start": "2022", "end": "2023", "text": "2022-2023"}),
    ("nyttokalkyleringar efter 2019", {"start": "2020", "text": "efter 2019"}),
    ("uttag till och med den 19 oktober 2023", {"end": "2023-10-19", "text": "till och med den 19 oktober 2023"}),
    ("uttag omfattande åren 2019-2021", {"start": "2019", "end": "2021", "text": "åren 2019-2021"}),
    ("protokoll före 2015", {"end": "2014", "text": "före 2015"}),
    ("listor från och med 2018", {"start": "2018", "text": "från och med 2018"}),
    ("akter mellan 2010 och 2012", {"start": "2010", "end": "2012", "text": "mellan 2010 och 2012"}),
    ("filer under 2020", {"start": "2020", "end": "2020", "text": "under 2020"}),
    ("loggar sedan mars 2021", {"start": "2021-03", "text": "sedan mars 2021"}),
    ("ärenden fram till 2022-06-30", {"end": "2022-06-30", "text": "fram till 2022-06-30"}),
    ("efter 31 december 2020", {"start": "2021-01-01", "text": "efter 31 december 2020"}),
    ("2019–2021", {"start": "2019", "end": "2021", "text": "2019–2021"}),
    ("tidplaner", None),
]  # fmt: skip


@pytest.mark.parametrize(("phrase", "expected"), PERIODS, ids=[p[0] for p in PERIODS])
def test_period_phrases(phrase, expected):
    found = find_period(phrase)
    assert (found[0] if found else None) == expected


# -- round trip: import → confirm → describe → validate ------------------------------------
def _confirm(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in ("lost_records", "systems", "extracts"):
        for item in data.get(section, []):
            item.pop("proposed")
    data["records_creators"] = [
        {"name": "Kommunstyrelsen", "department": "Kommunledningsförvaltningen"}
    ]
    from arkivlucka.incident.dump import dump_yaml

    path.write_text(dump_yaml(data), encoding="utf-8")


def test_round_trip_seed_to_valid_entries(runner, tmp_path):
    incident = tmp_path / "incident.yaml"
    result = runner.invoke(cli, ["import", str(SEED), "-o", str(incident)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    out = tmp_path / "out"
    refused = runner.invoke(cli, ["describe", str(incident), "-o", str(out)])
    assert refused.exit_code == 1
    assert "unconfirmed-proposal" in refused.stderr
    assert "('Nyttokalkyleringar'): proposed by 'arkivlucka import'" in refused.stderr
    assert "delete its 'proposed: true' line" in refused.stderr
    assert not out.exists()
    _confirm(incident)
    made = runner.invoke(
        cli, ["describe", str(incident), "-o", str(out), "--created", "2024-03-01T10:00:00+01:00"]
    )
    assert made.exit_code == 0, made.stderr
    files = sorted(out.rglob("*.xml"))
    assert len(files) == 2
    for f in files:
        assert_valid(f)
    checked = runner.invoke(cli, ["validate", *map(str, files)])
    assert checked.exit_code == 0, checked.stderr
    text = (out / "kommunstyrelsen" / "arkivbeskrivning.xml").read_text(encoding="utf-8")
    for fact in (
        "Trelleborgs kommun", "Kommunledningsförvaltningen", "2023-10-19T16:00",
        "2024-02-07T08:50", "Nyttokalkyleringar", "efter 2019", "Digframe", "DirSys",
        "Stratsys", "W3D3", "kommunstyrelsens serie", "till och med den 19 oktober 2023",
    ):  # fmt: skip
        assert fact in text, fact
    inventory = (out / "kommunstyrelsen" / "arkivforteckning.xml").read_text(encoding="utf-8")
    assert "Lucka" in inventory and "Detaljer om förvaltningsobjekt" in inventory


# -- CLI ----------------------------------------------------------------------------------
def test_cli_one_form_to_stdout_with_findings_on_stderr(runner):
    result = runner.invoke(cli, ["import", str(SEED)])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Imported by 'arkivlucka import' from form.txt (txt).")
    assert "department: Kommunledningsförvaltningen" in result.stdout
    assert "[records-creators-missing]" in result.stderr
    assert "department:" not in result.stderr


def test_cli_json_format(runner):
    result = runner.invoke(cli, ["import", str(SEED), "--format", "json", "-q"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["incident"]["kind"] == "confirmed"
    assert result.stderr == ""


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = SEED.read_text(encoding="utf-8").replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("strict", [False, True])
def test_cli_warning_one_line_per_field_and_strict(runner, tmp_path, strict):
    form = _variant(tmp_path, "two.txt", "☒Konstaterad incident                            ☐Misstänkt",
                    "☒Konstaterad incident ☒Misstänkt")  # fmt: skip
    out = tmp_path / "two.yaml"
    args = ["import", str(form), "-o", str(out)] + (["--strict"] if strict else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == (1 if strict else 0)
    lines = [ln for ln in result.stderr.splitlines() if "warning:" in ln]
    assert lines == [
        f"{form}:26: warning: kind: several boxes are checked in a one-choice group "
        "(Konstaterad incident, Misstänkt incident) [checkbox-conflict]"
    ]
    assert out.exists() and "kind:" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "form-empty"), (b"%PDF-1.4\ntrasig", "pdf-broken"), (b"Hej\nhopp\n", "not-a-form")],
)
def test_cli_bad_form_exits_1_without_traceback(runner, tmp_path, content, code):
    form = tmp_path / "bad.pdf"
    form.write_bytes(content)
    out = tmp_path / "bad.yaml"
    result = runner.invoke(cli, ["import", str(form), "-o", str(out)])
    assert result.exit_code == 1
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_cli_missing_file_exits_1(runner, tmp_path):
    result = runner.invoke(cli, ["import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "[unreadable]" in result.stderr


def test_cli_batch_goes_on_past_bad_forms(runner, tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "a.txt").write_bytes(SEED.read_bytes())
    (forms / "a.pdf").write_bytes(pdf_bytes(SEED.read_text(encoding="utf-8")))
    (forms / "empty.docx").write_bytes(b"")
    (forms / "notes.md").write_text("ignored", encoding="utf-8")
    _variant(forms, "c.txt", "☐Pågående           ☐Avbruten                ☒Avslutad",
             "☐Pågående ☐Avbruten ☐Avslutad")  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(cli, ["import", str(forms), "-o", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a-pdf.yaml", "a-txt.yaml", "c.yaml"]
    summary = result.stderr.split("summary:\n", 1)[1].splitlines()
    assert summary[0].endswith("a.pdf → " + str(out / "a-pdf.yaml") + ": no warnings")
    assert re.search(r"c\.txt → .*c\.yaml: 1 warning\(s\): checkbox-empty$", summary[2])
    assert re.search(r"empty\.docx: FAILED \(.*the file is empty\)$", summary[3])
    assert summary[-1] == "4 form(s): 3 imported (1 with warnings), 1 failed"
    assert "importing" not in result.stderr  # no progress bar when stderr is not a terminal
    assert result.stdout == ""


def test_cli_batch_of_files_json_strict(runner, tmp_path):
    a = _variant(tmp_path, "a.txt", "x", "x")
    c = _variant(tmp_path, "c.txt", "☒Begränsad", "☐Begränsad")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["import", str(a), str(c), "-o", str(out), "--format", "json"])
    assert result.exit_code == 0
    written = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert written["incident"]["status"] == "closed"
    strict = runner.invoke(cli, ["import", str(a), str(c), "-o", str(out), "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [["import", "{dir}"], ["import", "{a}", "{a}"], ["import", "{dir}", "-o", "{a}"]],
)
def test_cli_batch_usage_errors(runner, tmp_path, args):
    a = _variant(tmp_path, "a.txt", "x", "x")
    filled = [s.format(dir=tmp_path, a=a) for s in args]
    result = runner.invoke(cli, filled)
    assert result.exit_code == 2


def test_cli_batch_progress_bar_on_a_terminal(runner, tmp_path, monkeypatch):
    from arkivlucka.cli import import_cmd

    seen = []
    monkeypatch.setattr(import_cmd, "on_terminal", lambda: seen.append(1) or True)
    forms = [_variant(tmp_path, f"f{i}.txt", "x", "x") for i in range(3)]
    result = runner.invoke(cli, ["import", *map(str, forms), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert seen == [1]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f0.yaml", "f1.yaml", "f2.yaml"]
    assert result.stderr.rstrip().endswith("3 form(s): 3 imported (0 with warnings), 0 failed")


def test_batch_reports_an_unexpected_error_and_goes_on(tmp_path, monkeypatch):
    from arkivlucka.form import pipeline as form_import

    real = form_import.import_text

    def flaky(form, file="<form>"):
        if file.endswith("boom.txt"):
            raise IndexError("simulated bug")
        return real(form, file)

    monkeypatch.setattr(form_import, "import_text", flaky)
    forms = [_variant(tmp_path, name, "x", "x") for name in ("boom.txt", "fine.txt")]
    items = form_import.import_forms(forms, tmp_path / "out")
    assert [i.failure.findings[0].code if i.failure else None for i in items] == [
        "internal-error",
        None,
    ]
    assert items[1].written == tmp_path / "out" / "fine.yaml"


@pytest.mark.parametrize(
    ("sentence", "name", "role", "supplier"),
    [
        (
            "Modulen Digframe som driftades av leverantör DirSys avslutades.",
            "Digframe",
            "modul",
            "DirSys",
        ),
        (
            "Vid en uppgradering av ärendesystemet Treserva raderades bilagor.",
            "Treserva",
            "ärendesystem",
            None,
        ),
        (
            "Journalsystemet Cosmic levererades av Cambio AB och kraschade.",
            "Cosmic",
            "journalsystem",
            "Cambio AB",
        ),
        ("Verksamhetssystemet Procapita slutade fungera.", "Procapita", "system", None),
    ],
)
def test_systems_are_proposed_from_compound_nouns(sentence, name, role, supplier):
    from arkivlucka.form.propose import propose

    (system,) = propose({"summary": sentence}).systems
    assert (system["name"], system["role"], system.get("supplier")) == (name, role, supplier)
    assert system["proposed"] is True
