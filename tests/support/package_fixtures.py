"""Shared fixtures for the package and verify tests: entries, a payload and a built package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from support.helpers import SAMPLES

CREATED = "2024-03-01T10:00:00+01:00"
PREMIS = "{http://www.loc.gov/premis/v3}"
METS = "{http://www.loc.gov/METS/}"


@pytest.fixture
def entries(tmp_path: Path, runner: CliRunner, sample_incident: Path) -> Path:
    from arkivlucka.cli import cli

    out = tmp_path / "entries"
    result = runner.invoke(
        cli,
        ["describe", str(sample_incident), "-o", str(out), "--created", CREATED, "-q"],
    )
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    root = tmp_path / "uttag"
    (root / "2019-2021").mkdir(parents=True)
    (root / "2019-2021" / "projekt.csv").write_text(
        "namn;år\nDigitalisering;2020\n", encoding="utf-8"
    )
    (root / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (root / "rapport.txt").write_text("Uttag till och med 2023-10-19\n" * 200, encoding="utf-8")
    os.symlink("rapport.txt", root / "lank-inom.txt")
    return root


def run_package(runner: CliRunner, incident: Path, entries: Path, out: Path, *extra: str) -> Result:
    from arkivlucka.cli import cli

    args = [
        "package",
        str(incident),
        "--entries",
        str(entries),
        "-o",
        str(out),
        "--created",
        CREATED,
    ]
    args += ["--tool-version", "9.9.9", *extra]
    return runner.invoke(cli, args)


@pytest.fixture
def package_dir(
    tmp_path: Path, runner: CliRunner, sample_incident: Path, entries: Path, payload: Path
) -> Path:
    out = tmp_path / "leverans-digframe"
    form = SAMPLES / "digframe" / "form.txt"
    result = run_package(
        runner, sample_incident, entries, out, "--form", str(form), "--payload", str(payload)
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    return out
