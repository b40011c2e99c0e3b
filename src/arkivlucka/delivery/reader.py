"""Verify stage, reading: a package's files from a folder or a zip (in place), each read once.

Lists the package and reads and hashes its files (streamed, one buffer per thread);
``hashshare`` shares that work with a forked worker while the caller checks the METS files.
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
from typing import BinaryIO

from arkivlucka.core.findings import Finding, error
from arkivlucka.files.zipsafe import ZipLimits, check_zip, open_zip, real_names

#: told (files read so far, files to read) while a package's files are read and hashed
Progress = Callable[[int, int], object]

CHUNK = 1 << 20
#: the first read of a file on disk: most files of a package are smaller (one read, and a
#: small allocation where a 1 MiB one costs its own memory mapping)
FIRST = 64 << 10
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
#: the algorithms of the common case (CSIP packages use SHA-256)
SHA256_ONLY = frozenset({"SHA-256"})
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
        data = os.read(fd, FIRST)
        if len(data) < FIRST:  # a short read of a regular file is its end
            keep = keep and len(data) <= XML_HOLD
            if algorithms == SHA256_ONLY:  # the common case, without hashlib.new's lookup
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
