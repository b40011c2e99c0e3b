"""Incident file: Swedish enum values as the archivist types them, and messages naming both."""

from __future__ import annotations

import pytest

from arkivlucka.core.errors import InputError
from arkivlucka.incident.load import load_incident_text


@pytest.mark.parametrize(
    ("yaml_text", "attr", "expected"),
    [
        ("kind: konstaterad", "kind", "confirmed"),
        ("kind: Misstänkt", "kind", "suspected"),
        ("kind: misstankt", "kind", "suspected"),
        ("status: pågående", "status", "ongoing"),
        ("status: avbruten", "status", "aborted"),
        ("status: Avslutad", "status", "closed"),
        ("personal_data_risk: ja", "personal_data_risk", "yes"),
        ("personal_data_risk: nej", "personal_data_risk", "no"),
        ("personal_data_risk: okänd", "personal_data_risk", "unknown"),
        ("personal_data_risk: kan ej bedömas", "personal_data_risk", "unknown"),
        ("kind: confirmed", "kind", "confirmed"),
    ],
)
def test_swedish_top_level_values(yaml_text: str, attr: str, expected: str) -> None:
    assert getattr(load_incident_text(yaml_text).incident, attr) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("begränsad", "limited"),
        ("stor", "large"),
        ("mycket stor", "very_large"),
        ("Mycket-stor", "very_large"),
        ("okänd", "unknown"),
        ("very large", "very_large"),
    ],
)
def test_swedish_disruption(value: str, expected: str) -> None:
    inc = load_incident_text(f"consequences: {{disruption: {value}}}").incident
    assert inc.consequences.disruption == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("helt", "complete"), ("delvis", "partial"), ("okänt", "unknown")]
)
def test_swedish_extent_and_precision(value: str, expected: str) -> None:
    text = f"lost_records: [{{title: X, extent: {value}}}]\noccurred: {{at: 2024-01-02, precision: exakt}}"
    inc = load_incident_text(text).incident
    assert inc.lost_records[0].extent == expected
    assert inc.occurred is not None and inc.occurred.precision == "exact"


def test_enum_message_lists_english_and_swedish() -> None:
    with pytest.raises(InputError) as info:
        load_incident_text("status: stängd")
    (finding,) = info.value.findings
    assert finding.path == "status"
    assert "ongoing (pågående), aborted (avbruten), closed (avslutad)" in finding.message


@pytest.mark.parametrize(
    "period", ["2024-01-13-2024-01-19", "2024-01-13 - 2024-01-19", "2024-01-13–2024-01-19"]
)
def test_period_written_with_a_dash_gets_the_two_forms(period: str) -> None:
    with pytest.raises(InputError) as info:
        load_incident_text(f"lost_records: [{{title: X, period: '{period}'}}]")
    (finding,) = info.value.findings
    assert finding.path == "lost_records[0].period"
    assert "'2024-01-13/2024-01-19'" in finding.message
    assert "start: 2024-01-13 and end: 2024-01-19" in finding.message
