"""Archival rules: consistency, readiness and the missing-fact warnings."""

from __future__ import annotations

import pytest

from arkivlucka.incident import rules
from arkivlucka.incident.load import load_incident_text

BASE = "lost_records: [{title: Protokoll}]\nrecords_creators: [{name: Kommunstyrelsen}]\n"


def codes(text: str) -> list[str]:
    return sorted(f.code for f in rules.check_all(load_incident_text(text).incident) if f.is_error)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("occurred: {at: '2024-02-07'}\ndiscovered: {at: '2024-02-07T08:50'}\n", []),
        (
            "occurred: {at: '2024-02-08'}\ndiscovered: {at: '2024-02-07T23:59'}\n",
            ["discovered-before-occurred"],
        ),
        ("occurred: {at: '2024-02-07T09:00'}\ndiscovered: {at: '2024-02-07T09:00'}\n", []),
        (
            "extracts: [{title: Uttag, period: {start: 2021-05, end: 2021-04}}]\n",
            ["period-reversed"],
        ),
        ("extracts: [{title: Uttag, period: {start: 2021-05, end: 2021}}]\n", []),
        ("systems: [{name: A, proposed: true}]\n", ["unconfirmed-proposal"]),
        ("extracts: [{title: U, proposed: true}]\n", ["unconfirmed-proposal"]),
        ("systems: [{name: A}]\nlost_records: [{title: P, system: B}]\n", ["unknown-reference"]),
    ],
)
def test_consistency_rules(extra, expected):
    text = extra if "lost_records" in extra else BASE + extra
    if "records_creators" not in text:
        text += "records_creators: [{name: Kommunstyrelsen}]\n"
    assert codes(text) == expected


def test_missing_facts_are_warnings_with_paths():
    findings = rules.check_all(load_incident_text(BASE + "occurred: {at: '2024-01-01'}\n").incident)
    assert all(not f.is_error for f in findings)
    paths = {f.path for f in findings if f.code == "missing-fact"}
    assert {"organisation", "reference", "summary", "discovered", "occurred.precision",
            "lost_records[0].period", "lost_records[0].extent",
            "records_creators[0].department", "culling_rationale"} <= paths  # fmt: skip


def test_restored_information_is_flagged():
    text = BASE + "consequences: {restored: true}\n"
    found = [
        f
        for f in rules.check_all(load_incident_text(text).incident)
        if f.code == "restored-but-lost"
    ]
    assert len(found) == 1 and not found[0].is_error
