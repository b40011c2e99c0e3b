"""Register stage, data: what the register hands out, as plain frozen dataclasses (no database).

``LossAnswer`` is one lost record type of one incident for one records creator, with what was
recovered and where it is kept; ``CreatorLosses`` is every loss of one records creator (the
appendix to its arkivbeskrivning). Both are documented in ``docs/register.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

Match = Literal["certain", "possible"]
#: order in which a records creator's codes identify it (in the entries' Kod, as a METS agent)
CODE_ORDER = ("nad_code", "hsa_id", "org_number")


def name_key(text: str) -> str:
    """The form a name is compared in: NFC, casefolded, inner white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


@dataclass(frozen=True)
class Creator:
    """A records creator (arkivbildare) as kept in the register; every field but the name may be empty.

    ``active_start``/``active_end`` are ISO partial dates (``1971``, ``2019-05``, ``2019-05-01``).
    """

    name: str
    kind: str | None = None
    department: str | None = None
    org_number: str | None = None
    hsa_id: str | None = None
    nad_code: str | None = None
    active_start: str | None = None
    active_end: str | None = None

    def identification_code(self) -> str | None:
        """The code that identifies it: NAD reference code, else HSA-id, else organisation number."""
        return next((getattr(self, k) for k in CODE_ORDER if getattr(self, k)), None)


@dataclass(frozen=True)
class PeriodInfo:
    """A period as recorded: ISO partial dates with their precision (year, month, day) and wording."""

    start: str | None = None
    start_precision: str | None = None
    end: str | None = None
    end_precision: str | None = None
    text: str | None = None

    def display(self) -> str:
        """``2019–2021``, ``från 2020``, ``till 2023-10-19``, or the wording; '' when unknown."""
        if self.start and self.end:
            shown = self.start if self.start == self.end else f"{self.start}–{self.end}"
        elif self.start:
            shown = f"från {self.start}"
        elif self.end:
            shown = f"till {self.end}"
        else:
            return self.text or ""
        return f"{shown} ({self.text})" if self.text and self.text != shown else shown


@dataclass(frozen=True)
class ExtractInfo:
    """A recovered extract (uttag) of the incident: what, which period, where it is kept."""

    title: str
    period: PeriodInfo
    kept_in: str | None = None
    series: str | None = None
    reference: str | None = None

    def where(self) -> str:
        """Where it is kept, in words: ``W3D3, kommunstyrelsens serie``; '' when not stated."""
        return ", ".join(x for x in (self.kept_in, self.series, self.reference) if x)


@dataclass(slots=True)
class LossAnswer:
    """One lost record type of one incident, for one records creator: what, when, why, what was saved.

    ``match`` is ``possible`` when a period asked for cannot be excluded but the lost period is
    not known at both ends (so the overlap is not certain), else ``certain``. Not frozen (it
    is made by the thousand and frozen dataclasses are slow to build); treat it as read-only.
    """

    creator: str
    creator_department: str | None
    incident_id: str
    incident_reference: str | None
    organisation: str | None
    occurred: str | None
    occurred_precision: str | None
    discovered: str | None
    discovered_precision: str | None
    record_id: str
    title: str
    record_type: str | None
    period: PeriodInfo
    extent: str
    plan_code: str | None
    process: str | None
    process_title: str | None
    classification: str | None
    series: str | None
    system: str | None
    supplier: str | None
    culling_classification: str
    culled_by_plan: bool | None
    extracts: tuple[ExtractInfo, ...]
    description_post_id: str
    inventory_post_id: str
    package_objid: str | None
    match: Match = "certain"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (field names as keys, nested periods and extracts as dicts)."""
        data = asdict(self)
        data["extracts"] = [asdict(x) for x in self.extracts]
        return data


@dataclass(frozen=True)
class CreatorLosses:
    """Every loss recorded for one records creator, oldest incident first."""

    creator: Creator
    losses: tuple[LossAnswer, ...]
