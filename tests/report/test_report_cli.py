"""report command: output formats, reproducible output, and bad entries refused clearly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from arkivlucka.cli import cli
from support.report_helpers import digframe_entries

FIXED = ["--created", "2024-03-01T10:00:00+01:00", "--tool-version", "0.1.0"]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return digframe_entries(tmp_path_factory.mktemp("cli-entries"), plan=False)


@pytest.fixture
def entries(made, tmp_path) -> Path:
    """A private copy of the entries, free to break."""
    return Path(shutil.copytree(made, tmp_path / "entries"))


def run(runner, entries: Path, out: Path, *extra: str, creator: str = "Kommunstyrelsen"):
    args = ["report", str(entries), "--creator", creator, "-o", str(out), *FIXED, *extra]
    return runner.invoke(cli, args)


def test_writes_html_and_pdf_named_by_suffix(runner, entries, tmp_path):
    for name, magic in (("r.html", b"<!DOCTYPE html>"), ("r.pdf", b"%PDF-1.7")):
        result = run(runner, entries, tmp_path / name)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == str(tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(magic)


def test_format_option_wins_over_the_name(runner, entries, tmp_path):
    result = run(runner, entries, tmp_path / "report.txt", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "report.txt").read_bytes().startswith(b"<!DOCTYPE html>")


def test_created_option_gives_byte_identical_html(runner, entries, tmp_path):
    for name in ("a.html", "b.html"):
        assert run(runner, entries, tmp_path / name).exit_code == 0
    data = (tmp_path / "a.html").read_bytes()
    assert data == (tmp_path / "b.html").read_bytes()
    assert b'<meta name="dcterms.created" content="2024-03-01T10:00:00+01:00">' in data
    assert b"Rapporten skapades 2024-03-01 kl. 10:00 (UTC+01:00)" in data


def test_unnamed_format_is_a_usage_error(runner, entries, tmp_path):
    result = run(runner, entries, tmp_path / "report.docx")
    assert result.exit_code == 2
    assert "name it .pdf or .html" in result.stderr
    assert not (tmp_path / "report.docx").exists()


def test_unknown_creator_lists_the_known_ones_as_json(runner, entries, tmp_path):
    result = run(runner, entries, tmp_path / "r.html", "--json", creator="Socialnämnden")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["report-creator-unknown"]
    assert "Kommunstyrelsen" in findings[0]["message"]
    assert not (tmp_path / "r.html").exists()


def break_description(entries: Path, old: bytes, new: bytes) -> None:
    path = entries / "kommunstyrelsen" / "arkivbeskrivning.xml"
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


XXE = (b"<?xml version='1.0' encoding='UTF-8'?>",
       b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>")  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (b"<Beskrivningstext>", b"<Beskrivning>", "xml-not-well-formed"),
        (b"<Omfattning>delvis</Omfattning>", b"<Omfattning>kanske</Omfattning>", "xml-schema"),
        (*XXE, "xml-entity"),
    ],
    ids=["not-well-formed", "schema-invalid", "entity-declared"],
)
def test_broken_entries_are_refused_with_findings_and_nothing_written(
    runner, entries, tmp_path, old, new, code
):
    break_description(entries, old, new)
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous report")
    result = run(runner, entries, out, "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert code in {f["code"] for f in findings}
    assert all(f["file"].endswith("arkivbeskrivning.xml") for f in findings)
    assert out.read_bytes() == b"previous report"


def test_missing_inventory_entry_is_named(runner, entries, tmp_path):
    (entries / "kommunstyrelsen" / "arkivforteckning.xml").unlink()
    result = run(runner, entries, tmp_path / "r.html", "--json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "report-entry-missing"
    assert finding["file"].endswith("arkivforteckning.xml")


def test_inventory_entry_of_another_description_is_refused(runner, entries, tmp_path):
    path = entries / "kommunstyrelsen" / "arkivforteckning.xml"
    data = path.read_bytes()
    path.write_bytes(
        data.replace(b"<ArkivbeskrivningPostID>ab-", b"<ArkivbeskrivningPostID>ab-x", 1)
    )
    result = run(runner, entries, tmp_path / "r.html", "--json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)] == ["report-entries-mismatch"]


def test_missing_font_is_a_clear_error_not_a_fallback(runner, entries, tmp_path):
    args = ["report", str(entries), "--creator", "Kommunstyrelsen", "-o", str(tmp_path / "r.pdf")]
    result = runner.invoke(cli, args, env={"ARKIVLUCKA_FONT_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "fonts-dejavu-core" in result.stderr and "[report-font-missing]" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_entries_dir_that_is_not_a_folder(runner, tmp_path):
    result = run(runner, tmp_path / "nowhere", tmp_path / "r.html")
    assert result.exit_code == 1
    assert "[report-no-entries]" in result.stderr


def test_two_folders_for_one_creator_are_ambiguous(runner, entries, tmp_path):
    shutil.copytree(entries / "kommunstyrelsen", entries / "kommunstyrelsen-old")
    result = run(runner, entries, tmp_path / "r.html", "--json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)] == ["report-creator-ambiguous"]
    # The folder name still picks one.
    result = run(runner, entries, tmp_path / "r.html", creator="kommunstyrelsen-old")
    assert result.exit_code == 0, result.stderr


def test_a_pdf_report_from_the_console_leaves_no_temporary_folder(entries, tmp_path):
    """WeasyPrint's font folder goes with its finaliser; the program leaves without finalising."""
    import os
    import subprocess
    import sys

    temp = tmp_path / "temp"
    temp.mkdir()
    out = tmp_path / "r.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "arkivlucka", "report", str(entries), "--creator",
         "Kommunstyrelsen", "-o", str(out), *FIXED],
        capture_output=True, text=True, env={**os.environ, "TMPDIR": str(temp)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-1.7")
    assert list(temp.iterdir()) == []
