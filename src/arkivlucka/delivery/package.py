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
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError, InvalidOutputError, OutputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery import eac, mets, premis
from arkivlucka.delivery import identify as identification
from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.delivery.layout import REPRESENTATION, PlannedFile, plan_package
from arkivlucka.delivery.sink import Sink, copy_all
from arkivlucka.entries.build import creator_keys
from arkivlucka.incident.load import LoadedIncident, load_incident
from arkivlucka.xmldoc import official, schemas
from arkivlucka.xmldoc.build import serialise
from arkivlucka.xmldoc.validate import validate_bytes, validate_tree

OBJID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


@dataclass
class PackageResult:
    """What ``package`` made: where, its OBJID, how many files and bytes, and the warnings."""

    path: Path
    objid: str
    files: int = 0
    bytes: int = 0
    findings: list[Finding] = field(default_factory=list)


#: Said in the output and in the package (METS agent note, PREMIS event) when sealed without them.
UNVALIDATED_NOTE = (
    "METS.xml, representations/rep1/METS.xml och metadata/preservation/premis.xml har inte "
    "validerats mot de officiella schemana (METS 1.12, PREMIS 3.0): de fanns inte installerade "
    "när paketet skapades."
)


def _check_tree(
    root: etree._Element, name: str, schema_dir: Path | None, official_schemas: bool = True
) -> list[Finding]:
    findings = validate_tree(
        root.getroottree(), name, external_dir=schema_dir, official_schemas=official_schemas
    )
    problems = [f for f in findings if f.is_error]
    if problems:
        raise InvalidOutputError(
            f"{name}: the generated document is not valid; nothing was written", problems
        )
    return findings


def _check(
    data: bytes, name: str, schema_dir: Path | None, official_schemas: bool = True
) -> list[Finding]:
    findings = validate_bytes(
        data, name, external_dir=schema_dir, official_schemas=official_schemas
    )
    problems = [f for f in findings if f.is_error]
    if problems:
        raise InvalidOutputError(
            f"{name}: the generated document is not valid; nothing was written", problems
        )
    return findings


def _official_keys() -> list[str]:
    """The official files that validating METS, PREMIS and EAC-CPF needs."""
    keys: list[str] = []
    kinds = (
        (schemas.NS_METS, "mets"),
        (schemas.NS_PREMIS, "premis"),
        (schemas.NS_EAC_CPF, "eac-cpf"),
    )
    for ns, root in kinds:
        info = schemas.lookup(ns, root)
        assert info is not None
        keys += info.official_keys()
    return keys


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
            "give another OBJID or rename the output",
            code="invalid-objid",
            param="objid",
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
                    f"no identification code for the records creator {creator.name}; give it "
                    f"under archival_creators.{key} in the package config",
                    path=f"archival_creators.{key}",
                    param="config",
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
                "no identification code for the submitting organisation",
                path="submitter.id",
                param="submitter_id",
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
                    f"no {label} ({key} in the package config or the option)",
                    path=key,
                    param=key,
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
    """Replace only a package: a folder with METS.xml (or 1.2's sip.xml) at its root, or a zip."""
    if output.is_symlink() or not output.exists():
        return
    if output.is_dir():
        ok = (output / "METS.xml").is_file() or (output / "sip.xml").is_file()
    else:
        ok = output.suffix.lower() == ".zip" and zipfile.is_zipfile(output)
    if not ok:
        what = "folder has no METS.xml at its root" if output.is_dir() else "file is not a zip"
        msg = (
            f"the existing {what}, so it is not a package; only a package is replaced, "
            "so nothing was touched"
        )
        finding = error("output-not-package", msg, file=str(output), param="overwrite")
        raise OutputError(f"{output}: {msg}", [finding])


def _exists(output: Path) -> OutputError:
    msg = "already exists; not replaced unless told to overwrite"
    finding = error("output-exists", msg, file=str(output), param="overwrite")
    return OutputError(f"{output}: {msg}", [finding])


def _temp_target(output: Path, zipped: bool) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    if zipped:
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        os.close(fd)
        os.chmod(name, 0o666 & ~umask)  # mkstemp makes it private; a package is not
        return Path(name)
    folder = tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.chmod(folder, 0o777 & ~umask)
    return Path(folder)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _seal(tmp: Path, output: Path, overwrite: bool) -> None:
    old: Path | None = None
    if output.exists() or output.is_symlink():
        if not overwrite:
            raise _exists(output)
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.replace(output, old)
    os.replace(tmp, output)
    if old is not None:
        _remove(old)


def prepare(
    incident_path: Path, entries_dir: Path, output: Path, form: Path | None, paths: list[Path],
    schema_dir: Path | None, official_schemas: bool, overwrite: bool, creator: str | None,
) -> LoadedIncident:  # fmt: skip
    """The checks before any package is planned: schemas, incident, records creator, output."""
    if official_schemas:
        official.require(_official_keys(), schema_dir)
    loaded = load_incident(incident_path)
    if creator:
        from arkivlucka.delivery.creators import only_creator

        loaded = only_creator(loaded, creator)
    if output.exists() and not overwrite:
        raise _exists(output)
    _replaceable(output)
    _apart(output, entries_dir, paths, [incident_path, *([form] if form else [])])
    return loaded


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
) -> PackageResult:
    """Build the E-ARK SIP for an incident at ``output`` (a folder, or a zip if it ends .zip).

    ``profile`` (else ``settings.profile``) ``fgs-1.2`` makes an FGS Paketstruktur 1.2 package
    instead (``package12``); ``fgs-2.0`` or None the E-ARK SIP 2.1.0 (FGS Paketstruktur 2.0).
    ``creator`` (a records creator's name or key) packages that records creator alone.
    ``identify`` identifies each payload file's PRONOM format (siegfried) for METS and PREMIS.

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
            overwrite=overwrite, creator=creator, identify=identify,
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
    creators, submitter, findings = _agents(loaded, settings)
    findings = (
        plan.findings
        + findings
        + eac.add_eac(plan.files, loaded, settings, ctx, schema_dir, official_schemas)
    )
    identifying = identification.start(plan.files, identify)  # runs while the files are copied
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
        None if official_schemas else UNVALIDATED_NOTE,
    )
    if not official_schemas:
        findings.append(warning("official-schemas-skipped", UNVALIDATED_NOTE, file=str(output)))
    result = PackageResult(output, objid, findings=findings)
    try:
        tmp = _temp_target(output, zipped)
        sink = Sink(tmp, objid, zipped, ctx.created)
    except OSError as exc:
        raise _cannot_write(output, exc) from None
    try:
        listed = identification.identified(
            _write_files(sink, plan.files), identifying, result.findings
        )
        formats = identifying.result()[1]
        premis_xml = premis.build_premis(
            loaded.incident, objid, ctx, None if official_schemas else UNVALIDATED_NOTE, formats
        )
        result.findings += _check(
            premis_xml, "metadata/preservation/premis.xml", schema_dir, official_schemas
        )
        listed += _write_files(
            sink,
            [
                PlannedFile(
                    "metadata/preservation/premis.xml", "preservation", "application/xml",
                    created, premis_xml,
                )
            ],
        )  # fmt: skip
        prefix = f"representations/{REPRESENTATION}/"
        data = [
            mets.FileEntry(e.rel[len(prefix) :], "data", e.mimetype, e.size, e.created, e.checksum)
            for e in listed
            if e.group == "representation"
        ]
        rep_root = mets.representation_mets(header, REPRESENTATION, data)
        result.findings += _check_tree(rep_root, f"{prefix}METS.xml", schema_dir, official_schemas)
        rep_xml = serialise(rep_root)
        rep_entry = _write_files(
            sink,
            [
                PlannedFile(
                    f"{prefix}METS.xml", "representation-mets", "application/xml", created, rep_xml
                )
            ],
        )[0]
        mets_root = mets.package_mets(header, listed, rep_entry, REPRESENTATION)
        result.findings += _check_tree(mets_root, "METS.xml", schema_dir, official_schemas)
        _self_check(mets_root)
        mets_xml = serialise(mets_root)
        sink.add_bytes("METS.xml", mets_xml)
        sink.close()
        _seal(tmp, output, overwrite)
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
    from arkivlucka.delivery.rules import check_mets

    problems = [f for f in check_mets(root, "METS.xml") if f.is_error]
    if problems:
        raise InvalidOutputError(
            "METS.xml breaks a CSIP/SIP requirement; nothing was written", problems
        )
