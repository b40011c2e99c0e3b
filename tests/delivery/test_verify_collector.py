"""Verify pauses the cycle collector while it reads a package, and restores it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest


def test_verify_pauses_the_collector_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arkivlucka.delivery import verify

    seen: list[bool] = []
    real = verify._verify

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "_verify", spy)
    was = gc.isenabled()
    gc.enable()
    try:
        result = verify.verify_package(tmp_path / "missing")
        assert seen == [False] and gc.isenabled()
        assert [f.code for f in result.findings] == ["CSIPSTR1"]
    finally:
        (gc.enable if was else gc.disable)()
