"""verify on FGS Paketstruktur 1.2 packages: each 1.2 rule's failure found, fixity, both PROFILEs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery.verify import verify_package
from arkivlucka.xmldoc.official import official_path
from support.helpers import SAMPLES
from support.package_fixtures import run_package

M = "{http://www.loc.gov/METS/}"
EXT = "{ExtensionMETS}"
XLINK = "{http://www.w3.org/1999/xlink}"
Edit = Callable[[etree._Element, Path], None]


@pytest.fixture
def pkg(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path) -> Path:  # fmt: skip
    out = tmp_path / "paket"
    delivery = SAMPLES / "delivery" / "fgs-1.2-essarch.yaml"
    result = run_package(
        runner,
        sample_incident,
        entries,
        out,
        "--payload",
        str(payload),
        "--delivery",
        str(delivery),
    )
    assert result.exit_code == 0, result.stderr
    return out


def _edit(pkg: Path, change: Edit) -> None:
    tree = etree.parse(str(pkg / "sip.xml"))
    change(tree.getroot(), pkg)
    tree.write(str(pkg / "sip.xml"), xml_declaration=True, encoding="UTF-8")


def _first(root: etree._Element, path: str) -> etree._Element:
    el = root.find(path)
    assert el is not None, path
    return el


def _drop(path: str) -> Edit:
    def change(root: etree._Element, _pkg: Path) -> None:
        el = _first(root, path)
        parent = el.getparent()
        assert parent is not None
        parent.remove(el)

    return change


def _unset(path: str, attr: str) -> Edit:
    return lambda root, _pkg: _first(root, path).attrib.pop(attr)


def _set(path: str, attr: str, value: str) -> Edit:
    return lambda root, _pkg: _first(root, path).set(attr, value)


def _agent(role: str, kind: str) -> str:
    return f"{M}metsHdr/{M}agent[@ROLE='{role}'][@TYPE='{kind}']"


def _extra_file(_root: etree._Element, pkg: Path) -> None:
    (pkg / "content" / "okand.txt").write_text("inte listad\n", encoding="utf-8")


def _changed_payload(_root: etree._Element, pkg: Path) -> None:
    (pkg / "content/data/uttag/rapport.txt").write_text("ändrad\n", encoding="utf-8")


FILE1 = f"{M}fileSec/{M}fileGrp/{M}file"
ERRORS: list[tuple[str, Edit, str]] = [
    ("profile-wrong", _set(".", "PROFILE", "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"), "FGS12-PROFILE"),
    ("objid-missing", _unset(".", "OBJID"), "FGS12-OBJID"),
    ("type-missing", _unset(".", "TYPE"), "FGS12-TYPE"),
    ("metshdr-missing", _drop(f"{M}metsHdr"), "FGS12-METSHDR"),
    ("createdate-missing", _unset(f"{M}metsHdr", "CREATEDATE"), "FGS12-CREATEDATE"),
    ("oaisstatus-missing", _unset(f"{M}metsHdr", f"{EXT}OAISSTATUS"), "FGS12-OAISSTATUS"),
    ("archivist-missing", _drop(_agent("ARCHIVIST", "ORGANIZATION")), "FGS12-ARCHIVIST"),
    ("creator-missing", _drop(_agent("CREATOR", "ORGANIZATION")), "FGS12-CREATOR"),
    ("file-size-attribute-missing", _unset(FILE1, "SIZE"), "FGS12-FILE"),
    ("file-checksum-attribute-missing", _unset(FILE1, "CHECKSUM"), "FGS12-FILE"),
    ("flocat-not-url", _set(f"{FILE1}/{M}FLocat", "LOCTYPE", "OTHER"), "FGS12-FLOCAT"),
    ("fptr-missing", _drop(f".//{M}fptr"), "FGS12-STRUCTMAP"),
    ("fptr-dangling", _set(f".//{M}fptr", "FILEID", "ID999999"), "FGS12-STRUCTMAP"),
    ("premis-reference-missing", _drop(f"{M}amdSec"), "FGS12-PREMIS"),
    ("size-wrong", _set(FILE1, "SIZE", "1"), "FGS12-SIZE"),
    ("checksum-wrong", _set(FILE1, "CHECKSUM", "0" * 64), "FGS12-CHECKSUM"),
    ("checksum-type-unknown", _set(FILE1, "CHECKSUMTYPE", "CRC99"), "FGS12-CHECKSUMTYPE"),
    ("file-listed-missing", _set(f"{FILE1}/{M}FLocat", f"{XLINK}href", "file:///content/borta.txt"), "FGS12-MISSING"),
    ("file-present-unlisted", _extra_file, "FGS12-UNLISTED"),
    ("payload-changed", _changed_payload, "FGS12-CHECKSUM"),
]  # fmt: skip
WARNINGS: list[tuple[str, Edit, str]] = [
    ("objid-not-uuid", _set(".", "OBJID", "paket"), "FGS12-OBJID"),
    ("oaisstatus-not-sip", _set(f"{M}metsHdr", f"{EXT}OAISSTATUS", "AIP"), "FGS12-OAISSTATUS"),
    ("agreement-missing", _drop(f"{M}metsHdr/{M}altRecordID[@TYPE='SUBMISSIONAGREEMENT']"), "FGS12-SUBMISSIONAGREEMENT"),
    ("document-id-wrong", lambda r, _p: setattr(_first(r, f"{M}metsHdr/{M}metsDocumentID"), "text", "mets.xml"), "FGS12-METSDOCUMENTID"),
    ("original-name-missing", _unset(FILE1, f"{EXT}ORIGINALFILENAME"), "FGS12-ORIGINALFILENAME"),
    ("href-without-file-prefix", lambda r, _p: _first(r, f"{FILE1}/{M}FLocat").set(f"{XLINK}href", _first(r, f"{FILE1}/{M}FLocat").get(f"{XLINK}href", "").removeprefix("file:///")), "FGS12-FLOCAT"),
    ("software-missing", _drop(f"{M}metsHdr/{M}agent[@ROLE='CREATOR'][@OTHERTYPE='SOFTWARE']"), "FGS12-SOFTWARE"),
]  # fmt: skip


def test_our_package_passes(pkg: Path) -> None:
    result = verify_package(pkg)
    assert result.ok, [f.message for f in result.findings if f.is_error]
    codes = {f.code for f in result.findings}
    assert codes == {"FGS12-SCHEMA"}  # the one warning: Riksarkivet's schemas were not given


@pytest.mark.parametrize(("case", "change", "code"), ERRORS, ids=[c[0] for c in ERRORS])
def test_each_rule_failure_found(pkg: Path, case: str, change: Edit, code: str) -> None:
    _edit(pkg, change)
    result = verify_package(pkg)
    assert not result.ok
    assert code in {f.code for f in result.findings if f.is_error}, [
        f.code for f in result.findings
    ]


@pytest.mark.parametrize(("case", "change", "code"), WARNINGS, ids=[c[0] for c in WARNINGS])
def test_each_rule_warning_found(pkg: Path, case: str, change: Edit, code: str) -> None:
    _edit(pkg, change)
    result = verify_package(pkg)
    assert result.ok, [f.message for f in result.findings if f.is_error]
    assert code in {f.code for f in result.findings if not f.is_error}


def test_essarch_profile_spelling_accepted(pkg: Path) -> None:
    essarch = "http://xml.ra.se/e-arkiv/METS/version12/CommonSpecificationSwedenPackageProfile.xml"
    _edit(pkg, _set(".", "PROFILE", essarch))
    assert verify_package(pkg).ok


def test_mets_xml_name_accepted(pkg: Path) -> None:
    """ESSArch names the file mets.xml: the package is recognised as 1.2 by it too."""
    _edit(
        pkg, lambda r, _p: setattr(_first(r, f"{M}metsHdr/{M}metsDocumentID"), "text", "mets.xml")
    )
    (pkg / "sip.xml").rename(pkg / "mets.xml")
    result = verify_package(pkg)
    assert result.ok and "FGS12-METSDOCUMENTID" not in {f.code for f in result.findings}


def test_metadata_xml_checked_against_its_schema(pkg: Path) -> None:
    premis = pkg / "metadata" / "premis.xml"
    tree = etree.parse(str(premis))
    tree.getroot().append(etree.Element("{http://www.loc.gov/premis/v3}bogus"))
    tree.write(str(premis))
    _edit(pkg, lambda r, p: None)
    result = verify_package(pkg)
    assert "xml-schema" in {f.code for f in result.findings if f.is_error}


def test_cli_exit_code_on_a_broken_12_package(pkg: Path, runner: CliRunner) -> None:
    from arkivlucka.cli import cli

    _edit(pkg, _set(FILE1, "SIZE", "1"))
    result = runner.invoke(cli, ["verify", str(pkg), "--json"])
    assert result.exit_code == 1
    assert '"FGS12-SIZE"' in result.stdout


# Riksarkivet's schemas are on no registry: a stand-in pair (the official METS schema under RA's
# name, and an extension schema of our own declaring two ext: attributes) shows they are used.
STAND_IN_EXT = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="ExtensionMETS">
  <xs:attribute name="OAISSTATUS">
    <xs:simpleType><xs:restriction base="xs:string">
      <xs:enumeration value="SIP"/><xs:enumeration value="AIP"/><xs:enumeration value="DIP"/>
    </xs:restriction></xs:simpleType>
  </xs:attribute>
  <xs:attribute name="ARCHIVALNAME" type="xs:string"/>
</xs:schema>
"""


@pytest.fixture
def ra_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ra-schemas"
    folder.mkdir()
    shutil.copy(official_path("mets/mets.xsd"), folder / "CSPackageMETS.xsd")
    (folder / "CSPackageExtensionMETS.xsd").write_text(STAND_IN_EXT, encoding="utf-8")
    return folder


def test_ra_schemas_used_when_given(pkg: Path, ra_dir: Path) -> None:
    result = verify_package(pkg, ra_dir)
    assert result.ok, [f.message for f in result.findings if f.is_error]
    assert "FGS12-SCHEMA" not in {f.code for f in result.findings}


def test_ra_schemas_find_what_they_forbid(pkg: Path, ra_dir: Path) -> None:
    _edit(pkg, _set(f"{M}metsHdr", f"{EXT}OAISSTATUS", "BOGUS"))
    result = verify_package(pkg, ra_dir)
    bad = [f for f in result.findings if f.code == "FGS12-SCHEMA" and f.is_error]
    assert bad and "OAISSTATUS" in bad[0].message
    assert verify_package(pkg).ok  # without them only our rules run: a warning, not an error


def test_package_checks_against_ra_schemas_when_given(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, ra_dir: Path) -> None:  # fmt: skip
    (ra_dir / "CSPackageExtensionMETS.xsd").write_text(
        STAND_IN_EXT.replace('type="xs:string"/>', '><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType></xs:attribute>'),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "paket"
    delivery = SAMPLES / "delivery" / "fgs-1.2-essarch.yaml"
    result = run_package(
        runner, sample_incident, entries, out, "--delivery", str(delivery),
        "--schemas", str(ra_dir),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "ARCHIVALNAME" in result.stderr
    assert not out.exists()


def test_fgsbuddy_folder_names_accepted(pkg: Path) -> None:
    """FGSBuddy writes Content/ and Metadata/: what counts is what sip.xml lists."""
    for old, new in (("content", "Content"), ("metadata", "Metadata")):
        (pkg / old).rename(pkg / new)

    def change(root: etree._Element, _pkg: Path) -> None:
        for el in root.iter(f"{M}FLocat", f"{M}mdRef"):
            href = el.get(f"{XLINK}href", "")
            for old, new in (("content/", "Content/"), ("metadata/", "Metadata/")):
                href = href.replace(f"file:///{old}", f"file:///{new}")
            el.set(f"{XLINK}href", href)

    _edit(pkg, change)
    result = verify_package(pkg)
    assert result.ok, [f.message for f in result.findings if f.is_error]
    assert result.files == len(list(pkg.rglob("*.*")))


def test_progress_counts_up_to_every_file_of_a_12_package(pkg: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = verify_package(pkg, progress=lambda done, total: seen.append((done, total)))
    assert result.ok, result.findings
    files = sum(1 for p in pkg.rglob("*") if p.is_file())  # sip.xml is read with the rest
    assert seen and seen[-1] == (files, files)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never goes back
