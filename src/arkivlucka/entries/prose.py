"""Archival rules stage, wording: the Swedish prose of the entries, built only from facts.

Each sentence is made from structured facts; a fact that is missing leaves its sentence or
clause out instead of being guessed.
"""

from __future__ import annotations

import re

from arkivlucka.core.context import RunContext
from arkivlucka.core.swedish import MONTHS, join, phrase, swedish_date
from arkivlucka.incident import model as m

PRECISION = {"exact": "exakt tid", "estimated": "uppskattad tid"}
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
        return f"{partial_date(start)}–{partial_date(end)}"
    if start:
        return f"från och med {partial_date(start)}"
    if end:
        return f"till och med {partial_date(end)}"
    return None


def timepoint(tp: m.TimePoint) -> str:
    """Return ``den 19 oktober 2023 kl. 16:00 (uppskattad tid)``."""
    text = f"den {swedish_date(tp.day())}"
    if tp.has_time:
        text += f" kl. {tp.at.strftime('%H:%M')}"
    if tp.precision:
        text += f" ({PRECISION[tp.precision]})"
    return text


def _lower_first(text: str) -> str:
    """``Tidplaner`` → ``tidplaner`` for use mid-sentence; ``IT-system``, ``W3D3`` stay."""
    text = phrase(text)
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def lost_record(rec: m.LostRecord) -> str:
    """Return one lost record in words: title, period and extent."""
    details = [d for d in (period(rec.period), EXTENT.get(rec.extent)) if d]
    title = _lower_first(rec.title)
    return f"{title} ({', '.join(details)})" if details else title


def system(sys: m.System) -> str:
    """Return ``Digframe (modul, leverantör DirSys)``."""
    supplier = f"leverantör {phrase(sys.supplier)}" if sys.supplier else None
    details = [d for d in (phrase(sys.role) if sys.role else None, supplier) if d]
    return f"{phrase(sys.name)} ({', '.join(details)})" if details else phrase(sys.name)


def extract(ext: m.Extract) -> str:
    """Return a recovered extract in words with where it is kept."""
    text = _lower_first(ext.title)
    when = period(ext.period)
    if when:
        text += f" ({when})"
    place = ", ".join(phrase(p) for p in (ext.kept_in, ext.series) if p)
    if place:
        text += f", som förvaras i {place}"
    if ext.reference:
        text += f" ({phrase(ext.reference)})"
    return text


def paragraph(
    incident: m.Incident, creator: m.RecordsCreator, ctx: RunContext, culling: str | None = None
) -> str:
    """Return the arkivbeskrivning paragraph for one records creator.

    ``culling`` is the assessment against the retention schedule (``culling.paragraph_text``).
    """
    parts: list[str] = []
    names = list(dict.fromkeys(phrase(r.system) for r in incident.lost_records if r.system))
    head = "Informationsförlust"
    if names:
        head += f" i {join(names)}"
    parts.append(_sentence(head))
    when = []
    if incident.occurred:
        when.append(f"inträffade {timepoint(incident.occurred)}")
    if incident.discovered:
        when.append(f"upptäcktes {timepoint(incident.discovered)}")
    if when:
        parts.append(_sentence("Incidenten " + " och ".join(when)))
    if incident.summary:
        parts.append(_sentence(f"Kort beskrivning enligt incidentrapporten: {incident.summary}"))
    records = [lost_record(r) for r in incident.lost_records]
    parts.append(_sentence(f"Följande handlingar har gått förlorade: {'; '.join(records)}"))
    if incident.systems:
        parts.append(_sentence(f"Berörda system: {'; '.join(system(s) for s in incident.systems)}"))
    if incident.processes:
        procs = [" ".join(phrase(x) for x in (p.code, p.title) if x) for p in incident.processes]
        parts.append(_sentence(f"Berörda processer: {'; '.join(procs)}"))
    if incident.extracts:
        parts.append(
            _sentence(
                f"Delar av informationen har återvunnits genom uttag: {'; '.join(extract(e) for e in incident.extracts)}"
            )
        )
    parts.append(
        _sentence(
            "Eftersom informationen inte har kunnat återställas har en gallring skett "
            "utan gallringsbeslut, och förlusten redovisas därför i arkivbildarens "
            f"arkivbeskrivning och arkivförteckning ({phrase(creator.name)})"
        )
    )
    if culling:
        parts.append(_sentence(culling))
    if incident.culling_rationale:
        parts.append(_sentence(incident.culling_rationale))
    source = "Incidenten är dokumenterad i en incidentrapport"
    if incident.reference:
        source += f" med referens {phrase(incident.reference)}"
    origin = ", ".join(phrase(x) for x in (incident.department, incident.organisation) if x)
    if origin:
        source += f" från {origin}"
    parts.append(_sentence(source))
    made = f"Posten upprättades {swedish_date(ctx.created.date())}"
    if ctx.by_role:
        made += f" av {phrase(ctx.by_role)}"
    parts.append(_sentence(made))
    return " ".join(p for p in parts if p)


def gap_note(rec: m.LostRecord, incident: m.Incident, culling: str | None = None) -> str:
    """Return the arkivförteckning note in the traditional wording: ``Lucka: ...``.

    ``culling`` replaces the plain "gallring utan gallringsbeslut" with the plan assessment.
    """
    text = f"Lucka: {lost_record(rec)}"
    if incident.occurred:
        text += f", förlorade vid incident {timepoint(incident.occurred)}"
    if rec.system:
        text += f" i {phrase(rec.system)}"
    text += f"; {culling or 'gallring utan gallringsbeslut'}"
    if incident.reference:
        text += f". Se incidentrapport {phrase(incident.reference)}"
    return _sentence(text)
