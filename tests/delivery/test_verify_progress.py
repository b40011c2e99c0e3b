"""Verify, progress: the library's callback (files read so far, files to read) and the CLI's bar.

The bar is drawn on stderr only when stderr is a terminal (forced here by patching the check)
and never with ``--quiet``; the findings and the summary line are the same either way.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from arkivlucka.cli import cli
from support.csip_template import build

FILES = 7  # the template's files besides METS.xml


def _calls(pkg: Path) -> list[tuple[int, int]]:
    from arkivlucka.delivery.verify import verify_package

    seen: list[tuple[int, int]] = []
    result = verify_package(pkg, progress=lambda done, total: seen.append((done, total)))
    assert result.ok, result.findings
    return seen


def _zip(pkg: Path) -> Path:
    archive = pkg.parent / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(pkg.rglob("*")):
            if path.is_file():
                zf.write(path, f"{pkg.name}/{path.relative_to(pkg)}")
    return archive


@pytest.mark.parametrize("how", ["forked", "thread", "zip"])
def test_progress_counts_up_to_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    pkg = build(tmp_path)
    if how == "thread":
        monkeypatch.setenv("ARKIVLUCKA_NO_FORK", "1")
    seen = _calls(_zip(pkg) if how == "zip" else pkg)
    assert seen and seen[-1] == (FILES, FILES)
    assert all(total == FILES and 0 <= done <= total for done, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never goes back


def _invoke(pkg: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[object, list[int]]:
    from arkivlucka.cli import progress

    asked: list[int] = []
    monkeypatch.setattr(progress, "on_terminal", lambda: asked.append(1) or True)
    result = CliRunner().invoke(cli, ["verify", str(pkg), *args])
    return result, asked


def test_cli_shows_a_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = build(tmp_path)
    result, asked = _invoke(pkg, monkeypatch)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert asked == [1]
    assert "verifying" in result.stderr  # type: ignore[attr-defined]
    last = result.stderr.rstrip().rpartition("\x1b[2K")[2]  # type: ignore[attr-defined]
    assert re.fullmatch(rf"{re.escape(str(pkg))}: valid \(8 file\(s\), \d+ bytes checked\)", last)


def test_cli_quiet_and_no_terminal_show_no_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = build(tmp_path)
    quiet, asked = _invoke(pkg, monkeypatch, "--quiet")
    assert quiet.exit_code == 0 and asked == []  # type: ignore[attr-defined]
    monkeypatch.undo()
    plain = CliRunner().invoke(cli, ["verify", str(pkg)])  # stderr is not a terminal here
    assert plain.exit_code == 0
    assert quiet.stderr == plain.stderr  # type: ignore[attr-defined]
    assert re.fullmatch(
        rf"{re.escape(str(pkg))}: valid \(8 file\(s\), \d+ bytes checked\)\n", plain.stderr
    )
