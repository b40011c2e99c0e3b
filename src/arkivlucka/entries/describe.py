"""Pipeline: incident file → rules → entries → validation → written files (``describe``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import IncidentError, InvalidOutputError
from arkivlucka.core.findings import Finding, Severity, has_errors, warning
from arkivlucka.entries import build as entries
from arkivlucka.incident import rules
from arkivlucka.incident.load import LoadedIncident, load_incident
from arkivlucka.xmldoc.validate import validate_tree

if TYPE_CHECKING:
    from arkivlucka.retention.assess import CullingReport
    from arkivlucka.retention.schedule import Plan

DESCRIPTION_FILE = "arkivbeskrivning.xml"
INVENTORY_FILE = "arkivforteckning.xml"


@dataclass
class DescribeResult:
    """What ``describe`` made: the documents by relative path, the warnings, what was written."""

    documents: dict[str, bytes]
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def check_incident(loaded: LoadedIncident) -> list[Finding]:
    """Every rule finding for a loaded incident, located by file and line."""
    return loaded.locate(loaded.findings + rules.check_all(loaded.incident))


def _checked(
    loaded: LoadedIncident, ctx: RunContext, plan: Plan | None
) -> tuple[list[Finding], CullingReport | None]:
    """Run the rules and the plan assessment; raise on errors; return findings and culling."""
    findings = check_incident(loaded)
    if has_errors(findings):
        count = sum(f.is_error for f in findings)
        raise IncidentError(f"{loaded.file}: {count} problem(s) stop the entries", findings)
    if plan is None:  # no plan consulted: nothing to assess (the plan stage is not loaded)
        return findings, None
    from arkivlucka.retention.assess import apply_plan  # retention schedule (issue 4)

    culling, plan_findings = apply_plan(loaded.incident, plan)
    plan_findings = loaded.locate(plan_findings)
    if has_errors(plan_findings):
        count = sum(f.is_error for f in plan_findings)
        what = (
            "the plan file is not a retention schedule"
            if any(f.code == "plan-not-a-plan" for f in plan_findings)
            else f"{count} lost record(s) cannot be assessed against the plan"
        )
        raise IncidentError(f"{loaded.file}: {what}", plan_findings)
    return findings + plan_findings, culling


def _documents(
    loaded: LoadedIncident, ctx: RunContext, findings: list[Finding], culling: CullingReport | None
) -> Iterator[tuple[str, bytes, list[Finding]]]:
    """Each entry as (relative path, bytes, validation errors), one records creator at a time."""
    missing = [f for f in findings if f.code == "missing-fact"]
    for made in entries.iter_entries(loaded.incident, ctx, missing, culling):
        for name, root in ((DESCRIPTION_FILE, made.description), (INVENTORY_FILE, made.inventory)):
            rel = f"{made.key}/{name}"
            problems = [f for f in validate_tree(root.getroottree(), rel) if f.is_error]
            yield rel, entries.serialise(root), problems
        del made, root  # freed before the next records creator is built


def _notes(findings: list[Finding], ctx: RunContext) -> list[Finding]:
    notes = [f for f in findings if f.severity is not Severity.ERROR]
    if not ctx.by_role:
        notes.append(
            warning(
                "missing-author",
                "no role given for who makes the entries (e.g. kommunarkivarie); "
                "the entries do not say who made them",
                param="by_role",
            )
        )
    return notes


def _invalid(problems: list[Finding]) -> InvalidOutputError:
    return InvalidOutputError("a generated entry is not valid; nothing was written", problems)


def make_documents(
    loaded: LoadedIncident, ctx: RunContext, plan: Plan | None = None
) -> DescribeResult:
    """Build and validate the entries for every records creator; write nothing.

    With ``plan`` (a retention schedule) each lost record is matched and assessed against
    it. Raises ``IncidentError`` when a rule fails or a lost record has no confirmed match
    in the plan, ``InvalidOutputError`` if a generated document does not validate (a bug,
    reported rather than written).
    """
    findings, culling = _checked(loaded, ctx, plan)
    documents: dict[str, bytes] = {}
    problems: list[Finding] = []
    for rel, data, bad in _documents(loaded, ctx, findings, culling):
        documents[rel] = data
        problems += bad
    if problems:
        raise _invalid(problems)
    return DescribeResult(documents, _notes(findings, ctx))


def describe(
    incident_path: str | Path, outdir: str | Path, ctx: RunContext,
    plan_path: str | Path | None = None, plan_meta: Mapping[str, str] | None = None,
    *, overwrite: bool = False,
) -> DescribeResult:  # fmt: skip
    """Make the entries for ``incident_path`` and write them under ``outdir``.

    Layout: ``OUTDIR/<records-creator-key>/arkivbeskrivning.xml`` and
    ``.../arkivforteckning.xml``. Nothing is written unless every document is valid: each
    records creator's entries are built, validated and staged beside their targets one
    creator at a time (memory does not grow with their number), then all are put in place.
    ``plan_path`` is a retention schedule (``plan_meta`` overrides its metadata). A folder
    that already holds entries is refused (``entries-exist``) unless ``overwrite``, which
    replaces the whole set (``entries.write_set``); nothing is written through a symbolic
    link.
    """
    from arkivlucka.entries.write_set import commit_entry_set, refuse_existing
    from arkivlucka.files.write import Staging

    if not overwrite:
        refuse_existing(Path(outdir))  # before any work: the answer does not depend on it
    loaded = load_incident(incident_path)
    plan = None
    if plan_path is not None:
        from arkivlucka.retention.schedule import read_plan

        plan = read_plan(plan_path, plan_meta)
    findings, culling = _checked(loaded, ctx, plan)
    result = DescribeResult({}, _notes(findings, ctx))
    problems: list[Finding] = []
    keys: set[str] = set()
    with Staging(outdir, overwrite=overwrite) as staging:
        for rel, data, bad in _documents(loaded, ctx, findings, culling):
            problems += bad
            keys.add(rel.split("/", 1)[0])
            if not problems:
                staging.stage(rel, data)
        if problems:
            raise _invalid(problems)
        result.written = commit_entry_set(Path(outdir), staging, keys, overwrite)
    result.findings += staging.notes
    return result
