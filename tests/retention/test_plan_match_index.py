"""The indexed, RapidFuzz-bounded suggestions are exactly the brute-force best scores."""

from __future__ import annotations

import dataclasses
import random
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from rapidfuzz.fuzz import ratio

from arkivlucka.files.tables import table_bytes
from arkivlucka.incident import model as m
from arkivlucka.retention.match import CANDIDATES, index_plan, match_all, score, suggest
from arkivlucka.retention.schedule import Plan, read_plan
from support.helpers import SAMPLES

WORDS = ["utredningar", "kartläggningar", "tidplaner", "protokoll", "avtal", "fakturor"]
WORDS += ["rapporter", "beslut", "ansökningar", "bygglov", "detaljplaner", "yttranden"]


def brute_force(record: m.LostRecord, plan: Plan) -> list[tuple[float, int]]:
    rows = [r for r in plan.rows if r.record_type]
    scored = sorted(
        ((score(record, r), i) for i, r in enumerate(rows)), key=lambda s: (-s[0], s[1])
    )
    return [(value, rows[i].line) for value, i in scored[:CANDIDATES]]


def big_plan(tmp_path: Path, n: int = 400) -> Plan:
    rng = random.Random(16)
    rows = []
    for i in range(n):
        words = rng.sample(WORDS, rng.randint(1, 3))
        rows.append(
            [f"{i // 40}.{i % 40}", f"{i // 40}", "Process", " ".join(words).capitalize(), "2 år"]
        )
    path = tmp_path / "plan.csv"
    header = ["Nr", "Klass", "Process", "Handlingstyp", "Gallringsfrist"]
    path.write_bytes(table_bytes(header, rows, ".csv"))
    return read_plan(path)


def records() -> list[m.LostRecord]:
    rng = random.Random(7)
    out = [
        m.LostRecord("a", "Tidplaner", record_type="tidplaner och protokoll"),
        m.LostRecord("b", "Handling", record_type="Bygglovsansökningar", process="3"),
        m.LostRecord("c", "Utredningar om avtal", description="kartläggningar av fakturor"),
        m.LostRecord("d", "Lönespecifikationer"),
        m.LostRecord("e", "Beslut", record_type="beslut", process="9.9"),
        m.LostRecord("f", "!!!", record_type="…"),
    ]
    for n in range(20):
        words = " ".join(rng.sample(WORDS, 2))
        typo = words[: len(words) // 2] + words[len(words) // 2 + 1 :]
        out.append(
            m.LostRecord(
                f"r{n}",
                typo,
                record_type=rng.choice([typo, None]),
                process=rng.choice([None, "2", "5.1"]),
            )
        )
    return out


@pytest.mark.parametrize("record", records(), ids=lambda r: r.id)
def test_suggestions_equal_brute_force_scoring(record: m.LostRecord, tmp_path: Path) -> None:
    plan = big_plan(tmp_path)
    got = [(c.score, c.row.line) for c in suggest(record, plan)]
    assert got == brute_force(record, plan)


def test_suggestions_equal_brute_force_on_the_sample_plan() -> None:
    plan = read_plan(SAMPLES / "digframe" / "dokumenthanteringsplan.csv")
    lookups = index_plan(plan)
    for record in records():
        got = [(c.score, c.row.line) for c in suggest(record, plan, lookups=lookups)]
        assert got == brute_force(record, plan)


def test_rapidfuzz_ratio_bounds_sequence_matcher() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        a = "".join(rng.choice("abcdeåä ") for _ in range(rng.randint(0, 40)))
        b = "".join(rng.choice("abcdeåä ") for _ in range(rng.randint(0, 40)))
        assert SequenceMatcher(None, a, b).ratio() <= ratio(a, b, processor=None) / 100 + 1e-9


def test_match_all_findings_unchanged_by_the_index(tmp_path: Path) -> None:
    plan = big_plan(tmp_path)
    incident = m.Incident(lost_records=tuple(records()))
    matches, findings = match_all(incident, plan)
    assert len(findings) == len([mt for mt in matches if mt.row is None]) > 0
    for mt in matches:
        if mt.row is None and mt.candidates and mt.candidates[0].score < 1.0:
            assert [(c.score, c.row.line) for c in mt.candidates] == brute_force(mt.record, plan)


def test_read_rows_are_complete_plan_rows(tmp_path: Path) -> None:
    plan = big_plan(tmp_path, 20)
    for row in plan.rows:
        assert dataclasses.replace(row) == row  # every field set, as PlanRow(...) sets them
        assert hash(row) == hash(dataclasses.replace(row))
