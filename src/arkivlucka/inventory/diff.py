"""Render stage for ``inventory merge --dry-run``: the diff of two versions, light on memory.

The two versions are seen as lines through an index of line starts (8 bytes a line) and
decoded only when a line is compared or shown, so the dry run needs no more memory than the
merge itself, however large the inventory.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Sequence
from typing import overload

from arkivlucka.core.textdiff import unified

_ASCII_NEWLINE = ("utf-8", "ascii", "latin-1", "iso8859-1", "cp1252")


class Lines(Sequence[str]):
    """The lines of encoded text (each with its line end), decoded on access."""

    def __init__(self, data: bytes, codec: str) -> None:
        self.data, self.codec = data, codec
        starts = array("q", [0])
        starts.extend(m.end() for m in re.finditer(b"\n", data))
        if starts[-1] != len(data):
            starts.append(len(data))
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        raw = self.data[self.starts[index] : self.starts[index + 1]]
        return raw.decode(self.codec, errors="replace")


def diff(old: bytes, new: bytes, name: str, encoding: str) -> str:
    """A unified diff of two versions of the inventory ``name`` in ``encoding``."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        codec = "utf-8"
    fromfile, tofile = name, f"{name} (efter merge)"
    if codec in _ASCII_NEWLINE:  # a line end is the byte 0x0A: index the bytes
        return unified(Lines(old, codec), Lines(new, codec), fromfile=fromfile, tofile=tofile)
    a = old.decode(codec, errors="replace").splitlines(keepends=True)
    b = new.decode(codec, errors="replace").splitlines(keepends=True)
    return unified(a, b, fromfile=fromfile, tofile=tofile)
