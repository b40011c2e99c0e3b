"""hashshare: the forked worker's job on the metadata documents it reads (``kept``).

The worker runs ``kept`` on each file whose bytes it keeps and sends the result instead of the
bytes; when the job fails it sends the bytes, and the main process does the work itself. The
main process's share of the hashing is turned off here, so the worker reads every file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from arkivlucka.delivery import hashshare
from arkivlucka.delivery.hashshare import Outcomes, hash_all
from arkivlucka.delivery.reader import PackageReader
from arkivlucka.files.forked import can_fork
from arkivlucka.files.zipsafe import ZipLimits

pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker is a forked process")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ARKIVLUCKA_NO_FORK", raising=False)  # the forked worker, not a thread
    monkeypatch.setattr(hashshare._Back, "step", lambda *args: False)  # it hashes every file
    (tmp_path / "METS.xml").write_bytes(b"<mets/>")
    (tmp_path / "metadata" / "preservation").mkdir(parents=True)
    (tmp_path / "metadata" / "preservation" / "premis.xml").write_bytes(b"<premis/>")
    data = tmp_path / "representations" / "rep1" / "data"
    data.mkdir(parents=True)
    (data / "a.txt").write_bytes(b"hello")
    return tmp_path


def _outcomes(folder: Path, kept: Any) -> Outcomes:
    reader = PackageReader(folder, ZipLimits())

    def check(walked: Any) -> list[object]:
        walked()
        return []

    tasks, outcomes = hash_all(reader, check, None, None, kept)
    assert tasks == []
    return outcomes


META = "metadata/preservation/premis.xml"


def test_the_worker_sends_what_kept_made_of_a_document_instead_of_its_bytes(folder: Path) -> None:
    outcomes = _outcomes(folder, lambda rel, data: [rel, data, os.getpid()])
    rel, data, pid = outcomes.checked[META]
    assert (rel, data) == (META, b"<premis/>")
    assert pid != os.getpid()  # run by the worker
    got = outcomes.get(META)
    assert isinstance(got, tuple) and got[0] == 9 and got[2] is None  # the bytes not sent
    assert set(outcomes.checked) == {META}  # only kept files: not the payload


def test_a_failing_kept_job_sends_the_bytes_as_before(folder: Path) -> None:
    def fails(rel: str, data: bytes) -> list[object]:
        raise ValueError("no")

    outcomes = _outcomes(folder, fails)
    assert outcomes.checked == {}
    got = outcomes.get(META)
    assert isinstance(got, tuple) and got[2] == b"<premis/>"


def test_without_a_kept_job_the_bytes_come_as_before(folder: Path) -> None:
    outcomes = _outcomes(folder, None)
    assert outcomes.checked == {}
    got = outcomes.get(META)
    assert isinstance(got, tuple) and got[2] == b"<premis/>"
