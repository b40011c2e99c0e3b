"""Read stage for spreadsheets, the .xlsx side: the first sheet with data, bombs refused.

Used by ``tabular.read_table`` when the file's content is a zip (whatever its name).
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import Finding, error, warning


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value))


def xlsx_rows(
    data: bytes, name: str, findings: list[Finding], max_total: int
) -> list[tuple[int, list[str]]]:
    """The rows of the first sheet that has any; a warning names other sheets with data.

    The zip is checked first (``zipsafe``): a workbook unpacking past ``max_total`` bytes
    or with a part expanding absurdly is refused before openpyxl unpacks anything.
    """
    import zipfile
    import zlib

    import openpyxl

    from arkivlucka.files.zipsafe import ZipLimits, check_zip

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            limits = ZipLimits(max_members=10_000, max_total=max_total)
            refused = check_zip(zf, name, limits)
            if not refused:
                findings += _unsaved_formulas(zf, name)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):
        refused = []  # openpyxl below says what is wrong
    except (zlib.error, OSError) as exc:  # a part's compressed data is damaged
        msg = f"not a readable .xlsx workbook: a part is damaged ({exc})"
        raise InputError(f"{name}: {msg}", [error("xlsx-unreadable", msg, file=name)]) from None
    if refused:
        raise InputError(f"{name}: {refused[0].message}", refused)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(
            f"{name}: not a readable .xlsx workbook: {exc}",
            [error("xlsx-unreadable", f"not a readable .xlsx workbook: {exc}", file=name)],
        ) from None
    try:
        chosen: list[tuple[int, list[str]]] = []
        title = ""
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            if chosen:
                if any(any(v not in (None, "") for v in row) for row in rows):
                    findings.append(
                        warning(
                            "sheet-ignored",
                            f"sheet '{sheet.title}' is not read; only the first sheet with "
                            f"data ('{title}') is",
                            file=name,
                        )
                    )
                continue
            chosen = [(i, [_cell_text(v) for v in row]) for i, row in enumerate(rows, start=1)]
            if not any(any(c.strip() for c in cells) for _, cells in chosen):
                chosen = []
            title = sheet.title
        return chosen
    except Exception as exc:  # a broken sheet part surfaces only while reading
        raise InputError(
            f"{name}: not a readable .xlsx workbook: {exc}",
            [error("xlsx-unreadable", f"not a readable .xlsx workbook: {exc}", file=name)],
        ) from None
    finally:
        book.close()


_UNSAVED_FORMULA = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v>\s*</v>|<v/>)?\s*</c>'
)


def _unsaved_formulas(zf: Any, name: str) -> list[Finding]:
    """A warning per formula cell with no saved value (read as empty: nothing is computed).

    A spreadsheet program saves each formula's last value; a file written by a script may
    not, and its cells would silently read as empty.
    """
    out: list[Finding] = []
    for part in sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")):
        xml = zf.read(part)
        if b"<f" not in xml:
            continue
        for match in _UNSAVED_FORMULA.finditer(xml):
            column, row = match.group(1).decode("ascii"), int(match.group(2))
            out.append(
                warning(
                    "formula-without-value",
                    f"cell {column}{row} holds a formula with no saved value; it is read as "
                    "empty (open and save the file in a spreadsheet program, or type the value)",
                    file=name,
                    line=row,
                    path=column,
                )
            )
    return out
