"""Verify stage, reading: a package's files from a folder or a zip (in place), each read once.

Lists the package, reads and hashes its files (streamed, one buffer per thread) and shares
that work between this process and a forked worker while the caller checks the METS files.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from arkivlucka.core.findings import Finding, error
from arkivlucka.files.forked import Child, Counters, Sender, can_fork
from arkivlucka.files.workshare import take_many
from arkivlucka.files.zipsafe import ZipLimits, check_zip, open_zip, real_names

T = TypeVar("T")
#: told (files read so far, files to read) while a package's files are read and hashed
Progress = Callable[[int, int], object]

CHUNK = 1 << 20
#: metadata XML up to this size is validated (larger: only its checksum is checked) ...
XML_KEEP = 64 << 20
#: ... and kept from the checksum pass up to this size; a larger one is read again as a stream
XML_HOLD = 1 << 20
ALGORITHMS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
_SHA256_ONLY = {"SHA-256"}
#: requirement ids per kind of reference: (missing file, size, checksum, checksum type)


class PackageReader:
    """The files of a package, by path relative to its root; a folder or a zip read in place."""

    def __init__(self, path: Path, limits: ZipLimits) -> None:
        self.path, self.root = path, ""
        self.zip: zipfile.ZipFile | None = None
        self.sizes: dict[str, int] = {}
        self.findings: list[Finding] = []
        self.root_name = path.name
        self.walked = threading.Event()
        self.inner: list[Path] = []
        if path.is_dir():
            self._folder(path)
        else:
            self._zipfile(path, limits)
            self.walked.set()

    def has(self, rel: str) -> bool:
        """Whether the package holds this file (before the folder walk is done, too)."""
        if self.zip is None and not self.walked.is_set():
            return os.path.isfile(os.path.join(self.base, rel))
        return rel in self.sizes

    def walk(self) -> None:
        """List the files of a package folder (a zip is listed at once)."""
        if not self.walked.is_set():
            try:
                self._walk(str(self.base), "", str(self.path))
            finally:
                self.walked.set()

    def _folder(self, path: Path) -> None:
        """The package root: ``path``, or its only entry when that is a folder with METS.xml.

        A folder holding a package beside other files is not itself that package (its other
        files would go unchecked), so it is not descended into.
        """
        base = path
        if not (path / "METS.xml").is_file():
            try:
                entries = list(path.iterdir())
            except OSError:
                entries = []
            subs = [p for p in entries if p.is_dir() and (p / "METS.xml").is_file()]
            if len(subs) == 1 and len(entries) == 1:
                base = subs[0]
            self.inner = subs
        self.base, self.root_name = base, base.resolve().name

    def _walk(self, folder: str, prefix: str, shown: str) -> None:
        try:
            items = list(os.scandir(folder))
        except OSError as exc:
            where = prefix.rstrip("/") or "."
            self.findings.append(
                error(
                    "unreadable",
                    f"{where}: cannot list: {exc.strerror}",
                    file=shown,
                    path=where,
                )
            )
            return
        for item in items:
            rel = f"{prefix}{item.name}"
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown_rel = rel.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "backslashreplace"
                )
                self.findings.append(
                    error(
                        "package-name",
                        f"{shown_rel}: the file name is not valid UTF-8 (METS cannot name it)",
                        file=shown,
                        path=shown_rel,
                    )
                )
                continue
            if item.is_symlink():
                self.findings.append(
                    error(
                        "package-link",
                        f"{rel} is a symbolic link; not followed",
                        file=shown,
                        path=rel,
                    )
                )
            elif item.is_dir(follow_symlinks=False):
                self._walk(item.path, f"{rel}/", shown)
            elif item.is_file(follow_symlinks=False):
                self.sizes[rel] = -1  # not needed before the file is read
            else:
                self.findings.append(
                    error(
                        "unreadable",
                        f"{rel} is not a regular file",
                        file=shown,
                        path=rel,
                    )
                )

    def _zipfile(self, path: Path, limits: ZipLimits) -> None:
        zf, found = open_zip(path, str(path))
        self.findings += found
        if zf is None:
            return
        self.zip = zf
        real_names(zf)
        self.findings += check_zip(zf, str(path), limits)
        if any(f.is_error for f in self.findings):
            return
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        tops = {n.split("/", 1)[0] for n in names}
        if "METS.xml" not in names and len(tops) == 1:
            self.root = f"{tops.pop()}/"
            self.root_name = self.root[:-1]
        elif "METS.xml" not in names:
            self.findings.append(
                error(
                    "CSIPSTR1",
                    "the archive does not unpack to a single root folder",
                    file=str(path),
                )
            )
        for info in zf.infolist():
            if not info.is_dir() and info.filename.startswith(self.root):
                self.sizes[info.filename[len(self.root) :]] = info.file_size

    @contextmanager
    def open(self, rel: str) -> Iterator[BinaryIO]:
        """Open a package file for streaming."""
        if self.zip is not None:
            with self.zip.open(self.root + rel) as fh:
                yield fh  # type: ignore[misc]
        else:
            with open(os.path.join(self.base, rel), "rb") as fh:
                yield fh

    def read(self, rel: str) -> bytes:
        """Read a (small) package file whole."""
        with self.open(rel) as fh:
            return fh.read()


_LOCAL = threading.local()


def _buffer() -> bytearray:
    buf = getattr(_LOCAL, "buffer", None)
    if buf is None:
        buf = _LOCAL.buffer = bytearray(CHUNK)
    return buf


Hashed = tuple[int, dict[str, str], bytes | None]


def _feed(
    readinto: Callable[[bytearray], int | None],
    first: bytes,
    algorithms: AbstractSet[str],
    keep: bool,
) -> Hashed:
    """Hash ``first`` and then every chunk ``readinto`` fills, keeping the bytes if asked."""
    digests = {a: hashlib.new(ALGORITHMS[a], first) for a in algorithms}
    updaters = list(digests.values())
    size = len(first)
    kept: list[bytes] | None = ([first] if first else []) if keep else None
    buffer = _buffer()
    view = memoryview(buffer)
    while n := readinto(buffer):
        chunk = view[:n]
        for d in updaters:
            d.update(chunk)
        size += n
        if kept is not None:
            kept.append(bytes(chunk))
            if size > XML_HOLD:
                kept = None
    hexes = {a: d.hexdigest() for a, d in digests.items()}
    return size, hexes, b"".join(kept) if kept is not None else None


def _hash(reader: PackageReader, rel: str, algorithms: AbstractSet[str], keep: bool) -> Hashed:
    """Read one file once, feeding every wanted digest (and keeping it if asked)."""
    if reader.zip is None:
        return _hash_file(os.path.join(reader.base, rel), algorithms, keep)
    with reader.open(rel) as fh:
        return _feed(fh.readinto, b"", algorithms, keep)  # type: ignore[attr-defined]


def _hash_file(path: str, algorithms: AbstractSet[str], keep: bool) -> Hashed:
    """Fast path for a file on disk: one read for small files, a reused buffer for large."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, CHUNK)
        if len(data) < CHUNK:  # a short read of a regular file is its end
            keep = keep and len(data) <= XML_HOLD
            if algorithms == _SHA256_ONLY:  # the common case, without hashlib.new's lookup
                return (
                    len(data),
                    {"SHA-256": hashlib.sha256(data).hexdigest()},
                    (data if keep else None),
                )
            digests = {a: hashlib.new(ALGORITHMS[a], data) for a in algorithms}
            return (
                len(data),
                {a: d.hexdigest() for a, d in digests.items()},
                data if keep else None,
            )
        return _feed(lambda buf: os.readv(fd, [buf]), data, algorithms, keep)
    finally:
        os.close(fd)


def hash_or_error(
    reader: PackageReader, rel: str, algorithms: AbstractSet[str], keep: bool
) -> tuple[int, dict[str, str], bytes | None] | Exception:
    """Read and hash one file; an unreadable or corrupt file gives its exception."""
    try:
        return _hash(reader, rel, algorithms, keep)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        return exc


Outcome = tuple[int, dict[str, str], bytes | None] | Exception


def _pack(outcome: Outcome) -> object:
    """The common outcome (SHA-256 only, bytes not kept) as ``(size, digest)``; others as is."""
    if isinstance(outcome, tuple) and outcome[2] is None and len(outcome[1]) == 1:
        hexes = outcome[1]
        if "SHA-256" in hexes:
            return (outcome[0], bytes.fromhex(hexes["SHA-256"]))
    return outcome


class Outcomes:
    """What reading each file gave, by path; held compactly (50,000 files: a few MB)."""

    __slots__ = ("_by_path",)

    def __init__(self) -> None:
        self._by_path: dict[str, object] = {}

    def put(self, rel: str, outcome: Outcome) -> None:
        """Record what reading ``rel`` gave."""
        self._by_path[rel] = _pack(outcome)

    def put_packed(self, rel: str, packed: object) -> None:
        """Record an outcome already packed (``_pack``), e.g. received from the worker."""
        self._by_path[rel] = packed

    def get(self, rel: str) -> Outcome | None:
        """What reading ``rel`` gave, or None when it was not read."""
        value = self._by_path.get(rel)
        if isinstance(value, tuple) and len(value) == 2:
            return (value[0], {"SHA-256": value[1].hex()}, None)
        return value  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._by_path)


def keepable(rel: str) -> bool:
    """Whether a file's bytes are kept from the checksum pass (metadata XML, to validate)."""
    return rel.startswith("metadata/") and rel.lower().endswith(".xml")


def walk_and_hash(
    reader: PackageReader, stop: threading.Event, progress: Progress | None = None
) -> Outcomes:
    """List the package (folder) and read + SHA-256 every file but METS.xml, in that order."""
    reader.walk()
    out = Outcomes()
    rels = sorted(set(reader.sizes) - {"METS.xml"})
    for n, rel in enumerate(rels):
        if stop.is_set():
            break
        if progress is not None and n % 64 == 0:
            progress(n, len(rels))
        out.put(rel, hash_or_error(reader, rel, _SHA256_ONLY, keepable(rel)))
    if progress is not None and not stop.is_set():
        progress(len(rels), len(rels))
    return out


#: a job for the forked worker, run after the listing; its result is sent to the main process
Side = Callable[[PackageReader], dict[str, Any]]


class Walk:
    """Given to ``check``: call it before using ``reader.sizes``; ``side()`` is the side job's result.

    The side job (``hash_all``'s ``side``) runs on the forked worker right after the listing;
    ``side()`` waits for its result (None when there is no worker or no side job).
    """

    def __init__(self, receive: Child | None, reader: PackageReader, side: bool) -> None:
        self._receive, self._reader, self._has_side = receive, reader, side
        self._walked = False
        self._side: dict[str, Any] | None = None

    def __call__(self) -> None:
        """Wait for the listing of the package (once)."""
        if self._walked:
            return
        if self._receive is None:
            self._reader.walked.wait()
        else:
            sizes, findings = self._receive.recv()
            self._reader.sizes.update(sizes)
            self._reader.findings += findings
            self._reader.walked.set()
        self._walked = True

    @property
    def has_side(self) -> bool:
        """Whether a side job runs on the worker."""
        return self._has_side and self._receive is not None

    def side(self) -> dict[str, Any] | None:
        """The side job's result (waits for it); None without one."""
        if not self.has_side:
            return None
        self()
        if self._side is None:
            assert self._receive is not None
            self._side = self._receive.recv()
        return self._side


def _hash_in_child(
    conn: Sender, reader: PackageReader, shared: Counters, side: Side | None
) -> None:
    """Forked worker: list, run the side job, send both, hash, send.

    Files are hashed from the front of the list (the main process takes them from the back).
    """
    try:
        reader.walk()
        rels = sorted(set(reader.sizes) - {"METS.xml"})
        shared[1] = len(rels)
        done: dict[str, Any] = {}
        if side is not None:
            try:  # first: sending the listing waits until the main process takes it
                done = side(reader)
            except Exception:  # the main process then reads the documents itself
                done = {}
        conn.send((reader.sizes, reader.findings))
        if side is not None:
            conn.send(done)
        out: dict[str, object] = {}
        while batch := take_many(shared, front=True):
            for i in batch:
                outcome = hash_or_error(reader, rels[i], _SHA256_ONLY, keepable(rels[i]))
                out[rels[i]] = (
                    f"{type(outcome).__name__}: {outcome}"
                    if isinstance(outcome, Exception)
                    else _pack(outcome)
                )
        conn.send(out)
    finally:
        conn.close()


def _with_process(
    reader: PackageReader,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None = None,
    side: Side | None = None,
) -> tuple[T | None, Outcomes]:
    """Hash with a forked worker from the front of the list, this process from the back.

    This process joins once METS is checked, so both cores share the reading and hashing.
    """
    shared = Counters([0, 0])
    try:
        receive = Child(_hash_in_child, reader, shared, side)
        try:
            return _share(reader, receive, shared, check, progress, side)
        except EOFError:
            raise OSError("the verify worker process ended unexpectedly") from None
        finally:
            receive.stop()
    finally:
        shared.close()


def _share(
    reader: PackageReader,
    receive: Child,
    shared: Counters,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None,
    side: Side | None,
) -> tuple[T | None, Outcomes]:
    """``_with_process`` in the parent: check, then hash from the back, then collect."""
    walked = Walk(receive, reader, side is not None)
    tasks = check(walked)
    if tasks is None:
        return None, Outcomes()
    walked.side()  # read past it on the pipe even when ``check`` did not ask
    rels = sorted(set(reader.sizes) - {"METS.xml"})
    total, outcomes = len(rels), Outcomes()
    while batch := take_many(shared, front=False):
        if progress is not None:  # files claimed by either process so far
            progress(min(total, int(shared[0]) + total - int(shared[1]) - len(batch)), total)
        for i in batch:
            outcomes.put(rels[i], hash_or_error(reader, rels[i], _SHA256_ONLY, keepable(rels[i])))
    del rels
    for rel, value in receive.recv().items():
        outcomes.put_packed(rel, Exception(value) if isinstance(value, str) else value)
    if progress is not None:
        progress(total, total)
    return tasks, outcomes


def hash_all(
    reader: PackageReader,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None = None,
    side: Side | None = None,
) -> tuple[T | None, Outcomes]:
    """Read and SHA-256 every file but METS.xml on a worker while ``check`` runs here.

    ``check`` gets a function to call before it needs ``reader.sizes`` (the folder listing);
    when it returns None (nothing to compare) the work stops. A folder is shared with a forked
    process where the platform forks (true parallelism on two cores), a zip with a thread.
    ``progress`` is told how many files are read so far (from this thread, or the reading one).
    ``side`` is a job for the forked worker, run right after the listing (``Walk.side``); without
    a forked worker it is not run.
    """
    if reader.zip is None and can_fork():
        return _with_process(reader, check, progress, side)
    from concurrent.futures import ThreadPoolExecutor

    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="arkivlucka-verify") as pool:
        hashing = pool.submit(walk_and_hash, reader, stop, progress)
        try:
            tasks = check(Walk(None, reader, False))
            return tasks, (hashing.result() if tasks is not None else Outcomes())
        finally:
            stop.set()
