"""Archival rules stage, wording: how an entry cites the retention schedule, without reading one.

The sentences on the culling assessment for the arkivbeskrivning paragraph, and how the plan
is cited. Kept apart from ``assess`` (matching and assessing against a plan) so an entry
written without a plan does not load the plan machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arkivlucka.core.swedish import join, phrase

if TYPE_CHECKING:
    from arkivlucka.incident import model as m
    from arkivlucka.retention.assess import CullingReport
    from arkivlucka.retention.schedule import PlanMeta

NO_PLAN_TEXT = (
    "Ingen dokumenthanteringsplan har konsulterats när posten upprättades; om handlingarna "
    "skulle ha bevarats eller fått gallras har därför inte bedömts mot en plan."
)
#: when the report itself says what the plan says: the statement is the report's, unchecked
NOT_CHECKED_TEXT = (
    "Uppgiften är incidentrapportens och har inte kontrollerats mot en "
    "dokumenthanteringsplan när posten upprättades."
)


def plan_name(meta: PlanMeta) -> str:
    """The plan by name, or a description when the plan does not give one."""
    return phrase(meta.name) if meta.name else "dokumenthanteringsplanen (namn anges inte)"


def citation(meta: PlanMeta) -> str:
    """``Kommungemensam dokumenthanteringsplan, version 1.0 (beslut: Kommunstyrelsen ...)``."""
    text = plan_name(meta)
    if meta.version:
        text += f", version {phrase(meta.version)}"
    decision = meta.decision()
    text += f" (beslut: {phrase(decision)})" if decision else " (beslut anges inte i planen)"
    return text


def paragraph_text(incident: m.Incident, report: CullingReport | None) -> str:
    """The sentences on the culling assessment for the arkivbeskrivning paragraph.

    The plan is cited once; each assessment then says "Enligt planen". Without a plan, the
    text says so, and when the report states what the plan says, that the statement was
    not checked against a plan.
    """
    if report is None or report.meta is None:
        return NOT_CHECKED_TEXT if incident.culling_rationale else NO_PLAN_TEXT
    cited = f"Enligt {citation(report.meta)}"
    groups: dict[str, list[str]] = {}
    for rec in incident.lost_records:
        found = report.get(rec)
        if found is not None:
            short = found.explanation.replace(cited, "Enligt planen", 1)
            groups.setdefault(short, []).append(rec.title)
    head = f"De förlorade handlingarna har bedömts mot {citation(report.meta)}."
    if len(groups) == 1 and sum(map(len, groups.values())) == len(incident.lost_records):
        return f"{head} {next(iter(groups))}"
    return " ".join(
        [head]
        + [
            f"För {join([t[:1].lower() + t[1:] for t in titles])}: {text[:1].lower() + text[1:]}"
            for text, titles in groups.items()
        ]
    )
