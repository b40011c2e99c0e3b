"""Reading by meaning: dates anywhere, broken compounds, labels, headings, new contract fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from arkivlucka.form import words as form_words
from arkivlucka.form.dates import read_when
from arkivlucka.form.labels import label_key
from arkivlucka.form.pipeline import import_form
from arkivlucka.form.propose import find_period, propose
from support.helpers import DATA

FORMS = DATA / "forms"


@pytest.mark.parametrize(
    ("written", "iso", "estimated"),
    [
        ("19.10.2023 kl. 16.00", "2023-10-19T16:00", False),
        ("2023-10-18 kl. 16", "2023-10-18T16:00", False),
        ("Bilagorna saknades 19/10-23 på morgonen.", "2023-10-19", False),
        ("den 7 feb. 2024 klockan 8.05", "2024-02-07T08:05", False),
        ("(2023-10-19, kl. 16:00)", "2023-10-19T16:00", False),
        ("i mitten av oktober 2023", "2023-10-15", True),
        ("i början av mars 2024", "2024-03-01", True),
        ("i slutet av februari 2024", "2024-02-29", True),
    ],
)
def test_dates_in_every_style(written, iso, estimated):
    when = read_when(written)
    assert not isinstance(when, str), when
    assert (when.iso(), when.estimated) == (iso, estimated)
    assert (when.reason is not None) == estimated


@pytest.mark.parametrize(
    "written", ["2024-02-07 eller 2024-02-08", "31.02.2024", "2024-02-07 kl. 25:00", "igår", ""]
)
def test_dates_that_are_refused(written):
    assert isinstance(read_when(written), str)


@pytest.mark.parametrize(
    ("head", "tail", "one_word"),
    [
        ("Samhällsbyggnads", "förvaltningen", True),
        ("Kommunledningsförv", "altningen", True),
        ("arkiv", "förteckningen", True),
        ("viss", "information", False),
        ("har", "gått", False),
        ("mycket", "stor", False),
    ],
)
def test_word_list_tells_broken_compounds_from_two_words(head, tail, one_word):
    lexicon = form_words.load()
    assert lexicon is not None, "Debian's hunspell-sv is needed for this test"
    assert lexicon.joins(head, tail) is one_word


def test_missing_word_list_is_a_warning_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setattr(form_words, "DICTIONARY", tmp_path / "sv_SE.dic")
    form = (FORMS / "broken_words_and_address.txt").read_bytes()
    result = import_form(form, "f.txt")
    assert result.data["department"] == "Samhällsbyggnads förvaltningen"
    assert [f.code for f in result.warnings] == ["word-list-missing"]
    assert "apt-get install hunspell-sv" in result.warnings[0].message


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Förvaltning / Department", "department"),
        ("Department / Förvaltning:", "department"),
        ("Avdelning (Unit)", "unit"),
        ("Verksamhet", "department"),
        ("Anmälare", "name"),
        ("Datum för upptäckt", "discovered"),
        ("3. Vidtagna åtgärder", "actions_taken"),
        ("Rapporterad av:", "name"),
        ("Berörd nämnd", "board"),
        ("Fakturareferens", None),
    ],
)
def test_labels_by_meaning(label, key):
    assert label_key(label) == key


def _form(**swap: str) -> bytes:
    text = (FORMS / "numbered_sections.txt").read_text(encoding="utf-8")
    for old, new in swap.items():
        text = text.replace(old.replace("_", " "), new)
    return text.encode("utf-8")


def test_unknown_label_ends_the_field_before_it_and_is_reported():
    data = _form(
        **{
            "Avdelning/enhet: Biblioteksenheten": "Avdelning/enhet: Biblioteksenheten  Lokal: Plan 3"
        }
    )
    result = import_form(data, "f.txt")
    assert result.data["unit"] == "Biblioteksenheten"
    (finding,) = [f for f in result.warnings if f.code == "label-unknown"]
    assert "'Lokal'" in finding.message and "Plan 3" in finding.message
    assert finding.line == 9


def test_numbered_heading_ends_a_field_and_categories_after_it_are_read():
    result = import_form(_form(), "f.txt")
    assert result.data["unit"] == "Biblioteksenheten"  # not "… 2. Händelsen"
    assert result.data["categories"] == ["Handhavandefel", "Informationsförlust"]
    assert result.data["discovered"]["precision"] == "exact"
    assert result.warnings == []


def test_partial_restore_reports_and_affected_from_labels():
    result = import_form((FORMS / "reports_and_affected.txt").read_bytes(), "f.txt")
    d = result.data
    assert d["reports"] == [
        {"to": "Polisen"},
        {"to": "IMY", "date": "2024-02-09", "reference": "IMY-2024-1234"},
    ]
    assert d["police_report"] is True
    assert d["affected"] == {"records": "cirka 1 400", "persons": "cirka 300"}
    assert d["records_creators"] == [
        {"name": "Arbetsmarknads- och vuxenutbildningsnämnden", "proposed": True}
    ]
    assert "Sammanlagt" not in str(d["lost_records"])
    assert d["extracts"] == [
        {"title": "Ett uttag av elevlistan", "kept_in": "kommunens e-arkiv", "proposed": True}
    ]
    uncertain = {f.path for f in result.warnings if f.code == "value-uncertain"}
    assert uncertain == {"affected.records"}  # from prose; persons came from its label


def test_proposed_board_loads_and_must_be_confirmed():
    from arkivlucka.entries.describe import check_incident
    from arkivlucka.incident.load import load_incident_text

    result = import_form((FORMS / "unknown_labels_and_board.txt").read_bytes(), "f.txt")
    loaded = load_incident_text(result.render("yaml"), "f.yaml")
    assert loaded.incident.records_creators[0].proposed
    assert "unconfirmed-proposal" in [f.code for f in check_incident(loaded)]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("ärenden 13–19 januari 2024", {"start": "2024-01-13", "end": "2024-01-19"}),
        ("loggar mars–augusti 2016", {"start": "2016-03", "end": "2016-08"}),
        ("uttag t.o.m. 19/10-23", {"end": "2023-10-19"}),
    ],
)
def test_periods_no_wider_than_the_text(text, period):
    found = find_period(text)
    assert found is not None
    assert {k: v for k, v in found[0].items() if k != "text"} == period


def test_a_date_or_an_extent_is_not_a_lost_record():
    props = propose({"scope": "Det gäller protokoll t.o.m. 19/10-23 och 19/10-23. "
                              "Sammanlagt cirka 1 400 handlingar har gått förlorade."})  # fmt: skip
    assert [r["title"] for r in props.lost_records] == ["Protokoll"]
    assert props.affected["records"][0] == "cirka 1 400"


def test_yaml_comments_and_json_envelope_carry_provenance():
    result = import_form((FORMS / "dotted_and_vague_dates.txt").read_bytes(), "f.txt")
    yaml_text = result.render("yaml")
    assert "# read from l. 10; UNCERTAIN: estimated from 'i mitten av oktober 2023'" in yaml_text
    import json

    prov = json.loads(result.render("json"))["provenance"]["occurred.at"]
    assert prov["certainty"] == "uncertain" and "mitten av oktober" in prov["reason"]
    assert result.data["occurred"] == {"at": "2023-10-15", "precision": "estimated"}
    row = next(r for r in result.summary() if "occurred.at" in r)
    assert "l. 10" in row and "uncertain" in row


def test_value_on_a_line_with_another_label_after_one_space_is_uncertain():
    data = _form(
        **{
            "Förvaltning: Kultur- och fritidsförvaltningen": "Förvaltning: Kultur- och fritidsförvaltningen Enhet Biblioteket"
        }
    )
    result = import_form(data, "f.txt")
    assert result.data["department"] == "Kultur- och fritidsförvaltningen"
    assert "department" in {f.path for f in result.warnings if f.code == "value-uncertain"}


def test_scanned_file_suffixes_are_collected(tmp_path: Path):
    from arkivlucka.form.pipeline import collect_forms

    for name in ("a.png", "b.JPG", "c.tiff", "d.txt", "e.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in collect_forms([tmp_path])] == ["a.png", "b.JPG", "c.tiff", "d.txt"]


def test_reporter_label_on_the_units_line_does_not_run_into_the_unit():
    data = _form(**{"Avdelning/enhet: Biblioteksenheten": "Avdelning/enhet: Enheten för pension Rapporterad av: Maria Lindqvist"})  # fmt: skip
    result = import_form(data, "f.txt")
    assert result.data["unit"] == "Enheten för pension"
    assert result.data["reported_by"]["name"] == "Karin Holm"  # the label above wins
    (finding,) = [f for f in result.warnings if f.code == "label-repeated"]
    assert "'Rapporterad av'" in finding.message and "Maria Lindqvist" in finding.message
