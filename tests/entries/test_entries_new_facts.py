"""Entries: partial restore, reports to authorities, affected counts, lost-record descriptions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import make_documents
from arkivlucka.incident.load import load_incident_text
from support.helpers import assert_valid

NS = {"a": "urn:arkivlucka:arkivredovisning:1.0"}
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")
INCIDENT = """\
organisation: Exempelkommun
occurred: {{at: "2024-01-20T02:40", precision: uppskattad}}
discovered: {{at: "2024-01-20", precision: exakt}}
kind: konstaterad
status: avslutad
consequences: {{restored: {restored}, disruption: mycket stor}}
reports:
  - {{to: IMY, date: 2024-01-22, reference: IMY-2024-0117}}
  - {{to: Polisen}}
affected: {{records: cirka 1 400, persons: "230"}}
lost_records:
  - title: Tidrapporter
    period: 2024-01-13/2024-01-19
    extent: helt
    description: Veckans tidrapporter fanns bara i det krypterade systemet.
records_creators:
  - name: Barn- och utbildningsnämnden
"""


def _docs(restored: str) -> tuple[etree._Element, etree._Element]:
    loaded = load_incident_text(INCIDENT.format(restored=restored), "i.yaml")
    made = make_documents(loaded, CTX).documents
    desc = made["barn-och-utbildningsnamnden/arkivbeskrivning.xml"]
    inv = made["barn-och-utbildningsnamnden/arkivforteckning.xml"]
    for doc in (desc, inv):
        assert_valid(doc)
    return etree.fromstring(desc), etree.fromstring(inv)


@pytest.mark.parametrize(
    ("written", "stored"),
    [("delvis", "delvis"), ("partial", "delvis"), ("ja", "true"), ("nej", "false")],
)
def test_restored_is_stored_as_written(written: str, stored: str) -> None:
    desc, _ = _docs(written)
    assert desc.findtext("a:Incident/a:Konsekvenser/a:Aterstallt", namespaces=NS) == stored


def test_reports_and_affected_counts_are_in_the_description_entry() -> None:
    desc, _ = _docs("delvis")
    reports = desc.findall("a:Incident/a:Anmalningar/a:Anmalan", NS)
    assert [r.findtext("a:Mottagare", namespaces=NS) for r in reports] == ["IMY", "Polisen"]
    assert reports[0].findtext("a:Datum", namespaces=NS) == "2024-01-22"
    assert reports[0].findtext("a:Arende", namespaces=NS) == "IMY-2024-0117"
    assert reports[1].find("a:Datum", NS) is None
    assert desc.findtext("a:Incident/a:Berorda/a:Handlingar", namespaces=NS) == "cirka 1 400"
    assert desc.findtext("a:Incident/a:Berorda/a:Personer", namespaces=NS) == "230"
    # the Swedish enum values came through as the contract values
    assert desc.findtext("a:Incident/a:Typ", namespaces=NS) == "konstaterad"
    assert desc.findtext("a:Incident/a:Status", namespaces=NS) == "avslutad"
    assert desc.findtext("a:Incident/a:Konsekvenser/a:StorningITjansten", namespaces=NS) == (
        "mycket-stor"
    )


def test_lost_record_description_is_in_the_inventory_entry() -> None:
    _, inv = _docs("nej")
    gap = inv.find("a:Lucka", NS)
    assert gap.findtext("a:Beskrivning", namespaces=NS) == (
        "Veckans tidrapporter fanns bara i det krypterade systemet."
    )
    assert gap.findtext("a:Omfattning", namespaces=NS) == "helt"


def test_premis_loss_event_qualifies_a_partial_restore() -> None:
    from arkivlucka.delivery.premis import build_premis

    inc = load_incident_text(INCIDENT.format(restored="delvis"), "i.yaml").incident
    text = build_premis(inc, "sip-test", CTX).decode("utf-8")
    assert "Informationen har delvis kunnat återställas" in text
    assert "Informationen är förlorad och kan inte återställas" not in text


def test_premis_says_a_date_without_clock_time_is_a_date() -> None:
    from arkivlucka.delivery.premis import build_premis

    inc = load_incident_text(INCIDENT.format(restored="nej"), "i.yaml").incident
    text = build_premis(inc, "sip-test", CTX).decode("utf-8")
    assert "Datumet är exakt; klockslaget anges inte." in text  # discovered: a date, exakt
    assert "Tidpunkten är uppskattad." in text  # occurred: 02:40, uppskattad
