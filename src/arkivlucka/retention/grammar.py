"""Read stage for retention schedules: the grammar of keep/cull cells and culling periods.

Parses the Swedish wording of a dokumenthanteringsplan cell ("Bevaras", "Gallras",
"2 år", "5 år efter sista anteckning", "efter 10 år", "vid inaktualitet", "vid avslut")
into an action (keep or cull) and a culling period (gallringsfrist). See
``docs/retention-schedule.md`` for the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta

Action = Literal["keep", "cull"]
#: duration: a computable or event-relative length; inactuality: "vid inaktualitet";
#: event: culled at or after an event ("vid avslut", "efter överföring till e-arkiv").
FristKind = Literal["duration", "inactuality", "event"]
#: what a duration is counted from: the end of the records' period, or the end of that year.
Base = Literal["period-end", "year-end"]

NUMBERS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20,
}  # fmt: skip
UNITS = {
    "år": "years", "månad": "months", "månader": "months", "mån": "months",
    "vecka": "weeks", "veckor": "weeks", "dag": "days", "dagar": "days", "dygn": "days",
}  # fmt: skip

_KEEP = re.compile(
    r"^(bevara(s|d)?|b|arkiveras|ska bevaras|bevaras för (all )?framtid|"
    r"(ingen|ej|inte) gallr\w*|gallras (ej|inte)|(får|ska) (ej|inte) gallras)\b"
)
_CULL = re.compile(r"^((ska |får )?gallr(as|a|ing)|g)\b[\s,:;-]*")
_NUM = "|".join(sorted(NUMBERS, key=len, reverse=True))
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_DURATION = re.compile(
    rf"^(?:efter\s+)?(\d{{1,3}}|{_NUM})\s*({_UNIT})\b\.?"
    rf"(?:\s*,?\s*(?:räknat\s+)?(?:efter|från|fr\.\s*o\.\s*m\.|från och med)\s+(?P<trigger>.+))?$"
)
_INACTUAL = re.compile(r"^(?:(?:vid|efter|när|då)\b.*)?\binaktu(?:alitet|ell\w*)$")
_EVENT = re.compile(r"^(vid|efter|när|då|i samband med)\s+(?P<trigger>\S.*)$")
_NOW = re.compile(r"^(omedelbart|direkt|genast)$")
#: triggers counted from the records' own dates (the latest record: the period's end).
_FROM_RECORD = re.compile(
    r"^(sista anteckning\w*|senaste anteckning\w*|upprätta\w*|tillkomst\w*|inkom\w*|"
    r"inkomst\w*|registrer\w*|handlingens datum|datum\w*)$"
)
_FROM_YEAR_END = re.compile(
    r"^((kalender|räkenskaps|verksamhets)?år(et)?s?\s+(slut|utgång)|"
    r"utgången av (det )?(kalender|räkenskaps|verksamhets)?år(et)?|årsskifte\w*)$"
)


@dataclass(frozen=True)
class Frist:
    """A culling period as the plan words it, and what can be computed from it.

    ``base`` is None when the period runs from an event the incident report cannot date
    (then whether it had run out cannot be computed).
    """

    text: str
    kind: FristKind
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    trigger: str | None = None
    base: Base | None = None

    @property
    def computable(self) -> bool:
        """Whether the end of the period follows from the records' period alone."""
        return self.kind == "duration" and self.base is not None

    def runs_out(self, period_end: date) -> date:
        """The last day of retention for records whose period ends ``period_end``."""
        start = date(period_end.year, 12, 31) if self.base == "year-end" else period_end
        return start + relativedelta(
            years=self.years, months=self.months, weeks=self.weeks, days=self.days
        )


@dataclass(frozen=True)
class Rule:
    """What one cell says: keep or cull (if it says), and the culling period (if any)."""

    action: Action | None
    frist: Frist | None = None


class PeriodSyntaxError(ValueError):
    """A cell that is neither keep, cull nor a culling period in the known grammar."""


def normalise(text: str) -> str:
    """Casefold, collapse spaces, drop a final full stop."""
    return re.sub(r"\s+", " ", text).strip().casefold().rstrip(".").strip()


def parse_rule(text: str) -> Rule:
    """Parse a keep/cull cell or a culling-period cell; raise ``PeriodSyntaxError``.

    ``"Bevaras"`` → keep; ``"Gallras"`` → cull without period; ``"Gallras efter 2 år"``,
    ``"2 år"`` → cull with a period (a bare period implies cull). Empty → no action.
    """
    norm = normalise(text)
    if not norm:
        return Rule(None)
    if _KEEP.match(norm):
        return Rule("keep")
    cull = _CULL.match(norm)
    rest = norm[cull.end() :].strip() if cull else norm
    if not rest:
        return Rule("cull")
    return Rule("cull", parse_frist(rest, original=text.strip()))


def parse_frist(norm: str, original: str | None = None) -> Frist:
    """Parse the period part (already normalised, without "gallras"); raise on failure."""
    text = original if original is not None else norm
    if _NOW.match(norm):
        return Frist(text, "duration", base="period-end")
    m = _DURATION.match(norm)
    if m:
        number = m.group(1)
        amount = int(number) if number.isdigit() else NUMBERS[number]
        unit = UNITS[m.group(2)]
        trigger = m.group("trigger")
        base: Base | None = "period-end"
        if trigger:
            trigger = trigger.strip(" ,.")
            if _FROM_YEAR_END.match(trigger):
                base = "year-end"
            elif not _FROM_RECORD.match(trigger):
                base = None
        sizes = {u: amount if u == unit else 0 for u in ("years", "months", "weeks", "days")}
        return Frist(
            text, "duration", sizes["years"], sizes["months"], sizes["weeks"], sizes["days"],
            trigger=trigger, base=base,
        )  # fmt: skip
    if _INACTUAL.match(norm):
        return Frist(text, "inactuality", trigger="inaktualitet")
    m = _EVENT.match(norm)
    if m and not re.search(r"\d", m.group("trigger")):
        return Frist(text, "event", trigger=m.group("trigger"))
    raise PeriodSyntaxError(
        f"'{text}' is not a culling period this tool understands "
        "(e.g. '2 år', '5 år efter sista anteckning', 'efter 10 år', 'vid inaktualitet', "
        "'vid avslut', 'Bevaras')"
    )
