from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from arkivlucka.cli import cli
from arkivlucka.core.errors import RegisterError
from arkivlucka.register import pipeline
from arkivlucka.register import schema as s
from arkivlucka.register.db import open_register, transaction
from arkivlucka.register.record import file_sha256
from support.helpers import assert_valid
from support.register_fixtures import write_incident

CREATED = "2024-03-01T10:00:00+01:00"
NS = {"a": "urn:arkivlucka:arkivredovisning:1.0"}
CREATORS = [{"name": "Kommunstyrelsen", "department": "Kommunledningsförvaltningen"},
            {"name": "Socialnämnden"}]  # fmt: skip
SHEET = ("Namn;Typ;Förvaltning;Organisationsnummer;NAD-kod\n"
         "Kommunstyrelsen;styrelse;Kommunledningsförvaltningen;212000-1264;SE/TKA/KS\n"
         "Socialnämnden;nämnd;Socialförvaltningen;212000-1264;\n")  # fmt: skip


def _describe(runner, db: str, incident: Path, out: Path, *extra: str):
    args = ["describe", str(incident), "-o", str(out), "--created", CREATED, "--by",
            "kommunarkivarie", "--db", db, "--force", *extra]  # fmt: skip
    return runner.invoke(cli, args)


def _count(db: str, table) -> int:
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        reg.close()


def _rows(db: str, stmt) -> list:
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            return list(conn.execute(stmt).all())
    finally:
        reg.close()


@pytest.fixture
def with_creators(db: str, tmp_path: Path, runner) -> str:
    sheet = tmp_path / "ab.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    assert (
        runner.invoke(cli, ["register", "--db", db, "creators", "import", str(sheet)]).exit_code
        == 0
    )
    return db


def test_describe_records_facts_hash_losses_extracts_and_entry_ids(
    with_creators: str, tmp_path: Path, runner
) -> None:
    db = with_creators
    incident = write_incident(tmp_path, 1, creators=CREATORS)
    result = _describe(runner, db, incident, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (row,) = _rows(db, select(s.incidents))
    assert row.incident_id == "incident-ks-2024-1" and row.reference == "KS 2024/1"
    assert row.file_sha256 == file_sha256(incident)
    assert (row.occurred, row.occurred_precision) == ("2023-10-19T16:00", "estimated")
    assert row.organisation == "Trelleborgs kommun" and row.recorded_by == "kommunarkivarie"
    links = _rows(db, select(s.incident_creators.c.folder, s.incident_creators.c.description_post_id,
                             s.incident_creators.c.inventory_post_id).order_by("folder"))  # fmt: skip
    for folder, ab, af in links:
        for name, post in (("arkivbeskrivning.xml", ab), ("arkivforteckning.xml", af)):
            root = etree.parse(str(tmp_path / "out" / folder / name)).getroot()
            assert root.get("PostID") == post
    assert len(links) == 2
    assert _count(db, s.losses) == 4 and _count(db, s.extracts) == 2
    (loss,) = _rows(db, select(s.losses).where(s.losses.c.record_id == "forvaltningsobjekt"))
    assert (loss.period_start, loss.period_start_precision, loss.period_end) == (
        "2022",
        "year",
        "2023",
    )
    assert str(loss.period_first) == "2022-01-01" and str(loss.period_last) == "2023-12-31"
    assert loss.supplier == "DirSys" and loss.process_title == "Bedriva arbete i projektform"
    assert loss.culling_classification == "gallring-utan-beslut"


def test_the_register_supplies_codes_and_departments_to_the_entries(
    with_creators: str, tmp_path: Path, runner
) -> None:
    incident = write_incident(tmp_path, 2, creators=CREATORS)
    assert _describe(runner, with_creators, incident, tmp_path / "out").exit_code == 0
    ks = tmp_path / "out" / "kommunstyrelsen" / "arkivbeskrivning.xml"
    sn = tmp_path / "out" / "socialnamnden" / "arkivbeskrivning.xml"
    for path in (ks, sn, sn.with_name("arkivforteckning.xml")):
        assert_valid(path)
    ks_root, sn_root = etree.parse(str(ks)), etree.parse(str(sn))
    assert ks_root.findtext("a:Arkivbildare/a:Kod", namespaces=NS) == "SE/TKA/KS"
    assert sn_root.findtext("a:Arkivbildare/a:Kod", namespaces=NS) == "212000-1264"
    assert sn_root.findtext("a:Arkivbildare/a:Forvaltning", namespaces=NS) == "Socialförvaltningen"


def test_a_code_in_the_incident_file_wins_and_the_difference_is_reported(
    with_creators: str, tmp_path: Path, runner
) -> None:
    creators = [{"name": "Kommunstyrelsen", "code": "KS-EGEN"}]
    incident = write_incident(tmp_path, 3, creators=creators)
    result = _describe(runner, with_creators, incident, tmp_path / "out")
    assert result.exit_code == 0 and "[register-differs]" in result.stderr
    root = etree.parse(str(tmp_path / "out" / "kommunstyrelsen" / "arkivbeskrivning.xml"))
    assert root.findtext("a:Arkivbildare/a:Kod", namespaces=NS) == "KS-EGEN"


def test_describing_again_updates_and_reports_a_changed_file(
    db: str, tmp_path: Path, runner
) -> None:
    incident = write_incident(tmp_path, 4, creators=CREATORS)
    first = _describe(runner, db, incident, tmp_path / "out")
    assert first.exit_code == 0 and first.stderr.count("[register-creator-added]") == 2
    other = _describe(runner, db, write_incident(tmp_path, 5), tmp_path / "o5")
    assert other.exit_code == 0 and "[register-creator-added]" not in other.stderr
    again = _describe(runner, db, incident, tmp_path / "out")
    assert again.exit_code == 0 and "register-file-changed" not in again.stderr
    lost = [{"id": "loner", "title": "Lönespecifikationer", "period": {"start": 2019, "end": 2021},
             "extent": "complete", "system": "Personec"}]  # fmt: skip
    write_incident(tmp_path, 4, creators=CREATORS[:1], lost=lost, systems=[{"name": "Personec"}])
    changed = _describe(runner, db, incident, tmp_path / "out")
    assert changed.exit_code == 0 and "[register-file-changed]" in changed.stderr
    rows = _rows(
        db, select(s.incidents.c.incident_id, s.incidents.c.times_recorded).order_by("incident_id")
    )
    assert rows == [("incident-ks-2024-4", 3), ("incident-ks-2024-5", 1)]
    assert _count(db, s.losses) == 1 + 4  # replaced, not added to
    assert _count(db, s.incident_creators) == 1 + 1
    assert _count(db, s.creators) == 2  # the creators were added once


def test_register_incidents_reports_a_file_changed_since_it_was_recorded(
    db: str, tmp_path: Path, runner
) -> None:
    incident = write_incident(tmp_path, 6)
    gone = write_incident(tmp_path, 7)
    for path in (incident, gone):
        assert _describe(runner, db, path, tmp_path / "out").exit_code == 0
    incident.write_text(incident.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    gone.unlink()
    result = runner.invoke(cli, ["register", "--db", db, "incidents", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(x["incident_id"], x["state"]) for x in data["incidents"]] == [
        ("incident-ks-2024-6", "changed"), ("incident-ks-2024-7", "missing")]  # fmt: skip
    assert [f["code"] for f in data["findings"]] == [
        "register-file-changed",
        "register-file-missing",
    ]


def test_a_failed_recording_leaves_the_register_as_it_was(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner
) -> None:
    incident = write_incident(tmp_path, 8, creators=CREATORS)
    assert _describe(runner, db, incident, tmp_path / "out").exit_code == 0
    before = _rows(db, select(s.losses.c.record_id).order_by("record_id"))
    write_incident(tmp_path, 8, creators=[*CREATORS, {"name": "Kulturnämnden"}],
                   lost=[{"id": "ny", "title": "Ny handling"}])  # fmt: skip
    real = pipeline.store_incident

    def failing(conn, rec):
        real(conn, rec)  # everything written in the transaction, then a failure
        conn.execute(s.losses.insert().values(incident_pk=-1, position=0, record_id="x", title="x",
                                              extent="partial", culling_classification="x"))  # fmt: skip

    monkeypatch.setattr(pipeline, "store_incident", failing)
    result = _describe(runner, db, incident, tmp_path / "out")
    assert result.exit_code == 1 and "[register-constraint]" in result.stderr
    assert _rows(db, select(s.losses.c.record_id).order_by("record_id")) == before
    assert _count(db, s.creators) == 2  # Kulturnämnden was not kept either
    (row,) = _rows(db, select(s.incidents.c.times_recorded))
    assert row.times_recorded == 1


def test_an_invalid_incident_touches_nothing(db: str, tmp_path: Path, runner) -> None:
    incident = write_incident(tmp_path, 9, records_creators=[])
    result = _describe(runner, db, incident, tmp_path / "out")
    assert result.exit_code == 1
    assert _count(db, s.incidents) == 0 and not (tmp_path / "out").exists()


def test_without_a_register_describe_does_not_make_one(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.delenv("ARKIVLUCKA_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    incident = write_incident(tmp_path, 10)
    args = ["describe", str(incident), "-o", "out", "--created", CREATED, "-q", "--force"]
    assert runner.invoke(cli, args).exit_code == 0
    assert not (tmp_path / "arkivlucka.db").exists()
    assert runner.invoke(cli, [*args, "--register"]).exit_code == 0
    assert (tmp_path / "arkivlucka.db").is_file()  # --register alone: ./arkivlucka.db


def test_the_environment_turns_the_register_on(db: str, tmp_path: Path, runner) -> None:
    incident = write_incident(tmp_path, 11)
    args = ["describe", str(incident), "-o", str(tmp_path / "out"), "--created", CREATED, "-q",
            "--force"]  # fmt: skip
    assert runner.invoke(cli, [*args, "--no-register"], env={"ARKIVLUCKA_DB": db}).exit_code == 0
    assert _count(db, s.incidents) == 0
    assert runner.invoke(cli, args, env={"ARKIVLUCKA_DB": db}).exit_code == 0
    assert _count(db, s.incidents) == 1


def test_package_takes_agent_codes_from_the_register_and_notes_the_objid(
    with_creators: str, tmp_path: Path, runner
) -> None:
    incident = write_incident(tmp_path, 12, creators=CREATORS)
    assert _describe(runner, with_creators, incident, tmp_path / "out").exit_code == 0
    pkg = tmp_path / "SIP-KS-2024-12"
    args = ["package", str(incident), "--entries", str(tmp_path / "out"), "-o", str(pkg),
            "--created", CREATED, "--db", with_creators]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    mets = etree.parse(str(pkg / "METS.xml"))
    m = {"m": "http://www.loc.gov/METS/"}
    codes = {a.findtext("m:name", namespaces=m): a.findtext("m:note", namespaces=m)
             for a in mets.iterfind(".//m:agent[@ROLE='ARCHIVIST']", m)}  # fmt: skip
    assert codes == {"Kommunstyrelsen": "SE/TKA/KS", "Socialnämnden": "212000-1264"}
    (row,) = _rows(with_creators, select(s.incidents.c.package_objid, s.incidents.c.package_sha256))
    assert row == ("SIP-KS-2024-12", file_sha256(incident))


def test_package_of_an_unrecorded_incident_warns(db: str, tmp_path: Path, runner) -> None:
    incident = write_incident(tmp_path, 13)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["describe", str(incident), "-o", str(out), "--created", CREATED,
                               "-q", "--no-register"]).exit_code == 0  # fmt: skip
    args = ["package", str(incident), "--entries", str(out), "-o", str(tmp_path / "P"),
            "--created", CREATED, "--db", db]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0 and "[register-not-recorded]" in result.stderr


def test_an_unreachable_register_stops_describe_before_anything_is_written(
    tmp_path: Path, runner
) -> None:
    incident = write_incident(tmp_path, 14)
    result = _describe(runner, str(tmp_path / "no" / "such" / "reg.db"), incident, tmp_path / "out")
    assert result.exit_code == 1 and "register" in result.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(RegisterError):
        open_register(str(tmp_path / "no" / "reg.db"))


def test_no_register_and_a_register_named_is_a_usage_error(db: str, tmp_path: Path, runner) -> None:
    incident = write_incident(tmp_path, 15)
    result = _describe(runner, db, incident, tmp_path / "out", "--no-register")
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
