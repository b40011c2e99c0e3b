"""Verify stage: check any CSIP package (folder or zip, read in place) against its METS and the rules.

Structure, files listed vs present, sizes and checksums (each file read once, streamed),
schema validity of METS, PREMIS and our own documents, and every CSIP/SIP requirement a
machine can check, in the package METS and each representation METS. Findings are named by
requirement id (CSIP79, SIP4, ...) or by a documented code.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arkivlucka.core.collector import paused
from arkivlucka.core.findings import Finding, error
from arkivlucka.delivery import vocab
from arkivlucka.delivery.hashshare import hash_all
from arkivlucka.delivery.reader import (
    SHA256_ONLY,
    XML_HOLD,
    PackageReader,
    Progress,
    hash_or_error,
)
from arkivlucka.files.forked import lone_thread
from arkivlucka.files.zipsafe import ZipLimits

if TYPE_CHECKING:
    from arkivlucka.delivery import fixity
    from arkivlucka.delivery.verify_read import Plan

# Light on purpose: the forked worker starts listing and hashing the package before lxml, the
# METS reading and the requirement rules are imported (``verify_mets``, ``fixity``); on a small
# package those imports are a good part of the whole run.


@dataclass
class VerifyResult:
    """What ``verify`` found, with counts for the summary line."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    #: requirement ids not checked here (a vocabulary not found, an unsupported version)
    skipped: set[str] = field(default_factory=set)
    #: whether the METS files were read and the requirement checks run at all
    checked: bool = False
    #: whether the package declares itself a SIP (the SIP requirements apply)
    sip: bool = False
    #: the E-ARK version the package declares when it is not 2.1.0
    version: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the package passed (no error findings)."""
        return not any(f.is_error for f in self.findings)

    @property
    def not_verified(self) -> int:
        """How many schema checks did not run because an official schema is missing or changed.

        One per document (a document whose schema needs several missing files counts once).
        """
        from arkivlucka.xmldoc.official import CODES

        return len({(f.file, f.line) for f in self.findings if f.code in CODES})


def verify_package(
    path: str | Path,
    schema_dir: str | Path | None = None,
    limits: ZipLimits | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> VerifyResult:
    """Verify the package at ``path`` (folder or zip); never extracts anything.

    ``now`` (default: the clock) is what a METS date may not be later than. ``progress``, when
    given, is called with (files read so far, files to read) while the files are read and
    hashed, possibly from a worker thread; it must not raise.
    """
    path = Path(path)
    schema_dir = Path(schema_dir) if schema_dir is not None else None
    token = vocab.SCHEMA_DIR.set(schema_dir)
    try:
        with paused():  # tens of thousands of tuples, no cycles: no collection meanwhile
            return _verify(path, schema_dir, limits, now, progress)
    finally:
        vocab.SCHEMA_DIR.reset(token)


def _side(schema_dir: Path | None, alone: bool) -> Callable[[PackageReader], dict[str, Any]]:
    """The forked worker's side job (``verify_read.side_job``), and how it gets its plan.

    ``alone`` (no other thread running): it works the plan out itself, after the fork. Not in
    a program with other threads running: one of them may hold an import's lock at the fork,
    and the worker would wait for it for ever; there everything it needs is loaded and worked
    out here first.
    """
    if alone:

        def needs() -> Plan | None:
            from arkivlucka.delivery.verify_read import plan

            return plan(schema_dir)
    else:
        from arkivlucka.delivery import verify_mets  # noqa: F401  (loaded before the fork)
        from arkivlucka.delivery.verify_read import plan

        ready = plan(schema_dir)

        def needs() -> Plan | None:
            return ready

    def job(reader: PackageReader) -> dict[str, Any]:
        from arkivlucka.delivery.verify_read import side_job

        return side_job(reader, needs)

    return job


def _kept(schema_dir: Path | None, alone: bool) -> Callable[[str, bytes], list[Finding]] | None:
    """The forked worker's job on a metadata document it read: validate it there.

    The main process then gets the findings instead of the bytes, and has that much less to
    do once the hashing ends. Only ``alone`` (see ``_side``): the validation may import what
    is not loaded yet.
    """
    if not alone:
        return None

    def job(rel: str, data: bytes) -> list[Finding]:
        from arkivlucka.delivery.verify_read import xml_findings

        return xml_findings(data, rel, schema_dir)

    return job


def _no_mets(reader: PackageReader, path: Path) -> Finding:
    """CSIPSTR4, with a hint: a folder of packages, or METS.xml in other capitals."""
    hint = ""
    if reader.inner:
        names = ", ".join(sorted(p.name for p in reader.inner))
        hint = (
            f" (it is a folder holding other files and the package folder(s) {names}: verify those)"
        )
    if reader.zip is not None:
        top = [n for n in reader.sizes if "/" not in n]
    else:
        try:
            top = os.listdir(reader.base)
        except OSError:
            top = []
    near = sorted(n for n in top if n.lower() == "mets.xml")
    if near:
        hint = f" (there is {near[0]}; the name must be METS.xml, in capitals)"
    return error("CSIPSTR4", f"the package root has no METS.xml{hint}", file=str(path))


def _verify(
    path: Path,
    schema_dir: Path | None,
    limits: ZipLimits | None,
    now: datetime | None,
    progress: Progress | None,
) -> VerifyResult:
    result = VerifyResult(str(path))
    if not path.exists():
        result.findings.append(error("CSIPSTR1", "no such file or folder", file=str(path)))
        return result
    if not path.is_dir() and not path.is_file():
        result.findings.append(
            error(
                "CSIPSTR1",
                "neither a folder nor a file (a pipe or device?)",
                file=str(path),
            )
        )
        return result
    reader = PackageReader(path, limits or ZipLimits())
    result.findings += reader.findings
    if any(f.code.startswith("zip-") and f.is_error for f in reader.findings) or (
        reader.zip is None and not path.is_dir()
    ):
        return result
    if not reader.has("METS.xml"):
        from arkivlucka.delivery import (
            verify12,
        )  # FGS Paketstruktur 1.2: sip.xml or mets.xml

        if verify12.mets_name(reader):
            return verify12.verify_12(reader, path, schema_dir, result, progress)
        result.findings.append(_no_mets(reader, path))
        return result
    # Every file but METS.xml is read and SHA-256-hashed from the start by a worker (a forked
    # process for a folder where the platform forks, else a thread), while this thread
    # parses, validates and checks the METS files. Files METS gives another algorithm for
    # are read again with it (rare: CSIP packages use SHA-256).
    known, when = len(reader.findings), now or datetime.now(UTC)

    def check(walked: Callable[[], object]) -> list[fixity.Task] | None:
        from arkivlucka.delivery.verify_mets import check_metadata  # the worker is at work

        return check_metadata(reader, path, schema_dir, result, walked, when)

    try:
        alone = lone_thread()  # one answer for both jobs
        side, kept = _side(schema_dir, alone), _kept(schema_dir, alone)
        tasks, outcomes = hash_all(reader, check, progress, side, kept)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        result.findings.append(
            error("unreadable", f"the package cannot be read: {exc}", file=str(path))
        )
        return result
    result.findings += reader.findings[known:]
    from arkivlucka.delivery import fixity  # imported by the METS check already

    checked_all = outcomes.checked
    for rel, items, wanted, keep in tasks or []:
        plain = not keep and wanted == SHA256_ONLY and rel not in checked_all
        common = outcomes.sha256(rel) if plain else None
        if common is not None and fixity.agrees(items, *common):
            result.files += 1  # the common case, without building the outcome
            result.bytes += common[0]
            continue
        outcome = outcomes.get(rel) or Exception("not read")
        checked = checked_all.get(rel)  # its bytes validated by the worker (``_kept``)
        again = bool(wanted - {"SHA-256"}) or (
            keep
            and checked is None
            and not isinstance(outcome, Exception)
            and outcome[2] is None
            and outcome[0] <= XML_HOLD
        )
        if again:
            outcome = hash_or_error(reader, rel, wanted, keep)
        size = fixity.compare(reader, rel, items, outcome, schema_dir, result.findings, keep)
        if checked is not None and not again:  # as ``compare`` validates bytes it is given
            result.findings += checked
        if size is not None:
            result.files += 1
            result.bytes += size
    result.files += 1
    if reader.zip is not None:
        reader.zip.close()
    return result
