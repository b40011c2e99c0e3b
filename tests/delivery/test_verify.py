from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.package_fixtures import run_package

#: official schemas come from the installed source packages (see conftest.py)
SCHEMAS: list[str] = []


def verify(runner: CliRunner, target: Path, *extra: str):
    from arkivlucka.cli import cli

    return runner.invoke(cli, ["verify", str(target), *SCHEMAS, "--json", *extra])


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f["code"] for f in json.loads(result.stdout) if f["severity"] == "error"}


def test_our_package_verifies(runner: CliRunner, package_dir: Path) -> None:
    result = verify(runner, package_dir)
    assert result.exit_code == 0, result.stdout
    assert codes(result) == set()
    from arkivlucka.cli import cli

    human = CliRunner().invoke(cli, ["verify", str(package_dir), *SCHEMAS])
    assert human.exit_code == 0 and "valid" in human.stderr and human.stdout == ""


def _edit_mets(pkg: Path, pattern: str, repl: str) -> None:
    mets = pkg / "METS.xml"
    text = mets.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1)
    assert n == 1
    mets.write_text(new, encoding="utf-8")


def changed_byte(pkg: Path) -> None:
    path = pkg / "representations/rep1/data/uttag/rapport.txt"
    data = bytearray(path.read_bytes())
    data[10] ^= 1
    path.write_bytes(bytes(data))


def changed_premis(pkg: Path) -> None:
    path = pkg / "metadata/preservation/premis.xml"
    path.write_bytes(path.read_bytes().replace(b"deletion", b"deletiom"))


def missing_file(pkg: Path) -> None:
    (pkg / "documentation/form.txt").unlink()


def extra_file(pkg: Path) -> None:
    (pkg / "representations/rep1/data/smuggel.txt").write_text("x", encoding="utf-8")


def wrong_size(pkg: Path) -> None:
    _edit_mets(
        pkg,
        r'SIZE="(\d+)"( CREATED="[^"]+" CHECKSUM="[0-9a-f]+" CHECKSUMTYPE="SHA-256">\s*<mets:FLocat[^>]*href="documentation/form.txt")',
        r'SIZE="1"\2',
    )


def missing_mets(pkg: Path) -> None:
    (pkg / "METS.xml").unlink()


def bad_checksum_type(pkg: Path) -> None:
    _edit_mets(pkg, r'CHECKSUMTYPE="SHA-256"', 'CHECKSUMTYPE="CRC32"')


def no_software_agent(pkg: Path) -> None:
    _edit_mets(pkg, r'OTHERTYPE="SOFTWARE"', 'OTHERTYPE="HUMAN"')


def wrong_package_type(pkg: Path) -> None:
    _edit_mets(pkg, r'csip:OAISPACKAGETYPE="SIP"', 'csip:OAISPACKAGETYPE="AIP"')


def broken_mets(pkg: Path) -> None:
    (pkg / "METS.xml").write_text("<mets", encoding="utf-8")


def link_inside(pkg: Path) -> None:
    (pkg / "documentation/lank").symlink_to("/etc/passwd")


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        (changed_byte, {"CSIP71"}),
        (changed_premis, {"CSIP43"}),
        (missing_file, {"CSIP79"}),
        (extra_file, {"file-unlisted"}),
        (wrong_size, {"CSIP69"}),
        (missing_mets, {"CSIPSTR4"}),
        (bad_checksum_type, {"CSIP30"}),
        (no_software_agent, {"CSIP13"}),
        (wrong_package_type, {"SIP4"}),
        (broken_mets, {"xml-not-well-formed"}),
        (link_inside, {"package-link"}),
    ],
)
def test_verify_finds_each_defect(
    runner: CliRunner, package_dir: Path, defect: Callable[[Path], None], expected: set[str]
) -> None:
    defect(package_dir)
    result = verify(runner, package_dir)
    assert result.exit_code == 1
    assert codes(result) == expected


def test_defect_found_in_zip_too(runner: CliRunner, package_dir: Path, tmp_path: Path) -> None:
    changed_byte(package_dir)
    archive = Path(
        shutil.make_archive(str(tmp_path / "z"), "zip", package_dir.parent, package_dir.name)
    )
    result = verify(runner, archive)
    assert result.exit_code == 1 and codes(result) == {"CSIP71"}


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-1", "SHA-512"])
def test_other_checksum_algorithms(runner: CliRunner, package_dir: Path, algorithm: str) -> None:
    mets = package_dir / "METS.xml"
    text = mets.read_text(encoding="utf-8")
    name = {"MD5": "md5", "SHA-1": "sha1", "SHA-512": "sha512"}[algorithm]

    def swap(m: re.Match[str]) -> str:
        rel = m.group(3)
        digest = hashlib.new(name, (package_dir / rel).read_bytes()).hexdigest()
        return f'CHECKSUM="{digest}" CHECKSUMTYPE="{algorithm}"{m.group(2)}{rel}'

    text = re.sub(
        r'CHECKSUM="[0-9a-f]+" CHECKSUMTYPE="SHA-256"(>\s*<mets:FLocat [^>]*xlink:href=")([^"]+)',
        lambda m: swap(
            re.match(r"(.*)(>\s*<mets:FLocat [^>]*xlink:href=\")([^\"]+)", m.group(0), re.S)
        ),
        text,
    )  # type: ignore[arg-type]
    assert algorithm in text
    mets.write_text(text, encoding="utf-8")
    assert verify(runner, package_dir).exit_code == 0
    changed_byte(package_dir)
    assert codes(verify(runner, package_dir)) == {"CSIP71"}


def _zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("p/METS.xml", b"<x/>"), ("p/../../evil.txt", b"x")], {"zip-slip"}),
        ([("p/METS.xml", b"<x/>"), ("/etc/evil", b"x")], {"zip-absolute"}),
        ([("p/METS.xml", b"<x/>"), (_link("p/link"), b"/etc/passwd")], {"zip-link"}),
        ([("p/METS.xml", b"<x/>"), ("p/bomb.bin", b"\0" * (40 << 20))], {"zip-bomb"}),
        ([("p/METS.xml", b"<x/>"), ("p/METS.xml", b"<y/>")], {"zip-duplicate"}),
    ],
)
def test_unsafe_zip_refused_before_reading(
    runner: CliRunner,
    tmp_path: Path,
    members: list[tuple[zipfile.ZipInfo | str, bytes]],
    expected: set[str],
) -> None:
    archive = _zip(tmp_path / "hostile.zip", members)
    result = verify(runner, archive)
    assert result.exit_code == 1
    assert codes(result) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.zip"]


def test_not_a_package(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    assert codes(verify(runner, tmp_path / "x.zip")) == {"CSIPSTR1"}
    assert codes(verify(runner, tmp_path / "nothing")) == {"CSIPSTR1"}


@pytest.mark.slow
def test_ten_thousand_files(
    runner: CliRunner, tmp_path: Path, sample_incident: Path, entries: Path
) -> None:
    many = tmp_path / "many"
    for n in range(100):
        folder = many / f"d{n:03d}"
        folder.mkdir(parents=True)
        for m in range(100):
            (folder / f"f{m:03d}.txt").write_bytes(b"%d %d\n" % (n, m))
    out = tmp_path / "stor.zip"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(many), "-q")
    assert result.exit_code == 0, result.stderr
    result = verify(runner, out)
    assert result.exit_code == 0, result.stdout[:2000]
    with zipfile.ZipFile(out) as zf:
        assert (
            len(zf.infolist()) == 10_000 + 8
        )  # + METS, PREMIS, rep METS, 2 entries, EAC-CPF, xsd, incident


def test_corrupt_zip_member_is_a_finding(
    runner: CliRunner, package_dir: Path, tmp_path: Path
) -> None:
    archive = Path(
        shutil.make_archive(str(tmp_path / "z"), "zip", package_dir.parent, package_dir.name)
    )
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(f"{package_dir.name}/representations/rep1/data/uttag/bild.png")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    data[start] ^= 0xFF
    archive.write_bytes(bytes(data))
    result = verify(runner, archive)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert codes(result) & {"unreadable", "CSIP71"}


def test_package_listing_data_only_in_representation_mets(
    runner: CliRunner, package_dir: Path
) -> None:
    """Other tools (e.g. commons-ip) list data files only in the representation METS."""
    mets = package_dir / "METS.xml"
    text = mets.read_text(encoding="utf-8")
    text, n = re.subn(
        r"\s*<mets:file [^>]*>\s*<mets:FLocat [^>]*href=\"representations/rep1/data/[^\"]+\"/>\s*</mets:file>",
        "",
        text,
    )
    assert n == 4
    mets.write_text(text, encoding="utf-8")
    assert verify(runner, package_dir).exit_code == 0
    (package_dir / "representations/rep1/data/uttag/rapport.txt").unlink()
    result = verify(runner, package_dir)
    assert codes(result) == {"CSIP79"}
    assert any(f["file"] == "representations/rep1/METS.xml" for f in json.loads(result.stdout))
