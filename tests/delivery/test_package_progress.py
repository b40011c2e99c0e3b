"""Progress of ``package``: the library's callback, and the CLI's bar only on a terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from arkivlucka.core.context import RunContext
from support.package_fixtures import run_package


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "uttag"
    for n in range(40):  # more than sink.PARALLEL_FROM: a folder is copied by two processes
        path = root / f"d{n % 3}" / f"fil-{n:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"rad {n}\n" * (n + 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("name", ["leverans", "leverans.zip"])
@pytest.mark.parametrize("profile", ["fgs-2.0", "fgs-1.2"])
def test_progress_callback_counts_every_file_once(
    tmp_path: Path, sample_incident: Path, entries: Path, many: Path, name: str, profile: str
) -> None:
    from arkivlucka.delivery.package import build_package

    calls: list[tuple[int, int]] = []
    build_package(
        sample_incident, entries, tmp_path / name, RunContext(datetime(2024, 3, 1, tzinfo=UTC), "1"), payloads=[many],
        profile=profile, identify=False, progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    totals = {total for _, total in calls}
    assert len(totals) == 1
    total = totals.pop()
    assert total >= 40
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == total


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, object]]:
    from rich.progress import Progress

    seen: list[tuple[object, object]] = []
    real = Progress.update

    def update(self, task, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((kwargs.get("completed"), kwargs.get("total")))
        return real(self, task, **kwargs)

    monkeypatch.setattr(Progress, "update", update)
    return seen


@pytest.mark.parametrize(
    ("terminal", "quiet", "shown"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_cli_progress_bar_only_on_a_terminal_and_not_quiet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: CliRunner, sample_incident: Path,
    entries: Path, many: Path, terminal: bool, quiet: bool, shown: bool,
) -> None:  # fmt: skip
    from arkivlucka.cli import progress

    monkeypatch.setattr(progress, "on_terminal", lambda: terminal)
    seen = _spy(monkeypatch)
    extra = ["--payload", str(many), "--no-identify", *(["-q"] if quiet else [])]
    result = run_package(runner, sample_incident, entries, tmp_path / "p.zip", *extra)
    assert result.exit_code == 0, result.stderr
    assert bool(seen) is shown
    if shown:
        assert seen[-1][0] == seen[-1][1]
