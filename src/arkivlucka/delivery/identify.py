"""Package stage, format identification: each payload file's PRONOM format, by siegfried, offline.

siegfried (through ``pygfried``, with its embedded PRONOM signatures; nothing is fetched)
gives the PUID, format name and version and the MIME type. The METS MIMETYPE then comes from
the identification rather than the file name's extension; PREMIS gets a ``file`` object with
the format in ``formatRegistry``. An unidentified file keeps its extension's MIME type and is
reported; a match on the extension alone is said so in the object's format note.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from arkivlucka.core.findings import Finding, warning
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


def _match(entry: dict[str, Any]) -> Identification:
    matches = [m for m in entry.get("matches") or [] if m.get("ns") == "pronom"]
    if not matches:
        return Identification(UNKNOWN, warning=entry.get("errors") or "no match")
    m = matches[0]
    return Identification(
        str(m.get("id") or UNKNOWN),
        m.get("format") or None,
        m.get("version") or None,
        m.get("mime") or None,
        m.get("basis") or None,
        m.get("warning") or None,
    )


Identified = tuple[list["PlannedFile"], list[IdentifiedFile], list[Finding]]


def start(files: list[PlannedFile], enabled: bool = True) -> Future[Identified]:
    """Identify the payload on a thread of its own (siegfried releases the GIL) while copying."""
    if not enabled:
        done: Future[Identified] = Future()
        done.set_result((files, [], []))
        return done
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arkivlucka-identify")
    future = pool.submit(identify_payload, files)
    pool.shutdown(wait=False)
    return future


def mimetypes_by_rel(files: list[PlannedFile]) -> dict[str, str]:
    """The MIME type of each planned file by package path (after identification)."""
    return {f.rel: f.mimetype for f in files}


IDENTIFY_BATCH = 500  # files per siegfried call: its detailed result is held whole per call


def identify(
    paths: list[Path], on_done: Callable[[int], None] | None = None
) -> tuple[dict[Path, Identification], str]:
    """Identify every file; return the results by path and the identifying tool's name.

    siegfried is asked for ``IDENTIFY_BATCH`` files at a time (its detailed result for each
    call is held whole), and equal results share one ``Identification``. ``on_done`` gets the
    number of files identified after each call.
    """
    import pygfried

    tool = f"siegfried {pygfried.version()}"
    found: dict[Path, Identification] = {}
    shared: dict[Identification, Identification] = {}
    for start in range(0, len(paths), IDENTIFY_BATCH):
        batch = paths[start : start + IDENTIFY_BATCH]
        result = pygfried.identify_many([str(p) for p in batch])
        if start == 0:
            details = "; ".join(i.get("details", "") for i in result.get("identifiers") or [])
            tool = f"siegfried {result.get('siegfried', pygfried.version())}" + (
                f" ({details})" if details else ""
            )
        by_name = {
            str(e.get("filename")): _match(cast("dict[str, Any]", e))
            for e in result.get("files") or []
        }
        del result
        for p in batch:
            ident = by_name.get(str(p), NOT_SCANNED)
            found[p] = shared.setdefault(ident, ident)
        if on_done is not None:
            on_done(len(batch))
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
    listed: list[FileEntry], identifying: Future[Identified], findings: list[Finding]
) -> list[FileEntry]:
    """The copied files with the MIME types their identification gave (waits for it)."""
    files, _formats, found = identifying.result()
    findings += found
    mimes = mimetypes_by_rel(files)
    return [replace(e, mimetype=mimes.get(e.rel, e.mimetype)) for e in listed]
