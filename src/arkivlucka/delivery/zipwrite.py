"""Package stage, writing a zip on both cores: members prepared ahead by workers, written in order.

Each file up to ``BIG`` is read, hashed (SHA-256 and the zip's CRC-32) and, unless it is
compressed already, deflated on a worker thread (hashlib and zlib release the GIL), up to
``AHEAD_BYTES`` ahead of the writer; the writer puts each member into the zip in plan order
with the same local header ``zipfile`` writes, so the bytes are those of writing every member
through ``ZipFile.open`` (the deflate stream is made from the same 1 MiB pieces). Larger
files are streamed by the writer itself, their SHA-256 on a second thread.
"""

from __future__ import annotations

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
AHEAD_JOBS = 64  # batches (or large files) in the queue, at most
BATCH_FILES = 64  # small files in one worker's job, at most
BATCH_BYTES = 4 << 20
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
    if fp.tell() != zf.start_dir:  # a seek would flush the write buffer: only when needed
        fp.seek(zf.start_dir)
    info.header_offset = zf.start_dir
    zf._writecheck(info)  # type: ignore[attr-defined]
    zf._didModify = True  # type: ignore[attr-defined]
    fp.write(info.FileHeader(False))
    fp.write(member.data)
    zf.start_dir = fp.tell()
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def _batch(sink: Sink, jobs: list[tuple[Path, bool]]) -> list[Member]:
    return [sink.prepare(source, compressed) for source, compressed in jobs]


def zip_all(
    sink: Sink, files: list[tuple[str, Path, bool]], progress: Callable[[int], None] | None
) -> list[tuple[int, str]]:
    """Put every (package path, source, compressed) file into the sink's zip, in order.

    Small files go to the workers in batches (up to ``BATCH_FILES`` or ``BATCH_BYTES``), so
    that a worker's job is worth handing over; each batch comes back in order.
    """
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="arkivlucka-zip")
    pending: deque[tuple[list[int], Future[list[Member]] | None, int]] = deque()
    ahead, following = 0, 0
    out: list[tuple[int, str]] = []
    try:
        while following < len(files) or pending:
            while following < len(files) and len(pending) < AHEAD_JOBS and ahead < AHEAD_BYTES:
                following, job = _next_job(sink, pool, files, following)
                ahead += job[2]
                pending.append(job)
            numbers, future, size = pending.popleft()
            if future is None:
                rel, source, compressed = files[numbers[0]]
                out.append(sink.add_file(rel, source, compressed))
            else:
                for n, member in zip(numbers, future.result(), strict=True):
                    sink.add_member(files[n][0], member)
                    out.append((member.size, member.sha256))
                ahead -= size
            if progress is not None:
                progress(len(numbers))
    finally:
        for _, future, _ in pending:
            if future is not None:
                future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
    return out


def _next_job(
    sink: Sink, pool: ThreadPoolExecutor, files: list[tuple[str, Path, bool]], start: int
) -> tuple[int, tuple[list[int], Future[list[Member]] | None, int]]:
    """The next job from ``start``: one large file for the writer, or a batch of small ones."""
    numbers: list[int] = []
    total = 0
    n = start
    while n < len(files) and len(numbers) < BATCH_FILES and total < BATCH_BYTES:
        source = files[n][1]
        try:
            size = os.stat(source).st_size
        except OSError as exc:
            raise cannot_read(source, exc) from None
        if size > BIG:
            if not numbers:  # the large file alone, streamed by the writer
                return n + 1, ([n], None, 0)
            break
        numbers.append(n)
        total += size
        n += 1
    jobs = [(files[i][1], files[i][2]) for i in numbers]
    return n, (numbers, pool.submit(_batch, sink, jobs), total)
