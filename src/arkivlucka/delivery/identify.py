"""Package stage, format identification: each payload file's PRONOM format, by siegfried, offline.

siegfried (through ``pygfried``, with its embedded PRONOM signatures; nothing is fetched)
gives the PUID, format name and version and the MIME type. The METS MIMETYPE then comes from
the identification rather than the file name's extension; PREMIS gets a ``file`` object with
the format in ``formatRegistry``. An unidentified file keeps its extension's MIME type and is
reported; a match on the extension alone is said so in the object's format note.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from arkivlucka.core.findings import Finding, warning
from arkivlucka.delivery.identify_worker import Found
from arkivlucka.delivery.layout import PlannedFile
from arkivlucka.delivery.mets import FileEntry

UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class Identification:
    """A file's format as siegfried identified it (``puid`` UNKNOWN when it could not)."""

    puid: str
    name: str | None = None
    version: str | None = None
    mime: str | None = None
    basis: str | None = None
    warning: str | None = None

    @property
    def known(self) -> bool:
        """Whether a PRONOM format was found."""
        return self.puid not in ("", UNKNOWN)


@dataclass(frozen=True, slots=True)
class IdentifiedFile:
    """A payload file of the package with its format, for PREMIS."""

    rel: str
    original: str
    format: Identification
    #: the identifying software, e.g. "siegfried 1.11.9 (DROID_SignatureFile_V125.xml; …)"
    tool: str


Identified = tuple[list["PlannedFile"], list[IdentifiedFile], list[Finding]]


class Pending:
    """Identification running on a thread of its own; ``result`` waits for it to end."""

    def __init__(self, files: list[PlannedFile], enabled: bool) -> None:
        self._result: Identified = (files, [], [])
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if enabled:
            self._thread = threading.Thread(
                target=self._run, args=(files,), name="arkivlucka-identify", daemon=True
            )
            self._thread.start()

    def _run(self, files: list[PlannedFile]) -> None:
        try:
            self._result = identify_payload(files)
        except BaseException as exc:  # given to the caller by ``result``
            self._error = exc

    def result(self) -> Identified:
        """The identification (the thread has ended: no thread of it is left running)."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def start(files: list[PlannedFile], enabled: bool = True) -> Pending:
    """Identify the payload while the files are copied (a thread that waits on ``identify``)."""
    return Pending(files, enabled)


def mimetypes_by_rel(files: list[PlannedFile]) -> dict[str, str]:
    """The MIME type of each planned file by package path (after identification)."""
    return {f.rel: f.mimetype for f in files}


IN_PROCESS_BELOW = 1000  # files; fewer are identified on a thread here (no process start-up)
CHUNK = 2000  # files per task of the identifying process
TASKS_PER_PROCESS = 2  # then a fresh process: siegfried's heap grows with the files it saw


def identify(
    paths: list[Path], on_done: Callable[[int], None] | None = None
) -> tuple[dict[Path, Identification], str]:
    """Identify every file; return the results by path and the identifying tool's name.

    From ``IN_PROCESS_BELOW`` files on, siegfried runs in a spawned process of its own (it
    holds the GIL, so on a thread it would stall the copying), ``CHUNK`` files a task and a
    fresh process every ``TASKS_PER_PROCESS`` tasks; equal results share one
    ``Identification``. ``on_done`` gets the number of files identified after each task.
    """
    from arkivlucka.delivery.identify_worker import identify_chunk

    names = [str(p) for p in paths]
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)] or [[]]
    if len(names) < IN_PROCESS_BELOW:
        return _collect(paths, map(identify_chunk, chunks), on_done)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")

    def in_processes() -> Iterator[tuple[dict[str, Found], str]]:
        # a fresh process for each group of tasks (max_tasks_per_child can hang on 3.11)
        for start in range(0, len(chunks), TASKS_PER_PROCESS):
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                yield from pool.map(identify_chunk, chunks[start : start + TASKS_PER_PROCESS])

    return _collect(paths, in_processes(), on_done)


def _collect(
    paths: list[Path], results: Iterable[tuple[dict[str, Found], str]],
    on_done: Callable[[int], None] | None,
) -> tuple[dict[Path, Identification], str]:  # fmt: skip
    found: dict[Path, Identification] = {}
    shared: dict[Found, Identification] = {}
    tool = ""
    n = 0
    for by_name, named in results:
        tool = tool or named
        size = min(CHUNK, len(paths) - n)
        for p in paths[n : n + size]:
            got = by_name.get(str(p))
            if got is None:
                found[p] = NOT_SCANNED
                continue
            ident = shared.get(got)
            if ident is None:
                ident = shared[got] = Identification(*got)
            found[p] = ident
        n += size
        if on_done is not None:
            on_done(size)
    return found, tool


NOT_SCANNED = Identification(UNKNOWN, warning="not scanned")


def identify_payload(
    files: list[PlannedFile],
) -> tuple[list[PlannedFile], list[IdentifiedFile], list[Finding]]:
    """Identify the payload files of a plan: MIME types replaced, formats and findings returned."""
    payload = [f for f in files if f.group == "representation" and f.source is not None]
    try:
        found, tool = identify([f.source for f in payload if f.source is not None])
    except ImportError:
        msg = "format identification needs the pygfried package, which is not installed"
        return files, [], [warning("format-unidentified", msg, param="identify")] if payload else []
    out: list[PlannedFile] = []
    formats: list[IdentifiedFile] = []
    findings: list[Finding] = []
    chosen = {id(f) for f in payload}
    for f in files:
        ident = found.get(f.source) if f.source is not None and id(f) in chosen else None
        if ident is None:
            out.append(f)
            continue
        formats.append(IdentifiedFile(f.rel, f.source.name if f.source else f.rel, ident, tool))
        if ident.known and ident.mime:
            f = replace(f, mimetype=ident.mime.split(",")[0].strip())
        elif not ident.known:
            findings.append(
                warning(
                    "format-unidentified",
                    f"{f.rel}: the format could not be identified (PRONOM); its MIME type is "
                    f"from the file name ({f.mimetype})",
                    file=str(f.source),
                    path=f.rel,
                )
            )
        out.append(f)
    return out, formats, findings


def identified(
    listed: list[FileEntry], identifying: Pending, findings: list[Finding]
) -> list[FileEntry]:
    """The copied files with the MIME types their identification gave (waits for it)."""
    files, _formats, found = identifying.result()
    findings += found
    mimes = mimetypes_by_rel(files)
    return [
        e if (m := mimes.get(e.rel, e.mimetype)) == e.mimetype else replace(e, mimetype=m)
        for e in listed
    ]
