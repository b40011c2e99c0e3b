from __future__ import annotations

from arkivlucka.incident import model as m
from arkivlucka.retention.match import SUGGEST_THRESHOLD, match_all, match_record
from arkivlucka.retention.schedule import read_plan
from support.helpers import DATA, SAMPLES

PLANS = DATA / "plans"


def rec(**kw) -> m.LostRecord:
    kw.setdefault("id", "r")
    kw.setdefault("title", "Tidplaner för digitaliseringsprojekt")
    return m.LostRecord(**kw)


def test_exact_id_code():
    plan = read_plan(PLANS / "ids.csv")
    mt = match_record(0, rec(plan_code="2.2.2"), plan)
    assert mt.method == "plan_code"
    assert mt.row is not None and mt.row.record_type == "Utredningar"


def test_duplicate_ids_are_not_chosen_between():
    plan = read_plan(PLANS / "duplicate_id.csv")
    mt = match_record(0, rec(plan_code="2.2.1"), plan)
    assert mt.row is None and len(mt.candidates) == 2


def test_exact_class_code_narrowed_by_record_type():
    plan = read_plan(PLANS / "valid_full.csv")
    mt = match_record(0, rec(plan_code="2.2", record_type="arbetsmaterial"), plan)
    assert mt.method == "plan_code"
    assert mt.row is not None and mt.row.record_type == "Arbetsmaterial"


def test_exact_unique_class_code():
    plan = read_plan(PLANS / "valid_full.csv")
    mt = match_record(0, rec(plan_code=" 3.1. "), plan)
    assert mt.method == "plan_code"
    assert mt.row is not None and mt.row.record_type == "Verifikationer"


def test_exact_record_type_within_process():
    plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    mt = match_record(
        0, rec(record_type="Producerat material: utredningar, kartläggningar", process="2.2"), plan
    )
    assert mt.method == "record_type"
    assert mt.row is not None and mt.row.action == "keep"


def test_record_type_in_another_process_is_not_exact():
    plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    incident = m.Incident(
        lost_records=(
            rec(record_type="Producerat material: Utredningar, kartläggningar", process="9.9"),
        )
    )
    matches, findings = match_all(incident, plan)
    assert matches[0].row is None
    assert [f.code for f in findings] == ["plan-suggested-match"]


def test_confident_suggestion_is_not_chosen():
    plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    incident = m.Incident(
        lost_records=(rec(record_type="Utredningar och kartläggningar", process="2.2"),)
    )
    matches, findings = match_all(incident, plan)
    assert matches[0].row is None and matches[0].method is None
    best = matches[0].candidates[0]
    assert best.score >= SUGGEST_THRESHOLD
    assert best.row.record_type == "Producerat material: Utredningar, kartläggningar"
    (finding,) = findings
    assert finding.code == "plan-suggested-match"
    assert finding.path == "lost_records[0]"
    assert 'write `plan_code: "2.2"` and `record_type: "Producerat material: ' in finding.message


def test_nothing_above_threshold():
    plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    incident = m.Incident(
        lost_records=(rec(title="Lönespecifikationer", record_type="Lönespecifikationer"),)
    )
    matches, findings = match_all(incident, plan)
    assert matches[0].row is None
    assert all(c.score < SUGGEST_THRESHOLD for c in matches[0].candidates)
    assert len(matches[0].candidates) == 3
    (finding,) = findings
    assert finding.code == "plan-no-match"
    assert "closest:" in finding.message and "score" in finding.message


def test_unknown_plan_code():
    plan = read_plan(PLANS / "valid_full.csv")
    incident = m.Incident(lost_records=(rec(plan_code="7.7"),))
    _, findings = match_all(incident, plan)
    assert [f.code for f in findings] == ["plan-code-unknown"]
    assert findings[0].path == "lost_records[0].plan_code"


def test_ambiguous_class_code():
    plan = read_plan(PLANS / "valid_full.csv")
    incident = m.Incident(lost_records=(rec(plan_code="2.2"),))
    _, findings = match_all(incident, plan)
    assert [f.code for f in findings] == ["plan-code-ambiguous"]


def test_suggestion_with_a_unique_code_needs_only_the_code():
    plan = read_plan(PLANS / "ids.csv")
    incident = m.Incident(lost_records=(rec(record_type="Tidplan"),))
    _, findings = match_all(incident, plan)
    assert [f.code for f in findings] == ["plan-suggested-match"]
    assert 'write `plan_code: "2.2.1"` in' in findings[0].message
