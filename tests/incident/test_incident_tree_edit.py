"""``edit_tree``: set edits applied to the parsed tree give exactly the data (and the loader's
findings) of the file ``apply_edits`` would write, read back."""

from __future__ import annotations

import pytest

from arkivlucka.core.errors import OutputError
from arkivlucka.incident.edit import Edit, apply_edits
from arkivlucka.incident.load import load_incident_tree
from arkivlucka.incident.tree_edit import edit_tree
from arkivlucka.incident.yamlread import parse_text
from arkivlucka.incident.yamltree import plain
from support.helpers import SAMPLES

TEXT = (SAMPLES / "digframe" / "incident.yaml").read_text(encoding="utf-8")

EDITS = {
    "plain-text": [Edit("set", "reference", "KS 2024/17")],
    "number-like-text": [Edit("set", "lost_records[0].period.start", "2019")],
    "new-nested-map": [Edit("set", "lost_records[1].period.end", "2023-10-19")],
    "long-text-folded": [Edit("set", "summary", "Första stycket " * 12 + "\n\nAndra stycket.")],
    "boolean-word": [Edit("set", "unit", "yes")],
    "quote-and-colon": [Edit("set", "organisation", 'Kommun: "Väst"  ')],
    "a-time": [Edit("set", "occurred.at", "2023-10-19T16:00")],
    "a-bad-time": [Edit("set", "occurred.at", "igår")],
    "removed": [Edit("set", "unit", None), Edit("set", "summary", "")],
    "remove-absent": [Edit("set", "lost_records[0].period.text", None)],
    "enum": [Edit("set", "kind", "suspected"), Edit("set", "lost_records[0].extent", "complete")],
    "decomposed-a-ring": [Edit("set", "unit", "Ma\u030alby")],
    "several": [Edit("set", "systems[1].supplier", "Stratsys AB"), Edit("set", "status", "")],
}


def _load(tree):
    try:
        loaded = load_incident_tree(tree, "f.yaml")
    except Exception as exc:  # the loader's refusal is compared, as the file's would be
        return sorted((f.code, f.path) for f in getattr(exc, "findings", []))
    return loaded.incident


@pytest.mark.parametrize("name", EDITS)
def test_the_tree_is_the_file_apply_edits_writes(name):
    edits = EDITS[name]
    written = parse_text(apply_edits(TEXT, edits, "f.yaml"), "f.yaml")
    in_memory = edit_tree(parse_text(TEXT, "f.yaml"), edits, "f.yaml")
    assert plain(in_memory) == plain(written)
    assert _load(in_memory) == _load(written)


def test_an_edited_value_keeps_its_line():
    tree = edit_tree(parse_text(TEXT, "f.yaml"), [Edit("set", "reference", "x")], "f.yaml")
    before = parse_text(TEXT, "f.yaml")
    assert tree.items["organisation"].line == before.items["organisation"].line
    tree = edit_tree(before, [Edit("set", "organisation", "Ny kommun")], "f.yaml")
    assert tree.items["organisation"].line == parse_text(TEXT, "f.yaml").items["organisation"].line


@pytest.mark.parametrize(
    "edit",
    [Edit("set", "lost_records[99].title", "x"), Edit("set", "organisation.name", "x")],
    ids=["no-such-item", "into-a-text"],
)
def test_a_path_the_tree_cannot_hold_is_refused(edit):
    with pytest.raises(OutputError) as caught:
        edit_tree(parse_text(TEXT, "f.yaml"), [edit], "f.yaml")
    assert caught.value.findings[0].code == "edit-bad-path"


def test_only_set_edits():
    with pytest.raises(ValueError):
        edit_tree(parse_text(TEXT, "f.yaml"), [Edit("confirm", "lost_records[0]")])
