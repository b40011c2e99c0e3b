"""Verify stage: check any CSIP package (folder or zip, read in place) against its METS and the rules.

Structure, files listed vs present, sizes and checksums (each file read once, streamed),
schema validity of METS, PREMIS and our own documents, and the CSIP/SIP MUST requirements.
Findings are named by requirement id (CSIP79, SIP4, ...) or by a documented code.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple
from urllib.parse import unquote

from lxml import etree

from arkivlucka import schemas
from arkivlucka.findings import Finding, error, warning
from arkivlucka.validate import validate_tree
from arkivlucka.verify_rules import NS, check_mets
from arkivlucka.xmlsafe import parse_xml
from arkivlucka.zipsafe import ZipLimits, check_zip, member_problem

CHUNK = 1 << 20
XML_KEEP = 64 << 20  # metadata XML up to this size is kept from the checksum pass for validation
ALGORITHMS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
#: requirement ids per kind of reference: (missing file, size, checksum, checksum type)
IDS = {
    "file": ("CSIP79", "CSIP69", "CSIP71", "CSIP72"),
    "dmd": ("CSIP24", "CSIP27", "CSIP29", "CSIP30"),
    "digiprov": ("CSIP38", "CSIP41", "CSIP43", "CSIP44"),
    "rights": ("CSIP51", "CSIP54", "CSIP56", "CSIP57"),
    "mptr": ("CSIP110", "", "", ""),
}


class Listing(NamedTuple):
    """One reference in a METS file to a file of the package."""

    kind: str
    path: str
    size: str | None
    checksum: str | None
    checksum_type: str | None
    mdtype: str | None
    mets: str
    line: int | None


@dataclass
class VerifyResult:
    """What ``verify`` found, with counts for the summary line."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        """Whether the package passed (no error findings)."""
        return not any(f.is_error for f in self.findings)


class _Reader:
    """The files of a package, by path relative to its root; a folder or a zip read in place."""

    def __init__(self, path: Path, limits: ZipLimits) -> None:
        self.path, self.root = path, ""
        self.zip: zipfile.ZipFile | None = None
        self.sizes: dict[str, int] = {}
        self.findings: list[Finding] = []
        self.root_name = path.name
        self.walked = threading.Event()
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
        base = path
        if not (path / "METS.xml").is_file():
            subs = [p for p in path.iterdir() if p.is_dir() and (p / "METS.xml").is_file()]
            if len(subs) == 1:
                base = subs[0]
        self.base, self.root_name = base, base.name

    def _walk(self, folder: str, prefix: str, shown: str) -> None:
        with os.scandir(folder) as items:
            for item in items:
                rel = f"{prefix}{item.name}"
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
                        error("unreadable", f"{rel} is not a regular file", file=shown, path=rel)
                    )

    def _zipfile(self, path: Path, limits: ZipLimits) -> None:
        try:
            zf = self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            self.findings.append(
                error("CSIPSTR1", f"neither a folder nor a readable zip: {exc}", file=str(path))
            )
            return
        self.findings += check_zip(zf, str(path), limits)
        if self.findings:
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


def _listings(root: etree._Element, mets_rel: str) -> Iterator[Listing]:
    base = mets_rel.rpartition("/")[0]
    href = f"{{{NS['xlink']}}}href"
    for kind, xpath in (
        ("dmd", "mets:dmdSec/mets:mdRef"), ("digiprov", "mets:amdSec/mets:digiprovMD/mets:mdRef"),
        ("rights", "mets:amdSec/mets:rightsMD/mets:mdRef"), ("techmd", "mets:amdSec/mets:techMD/mets:mdRef"),
        ("sourcemd", "mets:amdSec/mets:sourceMD/mets:mdRef"), ("file", "mets:fileSec//mets:file/mets:FLocat"),
        ("mptr", "mets:structMap//mets:mptr"),
    ):  # fmt: skip
        for el in root.iterfind(xpath, NS):
            target = el.get(href)
            if not target:
                continue
            owner = el.getparent() if kind == "file" else el
            assert owner is not None
            rel = (unquote(target) if "%" in target else target).removeprefix("file:")
            while rel.startswith("./"):
                rel = rel[2:]
            yield Listing(
                kind if kind in IDS else "dmd", f"{base}/{rel}" if base else rel,
                owner.get("SIZE"), owner.get("CHECKSUM"), owner.get("CHECKSUMTYPE"), el.get("MDTYPE"),
                mets_rel, el.sourceline if isinstance(el.sourceline, int) else None,
            )  # fmt: skip


def _parse(reader: _Reader, rel: str, out: list[Finding]) -> etree._ElementTree | None:
    tree, found = parse_xml(reader.read(rel), rel)
    out += found
    return tree


_LOCAL = threading.local()


def _buffer() -> bytearray:
    buf = getattr(_LOCAL, "buffer", None)
    if buf is None:
        buf = _LOCAL.buffer = bytearray(CHUNK)
    return buf


def _hash(
    reader: _Reader, rel: str, algorithms: set[str], keep: bool
) -> tuple[int, dict[str, str], bytes | None]:
    """Read one file once, feeding every wanted digest (and keeping it if asked)."""
    if reader.zip is None:
        return _hash_file(os.path.join(reader.base, rel), algorithms, keep)
    digests = {a: hashlib.new(ALGORITHMS[a]) for a in algorithms}
    updaters = list(digests.values())
    size = 0
    kept: list[bytes] | None = [] if keep else None
    buffer = _buffer()
    view = memoryview(buffer)
    with reader.open(rel) as fh:
        while n := fh.readinto(buffer):  # type: ignore[attr-defined]
            chunk = view[:n]
            for d in updaters:
                d.update(chunk)
            size += n
            if kept is not None:
                kept.append(bytes(chunk))
                if size > XML_KEEP:
                    kept = None
    return (
        size,
        {a: d.hexdigest() for a, d in digests.items()},
        b"".join(kept) if kept is not None else None,
    )


def _hash_file(
    path: str, algorithms: set[str], keep: bool
) -> tuple[int, dict[str, str], bytes | None]:
    """Fast path for a file on disk: one read for small files, a reused buffer for large."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, CHUNK)
        if len(data) < CHUNK:  # a short read of a regular file is its end
            digests = {a: hashlib.new(ALGORITHMS[a], data) for a in algorithms}
            return len(data), {a: d.hexdigest() for a, d in digests.items()}, data if keep else None
        digests = {a: hashlib.new(ALGORITHMS[a], data) for a in algorithms}
        updaters = list(digests.values())
        size = len(data)
        kept: list[bytes] | None = [data] if keep else None
        buffer = _buffer()
        view = memoryview(buffer)
        while n := os.readv(fd, [buffer]):
            chunk = view[:n]
            for d in updaters:
                d.update(chunk)
            size += n
            if kept is not None:
                kept.append(bytes(chunk))
                if size > XML_KEEP:
                    kept = None
        return (
            size,
            {a: d.hexdigest() for a, d in digests.items()},
            b"".join(kept) if kept is not None else None,
        )
    finally:
        os.close(fd)


def _hash_or_error(
    reader: _Reader, rel: str, algorithms: set[str], keep: bool
) -> tuple[int, dict[str, str], bytes | None] | Exception:
    try:
        return _hash(reader, rel, algorithms, keep)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        return exc


Task = tuple[str, list[Listing], set[str], bool]
Outcome = tuple[int, dict[str, str], bytes | None] | Exception


def _tasks(reader: _Reader, listings: list[Listing], out: list[Finding]) -> list[Task]:
    """Group the references by file; report unsafe and missing ones; what to read and how."""
    by_path: dict[str, list[Listing]] = {}
    for item in listings:
        problem = member_problem(item.path)
        if problem:
            out.append(
                error(
                    "href-unsafe",
                    f"reference '{item.path}' points outside the package",
                    file=item.mets,
                    line=item.line,
                )
            )
            continue
        by_path.setdefault(item.path, []).append(item)
    present: list[Task] = []
    for path, items in sorted(by_path.items()):
        if path not in reader.sizes:
            for item in items:
                out.append(
                    error(
                        IDS[item.kind][0],
                        f"{path} is listed in METS but missing from the package",
                        file=item.mets,
                        line=item.line,
                        path=path,
                    )
                )
            continue
        wanted = {
            i.checksum_type.upper()
            for i in items
            if i.checksum_type and i.checksum_type.upper() in ALGORITHMS
        }
        keep = path.lower().endswith(".xml") and any(
            i.kind in ("dmd", "digiprov", "rights") for i in items
        )
        present.append((path, items, wanted, keep))
    return present


def _keepable(rel: str) -> bool:
    return rel.startswith("metadata/") and rel.lower().endswith(".xml")


def _walk_and_hash(reader: _Reader, stop: threading.Event) -> dict[str, Outcome]:
    """List the package (folder) and read + SHA-256 every file but METS.xml, in that order."""
    reader.walk()
    out: dict[str, Outcome] = {}
    for rel in sorted(set(reader.sizes) - {"METS.xml"}):
        if stop.is_set():
            break
        out[rel] = _hash_or_error(reader, rel, {"SHA-256"}, _keepable(rel))
    return out


def _take(shared: Any, front: bool) -> int | None:
    """Claim the next file index from the front (worker) or the back (main process)."""
    with shared.get_lock():
        lo, hi = shared[0], shared[1]
        if lo >= hi:
            return None
        if front:
            shared[0] = lo + 1
            return int(lo)
        shared[1] = hi - 1
        return int(hi - 1)


def _hash_in_child(reader: _Reader, conn: Connection, shared: Any) -> None:
    """Forked worker: list the folder, send the listing, hash files from the front, send."""
    try:
        reader.walk()
        rels = sorted(set(reader.sizes) - {"METS.xml"})
        shared[1] = len(rels)
        conn.send((reader.sizes, reader.findings))
        out: dict[str, Any] = {}
        while (i := _take(shared, front=True)) is not None:
            outcome = _hash_or_error(reader, rels[i], {"SHA-256"}, _keepable(rels[i]))
            out[rels[i]] = (
                f"{type(outcome).__name__}: {outcome}"
                if isinstance(outcome, Exception)
                else outcome
            )
        conn.send(out)
    finally:
        conn.close()


def _verify_with_process(
    reader: _Reader, path: Path, schema_dir: Path | None, result: VerifyResult
) -> tuple[list[Task] | None, dict[str, Outcome]]:
    """Hash with a forked worker from the front of the list, this process from the back.

    This process joins once METS is checked, so both cores share the reading and hashing.
    """
    context = multiprocessing.get_context("fork")
    shared = context.Array("q", [0, 0])
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_hash_in_child, args=(reader, send, shared), daemon=True)
    worker.start()
    send.close()

    def walked() -> None:
        sizes, findings = receive.recv()
        reader.sizes.update(sizes)
        reader.findings += findings
        reader.walked.set()

    try:
        tasks = _check_metadata(reader, path, schema_dir, result, walked)
        if tasks is None:
            return None, {}
        rels = sorted(set(reader.sizes) - {"METS.xml"})
        outcomes: dict[str, Outcome] = {}
        while (i := _take(shared, front=False)) is not None:
            outcomes[rels[i]] = _hash_or_error(reader, rels[i], {"SHA-256"}, _keepable(rels[i]))
        for rel, value in receive.recv().items():
            outcomes[rel] = Exception(value) if isinstance(value, str) else value
        return tasks, outcomes
    except EOFError:
        raise OSError("the verify worker process ended unexpectedly") from None
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        receive.close()


def _check_metadata(
    reader: _Reader,
    path: Path,
    schema_dir: Path | None,
    result: VerifyResult,
    walked: Callable[[], object],
) -> list[Task] | None:
    """Parse, validate and check METS (and representation METS); return what to compare."""
    trees: list[tuple[str, etree._ElementTree]] = []
    tree = _parse(reader, "METS.xml", result.findings)
    if tree is None:
        return None
    trees.append(("METS.xml", tree))
    root = tree.getroot()
    listings = list(_listings(root, "METS.xml"))
    walked()
    for item in [i for i in listings if i.kind == "mptr"]:
        if item.path in reader.sizes and item.path.endswith(".xml"):
            rep = _parse(reader, item.path, result.findings)
            if rep is not None:
                trees.append((item.path, rep))
                listings += _listings(rep.getroot(), item.path)
    tasks = _tasks(reader, listings, result.findings)
    for rel, parsed in trees:
        result.findings += validate_tree(parsed, rel, external_dir=schema_dir)
    result.findings += check_mets(root, "METS.xml")
    if root.get("OBJID") and root.get("OBJID") != reader.root_name:
        result.findings.append(
            warning(
                "CSIPSTR2",
                f"the root folder '{reader.root_name}' is not named by the OBJID "
                f"'{root.get('OBJID')}'",
                file=str(path),
            )
        )
    listed = {i.path for i in listings}
    for rel in sorted(set(reader.sizes) - listed - {"METS.xml"}):
        result.findings.append(
            error(
                "file-unlisted",
                f"{rel} is in the package but not listed in any METS file",
                file=str(path),
                path=rel,
            )
        )
    return tasks


def _compare(
    path: str,
    items: list[Listing],
    outcome: tuple[int, dict[str, str], bytes | None] | Exception,
    schema_dir: Path | None,
    result: VerifyResult,
) -> None:
    out = result.findings
    if isinstance(outcome, Exception):
        out.append(error("unreadable", f"{path}: cannot be read: {outcome}", path=path))
        return
    size, digests, data = outcome
    result.files += 1
    result.bytes += size
    for item in items:
        _, size_id, sum_id, type_id = IDS[item.kind]
        if item.kind == "mptr":
            continue
        if item.size is not None and item.size != str(size):
            out.append(
                error(
                    size_id,
                    f"{path}: METS says SIZE {item.size}, the file has {size} bytes",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
        kind = (item.checksum_type or "").upper()
        if item.checksum and kind not in ALGORITHMS:
            out.append(
                error(
                    type_id,
                    f"{path}: unsupported CHECKSUMTYPE '{item.checksum_type}'",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
        elif item.checksum and digests[kind] != item.checksum.lower():
            out.append(
                error(
                    sum_id,
                    f"{path}: {kind} checksum does not match (the file has changed)",
                    file=item.mets,
                    line=item.line,
                    path=path,
                )
            )
    if data is not None:
        tree, found = parse_xml(data, path)
        out += found
        if tree is not None:
            out += [
                f
                for f in validate_tree(tree, path, external_dir=schema_dir)
                if f.code != "xml-unknown-kind"
            ]


def verify_package(
    path: Path, schema_dir: Path | None = None, limits: ZipLimits | None = None
) -> VerifyResult:
    """Verify the package at ``path`` (folder or zip); never extracts anything."""
    result = VerifyResult(str(path))
    if not path.exists():
        result.findings.append(error("CSIPSTR1", "no such file or folder", file=str(path)))
        return result
    schema_dir = schemas.external_dir_from_env(schema_dir)
    if schema_dir is None and (path.parent / "schemas" / "mets.xsd").is_file():
        schema_dir = path.parent / "schemas"
    reader = _Reader(path, limits or ZipLimits())
    result.findings += reader.findings
    if any(f.code.startswith("zip-") for f in reader.findings) or (
        reader.zip is None and not path.is_dir()
    ):
        return result
    if not reader.has("METS.xml"):
        result.findings.append(
            error("CSIPSTR4", "the package root has no METS.xml", file=str(path))
        )
        return result
    # Every file but METS.xml is read and SHA-256-hashed from the start by a worker (a forked
    # process for a folder where the platform forks, else a thread), while this thread
    # parses, validates and checks the METS files. Files METS gives another algorithm for
    # are read again with it (rare: CSIP packages use SHA-256).
    known = len(reader.findings)
    if reader.zip is None and "fork" in multiprocessing.get_all_start_methods():
        tasks, outcomes = _verify_with_process(reader, path, schema_dir, result)
    else:
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="arkivlucka-verify") as pool:
            hashing = pool.submit(_walk_and_hash, reader, stop)
            try:
                tasks = _check_metadata(reader, path, schema_dir, result, reader.walked.wait)
                outcomes = hashing.result() if tasks is not None else {}
            finally:
                stop.set()
    result.findings += reader.findings[known:]
    for rel, items, wanted, keep in tasks or []:
        outcome = outcomes.get(rel) or Exception("not read")
        if wanted - {"SHA-256"} or (
            keep and not isinstance(outcome, Exception) and outcome[2] is None
        ):
            outcome = _hash_or_error(reader, rel, wanted, keep)
        _compare(rel, items, outcome, schema_dir, result)
    result.files += 1
    if reader.zip is not None:
        reader.zip.close()
    return result
