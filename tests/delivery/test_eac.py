"""Each records creator as an EAC-CPF record in the package, valid against the official cpf.xsd."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.delivery.eac import eac_record
from arkivlucka.incident.model import RecordsCreator
from arkivlucka.xmldoc.build import serialise
from support.helpers import assert_valid
from support.package_fixtures import run_package

E = "{urn:isbn:1-931666-33-4}"
M = "{http://www.loc.gov/METS/}"
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")


def test_package_holds_a_valid_eac_cpf_record(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path) -> None:  # fmt: skip
    config = tmp_path / "leverans.yaml"
    config.write_text('archival_creators:\n  kommunstyrelsen: "ORG:212000-0000-KS"\n', "utf-8")
    out = tmp_path / "paket"
    result = run_package(runner, sample_incident, entries, out, "--config", str(config))
    assert result.exit_code == 0, result.stderr
    eac = out / "metadata/descriptive/kommunstyrelsen/eac-cpf.xml"
    assert_valid(eac)
    root = etree.parse(str(eac)).getroot()
    assert root.findtext(f"{E}cpfDescription/{E}identity/{E}nameEntry/{E}part") == "Kommunstyrelsen"
    assert root.findtext(f"{E}cpfDescription/{E}identity/{E}entityId") == "ORG:212000-0000-KS"
    assert root.findtext(f"{E}cpfDescription/{E}identity/{E}entityType") == "corporateBody"
    rel = root.find(f"{E}cpfDescription/{E}relations/{E}cpfRelation")
    assert rel is not None and rel.findtext(f"{E}relationEntry") == "Kommunledningsförvaltningen"
    assert root.findtext(f"{E}control/{E}maintenanceAgency/{E}agencyName") == "Trelleborgs kommun"
    mets = etree.parse(str(out / "METS.xml")).getroot()
    refs = {
        r.get("{http://www.w3.org/1999/xlink}href"): r.get("MDTYPE") for r in mets.iter(f"{M}mdRef")
    }
    assert refs["metadata/descriptive/kommunstyrelsen/eac-cpf.xml"] == "EAC-CPF"


def test_no_code_no_department_nothing_invented() -> None:
    root = eac_record(RecordsCreator("Socialnämnden"), "socialnamnden", None, "Exempelkommun", CTX)
    data = serialise(root)
    assert_valid(data)
    assert root.find(f".//{E}entityId") is None
    assert root.find(f".//{E}relations") is None


def test_same_input_same_bytes() -> None:
    creator = RecordsCreator("Kommunstyrelsen", "KLF")
    first, second = (serialise(eac_record(creator, "ks", "X", "K", CTX)) for _ in range(2))
    assert first == second
