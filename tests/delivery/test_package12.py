"""FGS Paketstruktur 1.2: the package `package --profile fgs-1.2` writes, and its structure.

The expectations below restate, in our own words, what ESSArch's Swedish 1.2 template
(ESSArch_SE_SIP_v12.json) requires of sip.xml: the tests never read the reference folder.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery.verify import verify_package
from support.helpers import SAMPLES, assert_valid
from support.package_fixtures import CREATED, run_package

M = "{http://www.loc.gov/METS/}"
EXT = "{ExtensionMETS}"
XLINK = "{http://www.w3.org/1999/xlink}"
DELIVERY = SAMPLES / "delivery" / "fgs-1.2-essarch.yaml"

EXPECTED_12 = {
    "sip.xml",
    "metadata/premis.xml",
    "metadata/arkivlucka-arkivredovisning-1.0.xsd",
    "metadata/kommunstyrelsen/arkivbeskrivning.xml",
    "metadata/kommunstyrelsen/arkivforteckning.xml",
    "metadata/kommunstyrelsen/eac-cpf.xml",
    "content/documentation/incident.yaml",
    "content/documentation/form.txt",
    "content/data/uttag/2019-2021/projekt.csv",
    "content/data/uttag/bild.png",
    "content/data/uttag/rapport.txt",
    "content/data/uttag/lank-inom.txt",
}
#: the template's required root attributes and metsHdr attributes
TEMPLATE_ROOT = (
    "PROFILE",
    "OBJID",
    "TYPE",
    "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",
)
TEMPLATE_HDR = ("CREATEDATE", f"{EXT}OAISSTATUS")
#: the agents the template marks required (ROLE, TYPE, OTHERTYPE) and whether a note is required
TEMPLATE_AGENTS = [
    ("ARCHIVIST", "ORGANIZATION", None, True),
    ("CREATOR", "ORGANIZATION", None, False),
    ("ARCHIVIST", "OTHER", "SOFTWARE", False),
]
#: the attributes the template requires on each file
TEMPLATE_FILE = ("ID", "MIMETYPE", "SIZE", "CREATED", "CHECKSUM", "CHECKSUMTYPE")


@pytest.fixture
def package12(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path) -> Path:  # fmt: skip
    out = tmp_path / "leverans-digframe-12"
    form = SAMPLES / "digframe" / "form.txt"
    result = run_package(
        runner, sample_incident, entries, out, "--form", str(form), "--payload", str(payload),
        "--delivery", str(DELIVERY),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def _root(pkg: Path) -> etree._Element:
    return etree.parse(str(pkg / "sip.xml")).getroot()


def test_layout_is_essarch_12(package12: Path) -> None:
    files = {p.relative_to(package12).as_posix() for p in package12.rglob("*") if p.is_file()}
    assert files == EXPECTED_12
    assert not (package12 / "METS.xml").exists()


def test_sip_and_premis_valid_against_official_schemas(package12: Path) -> None:
    for rel in EXPECTED_12:
        if rel.endswith(".xml"):
            assert_valid(package12 / rel)


def test_root_and_header_follow_the_template(package12: Path) -> None:
    root = _root(package12)
    for attr in TEMPLATE_ROOT:
        assert root.get(attr), attr
    assert root.get("PROFILE") == (
        "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml"
    )
    assert root.get("OBJID", "").startswith("UUID:")
    assert root.nsmap["ext"] == "ExtensionMETS"
    assert root.get(f"{EXT}ARCHIVALNAME") == "Kommunstyrelsens arkiv"  # from the delivery profile
    assert root.get(f"{EXT}CONTENTTYPESPECIFICATION") == "arkivlucka-arkivredovisning-1.0"
    hdr = root.find(f"{M}metsHdr")
    assert hdr is not None
    for attr in TEMPLATE_HDR:
        assert hdr.get(attr), attr
    assert hdr.get(f"{EXT}OAISSTATUS") == "SIP" and hdr.get("CREATEDATE") == CREATED
    assert hdr.get(f"{EXT}AGREEMENTFORM") == "AGREEMENT"
    alt = {el.get("TYPE"): el.text for el in hdr.iter(f"{M}altRecordID")}
    assert alt["SUBMISSIONAGREEMENT"] == "Leveransöverenskommelse LÖ-EXEMPEL-2024"
    assert hdr.findtext(f"{M}metsDocumentID") == "sip.xml"


@pytest.mark.parametrize(("role", "kind", "other", "note"), TEMPLATE_AGENTS)
def test_required_agents_present(package12: Path, role: str, kind: str, other: str | None, note: bool) -> None:  # fmt: skip
    hdr = _root(package12).find(f"{M}metsHdr")
    assert hdr is not None
    found = [
        a for a in hdr.iter(f"{M}agent")
        if a.get("ROLE") == role and a.get("TYPE") == kind and a.get("OTHERTYPE") == other
    ]  # fmt: skip
    assert found and all(a.findtext(f"{M}name") for a in found)
    if note:
        assert all(a.findtext(f"{M}note") for a in found)


def test_agents_carry_the_report_and_the_profile(package12: Path) -> None:
    hdr = _root(package12).find(f"{M}metsHdr")
    assert hdr is not None

    def names(role: str, kind: str, other: str | None = None) -> list[str | None]:
        return [
            a.findtext(f"{M}name") for a in hdr.iter(f"{M}agent")
            if (a.get("ROLE"), a.get("TYPE")) == (role, kind)
            and other in (None, a.get("OTHERTYPE"), a.get("OTHERROLE"))
        ]  # fmt: skip

    assert names("ARCHIVIST", "ORGANIZATION") == ["Kommunstyrelsen"]
    assert names("ARCHIVIST", "OTHER", "SOFTWARE") == [
        "Digframe",
        "Stratsys",
    ]  # the report's systems
    assert names("PRESERVATION", "ORGANIZATION") == ["Exempelkommunens e-arkiv"]
    software = [a for a in hdr.iter(f"{M}agent") if a.get("ROLE") == "CREATOR" and a.get("OTHERTYPE") == "SOFTWARE"]  # fmt: skip
    assert [a.findtext(f"{M}note") for a in software] == ["9.9.9"]


def test_files_folders_and_premis_reference(package12: Path) -> None:
    root = _root(package12)
    files = list(root.iter(f"{M}file"))
    hrefs = set()
    for f in files:
        for attr in TEMPLATE_FILE:
            assert f.get(attr), attr
        assert f.get("CHECKSUMTYPE") == "SHA-256" and f.get(f"{EXT}ORIGINALFILENAME")
        loc = f.find(f"{M}FLocat")
        assert loc is not None and loc.get("LOCTYPE") == "URL"
        href = loc.get(f"{XLINK}href", "")
        assert href.startswith("file:///")
        hrefs.add(href.removeprefix("file:///"))
    # the template lists PREMIS in the amdSec only, everything else in the fileSec
    assert hrefs == EXPECTED_12 - {"sip.xml", "metadata/premis.xml"}
    ref = root.find(f"{M}amdSec/{M}digiprovMD/{M}mdRef")
    assert ref is not None and ref.get("MDTYPE") == "PREMIS"
    assert ref.get(f"{XLINK}href") == "file:///metadata/premis.xml"
    for attr in ("MIMETYPE", "LOCTYPE", "CREATED", "CHECKSUM", "CHECKSUMTYPE"):
        assert ref.get(attr), attr
    pointed = {p.get("FILEID") for p in root.iter(f"{M}fptr")}
    assert pointed == {f.get("ID") for f in files}
    labels = [d.get("LABEL") for d in root.find(f"{M}structMap/{M}div")]  # type: ignore[union-attr]
    assert labels == ["content", "metadata"]
    original = {f.find(f"{M}FLocat").get(f"{XLINK}href"): f.get(f"{EXT}ORIGINALFILENAME") for f in files}  # type: ignore[union-attr]  # fmt: skip
    assert (
        original["file:///content/data/uttag/lank-inom.txt"] == "rapport.txt"
    )  # the link's target


def test_same_input_same_bytes(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path) -> None:  # fmt: skip
    outs = []
    for n in (1, 2):
        out = tmp_path / str(n) / "paket"
        result = run_package(runner, sample_incident, entries, out, "--profile", "fgs-1.2")
        assert result.exit_code == 0, result.stderr
        outs.append((out / "sip.xml").read_bytes())
    assert outs[0] == outs[1]


def test_zip_package_verifies(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path) -> None:  # fmt: skip
    out = tmp_path / "paket12.zip"
    result = run_package(
        runner, sample_incident, entries, out, "--profile", "fgs-1.2", "--payload", str(payload)
    )
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        assert "paket12/sip.xml" in zf.namelist()
    verified = verify_package(out)
    assert verified.ok, [f.message for f in verified.findings if f.is_error]
    assert verified.files == len(EXPECTED_12 - {"content/documentation/form.txt"})


def test_option_profile_wins_over_the_delivery_profile(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path) -> None:  # fmt: skip
    out = tmp_path / "paket20"
    result = run_package(
        runner, sample_incident, entries, out, "--delivery", str(DELIVERY), "--profile", "fgs-2.0"
    )
    assert result.exit_code == 0, result.stderr
    assert (out / "METS.xml").is_file() and not (out / "sip.xml").exists()
    root = etree.parse(str(out / "METS.xml")).getroot()
    alt = {el.get("TYPE"): el.text for el in root.iter(f"{M}altRecordID")}
    assert alt["SUBMISSIONAGREEMENT"] == "Leveransöverenskommelse LÖ-EXEMPEL-2024"


def test_config_overrides_the_delivery_profile(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path) -> None:  # fmt: skip
    config = tmp_path / "paket.yaml"
    config.write_text("archival_name: Annat arkiv\n", encoding="utf-8")
    out = tmp_path / "paket"
    result = run_package(
        runner, sample_incident, entries, out, "--delivery", str(DELIVERY), "--config", str(config)
    )
    assert result.exit_code == 0, result.stderr
    root = _root(out)
    assert root.get(f"{EXT}ARCHIVALNAME") == "Annat arkiv"
    assert root.find(f"{M}metsHdr/{M}altRecordID").text == "Leveransöverenskommelse LÖ-EXEMPEL-2024"  # type: ignore[union-attr]  # fmt: skip


def test_unknown_profile_in_delivery_file_refused(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path) -> None:  # fmt: skip
    bad = tmp_path / "mottagare.yaml"
    bad.write_text("profile: fgs-1.1\n", encoding="utf-8")
    out = tmp_path / "paket"
    result = run_package(runner, sample_incident, entries, out, "--delivery", str(bad))
    assert result.exit_code == 1
    assert "fgs-1.1" in result.stderr and "profile" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "delivery").glob("*.yaml")))
def test_sample_delivery_profiles_load(name: str) -> None:
    from arkivlucka.delivery.config import load_settings

    settings = load_settings(SAMPLES / "delivery" / name)
    assert settings.profile in ("fgs-1.2", "fgs-2.0")
    assert settings.submission_agreement
