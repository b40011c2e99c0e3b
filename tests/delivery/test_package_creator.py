"""package --creator: one package per records creator (one archivist agent per package)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery.verify import verify_package
from support.helpers import SAMPLES
from support.package_fixtures import CREATED, run_package

M = "{http://www.loc.gov/METS/}"
TWO = """records_creators:
  - name: Kommunstyrelsen
    department: Kommunledningsförvaltningen
  - name: Socialnämnden
    department: Socialförvaltningen
"""


@pytest.fixture
def two(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    from arkivlucka.cli import cli

    text = (SAMPLES / "digframe" / "incident.yaml").read_text(encoding="utf-8")
    one = "records_creators:\n  - name: Kommunstyrelsen\n    department: Kommunledningsförvaltningen\n"
    assert one in text
    incident = tmp_path / "incident.yaml"
    incident.write_text(text.replace(one, TWO), encoding="utf-8")
    entries = tmp_path / "entries"
    result = runner.invoke(cli, ["describe", str(incident), "-o", str(entries), "--created", CREATED, "-q"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return incident, entries


@pytest.mark.parametrize("profile", ["fgs-1.2", "fgs-2.0"])
@pytest.mark.parametrize(("given", "name", "key"), [("Socialnämnden", "Socialnämnden", "socialnamnden"), ("kommunstyrelsen", "Kommunstyrelsen", "kommunstyrelsen")])  # fmt: skip
def test_one_creator_per_package(tmp_path: Path, runner: CliRunner, two: tuple[Path, Path], profile: str, given: str, name: str, key: str) -> None:  # fmt: skip
    incident, entries = two
    out = tmp_path / "paket"
    result = run_package(runner, incident, entries, out, "--profile", profile, "--creator", given)
    assert result.exit_code == 0, result.stderr
    mets = etree.parse(str(out / ("sip.xml" if profile == "fgs-1.2" else "METS.xml"))).getroot()
    archivists = [
        a.findtext(f"{M}name") for a in mets.iter(f"{M}agent")
        if a.get("ROLE") == "ARCHIVIST" and a.get("TYPE") == "ORGANIZATION"
    ]  # fmt: skip
    assert archivists == [name]
    files = {p.parent.name for p in out.rglob("arkivbeskrivning.xml")}
    assert files == {key}
    assert verify_package(out).ok


def test_both_creators_in_one_12_package_warned(tmp_path: Path, runner: CliRunner, two: tuple[Path, Path]) -> None:  # fmt: skip
    incident, entries = two
    result = run_package(runner, incident, entries, tmp_path / "paket", "--profile", "fgs-1.2")
    assert result.exit_code == 0, result.stderr
    assert "[FGS12-ARCHIVIST]" in result.stderr and "--creator" in result.stderr


def test_unknown_creator_refused(tmp_path: Path, runner: CliRunner, two: tuple[Path, Path]) -> None:
    incident, entries = two
    out = tmp_path / "paket"
    result = run_package(runner, incident, entries, out, "--creator", "Byggnadsnämnden")
    assert result.exit_code == 1
    assert "Byggnadsnämnden" in result.stderr and "Socialnämnden" in result.stderr
    assert not out.exists()
