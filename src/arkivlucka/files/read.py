"""Files stage, reading: whole input files read with a size cap (a wrong file or /dev/zero is refused)."""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # none is needed to read a file (``validate`` starts faster without)
    from pathlib import Path

    from arkivlucka.core.errors import InputError


class TooLarge(Exception):
    """The file holds more than the cap allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit // 2**20} MiB")
        self.limit = limit


def open_regular(path: str | Path) -> BinaryIO:
    """Open ``path`` for reading, refusing anything but a regular file.

    A named pipe, a device or a folder would block or never end; they raise ``OSError`` with
    a readable ``strerror``. The check is made on the opened descriptor (no race), which is
    opened without blocking so that a pipe with no writer cannot hang us.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, pipe or device)", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: str | Path, limit: int) -> bytes:
    """Return the bytes of ``path``; raise ``TooLarge`` past ``limit`` bytes, ``OSError`` as open does.

    At most ``limit`` + 1 bytes are read, so a huge file or an endless device costs no more.
    Read with bare system calls (open, stat, read to the end, close): an incident file is read
    in a handful, where a file object would make twice as many.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, pipe or device)", str(path))
        # the size stat gives, plus one byte: a file that grew meanwhile (or one whose size
        # stat does not know, such as /proc's) is read on in blocks, never past the cap
        parts = [os.read(fd, min(st.st_size, limit) + 1)]
        size = len(parts[0])
        while size <= limit:
            block = os.read(fd, min(1 << 16, limit + 1 - size))
            if not block:
                break
            parts.append(block)
            size += len(block)
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(limit)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def cannot_read(name: str | Path, exc: OSError) -> InputError:
    """The one error for a file that cannot be read: ``name: cannot read: reason`` [unreadable]."""
    from arkivlucka.core.errors import InputError
    from arkivlucka.core.findings import error

    msg = f"cannot read: {exc.strerror or exc}"
    return InputError(f"{name}: {msg}", [error("unreadable", msg, file=str(name))])


def too_large(name: str | Path, exc: TooLarge, code: str, what: str = "") -> InputError:
    """The error for a file over its size cap: ``code``, and ``what`` it was not read as."""
    from arkivlucka.core.errors import InputError
    from arkivlucka.core.findings import error

    msg = f"{exc}; {what}" if what else str(exc)
    return InputError(f"{name}: {exc}", [error(code, msg, file=str(name))])


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return the text and the encoding it was in.

    UTF-8 (with or without BOM), UTF-16 with its byte-order mark (Excel's "Unicode text"),
    else Windows-1252. A UTF-8 BOM before bytes that are not UTF-8 raises UnicodeDecodeError.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
