"""Archival rules stage: match each lost record to a record type in the retention schedule.

A match is made only from what the archivist wrote: the lost record's ``plan_code`` (the
row's id or class code), or its ``record_type`` equal to exactly one plan record type in
its ``process``. Otherwise the closest record types are scored and reported as suggestions;
nothing is chosen silently. To confirm one, the archivist writes its ``plan_code`` into the
incident file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from arkivlucka.core.findings import Finding, error
from arkivlucka.core.text import norm_code
from arkivlucka.incident import model as m
from arkivlucka.retention.schedule import Plan, PlanRow

Method = Literal["plan_code", "record_type"]

#: a suggestion scoring at least this is reported as a confident suggestion.
SUGGEST_THRESHOLD = 0.6
#: how many candidates a message lists.
CANDIDATES = 3
_STOP = {"och", "för", "av", "i", "om", "med", "till", "på", "en", "ett", "det", "som", "vid", "de"}


@dataclass(frozen=True)
class Candidate:
    """A plan row scored against a lost record (0 = nothing in common, 1 = the same)."""

    row: PlanRow
    score: float


@dataclass(frozen=True)
class Match:
    """The plan row matched to one lost record (``row`` None: no match; see ``candidates``)."""

    index: int
    record: m.LostRecord
    row: PlanRow | None
    method: Method | None
    candidates: tuple[Candidate, ...] = ()


def norm_text(text: str) -> str:
    """Compare record types without case, punctuation or elisions ("[…]", "...")."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


@lru_cache(maxsize=65536)
def _prep(text: str) -> tuple[str, frozenset[str], Counter[str]]:
    norm = norm_text(text)
    stems = frozenset(w[:6] for w in norm.split() if w not in _STOP and not w.isdigit())
    return norm, stems, Counter(norm)


def _dice(sa: frozenset[str], sb: frozenset[str]) -> float:
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def similarity(a: str, b: str) -> float:
    """Text similarity of two record-type names: the better of word-stem overlap and edit ratio."""
    (na, sa, _), (nb, sb, _) = _prep(a), _prep(b)
    return max(_dice(sa, sb), SequenceMatcher(None, na, nb).ratio())


def _similarity_bound(a: str, b: str) -> float:
    """A cheap upper bound of ``similarity`` (shared characters bound the edit ratio)."""
    (na, sa, ca), (nb, sb, cb) = _prep(a), _prep(b)
    total = len(na) + len(nb)
    shared = 2 * sum((ca & cb).values()) / total if total else 0.0
    return max(_dice(sa, sb), shared)


def in_process(row: PlanRow, process: str | None) -> bool:
    """Whether ``row`` belongs to ``process`` (its code or id is the process or below it)."""
    if not process:
        return True
    want = norm_code(process)
    codes = [norm_code(c) for c in (row.code, row.id) if c]
    return any(c == want or c.startswith(want + ".") for c in codes)


def score(
    record: m.LostRecord, row: PlanRow, sim: Callable[[str, str], float] = similarity
) -> float:
    """Score a plan row for a lost record: its record type (else title) and process."""
    others = [t for t in (record.title, record.description) if t]
    text = max((sim(t, row.record_type) for t in others), default=0.0)
    if record.record_type:
        # the record type counts fully; title and description at most 0.8 of it
        text = max(text * 0.8, sim(record.record_type, row.record_type))
    bonus = 0.15 if record.process and in_process(row, record.process) else 0.0
    return round(min(1.0, text * 0.85 + bonus), 2)


def suggest(record: m.LostRecord, plan: Plan, limit: int = CANDIDATES) -> tuple[Candidate, ...]:
    """The ``limit`` best-scoring plan rows for a record, best first (file order on ties)."""
    bounds = [(score(record, r, _similarity_bound), i, r) for i, r in enumerate(plan.rows)]
    bounds.sort(key=lambda b: (-b[0], b[1]))
    scored: list[tuple[float, int, PlanRow]] = []
    for bound, i, row in bounds:
        if not row.record_type:
            continue
        if len(scored) >= limit and bound < scored[limit - 1][0]:
            break  # no later row can beat the ones kept
        scored.append((score(record, row), i, row))
        scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(Candidate(row, value) for value, _, row in scored[:limit])


def match_record(index: int, record: m.LostRecord, plan: Plan) -> Match:
    """Match one lost record by ``plan_code``, else by exact record type within its process."""
    rows = [r for r in plan.rows if r.record_type]
    if record.plan_code:
        want = norm_code(record.plan_code)
        found = [r for r in rows if r.id and norm_code(r.id) == want] or [
            r for r in rows if r.code and norm_code(r.code) == want
        ]
        if len(found) > 1 and record.record_type:
            same = [r for r in found if norm_text(r.record_type) == norm_text(record.record_type)]
            found = same or found
        if len(found) == 1:
            return Match(index, record, found[0], "plan_code")
        if found:
            return Match(index, record, None, None, tuple(Candidate(r, 1.0) for r in found))
        return Match(index, record, None, None, suggest(record, plan))
    if record.record_type:
        want_text = norm_text(record.record_type)
        found = [
            r
            for r in rows
            if norm_text(r.record_type) == want_text and in_process(r, record.process)
        ]
        if len(found) == 1:
            return Match(index, record, found[0], "record_type")
        if found:
            return Match(index, record, None, None, tuple(Candidate(r, 1.0) for r in found))
    return Match(index, record, None, None, suggest(record, plan))


def match_all(incident: m.Incident, plan: Plan) -> tuple[list[Match], list[Finding]]:
    """Match every lost record; an error finding per record without a confirmed match."""
    matches = [match_record(i, rec, plan) for i, rec in enumerate(incident.lost_records)]
    return matches, [f for mt in matches if mt.row is None for f in [_finding(mt, plan)]]


def confirm_instruction(row: PlanRow, plan: Plan) -> str:
    """What to write in a lost record to choose ``row`` (its code, and record type if shared)."""
    if row.key is None:
        return f'`record_type: "{row.record_type}"` (the row has no code)'
    same = [r for r in plan.rows if r.key and norm_code(r.key) == norm_code(row.key)]
    text = f'`plan_code: "{row.key}"`'
    if len(same) > 1:
        text += f' and `record_type: "{row.record_type}"`'
    return text


def _listing(candidates: tuple[Candidate, ...]) -> str:
    return "; ".join(
        f"{c.row.label()} (line {c.row.line}, score {c.score:.2f})" for c in candidates
    )


def _finding(mt: Match, plan: Plan) -> Finding:
    rec, where = mt.record, f"lost_records[{mt.index}]"
    subject = f"{where} '{rec.title}'"
    if mt.candidates and all(c.score == 1.0 for c in mt.candidates) and len(mt.candidates) > 1:
        return error(
            "plan-code-ambiguous",
            f"{subject}: {len(mt.candidates)} record types in {plan.file} fit "
            f"({_listing(mt.candidates)}); set `record_type` to exactly one of them, or "
            "give `plan_code` with the row's own id",
            path=f"{where}.plan_code" if rec.plan_code else where,
        )
    if rec.plan_code:
        return error(
            "plan-code-unknown",
            f"{subject}: plan_code '{rec.plan_code}' is not a code in {plan.file}; "
            f"closest record types: {_listing(mt.candidates) or 'none'}",
            path=f"{where}.plan_code",
        )
    best = mt.candidates[0] if mt.candidates else None
    if best is not None and best.score >= SUGGEST_THRESHOLD:
        return error(
            "plan-suggested-match",
            f"{subject}: not matched for sure; suggested {_listing(mt.candidates[:1])}. "
            f"If that is right, write {confirm_instruction(best.row, plan)} in this lost "
            "record of the incident file and run again; other candidates: "
            f"{_listing(mt.candidates[1:]) or 'none'}",
            path=where,
        )
    return error(
        "plan-no-match",
        f"{subject}: no record type in {plan.file} matches (none scores "
        f"{SUGGEST_THRESHOLD:.2f} or more); closest: {_listing(mt.candidates) or 'none'}; "
        "to use one, write its `plan_code` (and, if other rows share the code, its exact "
        "`record_type`) in this lost record of the incident file",
        path=where,
    )
