"""Model stage: the incident and its archival facts as plain, immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from arkivlucka.core.dates import month_end

Precision = Literal["exact", "estimated"]
Kind = Literal["confirmed", "suspected"]
Status = Literal["ongoing", "aborted", "closed"]
Disruption = Literal["limited", "large", "very_large", "unknown"]
Risk = Literal["yes", "no", "unknown"]
Extent = Literal["complete", "partial", "unknown"]
Restored = bool | Literal["partial"]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day (``2019``, ``2019-05``, ...)."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """Return the ISO 8601 form at the date's own granularity."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        """Return the earliest day the partial date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """Return the latest day the partial date can mean."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return month_end(self.year, self.month)
        return date(self.year, self.month, self.day)


@dataclass(frozen=True)
class Period:
    """A period of records; either end may be open (unknown or not stated).

    ``text`` keeps the report's own wording (e.g. "efter 2019") for the prose.
    """

    start: PartialDate | None = None
    end: PartialDate | None = None
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        """Whether the period says nothing at all."""
        return self.start is None and self.end is None and not self.text


@dataclass(frozen=True)
class TimePoint:
    """When something happened, to the minute or the day, and whether exact or estimated."""

    at: datetime | date
    precision: Precision | None = None

    @property
    def has_time(self) -> bool:
        """Whether a clock time is known, not only a date."""
        return isinstance(self.at, datetime)

    def iso(self) -> str:
        """Return ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD``."""
        at = self.at
        if isinstance(at, datetime):  # what strftime("%Y-%m-%dT%H:%M") gives, a third the time
            return f"{at.year}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}"
        return at.isoformat()

    def day(self) -> date:
        """Return the calendar day of the time point."""
        return self.at.date() if isinstance(self.at, datetime) else self.at


@dataclass(frozen=True)
class Person:
    """The person who reported the incident (name and e-mail are personal data)."""

    name: str | None = None
    title: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Consequences:
    """Konsekvenser: disruption of the service, business criticality, restoration.

    ``restored`` is ``True`` (återställt), ``False`` (ej återställt) or ``"partial"``
    (delvis återställt).
    """

    disruption: Disruption | None = None
    business_critical: bool | None = None
    restored: Restored | None = None


@dataclass(frozen=True)
class Affected:
    """How much the incident affected, in the report's own words (e.g. "cirka 1 400")."""

    records: str | None = None
    persons: str | None = None


@dataclass(frozen=True)
class AuthorityReport:
    """A report of the incident to an authority: IMY, MSB, the police (Polisen) or another."""

    to: str
    date: PartialDate | None = None
    reference: str | None = None


@dataclass(frozen=True)
class LostRecord:
    """A kind of record (handling) lost in the incident.

    ``process`` refers to a code in ``Incident.processes``; ``classification`` and
    ``series`` say where it belongs in the arkivförteckning (class code or series signum).
    ``proposed`` is true while a suggestion made by ``import`` awaits confirmation.
    """

    id: str
    title: str
    period: Period = field(default_factory=Period)
    extent: Extent = "unknown"
    record_type: str | None = None
    process: str | None = None
    classification: str | None = None
    series: str | None = None
    system: str | None = None
    description: str | None = None
    plan_code: str | None = None
    proposed: bool = False


@dataclass(frozen=True)
class System:
    """An IT system affected by the incident."""

    name: str
    role: str | None = None
    supplier: str | None = None
    proposed: bool = False


@dataclass(frozen=True)
class Process:
    """A process in the classification scheme (e.g. KLASSA ``2.2`` Bedriva arbete i projektform)."""

    code: str
    title: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class RecordsCreator:
    """An arkivbildare that must record the loss, and the förvaltning that serves it."""

    name: str
    department: str | None = None
    code: str | None = None
    proposed: bool = False


@dataclass(frozen=True)
class Extract:
    """A recovered extract (uttag): what, which period, and where it is kept."""

    title: str
    period: Period = field(default_factory=Period)
    kept_in: str | None = None
    series: str | None = None
    reference: str | None = None
    proposed: bool = False


@dataclass(frozen=True)
class Incident:
    """One incident report with the archival facts stated by the archivist."""

    organisation: str | None = None
    reference: str | None = None
    reported_by: Person = field(default_factory=Person)
    department: str | None = None
    unit: str | None = None
    kind: Kind | None = None
    status: Status | None = None
    summary: str | None = None
    discovered: TimePoint | None = None
    occurred: TimePoint | None = None
    categories: tuple[str, ...] = ()
    consequences: Consequences = field(default_factory=Consequences)
    actions_taken: str | None = None
    actions_planned: str | None = None
    scope: str | None = None
    valuation: str | None = None
    culling_notes: str | None = None
    police_report: bool | None = None
    personal_data_risk: Risk | None = None
    reports: tuple[AuthorityReport, ...] = ()
    affected: Affected = field(default_factory=Affected)
    lost_records: tuple[LostRecord, ...] = ()
    systems: tuple[System, ...] = ()
    processes: tuple[Process, ...] = ()
    records_creators: tuple[RecordsCreator, ...] = ()
    extracts: tuple[Extract, ...] = ()
    culling_rationale: str | None = None
    source: str | None = None
