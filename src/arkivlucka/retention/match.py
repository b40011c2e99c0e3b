"""Archival rules stage: match each lost record to a record type in the retention schedule.

A match is made only from what the archivist wrote: the lost record's ``plan_code`` (the
row's id or class code), or its ``record_type`` equal to exactly one plan record type in
its ``process``. Otherwise the closest record types are scored and reported as suggestions;
nothing is chosen silently. A ``PlanIndex`` (built once per plan) finds codes and record
types by lookup, and RapidFuzz's edit ratio (computed in C for every row) bounds each row's
score from above, so only the few rows that can still win are scored exactly. To confirm one, the archivist writes its ``plan_code`` into the
incident file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass
class PlanIndex:
    """Lookups over one plan's rows that have a record type (in file order)."""

    rows: list[PlanRow]
    norms: list[str]
    stems: list[frozenset[str]]
    by_stem: dict[str, list[int]]
    by_text: dict[str, list[PlanRow]]
    by_id: dict[str, list[PlanRow]]
    by_code: dict[str, list[PlanRow]]
    #: normalised key (id, else code) of every row of the plan → how many rows have it
    key_counts: Counter[str]
    codes: list[list[str]]
    _in_process: dict[str, set[int]] = field(default_factory=dict)

    def positions_in(self, process: str) -> set[int]:
        """Positions (in ``rows``) of the rows in ``process``."""
        if process not in self._in_process:
            want = norm_code(process)
            self._in_process[process] = {
                i
                for i, codes in enumerate(self.codes)
                if any(c == want or c.startswith(want + ".") for c in codes)
            }
        return self._in_process[process]


def index_plan(plan: Plan) -> PlanIndex:
    """Build the lookups ``match_record`` and ``suggest`` use; once per plan."""
    rows = [r for r in plan.rows if r.record_type]
    index = PlanIndex(rows, [], [], {}, {}, {}, {}, Counter(), [])
    for i, row in enumerate(rows):
        norm, stems, _ = _prep(row.record_type)
        index.norms.append(norm)
        index.stems.append(stems)
        for stem in stems:
            index.by_stem.setdefault(stem, []).append(i)
        index.by_text.setdefault(norm, []).append(row)
        if row.id:
            index.by_id.setdefault(norm_code(row.id), []).append(row)
        if row.code:
            index.by_code.setdefault(norm_code(row.code), []).append(row)
        index.codes.append([norm_code(c) for c in (row.code, row.id) if c])
    index.key_counts.update(norm_code(r.key) for r in plan.rows if r.key)
    return index


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


def suggest(
    record: m.LostRecord, plan: Plan, limit: int = CANDIDATES, lookups: PlanIndex | None = None
) -> tuple[Candidate, ...]:
    """The ``limit`` best-scoring plan rows for a record, best first (file order on ties).

    The rows RapidFuzz ranks best for each text are scored first; their ``limit``-th score
    sets how similar any other row must be to still reach it, and RapidFuzz picks (in C)
    just the rows that are. Only those get an upper bound of their score in Python, and only
    rows whose bound can still beat the ones kept are scored exactly.
    """
    index = lookups or index_plan(plan)
    queries = _queries(record)
    first = {i for text, _ in queries for i in _best(text, index, limit)}
    floor = sorted((score(record, index.rows[i]) for i in first), reverse=True)
    positions = list(range(len(index.rows)))
    if len(floor) >= limit:
        need = (floor[limit - 1] - 0.006 - 0.15) / 0.85  # any row below this cannot reach it
        if need > 0:
            positions = sorted(first | _reaching(queries, index, need))
    bounds = _score_bounds(record, queries, index, positions)
    order = sorted(positions, key=lambda i: (-bounds[i], i))
    scored: list[tuple[float, int, PlanRow]] = []
    for i in order:
        if len(scored) >= limit and bounds[i] < scored[limit - 1][0]:
            break  # no later row can beat the ones kept
        row = index.rows[i]
        scored.append((score(record, row), i, row))
        scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(Candidate(row, value) for value, _, row in scored[:limit])


def _queries(record: m.LostRecord) -> list[tuple[str, float]]:
    """The record's texts with the weight ``score`` gives each (title, description: 0.8)."""
    others = [t for t in (record.title, record.description) if t]
    if not record.record_type:
        return [(t, 1.0) for t in others]
    return [*((t, 0.8) for t in others), (record.record_type, 1.0)]


def _best(text: str, index: PlanIndex, limit: int) -> list[int]:
    """Positions of the ``limit`` rows with the highest edit ratio to ``text`` (RapidFuzz)."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import extract

    norm = _prep(text)[0]
    found = extract(norm, index.norms, scorer=ratio, processor=None, limit=limit)
    return [position for _, _, position in found]


def _reaching(queries: list[tuple[str, float]], index: PlanIndex, need: float) -> set[int]:
    """Rows whose similarity bound to some query, times its weight, is at least ``need``."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import extract

    out: set[int] = set()
    for text, weight in queries:
        cutoff = need / weight
        norm, stems, _ = _prep(text)
        found = extract(
            norm, index.norms, scorer=ratio, processor=None, limit=None,
            score_cutoff=min(100.0, max(0.0, cutoff * 100 - 1e-6)),
        )  # fmt: skip
        out.update(position for _, _, position in found)
        out.update(i for i, dice in _dices(stems, index).items() if dice >= cutoff)
    return out


def _dices(stems: frozenset[str], index: PlanIndex) -> dict[int, float]:
    """``_dice`` of ``stems`` with every row sharing a stem with them (others score 0)."""
    shared = Counter(i for stem in stems for i in index.by_stem.get(stem, ()))
    size, rows = len(stems), index.stems
    return {i: 2 * n / (size + len(rows[i])) for i, n in shared.items()}


def _sim_bounds(text: str, index: PlanIndex, positions: list[int]) -> dict[int, float]:
    """An upper bound of ``similarity(text, row)`` for the rows at ``positions``.

    RapidFuzz's ratio is the Indel similarity 2·LCS/(len a + len b); the matching blocks
    SequenceMatcher finds are a common subsequence, so its ratio is never higher.
    """
    from rapidfuzz.fuzz import ratio

    norm, stems, _ = _prep(text)
    norms = index.norms
    bounds = {i: ratio(norm, norms[i], processor=None) / 100 + 1e-9 for i in positions}
    for i, dice in _dices(stems, index).items():
        if i in bounds and dice > bounds[i]:
            bounds[i] = dice
    return bounds


def _score_bounds(
    record: m.LostRecord, queries: list[tuple[str, float]], index: PlanIndex, positions: list[int]
) -> dict[int, float]:
    """``score`` of the rows at ``positions`` with each similarity replaced by its bound."""
    text = dict.fromkeys(positions, 0.0)
    for query, weight in queries:
        if weight == 1.0 and record.record_type:
            continue  # the record type comes last, as in ``score``
        for i, value in _sim_bounds(query, index, positions).items():
            text[i] = max(text[i], value)
    if record.record_type:
        own = _sim_bounds(record.record_type, index, positions)
        text = {i: max(t * 0.8, own[i]) for i, t in text.items()}
    inside = index.positions_in(record.process) if record.process else set()
    return {
        i: round(min(1.0, t * 0.85 + (0.15 if i in inside else 0.0)), 2) for i, t in text.items()
    }


def match_record(
    index: int, record: m.LostRecord, plan: Plan, lookups: PlanIndex | None = None
) -> Match:
    """Match one lost record by ``plan_code``, else by exact record type within its process."""
    lookups = lookups or index_plan(plan)
    if record.plan_code:
        want = norm_code(record.plan_code)
        found = lookups.by_id.get(want, []) or lookups.by_code.get(want, [])
        if len(found) > 1 and record.record_type:
            same = [r for r in found if norm_text(r.record_type) == norm_text(record.record_type)]
            found = same or found
        if len(found) == 1:
            return Match(index, record, found[0], "plan_code")
        if found:
            return Match(index, record, None, None, tuple(Candidate(r, 1.0) for r in found))
        return Match(index, record, None, None, suggest(record, plan, lookups=lookups))
    if record.record_type:
        want_text = norm_text(record.record_type)
        found = [r for r in lookups.by_text.get(want_text, []) if in_process(r, record.process)]
        if len(found) == 1:
            return Match(index, record, found[0], "record_type")
        if found:
            return Match(index, record, None, None, tuple(Candidate(r, 1.0) for r in found))
    return Match(index, record, None, None, suggest(record, plan, lookups=lookups))


def match_all(incident: m.Incident, plan: Plan) -> tuple[list[Match], list[Finding]]:
    """Match every lost record; an error finding per record without a confirmed match."""
    index = index_plan(plan)
    records = incident.lost_records
    matches = [match_record(i, rec, plan, index) for i, rec in enumerate(records)]
    return matches, [f for mt in matches if mt.row is None for f in [_finding(mt, plan, index)]]


def confirm_instruction(row: PlanRow, plan: Plan, index: PlanIndex | None = None) -> str:
    """What to write in a lost record to choose ``row`` (its code, and record type if shared)."""
    if row.key is None:
        return f'`record_type: "{row.record_type}"` (the row has no code)'
    counts = (index or index_plan(plan)).key_counts
    text = f'`plan_code: "{row.key}"`'
    if counts[norm_code(row.key)] > 1:
        text += f' and `record_type: "{row.record_type}"`'
    return text


def _listing(candidates: tuple[Candidate, ...]) -> str:
    return "; ".join(
        f"{c.row.label()} (line {c.row.line}, score {c.score:.2f})" for c in candidates
    )


def _finding(mt: Match, plan: Plan, index: PlanIndex) -> Finding:
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
            f"If that is right, write {confirm_instruction(best.row, plan, index)} in this lost "
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
