"""Check stage for retention schedules: findings about a read plan (``arkivlucka plan check``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.retention.grammar import normalise
from arkivlucka.retention.schedule import Plan, PlanRow, read_plan


@dataclass(frozen=True)
class PlanReport:
    """A checked plan: the plan and every finding, in file order."""

    plan: Plan
    findings: list[Finding]


def check_plan(plan: Plan) -> list[Finding]:
    """Every finding about ``plan``: the reader's, then metadata, then row by row."""
    out = list(plan.findings)
    name = plan.file
    if not plan.columns & {"action", "period", "keep", "cull"} and plan.rows:
        out.append(
            error(
                "missing-column",
                "no column says keep or cull: add 'Bevaras/Gallras' or 'Gallringsfrist'",
                file=name,
            )
        )
    out += _check_meta(plan)
    if not plan.rows and "record_type" in plan.columns:
        out.append(error("empty-plan", "the plan has no record types", file=name))
    seen: dict[tuple[str, str], PlanRow] = {}
    for row in plan.rows:
        out += _check_row(plan, row)
        if row.key is None:
            continue
        ident = (normalise(row.key), "" if row.id else normalise(row.record_type))
        first = seen.get(ident)
        if first is None:
            seen[ident] = row
            continue
        what = f"id '{row.id}'" if row.id else f"class '{row.code}' and record type"
        out.append(
            error(
                "duplicate-code",
                f"{row.label()} repeats the {what} of line {first.line}; an incident file "
                "could not tell them apart",
                file=name,
                line=row.line,
            )
        )
    return sorted(out, key=lambda f: f.line or 0)


def _check_meta(plan: Plan) -> list[Finding]:
    meta, name = plan.meta, plan.file
    out: list[Finding] = []
    if not meta.name:
        out.append(
            warning(
                "missing-plan-name",
                "the plan's name is not given (a 'Plan: ...' row above the header, or the "
                "metadata name=...); entries cannot cite it by name",
                file=name,
                param="plan_meta",
            )
        )
    if not meta.version:
        out.append(
            warning(
                "missing-version",
                "the plan's version is not given ('Version: ...' or the metadata version=...)",
                file=name,
                param="plan_meta",
            )
        )
    for key in ("date", "valid_from"):
        value = getattr(meta, key)
        problem = value and _bad_iso_date(value)
        if problem:
            out.append(
                error(
                    "invalid-date",
                    f"{key}: '{value}' is not a valid date ({problem}); the entries would cite it",
                    file=name,
                    path=key,
                )
            )
    parts = {"decided_by": meta.decided_by, "date": meta.date, "paragraph": meta.paragraph}
    if not any(parts.values()) and not meta.reference:
        out.append(
            warning(
                "missing-decision",
                "the decision that adopted the plan is not given (beslutad av, beslutsdatum, "
                "paragraf or diarienummer); entries cannot cite it",
                file=name,
            )
        )
    elif not all(parts.values()):
        absent = ", ".join(k for k, v in parts.items() if not v)
        out.append(
            warning(
                "incomplete-decision",
                f"the decision reference lacks {absent}",
                file=name,
            )
        )
    return out


def _bad_iso_date(value: str) -> str | None:
    """Why a ``YYYY-MM-DD`` value is not a real date (None when it is, or is other text)."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip(), re.ASCII)
    if not match:
        return None
    try:
        date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        return str(exc)
    return None


def _check_row(plan: Plan, row: PlanRow) -> list[Finding]:
    name = plan.file
    out = [
        error(code, f"{row.label()}: {msg}", file=name, line=row.line) for code, msg in row.problems
    ]
    if not row.record_type:
        out.append(
            error(
                "missing-record-type",
                f"{row.label()}: the row says keep or cull but names no record type",
                file=name,
                line=row.line,
            )
        )
    if row.action is None and not row.problems:
        out.append(
            error(
                "no-keep-or-cull",
                f"{row.label()}: says neither 'Bevaras' nor 'Gallras' (nor a culling period)",
                file=name,
                line=row.line,
            )
        )
    if row.action == "cull" and row.frist is None and not row.problems:
        out.append(
            warning(
                "cull-without-period",
                f"{row.label()}: 'Gallras' without a culling period (gallringsfrist)",
                file=name,
                line=row.line,
            )
        )
    if row.key is None:
        out.append(
            warning(
                "missing-code",
                f"{row.label()}: no class code; incident files cannot cite the row by plan_code",
                file=name,
                line=row.line,
            )
        )
    return out


def check_plan_file(path: str | Path, overrides: Mapping[str, str] | None = None) -> PlanReport:
    """Read and check a plan file (``arkivlucka plan check``); raises ``InputError`` if unreadable."""
    plan = read_plan(path, overrides)
    return PlanReport(plan, check_plan(plan))
