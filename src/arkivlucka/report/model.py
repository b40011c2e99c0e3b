"""Report stage, data: what a report shows, read from the entries; plain data, no behaviour.

Every field that an entry may leave out is ``None`` (or empty), and the templates show it as
missing ("uppgift saknas"): nothing here is filled in from anywhere but the entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Period:
    """A period as the entries give it: ISO partial dates and the report's own words."""

    start: str | None = None
    end: str | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        """True when the entry gives no part of the period."""
        return not (self.start or self.end or self.text)


@dataclass(frozen=True)
class TimePoint:
    """``Intraffade``/``Upptacktes``: an ISO date or date-time and its precision."""

    value: str
    precision: str | None = None


@dataclass(frozen=True)
class PlanRef:
    """The retention-schedule row a lost record was assessed against (``Gallring/Plan``)."""

    name: str | None = None
    version: str | None = None
    decision: str | None = None
    class_code: str | None = None
    number: str | None = None
    process_name: str | None = None
    record_type: str | None = None
    storage: str | None = None
    matching: str | None = None


@dataclass(frozen=True)
class Culling:
    """An FGS-style ``Gallring`` block: what the plan says about a record type and why."""

    culled: bool
    period_expired: bool | None = None
    retention: str | None = None
    period_end: str | None = None
    explanation: str | None = None
    plan: PlanRef | None = None
    classification: str | None = None


@dataclass(frozen=True)
class LostRecord:
    """One ``ForloradHandling`` with the gap (``Lucka``) the inventory entry notes for it."""

    id: str
    title: str
    extent: str
    record_type: str | None = None
    period: Period = field(default_factory=Period)
    process: str | None = None
    classification: str | None = None
    series: str | None = None
    system: str | None = None
    description: str | None = None
    culling: Culling | None = None
    note: str | None = None
    placement_class: str | None = None
    placement_series: str | None = None


@dataclass(frozen=True)
class System:
    """An affected system (``PaverkadeSystem/System``)."""

    name: str
    role: str | None = None
    supplier: str | None = None


@dataclass(frozen=True)
class Process:
    """An affected process (``PaverkadeProcesser/Process``)."""

    code: str
    title: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Extract:
    """A recovered extract (``AtervunnaUttag/Uttag``) and where it is kept."""

    title: str
    period: Period = field(default_factory=Period)
    kept_in: str | None = None
    series: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Reporter:
    """Who reported the incident, as far as the entry names them (a role unless asked)."""

    role: str | None = None
    name: str | None = None
    email: str | None = None
    department: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Incident:
    """The incident facts of the arkivbeskrivning entry; codes kept as the schema has them."""

    id: str
    reference: str | None = None
    organisation: str | None = None
    report: str | None = None
    reporter: Reporter | None = None
    kind: str | None = None
    status: str | None = None
    occurred: TimePoint | None = None
    discovered: TimePoint | None = None
    summary: str | None = None
    categories: tuple[str, ...] = ()
    disruption: str | None = None
    business_critical: bool | None = None
    restored: bool | None = None
    actions_taken: str | None = None
    actions_planned: str | None = None
    scope: str | None = None
    valuation: str | None = None
    culling_notes: str | None = None
    police_report: bool | None = None
    personal_data_risk: str | None = None


@dataclass(frozen=True)
class Missing:
    """A fact the incident report did not give (``SaknadeUppgifter/Uppgift``)."""

    field: str
    text: str


@dataclass(frozen=True)
class Entries:
    """The two entries of one records creator for one incident, read and validated."""

    description_id: str
    inventory_id: str
    created: str
    created_by: str | None
    tool: str
    tool_version: str
    creator: str
    department: str | None
    creator_code: str | None
    incident: Incident
    lost: tuple[LostRecord, ...]
    systems: tuple[System, ...]
    processes: tuple[Process, ...]
    extracts: tuple[Extract, ...]
    culling_class: str
    culling_explanation: str | None
    text: str
    missing: tuple[Missing, ...]


@dataclass(frozen=True)
class LossLine:
    """One lost record in the appendix of all a records creator's losses across incidents.

    Plain text throughout, as the register holds it; ``None`` is shown as missing.
    ``extent`` is a schema code (``helt``/``delvis``/``okand``) or words of the caller's own.
    """

    incident_id: str
    title: str
    registry_number: str | None = None
    record_type: str | None = None
    period: str | None = None
    extent: str | None = None
    system: str | None = None
    process: str | None = None
    plan_code: str | None = None
    classification: str | None = None
    recovered: str | None = None
    kept_in: str | None = None
