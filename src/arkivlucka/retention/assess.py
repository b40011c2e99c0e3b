"""Archival rules stage: what the retention schedule says about each lost record, and why.

For a matched lost record: keep or cull, whether the culling period (gallringsfrist) had run
out when the incident occurred, the resulting classification of the loss, and the Swedish
wording that cites the plan. Nothing is guessed: a period that cannot be computed is said
to be so, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from arkivlucka.core.findings import Finding, Severity, error, warning
from arkivlucka.core.swedish import phrase, swedish_date
from arkivlucka.incident import model as m
from arkivlucka.retention.match import Match, Method, match_all
from arkivlucka.retention.schedule import Plan, PlanMeta, PlanRow
from arkivlucka.retention.wording import (
    citation,
    plan_name,
)

#: plan findings that mean the file is no plan (the columns of a plan are missing)
_NOT_A_PLAN_CODES = frozenset({"missing-column", "empty-table", "empty-plan"})
#: plan metadata findings that stay errors: the entries would cite the wrong value
_CITED_VALUE_CODES = frozenset({"invalid-date"})

#: Forlustklassning values (documented in docs/retention-schedule.md).
KEPT_RECORDS_LOST = "gallring-utan-beslut-av-bevarandehandlingar"
CULLED_BEFORE_DUE = "gallring-utan-beslut-fore-fristens-utgang"
CULLABLE_BY_PLAN = "gallringsbar-enligt-plan-frist-utgangen"
DUE_UNKNOWN = "gallring-utan-beslut-frist-kan-ej-beraknas"


@dataclass(frozen=True)
class Assessment:
    """The culling assessment of one lost record against one plan row.

    ``expired`` is None when it cannot be computed (``unknown_reason`` says why);
    ``runs_out`` is the last day of retention when it can be computed.
    """

    record: m.LostRecord
    row: PlanRow
    meta: PlanMeta
    method: Method
    cull: bool
    runs_out: date | None
    expired: bool | None
    unknown_reason: str | None
    classification: str
    explanation: str
    note: str


@dataclass(frozen=True)
class CullingReport:
    """The plan consulted (None: no plan) and the assessment of each lost record by id."""

    meta: PlanMeta | None = None
    assessments: dict[str, Assessment] = field(default_factory=dict)

    def get(self, record: m.LostRecord) -> Assessment | None:
        """The assessment of ``record``, if any."""
        return self.assessments.get(record.id)


def klass(row: PlanRow) -> str:
    """``klass 2.2 Bedriva arbete i projektform (nr 2.2.1)`` (what the plan gives)."""
    parts = [phrase(p) for p in (row.code, row.process) if p]
    text = f"klass {' '.join(parts)}" if parts else "planen"
    if row.id and row.id != row.code:
        text += f" (nr {row.id})"
    return text


def _day(value: date) -> str:
    return f"den {swedish_date(value)}"


def _period_words(text: str) -> str:
    """The period without a leading "Gallras" (the sentence already says it)."""
    return re.sub(r"^((ska|får)\s+)?gallr\w*\s*", "", text.strip(), flags=re.IGNORECASE) or text


def _frist_reason(row: PlanRow) -> str | None:
    frist = row.frist
    if frist is None:
        return "planen anger ingen gallringsfrist"
    if frist.kind == "inactuality":
        return (
            f"fristen ”{frist.text}” beror på när informationen blev inaktuell, "
            "vilket inte framgår av incidentrapporten"
        )
    if not frist.computable:
        return f"fristen räknas från {frist.trigger}, en tidpunkt som inte framgår av incidentrapporten"
    return None


def _basis(base: str | None, end: date) -> str:
    """What the culling period is counted from, in words."""
    if base == "year-end":
        return f"räknat från utgången av {end.year}, det år handlingarnas period slutar"
    return f"räknat från {_day(end)}, då handlingarnas period slutar"


def assess(
    record: m.LostRecord, row: PlanRow, meta: PlanMeta, method: Method, occurred: date | None
) -> Assessment:
    """Assess one lost record against its plan row, for an incident on ``occurred``."""
    subject = f"Enligt {citation(meta)} ska handlingstypen ”{row.record_type}” i {klass(row)}"
    name = plan_name(meta)
    if row.action == "keep":
        text = (
            f"{subject} bevaras. Handlingarna skulle därför ha bevarats, och förlusten är en "
            "gallring utan beslut av handlingar som skulle bevaras."
        )
        note = f"gallring utan gallringsbeslut av handlingar som enligt {name} skulle bevaras"
        return Assessment(
            record, row, meta, method, False, None, None, None, KEPT_RECORDS_LOST, text, note
        )
    frist_text = f" ({_period_words(row.frist.text)})" if row.frist else ""
    head = f"{subject} gallras{frist_text}."
    reason = _frist_reason(row)
    end = record.period.end
    if reason is None and end is None:
        reason = (
            "handlingarnas period anges inte"
            if record.period.is_empty
            else "handlingarnas period har inget angivet slut"
        )
    if reason is None and occurred is None:
        reason = "tidpunkten för incidenten anges inte"
    if reason is not None or row.frist is None or end is None or occurred is None:
        text = (
            f"{head} Om gallringsfristen hade löpt ut vid incidenten kan inte beräknas: "
            f"{reason}. Förlusten redovisas som en gallring utan beslut."
        )
        note = f"gallring utan gallringsbeslut; om gallringsfristen enligt {name} hade löpt ut kan inte beräknas"
        return Assessment(
            record, row, meta, method, True, None, None, reason, DUE_UNKNOWN, text, note
        )
    runs_out = row.frist.runs_out(end.last_day())
    basis = _basis(row.frist.base, end.last_day())
    if occurred > runs_out:
        text = (
            f"{head} Gallringsfristen löpte ut {_day(runs_out)} ({basis}), före incidenten "
            f"{_day(occurred)}. Förlusten gällde alltså handlingar som hade fått gallras enligt "
            "planen; den redovisas ändå, eftersom förlusten inte var en verkställd gallring "
            "enligt planen."
        )
        note = f"gallringsfristen enligt {name} hade löpt ut {_day(runs_out)}; handlingarna hade fått gallras"
        return Assessment(
            record, row, meta, method, True, runs_out, True, None, CULLABLE_BY_PLAN, text, note
        )
    text = (
        f"{head} Gallringsfristen löper ut {_day(runs_out)} ({basis}), inte före incidenten "
        f"{_day(occurred)}. Handlingarna skulle alltså ha funnits kvar, och förlusten är en "
        "gallring utan beslut före gallringsfristens utgång."
    )
    note = f"gallring utan gallringsbeslut före gallringsfristens utgång {_day(runs_out)} enligt {name}"
    return Assessment(
        record, row, meta, method, True, runs_out, False, None, CULLED_BEFORE_DUE, text, note
    )


def assess_all(incident: m.Incident, meta: PlanMeta, matches: list[Match]) -> CullingReport:
    """Assess every matched lost record (unmatched ones are left out)."""
    occurred = incident.occurred.day() if incident.occurred else None
    out = {
        mt.record.id: assess(mt.record, mt.row, meta, mt.method, occurred)
        for mt in matches
        if mt.row is not None and mt.method is not None
    }
    return CullingReport(meta, out)


def apply_plan(incident: m.Incident, plan: Plan | None) -> tuple[CullingReport, list[Finding]]:
    """Match and assess every lost record against ``plan`` (None: no plan consulted).

    Errors: a lost record without a confirmed match, or matched to a row the plan states
    badly, or a decision date that is no date. The plan's other findings come back as
    warnings: its metadata findings as they are, those of unmatched rows as one summary.
    """
    if plan is None:
        return CullingReport(), []
    from arkivlucka.retention.check import check_plan

    plan_findings = check_plan(plan)
    unreadable = [f for f in plan_findings if f.is_error and f.code in _NOT_A_PLAN_CODES]
    if unreadable:  # not a plan at all: say what is missing, not that nothing matches
        return CullingReport(), [
            replace(
                f,
                code="plan-not-a-plan",
                message=f"{plan.file} is not a retention schedule arkivlucka can read: "
                f"{f.message} [{f.code}]; 'arkivlucka plan check {plan.file}' lists what a "
                "plan needs",
            )
            for f in unreadable
        ]
    matches, out = match_all(incident, plan)
    used = {mt.row.line for mt in matches if mt.row is not None}
    for mt in matches:
        if mt.row is None:
            continue
        bad = [f for f in plan_findings if f.line == mt.row.line and f.is_error]
        out += [
            error(
                "plan-row-invalid",
                f"lost_records[{mt.index}] '{mt.record.title}' matches {mt.row.label()} on line "
                f"{mt.row.line} of {plan.file}, which cannot be applied: {f.message} [{f.code}]",
                path=f"lost_records[{mt.index}]",
            )
            for f in bad
        ]
    out += [
        f if f.code in _CITED_VALUE_CODES else replace(f, severity=Severity.WARNING)
        for f in plan_findings
        if f.line is None
    ]
    rest = [f for f in plan_findings if f.line is not None and f.line not in used]
    if rest:
        out.append(
            warning(
                "plan-has-findings",
                f"{len(rest)} finding(s) about other rows of the plan; run "
                f"'arkivlucka plan check {plan.file}' to list them",
                file=plan.file,
            )
        )
    return assess_all(incident, plan.meta, matches), out
