"""Read stage helper: whole input files read with a size cap (a wrong file or /dev/zero is refused)."""

from __future__ import annotations

from pathlib import Path


class TooLarge(Exception):
    """The file holds more than the cap allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit // 2**20} MiB")
        self.limit = limit


def read_capped(path: str | Path, limit: int) -> bytes:
    """Return the bytes of ``path``; raise ``TooLarge`` past ``limit`` bytes, ``OSError`` as open does.

    At most ``limit`` + 1 bytes are read, so a huge file or an endless device costs no more.
    """
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data
