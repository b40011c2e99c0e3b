"""Archival rules stage, wording: the Swedish prose of the entries, built only from facts.

Each sentence is made from structured facts; a fact that is missing leaves its sentence or
clause out instead of being guessed.
"""

from __future__ import annotations

import re
from datetime import datetime

from arkivlucka.core.context import RunContext
from arkivlucka.core.swedish import (
    MONTHS,
    clock,
    definite_role,
    genitive,
    join,
    phrase,
    swedish_date,
)
from arkivlucka.incident import model as m

PRECISION = {"exact": "exakt tid", "estimated": "uppskattad tid"}
DATE_PRECISION = {
    "exact": "exakt datum, klockslaget anges inte",
    "estimated": "uppskattat datum, klockslaget anges inte",
}
EXTENT = {"complete": "helt förlorade", "partial": "delvis förlorade"}
EXTENT_CODE = {"complete": "helt", "partial": "delvis", "unknown": "okand"}


def partial_date(value: m.PartialDate) -> str:
    """Return a partial date in words: ``2019``, ``maj 2019``, ``19 oktober 2023``."""
    if value.month is None:
        return str(value.year)
    if value.day is None:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return swedish_date(value.first_day())


def period(value: m.Period) -> str | None:
    """Return a period in words (the report's own wording when it gave one), or None."""
    if value.text:
        return value.text
    start, end = value.start, value.end
    if start and end:
        if start == end:
            return partial_date(start)
        if start.month is None and end.month is None:
            return f"{start.year}–{end.year}"
        return _span(start, end)
    if start:
        return f"från och med {partial_date(start)}"
    if end:
        return f"till och med {partial_date(end)}"
    return None


def _span(start: m.PartialDate, end: m.PartialDate) -> str:
    """``13–19 januari 2024``, ``1 mars–31 augusti 2016``, ``mars–augusti 2016``.

    What the two ends share is said once, as Swedish writes a span.
    """
    full = f"{partial_date(start)}–{partial_date(end)}"
    if start.year != end.year or start.month is None or end.month is None:
        return full
    month = MONTHS[start.month - 1]
    if start.day is None and end.day is None:
        return f"{month}–{partial_date(end)}"
    if start.day is None or end.day is None:
        return full
    if start.month == end.month:
        return f"{start.day}–{partial_date(end)}"
    return f"{start.day} {month}–{partial_date(end)}"


def timepoint(tp: m.TimePoint) -> str:
    """Return ``den 19 oktober 2023 kl. 16.00 (uppskattad tid)``.

    A time point given as a date only says what the precision is about: the date
    (``den 19 oktober 2023 (exakt datum, klockslaget anges inte)``), never "exakt tid".
    """
    text = f"den {swedish_date(tp.day())}"
    if isinstance(tp.at, datetime):
        text += f" {clock(tp.at)}"
        if tp.precision:
            text += f" ({PRECISION[tp.precision]})"
    elif tp.precision:
        text += f" ({DATE_PRECISION[tp.precision]})"
    return text


def _lower_first(text: str) -> str:
    """``Tidplaner`` → ``tidplaner`` for use mid-sentence; ``IT-system``, ``W3D3`` stay."""
    text = phrase(text)
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _sentence(text: str) -> str:
    text = " ".join(text.split())  # spaces collapsed: re.sub(r"\s+", " ", text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def lost_record(rec: m.LostRecord) -> str:
    """Return one lost record in words: title, period and extent.

    ``tidplaner (2022–2023, delvis förlorade)``; a title that ends in its own parenthesis
    takes the details after a comma instead, so parentheses never pile up.
    """
    details = [d for d in (period(rec.period), EXTENT.get(rec.extent)) if d]
    title = _lower_first(rec.title)
    if not details:
        return title
    if title.endswith(")"):
        return f"{title}, {', '.join(details)}"
    return f"{title} ({', '.join(details)})"


def system(sys: m.System) -> str:
    """Return ``Digframe (modul, leverantör DirSys)``."""
    supplier = f"leverantör {phrase(sys.supplier)}" if sys.supplier else None
    details = [d for d in (phrase(sys.role) if sys.role else None, supplier) if d]
    return f"{phrase(sys.name)} ({', '.join(details)})" if details else phrase(sys.name)


def series(text: str) -> str:
    """``KS F3 Lönehandlingar`` → ``serie KS F3 Lönehandlingar``; ``kommunstyrelsens serie`` stays."""
    text = phrase(text)
    return text if re.search(r"\bserie", text, re.IGNORECASE) else f"serie {text}"


def extract(ext: m.Extract) -> str:
    """Return a recovered extract in words with where it is kept.

    ``insamlat uttag (2019–2021), som förvaras i W3D3, serie KS A1 Diarium``.
    """
    text = _lower_first(ext.title)
    ref = f"referens {phrase(ext.reference)}" if ext.reference else None
    details = [d for d in (period(ext.period), ref) if d]
    if details:
        joined = ", ".join(details)
        text += f", {joined}" if text.endswith(")") else f" ({joined})"
    place = [phrase(ext.kept_in)] if ext.kept_in else []
    if ext.series:
        place.append(series(ext.series))
    if place:
        text += f", som förvaras i {', '.join(place)}"
    return text


def _when(incident: m.Incident) -> str:
    """When the incident occurred and was discovered; an unknown time is said to be so."""
    occ, dis = incident.occurred, incident.discovered
    if occ and dis:
        return _sentence(f"Incidenten inträffade {timepoint(occ)} och upptäcktes {timepoint(dis)}")
    if occ:
        return (
            _sentence(f"Incidenten inträffade {timepoint(occ)}")
            + " När den upptäcktes anges inte i incidentrapporten."
        )
    if dis:
        return (
            _sentence(f"Incidenten upptäcktes {timepoint(dis)}")
            + " När den inträffade anges inte i incidentrapporten."
        )
    return "När incidenten inträffade och när den upptäcktes anges inte i incidentrapporten."


def _restoration(incident: m.Incident, creator: m.RecordsCreator) -> str:
    """Why the loss is a culling, qualified by what the report says about restoration."""
    where = f"i {genitive(phrase(creator.name))} arkivbeskrivning och arkivförteckning"
    restored = incident.consequences.restored
    if restored == "partial":
        return _sentence(
            "Informationen har delvis kunnat återställas. De handlingar som anges ovan har inte "
            "kunnat återställas, och för dem har en gallring skett utan gallringsbeslut; "
            f"förlusten redovisas därför {where}"
        )
    if restored is True:
        return _sentence(
            "Enligt incidentrapporten har informationen återställts, men de handlingar som anges "
            "ovan har inte kunnat återställas; för dem har en gallring skett utan "
            f"gallringsbeslut, och förlusten redovisas därför {where}"
        )
    return _sentence(
        "Eftersom informationen inte har kunnat återställas har en gallring skett utan "
        f"gallringsbeslut, och förlusten redovisas därför {where}"
    )


def _report(rep: m.AuthorityReport) -> str:
    text = phrase(rep.to)
    if rep.date:
        prefix = "den " if rep.date.day is not None else "i " if rep.date.month else "år "
        text += f" {prefix}{partial_date(rep.date)}"
    if rep.reference:
        text += f" (ärende {phrase(rep.reference)})"
    return text


def reports(incident: m.Incident) -> str:
    """The reports to authorities: ``Incidenten har anmälts till IMY den 9 februari 2024 ...``.

    ``police_report`` is said only when no report to the police is listed.
    """
    parts: list[str] = []
    if incident.reports:
        parts.append(
            _sentence("Incidenten har anmälts till " + join([_report(r) for r in incident.reports]))
        )
    police = any(re.match(r"polis", r.to.strip(), re.IGNORECASE) for r in incident.reports)
    if incident.police_report is True and not police:
        parts.append("Incidenten har polisanmälts.")
    elif incident.police_report is False and not police:
        parts.append("Incidenten har inte polisanmälts.")
    return " ".join(parts)


def affected(incident: m.Incident) -> str:
    """``Antal berörda handlingar enligt incidentrapporten: cirka 1 400; ...`` (its words)."""
    a = incident.affected
    counts = [
        f"antal berörda {label}{' enligt incidentrapporten' if not i else ''}: {phrase(value)}"
        for i, (label, value) in enumerate(
            (lab, val) for lab, val in (("handlingar", a.records), ("personer", a.persons)) if val
        )
    ]
    return _sentence("; ".join(counts)) if counts else ""


def _descriptions(incident: m.Incident) -> list[str]:
    return [
        _sentence(f"{phrase(r.title)}: {r.description}")
        for r in incident.lost_records
        if r.description
    ]


def paragraph(
    incident: m.Incident, creator: m.RecordsCreator, ctx: RunContext, culling: str | None = None,
    records: list[str] | None = None,
) -> str:  # fmt: skip
    """Return the arkivbeskrivning paragraph for one records creator.

    ``culling`` is the assessment against the retention schedule (``culling.paragraph_text``);
    the report's own statement on culling (``culling_rationale``) comes before it.
    ``records`` is ``lost_record`` of each lost record when already worded.
    """
    parts: list[str] = []
    names = list(dict.fromkeys(phrase(r.system) for r in incident.lost_records if r.system))
    head = "Informationsförlust"
    if names:
        head += f" i {join(names)}"
    parts.append(_sentence(head))
    parts.append(_when(incident))
    if incident.summary:
        parts.append(_sentence(f"Kort beskrivning enligt incidentrapporten: {incident.summary}"))
    if records is None:
        records = [lost_record(r) for r in incident.lost_records]
    parts.append(_sentence(f"Följande handlingar har gått förlorade: {'; '.join(records)}"))
    parts += _descriptions(incident)
    parts.append(affected(incident))
    if incident.systems:
        parts.append(_sentence(f"Berörda system: {'; '.join(system(s) for s in incident.systems)}"))
    if incident.processes:
        procs = [" ".join(phrase(x) for x in (p.code, p.title) if x) for p in incident.processes]
        parts.append(_sentence(f"Berörda processer: {'; '.join(procs)}"))
    if incident.extracts:
        found = "; ".join(extract(e) for e in incident.extracts)
        parts.append(_sentence(f"Delar av informationen har återvunnits genom uttag: {found}"))
    parts.append(_restoration(incident, creator))
    if incident.culling_rationale:
        parts.append(_sentence(f"Incidentrapporten anger: {incident.culling_rationale}"))
    if culling:
        parts.append(_sentence(culling))
    parts.append(reports(incident))
    parts.append(_source(incident))
    made = f"Posten upprättades den {swedish_date(ctx.created.date())}"
    if ctx.by_role:
        made += f" av {definite_role(phrase(ctx.by_role))}"
    parts.append(_sentence(made))
    return " ".join(p for p in parts if p)


def _source(incident: m.Incident) -> str:
    source = "Incidenten är dokumenterad i en incidentrapport"
    if incident.reference:
        source += f" med referens {phrase(incident.reference)}"
    origin = ", ".join(phrase(x) for x in (incident.department, incident.organisation) if x)
    if origin:
        source += f" från {origin}"
    return _sentence(source)


def gap_note(rec: m.LostRecord, incident: m.Incident, culling: str | None = None) -> str:
    """Return the arkivförteckning note in the traditional wording: ``Lucka: ...``.

    ``culling`` replaces the plain "gallring utan gallringsbeslut" with the plan assessment.
    """
    return GapNotes(incident).note(rec, culling)


class GapNotes:
    """The ``gap_note`` of each lost record of one incident; what they share is worded once."""

    def __init__(self, incident: m.Incident) -> None:
        self.occurred = (
            f" vid incidenten {timepoint(incident.occurred)}" if incident.occurred else None
        )
        ref = incident.reference
        self.reference = f". Se incidentrapport {phrase(ref)}" if ref else ""

    def note(self, rec: m.LostRecord, culling: str | None = None, record: str | None = None) -> str:
        """The note of ``rec``; ``record`` is ``lost_record(rec)`` when already worded."""
        text = f"Lucka: {record or lost_record(rec)}"
        # the extent already says "förlorade" ("delvis förlorade"); else the note says it here
        lost = "" if rec.extent in EXTENT else ", förlorade"
        if self.occurred:
            text += f"{lost}{self.occurred}"
        elif rec.system:
            text += f"{lost} vid en incident"
        if rec.system:
            text += f" i {phrase(rec.system)}"
        text += f"; {culling or 'gallring utan gallringsbeslut'}{self.reference}"
        return _sentence(text)
