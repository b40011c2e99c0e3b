"""Archival rules stage: checks across fields, readiness for entries, and missing facts.

Errors here stop ``describe``; warnings name each fact the report does not give, which the
entries then leave empty (nothing is invented).
"""

from __future__ import annotations

from collections import Counter

from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.core.text import slug
from arkivlucka.incident import model as m

#: How the loss is classified when the report gives no culling decision (the whole point).
LOSS_CLASSIFICATION = "gallring-utan-beslut"


def check_consistency(incident: m.Incident) -> list[Finding]:
    """Rules across fields that make an incident contradictory, whatever it is used for."""
    out: list[Finding] = []
    if (
        incident.discovered
        and incident.occurred
        and _before(incident.discovered, incident.occurred)
    ):
        out.append(
            error(
                "discovered-before-occurred",
                f"discovered.at: the incident is discovered ({incident.discovered.iso()}) "
                f"before it occurred ({incident.occurred.iso()})",
                path="discovered.at",
            )
        )
    for i, rec in enumerate(incident.lost_records):
        if _reversed(rec.period):
            out += _period_order(rec.period, f"lost_records[{i}].period")
    for i, ext in enumerate(incident.extracts):
        if _reversed(ext.period):
            out += _period_order(ext.period, f"extracts[{i}].period")
    out += _unique([r.id for r in incident.lost_records], "lost_records", "id")
    out += _unique([c.name for c in incident.records_creators], "records_creators", "name")
    out += _look_alike([c.name for c in incident.records_creators], "records_creators", "name")
    out += _unique([p.code for p in incident.processes], "processes", "code")
    out += _unique([s.name for s in incident.systems], "systems", "name")
    codes = {p.code for p in incident.processes}
    names = {s.name for s in incident.systems}
    for i, rec in enumerate(incident.lost_records):
        if rec.process and rec.process not in codes:
            out.append(
                error(
                    "unknown-reference",
                    f"lost_records[{i}].process: '{rec.process}' is not a code in processes "
                    f"({', '.join(sorted(codes)) or 'none listed'})",
                    path=f"lost_records[{i}].process",
                )
            )
        if rec.system and rec.system not in names:
            out.append(
                error(
                    "unknown-reference",
                    f"lost_records[{i}].system: '{rec.system}' is not a name in systems "
                    f"({', '.join(sorted(names)) or 'none listed'})",
                    path=f"lost_records[{i}].system",
                )
            )
    return out


def check_ready(incident: m.Incident) -> list[Finding]:
    """What must be there before entries can be made: creators, lost records, confirmations."""
    out: list[Finding] = []
    if not incident.records_creators:
        out.append(
            error(
                "no-records-creator",
                "records_creators: at least one records creator (arkivbildare) is needed "
                "to make entries",
                path="records_creators",
            )
        )
    if not incident.lost_records:
        out.append(
            error(
                "no-lost-record",
                "lost_records: at least one lost record is needed to make entries",
                path="lost_records",
            )
        )
    if incident.consequences.restored is True:
        out.append(
            warning(
                "restored-but-lost",
                "consequences.restored: the report says the information was restored; only "
                "what could not be restored is a loss (gallring) to document",
                path="consequences.restored",
            )
        )
    for section, items in (
        ("lost_records", incident.lost_records),
        ("systems", incident.systems),
        ("extracts", incident.extracts),
        ("records_creators", incident.records_creators),
    ):
        for i, item in enumerate(items):
            if getattr(item, "proposed", False):
                name = getattr(item, "title", None) or getattr(item, "name", "")
                out.append(
                    error(
                        "unconfirmed-proposal",
                        f"{section}[{i}] ('{name}'): proposed by 'arkivlucka import' from the "
                        "report's prose and not yet confirmed; check it against the report, "
                        "correct it if needed, then delete its 'proposed: true' line (or set "
                        "it to false), or delete the entry if it is wrong",
                        path=f"{section}[{i}].proposed",
                    )
                )
    return out


def missing_facts(incident: m.Incident) -> list[Finding]:
    """One warning per fact the entries would state but the incident does not give."""
    wanted: list[tuple[str, object]] = [
        ("organisation", incident.organisation),
        ("reference", incident.reference),
        ("summary", incident.summary),
        ("occurred", incident.occurred),
        ("discovered", incident.discovered),
        ("culling_rationale", incident.culling_rationale),
    ]
    for key in ("occurred", "discovered"):
        tp = getattr(incident, key)
        if tp is not None:
            wanted.append((f"{key}.precision", tp.precision))
    for i, rec in enumerate(incident.lost_records):  # a path is made only for what is missing
        if rec.period.is_empty:
            wanted.append((f"lost_records[{i}].period", None))
        if rec.extent == "unknown":
            wanted.append((f"lost_records[{i}].extent", None))
    for i, sys in enumerate(incident.systems):
        wanted.append((f"systems[{i}].supplier", sys.supplier))
    for i, proc in enumerate(incident.processes):
        wanted.append((f"processes[{i}].title", proc.title))
    for i, cre in enumerate(incident.records_creators):
        wanted.append((f"records_creators[{i}].department", cre.department))
    for i, ext in enumerate(incident.extracts):
        wanted.append((f"extracts[{i}].kept_in", ext.kept_in))
    if not incident.systems:
        wanted.append(("systems", None))
    if not incident.processes:
        wanted.append(("processes", None))
    return [
        warning("missing-fact", f"{path}: not given; the entries leave it empty", path=path)
        for path, value in wanted
        if value is None
    ]


def check_all(incident: m.Incident) -> list[Finding]:
    """Consistency, readiness and missing facts, in that order."""
    return check_consistency(incident) + check_ready(incident) + missing_facts(incident)


def _before(a: m.TimePoint, b: m.TimePoint) -> bool:
    if a.has_time and b.has_time:
        return a.at < b.at
    return a.day() < b.day()


def _reversed(period: m.Period) -> bool:
    return bool(period.start and period.end and period.start.first_day() > period.end.last_day())


def _period_order(period: m.Period, path: str) -> list[Finding]:
    if period.start and period.end and period.start.first_day() > period.end.last_day():
        return [
            error(
                "period-reversed",
                f"{path}: starts ({period.start.iso()}) after it ends ({period.end.iso()})",
                path=path,
            )
        ]
    return []


def _look_alike(values: list[str], section: str, key: str) -> list[Finding]:
    """A warning for each value that is an earlier one but for case, accents or punctuation.

    Such values have the same ``slug``: likely one records creator written two ways.
    """
    first: dict[str, int] = {}
    out = []
    for i, value in enumerate(values):
        stem = slug(value)
        j = first.setdefault(stem, i) if stem else i
        if j != i and values[j] != value:
            out.append(
                warning(
                    "look-alike-value",
                    f"{section}[{i}].{key}: '{value}' differs from {section}[{j}].{key} "
                    f"'{values[j]}' only in case, accents or punctuation; if they are the same, "
                    "write it the same way (otherwise each gets its own entries)",
                    path=f"{section}[{i}].{key}",
                )
            )
    return out


def _unique(values: list[str], section: str, key: str) -> list[Finding]:
    if len(set(values)) == len(values):
        return []  # the usual case, without counting
    counts = Counter(values)
    return [
        error(
            "duplicate-value",
            f"{section}[{i}].{key}: '{v}' is given more than once",
            path=f"{section}[{i}].{key}",
        )
        for i, v in enumerate(values)
        if counts[v] > 1 and values.index(v) != i
    ]
