"""Register stage, pipelines: ``describe`` and ``package`` with the register beside them.

The describe and package stages know nothing of the register: these functions look up what
the register knows about the incident's records creators, give it to the stage as plain data,
let the stage run, and then record what it made in one transaction. The entries or the package
are written before the register is touched; a failed recording leaves the register as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import RegisterError
from arkivlucka.core.findings import Finding, warning
from arkivlucka.entries.build import creator_keys, incident_id
from arkivlucka.entries.describe import DescribeResult, make_documents
from arkivlucka.incident import model as m
from arkivlucka.incident.load import LoadedIncident, load_incident
from arkivlucka.register.creators import find_creators
from arkivlucka.register.db import Register, open_register, transaction
from arkivlucka.register.model import Creator, name_key
from arkivlucka.register.record import (
    RecordOutcome,
    file_sha256,
    incident_record,
    store_incident,
    store_package,
)


def fill_creators(
    loaded: LoadedIncident, known: Mapping[str, Creator]
) -> tuple[LoadedIncident, list[Finding]]:
    """The incident with each records creator's code and department from the register.

    A value the incident file states wins; where the register says otherwise, a warning.
    """
    out: list[m.RecordsCreator] = []
    found: list[Finding] = []
    for n, rc in enumerate(loaded.incident.records_creators):
        reg = known.get(name_key(rc.name))
        if reg is None:
            out.append(rc)
            continue
        code, dept = reg.identification_code(), reg.department
        for what, mine, theirs in (("code", rc.code, code), ("department", rc.department, dept)):
            if mine and theirs and mine != theirs:
                found.append(warning(
                    "register-differs",
                    f"records creator {rc.name}: the incident file gives {what} '{mine}', the "
                    f"register '{theirs}'; the incident file's is used",
                    path=f"records_creators[{n}].{what}",
                ))  # fmt: skip
        out.append(replace(rc, code=rc.code or code, department=rc.department or dept))
    incident = replace(loaded.incident, records_creators=tuple(out))
    return replace(loaded, incident=incident), loaded.locate(found)


def post_ids(documents: Mapping[str, bytes]) -> dict[str, tuple[str, str]]:
    """Each creator folder's (arkivbeskrivning, arkivförteckning) PostID, read from the entries."""
    from arkivlucka.entries.describe import DESCRIPTION_FILE, INVENTORY_FILE

    ids: dict[str, dict[str, str]] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for rel, data in documents.items():
        folder, name = rel.rsplit("/", 1)
        root = etree.fromstring(data, parser)
        ids.setdefault(folder, {})[name] = root.get("PostID") or ""
    return {k: (v[DESCRIPTION_FILE], v[INVENTORY_FILE]) for k, v in ids.items()}


def outcome_findings(outcome: RecordOutcome, file: str) -> list[Finding]:
    """Warnings about what recording found: a changed incident file, creators it had to add."""
    found = []
    if outcome.file_changed:
        pkg = (
            f"; the package {outcome.package_objid} was made from the earlier version"
            if outcome.package_objid
            else ""
        )
        found.append(warning(
            "register-file-changed",
            f"{outcome.incident_id}: the incident file changed since it was recorded "
            f"(SHA-256 {outcome.previous_sha256} before); the register entry was updated{pkg}",
            file=file,
        ))  # fmt: skip
    for name in outcome.creators_added:
        found.append(warning(
            "register-creator-added",
            f"records creator {name} was not in the register and was added with its name only; "
            "import its identification codes",
            file=file,
        ))  # fmt: skip
    return found


@dataclass
class RecordedDescribe:
    """``describe``'s result and what the register did with it."""

    result: DescribeResult
    outcome: RecordOutcome
    findings: list[Finding] = field(default_factory=list)


def describe_recorded(
    incident_path: str | Path, outdir: str | Path, ctx: RunContext, db: str | None,
    plan_path: str | Path | None = None, plan_meta: Mapping[str, str] | None = None,
    overwrite: bool = False,
) -> RecordedDescribe:  # fmt: skip
    """``describe`` with the register: codes from it, then the incident recorded in it."""
    from arkivlucka.entries.write_set import refuse_existing, write_entry_set
    from arkivlucka.retention.assess import apply_plan

    if not overwrite:
        refuse_existing(Path(outdir))
    reg = open_register(db)
    try:
        loaded = load_incident(incident_path)
        sha = file_sha256(incident_path)
        with transaction(reg) as conn:
            known = find_creators(conn, [c.name for c in loaded.incident.records_creators])
        loaded, notes = fill_creators(loaded, known)
        plan = None
        if plan_path is not None:
            from arkivlucka.retention.schedule import read_plan

            plan = read_plan(plan_path, plan_meta)
        result = make_documents(loaded, ctx, plan)
        result.written = write_entry_set(outdir, result.documents, overwrite)
        culling, _ = apply_plan(loaded.incident, plan)
        rec = incident_record(loaded, post_ids(result.documents), sha, culling,
                              ctx.created_iso(), ctx.by_role)  # fmt: skip
        try:
            outcome = record(reg, rec)
        except RegisterError as exc:
            msg = f"the entries were written to {outdir}, but not recorded: {exc.message}"
            raise RegisterError(msg, exc.findings) from None
    finally:
        reg.close()
    return RecordedDescribe(result, outcome, notes + outcome_findings(outcome, loaded.file))


def record(reg: Register, rec: Any) -> RecordOutcome:
    """Store one incident record in its own transaction."""
    with transaction(reg) as conn:
        return store_incident(conn, rec)


def package_codes(loaded: LoadedIncident, settings: Any, known: Mapping[str, Creator]) -> Any:
    """``settings`` with the register's code for each records creator that has none yet."""
    codes = dict(settings.archival_creators)
    inc = loaded.incident
    for key, rc in zip(creator_keys(inc.records_creators), inc.records_creators, strict=True):
        reg = known.get(name_key(rc.name))
        if (
            reg
            and reg.identification_code()
            and not (codes.get(key) or codes.get(rc.name) or rc.code)
        ):
            codes[key] = reg.identification_code()
    return replace(settings, archival_creators=codes)


def package_recorded(
    incident_path: Path, entries_dir: Path, output: Path, ctx: RunContext, db: str | None,
    **options: Any,
) -> tuple[Any, list[Finding]]:  # fmt: skip
    """``package`` with the register: agents' codes from it, then the OBJID recorded in it."""
    from arkivlucka.delivery.config import PackageSettings
    from arkivlucka.delivery.package import build_package

    reg = open_register(db)
    try:
        loaded = load_incident(incident_path)
        with transaction(reg) as conn:
            known = find_creators(conn, [c.name for c in loaded.incident.records_creators])
        settings = package_codes(loaded, options.pop("settings", None) or PackageSettings(), known)
        result = build_package(
            incident_path, entries_dir, output, ctx, settings=settings, **options
        )
        sha = file_sha256(incident_path)
        key = incident_id(loaded.incident)
        with transaction(reg) as conn:
            done = store_package(conn, key, result.objid, sha, ctx.created_iso())
    finally:
        reg.close()
    found = []
    if not done.recorded:
        found.append(warning("register-not-recorded", f"{key}: the incident is not in the register "
                     "(describe it with the register first); the package was not noted", file=loaded.file))  # fmt: skip
    elif done.file_changed:
        found.append(warning("register-file-changed", f"{key}: the incident file changed since it "
                     "was described; describe it again", file=loaded.file))  # fmt: skip
    return result, found
