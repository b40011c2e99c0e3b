"""Package stage, writing: stream the planned files into a folder or zip, add METS and PREMIS, seal.

Every file is read once: its SHA-256 and size are computed while it is copied. The package is
built beside the target under a temporary name and renamed only when every XML in it is
valid, so a failed run never leaves a half-package under the final name.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from arkivlucka import mets, premis
from arkivlucka.context import RunContext
from arkivlucka.entries import creator_keys
from arkivlucka.errors import InputError, InvalidOutputError, OutputError
from arkivlucka.findings import Finding, error, warning
from arkivlucka.incident_file import LoadedIncident, load_incident
from arkivlucka.leftovers import sweep, temp_name
from arkivlucka.package_config import Agent, PackageSettings
from arkivlucka.package_layout import REPRESENTATION, PlannedFile, plan_package
from arkivlucka.package_sink import Sink, copy_all
from arkivlucka.validate import validate_bytes, validate_tree
from arkivlucka.write import open_exclusive

OBJID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


@dataclass
class PackageResult:
    """What ``package`` made: where, its OBJID, how many files and bytes, and the warnings."""

    path: Path
    objid: str
    files: int = 0
    bytes: int = 0
    findings: list[Finding] = field(default_factory=list)


def _check_tree(root: etree._Element, name: str, schema_dir: Path | None) -> list[Finding]:
    findings = validate_tree(root.getroottree(), name, external_dir=schema_dir)
    problems = [f for f in findings if f.is_error]
    if problems:
        raise InvalidOutputError(
            f"{name}: the generated document is not valid; nothing was written", problems
        )
    return findings


def _check(data: bytes, name: str, schema_dir: Path | None) -> list[Finding]:
    findings = validate_bytes(data, name, external_dir=schema_dir)
    problems = [f for f in findings if f.is_error]
    if problems:
        raise InvalidOutputError(
            f"{name}: the generated document is not valid; nothing was written", problems
        )
    return findings


def default_label(loaded: LoadedIncident) -> str:
    """A Swedish package label from the incident: organisation and date of the loss."""
    inc = loaded.incident
    parts = ["Arkivredovisning av informationsförlust"]
    if inc.organisation:
        parts.append(inc.organisation)
    if inc.occurred:
        parts.append(inc.occurred.day().isoformat())
    return ", ".join(parts)


def resolve_objid(settings: PackageSettings, output: Path) -> str:
    """The OBJID: from settings/option, else the name of the output (without ``.zip``)."""
    objid = settings.objid or (output.name[:-4] if output.suffix.lower() == ".zip" else output.name)
    if not OBJID_RE.match(objid):
        raise InputError(
            f"OBJID '{objid}' is not usable as a package folder name (letters, digits, . _ -); "
            "give --objid or rename the output"
        )
    return objid


def _agents(
    loaded: LoadedIncident, settings: PackageSettings
) -> tuple[tuple[Agent, ...], Agent, list[Finding]]:
    inc = loaded.incident
    found: list[Finding] = []
    creators = []
    for key, creator in zip(creator_keys(inc.records_creators), inc.records_creators, strict=True):
        code = (
            settings.archival_creators.get(key)
            or settings.archival_creators.get(creator.name)
            or creator.code
        )
        if not code:
            found.append(
                warning(
                    "missing-fact",
                    f"no identification code for the records creator {creator.name}; give it under archival_creators.{key} in --config",
                    path=f"archival_creators.{key}",
                )
            )
        creators.append(Agent(creator.name, code))
    submitter = Agent(settings.submitter.name or inc.organisation, settings.submitter.id)
    if not submitter.name:
        found.append(
            warning(
                "missing-fact",
                "no submitting organisation (organisation in the incident or submitter.name)",
                path="submitter.name",
            )
        )
    elif not submitter.id:
        found.append(
            warning(
                "missing-fact",
                "no identification code for the submitting organisation (--submitter-id)",
                path="submitter.id",
            )
        )
    for key, label in (
        ("submission_agreement", "submission agreement"),
        ("reference_code", "archival reference code"),
    ):
        if not getattr(settings, key):
            found.append(
                warning(
                    "missing-fact",
                    f"no {label} (--{key.replace('_', '-')} or {key} in --config)",
                    path=key,
                )
            )
    return tuple(creators), submitter, found


def _apart(output: Path, entries_dir: Path, payloads: list[Path], others: list[Path]) -> None:
    """Refuse an output inside a payload folder (it would pack itself) or holding an input."""
    out = output.resolve()
    msg = None
    for given in payloads:
        real = given.resolve()
        if out == real or (real.is_dir() and out.is_relative_to(real)):
            msg = (
                f"the package would be made inside the payload {given} (and pack itself next "
                "time); write it somewhere else"
            )
            break
    for given in [] if msg else [*payloads, entries_dir, *others]:
        if given.resolve().is_relative_to(out):
            msg = (
                f"the input {given} is inside the package to be made or replaced; write the "
                "package somewhere else"
            )
            break
    if msg:
        raise InputError(f"{output}: {msg}", [error("output-in-input", msg, file=str(output))])


def _replaceable(output: Path) -> None:
    """With --force, replace only a package: a folder with METS.xml at its root, or a zip.

    A symbolic link is never replaced (whatever it points to).
    """
    if output.is_symlink():
        msg = "is a symbolic link; it is not replaced, even with --force (remove it or write elsewhere)"
        raise OutputError(f"{output}: {msg}", [error("output-symlink", msg, file=str(output))])
    if not output.exists():
        return
    if output.is_dir():
        ok = (output / "METS.xml").is_file() and not (output / "METS.xml").is_symlink()
    else:
        ok = output.suffix.lower() == ".zip" and zipfile.is_zipfile(output)
    if not ok:
        what = "folder has no METS.xml at its root" if output.is_dir() else "file is not a zip"
        msg = (
            f"the existing {what}, so it is not a package; --force replaces only a package, "
            "so nothing was touched"
        )
        raise OutputError(f"{output}: {msg}", [error("output-not-package", msg, file=str(output))])


def _temp_target(output: Path, zipped: bool) -> Path:
    """A new temporary zip or folder beside ``output``, made exclusively (never through a link)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    tmp = output.parent / temp_name(output.name)
    if zipped:
        os.close(open_exclusive(tmp, 0o666 & ~umask))  # a package is not private
        return tmp
    tmp.mkdir(0o777 & ~umask)
    return tmp


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _seal(tmp: Path, output: Path, force: bool) -> None:
    old: Path | None = None
    if output.exists() or output.is_symlink():
        if not force:
            raise OutputError(f"{output}: already exists; use --force to replace it")
        old = output.with_name(temp_name(output.name, "old"))
        os.replace(output, old)
    os.replace(tmp, output)
    if old is not None:
        _remove(old)


def build_package(
    incident_path: Path,
    entries_dir: Path,
    output: Path,
    ctx: RunContext,
    *,
    settings: PackageSettings | None = None,
    form: Path | None = None,
    payloads: list[Path] | None = None,
    anonymise: bool = False,
    schema_dir: Path | None = None,
    force: bool = False,
) -> PackageResult:
    """Build the E-ARK SIP for an incident at ``output`` (a folder, or a zip if it ends .zip)."""
    settings = settings or PackageSettings()
    loaded = load_incident(incident_path)
    if output.exists() and not force:
        raise OutputError(f"{output}: already exists; use --force to replace it")
    _replaceable(output)
    _apart(output, entries_dir, payloads or [], [incident_path, *([form] if form else [])])
    zipped = output.suffix.lower() == ".zip"
    objid = resolve_objid(settings, output)
    created = ctx.created_iso()
    plan = plan_package(
        loaded, entries_dir, created=created, form=form, payloads=payloads, anonymise=anonymise
    )
    creators, submitter, findings = _agents(loaded, settings)
    findings = plan.findings + findings
    if not zipped and objid != output.name:
        findings.append(
            warning(
                "CSIPSTR2",
                f"the package folder '{output.name}' is not named by its OBJID '{objid}'",
                file=str(output),
            )
        )
    header = mets.Header(
        objid,
        settings.label or default_label(loaded),
        created,
        ctx.tool_name,
        ctx.tool_version,
        settings,
        creators,
        submitter,
    )
    premis_xml = premis.build_premis(loaded.incident, objid, ctx)
    findings += _check(premis_xml, "metadata/preservation/premis.xml", schema_dir)
    result = PackageResult(output, objid, findings=findings + sweep(output.parent))
    try:
        tmp = _temp_target(output, zipped)
        sink = Sink(tmp, objid, zipped, ctx.created)
    except OSError as exc:
        raise _cannot_write(output, exc) from None
    try:
        listed = _write_files(
            sink,
            [
                *plan.files,
                PlannedFile(
                    "metadata/preservation/premis.xml",
                    "preservation",
                    "application/xml",
                    created,
                    premis_xml,
                ),
            ],
        )
        prefix = f"representations/{REPRESENTATION}/"
        data = [
            mets.FileEntry(e.rel[len(prefix) :], "data", e.mimetype, e.size, e.created, e.checksum)
            for e in listed
            if e.group == "representation"
        ]
        rep_root = mets.representation_mets(header, REPRESENTATION, data)
        result.findings += _check_tree(rep_root, f"{prefix}METS.xml", schema_dir)
        rep_xml = mets.serialise(rep_root)
        rep_entry = _write_files(
            sink,
            [
                PlannedFile(
                    f"{prefix}METS.xml", "representation-mets", "application/xml", created, rep_xml
                )
            ],
        )[0]
        mets_root = mets.package_mets(header, listed, rep_entry, REPRESENTATION)
        result.findings += _check_tree(mets_root, "METS.xml", schema_dir)
        _self_check(mets_root)
        mets_xml = mets.serialise(mets_root)
        sink.add_bytes("METS.xml", mets_xml)
        sink.close()
        _seal(tmp, output, force)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            sink.close()
        _remove(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(output, exc) from None
        raise
    result.files = len(listed) + 2
    result.bytes = sum(e.size for e in listed) + len(rep_xml) + len(mets_xml)
    return result


def _cannot_write(output: Path, exc: OSError) -> OutputError:
    where = exc.filename or output
    msg = f"cannot write the package: {where}: {exc.strerror}; nothing was written"
    return OutputError(f"{output}: {msg}", [error("write-failed", msg, file=str(output))])


def _write_files(sink: Sink, files: list[PlannedFile]) -> list[mets.FileEntry]:
    """Write generated files, stream the others; return the METS entries in plan order."""
    made: dict[int, tuple[int, str]] = {}
    copies = [(n, f) for n, f in enumerate(files) if f.data is None]
    for n, f in enumerate(files):
        if f.data is not None:
            made[n] = sink.add_bytes(f.rel, f.data, f.compressed)
    copied = copy_all(sink, [(f.rel, f.source, f.compressed) for _, f in copies if f.source])
    made.update(zip([n for n, _ in copies], copied, strict=True))
    return [
        mets.FileEntry(f.rel, f.group, f.mimetype, made[n][0], f.created, made[n][1])
        for n, f in enumerate(files)
    ]


def _self_check(root: etree._Element) -> None:
    """Run verify's CSIP/SIP requirement checks on the new METS; any error is a bug, not written."""
    from arkivlucka.verify_rules import check_mets

    problems = [f for f in check_mets(root, "METS.xml") if f.is_error]
    if problems:
        raise InvalidOutputError(
            "METS.xml breaks a CSIP/SIP requirement; nothing was written", problems
        )
