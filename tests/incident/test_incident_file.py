"""Loading the incident file: every rejected input with its expected finding codes."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from arkivlucka.core.errors import IncidentError, InputError
from arkivlucka.entries.describe import check_incident
from arkivlucka.incident import model as m
from arkivlucka.incident.load import load_incident, load_incident_text
from support.helpers import DATA

CASES = sorted((DATA / "incidents").glob("*.yaml"))


def expected_codes(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), path
    return sorted(c.strip() for c in first.removeprefix("# expect:").split(",") if c.strip())


def error_codes(path: Path) -> list[str]:
    try:
        loaded = load_incident(path)
    except InputError as exc:
        return sorted(f.code for f in exc.findings if f.is_error)
    return sorted(f.code for f in check_incident(loaded) if f.is_error)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_gives_expected_findings(path: Path) -> None:
    assert error_codes(path) == expected_codes(path)


def test_all_errors_reported_at_once_with_paths_and_lines() -> None:
    path = DATA / "incidents" / "load_many_errors_at_once.yaml"
    with pytest.raises(IncidentError) as info:
        load_incident(path)
    found = {f.path: f for f in info.value.findings}
    assert set(found) == {"status", "discovered.at", "lost_records[0].title", "systems"}
    assert found["status"].line == 2
    assert found["discovered.at"].line == 3
    assert found["systems"].line == 6
    assert all(f.file == str(path) for f in found.values())
    assert "done" in found["status"].message and "ongoing" in found["status"].message


def test_yaml_syntax_error_names_file_and_line() -> None:
    path = DATA / "incidents" / "load_yaml_syntax.yaml"
    with pytest.raises(InputError) as info:
        load_incident(path)
    (finding,) = info.value.findings
    assert finding.code == "yaml-syntax"
    assert finding.line is not None and finding.line >= 2
    assert str(path) in info.value.message


YAML_TRAPS = """
organisation: no
police_report: no
personal_data_risk: no
consequences: {restored: nej, business_critical: yes}
occurred: {at: 2023-10-19 16:00}
discovered: {at: 2024-02-07}
processes: [{code: 2.10, title: on}]
lost_records: [{title: off, period: 2019/2021}]
records_creators: [{name: yes}]
"""


def test_yaml_traps_are_read_as_meant() -> None:
    inc = load_incident_text(YAML_TRAPS).incident
    assert inc.organisation == "no"
    assert inc.police_report is False
    assert inc.personal_data_risk == "no"
    assert inc.consequences == m.Consequences(None, True, False)
    assert inc.occurred and inc.occurred.at == datetime(2023, 10, 19, 16, 0)
    assert inc.discovered and inc.discovered.at == date(2024, 2, 7)
    assert inc.processes[0] == m.Process("2.10", "on")
    assert inc.lost_records[0].title == "off"
    assert inc.lost_records[0].period == m.Period(m.PartialDate(2019), m.PartialDate(2021))
    assert inc.records_creators[0].name == "yes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("police_report: on", "expected true or false"),
        ("occurred: {at: 08:50}", "time without a date"),
        ("occurred: {at: '2023-02-30'}", "not a valid date"),
        ("lost_records: [{title: x, period: '2019-2021'}]", "not a year"),
    ],
)
def test_ambiguous_values_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(IncidentError) as info:
        load_incident_text(text)
    assert any(message in f.message for f in info.value.findings), info.value.findings


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2022", m.PartialDate(2022), m.PartialDate(2022)),
        ("2019/2021", m.PartialDate(2019), m.PartialDate(2021)),
        ("2020/..", m.PartialDate(2020), None),
        ("../2023-10-19", None, m.PartialDate(2023, 10, 19)),
        ("2019-05/2019-06", m.PartialDate(2019, 5), m.PartialDate(2019, 6)),
    ],
)
def test_period_shorthand(value: str, start: object, end: object) -> None:
    inc = load_incident_text(f"lost_records: [{{title: x, period: '{value}'}}]").incident
    assert (inc.lost_records[0].period.start, inc.lost_records[0].period.end) == (start, end)


def test_json_has_the_same_structure(tmp_path: Path, sample_incident: Path) -> None:
    yaml_incident = load_incident(sample_incident).incident
    import yaml

    data = yaml.safe_load(sample_incident.read_text(encoding="utf-8"))
    data["discovered"]["at"] = "2024-02-07T08:50"
    data["extracts"][1]["period"]["end"] = "2023-10-19"
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    assert load_incident(path).incident == yaml_incident


def test_json_syntax_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "organisation": "x",\n  "kind": \n}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_incident(path)
    assert info.value.findings[0].code == "json-syntax"
    assert info.value.findings[0].line == 4


def test_not_utf8_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        "organisation: x\nunit: Planeringsavdelningen\nsummary: Förlust\n".encode("latin-1")
    )
    with pytest.raises(InputError) as info:
        load_incident(path)
    assert info.value.findings[0].code == "encoding"
    assert info.value.findings[0].line == 3


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_incident(tmp_path / "nope.yaml")
    assert info.value.findings[0].code == "unreadable"


def test_empty_file_loads_as_empty_incident_and_is_not_ready(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    codes = {f.code for f in check_incident(load_incident(path)) if f.is_error}
    assert codes == {"no-records-creator", "no-lost-record"}


def test_sample_loads_with_every_fact(sample_incident: Path) -> None:
    inc = load_incident(sample_incident).incident
    assert inc.kind == "confirmed" and inc.status == "closed"
    assert inc.occurred == m.TimePoint(datetime(2023, 10, 19, 16, 0), "estimated")
    assert inc.discovered == m.TimePoint(datetime(2024, 2, 7, 8, 50), "exact")
    assert [s.supplier for s in inc.systems] == ["DirSys", None]
    assert [r.id for r in inc.lost_records] == [
        "tidplaner",
        "aktivitetsbeskrivningar",
        "forvaltningsobjekt",
        "nyttokalkyleringar",
    ]
    assert inc.extracts[1].period.end == m.PartialDate(2023, 10, 19)
    assert inc.records_creators[0] == m.RecordsCreator(
        "Kommunstyrelsen", "Kommunledningsförvaltningen"
    )


NEW_KEYS = """\
consequences:
  restored: {restored}
reports:
  - to: IMY
    date: 2024-02-09
    reference: IMY-2024-123
  - to: Polisen
affected:
  records: cirka 1 400
  persons: okänt
records_creators:
  - name: Socialnämnden
    proposed: true
"""


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("partial", "partial"),
        ("delvis", "partial"),
        ("Delvis", "partial"),
        ("true", True),
        ("nej", False),
    ],
)
def test_restored_reports_affected_and_proposed_creator(written: str, expected: object) -> None:
    loaded = load_incident_text(NEW_KEYS.format(restored=written), "new.yaml")
    inc = loaded.incident
    assert inc.consequences.restored == expected
    assert [r.to for r in inc.reports] == ["IMY", "Polisen"]
    assert inc.reports[0].date == m.PartialDate(2024, 2, 9)
    assert inc.reports[0].reference == "IMY-2024-123"
    assert inc.affected == m.Affected("cirka 1 400", "okänt")
    assert inc.records_creators[0].proposed
    codes = [f.code for f in check_incident(loaded) if f.is_error]
    assert "unconfirmed-proposal" in codes


def test_restored_refuses_other_words() -> None:
    with pytest.raises(InputError) as info:
        load_incident_text(NEW_KEYS.format(restored="kanske"), "new.yaml")
    assert [f.path for f in info.value.findings] == ["consequences.restored"]


def test_new_keys_round_trip_through_dump() -> None:
    from arkivlucka.incident.dump import dump_yaml, incident_to_dict

    inc = load_incident_text(NEW_KEYS.format(restored="delvis"), "new.yaml").incident
    again = load_incident_text(dump_yaml(incident_to_dict(inc)), "again.yaml").incident
    assert again == inc


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('"plain text"', "plain text"),
        ('"Ängelholms kommun"', "Ängelholms kommun"),
        ('"two\\nlines"', "two\nlines"),
        ('"a\\ttab"', "a\ttab"),
        ('"no-break\\u00a0space"', "no-break\u00a0space"),
        ('"  padded  "', "padded"),
    ],
)
def test_text_that_xml_can_hold_is_kept(written: str, kept: str) -> None:
    """Printable or not (line breaks, tabs, no-break spaces), text XML can hold is read as is."""
    assert load_incident_text(f"summary: {written}").incident.summary == kept


@pytest.mark.parametrize(
    ("written", "code_point"),
    [
        ('"bell\\a here"', "U+0007"),
        ('"a line\\nthen \\x1b escape"', "U+001B"),
        ('"Ängel\\x0bholm"', "U+000B"),
        ('"non-character \\uFFFE"', "U+FFFE"),
    ],
)
def test_text_with_a_character_xml_cannot_hold_is_refused(written: str, code_point: str) -> None:
    with pytest.raises(IncidentError) as info:
        load_incident_text(f"summary: {written}")
    (finding,) = info.value.findings
    assert finding.code == "invalid-character"
    assert code_point in finding.message
    assert finding.path == "summary"


@pytest.mark.parametrize("year", [1, 99, 999, 1000, 2023, 9999])
def test_a_time_point_in_iso_form_is_what_strftime_gives(year: int) -> None:
    at = datetime(year, 2, 3, 4, 5)
    assert m.TimePoint(at).iso() == at.strftime("%Y-%m-%dT%H:%M")
    assert m.TimePoint(date(year, 2, 3)).iso() == date(year, 2, 3).isoformat()
