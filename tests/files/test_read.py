"""Reading whole input files with a cap: exactly what is there, never past the cap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from arkivlucka.files import read
from arkivlucka.files.read import TooLarge, read_capped


@pytest.mark.parametrize("size", [0, 1, 99, 100])
def test_a_file_up_to_the_cap_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(range(size % 256)))
    assert read_capped(path, 100) == path.read_bytes()


@pytest.mark.parametrize("size", [101, 5000])
def test_a_file_past_the_cap_is_refused(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    with pytest.raises(TooLarge):
        read_capped(path, 100)


@pytest.mark.parametrize("told", [0, 10])
def test_a_file_larger_than_stat_says_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    """A file that grew after stat (or a /proc file stat gives as empty) is read on."""
    path = tmp_path / "f"
    data = os.urandom(200_000)
    path.write_bytes(data)
    real = os.fstat

    class Smaller:
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, told

    monkeypatch.setattr(read.os, "fstat", lambda fd: Smaller(real(fd)))
    assert read_capped(path, 1 << 20) == data
    with pytest.raises(TooLarge):
        read_capped(path, 150_000)


def test_a_proc_file_is_read_although_stat_gives_no_size() -> None:
    status = Path("/proc/self/status")  # Linux, where arkivlucka runs
    assert b"Name:" in read_capped(status, 1 << 20)


def test_a_folder_or_a_device_is_refused(tmp_path: Path) -> None:
    for path in (tmp_path, Path(os.devnull)):
        with pytest.raises(OSError, match="not a regular file"):
            read_capped(path, 100)


def test_a_missing_file_raises_as_open_does(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_capped(tmp_path / "missing", 100)
