"""describe into a folder that already holds entries: refused, or the whole set replaced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from arkivlucka.cli import cli
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import OutputError
from arkivlucka.entries.describe import describe

CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")
TWO = """\
occurred: {at: "2024-01-20", precision: exact}
discovered: {at: "2024-01-21", precision: exact}
lost_records: [{title: Tidrapporter, period: 2024, extent: complete}]
records_creators:
  - name: Barn- och utbildningsnämnden
  - name: Socialnämnden
"""
ONE = TWO.replace("  - name: Socialnämnden\n", "")


def _incident(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "incident.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def test_refused_without_force_and_nothing_touched(runner, tmp_path):
    out = tmp_path / "out"
    describe(_incident(tmp_path, TWO), out, CTX)
    before = {p: p.read_bytes() for p in out.rglob("*.xml")}
    result = runner.invoke(cli, ["describe", str(tmp_path / "incident.yaml"), "-o", str(out)])
    assert result.exit_code == 1
    assert "entries-exist" in result.stderr or "already holds entries" in result.stderr
    assert "barn-och-utbildningsnamnden/" in result.stderr
    assert "--force" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.xml")} == before


def test_library_refuses_without_force(tmp_path):
    out = tmp_path / "out"
    describe(_incident(tmp_path, ONE), out, CTX)
    with pytest.raises(OutputError) as info:
        describe(tmp_path / "incident.yaml", out, CTX)
    assert [f.code for f in info.value.findings] == ["entries-exist"]


def test_force_replaces_the_whole_set(runner, tmp_path):
    out = tmp_path / "out"
    describe(_incident(tmp_path, TWO), out, CTX)
    (out / "README.txt").write_text("not an entry", encoding="utf-8")
    (out / "barn-och-utbildningsnamnden" / "kvitto.pdf").write_bytes(b"%PDF")
    _incident(tmp_path, ONE)  # Socialnämnden is no longer in the incident
    later = ["--created", "2025-01-01T00:00:00Z"]
    args = ["describe", str(tmp_path / "incident.yaml"), "-o", str(out), "--force", *later]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert _files(out) == [
        "README.txt",
        "barn-och-utbildningsnamnden/arkivbeskrivning.xml",
        "barn-och-utbildningsnamnden/arkivforteckning.xml",
        "barn-och-utbildningsnamnden/kvitto.pdf",
    ]
    assert b"2025-01-01" in (out / "barn-och-utbildningsnamnden/arkivbeskrivning.xml").read_bytes()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_force_refuses_to_remove_a_folder_holding_other_files(tmp_path):
    out = tmp_path / "out"
    describe(_incident(tmp_path, TWO), out, CTX)
    (out / "socialnamnden" / "anteckningar.txt").write_text("egna", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _incident(tmp_path, ONE)
    with pytest.raises(OutputError) as info:
        describe(tmp_path / "incident.yaml", out, CTX, overwrite=True)
    assert [f.code for f in info.value.findings] == ["entries-folder-not-empty"]
    assert "anteckningar.txt" in info.value.findings[0].message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_force_into_an_empty_or_new_folder_just_writes(tmp_path):
    out = tmp_path / "new"
    made = describe(_incident(tmp_path, ONE), out, CTX, overwrite=True)
    assert [p.name for p in made.written] == ["arkivbeskrivning.xml", "arkivforteckning.xml"]
