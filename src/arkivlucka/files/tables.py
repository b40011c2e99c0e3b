"""Read stage for spreadsheets: CSV and XLSX with Swedish headers matched loosely.

CSV may use comma or semicolon and be UTF-8, UTF-8 with BOM or Windows-1252. Shared by the
retention schedule and the inventory readers; ``table_bytes`` serialises a table back.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.core.text import NOT_XML
from arkivlucka.files.read import TooLarge, cannot_read, read_capped, too_large
from arkivlucka.files.read import decode_text as decode

XLSX_MAGIC = b"PK\x03\x04"
#: no schedule or inventory sheet comes near this; a bigger file is the wrong file
MAX_TABLE_BYTES = 512 * 1024 * 1024


@dataclass
class Row:
    """One data row: its 1-based row number in the file and its cells by column key."""

    number: int
    cells: dict[str, str]
    #: cells of columns with a header that is not a known column: (header, cell), in order.
    extra: list[tuple[str, str]] = field(default_factory=list)

    def get(self, key: str) -> str:
        """Return the stripped cell for ``key`` ('' when absent)."""
        return self.cells.get(key, "").strip()


@dataclass
class Table:
    """A read spreadsheet: which column key each header became, and the data rows."""

    file: str
    headers: list[str]
    columns: dict[str, int]
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    #: rows above the header (title and metadata rows), raw cells, when ``header_search`` > 1.
    preamble: list[tuple[int, list[str]]] = field(default_factory=list)

    def column_letter(self, key: str) -> str:
        """Return the spreadsheet letter (A, B, ... AA) of a column key, for messages."""
        index = self.columns.get(key)
        return column_letter(index) if index is not None else "?"


def column_letter(index: int) -> str:
    """Return the spreadsheet column letter for a 0-based index."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def normalise_header(text: str) -> str:
    """Casefold, NFC, and drop spaces, dashes, underscores, dots and slashes."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"[\s\-_./()]+", "", text)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _raw_rows(
    path: Path, findings: list[Finding] | None = None
) -> tuple[list[tuple[int, list[str]]], str | None, str | None]:
    findings = [] if findings is None else findings
    data = read_capped(path, MAX_TABLE_BYTES)
    if data.startswith(XLSX_MAGIC):  # by content: a workbook named .csv is still read
        from arkivlucka.files.xlsx import xlsx_rows

        return xlsx_rows(data, str(path), findings, MAX_TABLE_BYTES), None, None
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:  # a UTF-8 byte-order mark, then bytes that are not UTF-8
        line = data[: exc.start].count(b"\n") + 1
        message = "the file starts with a UTF-8 byte-order mark but is not UTF-8 text"
        raise InputError(
            f"{path}:{line}: {message}", [error("encoding", message, file=str(path), line=line)]
        ) from None
    text = unicodedata.normalize("NFC", text)  # an å as a + combining ring is the same å
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        message = "not a CSV text file (it holds NUL bytes: binary data, or UTF-16 without a byte-order mark?)"
        raise InputError(
            f"{path}:{line}: {message}", [error("not-text", message, file=str(path), line=line)]
        )
    # the first line with a delimiter outside quotes (a title row above the header may have none)
    lines = (re.sub(r'"[^"]*"', "", line) for line in text.splitlines()[:50])
    first = next((line for line in lines if any(d in line for d in ";,\t")), "")
    delim = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    width = 0  # the widest row before this one
    try:
        for row in reader:
            # a quote left open swallows the rows after it: a line of the cell then holds as
            # many delimiters as a row (a note of several lines with a ';' in it does not)
            if (
                reader.line_num > start
                and any(  # a cell with a line break spans lines
                    "\n" in cell
                    and any(ln.count(delim) >= max(2, width - 1) for ln in cell.split("\n")[1:])
                    for cell in row
                )
            ):
                findings.append(
                    warning(
                        "csv-quote",
                        f"the row on lines {start}–{reader.line_num} has a cell with line "
                        f"breaks and '{delim}' in it: a quote (\") left open?",
                        file=str(path),
                        line=start,
                    )
                )
            rows.append((reader.line_num, row))
            width = max(width, len(row))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = f"not a readable CSV file: {exc}"
        raise InputError(
            f"{path}:{reader.line_num}: {message}",
            [error("csv-syntax", message, file=str(path), line=reader.line_num)],
        ) from None
    return rows, encoding, delim


def read_table(
    path: str | Path,
    columns: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str] = (),
    header_search: int = 1,
    check_characters: bool = True,
) -> tuple[Table, list[Finding]]:
    """Read a CSV or XLSX file whose first non-empty row is the header.

    ``columns`` maps each column key to the header names it accepts (matched after
    ``normalise_header``). Unknown headers are warnings; a missing required column is an
    error. Blank rows are skipped. Raises ``InputError`` when the file cannot be read.
    With ``header_search`` > 1 the header is the row, among the first ``header_search``
    non-empty rows, with the most known headers (the earliest on a tie); the rows above it
    are kept raw in ``Table.preamble``. Each cell holding a character XML cannot hold is an
    ``invalid-character`` error, unless ``check_characters`` is false because the caller
    cleans such cells itself under its own policy.
    """
    name = str(path)
    findings: list[Finding] = []
    raw, encoding, delim = _read_rows(Path(path), name, findings)
    if check_characters:
        findings += _bad_characters(raw, name)
    if not raw:
        raise InputError(
            f"{name}: the file has no header row",
            [error("empty-table", "the file has no header row", file=name, line=1)],
        )
    lookup = {
        normalise_header(alias): key
        for key, aliases in columns.items()
        for alias in (key, *aliases)
    }
    at = _header_index(raw[: max(1, header_search)], lookup)
    preamble, raw = raw[:at], raw[at:]
    header_line, headers = raw[0]
    mapping, unknown = _map_headers(headers, lookup, name, header_line, findings)
    for key in required:
        if key not in mapping:
            accepted = ", ".join(repr(a) for a in columns[key]) or repr(key)
            findings.append(
                error(
                    "missing-column",
                    f"no column for {key} (accepted headers: {accepted})",
                    file=name,
                    line=header_line,
                )
            )
    table = Table(name, headers, mapping, encoding=encoding, delimiter=delim, preamble=preamble)
    _add_rows(table, raw[1:], unknown, findings)
    return table, findings


def _read_rows(
    p: Path, name: str, findings: list[Finding]
) -> tuple[list[tuple[int, list[str]]], str | None, str | None]:
    """The non-blank rows of the file with their line numbers, its encoding and delimiter."""
    try:
        raw, encoding, delim = _raw_rows(p, findings)
    except OSError as exc:
        raise cannot_read(name, exc) from None
    except TooLarge as exc:
        raise too_large(name, exc, "file-too-large", "not a table to read") from None
    except csv.Error as exc:
        raise InputError(
            f"{name}: not a readable CSV file: {exc}", [error("csv-syntax", str(exc), file=name)]
        ) from None
    # blank rows dropped (a first cell with text settles it without the join)
    raw = [(n, c) for n, c in raw if (c and c[0].strip()) or "".join(c).strip()]
    return raw, encoding, delim


def _map_headers(
    headers: list[str], lookup: dict[str, str], name: str, line: int, findings: list[Finding]
) -> tuple[dict[str, int], list[int]]:
    """Column key → index for the known headers; the indexes of unknown ones (warned)."""
    mapping: dict[str, int] = {}
    unknown: list[int] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        key = lookup.get(normalise_header(header))
        where = {"file": name, "line": line, "path": column_letter(index)}
        if key is None:
            unknown.append(index)
            msg = f"column {column_letter(index)} '{header}' is not a known column; ignored"
            findings.append(warning("unknown-column", msg, **where))
        elif key in mapping:
            msg = f"column {column_letter(index)} '{header}' repeats column {column_letter(mapping[key])}"
            findings.append(error("duplicate-column", msg, **where))
        else:
            mapping[key] = index
    return mapping, unknown


def _add_rows(
    table: Table, rows: list[tuple[int, list[str]]], unknown: list[int], findings: list[Finding]
) -> None:
    """Each data row as a ``Row``; values under no header are warned about, not kept."""
    headers, name = table.headers, table.file
    width = len(headers)
    blank = [i for i, header in enumerate(headers) if not header.strip()]
    keyed = list(table.columns.items())
    needed = max([*table.columns.values(), *unknown], default=-1) + 1
    for number, cells in rows:
        if (len(cells) > width or blank) and (
            headless := [
                column_letter(i)
                for i, cell in enumerate(cells)
                if cell.strip() and (i >= width or not headers[i].strip())
            ]
        ):
            findings.append(
                warning(
                    "cell-without-header",
                    f"row {number}: column(s) {', '.join(headless)} hold values but have no "
                    "header; those values are ignored (add a header, or move them)",
                    file=name,
                    line=number,
                    path=headless[0],
                )
            )
        if len(cells) < needed:
            cells = [*cells, *[""] * (needed - len(cells))]
        table.rows.append(
            Row(
                number,
                {key: cells[i] for key, i in keyed},
                [(headers[i], cells[i]) for i in unknown],
            )
        )


def _bad_characters(raw: list[tuple[int, list[str]]], name: str) -> list[Finding]:
    """An error for each cell holding a character XML cannot hold (it could not be written)."""
    out = []
    for number, cells in raw:
        if not NOT_XML.search("\t".join(cells)):  # one search a row; a tab is allowed in XML
            continue
        for index, cell in enumerate(cells):
            bad = NOT_XML.search(cell)
            if bad:
                out.append(
                    error(
                        "invalid-character",
                        f"cell {column_letter(index)}{number} contains U+{ord(bad.group()):04X}, "
                        "a character XML cannot hold; remove it",
                        file=name,
                        line=number,
                        path=column_letter(index),
                    )
                )
    return out


def _header_index(candidates: list[tuple[int, list[str]]], lookup: Mapping[str, str]) -> int:
    best, best_count = 0, -1
    for i, (_, cells) in enumerate(candidates):
        count = len({lookup[h] for h in map(normalise_header, cells) if h in lookup})
        if count > best_count:
            best, best_count = i, count
    return best


def _forget(exc: BaseException) -> None:
    """Drop what a failed save left, quietly.

    openpyxl's half-closed sheet writers (held by the traceback's frames) would print
    'Exception ignored' tracebacks when collected; the error itself is reported.
    """
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook


def table_bytes(headers: Sequence[str], rows: Sequence[Sequence[str]], suffix: str) -> bytes:
    """Serialise a table as ``.csv`` (UTF-8 with BOM, semicolons, as Swedish Excel reads) or ``.xlsx``."""
    if suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(headers))
        for r, row in enumerate(rows, start=2):
            sheet.append(list(row))
            for c, value in enumerate(row, start=1):
                if isinstance(value, str) and value.startswith("="):
                    sheet.cell(row=r, column=c).data_type = "s"  # text, never a formula
        buffer = io.BytesIO()
        try:
            book.save(buffer)
        except Exception as exc:  # e.g. lxml's SerialisationError IO_EFBIG from its temp files
            message = f"{type(exc).__name__}: {exc}"
            _forget(exc)
            raise OSError(errno.EIO, message) from None
        return buffer.getvalue()
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
