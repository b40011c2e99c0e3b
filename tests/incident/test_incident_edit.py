"""Round-trip edits of an incident file: comments and key order kept, values read back the
same, a file changed meanwhile refused with nothing written."""

from __future__ import annotations

import re

import pytest

from arkivlucka.incident.edit import (
    Edit,
    FileChangedError,
    apply_edits,
    proposal_sources,
    read_snapshot,
    save_edits,
)
from arkivlucka.incident.load import load_incident_text
from support.helpers import SAMPLES

TEXT = """\
# A reviewed incident; this comment stays.
format: arkivlucka-incident/1
organisation: Trelleborgs kommun  # the body named on the form
summary: Kort.
lost_records:
  # proposed from "tidplaner" (scope)
  - id: tidplaner
    title: Tidplaner
    extent: partial
    proposed: true
  # proposed from "nyttokalkyler efter 2019" (scope)
  - id: nyttokalkyler
    title: Nyttokalkyler
    period:
      start: "2020"
    proposed: true
source: Formulär
"""


def _loaded(text: str):
    return load_incident_text(text, "x.yaml").incident


def test_an_edit_keeps_comments_and_key_order():
    out = apply_edits(TEXT, [Edit("set", "summary", "Längre.")])
    assert out == TEXT.replace("summary: Kort.", "summary: Längre.")


def test_an_end_of_line_comment_and_the_quoting_stay():
    out = apply_edits(TEXT, [Edit("set", "organisation", "Malmö stad"),
                             Edit("set", "lost_records[1].period.start", "2021")])  # fmt: skip
    assert re.search(r"^organisation: Malmö stad +# the body named on the form$", out, re.M)
    assert '      start: "2021"' in out


@pytest.mark.parametrize(
    "value",
    ["no", "yes", "2022", "12:30", "on", "null", "a: b", "- x", "#1", " padded ", "ja"],
)
def test_a_value_reads_back_as_the_same_text(value):
    out = apply_edits(TEXT, [Edit("set", "reference", value)])
    assert _loaded(out).reference == value.strip() or _loaded(out).reference == value


def test_a_long_text_with_paragraphs_is_folded_and_reads_back():
    value = "Första stycket om incidenten som är ganska långt och fortsätter.\nAndra stycket."
    out = apply_edits(TEXT, [Edit("set", "scope", value)])
    assert "scope: >-" in out
    assert _loaded(out).scope == value


def test_a_new_key_goes_where_the_contract_puts_it():
    out = apply_edits(TEXT, [Edit("set", "reference", "KS 2024/17"),
                             Edit("set", "lost_records[0].period.start", "2019")])  # fmt: skip
    keys = [line.split(":")[0] for line in out.splitlines() if line and line[0].isalpha()]
    assert keys[:3] == ["format", "reference", "organisation"]
    item = out.split("- id: tidplaner")[1].split("- id:")[0]
    assert item.index("title:") < item.index("period:") < item.index("extent:")
    assert _loaded(out).lost_records[0].period.start.year == 2019


def test_confirming_keeps_the_next_items_comment():
    out = apply_edits(TEXT, [Edit("confirm", "lost_records[0]")])
    assert '# proposed from "nyttokalkyler efter 2019" (scope)\n  - id: nyttokalkyler' in out
    assert [r.proposed for r in _loaded(out).lost_records] == [False, True]
    assert proposal_sources(out) == proposal_sources(TEXT)


@pytest.mark.parametrize("index", [0, 1])
def test_rejecting_removes_the_item_and_its_comment_only(index):
    out = apply_edits(TEXT, [Edit("reject", f"lost_records[{index}]")])
    gone, kept = ("tidplaner", "nyttokalkyler") if index == 0 else ("nyttokalkyler", "tidplaner")
    assert gone not in out
    assert f'"{kept}' in out or kept in proposal_sources(out)["lost_records[0]"]
    assert [r.id for r in _loaded(out).lost_records] == [kept]
    assert out.startswith("# A reviewed incident; this comment stays.")


def test_rejecting_the_last_item_removes_the_section():
    out = apply_edits(TEXT, [Edit("reject", "lost_records[1]"), Edit("reject", "lost_records[0]")])
    assert "lost_records" not in out
    assert "source: Formulär" in out


def test_appending_a_records_creator():
    item = {"name": "Kommunstyrelsen", "department": "Kommunledningsförvaltningen"}
    out = apply_edits(TEXT, [Edit("append", "records_creators", item)])
    assert _loaded(out).records_creators[0].name == "Kommunstyrelsen"
    assert out.index("records_creators:") > out.index("lost_records:")


def test_the_sample_incident_survives_an_empty_edit_unchanged():
    text = (SAMPLES / "digframe" / "incident.yaml").read_text(encoding="utf-8")
    assert apply_edits(text, []) == text


def test_save_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text(TEXT, encoding="utf-8")
    snap = read_snapshot(path)
    path.write_text(TEXT + "# edited elsewhere\n", encoding="utf-8")
    with pytest.raises(FileChangedError) as caught:
        save_edits(path, [Edit("set", "summary", "Ny.")], snap.sha256)
    assert caught.value.findings[0].code == "file-changed"
    assert path.read_text(encoding="utf-8") == TEXT + "# edited elsewhere\n"


def test_save_writes_and_returns_the_new_version(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text(TEXT, encoding="utf-8")
    new = save_edits(path, [Edit("set", "summary", "Ny.")], read_snapshot(path).sha256)
    assert new == read_snapshot(path)
    assert _loaded(new.text).summary == "Ny."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incident.yaml"]  # no temp, no lock left


def test_a_path_that_is_not_there_is_an_error():
    from arkivlucka.core.errors import OutputError

    with pytest.raises(OutputError) as caught:
        apply_edits(TEXT, [Edit("set", "lost_records[9].title", "x")])
    assert caught.value.findings[0].code == "edit-bad-path"


READ = """format: arkivlucka-incident/1
reported_by:
  # read from p. 1, l. 20
  name: Tova Halldén
  # read from p. 1, l. 21; UNCERTAIN: two e-mail addresses
  email: tova@example.se
# read from l. 30
unit: IT-enheten
# read from l. 31
summary: Servern gick sönder.
"""


def test_a_removed_value_takes_its_read_from_comment_with_it():
    out = apply_edits(READ, [Edit("set", "unit", None)])
    assert "unit:" not in out and "l. 30" not in out
    assert "# read from l. 31\nsummary:" in out  # the next key keeps its own comment only


def test_a_changed_value_has_its_comment_marked_and_its_doubt_dropped():
    out = apply_edits(READ, [Edit("set", "reported_by.email", "tova.h@example.se")])
    assert "  # read from p. 1, l. 21; EDITED\n  email: tova.h@example.se" in out
    assert "# read from p. 1, l. 20\n  name: Tova Halldén" in out  # untouched


def test_comments_of_untouched_values_and_files_without_them_stay_as_they_were():
    assert apply_edits(READ, [Edit("set", "summary", "Servern gick sönder.")]) == READ
    plain = "format: arkivlucka-incident/1\nunit: IT\n"
    assert (
        apply_edits(plain, [Edit("set", "unit", "Kansli")])
        == "format: arkivlucka-incident/1\nunit: Kansli\n"
    )


def test_removing_a_section_keeps_the_comment_above_the_next_key():
    text = READ.replace("# read from l. 30\n", "# the unit, by hand\n")
    out = apply_edits(text, [Edit("set", "reported_by", None)])
    assert "reported_by" not in out and "Tova" not in out
    assert "# the unit, by hand\nunit: IT-enheten" in out
