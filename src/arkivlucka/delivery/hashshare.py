"""Verify stage, reading every file once: listing and hashing shared with a forked worker.

While the caller checks the METS files, every file but METS.xml is read and SHA-256-hashed:
for a folder by a forked worker from the front of the sorted list (it also lists the package
first and runs a side job, ``Walk.side``), and by this process from the back once the check is
done, until the two meet; for a zip, by a thread. Outcomes are kept compactly (``Outcomes``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from arkivlucka.delivery.reader import SHA256_ONLY, PackageReader, Progress, hash_or_error
from arkivlucka.files.forked import Child, Counters, Sender, can_fork, pack, worker
from arkivlucka.files.workshare import work_batch

T = TypeVar("T")


Outcome = tuple[int, dict[str, str], bytes | None] | Exception


def _pack(outcome: Outcome) -> object:
    """The common outcome (SHA-256 only, bytes not kept) as ``(size, digest)``; others as is."""
    if isinstance(outcome, tuple) and outcome[2] is None and len(outcome[1]) == 1:
        hexes = outcome[1]
        if "SHA-256" in hexes:
            return (outcome[0], bytes.fromhex(hexes["SHA-256"]))
    return outcome


class Outcomes:
    """What reading each file gave, by path; held compactly (50,000 files: a few MB).

    ``checked``: what the worker's ``kept`` job made of a file whose bytes it kept (its
    validation findings, for a metadata document); that file's bytes are not sent.
    """

    __slots__ = ("_by_path", "checked")

    def __init__(self) -> None:
        self._by_path: dict[str, object] = {}
        self.checked: dict[str, Any] = {}

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

    def sha256(self, rel: str) -> tuple[int, str] | None:
        """The size and SHA-256 of ``rel`` in the common case (only that digest, no bytes kept)."""
        value = self._by_path.get(rel)
        if isinstance(value, tuple) and len(value) == 2:
            return value[0], value[1].hex()
        return None

    def __len__(self) -> int:
        return len(self._by_path)


def hash_packed(reader: PackageReader, rel: str) -> object:
    """``rel`` read and SHA-256-hashed, packed (``_pack``); an error as the exception."""
    return _pack(hash_or_error(reader, rel, SHA256_ONLY, keepable(rel)))


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
        out.put(rel, hash_or_error(reader, rel, SHA256_ONLY, keepable(rel)))
    if progress is not None and not stop.is_set():
        progress(len(rels), len(rels))
    return out


#: a job for the forked worker, run after the listing; its result is sent to the main process
Side = Callable[[PackageReader], dict[str, Any]]
#: a job for the forked worker on each file whose bytes it kept (``keepable``): path, bytes →
#: what is sent instead of the bytes (``Outcomes.checked``)
Kept = Callable[[str, bytes], Any]


class Walk:
    """Given to ``check``: call it before using ``reader.sizes``; ``side()`` is the side job's result.

    The side job (``hash_all``'s ``side``) runs on the forked worker right after the listing;
    ``side()`` waits for its result (None when there is no worker or no side job).
    """

    def __init__(self, receive: Child | None, reader: PackageReader, side: bool) -> None:
        self._receive, self._reader, self._has_side = receive, reader, side
        self._walked = False
        self._side: dict[str, Any] | None = None
        #: work to do while the side job's result has not come (returns False when there is none)
        self.idle: Callable[[], bool] | None = None

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
            while self.idle is not None and not self._receive.ready():
                if not self.idle():
                    break  # nothing left to do meanwhile: wait
            self._side = self._receive.recv()
        return self._side


def _hash_in_child(
    conn: Sender, shared: Counters, reader: PackageReader, side: Side | None, kept: Kept | None
) -> None:
    """Forked worker: list, run the side job, send both, hash, send.

    Files are hashed from the front of the list (the main process takes them from the back).
    A file whose bytes are kept goes through ``kept`` when given, and its result is sent
    instead of the bytes (if ``kept`` fails, the bytes are sent as before).
    """
    try:
        reader.walk()
        rels = sorted(set(reader.sizes) - {"METS.xml"})
        shared[1] = len(rels)
        listing = pack((reader.sizes, reader.findings))
        # the listing goes first when the pipe holds it (sending does not wait for the main
        # process, busy with the package METS), else after the side job
        early = side is not None and conn.send_packed(listing, only_if_room=True)
        done: dict[str, Any] = {}
        if side is not None:
            try:
                done = side(reader)
            except Exception:  # the main process then reads the documents itself
                done = {}
        if not early:
            conn.send_packed(listing)
        if side is not None:
            conn.send(done)
        out: dict[str, object] = {}
        checked: dict[str, Any] = {}

        def hash_one(i: int) -> int:
            packed = hash_packed(reader, rels[i])
            if isinstance(packed, Exception):
                out[rels[i]] = f"{type(packed).__name__}: {packed}"
                return 0
            # bytes kept: a metadata document, for ``kept``
            if kept and isinstance(packed, tuple) and len(packed) == 3 and packed[2] is not None:
                packed = _checked(rels[i], packed, kept, checked)
            out[rels[i]] = packed
            return packed[0]  # type: ignore[index, no-any-return]  # (size, ...)

        while work_batch(shared, True, hash_one):
            pass
        conn.send((out, checked))
    finally:
        conn.close()


def _checked(
    rel: str, outcome: tuple[int, dict[str, str], bytes], kept: Kept, checked: dict[str, Any]
) -> object:
    """On the worker: ``kept`` run on a file's bytes; the outcome then packed without them."""
    try:
        checked[rel] = kept(rel, outcome[2])
    except Exception:  # the main process gets the bytes and does it itself
        return outcome
    return _pack((outcome[0], outcome[1], None))


def _with_process(
    reader: PackageReader,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None = None,
    side: Side | None = None,
    kept: Kept | None = None,
) -> tuple[T | None, Outcomes]:
    """Hash with a forked worker from the front of the list, this process from the back.

    This process joins once METS is checked, so both cores share the reading and hashing.
    """
    with worker([0, 0], _hash_in_child, reader, side, kept) as (receive, shared):
        try:
            return _share(reader, receive, shared, check, progress, side)
        except EOFError:
            raise OSError("the verify worker process ended unexpectedly") from None


def _share(
    reader: PackageReader,
    receive: Child,
    shared: Counters,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None,
    side: Side | None,
) -> tuple[T | None, Outcomes]:
    """``_with_process`` in the parent: check, then hash from the back, then collect.

    While ``check`` waits for the side job's result, this process hashes from the back too.
    """
    walked = Walk(receive, reader, side is not None)
    back = _Back(reader, shared)
    walked.idle = back.step
    tasks = check(walked)
    if tasks is None:
        return None, Outcomes()
    walked.side()  # read past it on the pipe even when ``check`` did not ask
    while back.step(progress):
        pass
    outcomes = back.outcomes
    total = len(back.rels or ())
    back.rels = None
    results, outcomes.checked = receive.recv()
    for rel, value in results.items():
        outcomes.put_packed(rel, Exception(value) if isinstance(value, str) else value)
    if progress is not None:
        progress(total, total)
    return tasks, outcomes


class _Back:
    """The main process's share of the hashing: batches claimed from the back of the list."""

    def __init__(self, reader: PackageReader, shared: Counters) -> None:
        self.reader, self.shared = reader, shared
        self.outcomes = Outcomes()
        self.rels: list[str] | None = None  # known once the listing is (``Walk``)

    def step(self, progress: Progress | None = None) -> bool:
        """Hash one batch; False when none is left."""
        if self.rels is None:
            self.rels = sorted(set(self.reader.sizes) - {"METS.xml"})
        rels, shared, total = self.rels, self.shared, len(self.rels)

        def told(batch: range) -> None:  # files claimed by either process so far
            assert progress is not None
            progress(min(total, int(shared[0]) + total - int(shared[1]) - len(batch)), total)

        def hash_one(i: int) -> int:
            packed = hash_packed(self.reader, rels[i])
            self.outcomes.put_packed(rels[i], packed)
            return 0 if isinstance(packed, Exception) else packed[0]  # type: ignore[index]

        return work_batch(shared, False, hash_one, told if progress is not None else None)


def hash_all(
    reader: PackageReader,
    check: Callable[[Callable[[], object]], T | None],
    progress: Progress | None = None,
    side: Side | None = None,
    kept: Kept | None = None,
) -> tuple[T | None, Outcomes]:
    """Read and SHA-256 every file but METS.xml on a worker while ``check`` runs here.

    ``check`` gets a function to call before it needs ``reader.sizes`` (the folder listing);
    when it returns None (nothing to compare) the work stops. A folder is shared with a forked
    process where the platform forks (true parallelism on two cores), a zip with a thread.
    ``progress`` is told how many files are read so far (from this thread, or the reading one).
    ``side`` is a job for the forked worker, run right after the listing (``Walk.side``), and
    ``kept`` one on each file whose bytes it keeps (``Outcomes.checked``); without a forked
    worker neither is run.
    """
    if reader.zip is None and can_fork():
        return _with_process(reader, check, progress, side, kept)
    from concurrent.futures import ThreadPoolExecutor

    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="arkivlucka-verify") as pool:
        hashing = pool.submit(walk_and_hash, reader, stop, progress)
        try:
            tasks = check(Walk(None, reader, False))
            return tasks, (hashing.result() if tasks is not None else Outcomes())
        finally:
            stop.set()
