"""Package stage, writing a zip on both cores: members prepared ahead by workers, written in order.

Each file up to ``BIG`` is read, hashed (SHA-256 and the zip's CRC-32) and, unless it is
compressed already, deflated on a worker thread (hashlib and zlib release the GIL), up to
``AHEAD_BYTES`` ahead of the writer; the writer puts each member into the zip in plan order
with the same local header ``zipfile`` writes, so the bytes are those of writing every member
through ``ZipFile.open`` (the deflate stream is made from the same 1 MiB pieces). Larger
files are streamed by the writer itself, their SHA-256 on a second thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from arkivlucka.core.errors import InputError
from arkivlucka.files.read import cannot_read

if TYPE_CHECKING:
    from arkivlucka.delivery.sink import Sink

BIG = 8 << 20  # files above this are streamed by the writer
AHEAD_BYTES = 64 << 20  # read and compressed ahead of the writer, at most
AHEAD_FILES = 1024
WORKERS = 2


class Member(NamedTuple):
    """A file made ready for the zip: its sizes, checksums and the bytes to write."""

    size: int
    sha256: str
    crc: int
    stored: bool
    data: bytes


def prepare(source: Path, compressed: bool, level: int, chunk: int, sample: int) -> Member:
    """Read ``source`` whole, hash it and deflate it (unless it does not shrink); a worker's job."""
    try:
        fh = open(source, "rb")  # noqa: SIM115 - closed below, errors told apart
    except OSError as exc:
        raise cannot_read(source, exc) from None
    try:
        with fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{source}: cannot copy: {exc.strerror}") from None
    view = memoryview(data)
    if not compressed and len(data) > sample:
        compressed = len(zlib.compress(view[:sample], 1)) > sample * 9 // 10
    digest, crc = hashlib.sha256(data).hexdigest(), zlib.crc32(data)
    if compressed:
        return Member(len(data), digest, crc, True, data)
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)  # what zipfile uses
    parts = [deflate.compress(view[i : i + chunk]) for i in range(0, len(data), chunk)]
    parts.append(deflate.flush())
    return Member(len(data), digest, crc, False, b"".join(parts))


def write_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member) -> None:
    """Append a prepared member: the local header ``ZipFile.open`` would write, then its data."""
    info.flag_bits = 0x00  # a seekable file: sizes in the header, no data descriptor
    info.file_size, info.CRC, info.compress_size = member.size, member.crc, len(member.data)
    fp = zf.fp
    assert fp is not None
    fp.seek(zf.start_dir)
    info.header_offset = fp.tell()
    zf._writecheck(info)  # type: ignore[attr-defined]
    zf._didModify = True  # type: ignore[attr-defined]
    fp.write(info.FileHeader(False))
    fp.write(member.data)
    zf.start_dir = fp.tell()
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def zip_all(
    sink: Sink, files: list[tuple[str, Path, bool]], progress: Callable[[int], None] | None
) -> list[tuple[int, str]]:
    """Put every (package path, source, compressed) file into the sink's zip, in order."""
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="arkivlucka-zip")
    pending: deque[tuple[int, Future[Member] | None, int]] = deque()
    ahead, following = 0, 0
    out: list[tuple[int, str]] = []
    try:
        while following < len(files) or pending:
            while following < len(files) and len(pending) < AHEAD_FILES and ahead < AHEAD_BYTES:
                rel, source, compressed = files[following]
                try:
                    size = os.stat(source).st_size
                except OSError as exc:
                    raise cannot_read(source, exc) from None
                job = None if size > BIG else pool.submit(sink.prepare, source, compressed)
                ahead += 0 if job is None else size
                pending.append((following, job, size))
                following += 1
            n, job, size = pending.popleft()
            rel, source, compressed = files[n]
            if job is None:
                out.append(sink.add_file(rel, source, compressed))
            else:
                member = job.result()
                ahead -= size
                sink.add_member(rel, member)
                out.append((member.size, member.sha256))
            if progress is not None:
                progress(1)
    finally:
        for _, job, _ in pending:
            if job is not None:
                job.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        with contextlib.suppress(Exception):
            pending.clear()
    return out
