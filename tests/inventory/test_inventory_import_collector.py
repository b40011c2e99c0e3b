"""Inventory import: the cycle collector's pause is undone, and duplicate volumes per group."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError
from arkivlucka.inventory import pipeline
from arkivlucka.inventory.sheet import ImportOptions
from support.helpers import assert_valid

CTX = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "test")
OPTIONS = ImportOptions("Kommunstyrelsen")


def _sheet(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "inv.csv"
    path.write_text("Signum;Serierubrik;Volym;Datering\n" + "\n".join(rows) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_import_pauses_the_collector_and_restores_it(tmp_path, monkeypatch, enabled):
    seen: list[bool] = []
    real = pipeline.read_inventory_table

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_inventory_table", spy)
    sheet = _sheet(tmp_path, ["F2;Utredningar;1;2019"])
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        pipeline.import_spreadsheet(sheet, tmp_path / "out.xml", OPTIONS, CTX)
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
    assert after is enabled
    assert_valid((tmp_path / "out.xml").read_bytes())


def test_a_failed_import_restores_the_collector(tmp_path):
    sheet = tmp_path / "inv.csv"
    sheet.write_text("Rubrik;Volym\nUtredningar;1\n", "utf-8")  # no reference column
    assert gc.isenabled()
    with pytest.raises(InputError):
        pipeline.import_spreadsheet(sheet, tmp_path / "out.xml", OPTIONS, CTX)
    assert gc.isenabled()
    assert not (tmp_path / "out.xml").exists()


def test_duplicate_volumes_are_per_group(tmp_path):
    sheet = _sheet(
        tmp_path,
        ["F2;Utredningar;1;2019", "F3;Protokoll;1;2019", "F2;Utredningar;2;2020",
         "F2;Utredningar;1;2021"],
    )  # fmt: skip
    result = pipeline.import_spreadsheet(sheet, tmp_path / "out.xml", OPTIONS, CTX)
    dupes = [f for f in result.findings if f.code == "inventory-duplicate-unit"]
    assert [(f.line, f.message) for f in dupes] == [(5, "row 5: volume '1' appears twice in F2")]
    assert result.units == 4
