"""Archival rules stage: match each lost record to a record type in the retention schedule.

A match is made only from what the archivist wrote: the lost record's ``plan_code`` (the
row's id or class code), or its ``record_type`` equal to exactly one plan record type in
its ``process``. Otherwise the closest record types are scored and reported as suggestions;
nothing is chosen silently. To confirm one, the archivist writes its ``plan_code`` into the
incident file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from arkivlucka import model as m
from arkivlucka.findings import Finding, error
from arkivlucka.plan import Plan, PlanRow

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


def norm_code(code: str) -> str:
    """Compare codes without case, spaces or a trailing dot."""
    return re.sub(r"\s+", "", code).casefold().rstrip(".")


def norm_text(text: str) -> str:
    """Compare record types without case, punctuation or elisions ("[…]", "...")."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _stems(text: str) -> set[str]:
    return {w[:6] for w in norm_text(text).split() if w not in _STOP and not w.isdigit()}


def similarity(a: str, b: str) -> float:
    """Text similarity of two record-type names: the better of word-stem overlap and edit ratio."""
    sa, sb = _stems(a), _stems(b)
    dice = 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0
    ratio = SequenceMatcher(None, norm_text(a), norm_text(b)).ratio()
    return max(dice, ratio)


def in_process(row: PlanRow, process: str | None) -> bool:
    """Whether ``row`` belongs to ``process`` (its code or id is the process or below it)."""
    if not process:
        return True
    want = norm_code(process)
    codes = [norm_code(c) for c in (row.code, row.id) if c]
    return any(c == want or c.startswith(want + ".") for c in codes)


def score(record: m.LostRecord, row: PlanRow) -> float:
    """Score a plan row for a lost record: its record type (else title) and process."""
    texts = [t for t in (record.record_type, record.title, record.description) if t]
    text = max((similarity(t, row.record_type) for t in texts), default=0.0)
    if record.record_type:
        text = max(text * 0.8, similarity(record.record_type, row.record_type))
    bonus = 0.15 if record.process and in_process(row, record.process) else 0.0
    return round(min(1.0, text * 0.85 + bonus), 2)


def suggest(record: m.LostRecord, plan: Plan, limit: int = CANDIDATES) -> tuple[Candidate, ...]:
    """The ``limit`` best-scoring plan rows for a record, best first (file order on ties)."""
    scored = [Candidate(row, score(record, row)) for row in plan.rows if row.record_type]
    scored.sort(key=lambda c: -c.score)
    return tuple(scored[:limit])


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


def _listing(candidates: tuple[Candidate, ...]) -> str:
    return "; ".join(
        f"{c.row.label()} (line {c.row.line}, score {c.score:.2f})" for c in candidates
    )


def _finding(mt: Match, plan: Plan) -> Finding:
    rec, where = mt.record, f"lost_records[{mt.index}]"
    subject = f"{where} '{rec.title}'"
    confirm = 'to confirm one, write its code as `plan_code: "..."` in this lost record of the incident file'
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
        code = best.row.key or "?"
        return error(
            "plan-suggested-match",
            f"{subject}: not matched for sure; suggested {_listing(mt.candidates[:1])}. "
            f'If that is right, write `plan_code: "{code}"` in this lost record of the '
            f"incident file and run again; other candidates: {_listing(mt.candidates[1:]) or 'none'}",
            path=where,
        )
    return error(
        "plan-no-match",
        f"{subject}: no record type in {plan.file} matches (none scores "
        f"{SUGGEST_THRESHOLD:.2f} or more); closest: {_listing(mt.candidates) or 'none'}; {confirm}",
        path=where,
    )
