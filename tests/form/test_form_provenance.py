"""Provenance read back from an incident file: the import's ``# read from`` comments, the form's
words at each line, and each field's certainty (nothing guessed where the file is silent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from arkivlucka.form.parse import Source
from arkivlucka.form.pipeline import import_form
from arkivlucka.form.provenance import excerpt, field_sources, read_provenance
from arkivlucka.form.read import read_form
from arkivlucka.incident.edit import Edit, apply_edits
from support.helpers import SAMPLES

FORMS = Path(__file__).parents[1] / "data" / "forms"
TEXT_FORMS = sorted(f for f in FORMS.glob("*.txt") if not f.name.startswith("scan_"))


def _normalised(src: Source) -> Source:
    """A source as its one-line comment keeps it (whitespace of the reason collapsed)."""
    return Source(src.line, src.page, " ".join(src.uncertain.split()) if src.uncertain else None)


@pytest.mark.parametrize("form", TEXT_FORMS, ids=lambda f: f.stem)
def test_every_source_the_import_writes_is_read_back(form):
    result = import_form(form.read_bytes(), form.name)
    back = read_provenance(result.render("yaml"))
    assert back == {p: _normalised(s) for p, s in result.provenance.items()}
    assert back  # every corpus form has values read from lines


def test_sources_survive_an_edit_of_the_file():
    result = import_form((FORMS / "dotted_and_vague_dates.txt").read_bytes(), "f.txt")
    text = result.render("yaml")
    edited = apply_edits(text, [Edit("set", "summary", "Ny text."), Edit("set", "unit", None)])
    back = read_provenance(edited)
    assert back["occurred.at"] == read_provenance(text)["occurred.at"]
    assert back["occurred.at"].uncertain and "mitten av oktober" in back["occurred.at"].uncertain
    assert "unit" not in back  # the value is gone, so is its source


@pytest.mark.parametrize(
    "text",
    [
        (SAMPLES / "digframe" / "incident.yaml").read_text(encoding="utf-8"),  # by hand
        "format: arkivlucka-incident/1\n# read from l. 3\n",  # a comment above no key
        "format: [unclosed\n",  # not YAML
    ],
    ids=["hand-written", "comment-above-nothing", "not-yaml"],
)
def test_a_file_without_import_comments_has_no_sources(text):
    assert read_provenance(text) == {}


@pytest.mark.parametrize(
    ("lines", "src", "value", "words", "where"),
    [
        (["Enhet", "Planerings- och ", "utveckling", "", "Nästa"], Source(2), "Planerings- och utveckling", "Planerings- och utveckling", "l. 2–3"),
        (["Titel", "Arkivarie", "a@b.se"], Source(2), "Arkivarie", "Arkivarie", "l. 2"),  # the next line is another value
        (["a b", "c", "", "d"], Source(1, 2), "a b c d", "a b c", "p. 2, l. 1–2"),  # up to a blank line
        (["Konstaterad ☒"], Source(1), "confirmed", "Konstaterad ☒", "l. 1"),  # not text: one line
        (["a"], Source(5), "a", None, "l. 5"),  # the form's text does not reach the line
        ([], Source(None), "a", None, None),
        (["1", "2", "3", "4", "5", "6"], Source(1), "1 2 3 4 5 6", "1 2 3 4", "l. 1–4"),  # at most 4
    ],
)  # fmt: skip
def test_the_form_words_are_the_line_and_the_lines_the_value_goes_on_with(
    lines, src, value, words, where
):
    assert excerpt(lines, src, value) == (words, where)


def test_each_field_says_its_certainty_and_the_form_words():
    form = (SAMPLES / "digframe" / "form.txt").read_bytes()
    result = import_form(form, "form.txt")
    text = result.render("yaml")
    lines = read_form(form, "form.txt").lines
    paths = ["reported_by.name", "occurred.at", "occurred.precision", "organisation",
             "reference", "lost_records[0]", "lost_records[0].title"]  # fmt: skip
    got = field_sources(text, result.data, paths, lines)
    assert (got["reported_by.name"].certainty, got["reported_by.name"].words) == (
        "read", "Tova Halldén"
    )  # fmt: skip
    assert got["reported_by.name"].where == "l. 20"
    assert got["occurred.at"].certainty == "estimated"
    assert got["occurred.precision"].where == got["occurred.at"].where
    assert got["organisation"].certainty == "unknown"  # from the text, on no line
    assert got["organisation"].words is None
    assert got["reference"].certainty == "missing"
    assert got["lost_records[0]"].certainty == "proposed"
    assert got["lost_records[0].title"].words == "»tidplaner« (scope)"
    confirmed = apply_edits(text, [Edit("confirm", "lost_records[0]")])
    import yaml

    after = field_sources(confirmed, yaml.safe_load(confirmed), ["lost_records[0]"], lines)
    assert after["lost_records[0]"].certainty == "confirmed"
    without_form = field_sources(text, result.data, ["reported_by.name"], None)
    assert without_form["reported_by.name"].words is None  # the location is still given
    assert without_form["reported_by.name"].where == "l. 20"


def test_an_uncertain_reading_says_why():
    result = import_form((FORMS / "dotted_and_vague_dates.txt").read_bytes(), "f.txt")
    got = field_sources(result.render("yaml"), result.data, ["occurred.at"], None)
    assert got["occurred.at"].certainty == "uncertain"
    assert "mitten av oktober" in (got["occurred.at"].reason or "")


def test_a_changed_value_is_marked_changed_by_hand_with_the_form_words():
    import yaml

    form = (SAMPLES / "digframe" / "form.txt").read_bytes()
    result = import_form(form, "form.txt")
    text = result.render("yaml")
    lines = read_form(form, "form.txt").lines
    edited = apply_edits(text, [Edit("set", "reported_by.name", "Eva Berg")])
    assert "; EDITED" in edited
    got = field_sources(edited, yaml.safe_load(edited), ["reported_by.name"], lines)[
        "reported_by.name"
    ]
    assert (got.certainty, got.words, got.where) == ("edited", "Tova Halldén", "l. 20")
    again = apply_edits(edited, [Edit("set", "reported_by.name", "Eva Berg")])
    assert again == edited  # set to what it already is: nothing more to mark


def test_setting_a_value_to_what_it_is_keeps_it_read_from_the_form():
    result = import_form((SAMPLES / "digframe" / "form.txt").read_bytes(), "form.txt")
    text = result.render("yaml")
    same = apply_edits(text, [Edit("set", "reported_by.name", "Tova Halldén")])
    assert "; EDITED" not in same
    assert read_provenance(same)["reported_by.name"] == read_provenance(text)["reported_by.name"]


def test_an_edited_uncertain_reading_is_no_longer_uncertain():
    result = import_form((FORMS / "dotted_and_vague_dates.txt").read_bytes(), "f.txt")
    text = result.render("yaml")
    edited = apply_edits(text, [Edit("set", "occurred.at", "2023-10-17")])
    src = read_provenance(edited)["occurred.at"]
    assert src.edited and src.uncertain is None
    assert src.line == read_provenance(text)["occurred.at"].line  # the form's place is kept
