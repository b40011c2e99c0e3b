"""Spreadsheet stage for inventories: CSV/XLSX rows to an ``Inventory`` and back.

A row with a Volym is a storage unit of the class or series in its Referenskod; a row without
one is the class's or series' own row (its heading, period, notes); a later row without Volym
whose Anmärkning begins with "Lucka" is a gap. An empty Referenskod continues the class above.
Codes of digits and dots (2, 2.2, 2.2.1) are process-based classes; anything else is a series
signum (F2, A1). Columns arkivlucka does not know are kept cell by cell.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.findings import Finding, Severity, error, warning
from arkivlucka.inventory_model import (
    Gap,
    Group,
    Inventory,
    Tid,
    Unit,
    format_tid,
    is_klassa_code,
    norm_code,
    parse_tid,
)
from arkivlucka.tabular import Row, Table, read_table

#: column key → accepted headers (matched case-, space- and punctuation-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Referenskod": ("Referenskod", "Signum", "Klass", "Klasskod", "Kod", "Serie"),
    "Rubrik": ("Rubrik", "Serierubrik", "Klassrubrik", "Titel", "Benämning"),
    "Volym": ("Volym", "Volymnummer", "Vol", "Förvaringsenhet", "Volym nr"),
    "Tid": ("Tid", "Datering", "Tidsomfång", "Period", "År"),
    "Innehåll": ("Innehåll", "Innehållsbeskrivning"),
    "Anmärkning": ("Anmärkning", "Anmärkningar", "Kommentar"),
    "Placering": ("Placering", "Förvaringsplats", "Hyllplacering"),
}
DEFAULT_HEADERS = list(COLUMNS)
NOTE_JOIN = "\n"


@dataclass(frozen=True)
class ImportOptions:
    """What the spreadsheet does not say: the records creator and the archive."""

    creator: str
    department: str | None = None
    creator_code: str | None = None
    archive_name: str | None = None
    archive_code: str | None = None
    strict: bool = False


def _cell_finding(
    table: Table, row: Row, key: str, code: str, message: str, strict: bool
) -> Finding:
    col = table.column_letter(key)
    where = f"row {row.number}, column {col} ({key})"
    build = error if strict else warning
    return build(
        code, f"{where}: {message}", file=table.file, line=row.number, path=f"{col}{row.number}"
    )


def _tid(table: Table, row: Row, strict: bool, findings: list[Finding]) -> Tid:
    text = row.get("Tid")
    if not text:
        return Tid()
    parsed = _parsed_tid(text)
    if isinstance(parsed, str):
        findings.append(_cell_finding(table, row, "Tid", "inventory-bad-period", parsed, strict))
        return Tid(text=text)
    return Tid(*parsed)


@functools.lru_cache(maxsize=8192)
def _parsed_tid(text: str) -> tuple[str | None, str | None, str | None] | str:
    """Start, end and the text to keep of a Tid cell, or why it is not one; cells repeat."""
    try:
        start, end = parse_tid(text)
    except ValueError as exc:
        return str(exc)
    return start, end, None if text == format_tid(start, end) else text


def _opt(row: Row, key: str) -> str | None:
    return row.get(key) or None


def _extra(row: Row) -> list[tuple[str, str]]:
    return [(h, v.strip()) for h, v in row.extra if v.strip()]


#: control characters but tab and line breaks, and the two non-characters U+FFFE, U+FFFF
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_unsafe(text: str) -> str | None:
    """The first character XML cannot hold (control characters but tab and line breaks)."""
    found = _XML_UNSAFE.search(text)
    return found.group() if found else None


def _clean_cells(table: Table, row: Row, strict: bool, findings: list[Finding]) -> None:
    """Replace characters XML cannot hold (a NUL, a vertical tab from Word) by a space, noted."""
    if not _XML_UNSAFE.search("\t".join(row.cells.values())) and not any(
        _XML_UNSAFE.search(v) for _, v in row.extra
    ):
        return  # one search a row (a tab is allowed), the common case
    for key, value in list(row.cells.items()):
        bad = xml_unsafe(value)
        if bad is not None:
            findings.append(
                _cell_finding(
                    table, row, key, "inventory-bad-character",
                    f"holds the control character U+{ord(bad):04X}, which XML cannot hold; "
                    "replaced by a space",
                    strict,
                )
            )  # fmt: skip
            row.cells[key] = "".join(" " if xml_unsafe(c) else c for c in value)
    for i, (header, value) in enumerate(row.extra):
        bad = xml_unsafe(value)
        if bad is not None:
            findings.append(
                (error if strict else warning)(
                    "inventory-bad-character",
                    f"row {row.number}, column '{header}': holds the control character "
                    f"U+{ord(bad):04X}, which XML cannot hold; replaced by a space",
                    file=table.file,
                    line=row.number,
                )
            )
            row.extra[i] = (header, "".join(" " if xml_unsafe(c) else c for c in value))


def rows_to_inventory(table: Table, options: ImportOptions, findings: list[Finding]) -> Inventory:
    """Turn the rows of a read table into an ``Inventory``; problems go to ``findings``."""
    inv = Inventory(
        creator=options.creator,
        department=options.department,
        creator_code=options.creator_code,
        archive_name=options.archive_name,
        archive_code=options.archive_code,
        source_file=Path(table.file).name,
    )
    by_key = {i: key for key, i in table.columns.items()}
    inv.columns = [(h.strip(), by_key.get(i)) for i, h in enumerate(table.headers) if h.strip()]
    groups: dict[str, Group] = {}
    current: Group | None = None
    strict = options.strict
    volumes: dict[int, set[str]] = {}  # id(group) → the volumes of its units so far
    normed: dict[str, str] = {}  # code cell → norm_code of it
    for row in table.rows:
        _clean_cells(table, row, strict, findings)
        code = row.get("Referenskod")
        if code:
            key = normed.get(code)
            if key is None:
                key = normed[code] = norm_code(code)  # rows of a class repeat its code
            group = groups.get(key)
            if group is None:
                group = Group("Klass" if is_klassa_code(code) else "Serie", code)
                groups[key] = group
                inv.groups.append(group)
        elif current is not None:
            group = current
        else:
            findings.append(
                _cell_finding(
                    table, row, "Referenskod", "inventory-row-no-reference",
                    "no reference code (Referenskod/Signum/Klass) and no class above it; row skipped",
                    strict,
                )
            )  # fmt: skip
            continue
        current = group
        tid = _tid(table, row, strict, findings)
        volym = row.get("Volym")
        note = _opt(row, "Anmärkning")
        if volym:
            seen = volumes.setdefault(id(group), set())
            if volym in seen:
                findings.append(
                    warning(
                        "inventory-duplicate-unit",
                        f"row {row.number}: volume '{volym}' appears twice in {group.code}",
                        file=table.file,
                        line=row.number,
                        path=f"{table.column_letter('Volym')}{row.number}",
                    )
                )
            group.children.append(
                Unit(
                    volym=volym,
                    rubrik=_opt(row, "Rubrik"),
                    tid=tid,
                    innehall=_opt(row, "Innehåll"),
                    placering=_opt(row, "Placering"),
                    notes=[note] if note else [],
                    extra=_extra(row),
                )
            )
            seen.add(volym)
        elif not group.has_row:
            group.has_row = True
            group.rubrik = _opt(row, "Rubrik")
            group.tid = tid
            group.innehall = _opt(row, "Innehåll")
            group.placering = _opt(row, "Placering")
            group.notes = [note] if note else []
            group.extra = _extra(row)
        elif note and note.casefold().startswith("lucka"):
            group.children.append(Gap(rubrik=_opt(row, "Rubrik") or note, tid=tid, notes=[note]))
        else:
            findings.append(
                _cell_finding(
                    table, row, "Volym", "inventory-row-no-volume",
                    f"no volume, and {group.code} already has its own row; row skipped",
                    strict,
                )
            )  # fmt: skip
    return inv


def read_inventory_table(path: Path, options: ImportOptions) -> tuple[Inventory, list[Finding]]:
    """Read a spreadsheet inventory; return it and every finding (errors make it unusable)."""
    # Control characters are replaced and reported per cell below (a warning, or an error
    # with --strict), so the import can go on as the issue asks; hence no check in the reader.
    table, tab_findings = read_table(
        path, COLUMNS, required=("Referenskod",), check_characters=False
    )
    findings: list[Finding] = []
    for f in tab_findings:
        if f.code == "unknown-column":
            findings.append(
                Finding(
                    "inventory-extra-column",
                    Severity.INFO,
                    f.message.replace("; ignored", "; its cells are kept as they are"),
                    f.file,
                    f.line,
                    f.path,
                )
            )
        else:
            findings.append(f)
    if any(f.is_error for f in findings):
        return Inventory(options.creator), findings
    inv = rows_to_inventory(table, options, findings)
    if not inv.groups:
        findings.append(
            error("inventory-empty", "the spreadsheet has no inventory rows", file=str(path))
        )
    return inv, findings


def _gap_row(code: str, gap: Gap, review: bool) -> dict[str, str]:
    note = NOTE_JOIN.join(gap.notes) or f"Lucka: {gap.rubrik}"
    if review and not note.casefold().startswith("lucka"):
        note = f"Lucka (att granska): {note}"
    return {"Referenskod": code, "Rubrik": gap.rubrik, "Tid": gap.tid.cell(), "Anmärkning": note}


def _item_row(code: str, item: Group | Unit, volym: str | None = None) -> dict[str, str]:
    """The cells of a class/series row (no ``volym``) or of a storage unit's row."""
    row = {"Referenskod": code, "Rubrik": item.rubrik or ""}
    if volym is not None:
        row["Volym"] = volym
    row |= {
        "Tid": item.tid.cell(),
        "Innehåll": item.innehall or "",
        "Anmärkning": NOTE_JOIN.join(item.notes),
        "Placering": item.placering or "",
    }
    return row


def inventory_rows(inv: Inventory) -> list[tuple[dict[str, str], list[tuple[str, str]]]]:
    """Return one (cells by column key, extra cells) pair per spreadsheet row, in order."""
    out: list[tuple[dict[str, str], list[tuple[str, str]]]] = []
    for group in inv.groups:
        own = (
            any((group.rubrik, group.innehall, group.placering, group.notes, group.extra))
            or not group.tid.is_empty
        )
        if own or not group.children:
            out.append((_item_row(group.code, group), group.extra))
        for child in group.children:
            if isinstance(child, Gap):
                out.append((_gap_row(group.code, child, False), []))
                continue
            out.append((_item_row(group.code, child, child.volym), child.extra))
    for gap in inv.review:
        out.append((_gap_row(gap.placering or "", gap, True), []))
    return out


def sheet_table(inv: Inventory) -> tuple[list[str], list[list[str]]]:
    """Return the headers (as imported, else the default columns) and the rows."""
    columns = inv.columns or [(h, h) for h in DEFAULT_HEADERS]
    table = inventory_rows(inv)
    mapped = {key for _, key in columns if key}
    needed = {k for cells, _ in table for k, v in cells.items() if v}
    columns = columns + [(k, k) for k in DEFAULT_HEADERS if k in needed and k not in mapped]
    headers = [h for h, _ in columns]
    rows = []
    for cells, extra in table:
        pending = list(extra)
        row = []
        for header, key in columns:
            if key:
                row.append(cells.get(key, ""))
                continue
            value = ""
            for i, (name, cell) in enumerate(pending):
                if name == header:
                    value = cell
                    del pending[i]
                    break
            row.append(value)
        rows.append(row)
    return headers, rows
