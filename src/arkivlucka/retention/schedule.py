"""Read stage: a retention schedule (dokumenthanteringsplan) from CSV or XLSX into plain data.

The file is a table with one row per record type (handlingstyp); rows above the header
may give the plan's name, version and decision ("Version;2.1", "Beslutsdatum: 2022-03-01").
The same metadata can be given as ``KEY=VALUE`` overrides (``plan_meta``). Columns and
metadata keys are documented in ``docs/retention-schedule.md``; ``plan_check`` reports on
the result.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.core.text import NOT_XML
from arkivlucka.files.tables import normalise_header, read_table
from arkivlucka.retention.grammar import Action, Frist, PeriodSyntaxError, Rule, parse_rule

#: column key → accepted Swedish (and English) headers, matched case- and space-insensitively.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Nr", "Löpnummer", "Id", "Ref", "Referens", "Referenskod", "Handlingstypskod"),
    "code": (
        "Klass", "Klasskod", "Kod", "Processkod", "Processnummer", "Process nr", "Klassificering",
        "Klassificeringskod", "Code", "Class",
    ),
    "process": (
        "Process", "Processnamn", "Processbenämning", "Benämning", "Verksamhetsprocess",
        "Process name", "Klassbenämning",
    ),
    "record_type": (
        "Handlingstyp", "Handlingstyper", "Handlingsslag", "Handling", "Handlingar",
        "Informationsmängd", "Typ av handling", "Record type",
    ),
    "action": (
        "Bevaras/Gallras", "Bevaras eller gallras", "Bevaras Gallras", "B/G", "Bevarande",
        "Bevara/Gallra", "Åtgärd", "Bevarande eller gallring", "Keep or cull",
    ),
    "period": (
        "Gallringsfrist", "Frist", "Gallras efter", "Bevarande/gallringsfrist",
        "Bevaras/gallringsfrist", "Gallring", "Retention period",
    ),
    "storage": (
        "Förvaring", "Förvaringsplats", "Var förvaras", "Lagring", "Lagringsplats",
        "Förvaras", "Storage",
    ),
    "note": ("Anmärkning", "Anmärkningar", "Kommentar", "Kommentarer", "Notering", "Not", "Note"),
    "basis": ("Lagrum", "Stöd för gallring", "Beslut", "Gallringsbeslut", "Legal basis"),
    # separate mark columns: "X"/"Ja" in Bevaras, or "X"/a period in Gallras
    "keep": ("Bevaras", "Bevara", "Ska bevaras", "Keep"),
    "cull": ("Gallras", "Gallra", "Ska gallras", "Cull"),
}  # fmt: skip

#: columns common in plans that arkivlucka knows but does not use (no unknown-column warning).
UNUSED_COLUMNS: dict[str, tuple[str, ...]] = {
    "medium": ("Medium", "Format", "Media", "Bärare"),
    "sorting": ("Sortering", "Sorteringsordning", "Ordningsföljd"),
    "registration": ("Registreras", "Diarieförs", "Registrering", "Diarieföring", "Registreras/Diarieförs"),
    "secrecy": ("Sekretess", "Sekretessbestämmelse", "Informationsklass", "Informationssäkerhetsklass"),
    "delivery": ("Leverans", "Leverans till arkiv", "Överlämnas till arkiv", "Arkivleverans"),
    "owner": ("Ansvarig", "Ansvar", "Ansvarig funktion"),
    "personal_data": ("Personuppgifter", "Innehåller personuppgifter"),
}  # fmt: skip

#: cells that mark a keep/cull column (an "X" in Bevaras), and cells that say "no".
MARKS = {"x", "ja", "j", "✓", "✔", "1", "*"}
NOS = {"nej", "n", "0"}

#: metadata key → accepted labels in the rows above the header or in the overrides.
META_KEYS: dict[str, tuple[str, ...]] = {
    "name": (
        "Plan", "Namn", "Plannamn", "Dokumenthanteringsplan", "Informationshanteringsplan",
        "Titel", "Name",
    ),
    "version": ("Version", "Versionsnummer", "Revision"),
    "decided_by": (
        "Beslutad av", "Beslutsinstans", "Beslutande", "Fastställd av", "Beslutsorgan", "Beslut",
        "Decided by",
    ),
    "date": ("Beslutsdatum", "Datum", "Fastställd", "Beslutad", "Decision date"),
    "paragraph": ("Paragraf", "§", "Beslutsparagraf", "Protokollsparagraf", "Paragraph"),
    "reference": ("Diarienummer", "Dnr", "Beslutsreferens", "Ärendenummer", "Reference"),
    "creator": ("Arkivbildare", "Myndighet", "Nämnd", "Records creator"),
    "valid_from": ("Gäller från", "Giltig från", "Gäller fr.o.m.", "Valid from"),
}  # fmt: skip

_META_LOOKUP = {
    normalise_header(alias): key for key, aliases in META_KEYS.items() for alias in (key, *aliases)
}


@dataclass(frozen=True)
class PlanMeta:
    """The plan as a whole: name, version and the decision that adopted it."""

    name: str | None = None
    version: str | None = None
    decided_by: str | None = None
    date: str | None = None
    paragraph: str | None = None
    reference: str | None = None
    creator: str | None = None
    valid_from: str | None = None

    def decision(self) -> str | None:
        """The decision in one line: ``Kommunstyrelsen 2022-03-01 § 45, dnr KS 2022/12``."""
        paragraph = self.paragraph
        if paragraph and not paragraph.lstrip().startswith("§"):
            paragraph = f"§ {paragraph.strip()}"
        text = " ".join(x for x in (self.decided_by, self.date, paragraph) if x)
        if self.reference:
            text = f"{text}, dnr {self.reference}" if text else f"dnr {self.reference}"
        return text or None


@dataclass(frozen=True)
class PlanRow:
    """One record type in the plan, with its line in the file and what its cells say.

    ``action`` is None when the row says neither keep nor cull; ``problems`` holds the
    cells that could not be parsed (as messages) for ``plan_check`` to report.
    """

    line: int
    record_type: str
    id: str | None = None
    code: str | None = None
    process: str | None = None
    action_text: str | None = None
    period_text: str | None = None
    action: Action | None = None
    frist: Frist | None = None
    storage: str | None = None
    note: str | None = None
    basis: str | None = None
    inherited: bool = False
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str | None:
        """The code an incident file cites for this row: its id, else its class code."""
        return self.id or self.code

    def label(self) -> str:
        """``2.2 'Producerat material: ...'`` for messages."""
        return f"{self.key or '(no code)'} '{self.record_type}'"


@dataclass(frozen=True)
class Plan:
    """A read retention schedule: metadata, rows and the findings of reading it."""

    file: str
    meta: PlanMeta
    rows: tuple[PlanRow, ...]
    columns: frozenset[str] = frozenset()
    findings: tuple[Finding, ...] = field(default_factory=tuple)


def parse_meta(pairs: Iterable[str]) -> dict[str, str]:
    """Parse ``KEY=VALUE`` strings into metadata keys; raise ``InputError`` on an unknown key.

    The findings name the parameter ``plan_meta``.
    """
    out: dict[str, str] = {}
    for pair in pairs:
        label, sep, value = pair.partition("=")
        key = _META_LOOKUP.get(normalise_header(label))
        if not sep or key is None:
            known = ", ".join(META_KEYS)
            message = f"'{pair}' is not KEY=VALUE with a known key ({known})"
            raise InputError(message, [error("unknown-metadata", message, param="plan_meta")])
        bad = NOT_XML.search(value)
        if bad:
            message = f"'{label}': contains U+{ord(bad.group()):04X}, a character XML cannot hold"
            raise InputError(message, [error("invalid-character", message, param="plan_meta")])
        out[key] = value.strip()
    return out


def read_plan(path: str | Path, overrides: Mapping[str, str] | None = None) -> Plan:
    """Read a retention schedule; raise ``InputError`` only when the file cannot be read.

    Problems in the content are kept as findings (``Plan.findings`` holds the reader's;
    ``plan_check.check_plan`` adds the rest). ``overrides`` (metadata keys) win over the file.
    """
    table, findings = read_table(
        path, {**COLUMNS, **UNUSED_COLUMNS}, required=("record_type",), header_search=20
    )
    name = table.file
    meta: dict[str, str] = {}
    title: str | None = None
    for index, (line, raw) in enumerate(table.preamble):
        values = [c.strip() for c in raw if c.strip()]
        key, value = _meta_row(values)
        if key is None and len(values) == 1 and index == 0:
            title = values[0]  # a title row: the plan's name unless a 'Plan:' row gives it
            continue
        if key is None or not value:
            findings.append(
                warning(
                    "unknown-metadata",
                    f"the row above the header '{' '.join(values)}' is not a known "
                    f"'Key: value' row ({', '.join(META_KEYS)}); ignored",
                    file=name,
                    line=line,
                )
            )
            continue
        meta[key] = value
    if title and "name" not in meta:
        meta["name"] = title
    meta.update(overrides or {})
    rows: list[PlanRow] = []
    current: tuple[str | None, str | None] = (None, None)
    present = [key for key in COLUMNS if key in table.columns]
    for row in table.rows:
        given = row.cells
        cells: dict[str, str | None] = dict.fromkeys(COLUMNS)
        for key in present:
            cells[key] = given[key].strip() or None
        if not any(cells[k] for k in ("record_type", "action", "period", "keep", "cull")):
            if cells["code"] or cells["process"]:  # a heading row: a class for the rows below
                current = (cells["code"], cells["process"])
            continue
        inherited = not cells["code"] and not cells["process"] and current != (None, None)
        if inherited:
            cells["code"], cells["process"] = current
        rows.append(_row(row.number, cells, inherited))
    return Plan(name, PlanMeta(**meta), tuple(rows), frozenset(table.columns), tuple(findings))


def _meta_row(values: list[str]) -> tuple[str | None, str]:
    """``["Version", "2"]``, ``["Version: 2"]`` or ``["Version 2"]`` → ``("version", "2")``."""
    if len(values) > 1:
        return _META_LOOKUP.get(normalise_header(values[0])), " ".join(values[1:]).strip()
    text = values[0]
    if ":" in text:
        label, _, value = text.partition(":")
        return _META_LOOKUP.get(normalise_header(label)), value.strip()
    label, _, value = text.partition(" ")
    key = _META_LOOKUP.get(normalise_header(label))
    return (key, value.strip()) if key and key != "name" else (None, "")


def _row(line: int, cells: dict[str, str | None], inherited: bool) -> PlanRow:
    action, frist, problems = _assess(
        cells["action"], cells["period"], cells["keep"], cells["cull"]
    )
    # PlanRow's frozen __init__ sets each field through object.__setattr__, which was most
    # of the time of reading a large plan; every field is set here, so the row is the same.
    row = object.__new__(PlanRow)
    row.__dict__.update(
        line=line,
        record_type=cells["record_type"] or "",
        id=cells["id"],
        code=cells["code"],
        process=cells["process"],
        action_text=cells["action"],
        period_text=cells["period"],
        action=action,
        frist=frist,
        storage=cells["storage"],
        note=cells["note"],
        basis=cells["basis"],
        inherited=inherited,
        problems=problems,
    )
    return row


@functools.lru_cache(maxsize=4096)
def _assess(
    action_text: str | None, period: str | None, keep: str | None, cull: str | None
) -> tuple[Action | None, Frist | None, tuple[tuple[str, str], ...]]:
    """What the keep/cull cells of a row say together; rows repeat them, so cached."""
    cells = {"action": action_text, "period": period, "keep": keep, "cull": cull}
    problems: list[tuple[str, str]] = []
    rules: list[tuple[str, Rule]] = []
    for key, text in cells.items():
        if not text or not text.strip(" -–—"):  # a dash means "nothing said"
            continue
        mark = text.strip().casefold()
        if key in ("keep", "cull") and (mark in MARKS or mark in NOS):
            if mark in MARKS:
                rules.append((key, Rule("keep" if key == "keep" else "cull")))
            continue
        try:
            rules.append((key, parse_rule(text)))
        except PeriodSyntaxError as exc:
            problems.append(("unparsed-period", f"{key}: {exc}"))
    actions = {r.action for _, r in rules if r.action}
    if len(actions) > 1:
        said = "; ".join(f"{k} '{cells[k]}'" for k, _ in rules)
        problems.append(("conflicting-keep-cull", f"the row says both keep and cull ({said})"))
    action = next(iter(actions)) if len(actions) == 1 else None
    frist = next((r.frist for _, r in reversed(rules) if r.frist), None)
    return action, (frist if action == "cull" else None), tuple(problems)
