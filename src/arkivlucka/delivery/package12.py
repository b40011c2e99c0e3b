"""Package stage, writing an FGS Paketstruktur 1.2 package: ``sip.xml``, ``content/``, ``metadata/``.

The same plan as the 2.0 package (``layout.plan_package``) is placed in the 1.2 layout of
ESSArch's Swedish profile and described by ``sip.xml`` (``fgs12``). Every file is read once,
hashed while copied; the package is built under a temporary name and renamed when sealed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InvalidOutputError
from arkivlucka.core.findings import Finding, warning
from arkivlucka.delivery import eac, fgs12, premis, sealing
from arkivlucka.delivery import identify as identification
from arkivlucka.delivery.config import Agent, PackageSettings
from arkivlucka.delivery.layout import DATA_DIR, PlannedFile, plan_package
from arkivlucka.delivery.sink import Sink
from arkivlucka.incident.load import LoadedIncident
from arkivlucka.xmldoc.build import serialise

#: where the 2.0 plan's folders go in a 1.2 package (ESSArch's layout)
PLACES = (
    (f"{DATA_DIR}/", "content/data/"),
    ("documentation/", "content/documentation/"),
    ("metadata/descriptive/", "metadata/"),
    ("metadata/preservation/", "metadata/"),
    ("schemas/", "metadata/"),
)
PREMIS_FILE = "metadata/premis.xml"
UNVALIDATED_NOTE_12 = (
    "sip.xml och metadata/premis.xml har inte validerats mot de officiella schemana "
    "(METS 1.12, PREMIS 3.0): de fanns inte installerade när paketet skapades."
)


def place(rel: str) -> str:
    """The 1.2 package path of a file the 2.0 plan puts at ``rel``."""
    for old, new in PLACES:
        if rel.startswith(old):
            return new + rel[len(old) :]
    return rel


def _original(f: PlannedFile) -> str:
    """The file's original name: its source's name, or its own for generated files."""
    return f.source.name if f.source is not None else f.rel.rpartition("/")[2]


def _systems(loaded: LoadedIncident) -> tuple[Agent, ...]:
    return tuple(Agent(s.name, None) for s in loaded.incident.systems if s.name)


def _facts(creators: tuple[Agent, ...], settings: PackageSettings) -> list[Finding]:
    """Warnings for what a 1.2 receiver expects and this delivery does not give."""
    found = []
    if len(creators) > 1:
        found.append(
            warning(
                "FGS12-ARCHIVIST",
                f"{len(creators)} records creators in one package; an FGS 1.2 receiver expects "
                "one archivist organisation: make one package per records creator",
                param="creator",
            )
        )
    if not settings.archival_name:
        found.append(
            warning(
                "missing-fact",
                "no archival name (ext:ARCHIVALNAME); give archival_name in the delivery profile",
                path="archival_name",
                param="delivery",
            )
        )
    return found


def package_12(
    incident_path: str | Path,
    entries_dir: str | Path,
    output: str | Path,
    ctx: RunContext,
    settings: PackageSettings,
    *,
    form: str | Path | None,
    payloads: Sequence[str | Path] | None,
    anonymise: bool,
    schema_dir: Path | None,
    official_schemas: bool,
    overwrite: bool,
    creator: str | None,
    identify: bool,
    progress: sealing.Progress | None = None,
) -> sealing.PackageResult:
    """Build the FGS 1.2 package for an incident at ``output`` (as ``package.build_package``).

    ``schema_dir`` may hold Riksarkivet's two 1.2 schemas (then ``sip.xml`` is validated
    against them too) besides, or instead of, the official ones.
    """
    from arkivlucka.delivery.verify12 import split_schemas

    incident_path, entries_dir, output = Path(incident_path), Path(entries_dir), Path(output)
    form = Path(form) if form is not None else None
    paths = [Path(p) for p in payloads or []]
    official_dir, ra_dir = split_schemas(schema_dir)
    loaded = sealing.prepare(
        incident_path, entries_dir, output, form, paths, official_dir, official_schemas,
        overwrite, creator,
    )  # fmt: skip
    return build_package_12(
        loaded, entries_dir, output, ctx, settings, form=form, payloads=paths,
        anonymise=anonymise, schema_dir=official_dir, official_schemas=official_schemas,
        overwrite=overwrite, ra_dir=ra_dir, identify=identify, progress=progress,
    )  # fmt: skip


def build_package_12(
    loaded: LoadedIncident,
    entries_dir: Path,
    output: Path,
    ctx: RunContext,
    settings: PackageSettings,
    *,
    form: Path | None,
    payloads: list[Path],
    anonymise: bool,
    schema_dir: Path | None,
    official_schemas: bool,
    overwrite: bool,
    ra_dir: Path | None = None,
    identify: bool = True,
    progress: sealing.Progress | None = None,
) -> sealing.PackageResult:
    """Build the FGS 1.2 package (checks on ``output`` already done by ``build_package``)."""
    zipped = output.suffix.lower() == ".zip"
    name = sealing.resolve_objid(settings, output)
    objid = fgs12.objid_12(settings.objid or name)
    created = ctx.created_iso()
    plan = plan_package(
        loaded, entries_dir, created=created, form=form, payloads=payloads, anonymise=anonymise
    )
    creators, submitter, findings = sealing.agents(loaded, settings)
    findings = plan.findings + findings + _facts(creators, settings)
    findings += eac.add_eac(plan.files, loaded, settings, ctx, schema_dir, official_schemas)
    note = None if official_schemas else UNVALIDATED_NOTE_12
    header = fgs12.Header12(
        objid, settings.label or sealing.default_label(loaded), created, ctx.tool_name,
        ctx.tool_version, settings, creators, submitter, _systems(loaded), note,
    )  # fmt: skip
    if note:
        findings.append(warning("official-schemas-skipped", note, file=str(output)))
    files = [replace(f, rel=place(f.rel)) for f in plan.files]
    identifying = identification.start(files, identify)  # runs while the files are copied
    result = sealing.PackageResult(output, objid, findings=findings)
    try:
        tmp = sealing.temp_target(output, zipped)
        sink = Sink(tmp, name, zipped, ctx.created)
    except OSError as exc:
        raise sealing.cannot_write(output, exc) from None
    try:
        listed = identification.identified(
            sealing.write_files(sink, files, progress), identifying, result.findings
        )
        premis_xml = premis.build_premis(loaded.incident, objid, ctx, note, identifying.result()[1])
        result.findings += sealing.check_bytes(
            premis_xml, PREMIS_FILE, schema_dir, official_schemas
        )
        listed += sealing.write_files(
            sink, [PlannedFile(PREMIS_FILE, "preservation", "application/xml", created, premis_xml)]
        )
        entries = [
            fgs12.Entry12(e.rel, _original(f), e.mimetype, e.size, e.created, e.checksum)
            for e, f in zip(listed, files, strict=False)
        ]
        p = listed[-1]
        premis_entry = fgs12.Entry12(p.rel, "premis.xml", p.mimetype, p.size, p.created, p.checksum)
        root = fgs12.sip_mets(header, entries, premis_entry)
        result.findings += sealing.check_tree(root, fgs12.METS_FILE, schema_dir, official_schemas)
        _self_check(root, ra_dir)
        data = serialise(root)
        sink.add_bytes(fgs12.METS_FILE, data)
        sink.close()
        sealing.seal(tmp, output, overwrite)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            sink.close()
        sealing.remove(tmp)
        if isinstance(exc, OSError):
            raise sealing.cannot_write(output, exc) from None
        raise
    result.files = len(listed) + 1
    result.bytes = sum(e.size for e in listed) + len(data)
    return result


def _self_check(root: etree._Element, ra_dir: Path | None) -> None:
    """Run verify's 1.2 rules (and RA's schemas, when given) on the new ``sip.xml``."""
    from arkivlucka.delivery.verify12 import check_sip, ra_schema_findings

    problems = [f for f in check_sip(root, fgs12.METS_FILE) if f.is_error]
    problems += [f for f in ra_schema_findings(root, fgs12.METS_FILE, ra_dir) if f.is_error]
    if problems:
        raise InvalidOutputError(
            "sip.xml breaks an FGS Paketstruktur 1.2 rule; nothing was written", problems
        )
