"""PREMIS events are dated by what the report says happened when, never before what they follow."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.delivery.premis import build_premis
from arkivlucka.incident.load import load_incident
from arkivlucka.incident.model import Incident
from support.helpers import SAMPLES, assert_valid

P = "{http://www.loc.gov/premis/v3}"
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")


@pytest.fixture
def incident() -> Incident:
    return load_incident(SAMPLES / "digframe" / "incident.yaml").incident


def _events(incident: Incident) -> list[tuple[str, str, str]]:
    data = build_premis(incident, "paket", CTX)
    assert_valid(data)
    root = etree.fromstring(data)
    return [
        (
            ev.findtext(f"{P}eventType") or "",
            ev.findtext(f"{P}eventDateTime") or "",
            ev.findtext(f".//{P}eventOutcomeDetailNote") or "",
        )
        for ev in root.iter(f"{P}event")
    ]


def _start(when: str) -> str:
    return when.partition("/")[0][:10]


def test_recovery_never_before_the_loss(incident: Incident) -> None:
    events = _events(incident)
    loss = next(when for kind, when, _ in events if kind == "deletion")
    recoveries = [(when, note) for kind, when, note in events if kind == "recovery"]
    assert len(recoveries) == len(incident.extracts) >= 1
    for when, note in recoveries:
        assert _start(when) >= loss[:10], (when, loss)
        assert not when.startswith("2021")  # the extract's period end is not its collection date
        assert "anger inte när uttaget samlades in" in note
    made = next(when for kind, when, _ in events if kind == "information package creation")
    assert all(when.rpartition("/")[2] <= made[:10] for when, _ in recoveries)


def test_events_in_the_order_they_happened(incident: Incident) -> None:
    events = _events(incident)
    kinds = [k for k, _, _ in events]
    assert kinds.index("deletion") < kinds.index("upptäckt") < kinds.index("recovery")
    # the loss, its discovery and the package have dates of their own, in that order; when an
    # extract was collected the report does not say (only that it was after the loss)
    dated = [_start(w) for k, w, _ in events if k != "recovery"]
    assert dated == sorted(dated) and len(dated) == 3


def test_loss_without_a_date_is_said_not_invented(incident: Incident) -> None:
    events = _events(replace(incident, occurred=None))
    loss = [(w, n) for k, w, n in events if k == "deletion"]
    assert loss == [
        (
            "../2024-02-07",
            "Rapporten anger inte när förlusten inträffade; den inträffade senast när den upptäcktes.",
        )
    ]
    recovery = next(w for k, w, _ in events if k == "recovery")
    assert recovery == "2024-02-07/2024-03-01"  # after the discovery, by the package


def test_no_dates_at_all(incident: Incident) -> None:
    events = _events(replace(incident, occurred=None, discovered=None))
    loss = next((w, n) for k, w, n in events if k == "deletion")
    assert loss[0] == "XXXX-XX-XX" and "anger inte när förlusten inträffade" in loss[1]
    recovery = next(w for k, w, _ in events if k == "recovery")
    assert recovery == "../2024-03-01"
