"""Entries stage, review: what an archivist checks before the entries are made, in one model.

``review_incident`` reads an incident file and returns every field with where it came from
and how certain it is, the proposals still open, the missing facts, the rule findings and,
with a retention schedule, the ranked plan rows for each lost record. ``preview_entries``
makes the entries in memory (nothing written) to show the Swedish text before it is filed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from arkivlucka.core.context import RunContext
    from arkivlucka.incident.edit import Edit, Snapshot
    from arkivlucka.incident.load import LoadedIncident
    from arkivlucka.retention.schedule import Plan

#: the sections whose items ``import`` may propose
PROPOSAL_SECTIONS = ("lost_records", "systems", "extracts", "records_creators")


@dataclass(frozen=True)
class Proposal:
    """An item proposed by ``import`` and not yet confirmed: its path, title and source."""

    path: str
    section: str
    index: int
    title: str
    source: str | None


@dataclass(frozen=True)
class PlanChoice:
    """The plan row chosen for a lost record (``code``) and the ranked suggestions."""

    index: int
    title: str
    code: str | None
    suggestions: tuple[tuple[int, str, str, float], ...]  # (line, code, record type, score)


@dataclass
class Review:
    """One incident file as the archivist reviews it."""

    snapshot: Snapshot
    data: dict[str, Any]
    loaded: LoadedIncident | None
    findings: list[Finding] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    plan_choices: list[PlanChoice] = field(default_factory=list)

    @property
    def missing(self) -> list[Finding]:
        """The missing facts (``missing-fact`` findings), each naming its field path."""
        return [f for f in self.findings if f.code == "missing-fact"]

    @property
    def errors(self) -> list[Finding]:
        """The findings that stop the entries."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def certainty(self, path: str) -> str:
        """``proposed`` (read from prose, to confirm), ``estimated`` or ``form`` (as read)."""
        head = path.split(".")[0]
        if head in self.sources and any(p.path == head for p in self.proposals):
            return "proposed"
        if head in ("occurred", "discovered"):
            value = self.data.get(head)
            if isinstance(value, dict) and value.get("precision") not in (None, "exact"):
                return "estimated"
        return "form"


def _proposals(data: dict[str, Any], sources: dict[str, str]) -> list[Proposal]:
    out = []
    for section in PROPOSAL_SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("proposed") is True:
                path = f"{section}[{i}]"
                title = str(item.get("title") or item.get("name") or path)
                out.append(Proposal(path, section, i, title, sources.get(path)))
    return out


def _plan_choices(loaded: LoadedIncident, plan: Plan) -> list[PlanChoice]:
    from arkivlucka.retention.match import match_record

    out = []
    for i, rec in enumerate(loaded.incident.lost_records):
        found = match_record(i, rec, plan)
        # a record matched for sure needs no suggestions; the others get the ranked rows
        ranked = tuple(
            (c.row.line, c.row.key or "", c.row.record_type, c.score)
            for c in found.candidates
            if c.row.key
        )
        code = found.row.key if found.row is not None else rec.plan_code
        out.append(PlanChoice(i, rec.title, code, ranked))
    return out


def choose_plan_row(plan: Plan, index: int, line: int) -> list[Edit]:
    """The edits that choose the plan row on ``line`` for lost record ``index``.

    The row's code goes in ``plan_code``; when other rows share the code its record type
    goes in ``record_type`` too, so the match is certain. Raise ``OptionError`` for no row.
    """
    from arkivlucka.core.errors import OptionError
    from arkivlucka.core.text import norm_code
    from arkivlucka.incident.edit import Edit

    row = next((r for r in plan.rows if r.line == line and r.key), None)
    if row is None or row.key is None:
        raise OptionError(f"{plan.file}: no plan row with a code on line {line}", param="line")
    path = f"lost_records[{index}]"
    edits = [Edit("set", f"{path}.plan_code", row.key)]
    same = [r for r in plan.rows if r.key and norm_code(r.key) == norm_code(row.key)]
    if len(same) > 1:
        edits.append(Edit("set", f"{path}.record_type", row.record_type))
    return edits


def review_incident(path: str | Path, plan: Plan | None = None) -> Review:
    """Read the incident file at ``path`` for review; a file that breaks a rule still opens.

    Its findings are those of ``check_incident`` (and of the plan, with ``plan``); a file
    whose structure cannot be read has ``loaded`` None and the reading findings.
    """
    from arkivlucka.incident.edit import read_snapshot

    return review_snapshot(read_snapshot(path), plan)


def review_snapshot(snap: Snapshot, plan: Plan | None = None, edits: Sequence[Edit] = ()) -> Review:
    """``review_incident`` of a file's text, with unsaved ``set`` edits applied in memory.

    ``snapshot`` stays the file as read; the data, findings and entries are those of the
    file as ``save_edits`` would leave it (``incident.tree_edit``; nothing is written).
    """
    from arkivlucka.entries.describe import check_incident
    from arkivlucka.incident.edit import proposal_sources
    from arkivlucka.incident.load import load_incident_tree
    from arkivlucka.incident.yamlread import parse_text
    from arkivlucka.incident.yamltree import plain

    sources = proposal_sources(snap.text)
    try:
        tree = parse_text(snap.text, snap.file)
        if edits:
            from arkivlucka.incident.tree_edit import edit_tree

            edit_tree(tree, edits, snap.file)
        data = plain(tree)
    except ArkivluckaError as exc:
        return Review(snap, {}, None, list(exc.findings), [], sources)
    data = data if isinstance(data, dict) else {}
    review = Review(snap, data, None, [], _proposals(data, sources), sources)
    try:
        review.loaded = load_incident_tree(tree, snap.file)
    except ArkivluckaError as exc:
        review.findings = list(exc.findings)
        return review
    review.findings = check_incident(review.loaded)
    if plan is not None:
        from arkivlucka.retention.assess import apply_plan

        review.plan_choices = _plan_choices(review.loaded, plan)
        _, plan_findings = apply_plan(review.loaded.incident, plan)  # matches again: cheap
        review.findings += review.loaded.locate(plan_findings)
    return review


@dataclass(frozen=True)
class CreatorPreview:
    """One records creator's entries as they will be written: the Swedish text and the XML."""

    name: str
    key: str
    text: str
    description: str
    inventory: str


def preview_entries(
    loaded: LoadedIncident, ctx: RunContext, plan: Plan | None = None
) -> tuple[list[CreatorPreview], list[Finding]]:
    """The entries of every records creator, made in memory; raise as ``make_documents`` does."""
    from lxml import etree

    from arkivlucka.entries.build import creator_keys
    from arkivlucka.entries.describe import make_documents
    from arkivlucka.xmldoc.parse import parse_xml

    result = make_documents(loaded, ctx, plan)
    creators = loaded.incident.records_creators
    out = []
    for creator, key in zip(creators, creator_keys(creators), strict=True):
        desc = result.documents[f"{key}/arkivbeskrivning.xml"]
        inv = result.documents[f"{key}/arkivforteckning.xml"]
        tree, _ = parse_xml(desc, f"{key}/arkivbeskrivning.xml")
        nodes = tree.getroot().iter() if tree is not None else iter(())
        texts = [t.text or "" for t in nodes if etree.QName(t).localname == "Beskrivningstext"]
        out.append(
            CreatorPreview(
                creator.name, key, "\n\n".join(texts), desc.decode("utf-8"), inv.decode("utf-8")
            )
        )
    return out, result.findings
