"""Package stage, writing: stream the planned files into a folder or zip, add METS and PREMIS, seal.

Every file is read once: its SHA-256 and size are computed while it is copied. The package is
built beside the target under a temporary name and renamed only when every XML in it is
valid, so a failed run never leaves a half-package under the final name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.findings import Finding, warning
from arkivlucka.delivery import eac, mets, mets_stream, premis_stream, selfcheck
from arkivlucka.delivery import identify as identification
from arkivlucka.delivery.config import PackageSettings
from arkivlucka.delivery.layout import REPRESENTATION, PlannedFile, plan_package
from arkivlucka.delivery.sealing import (
    UNVALIDATED_NOTE,
    PackageResult,
    Progress,
    agents,
    cannot_write,
    check_file,
    default_label,
    prepare,
    remove,
    resolve_objid,
    seal,
    temp_target,
    write_files,
)
from arkivlucka.delivery.sink import Sink
from arkivlucka.files.forked import can_fork, lone_thread
from arkivlucka.files.leftovers import sweep
from arkivlucka.incident.load import LoadedIncident

PREMIS_FILE = "metadata/preservation/premis.xml"
SELF_CHECK_BATCH = 1000  # payload files per tree of the CSIP/SIP self-check


def build_package(
    incident_path: str | Path,
    entries_dir: str | Path,
    output: str | Path,
    ctx: RunContext,
    *,
    settings: PackageSettings | None = None,
    form: str | Path | None = None,
    payloads: Sequence[str | Path] | None = None,
    anonymise: bool = False,
    schema_dir: Path | None = None,
    official_schemas: bool = True,
    overwrite: bool = False,
    profile: str | None = None,
    creator: str | None = None,
    identify: bool = True,
    progress: Progress | None = None,
) -> PackageResult:
    """Build the E-ARK SIP for an incident at ``output`` (a folder, or a zip if it ends .zip).

    ``profile`` (else ``settings.profile``) ``fgs-1.2`` makes an FGS Paketstruktur 1.2 package
    instead (``package12``); ``fgs-2.0`` or None the E-ARK SIP 2.1.0 (FGS Paketstruktur 2.0).
    ``creator`` (a records creator's name or key) packages that records creator alone.
    ``identify`` identifies each payload file's PRONOM format (siegfried) for METS and PREMIS.
    ``progress`` is called with (files written, files in all) while the files are copied.

    METS and PREMIS are validated against the official schemas (``schema_dir``, else the usual
    lookup); when they are missing or changed ``OfficialSchemasError`` is raised before anything
    is written. ``official_schemas=False`` seals without them, and the package says so.
    """
    settings = settings or PackageSettings()
    if (profile or settings.profile) == "fgs-1.2":
        from arkivlucka.delivery.package12 import package_12

        return package_12(
            incident_path, entries_dir, output, ctx, settings, form=form, payloads=payloads,
            anonymise=anonymise, schema_dir=schema_dir, official_schemas=official_schemas,
            overwrite=overwrite, creator=creator, identify=identify, progress=progress,
        )  # fmt: skip
    incident_path, entries_dir, output = Path(incident_path), Path(entries_dir), Path(output)
    form = Path(form) if form is not None else None
    paths = [Path(p) for p in payloads or []]
    loaded = prepare(
        incident_path, entries_dir, output, form, paths, schema_dir, official_schemas, overwrite,
        creator,
    )  # fmt: skip
    zipped = output.suffix.lower() == ".zip"
    objid = resolve_objid(settings, output)
    created = ctx.created_iso()
    plan = plan_package(
        loaded, entries_dir, created=created, form=form, payloads=paths, anonymise=anonymise
    )
    findings = plan.findings + eac.add_eac(
        plan.files, loaded, settings, ctx, schema_dir, official_schemas
    )
    identifying = identification.start(plan.files, identify)  # runs while the files are copied
    header, more = _header(loaded, settings, ctx, objid, output, zipped, official_schemas)
    findings += more
    result = PackageResult(output, objid, findings=findings + sweep(output.parent))
    try:
        tmp = temp_target(output, zipped)
        sink = Sink(tmp, objid, zipped, ctx.created)
    except OSError as exc:
        raise cannot_write(output, exc) from None
    try:
        listed, rep_size, mets_size = _write_all(
            sink, plan.files, identifying, header, loaded, ctx, schema_dir, official_schemas,
            result, progress,
        )  # fmt: skip
        sink.close()
        seal(tmp, output, overwrite)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            sink.close()
        remove(tmp)
        if isinstance(exc, OSError):
            raise cannot_write(output, exc) from None
        raise
    result.files = len(listed) + 2
    result.bytes = sum(e.size for e in listed) + rep_size + mets_size
    return result


def _header(
    loaded: LoadedIncident, settings: PackageSettings, ctx: RunContext, objid: str,
    output: Path, zipped: bool, official_schemas: bool,
) -> tuple[mets.Header, list[Finding]]:  # fmt: skip
    """The METS header (agents, OBJID, label, notes) and what is missing or odd about it."""
    creators, submitter, findings = agents(loaded, settings)
    if not zipped and objid != output.name:
        msg = f"the package folder '{output.name}' is not named by its OBJID '{objid}'"
        findings.append(warning("CSIPSTR2", msg, file=str(output)))
    note = None if official_schemas else UNVALIDATED_NOTE
    header = mets.Header(
        objid, settings.label or default_label(loaded), ctx.created_iso(), ctx.tool_name,
        ctx.tool_version, settings, creators, submitter, note,
    )  # fmt: skip
    if not official_schemas:
        findings.append(warning("official-schemas-skipped", UNVALIDATED_NOTE, file=str(output)))
    return header, findings


def _write_all(
    sink: Sink, files: list[PlannedFile], identifying: Any, header: mets.Header,
    loaded: LoadedIncident, ctx: RunContext, schema_dir: Path | None, official_schemas: bool, result: PackageResult,
    progress: Progress | None = None,
) -> tuple[list[mets.FileEntry], int, int]:  # fmt: skip
    """Copy the planned files, then add PREMIS, the representation METS and METS.xml.

    Both METS are written as streams (``mets_stream``) and validated while read back;
    METS.xml is read back as ``verify`` reads it and held to the CSIP/SIP requirements
    (``selfcheck``; on trees of the fixed parts and one batch of payload files each where
    that reading cannot be used).
    """
    created = header.created
    listed = identification.identified(
        write_files(sink, files, progress), identifying, result.findings
    )
    formats = identifying.result()[1]
    note = None if official_schemas else UNVALIDATED_NOTE

    def checked(name: str) -> Callable[[Path], None]:
        def check(path: Path) -> None:
            result.findings += check_file(path, name, schema_dir, official_schemas)

        return check

    def premis_xml(out: BinaryIO) -> None:
        premis_stream.write_premis(out, loaded.incident, header.objid, ctx, note, formats)

    size, digest = sink.add_generated(PREMIS_FILE, premis_xml, checked(PREMIS_FILE))
    listed.append(
        mets.FileEntry(PREMIS_FILE, "preservation", "application/xml", size, created, digest)
    )
    rep_size, mets_size = _write_mets(
        sink, header, listed, result.findings, schema_dir, official_schemas
    )
    return listed, rep_size, mets_size


def _write_mets(
    sink: Sink, header: mets.Header, listed: list[mets.FileEntry], found: list[Finding],
    schema_dir: Path | None, official_schemas: bool,
) -> tuple[int, int]:  # fmt: skip
    """Write the representation METS and METS.xml as streams, self-checked; their sizes.

    In a folder, where the platform forks, the representation METS is validated by a forked
    process while METS.xml is written and checked here (``selfcheck.Beside``).
    """
    prefix = f"representations/{REPRESENTATION}/"
    payload = [e for e in listed if e.group == "representation"]
    fixed = [e for e in listed if e.group != "representation"]
    rep_rel = f"{prefix}METS.xml"
    beside: list[selfcheck.Beside] = []

    def rep_mets(out: BinaryIO) -> None:
        mets_stream.write_representation(
            out, header, REPRESENTATION, lambda: payload, len(payload), len(prefix)
        )

    def rep_check(path: Path) -> None:
        # a zip's scratch copy is gone once it is added; with other threads running, a forked
        # process could wait for ever for a lock one of them held at the fork
        if sink.zip is None and can_fork() and lone_thread():
            try:
                beside.append(
                    selfcheck.Beside(check_file, path, rep_rel, schema_dir, official_schemas)
                )
                return
            except OSError:  # no process to be had (a process limit): checked here instead
                pass
        found.extend(check_file(path, rep_rel, schema_dir, official_schemas))

    try:
        size, digest = sink.add_generated(rep_rel, rep_mets, rep_check)
        rep_entry = mets.FileEntry(
            rep_rel, "representation-mets", "application/xml", size, header.created, digest
        )

        def package_mets(out: BinaryIO) -> None:
            mets_stream.write_package(
                out, header, fixed, rep_entry, lambda: payload, REPRESENTATION
            )

        def batch(n: int) -> etree._Element | None:
            start = n * SELF_CHECK_BATCH
            if start >= max(len(payload), 1):
                return None
            part = payload[start : start + SELF_CHECK_BATCH]
            return mets.package_mets(header, fixed + part, rep_entry, REPRESENTATION)

        def check(path: Path) -> None:
            # read back as verify reads it: validated and held to the requirements in one pass
            if official_schemas and selfcheck.check_written(path, "METS.xml", schema_dir):
                return
            found.extend(check_file(path, "METS.xml", schema_dir, official_schemas))
            selfcheck.check_trees(batch)

        mets_size = sink.add_generated("METS.xml", package_mets, check)[0]
        for pending in beside:
            found.extend(pending.result())
        return size, mets_size
    finally:
        for pending in beside:
            pending.stop()
