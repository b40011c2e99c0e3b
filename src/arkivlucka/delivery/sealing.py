"""Delivery stage, sealing: what every package profile shares — result, OBJID, agents, checks, seal.

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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from arkivlucka.core.errors import InputError, InvalidOutputError, OutputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.delivery import mets
from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.delivery.layout import PlannedFile
from arkivlucka.delivery.sink import Sink, copy_all
from arkivlucka.entries.build import creator_keys
from arkivlucka.files.leftovers import temp_name
from arkivlucka.files.write import open_exclusive
from arkivlucka.incident.load import LoadedIncident, load_incident
from arkivlucka.xmldoc import official, schemas
from arkivlucka.xmldoc.parse import drop, iterparse_safe, root_tag
from arkivlucka.xmldoc.validate import validate_bytes, validate_tree

#: a callback told (files done, files in all) while a package is written
Progress = Callable[[int, int], None]
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


def _refuse_invalid(name: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` when none is an error; else refuse: nothing of the package is written."""
    problems = [f for f in findings if f.is_error]
    if problems:
        raise InvalidOutputError(
            f"{name}: the generated document is not valid; nothing was written", problems
        )
    return findings


def check_tree(
    root: etree._Element, name: str, schema_dir: Path | None, official_schemas: bool = True
) -> list[Finding]:
    """Validation errors of a built tree (METS, PREMIS) against its schema."""
    findings = validate_tree(
        root.getroottree(), name, external_dir=schema_dir, official_schemas=official_schemas
    )
    return _refuse_invalid(name, findings)


def check_bytes(
    data: bytes, name: str, schema_dir: Path | None, official_schemas: bool = True
) -> list[Finding]:
    """Validation errors of a built document given as bytes."""
    findings = validate_bytes(
        data, name, external_dir=schema_dir, official_schemas=official_schemas
    )
    return _refuse_invalid(name, findings)


def check_file(
    path: Path, name: str, schema_dir: Path | None, official_schemas: bool = True
) -> list[Finding]:
    """Validate a written document against its schema while reading it as a stream.

    The whole schema is checked (lxml validates the parse events), but each element is
    dropped once read, so memory does not grow with the document.
    """
    with open(path, "rb") as raw:
        tag = root_tag(raw)
    namespace, _, local = (tag or "").lstrip("{").rpartition("}")
    info = schemas.lookup(namespace or None, local) if tag else None
    if info is None:
        return check_bytes(path.read_bytes(), name, schema_dir, official_schemas)
    if not info.bundled and not official_schemas:
        return []
    if not info.bundled:
        found = schemas.official_problems(info, schema_dir)
        if found:
            return [
                replace(f, message=f"{info.label} not validated: {f.message}", file=name)
                for f in found
            ]
    schema = schemas.schema_for(info, schema_dir)
    try:
        for _, el in iterparse_safe(str(path), schema=schema):
            drop(el)
    except etree.XMLSyntaxError as exc:
        problems = [
            error("xml-schema", e.message, file=name, line=e.line or None, path=e.path or None)
            for e in exc.error_log  # type: ignore[attr-defined]
            if e.level_name == "ERROR" or e.level_name == "FATAL"
        ] or [error("xml-schema", str(exc), file=name)]
        _refuse_invalid(name, problems)
    return []


def official_keys() -> list[str]:
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


def agents(
    loaded: LoadedIncident, settings: PackageSettings
) -> tuple[tuple[Agent, ...], Agent, list[Finding]]:
    """The records creators' and the submitter's agents, and what is missing about them."""
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


def apart(output: Path, entries_dir: Path, payloads: list[Path], others: list[Path]) -> None:
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


def replaceable(output: Path) -> None:
    """Replace only a package: a folder with METS.xml (or 1.2's sip.xml) at its root, or a zip.

    A symbolic link is never replaced (whatever it points to).
    """
    if output.is_symlink():
        msg = "is a symbolic link; it is never replaced (remove it or write elsewhere)"
        raise OutputError(f"{output}: {msg}", [error("output-symlink", msg, file=str(output))])
    if not output.exists():
        return
    if output.is_dir():
        ok = any(
            (output / n).is_file() and not (output / n).is_symlink()
            for n in ("METS.xml", "sip.xml")
        )
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


def exists_error(output: Path) -> OutputError:
    """The error for an output that exists and may not be overwritten."""
    msg = "already exists; not replaced unless told to overwrite"
    finding = error("output-exists", msg, file=str(output), param="overwrite")
    return OutputError(f"{output}: {msg}", [finding])


def temp_target(output: Path, zipped: bool) -> Path:
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


def remove(path: Path) -> None:
    """Remove a temporary file or folder, quietly."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def seal(tmp: Path, output: Path, overwrite: bool) -> None:
    """Rename the finished package into place (replacing the old one only with ``overwrite``)."""
    old: Path | None = None
    if output.exists() or output.is_symlink():
        if not overwrite:
            raise exists_error(output)
        old = output.with_name(temp_name(output.name, "old"))
        os.replace(output, old)
    os.replace(tmp, output)
    if old is not None:
        remove(old)


def prepare(
    incident_path: Path, entries_dir: Path, output: Path, form: Path | None, paths: list[Path],
    schema_dir: Path | None, official_schemas: bool, overwrite: bool, creator: str | None,
) -> LoadedIncident:  # fmt: skip
    """The checks before any package is planned: schemas, incident, records creator, output."""
    if official_schemas:
        official.require(official_keys(), schema_dir)
    loaded = load_incident(incident_path)
    if creator:
        from arkivlucka.delivery.creators import only_creator

        loaded = only_creator(loaded, creator)
    if output.exists() and not overwrite:
        raise exists_error(output)
    replaceable(output)
    apart(output, entries_dir, paths, [incident_path, *([form] if form else [])])
    return loaded


def cannot_write(output: Path, exc: OSError) -> OutputError:
    """The error for a package that could not be written."""
    where = exc.filename or output
    msg = f"cannot write the package: {where}: {exc.strerror}; nothing was written"
    return OutputError(f"{output}: {msg}", [error("write-failed", msg, file=str(output))])


def write_files(
    sink: Sink, files: list[PlannedFile], progress: Progress | None = None
) -> list[mets.FileEntry]:
    """Write generated files, stream the others; return the METS entries in plan order.

    ``progress`` is called with (files done, files in all) as they are written.
    """
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(files))

    made: dict[int, tuple[int, str]] = {}
    copies = [(n, f) for n, f in enumerate(files) if f.data is None]
    for n, f in enumerate(files):
        if f.data is not None:
            made[n] = sink.add_bytes(f.rel, f.data, f.compressed)
    advance(len(files) - len(copies))
    copied = copy_all(
        sink, [(f.rel, f.source, f.compressed) for _, f in copies if f.source], advance
    )
    made.update(zip([n for n, _ in copies], copied, strict=True))
    return [
        mets.FileEntry(f.rel, f.group, f.mimetype, made[n][0], f.created, made[n][1])
        for n, f in enumerate(files)
    ]
