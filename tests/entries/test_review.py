"""The review model: proposals with their source, certainty, missing facts, plan choices,
the preview of the Swedish text; the workspace states."""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime

import pytest

from arkivlucka import RunContext, import_form, read_plan
from arkivlucka.delivery.workspace import Workspace
from arkivlucka.entries.review import choose_plan_row, preview_entries, review_incident
from arkivlucka.incident.edit import Edit, apply_edits
from support.helpers import SAMPLES

PLAN = SAMPLES / "digframe" / "dokumenthanteringsplan.csv"
CTX = RunContext(created=datetime(2024, 3, 1, 9, tzinfo=UTC), tool_version="1.0.0",
                 by_role="kommunarkivarie")  # fmt: skip


@pytest.fixture
def imported(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text(import_form(SAMPLES / "digframe" / "form.txt").render(), encoding="utf-8")
    return path


def test_proposals_carry_the_forms_words(imported):
    review = review_incident(imported)
    assert [p.path for p in review.proposals][:2] == ["lost_records[0]", "lost_records[1]"]
    assert review.proposals[0].source == "»tidplaner« (scope)"
    assert review.certainty("lost_records[0].title") == "proposed"
    assert review.certainty("occurred.at") == "estimated"  # the form says 'uppskattad'
    assert review.certainty("organisation") == "form"
    assert {f.code for f in review.errors} >= {"unconfirmed-proposal", "no-records-creator"}
    assert "lost_records[0].period" in {f.path for f in review.missing}


def test_plan_choices_are_ranked_and_a_choice_makes_the_match_certain(imported):
    plan = read_plan(PLAN)
    review = review_incident(imported, plan)
    first = review.plan_choices[0]
    assert first.code is None and len(first.suggestions) == 3
    scores = [s[3] for s in first.suggestions]
    assert scores == sorted(scores, reverse=True)
    row = next(r for r in plan.rows if r.record_type.startswith("Producerat material"))
    edits = choose_plan_row(plan, 0, row.line)
    assert [e.path for e in edits] == ["lost_records[0].plan_code", "lost_records[0].record_type"]
    imported.write_text(apply_edits(imported.read_text(encoding="utf-8"), edits), encoding="utf-8")
    after = review_incident(imported, plan)
    assert "lost_records[0]" not in {f.path for f in after.findings if f.code.startswith("plan-")}


def test_preview_gives_the_swedish_text_per_records_creator(tmp_path):
    path = tmp_path / "incident.yaml"
    shutil.copyfile(SAMPLES / "digframe" / "incident.yaml", path)
    review = review_incident(path)
    assert review.loaded is not None and not review.errors
    creators, _ = preview_entries(review.loaded, CTX)
    assert [c.name for c in creators] == ["Kommunstyrelsen"]
    assert creators[0].text.startswith("Informationsförlust i Digframe")
    assert (
        "<Beskrivningstext>" in creators[0].description
        or "Beskrivningstext" in creators[0].description
    )


def test_workspace_states_follow_the_work(tmp_path, imported):
    ws = Workspace(tmp_path / "ws")
    shutil.copyfile(imported, ws.root / "a.yaml")
    assert ws.status("a").state == "imported"
    assert ws.status("a").open_proposals == 8
    text = (ws.root / "a.yaml").read_text(encoding="utf-8")
    text = apply_edits(text, [Edit("confirm", "lost_records[0]"),
                              Edit("append", "records_creators", {"name": "Kommunstyrelsen"})])  # fmt: skip
    (ws.root / "a.yaml").write_text(text, encoding="utf-8")
    assert ws.status("a").state == "needs-review"
    assert ws.status("a").open_proposals == 7
    folder = ws.entries_dir("a") / "kommunstyrelsen"
    folder.mkdir(parents=True)
    (folder / "arkivbeskrivning.xml").write_bytes(b"<x/>")
    assert ws.status("a").state == "described"
    ws.package_path("a").write_bytes(b"PK")
    assert ws.status("a").state == "packaged"
    os.utime(ws.root / "a.yaml", (time.time() + 5, time.time() + 5))  # edited after filing
    assert ws.status("a").state == "needs-review"


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../x"])
def test_workspace_confines_paths(tmp_path, bad):
    from arkivlucka import InputError

    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError) as caught:
        ws.confine(bad)
    assert caught.value.findings[0].code == "path-outside-workspace"


def test_new_names_come_from_the_form_not_from_a_file_name(tmp_path):
    ws = Workspace(tmp_path)
    data = {"organisation": "Trelleborgs kommun", "discovered": {"at": "2024-02-07T08:50"}}
    assert ws.new_name(data) == "2024-02-07-trelleborgs-kommun"
    (tmp_path / "2024-02-07-trelleborgs-kommun.yaml").write_text("x", encoding="utf-8")
    assert ws.new_name(data) == "2024-02-07-trelleborgs-kommun-2"
    assert ws.new_name({"organisation": "../../"}) == "incident"
