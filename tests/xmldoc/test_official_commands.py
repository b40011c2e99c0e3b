"""Each command with the official schemas present, hidden and tampered; validate of each kind."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.cli import cli
from support.csip_schematron import failed_rules
from support.helpers import DATA, SAMPLES, assert_valid
from support.official_fixtures import tamper
from support.package_fixtures import CREATED, METS, PREMIS, run_package

KINDS = ["mets", "premis", "ead3", "eac-cpf", "apeead"]
#: the main official schema of each kind
MAIN = {
    "mets": "mets/mets.xsd",
    "premis": "premis/premis.xsd",
    "ead3": "ead3/ead3.xsd",
    "eac-cpf": "eac-cpf/cpf.xsd",
    "apeead": "apeead/apeEAD.xsd",
}


@pytest.fixture
def documents(tmp_path: Path, package_dir: Path, runner: CliRunner) -> dict[str, Path]:
    """A valid document of each official kind: ours where we write the kind, else samples."""
    ead = tmp_path / "forteckning-ead.xml"
    result = runner.invoke(
        cli,
        ["inventory", "export", str(SAMPLES / "digframe" / "arkivforteckning.xml"),
         "--format", "ead", "-o", str(ead)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        "mets": package_dir / "METS.xml",
        "premis": package_dir / "metadata" / "preservation" / "premis.xml",
        "ead3": ead,
        "eac-cpf": DATA / "official" / "eac-cpf.xml",
        "apeead": DATA / "official" / "apeead.xml",
    }


def _invalid(doc: Path, dest: Path) -> tuple[Path, int]:
    """A copy of ``doc`` with an element its schema does not allow; and that element's line."""
    tree = etree.parse(str(doc))
    root = tree.getroot()
    bogus = etree.SubElement(root, f"{{{etree.QName(root).namespace}}}nichtErlaubt")
    bogus.text = "x"
    etree.indent(root)
    dest.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    line = next(n for n, ln in enumerate(dest.read_text().splitlines(), 1) if "nichtErlaubt" in ln)
    return dest, line


def _findings(result) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", KINDS)
def test_validate_each_official_kind_valid_and_invalid(
    kind: str, documents: dict[str, Path], runner: CliRunner, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("validation tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    good = documents[kind]
    ok = runner.invoke(cli, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "1 file(s) valid" in ok.stderr
    bad, line = _invalid(good, tmp_path / f"bad-{kind}.xml")
    result = runner.invoke(cli, ["validate", "--json", str(bad)])
    assert result.exit_code == 1
    (finding,) = [f for f in _findings(result) if "nichtErlaubt" in f["message"]]
    assert finding["code"] == "xml-schema" and finding["file"] == str(bad)
    assert finding["line"] == line


@pytest.mark.parametrize("kind", KINDS)
def test_validate_each_kind_hidden_and_tampered(
    kind: str, documents: dict[str, Path], runner: CliRunner, tmp_path: Path,
    official_folder: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    doc = documents[kind]
    folder = tmp_path / "official"
    shutil.copytree(official_folder, folder)
    assert runner.invoke(cli, ["validate", "--schemas", str(folder), str(doc)]).exit_code == 0
    tamper(folder / MAIN[kind])
    changed = runner.invoke(cli, ["validate", "--schemas", str(folder), "--json", str(doc)])
    assert changed.exit_code == 1
    (finding,) = _findings(changed)
    assert finding["code"] == "official-schema-changed" and finding["path"] == MAIN[kind]
    assert finding["file"] == str(doc) and finding["line"] == 2
    monkeypatch.setattr("arkivlucka.xmldoc.official.environment_paths", lambda: [])
    hidden = runner.invoke(cli, ["validate", str(doc)])
    assert hidden.exit_code == 1
    assert f"not validated: official schema {MAIN[kind]} " in hidden.stderr
    assert "[official-schema-missing]" in hidden.stderr and "file(s) valid" not in hidden.stderr


def test_validate_uses_the_environment_variable(
    documents: dict[str, Path], runner: CliRunner, tmp_path: Path, official_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder = tmp_path / "official"
    shutil.copytree(official_folder, folder)
    tamper(folder / "premis" / "premis.xsd")
    monkeypatch.setenv("ARKIVLUCKA_SCHEMAS", str(folder))
    result = runner.invoke(cli, ["validate", "--json", str(documents["premis"])])
    assert result.exit_code == 1
    assert {f["code"] for f in _findings(result)} == {"official-schema-changed"}


def test_package_refuses_to_seal_without_official_schemas(
    runner: CliRunner, sample_incident: Path, entries: Path, tmp_path: Path,
    official_hidden: Path,
) -> None:  # fmt: skip
    out = tmp_path / "leverans"
    result = run_package(runner, sample_incident, entries, out)
    assert result.exit_code == 1
    assert "`arkivlucka schemas install`" in result.stderr
    assert "--no-official-schemas" in result.stderr
    assert "[official-schema-missing]" in result.stderr and "mets/mets.xsd" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-xdg", "entries"]


def test_package_refuses_a_tampered_official_schema(
    runner: CliRunner, sample_incident: Path, entries: Path, tmp_path: Path,
    official_folder: Path,
) -> None:  # fmt: skip
    folder = tmp_path / "official"
    shutil.copytree(official_folder, folder)
    tamper(folder / "mets" / "DILCISExtensionMETS.xsd")
    out = tmp_path / "leverans"
    result = run_package(runner, sample_incident, entries, out, "--schemas", str(folder))
    assert result.exit_code == 1
    assert "[official-schema-changed]" in result.stderr
    assert "mets/DILCISExtensionMETS.xsd" in result.stderr and not out.exists()


def test_package_with_a_folder_of_official_schemas(
    runner: CliRunner, sample_incident: Path, entries: Path, tmp_path: Path,
    official_folder: Path, official_hidden: Path,
) -> None:  # fmt: skip
    out = tmp_path / "leverans"
    result = run_package(runner, sample_incident, entries, out, "--schemas", str(official_folder))
    assert result.exit_code == 0, result.stderr
    check = runner.invoke(cli, ["verify", str(out), "--schemas", str(official_folder)])
    assert check.exit_code == 0 and "leverans: valid (" in check.stderr


def test_package_without_official_schemas_says_so(
    runner: CliRunner, sample_incident: Path, entries: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    out = tmp_path / "leverans"
    with monkeypatch.context() as m:
        m.setattr("arkivlucka.xmldoc.official.environment_paths", lambda: [])
        result = run_package(runner, sample_incident, entries, out, "--no-official-schemas", "-q")
    assert result.exit_code == 0, result.stderr
    assert "[official-schemas-skipped]" in result.stderr
    assert "inte validerats mot de officiella schemana" in result.stderr
    mets = etree.parse(str(out / "METS.xml")).getroot()
    (agent,) = mets.findall(f"{METS}metsHdr/{METS}agent[@OTHERROLE='VALIDATOR']")
    assert "inte validerats" in agent.findtext(f"{METS}note", "")
    rep = etree.parse(str(out / "representations" / "rep1" / "METS.xml")).getroot()
    assert rep.find(f"{METS}metsHdr/{METS}agent[@OTHERROLE='VALIDATOR']") is not None
    premis = etree.parse(str(out / "metadata" / "preservation" / "premis.xml")).getroot()
    (event,) = [
        e for e in premis.iter(f"{PREMIS}event") if e.findtext(f"{PREMIS}eventType") == "validation"
    ]
    assert event.findtext(f".//{PREMIS}eventOutcome") == "Inte utförd"
    assert "inte validerats" in event.findtext(f".//{PREMIS}eventOutcomeDetailNote", "")
    # with the official schemas back, the package is valid and meets the requirements
    for rel in ("METS.xml", "representations/rep1/METS.xml", "metadata/preservation/premis.xml"):
        assert_valid(out / rel)
    assert failed_rules(out / "METS.xml") == {"CSIP63", "SIP14"}
    check = runner.invoke(cli, ["verify", str(out)])
    assert check.exit_code == 0, check.stderr


def test_verify_with_official_schemas_present(runner: CliRunner, package_dir: Path) -> None:
    result = runner.invoke(cli, ["verify", str(package_dir)])
    assert result.exit_code == 0
    assert f"{package_dir}: valid (" in result.stderr and "not verified" not in result.stderr


def test_verify_hidden_is_not_verified(
    runner: CliRunner, package_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("arkivlucka.xmldoc.official.environment_paths", lambda: [])
    result = runner.invoke(cli, ["verify", str(package_dir)])
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()
    assert (
        f"{package_dir}: not verified: 5 checks need the official schemas (" in last[-2]
    )  # METS ×2, PREMIS, EAC-CPF, the vocabularies
    assert "`arkivlucka schemas install`" in last[-1]
    assert ": valid" not in result.stderr
    as_json = runner.invoke(cli, ["verify", str(package_dir), "--json"])
    assert as_json.exit_code == 1
    codes = {f["code"] for f in _findings(as_json) if f["severity"] == "error"}
    assert codes == {"official-schema-missing"}
    files = {f["file"] for f in _findings(as_json)}
    assert files == {
        "METS.xml",
        "representations/rep1/METS.xml",
        "metadata/preservation/premis.xml",
        str(package_dir),  # the vocabularies the requirement checks need
        "metadata/descriptive/kommunstyrelsen/eac-cpf.xml",
    }


def test_verify_tampered(
    runner: CliRunner, package_dir: Path, tmp_path: Path, official_folder: Path
) -> None:
    folder = tmp_path / "official"
    shutil.copytree(official_folder, folder)
    tamper(folder / "premis" / "premis.xsd")
    result = runner.invoke(cli, ["verify", str(package_dir), "--schemas", str(folder), "--json"])
    assert result.exit_code == 1
    (finding,) = [f for f in _findings(result) if f["severity"] == "error"]
    assert finding["code"] == "official-schema-changed"
    assert finding["file"] == "metadata/preservation/premis.xml"
    human = runner.invoke(cli, ["verify", str(package_dir), "--schemas", str(folder)])
    assert "not verified: 1 check needs the official schemas" in human.stderr


def test_demo_package_verifies_against_the_official_schemas(
    runner: CliRunner, tmp_path: Path
) -> None:
    """What `make demo` does: describe with the plan, package anonymised, verify."""
    out = tmp_path / "out"
    digframe = SAMPLES / "digframe"
    steps = [
        ["describe", str(digframe / "incident.yaml"), "-o", str(out / "digframe"),
         "--by", "kommunarkivarie", "--plan", str(digframe / "dokumenthanteringsplan.csv"),
         "--created", CREATED, "-q"],
        ["package", str(digframe / "incident.yaml"), "--entries", str(out / "digframe"),
         "--form", str(digframe / "form.txt"), "--anonymise", "--created", CREATED,
         "-o", str(out / "digframe-sip.zip")],
    ]  # fmt: skip
    for args in steps:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["verify", str(out / "digframe-sip.zip"), "--json"])
    assert result.exit_code == 0, result.stdout
    assert not [f for f in _findings(result) if f["code"].startswith("official-")]
    human = runner.invoke(cli, ["verify", str(out / "digframe-sip.zip")])
    assert human.exit_code == 0 and "digframe-sip.zip: valid (" in human.stderr
