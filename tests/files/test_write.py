"""The write stage: atomic replacement, nothing half-written, originals survive failures."""

from __future__ import annotations

import os

import pytest

from arkivlucka.core.errors import OutputError
from arkivlucka.files import write


def test_write_files_creates_folders_and_replaces(tmp_path):
    paths = write.write_files(tmp_path, {"a/x.xml": b"1", "b/y.xml": b"2"})
    assert [p.read_bytes() for p in paths] == [b"1", b"2"]
    write.write_files(tmp_path, {"a/x.xml": b"new"}, overwrite=True)
    assert (tmp_path / "a" / "x.xml").read_bytes() == b"new"


def test_failure_before_rename_leaves_originals_and_no_temp_files(tmp_path, monkeypatch):
    write.write_files(tmp_path, {"x.xml": b"old-x", "y.xml": b"old-y"})
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(OutputError) as info:
        write.write_files(tmp_path, {"x.xml": b"new-x", "y.xml": b"new-y"}, overwrite=True)
    assert "No space left" in info.value.message
    assert (tmp_path / "y.xml").read_bytes() == b"old-y"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xml", "y.xml"]


def test_failure_while_staging_writes_nothing(tmp_path, monkeypatch):
    (tmp_path / "x.xml").write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(write.os, "fsync", broken_fsync)
    with pytest.raises(OutputError):
        write.write_files(tmp_path, {"x.xml": b"new", "z.xml": b"z"}, overwrite=True)
    assert (tmp_path / "x.xml").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xml"]


def test_folder_in_the_way_is_an_output_error(tmp_path):
    (tmp_path / "x.xml").mkdir()
    with pytest.raises(OutputError):
        write.atomic_write(tmp_path / "x.xml", b"data")


def test_new_files_follow_umask_and_replaced_files_keep_their_mode(tmp_path):
    old = os.umask(0o027)
    try:
        (new,) = write.write_files(tmp_path, {"new.xml": b"1"})
    finally:
        os.umask(old)
    assert new.stat().st_mode & 0o777 == 0o640
    kept = tmp_path / "kept.xml"
    kept.write_bytes(b"old")
    kept.chmod(0o604)
    write.atomic_write(kept, b"new", overwrite=True)
    assert kept.stat().st_mode & 0o777 == 0o604
