from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from support.csip_schematron import failed_rules
from support.helpers import SAMPLES, assert_valid
from support.package_fixtures import CREATED, METS, PREMIS, run_package

EXPECTED = {
    "METS.xml",
    "metadata/descriptive/kommunstyrelsen/arkivbeskrivning.xml",
    "metadata/descriptive/kommunstyrelsen/arkivforteckning.xml",
    "metadata/descriptive/kommunstyrelsen/eac-cpf.xml",
    "metadata/preservation/premis.xml",
    "documentation/incident.yaml",
    "documentation/form.txt",
    "schemas/arkivlucka-arkivredovisning-1.0.xsd",
    "representations/rep1/METS.xml",
    "representations/rep1/data/uttag/2019-2021/projekt.csv",
    "representations/rep1/data/uttag/bild.png",
    "representations/rep1/data/uttag/rapport.txt",
    "representations/rep1/data/uttag/lank-inom.txt",
}


def test_layout_is_csip(package_dir: Path) -> None:
    files = {p.relative_to(package_dir).as_posix() for p in package_dir.rglob("*") if p.is_file()}
    assert files == EXPECTED
    assert not (package_dir / "representations/rep1/data/uttag/lank-inom.txt").is_symlink()


def test_mets_and_premis_valid_against_official_schemas(package_dir: Path) -> None:
    for rel in ("METS.xml", "representations/rep1/METS.xml", "metadata/preservation/premis.xml"):
        assert_valid(package_dir / rel)
    for rel in EXPECTED:
        if rel.startswith("metadata/descriptive"):
            assert_valid(package_dir / rel)


def test_schematron_fails_only_the_known_defective_rules(package_dir: Path) -> None:
    assert failed_rules(package_dir / "METS.xml") == {"CSIP63", "SIP14"}


def test_mets_header_and_files(package_dir: Path) -> None:
    root = etree.parse(str(package_dir / "METS.xml")).getroot()
    assert root.get("OBJID") == package_dir.name
    assert root.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    hdr = root.find(f"{METS}metsHdr")
    assert hdr is not None and hdr.get("CREATEDATE") == CREATED
    assert hdr.get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "SIP"
    software = hdr.find(f"{METS}agent[@OTHERTYPE='SOFTWARE']")
    assert software is not None and software.get("ROLE") == "CREATOR"
    assert software.findtext(f"{METS}note") == "9.9.9"
    hrefs = {
        el.get("{http://www.w3.org/1999/xlink}href")
        for el in root.iter(f"{METS}FLocat", f"{METS}mdRef")
    }
    assert hrefs == EXPECTED - {"METS.xml"}
    for f in root.iter(f"{METS}file"):
        assert f.get("CHECKSUMTYPE") == "SHA-256" and len(f.get("CHECKSUM") or "") == 64
        assert f.get("SIZE") and f.get("CREATED") and f.get("MIMETYPE") and f.get("ID")


def test_premis_describes_the_loss(package_dir: Path) -> None:
    root = etree.parse(str(package_dir / "metadata/preservation/premis.xml")).getroot()
    kids = [etree.QName(el).localname for el in root]
    assert kids.index("object") < kids.index("event")
    objects = root.findall(f"{PREMIS}object")
    kinds = [o.get("{http://www.w3.org/2001/XMLSchema-instance}type") for o in objects]
    # the four lost records, then the four payload files with their identified formats
    assert kinds == ["premis:intellectualEntity"] * 4 + ["premis:file"] * 4
    loss = [e for e in root.iter(f"{PREMIS}eventType") if e.text == "deletion"]
    assert len(loss) == 1
    assert loss[0].get("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventType/del"
    event = loss[0].getparent()
    assert event is not None
    assert event.findtext(f"{PREMIS}eventDateTime") == "2023-10-19T16:00"
    assert "uppskattad" in "".join(event.itertext())
    types = [e.text for e in root.iter(f"{PREMIS}eventType")]
    assert {"upptäckt", "recovery", "information package creation"} <= set(types)
    agents = {a.findtext(f"{PREMIS}agentName") for a in root.iter(f"{PREMIS}agent")}
    others = agents - {"Trelleborgs kommun", "arkivlucka"}
    assert len(agents) == 3 and [a[:10] for a in others] == ["siegfried "]  # identified formats


def test_zip_package_stores_compressed_formats(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path
) -> None:
    out = tmp_path / "leverans.zip"
    (payload / "slump.bin").write_bytes(os.urandom(200_000))
    (payload / "tabell.bin").write_bytes(b"0;1;2\n" * 40_000)
    result = run_package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        kinds = {
            n.rsplit("/", 1)[-1]: i.compress_type
            for n, i in ((i.filename, i) for i in zf.infolist())
        }
        assert kinds["slump.bin"] == zipfile.ZIP_STORED
        assert kinds["tabell.bin"] == zipfile.ZIP_DEFLATED
        infos = {i.filename: i for i in zf.infolist()}
        assert {n.split("/", 1)[0] for n in infos} == {"leverans"}
        assert (
            infos["leverans/representations/rep1/data/uttag/bild.png"].compress_type
            == zipfile.ZIP_STORED
        )
        assert (
            infos["leverans/representations/rep1/data/uttag/rapport.txt"].compress_type
            == zipfile.ZIP_DEFLATED
        )
        mets = zf.read("leverans/METS.xml")
    assert failed_rules(mets) == {"CSIP63", "SIP14"}
    assert_valid(mets)


def test_same_input_same_bytes(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path
) -> None:
    made = []
    for name in ("a", "b"):
        out = tmp_path / name / "leverans"
        result = run_package(runner, sample_incident, entries, out, "--payload", str(payload))
        assert result.exit_code == 0, result.stderr
        made.append(out)
    for rel in ("METS.xml", "metadata/preservation/premis.xml", "representations/rep1/METS.xml"):
        assert (made[0] / rel).read_bytes() == (made[1] / rel).read_bytes()


def test_config_file_gives_agreement_reference_and_codes(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    config = tmp_path / "leverans.yaml"
    config.write_text(
        "submission_agreement: KS 2024/17\nreference_code: SE/TRB/KS\n"
        "submitter: {name: Trelleborgs kommun, id: 'ORG:212000-1124'}\n"
        "archival_creators: {kommunstyrelsen: 'ORG:212000-1124-KS'}\n"
        "preservation: {name: Kommunarkivet, id: 'ID:1'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "p"
    result = run_package(
        runner,
        sample_incident,
        entries,
        out,
        "--config",
        str(config),
        "--reference-code",
        "SE/TRB/KS/1",
    )
    assert result.exit_code == 0, result.stderr
    assert "missing-fact" not in result.stderr
    root = etree.parse(str(out / "METS.xml")).getroot()
    alt = {el.get("TYPE"): el.text for el in root.iter(f"{METS}altRecordID")}
    assert alt == {"SUBMISSIONAGREEMENT": "KS 2024/17", "REFERENCECODE": "SE/TRB/KS/1"}
    notes = {a.get("ROLE"): a.findtext(f"{METS}note") for a in root.iter(f"{METS}agent")}
    assert notes["ARCHIVIST"] == "ORG:212000-1124-KS"
    assert notes["OTHER"] == "ORG:212000-1124"
    assert notes["PRESERVATION"] == "ID:1"
    assert failed_rules(out / "METS.xml") == {"CSIP63", "SIP14"}


def test_missing_facts_are_warned_not_invented(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    result = run_package(runner, sample_incident, entries, tmp_path / "p")
    assert result.exit_code == 0
    assert "submission agreement" in result.stderr and "[missing-fact]" in result.stderr
    root = etree.parse(str(tmp_path / "p" / "METS.xml")).getroot()
    assert root.find(f".//{METS}altRecordID") is None


def test_anonymise_replaces_reporter_everywhere(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    out = tmp_path / "anon"
    form = SAMPLES / "digframe" / "form.txt"
    result = run_package(runner, sample_incident, entries, out, "--form", str(form), "--anonymise")
    assert result.exit_code == 0, result.stderr
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_text(encoding="utf-8").lower()
            for secret in ("tova", "halldén", "hallden@", "trelleborg.s\ne"):
                assert secret not in data, (path, secret)
    assert "Kontaktperson \nKommunarkivarie" in (out / "documentation/form.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("case", ["link-outside", "bad-name", "no-entries", "exists"])
def test_bad_input_leaves_nothing(
    case: str,
    tmp_path: Path,
    runner: CliRunner,
    sample_incident: Path,
    entries: Path,
    payload: Path,
) -> None:
    out = tmp_path / "dest" / "p.zip"
    out.parent.mkdir()
    if case == "link-outside":
        os.symlink(sample_incident, payload / "ut.yaml")
    elif case == "bad-name":
        os.mkdir(payload / os.fsdecode(b"d\xe5lig"))
    elif case == "no-entries":
        entries = tmp_path / "tomt"
        entries.mkdir()
    elif case == "exists":
        out.write_bytes(b"old")
    result = run_package(runner, sample_incident, entries, out, "--payload", str(payload))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and result.stderr.strip()
    assert sorted(p.name for p in out.parent.iterdir()) == (["p.zip"] if case == "exists" else [])


def test_invalid_generated_document_is_not_sealed(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    runner: CliRunner,
    sample_incident: Path,
    entries: Path,
) -> None:
    from arkivlucka.delivery import mets

    real = mets.package_mets

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        root = real(*args, **kwargs)
        root.find("{http://www.loc.gov/METS/}structMap").set("BOGUS", "1")
        return root

    monkeypatch.setattr(mets, "package_mets", broken)
    out = tmp_path / "dest" / "p"
    out.parent.mkdir()
    result = run_package(runner, sample_incident, entries, out)
    assert result.exit_code == 1
    assert "xml-schema" in result.stderr
    assert list(out.parent.iterdir()) == []


def test_validate_command_knows_mets_and_premis(runner: CliRunner, package_dir: Path) -> None:
    from arkivlucka.cli import cli

    files = [str(package_dir / "METS.xml"), str(package_dir / "metadata/preservation/premis.xml")]
    result = runner.invoke(cli, ["validate", *files])
    assert result.exit_code == 0, result.stderr
    bad = package_dir / "METS.xml"
    bad.write_bytes(bad.read_bytes().replace(b'LABEL="CSIP"', b'LABEL="CSIP" NOPE="x"'))
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1 and "xml-schema" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bogus: 1\n", "unknown key(s) bogus"),
        ("submitter: Trelleborg\n", "must be a mapping"),
        ("- a\n", "must be a mapping of keys"),
        ("submission_agreement: [a, b]\n", "must be a text value"),
    ],
)
def test_bad_config_is_refused(
    text: str, message: str, tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    config = tmp_path / "leverans.yaml"
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "p"
    result = run_package(runner, sample_incident, entries, out, "--config", str(config))
    assert result.exit_code == 1
    assert message in result.stderr and str(config) in result.stderr
    assert not out.exists()


def test_anonymise_refuses_binary_form(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    form = tmp_path / "form.pdf"
    form.write_bytes(b"%PDF-1.4\n\xff\xfe binary")
    result = run_package(
        runner, sample_incident, entries, tmp_path / "p", "--form", str(form), "--anonymise"
    )
    assert result.exit_code == 1 and "[anonymise-binary]" in result.stderr
    assert not (tmp_path / "p").exists()


def test_large_file_checksum_and_copy(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    """Files of 8 MiB and more are hashed on a second thread while written: same result."""
    import hashlib

    big = tmp_path / "stor"
    big.mkdir()
    data = os.urandom(1 << 20) * 9 + b"slut"
    (big / "databas.bak").write_bytes(data)
    out = tmp_path / "p"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(big))
    assert result.exit_code == 0, result.stderr
    copied = out / "representations/rep1/data/stor/databas.bak"
    assert copied.read_bytes() == data
    mets = (out / "METS.xml").read_text(encoding="utf-8")
    assert f'SIZE="{len(data)}"' in mets and hashlib.sha256(data).hexdigest() in mets


def test_objid_option(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path
) -> None:
    result = run_package(
        runner, sample_incident, entries, tmp_path / "p.zip", "--objid", "ks-2024-1"
    )
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "p.zip") as zf:
        assert {n.split("/", 1)[0] for n in zf.namelist()} == {"ks-2024-1"}
    result = run_package(
        runner, sample_incident, entries, tmp_path / "mapp", "--objid", "ks-2024-2"
    )
    assert result.exit_code == 0 and "[CSIPSTR2]" in result.stderr
    result = run_package(runner, sample_incident, entries, tmp_path / "x", "--objid", "../ut")
    assert result.exit_code == 1 and "OBJID" in result.stderr


@pytest.mark.parametrize("no_fork", ["", "1"])
def test_many_files_into_a_folder(
    no_fork: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    runner: CliRunner,
    sample_incident: Path,
    entries: Path,
) -> None:
    """Enough files for the work to be shared with a worker process (or a thread): all intact."""
    from arkivlucka.cli import cli

    monkeypatch.setenv("ARKIVLUCKA_NO_FORK", no_fork)

    many = tmp_path / "uttag"
    for n in range(300):
        folder = many / f"d{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{n:03d}.txt").write_bytes(os.urandom(n * 37 + 1))
    (many / "stor.bin").write_bytes(os.urandom(3 << 20))
    out = tmp_path / "p"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(many))
    assert result.exit_code == 0, result.stderr
    for src in many.rglob("*"):
        if src.is_file():
            assert (
                out / "representations/rep1/data/uttag" / src.relative_to(many)
            ).read_bytes() == src.read_bytes()
    check = runner.invoke(cli, ["verify", str(out)])
    assert check.exit_code == 0, check.stderr
