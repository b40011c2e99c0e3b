"""Prose: the Swedish sentences of the entries, one table of cases per theme.

Each case in ``tests/data/prose/*.yaml`` replaces top-level keys of ``base.yaml`` and lists
the sentences that must appear in the arkivbeskrivning paragraph (``expect``) or in the
arkivförteckning note of the first lost record (``gap_expect``), text that must not appear
(``absent``) and text that must appear exactly once (``once``). ``plan`` is a retention
schedule (CSV) to assess the lost records against; ``by`` the role making the entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from arkivlucka.core.context import RunContext
from arkivlucka.entries import prose
from arkivlucka.incident.dump import dump_yaml
from arkivlucka.incident.load import load_incident_text
from arkivlucka.retention.assess import apply_plan
from arkivlucka.retention.schedule import read_plan
from arkivlucka.retention.wording import paragraph_text
from support.helpers import DATA

CASES = DATA / "prose"
BASE = yaml.safe_load((CASES / "base.yaml").read_text(encoding="utf-8"))


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        if path.name == "base.yaml":
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _texts(case: dict[str, Any], tmp_path: Path) -> tuple[str, str]:
    data = {**BASE, **(case.get("incident") or {})}
    data = {k: v for k, v in data.items() if v is not None}
    incident = load_incident_text(dump_yaml(data), "case.yaml").incident
    plan = None
    if case.get("plan"):
        (tmp_path / "plan.csv").write_text(case["plan"], encoding="utf-8")
        plan = read_plan(tmp_path / "plan.csv")
    report, findings = apply_plan(incident, plan)
    assert not [f for f in findings if f.is_error], findings
    ctx = RunContext(datetime(2024, 3, 1, 10, 0, tzinfo=UTC), "1.0", by_role=case.get("by"))
    text = prose.paragraph(
        incident, incident.records_creators[0], ctx, paragraph_text(incident, report)
    )
    first = incident.lost_records[0]
    assessed = report.get(first)
    note = prose.gap_note(first, incident, assessed.note if assessed else None)
    return text, note


@pytest.mark.parametrize("case", _cases())
def test_prose_case(case: dict[str, Any], tmp_path: Path) -> None:
    text, note = _texts(case, tmp_path)
    for sentence in case.get("expect", []):
        assert sentence in text, f"\n{sentence}\nnot in\n{text}"
    for part in case.get("gap_expect", []):
        assert part in note, f"\n{part}\nnot in\n{note}"
    for part in case.get("absent", []):
        assert part not in text and part not in note, part
    for part in case.get("once", []):
        assert text.count(part) == 1, (part, text)
    assert "  " not in text and ".." not in text.replace("…", "")
