"""describe: golden entries, determinism, the facts stated, and nothing invented."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import IncidentError, OutputError
from arkivlucka.entries.describe import describe, make_documents
from arkivlucka.incident.load import load_incident, load_incident_text
from support.helpers import DATA, SAMPLES, assert_valid, canonical

NS = {"a": "urn:arkivlucka:arkivredovisning:1.0"}
FIXED = [
    "--created",
    "2024-03-01T10:00:00+01:00",
    "--tool-version",
    "0.1.0",
    "--by",
    "kommunarkivarie",
]
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")


def run_describe(runner, incident: Path, out: Path, *extra: str):
    return runner.invoke(cli, ["describe", str(incident), "-o", str(out), *extra])


@pytest.mark.parametrize(
    ("golden_name", "extra"),
    [
        ("digframe", []),
        ("digframe-plan", ["--plan", str(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")]),
    ],
)
def test_sample_matches_reviewed_golden_entries(
    runner, sample_incident, tmp_path, golden_name, extra
):
    result = run_describe(runner, sample_incident, tmp_path, *FIXED, "-q", *extra)
    assert result.exit_code == 0, result.stderr
    golden = DATA / "golden" / golden_name
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.xml"))
    assert made == sorted(p.relative_to(golden) for p in golden.rglob("*.xml"))
    for rel in made:
        assert_valid(tmp_path / rel)
        assert canonical((tmp_path / rel).read_bytes()) == canonical((golden / rel).read_bytes()), (
            rel
        )


def test_two_runs_are_byte_identical(runner, sample_incident, tmp_path):
    for name in ("a", "b"):
        assert run_describe(runner, sample_incident, tmp_path / name, *FIXED).exit_code == 0
    for path in (tmp_path / "a").rglob("*.xml"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_source_date_epoch_fixes_the_creation_time(runner, sample_incident, tmp_path):
    result = runner.invoke(
        cli,
        ["describe", str(sample_incident), "-o", str(tmp_path)],
        env={"SOURCE_DATE_EPOCH": "1709283600"},
    )
    assert result.exit_code == 0, result.stderr
    doc = etree.parse(str(tmp_path / "kommunstyrelsen" / "arkivbeskrivning.xml"))
    assert doc.findtext("a:Postmetadata/a:Skapad", namespaces=NS) == "2024-03-01T09:00:00+00:00"


def test_entries_state_the_facts_the_law_asks_for(sample_incident):
    docs = make_documents(load_incident(sample_incident), CTX).documents
    desc = etree.fromstring(docs["kommunstyrelsen/arkivbeskrivning.xml"])

    def text(path: str) -> list[str]:
        return [e.text or "" for e in desc.xpath(path, namespaces=NS)]

    assert text("a:Incident/a:Intraffade") == ["2023-10-19T16:00"]
    assert desc.xpath("a:Incident/a:Intraffade/@Precision", namespaces=NS) == ["uppskattad"]
    assert text("a:Incident/a:Upptacktes") == ["2024-02-07T08:50"]
    assert desc.xpath("a:Incident/a:Upptacktes/@Precision", namespaces=NS) == ["exakt"]
    assert text("a:PaverkadeSystem/a:System/a:Leverantor") == ["DirSys"]
    assert desc.xpath("a:PaverkadeProcesser/a:Process/@Kod", namespaces=NS) == ["2.2"]
    assert text("a:AtervunnaUttag/a:Uttag/a:Forvaringsplats/a:System") == ["W3D3", "W3D3"]
    assert desc.xpath("a:Gallringsgrund/@Klassning", namespaces=NS) == ["gallring-utan-beslut"]
    prose = text("a:Beskrivningstext")[0]
    for fact in (
        "19 oktober 2023 kl. 16.00 (uppskattad tid)",
        "7 februari 2024 kl. 08.50 (exakt tid)",
        "detaljer om förvaltningsobjekt (2022–2023",
        "nyttokalkyleringar (efter 2019",
        "leverantör DirSys",
        "2.2 Bedriva arbete i projektform",
        "W3D3, kommunstyrelsens serie",
        "gallring skett utan gallringsbeslut",
        "Posten upprättades den 1 mars 2024",
    ):
        assert fact in prose
    inv = etree.fromstring(docs["kommunstyrelsen/arkivforteckning.xml"])
    gaps = inv.xpath("a:Lucka", namespaces=NS)
    assert [g.get("HandlingID") for g in gaps] == [
        "tidplaner",
        "aktivitetsbeskrivningar",
        "forvaltningsobjekt",
        "nyttokalkyleringar",
    ]
    assert all(g.findtext("a:Anmarkning", namespaces=NS).startswith("Lucka: ") for g in gaps)
    assert inv.findtext("a:ArkivbeskrivningPostID", namespaces=NS) == desc.get("PostID")


def test_nothing_is_invented_for_a_sparse_incident():
    loaded = load_incident(DATA / "incidents" / "minimal_valid.yaml")
    result = make_documents(loaded, CTX)
    desc = etree.fromstring(result.documents["socialnamnden/arkivbeskrivning.xml"])
    assert_valid(result.documents["socialnamnden/arkivbeskrivning.xml"])
    for absent in ("a:Incident/a:Referens", "a:PaverkadeSystem", "a:PaverkadeProcesser",
                   "a:AtervunnaUttag", "a:Incident/a:Rapportor", "a:Postmetadata/a:SkapadAv",
                   "a:Gallringsgrund/a:GallringsForklaring"):  # fmt: skip
        assert desc.xpath(absent, namespaces=NS) == [], absent
    missing = desc.xpath("a:SaknadeUppgifter/a:Uppgift/@Falt", namespaces=NS)
    assert {"reference", "systems", "processes", "culling_rationale"} <= set(missing)
    prose = desc.findtext("a:Beskrivningstext", namespaces=NS)
    assert "referens" not in prose and "Berörda system" not in prose and " av " not in prose[-30:]
    assert {f.path for f in result.findings if f.code == "missing-fact"} == set(missing)
    assert [f.code for f in result.findings if f.path is None] == ["missing-author"]


def test_personal_data_only_when_asked(sample_incident):
    plain = make_documents(load_incident(sample_incident), CTX).documents
    assert b"Halld" not in plain["kommunstyrelsen/arkivbeskrivning.xml"]
    named_ctx = RunContext(CTX.created, CTX.tool_version, include_names=True)
    named = make_documents(load_incident(sample_incident), named_ctx).documents
    assert "Tova Halldén".encode() in named["kommunstyrelsen/arkivbeskrivning.xml"]


def test_one_entry_pair_per_creator_with_safe_unique_names():
    text = """
lost_records: [{title: Protokoll}]
records_creators:
  - {name: Kommunstyrelsen}
  - {name: "kommunstyrelsen "}
  - {name: "../../etc/passwd"}
  - {name: "Överförmyndarnämnden"}
  - {name: "///"}
"""
    docs = make_documents(load_incident_text(text), CTX).documents
    folders = sorted({name.split("/")[0] for name in docs})
    assert len(folders) == 5
    assert "overformyndarnamnden" in folders and "etc-passwd" in folders
    assert all(f and "/" not in f and not f.startswith(".") for f in folders)
    again = make_documents(load_incident_text(text), CTX).documents
    assert sorted(docs) == sorted(again)


def test_invalid_incident_writes_nothing(runner, tmp_path):
    out = tmp_path / "out"
    result = run_describe(runner, DATA / "incidents" / "discovered_before_occurred.yaml", out)
    assert result.exit_code == 1
    assert "discovered-before-occurred" in result.stderr
    assert "discovered_before_occurred.yaml:3:" in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_rule_errors_raise_with_every_finding():
    with pytest.raises(IncidentError) as info:
        make_documents(load_incident_text("records_creators: []\n"), CTX)
    assert {f.code for f in info.value.findings if f.is_error} == {
        "no-records-creator",
        "no-lost-record",
    }


def test_rewrite_replaces_existing_entries_atomically(sample_incident, tmp_path):
    first = describe(sample_incident, tmp_path, CTX)
    later = RunContext(datetime(2025, 1, 1, tzinfo=UTC), "9.9.9")
    with pytest.raises(OutputError) as refused:
        describe(sample_incident, tmp_path, later)
    assert refused.value.findings[0].code == "entries-exist"
    second = describe(sample_incident, tmp_path, later, overwrite=True)
    assert first.written == second.written
    assert b"2025-01-01" in second.written[0].read_bytes()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_cli_lists_written_files_on_stdout_and_warnings_on_stderr(
    runner, sample_incident, tmp_path
):
    result = run_describe(runner, sample_incident, tmp_path, *FIXED)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        str(tmp_path / "kommunstyrelsen" / "arkivbeskrivning.xml"),
        str(tmp_path / "kommunstyrelsen" / "arkivforteckning.xml"),
    ]
    assert "warning: reference: not given" in result.stderr
    assert "incident.yaml:74: warning: lost_records[0].period" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["describe", "missing.yaml", "-o", "x"], 1, "cannot read"),
        (["describe", "{sample}", "-o", "x", "--created", "yesterday"], 1, "--created"),
        (["describe", "{sample}"], 2, "Missing option '-o'"),
        (["describe", "{sample}", "-o", "x", "--bogus"], 2, "No such option"),
    ],
)
def test_cli_errors(runner, sample_incident, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{sample}", str(sample_incident)) for a in args]
    result = runner.invoke(cli, argv)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_each_creator_gets_its_own_consistent_entries(sample_incident):
    text = sample_incident.read_text(encoding="utf-8").replace(
        "records_creators:\n",
        "records_creators:\n  - name: Socialnämnden\n    department: Socialförvaltningen\n",
    )
    docs = make_documents(load_incident_text(text), CTX).documents
    assert sorted(docs) == [
        "kommunstyrelsen/arkivbeskrivning.xml",
        "kommunstyrelsen/arkivforteckning.xml",
        "socialnamnden/arkivbeskrivning.xml",
        "socialnamnden/arkivforteckning.xml",
    ]
    for key, name, dept in (
        ("socialnamnden", "Socialnämnden", "Socialförvaltningen"),
        ("kommunstyrelsen", "Kommunstyrelsen", "Kommunledningsförvaltningen"),
    ):
        desc = etree.fromstring(docs[f"{key}/arkivbeskrivning.xml"])
        inv = etree.fromstring(docs[f"{key}/arkivforteckning.xml"])
        for doc in (desc, inv):
            assert_valid(etree.tostring(doc))
            assert doc.findtext("a:Arkivbildare/a:Namn", namespaces=NS) == name
            assert doc.findtext("a:Arkivbildare/a:Forvaltning", namespaces=NS) == dept
            assert doc.get("PostID").split("-")[1] == key
        assert f"i {name}s arkivbeskrivning" in desc.findtext("a:Beskrivningstext", namespaces=NS)
        assert inv.findtext("a:ArkivbeskrivningPostID", namespaces=NS) == desc.get("PostID")
        same_facts = desc.find("a:ForloradeHandlingar", namespaces=NS)
        assert len(same_facts) == 4
