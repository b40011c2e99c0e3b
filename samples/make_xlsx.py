"""Sample tooling: write the .xlsx twin of a sample .csv table, byte for byte reproducibly.

Usage: python samples/make_xlsx.py samples/digframe/dokumenthanteringsplan.csv
Writes dokumenthanteringsplan.xlsx next to it (first sheet, every row as text, title rows
included). Timestamps inside the workbook are fixed so the same CSV gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

FIXED = datetime(2024, 1, 1)


def xlsx_bytes(csv_path: Path) -> bytes:
    """The workbook for ``csv_path`` (UTF-8 with or without BOM, ; or , delimited)."""
    import openpyxl

    text = csv_path.read_bytes().decode("utf-8-sig")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = csv_path.stem[:31]
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        sheet.append(row)
    book.properties.creator = "arkivlucka samples/make_xlsx.py"
    book.properties.created = FIXED
    book.properties.modified = FIXED
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data
                )
            dst.writestr(fixed, data)
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Write the .xlsx for each CSV named (default: the Digframe plan)."""
    for name in argv or ["samples/digframe/dokumenthanteringsplan.csv"]:
        path = Path(name)
        target = path.with_suffix(".xlsx")
        target.write_bytes(xlsx_bytes(path))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
