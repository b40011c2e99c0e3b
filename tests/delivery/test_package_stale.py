"""package refuses entries made from another version of the incident file, naming what differs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from support.helpers import SAMPLES
from support.package_fixtures import CREATED, run_package

SAMPLE = SAMPLES / "digframe" / "incident.yaml"
#: an edit of the incident file after describe → the fact the refusal must name
EDITS = [
    ("occurred-date", ('at: "2023-10-19T16:00"', 'at: "2023-10-20T16:00"'), "inträffade"),
    ("discovered-precision", ("precision: exact", "precision: estimated"), "upptäcktes"),
    ("status", ("status: closed", "status: ongoing"), "status"),
    ("system-added", ("  - name: Stratsys\n", "  - name: Stratsys\n  - name: W3D3\n"), "påverkade system"),
    ("lost-record-removed", ("  - id: nyttokalkyleringar\n    title: Nyttokalkyleringar\n", "  - id: nyttokalkyler\n    title: Nyttokalkyleringar\n"), "förlorade handlingar"),
    ("category-changed", ("  - Förlust eller stöld av uppgifter\n", "  - Angrepp\n"), "kategorier"),
]  # fmt: skip


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    copy = tmp_path / "incident.yaml"
    copy.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def _describe(runner: CliRunner, incident: Path, out: Path) -> None:
    from arkivlucka.cli import cli

    result = runner.invoke(cli, ["describe", str(incident), "-o", str(out), "--created", CREATED, "-q"])  # fmt: skip
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("case", "edit", "named"), EDITS, ids=[e[0] for e in EDITS])
def test_edited_incident_refused_with_what_differs(
    tmp_path: Path, runner: CliRunner, incident: Path, case: str, edit: tuple[str, str], named: str
) -> None:
    entries = tmp_path / "entries"
    _describe(runner, incident, entries)
    text = incident.read_text(encoding="utf-8")
    assert edit[0] in text
    incident.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    out = tmp_path / "paket"
    result = run_package(runner, incident, entries, out)
    assert result.exit_code == 1
    # an edit of a fact the incident id is made of gives another id (entries-mismatch)
    stale = [
        line for line in result.stderr.splitlines()
        if "[entries-stale]" in line or ("[entries-mismatch]" in line and "arkivbeskrivning" in line)
    ]  # fmt: skip
    assert stale, result.stderr
    assert any(named in line for line in stale), stale
    assert not out.exists()


def test_unchanged_incident_packaged(tmp_path: Path, runner: CliRunner, incident: Path) -> None:
    entries = tmp_path / "entries"
    _describe(runner, incident, entries)
    out = tmp_path / "paket"
    result = run_package(runner, incident, entries, out, "--profile", "fgs-1.2")
    assert result.exit_code == 0, result.stderr
    assert (out / "sip.xml").is_file()


def test_names_in_entries_compared_as_given(
    tmp_path: Path, runner: CliRunner, incident: Path
) -> None:
    """Entries made with the reporter's name are current when the name is unchanged."""
    from arkivlucka.cli import cli

    entries = tmp_path / "entries"
    args = ["describe", str(incident), "-o", str(entries), "--created", CREATED, "-q"]
    result = runner.invoke(cli, [*args, "--with-names"])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "paket"
    assert run_package(runner, incident, entries, out).exit_code == 0
