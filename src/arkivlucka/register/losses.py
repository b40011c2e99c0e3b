"""Register stage, questions: which losses match a question, with what was recovered and where.

One ``SELECT`` over losses, incidents and records creators answers a ``LossQuery``; a second
fetches the incidents' recovered extracts. A period asked for (``year`` or ``period``) matches a
loss whose lost period overlaps it; a loss whose period is open at an end (or unknown) is kept
when it cannot be excluded, marked ``possible``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, case, or_, select

from arkivlucka.core.errors import RegisterError
from arkivlucka.core.findings import error
from arkivlucka.incident.model import PartialDate
from arkivlucka.register import schema as s
from arkivlucka.register.creators import FIELDS, partial_date
from arkivlucka.register.model import (
    Creator,
    CreatorLosses,
    ExtractInfo,
    LossAnswer,
    Match,
    PeriodInfo,
    name_key,
)

_CHUNK = 500


@dataclass(frozen=True)
class LossQuery:
    """A question to the register; every given part must hold (``None``: any)."""

    creator: str | None = None
    first: date | None = None
    last: date | None = None
    record_type: str | None = None
    system: str | None = None
    process: str | None = None
    incident: str | None = None


def parse_when(year: int | None, period: str | None) -> tuple[date | None, date | None]:
    """The first and last day asked for: a year, or ``2019/2021`` (either end may be empty)."""
    if year is not None and period:
        raise _bad("a year and a period ask for different things; give one", "year")
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    if not period:
        return None, None
    start, sep, end = period.partition("/")
    ends = [partial_date(x) if x.strip() else "" for x in (start, end if sep else start)]
    if None in ends or not any(ends):
        raise _bad(f"'{period}' is not a period (YYYY/YYYY, YYYY-MM/YYYY-MM-DD, ...)", "period")
    first = _partial(ends[0]).first_day() if ends[0] else None
    last = _partial(ends[1]).last_day() if ends[1] else None
    if first and last and first > last:
        raise _bad(f"'{period}' ends before it begins", "period")
    return first, last


def _partial(text: str | None) -> PartialDate:
    parts = [int(x) for x in (text or "").split("-")]
    return PartialDate(*parts)


def _bad(message: str, parameter: str) -> RegisterError:
    return RegisterError(message, [error("register-query", message, param=parameter)])


_L, _I, _C, _IC = s.losses.c, s.incidents.c, s.creators.c, s.incident_creators.c
_COLUMNS = (
    _C.name, _C.department, _I.incident_id, _I.reference, _I.organisation, _I.occurred,
    _I.occurred_precision, _I.discovered, _I.discovered_precision, _L.record_id, _L.title,
    _L.record_type, _L.period_start, _L.period_start_precision, _L.period_end,
    _L.period_end_precision, _L.period_text, _L.extent, _L.plan_code, _L.process,
    _L.process_title, _L.classification, _L.series, _L.system, _L.supplier,
    _L.culling_classification, _L.culled_by_plan, _IC.description_post_id, _IC.inventory_post_id,
    _I.package_objid, _I.id,
)  # fmt: skip


def loss_select(q: LossQuery) -> Select[Any]:
    """The ``SELECT`` that answers ``q`` (without the extracts)."""
    certain = and_(_L.period_first.is_not(None), _L.period_last.is_not(None))
    stmt = (
        select(*_COLUMNS, case((certain, True), else_=False).label("certain"))
        .select_from(s.losses)
        .join(s.incidents, _I.id == _L.incident_pk)
        .join(s.incident_creators, _IC.incident_pk == _I.id)
        .join(s.creators, _C.id == _IC.creator_pk)
    )
    if q.creator is not None:
        stmt = stmt.where(_C.name_key == name_key(q.creator))
    if q.incident is not None:
        stmt = stmt.where(_I.incident_id == q.incident)
    if q.record_type is not None:
        stmt = stmt.where(_L.record_type_key == name_key(q.record_type))
    if q.system is not None:
        stmt = stmt.where(_L.system_key == name_key(q.system))
    if q.process is not None:
        code = q.process.strip()
        stmt = stmt.where(
            or_(_L.process == code, _L.process.startswith(f"{code}.", autoescape=True))
        )
    if q.last is not None:
        stmt = stmt.where(or_(_L.period_first.is_(None), _L.period_first <= q.last))
    if q.first is not None:
        stmt = stmt.where(or_(_L.period_last.is_(None), _L.period_last >= q.first))
    return stmt.order_by(_C.name_key, _I.occurred, _I.incident_id, _L.position)


def extracts_of(conn: Connection, incident_pks: list[int]) -> dict[int, tuple[ExtractInfo, ...]]:
    """The recovered extracts of each incident (by register id), in the incident file's order."""
    x = s.extracts.c
    out: dict[int, list[ExtractInfo]] = {}
    for n in range(0, len(incident_pks), _CHUNK):
        rows = conn.execute(
            select(
                x.incident_pk,
                x.title,
                x.period_start,
                x.period_end,
                x.period_text,
                x.kept_in,
                x.series,
                x.reference,
            )
            .where(x.incident_pk.in_(incident_pks[n : n + _CHUNK]))
            .order_by(x.incident_pk, x.position)
        )
        for pk, title, start, end, text, kept_in, series, ref in rows:
            period = PeriodInfo(start, _prec(start), end, _prec(end), text)
            out.setdefault(pk, []).append(ExtractInfo(title, period, kept_in, series, ref))
    return {pk: tuple(v) for pk, v in out.items()}


def _prec(iso: str | None) -> str | None:
    return None if iso is None else ("year", "month", "day")[iso.count("-")]


def _answer(row: Any, extracts: tuple[ExtractInfo, ...], asked: bool) -> LossAnswer:
    """A row of ``loss_select`` (columns in ``LossAnswer``'s field order) as an answer."""
    match: Match = "certain" if not asked or row[31] else "possible"
    return LossAnswer(*row[:12], PeriodInfo(*row[12:17]), *row[17:27], extracts, *row[27:30], match)  # type: ignore[call-arg]


def find_losses(conn: Connection, q: LossQuery) -> list[LossAnswer]:
    """Every loss that answers ``q``, by records creator, incident and the incident's order."""
    rows = conn.execute(loss_select(q)).all()
    if not rows and q.creator is not None:
        creator_named(conn, q.creator)  # an unknown name is an error, not an empty answer
    extracts = extracts_of(conn, sorted({row[30] for row in rows}))
    asked = q.first is not None or q.last is not None
    return [_answer(row, extracts.get(row[30], ()), asked) for row in rows]


def creator_named(conn: Connection, name: str) -> Creator:
    """The records creator called ``name`` (without case); an error naming the closest if none."""
    cols = [s.creators.c[k] for k in FIELDS]
    row = conn.execute(select(*cols).where(_C.name_key == name_key(name))).first()
    if row is not None:
        return Creator(*row)
    names = list(conn.execute(select(_C.name)).scalars())
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    msg = f"no records creator named '{name}' in the register{hint}"
    raise RegisterError(msg, [error("register-unknown-creator", msg, path="creator")])


def losses_of_creator(conn: Connection, name: str) -> CreatorLosses:
    """Every loss recorded for the records creator ``name``: the appendix to its arkivbeskrivning."""
    creator = creator_named(conn, name)
    return CreatorLosses(creator, tuple(find_losses(conn, LossQuery(creator=name))))
