"""Zip packages on both cores: the same bytes as through ZipFile.open, readable and verified."""

from __future__ import annotations

import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from arkivlucka.delivery import zipwrite
from support.package_fixtures import run_package


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    rng = random.Random(3)
    root = tmp_path / "uttag"
    files = {
        "stor.bin": rng.randbytes(3 << 20),  # incompressible: stored after the sample
        "stor-text.txt": rng.randbytes(1 << 20).hex().encode(),  # deflated, several pieces
        "mellan.pdf": rng.randbytes(300 << 10),  # compressed format: stored
        "slump.dat": rng.randbytes(100 << 10),
        "tom.txt": b"",
        "liten.txt": b"hej\n",
        "mapp/å & ö.csv": b"a;b\n1;2\n" * 500,
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _package(runner: CliRunner, incident: Path, entries: Path, payload: Path, out: Path) -> bytes:
    result = run_package(runner, incident, entries, out, "--payload", str(payload), "--no-identify")
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


@pytest.mark.parametrize("big", [0, 1 << 20, 64 << 20])
def test_zip_bytes_do_not_depend_on_which_path_wrote_a_member(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, mixed: Path, big: int,
) -> None:  # fmt: skip
    # BIG 0: every payload member through ZipFile.open (the writer streams it); else prepared
    monkeypatch.setattr(zipwrite, "BIG", 0)
    streamed = _package(runner, sample_incident, entries, mixed, tmp_path / "a" / "p.zip")
    monkeypatch.setattr(zipwrite, "BIG", big)
    monkeypatch.setattr(zipwrite, "AHEAD_BYTES", 256 << 10)  # the window fills and drains
    made = _package(runner, sample_incident, entries, mixed, tmp_path / "b" / "p.zip")
    assert made == streamed
    again = _package(runner, sample_incident, entries, mixed, tmp_path / "c" / "p.zip")
    assert again == made


def test_zip_is_readable_by_zipfile_and_unzip_and_verified(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, mixed: Path
) -> None:
    from arkivlucka.cli import cli

    out = tmp_path / "p.zip"
    _package(runner, sample_incident, entries, mixed, out)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        info = {i.filename: i for i in z.infolist()}
        assert (
            info["p/representations/rep1/data/uttag/stor.bin"].compress_type == zipfile.ZIP_STORED
        )
        assert (
            info["p/representations/rep1/data/uttag/mellan.pdf"].compress_type == zipfile.ZIP_STORED
        )
        text = info["p/representations/rep1/data/uttag/stor-text.txt"]
        assert text.compress_type == zipfile.ZIP_DEFLATED and text.compress_size < text.file_size
        assert (
            z.read("p/representations/rep1/data/uttag/mapp/å & ö.csv")
            == (mixed / "mapp" / "å & ö.csv").read_bytes()
        )
    if shutil.which("unzip"):
        checked = subprocess.run(["unzip", "-tq", str(out)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    verified = runner.invoke(cli, ["verify", str(out)])
    assert verified.exit_code == 0, verified.output


def test_unreadable_member_fails_cleanly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, mixed: Path,
) -> None:  # fmt: skip
    def failing(path, *args):  # type: ignore[no-untyped-def]
        if Path(path).name == "slump.dat":
            raise OSError(5, "Input/output error")
        return open(path, *args)

    monkeypatch.setattr(zipwrite, "open", failing, raising=False)  # the workers' reads
    out = tmp_path / "dest" / "p.zip"
    out.parent.mkdir()
    result = run_package(
        runner, sample_incident, entries, out, "--payload", str(mixed), "--no-identify"
    )
    assert result.exit_code == 1
    assert "Input/output error" in result.stderr
    assert list(out.parent.iterdir()) == []
