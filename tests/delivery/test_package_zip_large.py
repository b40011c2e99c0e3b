"""Large files into a .zip package: hashed on a second thread while written, still exact."""

from __future__ import annotations

import hashlib
import random
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.delivery.verify import verify_package
from support.package_fixtures import run_package

M = "{http://www.loc.gov/METS/}"


@pytest.mark.parametrize("profile", ["fgs-2.0", "fgs-1.2"])
def test_large_files_hashed_exactly(tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, profile: str) -> None:  # fmt: skip
    payload = tmp_path / "stora"
    payload.mkdir()
    rng = random.Random(15)
    files = {
        "slump.bin": rng.randbytes(3 * (1 << 20) + 12345),  # incompressible: stored
        "text.txt": b"Uttag ur Digframe 2019-2021\n" * 150_000,  # compressible: deflated
        "exakt.dat": rng.randbytes(1 << 20),  # exactly one chunk
    }
    for name, data in files.items():
        (payload / name).write_bytes(data)
    out = tmp_path / "paket.zip"
    result = run_package(runner, sample_incident, entries, out, "--payload", str(payload), "--profile", profile, "--no-identify")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    verified = verify_package(out)
    assert verified.ok, [f.message for f in verified.findings if f.is_error]
    with zipfile.ZipFile(out) as zf:
        mets_name = next(n for n in zf.namelist() if n.endswith(("/sip.xml", "rep1/METS.xml")))
        root = etree.fromstring(zf.read(mets_name))
        kinds = {i.filename.rpartition("/")[2]: i.compress_type for i in zf.infolist()}
        for name, data in files.items():
            member = next(n for n in zf.namelist() if n.endswith(f"/{name}"))
            assert zf.read(member) == data
    sums = {f.find(f"{M}FLocat").get("{http://www.w3.org/1999/xlink}href").rpartition("/")[2]: f.get("CHECKSUM") for f in root.iter(f"{M}file")}  # type: ignore[union-attr]  # fmt: skip
    for name, data in files.items():
        assert sums[name] == hashlib.sha256(data).hexdigest()
    assert kinds["slump.bin"] == zipfile.ZIP_STORED and kinds["text.txt"] == zipfile.ZIP_DEFLATED
