"""Messages that guide: each says what is wrong and what to do instead."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from arkivlucka.cli import cli
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError
from arkivlucka.delivery.layout import entry_files
from arkivlucka.entries.describe import describe
from arkivlucka.incident.load import load_incident, load_incident_text
from support.helpers import SAMPLES

CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")
INCIDENT = SAMPLES / "digframe" / "incident.yaml"


def _entries(tmp_path: Path) -> Path:
    out = tmp_path / "entries"
    describe(INCIDENT, out, CTX)
    return out


def test_period_with_dashes_shows_both_ways_to_write_it() -> None:
    with pytest.raises(InputError) as info:
        load_incident_text("lost_records: [{title: Tidrapporter, period: 2024-01-13-2024-01-19}]")
    message = info.value.findings[0].message
    assert "'2024-01-13/2024-01-19'" in message
    assert "start: 2024-01-13 and end: 2024-01-19" in message


def test_merge_with_arguments_swapped_says_so(runner, tmp_path: Path) -> None:
    entry = _entries(tmp_path) / "kommunstyrelsen" / "arkivforteckning.xml"
    inventory = tmp_path / "inv.xml"
    shutil.copyfile(SAMPLES / "digframe" / "arkivforteckning.xml", inventory)
    before = inventory.read_bytes()
    result = runner.invoke(cli, ["inventory", "merge", "--json", str(inventory), str(entry)])
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "inventory-not-entry"
    assert "arguments look swapped" in finding["message"]
    assert inventory.read_bytes() == before


def test_merge_of_the_description_entry_points_to_the_inventory_entry(runner, tmp_path):
    entries = _entries(tmp_path)
    inventory = tmp_path / "inv.xml"
    shutil.copyfile(SAMPLES / "digframe" / "arkivforteckning.xml", inventory)
    desc = entries / "kommunstyrelsen" / "arkivbeskrivning.xml"
    result = runner.invoke(cli, ["inventory", "merge", "--json", str(desc), str(inventory)])
    assert result.exit_code == 1
    assert "arkivforteckning.xml beside it" in json.loads(result.stdout)[0]["message"]


def test_entry_given_as_the_inventory_says_it_is_an_entry(runner, tmp_path: Path) -> None:
    entry = _entries(tmp_path) / "kommunstyrelsen" / "arkivforteckning.xml"
    result = runner.invoke(cli, ["inventory", "merge", "--json", str(entry), str(entry)])
    assert result.exit_code == 1
    messages = " ".join(f["message"] for f in json.loads(result.stdout))
    assert "it is an entry made by describe for one incident, not a whole inventory" in messages


def test_entry_of_another_incident_says_which_incident_it_belongs_to(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    text = INCIDENT.read_text(encoding="utf-8").replace(
        "organisation: Trelleborgs kommun",
        "organisation: Trelleborgs kommun\nreference: KS 2024/99",
    )
    other.write_text(text, encoding="utf-8")
    entries = tmp_path / "entries"
    describe(other, entries, CTX)  # entries of incident KS 2024/99
    with pytest.raises(InputError) as info:
        entry_files(load_incident(INCIDENT), entries, "2024-03-01T10:00:00Z")
    messages = [f.message for f in info.value.findings]
    assert messages and all(
        "belongs to another incident, incident-ks-2024-99" in m for m in messages
    )
    assert "referens KS 2024/99" in messages[0]
    assert "inträffade 2023-10-19T16:00" in messages[0]


def test_describe_plan_that_is_no_plan_names_the_missing_columns(runner, tmp_path: Path) -> None:
    not_a_plan = SAMPLES / "digframe" / "arkivforteckning-kommunstyrelsen.csv"
    args = ["describe", str(INCIDENT), "-o", str(tmp_path / "out"), "--plan", str(not_a_plan)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].endswith("[plan-not-a-plan]")
    assert "no column for record_type" in errors[0] and "'Handlingstyp'" in errors[0]
    assert "plan check" in errors[0]
    assert "no record type" not in result.stderr
    assert not (tmp_path / "out").exists()
