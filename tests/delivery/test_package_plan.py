"""The package plan (``delivery.layout``): MIME types by file name, modification times."""

from __future__ import annotations

import mimetypes
import os
from datetime import UTC, datetime

import pytest

from arkivlucka.delivery import layout
from arkivlucka.delivery.vocab import IANA, terms

NAMES = [
    "a.txt", "dir/a.TXT", ".txt", "dir/.txt", "a..txt", "..txt", "dir/..txt", ".a.txt",
    "x/.a.txt", "a.tar.gz", "noext", "dir.x/noext", "a.", "x/y.z/.bashrc", "...", "a/...x",
    "rapport.PDF", "data.csv", "bild.jpeg", "okänd.xyz", "arkiv.7z",
]  # fmt: skip


def _by_splitext(name: str) -> str:
    """The MIME type as the plan worked it out before its fast path: splitext, then guessing."""
    known = layout._MIME.get(os.path.splitext(name)[1].lower())
    if known:
        return known
    guess, iana = mimetypes.guess_type(name)[0], terms(IANA)
    if not guess or "/x-" in guess or (iana is not None and guess.lower() not in iana):
        return "application/octet-stream"
    return guess


@pytest.mark.parametrize("name", NAMES)
def test_mime_type_is_the_one_splitext_and_guessing_give(name: str) -> None:
    assert layout.mimetype_of(name) == _by_splitext(name)


@pytest.mark.parametrize(
    "mtime", [0.0, 1.5, -1.5, -0.2, 86399.9999, 1_700_000_000.999, 1_700_000_000.9999998]
)
def test_modification_time_is_the_whole_second_it_falls_in(mtime: float) -> None:
    expected = datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")
    assert layout._iso(mtime) == expected
