from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.retention import assess as culling
from arkivlucka.retention import wording
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING as NS
from support.helpers import DATA, SAMPLES, assert_valid, python_says

PLAN_CSV = SAMPLES / "digframe" / "dokumenthanteringsplan.csv"
PLAN_XLSX = SAMPLES / "digframe" / "dokumenthanteringsplan.xlsx"
CREATED = "2024-03-01T10:00:00+01:00"
N = {"a": NS}


def run(runner, incident, outdir, *extra):
    return runner.invoke(
        cli, ["describe", str(incident), "-o", str(outdir), "--created", CREATED, *extra]
    )


def docs(outdir: Path):
    desc = etree.parse(str(outdir / "kommunstyrelsen" / "arkivbeskrivning.xml"))
    inv = etree.parse(str(outdir / "kommunstyrelsen" / "arkivforteckning.xml"))
    return desc, inv


def edited_incident(tmp_path: Path, sample_incident: Path, edit) -> Path:
    data = yaml.safe_load(sample_incident.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "incident.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("plan", [PLAN_CSV, PLAN_XLSX], ids=["csv", "xlsx"])
def test_digframe_with_plan_end_to_end(runner, sample_incident, tmp_path, plan):
    out = tmp_path / "out"
    result = run(runner, sample_incident, out, "--plan", str(plan))
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.xml"))
    assert len(files) == 2
    for f in files:
        assert_valid(f)
    desc, inv = docs(out)
    blocks = desc.findall(".//a:ForloradHandling/a:Gallring", N) + inv.findall(
        ".//a:Lucka/a:Gallring", N
    )
    assert len(blocks) == 8  # four lost records, in both entries
    for block in blocks:
        assert block.get("Gallras") == "false"
        assert block.get("FristUtgangen") is None
        assert block.findtext("a:Forlustklassning", namespaces=N) == culling.KEPT_RECORDS_LOST
        plan_el = block.find("a:Plan", N)
        assert plan_el.get("Matchning") == "handlingstyp"
        assert plan_el.findtext("a:Klass", namespaces=N) == "2.2"
        assert plan_el.findtext("a:Handlingstyp", namespaces=N) == (
            "Producerat material: Utredningar, kartläggningar"
        )
        assert plan_el.findtext("a:Version", namespaces=N) == "exempel 1"
    text = desc.findtext(".//a:Beskrivningstext", namespaces=N)
    assert "skulle därför ha bevarats" in text
    assert (
        "Kommungemensam dokumenthanteringsplan (exempel för arkivlucka), version exempel 1" in text
    )
    assert "beslut anges inte i planen" in text  # the sample plan gives no decision
    assert "klass 2.2 Bedriva arbete i projektform" in text
    assert wording.NO_PLAN_TEXT not in text
    note = inv.findtext(".//a:Lucka/a:Anmarkning", namespaces=N)
    assert "skulle bevaras" in note
    assert "[missing-decision]" in result.stderr


def test_csv_and_xlsx_plans_give_the_same_bytes(runner, sample_incident, tmp_path):
    run(runner, sample_incident, tmp_path / "c", "--plan", str(PLAN_CSV))
    run(runner, sample_incident, tmp_path / "x", "--plan", str(PLAN_XLSX))
    for rel in ("kommunstyrelsen/arkivbeskrivning.xml", "kommunstyrelsen/arkivforteckning.xml"):
        assert (tmp_path / "c" / rel).read_bytes() == (tmp_path / "x" / rel).read_bytes()


def test_without_plan_says_no_plan_was_consulted(runner, sample_incident, tmp_path):
    result = run(runner, sample_incident, tmp_path)
    assert result.exit_code == 0, result.output
    desc, inv = docs(tmp_path)
    # the sample states what the plan says: the text says it is the report's, unchecked
    assert wording.NOT_CHECKED_TEXT in desc.findtext(".//a:Beskrivningstext", namespaces=N)
    assert desc.find(".//a:Gallring", N) is None
    assert inv.find(".//a:Gallring", N) is None


def test_unmatched_record_stops_and_lists_candidates(runner, sample_incident, tmp_path):
    def edit(data):
        data["lost_records"][1]["record_type"] = "Utredningar och kartläggningar"

    incident = edited_incident(tmp_path, sample_incident, edit)
    out = tmp_path / "out"
    result = run(runner, incident, out, "--plan", str(PLAN_CSV))
    assert result.exit_code == 1
    assert "[plan-suggested-match]" in result.stderr
    assert "lost_records[1]" in result.stderr
    assert (
        '`plan_code: "2.2"` and `record_type: "Producerat material: Utredningar, kartläggningar"`'
        in result.stderr
    )
    assert f"{incident}:" in result.stderr  # located in the incident file
    assert not out.exists()


def test_shared_class_code_is_ambiguous(runner, sample_incident, tmp_path):
    def edit(data):
        for rec in data["lost_records"]:
            rec["record_type"] = "Utredningar och kartläggningar"
            rec["plan_code"] = "2.2"

    incident = edited_incident(tmp_path, sample_incident, edit)
    # the class code 2.2 has several record types: the record type does not narrow it
    result = run(runner, incident, tmp_path / "out", "--plan", str(PLAN_CSV))
    assert result.exit_code == 1
    assert "[plan-code-ambiguous]" in result.stderr


def test_plan_code_with_ids(runner, sample_incident, tmp_path):
    def edit(data):
        for rec in data["lost_records"]:
            rec["plan_code"] = "2.2.1"  # Tidplaner: Gallras 2 år

    incident = edited_incident(tmp_path, sample_incident, edit)
    out = tmp_path / "out"
    result = run(runner, incident, out, "--plan", str(DATA / "plans" / "ids.csv"))
    assert result.exit_code == 0, result.output
    for f in out.rglob("*.xml"):
        assert_valid(f)
    desc, _ = docs(out)
    by_id = {
        el.get("ID"): el.find("a:Gallring", N) for el in desc.findall(".//a:ForloradHandling", N)
    }
    # förvaltningsobjekt 2022–2023: 2 år from 2023-12-31 → 2025-12-31, after the incident
    fo = by_id["forvaltningsobjekt"]
    assert fo.get("Gallras") == "true" and fo.get("FristUtgangen") == "false"
    assert fo.findtext("a:GallringsPeriodSlut", namespaces=N) == "2025-12-31"
    assert fo.findtext("a:Forlustklassning", namespaces=N) == culling.CULLED_BEFORE_DUE
    assert fo.find("a:Plan", N).get("Matchning") == "kod"
    assert fo.findtext("a:Plan/a:Beslut", namespaces=N) == "KS 2022-03-01 § 45"
    # nyttokalkyleringar "efter 2019": open-ended, cannot be computed
    ny = by_id["nyttokalkyleringar"]
    assert ny.get("FristUtgangen") is None
    assert ny.findtext("a:Forlustklassning", namespaces=N) == culling.DUE_UNKNOWN
    assert "inget angivet slut" in ny.findtext("a:GallringsForklaring", namespaces=N)
    text = desc.findtext(".//a:Beskrivningstext", namespaces=N)
    assert "För detaljer om förvaltningsobjekt:" in text
    assert (
        "För tidplaner för digitaliseringsprojekt och detaljer om aktivitetsbeskrivningar för "
        "digitalisering: enligt planen" in text
    )
    assert "För nyttokalkyleringar: enligt planen" in text
    assert "i klass 2.2 (nr 2.2.1) gallras (2 år)" in text
    assert fo.findtext("a:Plan/a:Klass", namespaces=N) == "2.2"
    assert fo.findtext("a:Plan/a:Nr", namespaces=N) == "2.2.1"
    tid = by_id["tidplaner"]
    assert "handlingarnas period anges inte" in tid.findtext("a:GallringsForklaring", namespaces=N)
    assert "Testplan med löpnummer, version 1 (beslut: KS 2022-03-01 § 45)" in text


def test_expired_period_is_still_documented(runner, sample_incident, tmp_path):
    def edit(data):
        data["lost_records"] = [data["lost_records"][2]]
        data["lost_records"][0]["period"] = {"start": 2015, "end": 2016}
        data["lost_records"][0]["plan_code"] = "2.2.1"

    incident = edited_incident(tmp_path, sample_incident, edit)
    out = tmp_path / "out"
    result = run(runner, incident, out, "--plan", str(DATA / "plans" / "ids.csv"))
    assert result.exit_code == 0, result.output
    desc, inv = docs(out)
    for doc in (desc, inv):
        assert_valid(etree.tostring(doc))
        block = doc.find(".//a:Gallring", N)
        assert block.get("FristUtgangen") == "true"
        assert block.findtext("a:GallringsPeriodSlut", namespaces=N) == "2018-12-31"
        assert block.findtext("a:Forlustklassning", namespaces=N) == culling.CULLABLE_BY_PLAN
    assert "hade fått gallras" in inv.findtext(".//a:Lucka/a:Anmarkning", namespaces=N)


def test_matched_row_with_a_bad_period_stops(runner, sample_incident, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Plan;P\nKlass;Handlingstyp;Gallringsfrist\n"
        "2.2;Producerat material: Utredningar, kartläggningar;snart\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run(runner, sample_incident, out, "--plan", str(plan))
    assert result.exit_code == 1
    assert "[plan-row-invalid]" in result.stderr
    assert "[unparsed-period]" in result.stderr
    assert not out.exists()


def test_unreadable_plan(runner, sample_incident, tmp_path):
    result = run(runner, sample_incident, tmp_path / "o", "--plan", str(tmp_path / "none.csv"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_plan_meta_on_describe(runner, sample_incident, tmp_path):
    out = tmp_path / "out"
    result = run(
        runner, sample_incident, out, "--plan", str(PLAN_CSV),
        "--plan-meta", "Beslutad av=Kommunstyrelsen", "--plan-meta", "Beslutsdatum=2020-01-01",
        "--plan-meta", "Paragraf=1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    desc, _ = docs(out)
    assert "beslut: Kommunstyrelsen 2020-01-01 § 1" in desc.findtext(
        ".//a:Beskrivningstext", namespaces=N
    )
    assert "missing-decision" not in result.stderr


def test_following_the_suggestion_works(runner, sample_incident, tmp_path):
    def edit(data):
        rec = data["lost_records"][1]
        rec["plan_code"] = "2.2"
        rec["record_type"] = "Producerat material: Utredningar, kartläggningar"

    incident = edited_incident(tmp_path, sample_incident, edit)
    out = tmp_path / "out"
    result = run(runner, incident, out, "--plan", str(PLAN_CSV))
    assert result.exit_code == 0, result.output
    desc, _ = docs(out)
    methods = [p.get("Matchning") for p in desc.findall(".//a:Gallring/a:Plan", N)]
    assert methods == ["handlingstyp", "kod", "handlingstyp", "handlingstyp"]


def test_plan_meta_without_plan_is_a_usage_error(runner, sample_incident, tmp_path):
    result = run(runner, sample_incident, tmp_path, "--plan-meta", "version=1")
    assert result.exit_code == 2
    assert "--plan-meta needs --plan" in result.stderr


def test_describe_without_a_plan_does_not_load_the_plan_stage(tmp_path: Path) -> None:

    from support.helpers import REPO

    code = (
        "import atexit, sys\n"
        "from arkivlucka.cli import main\n"
        f"sys.argv = ['arkivlucka', 'describe', {str(REPO / 'samples/digframe/incident.yaml')!r},"
        f" '-o', {str(tmp_path / 'out')!r}, '-q', '--no-register']\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules"
        " if m.startswith('arkivlucka.retention.'))))\n"
        "main()\n"
    )
    said = python_says(code)
    assert said.strip().splitlines()[-1] == "['arkivlucka.retention.wording']"
