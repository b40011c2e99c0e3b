"""Spreadsheet stage for inventories: CSV/XLSX rows to an ``Inventory`` and back.

A row with a Volym is a storage unit of the class or series in its Referenskod; a row without
one is the class's or series' own row (its heading, period, notes); a later row without Volym
whose Anmärkning begins with "Lucka" is a gap. An empty Referenskod continues the class above.
Codes of digits and dots (2, 2.2, 2.2.1) are process-based classes; anything else is a series
signum (F2, A1). Columns arkivlucka does not know are kept cell by cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from arkivlucka.core.findings import Finding, Severity, error, warning
from arkivlucka.core.text import norm_code
from arkivlucka.files.tables import Row, Table, column_letter, read_table
from arkivlucka.inventory.cells import (
    DETAILS,
    fill_gap,
    gap_details,
    is_gap,
    is_review,
    item_details,
    notes_cell,
    parent_of,
    parse_details,
    parse_span_cell,
    span_cell,
    split_notes,
    with_note_attributes,
)
from arkivlucka.inventory.model import Gap, Group, Inventory, Span, Unit, is_klassa_code

#: column key → accepted headers (matched case-, space- and punctuation-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("Referenskod", "Signum", "Klass", "Klasskod", "Kod", "Serie"),
    "title": ("Rubrik", "Serierubrik", "Klassrubrik", "Titel", "Benämning"),
    "volume": ("Volym", "Volymnummer", "Vol", "Förvaringsenhet", "Volym nr"),
    "period": ("Tid", "Datering", "Tidsomfång", "Period", "År"),
    "content": ("Innehåll", "Innehållsbeskrivning"),
    "note": ("Anmärkning", "Anmärkningar", "Kommentar"),
    "location": ("Placering", "Förvaringsplats", "Hyllplacering"),
    DETAILS: (DETAILS,),
}
#: the columns of a new export (the details column only when a row has details)
DEFAULT_HEADERS = [k for k in COLUMNS if k != DETAILS]
#: how many rows may stand above the header (title rows)
HEADER_SEARCH = 10


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


def _span(table: Table, row: Row, strict: bool, findings: list[Finding]) -> Span:
    text = row.get("period")
    if not text:
        return Span()
    try:
        return parse_span_cell(text)
    except ValueError as exc:
        findings.append(
            _cell_finding(table, row, "period", "inventory-bad-period", str(exc), strict)
        )
        return Span(text=text)


def _opt(row: Row, key: str) -> str | None:
    return row.get(key) or None


def _extra(row: Row) -> list[tuple[str, str]]:
    return [(h, v.strip()) for h, v in row.extra if v.strip()]


#: control characters but tab and line breaks, and the two non-characters U+FFFE and U+FFFF
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_unsafe(text: str) -> str | None:
    """The first character XML cannot hold (control characters but tab and line breaks)."""
    bad = _UNSAFE.search(text)
    return bad.group() if bad else None


def _xml_clean(text: str) -> str:
    return _UNSAFE.sub(" ", text)


def _clean_headers(table: Table, strict: bool, findings: list[Finding]) -> None:
    """Header cells get the cleaning data cells get: a control character becomes a space."""
    for i, header in enumerate(table.headers):
        bad = xml_unsafe(header)
        if bad is not None:
            findings.append(
                (error if strict else warning)(
                    "inventory-bad-character",
                    f"header of column {column_letter(i)}: holds the control character "
                    f"U+{ord(bad):04X}, which XML cannot hold; replaced by a space",
                    file=table.file,
                    path=column_letter(i),
                )
            )
            table.headers[i] = _xml_clean(header)
    for row in table.rows:
        row.extra = [(_xml_clean(h), v) for h, v in row.extra]


def _clean_cells(table: Table, row: Row, strict: bool, findings: list[Finding]) -> None:
    """Replace characters XML cannot hold (a NUL, a vertical tab from Word) by a space, noted."""
    if not _UNSAFE.search("".join(row.cells.values())) and not any(
        _UNSAFE.search(value) for _, value in row.extra
    ):  # one search for a row: almost every row is clean
        return
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
            row.cells[key] = _xml_clean(value)
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
            row.extra[i] = (header, _xml_clean(value))


def _group_of(
    table: Table, row: Row, inv: Inventory, groups: dict[str, Group], current: Group | None,
    strict: bool, findings: list[Finding],
) -> Group | None:  # fmt: skip
    """The class or series a row belongs to (created on its first row), or None (skipped)."""
    code = row.get("reference")
    if not code:
        if current is None:
            findings.append(
                _cell_finding(
                    table, row, "reference", "inventory-row-no-reference",
                    "no reference code (Referenskod/Signum/Klass) and no class above it; row skipped",
                    strict,
                )
            )  # fmt: skip
        return current
    group = groups.get(norm_code(code))
    if group is None:
        group = Group("Klass" if is_klassa_code(code) else "Serie", code)
        groups[norm_code(code)] = group
        inv.groups.append(group)
    return group


def _unit(row: Row, period: Span, notes: list[str]) -> Unit:
    return Unit(
        volume=row.get("volume"),
        title=_opt(row, "title"),
        period=period,
        content=_opt(row, "content"),
        location=_opt(row, "location"),
        notes=notes,
        extra=_extra(row),
    )


def _own_row(group: Group, row: Row, period: Span, notes: list[str], parent: str | None) -> None:
    group.has_row = True
    group.title = _opt(row, "title")
    group.period = period
    group.content = _opt(row, "content")
    group.location = _opt(row, "location")
    group.notes = notes
    group.extra = _extra(row)
    group.parent = parent


def _gap(row: Row, period: Span, notes: list[str], pairs: list[tuple[str, str]]) -> Gap:
    title = _opt(row, "title") or (notes[0] if notes else "")
    return fill_gap(Gap(title=title, period=period, notes=notes), pairs)


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
    _clean_headers(table, options.strict, findings)
    by_key = {i: key for key, i in table.columns.items()}
    inv.columns = [(h.strip(), by_key.get(i)) for i, h in enumerate(table.headers) if h.strip()]
    groups: dict[str, Group] = {}
    volumes: dict[int, set[str]] = {}  # id of a group → the volumes of its units so far
    current: Group | None = None
    strict = options.strict
    for row in table.rows:
        _clean_cells(table, row, strict, findings)
        pairs = parse_details(row.get(DETAILS))
        period = _span(table, row, strict, findings)
        notes = with_note_attributes(split_notes(row.get("note")), pairs)
        if is_review(pairs):
            inv.review.append(_gap(row, period, notes, pairs))
            continue
        group = _group_of(table, row, inv, groups, current, strict, findings)
        if group is None:
            continue
        current = group
        volume = row.get("volume")
        lucka = bool(notes) and notes[0].casefold().startswith("lucka")
        if volume:
            seen = volumes.setdefault(id(group), set())
            if volume in seen:
                findings.append(
                    warning(
                        "inventory-duplicate-unit",
                        f"row {row.number}: volume '{volume}' appears twice in {group.code}",
                        file=table.file,
                        line=row.number,
                        path=f"{table.column_letter('Volym')}{row.number}",
                    )
                )
            seen.add(volume)
            group.children.append(_unit(row, period, notes))
        elif is_gap(pairs) or (group.has_row and lucka):
            group.children.append(_gap(row, period, notes, pairs))
        elif not group.has_row:
            _own_row(group, row, period, notes, parent_of(pairs))
        else:
            findings.append(
                _cell_finding(
                    table, row, "volume", "inventory-row-no-volume",
                    f"no volume, and {group.code} already has its own row; row skipped",
                    strict,
                )
            )  # fmt: skip
    if inv.review:
        from arkivlucka.inventory.merge import REVIEW_TEXT

        inv.review_text = REVIEW_TEXT
    return inv


def read_inventory_table(path: Path, options: ImportOptions) -> tuple[Inventory, list[Finding]]:
    """Read a spreadsheet inventory; return it and every finding (errors make it unusable)."""
    # Control characters are replaced and reported per cell below (a warning, or an error
    # with --strict), so the import can go on as the issue asks; hence no check in the reader.
    table, tab_findings = read_table(
        path, COLUMNS, required=("reference",), check_characters=False,
        header_search=HEADER_SEARCH,
    )  # fmt: skip
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
    return {
        "reference": "" if review else code,
        "title": gap.title,
        "period": span_cell(gap.period),
        "note": notes_cell(gap.notes) or f"Lucka: {gap.title}",
        DETAILS: gap_details(gap, review),
    }


def _item_row(code: str, item: Group | Unit, volume: str | None = None) -> dict[str, str]:
    """The cells of a class/series row (no ``volym``) or of a storage unit's row."""
    row = {"reference": code, "title": item.title or ""}
    if volume is not None:
        row["volume"] = volume
    row |= {
        "period": span_cell(item.period),
        "content": item.content or "",
        "note": notes_cell(item.notes),
        "location": item.location or "",
        DETAILS: item_details(item),
    }
    return row


def inventory_rows(inv: Inventory) -> list[tuple[dict[str, str], list[tuple[str, str]]]]:
    """Return one (cells by column key, extra cells) pair per spreadsheet row, in order."""
    out: list[tuple[dict[str, str], list[tuple[str, str]]]] = []
    for group in inv.groups:
        own = (
            any((group.title, group.content, group.location, group.notes, group.extra))
            or not group.period.is_empty
            or group.parent
        )
        if own or not group.children:
            out.append((_item_row(group.code, group), group.extra))
        for child in group.children:
            if isinstance(child, Gap):
                out.append((_gap_row(group.code, child, False), []))
                continue
            out.append((_item_row(group.code, child, child.volume), child.extra))
    for gap in inv.review:
        out.append((_gap_row(gap.location or gap.location_series or "", gap, True), []))
    return out


def sheet_table(inv: Inventory) -> tuple[list[str], list[list[str]]]:
    """Return the headers (as imported, else the default columns) and the rows."""
    columns = inv.columns or [(COLUMNS[k][0], k) for k in DEFAULT_HEADERS]
    table = inventory_rows(inv)
    mapped = {key for _, key in columns if key}
    needed = {k for cells, _ in table for k, v in cells.items() if v}
    columns = columns + [(COLUMNS[k][0], k) for k in COLUMNS if k in needed and k not in mapped]
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
