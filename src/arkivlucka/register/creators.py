"""Register stage, records creators: read a sheet of them, keep them, look them up, export them.

A sheet (``.csv`` or ``.xlsx``, Swedish or English headers) holds one records creator per row.
Import is all or nothing: every bad cell is reported by row and column and nothing is changed
unless every row is good. A row replaces the stored creator of the same name (compared without
case), empty cells included; creators not in the sheet are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy import Connection, select

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import Finding, error, has_errors, warning
from arkivlucka.register import schema as s
from arkivlucka.register.model import Creator, name_key

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Namn", "Arkivbildare", "Name", "Records creator"),
    "kind": ("Typ", "Slag", "Organisationsform", "Kind", "Type"),
    "department": ("Förvaltning", "Betjänande förvaltning", "Department", "Serving department"),
    "org_number": ("Organisationsnummer", "Orgnr", "Org nr", "Organisation number"),
    "hsa_id": ("HSA-id", "HSA", "HSA id"),
    "nad_code": ("NAD-kod", "NAD", "Referenskod", "NAD reference code", "NAD code"),
    "active_start": ("Verksam från", "Från", "Active from", "Start"),
    "active_end": ("Verksam till", "Till", "Active to", "End"),
}
#: the export's headers, in column order (the import reads them back)
HEADERS = ("Namn", "Typ", "Förvaltning", "Organisationsnummer", "HSA-id", "NAD-kod",
           "Verksam från", "Verksam till")  # fmt: skip
FIELDS = tuple(f.name for f in fields(Creator))
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[ T]00:00(?::00)?)?$")
_ORG = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")
_HSA = re.compile(r"^SE\d{10}-\S+$")


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` end in a valid Luhn check digit (as Swedish organisation numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def org_number(text: str) -> str | None:
    """``NNNNNN-NNNN`` for an organisation number in any usual form; None if it is not one."""
    m = _ORG.match(re.sub(r"\s", "", text))
    if not m or not luhn_ok(m.group(1) + m.group(2)):
        return None
    return f"{m.group(1)}-{m.group(2)}"


def partial_date(text: str) -> str | None:
    """The ISO partial date (``2019``, ``2019-05``, ``2019-05-01``) in ``text``; None if none."""
    m = _PARTIAL.match(text.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        from datetime import date

        try:
            date(int(year), int(month), int(day))
        except ValueError:
            return None
    return "-".join(x for x in (year, month, day) if x)


@dataclass
class _Cells:
    """One sheet row being checked: the values so far and its findings."""

    file: str
    line: int
    findings: list[Finding]

    def bad(self, key: str, message: str) -> None:
        self.findings.append(
            error("creator-cell", message, file=self.file, line=self.line, path=key)
        )


def _row_creator(cells: dict[str, str], c: _Cells) -> Creator | None:
    values: dict[str, str | None] = {k: cells.get(k, "").strip() or None for k in FIELDS}
    if not values["name"]:
        c.bad("name", f"row {c.line}: no name of the records creator")
        return None
    if values["org_number"]:
        normal = org_number(values["org_number"])
        if normal is None:
            c.bad("org_number", f"row {c.line}: '{values['org_number']}' is not an organisation "
                  "number (NNNNNN-NNNN with a valid check digit)")  # fmt: skip
        values["org_number"] = normal
    if values["hsa_id"] and not _HSA.match(values["hsa_id"]):
        c.findings.append(warning("creator-hsa-id", f"row {c.line}: HSA-id '{values['hsa_id']}' "
                          "does not look like SE<10 digits>-<suffix>", file=c.file, line=c.line,
                          path="hsa_id"))  # fmt: skip
    for key in ("active_start", "active_end"):
        if values[key]:
            normal = partial_date(values[key] or "")
            if normal is None:
                c.bad(
                    key,
                    f"row {c.line}: '{values[key]}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                )
            values[key] = normal
    start, end = values["active_start"], values["active_end"]
    if start and end and start[: len(end)] > end:
        c.bad("active_end", f"row {c.line}: active until {end}, before it began ({start})")
    return Creator(**values)  # type: ignore[arg-type]


def read_creators(path: str | Path) -> tuple[list[Creator], list[Finding]]:
    """Read a sheet of records creators; raise ``InputError`` with every problem found."""
    from arkivlucka.files.tables import read_table

    table, findings = read_table(path, COLUMNS, required=("name",))
    found: list[Creator] = []
    seen: dict[str, int] = {}
    for row in [] if has_errors(findings) else table.rows:
        c = _Cells(table.file, row.number, findings)
        creator = _row_creator(row.cells, c)
        if creator is None:
            continue
        key = name_key(creator.name)
        if key in seen:
            c.bad("name", f"row {row.number}: '{creator.name}' repeats row {seen[key]}")
            continue
        seen[key] = row.number
        found.append(creator)
    if has_errors(findings):
        count = sum(f.is_error for f in findings)
        raise InputError(f"{table.file}: {count} problem(s); nothing was imported", findings)
    return found, findings


def _values(creator: Creator) -> dict[str, str | None]:
    values = {k: getattr(creator, k) for k in FIELDS}
    values["name"] = re.sub(r"\s+", " ", creator.name).strip()
    return {**values, "name_key": name_key(creator.name)}


@dataclass(frozen=True)
class ImportResult:
    """How many records creators an import added, changed and found as they were."""

    added: int
    updated: int
    unchanged: int


def import_creators(conn: Connection, creators: Sequence[Creator]) -> ImportResult:
    """Add or replace ``creators`` (by name, without case) inside the caller's transaction."""
    stored = {c.name_key: c for c in conn.execute(select(s.creators)).all()}
    added = updated = unchanged = 0
    for creator in creators:
        values = _values(creator)
        old = stored.get(values["name_key"])
        if old is None:
            conn.execute(s.creators.insert().values(**values))
            added += 1
        elif any(getattr(old, k) != v for k, v in values.items()):
            conn.execute(s.creators.update().where(s.creators.c.id == old.id).values(**values))
            updated += 1
        else:
            unchanged += 1
    return ImportResult(added, updated, unchanged)


def all_creators(conn: Connection) -> list[Creator]:
    """Every records creator in the register, by name."""
    cols = [s.creators.c[k] for k in FIELDS]
    rows = conn.execute(select(*cols).order_by(s.creators.c.name_key)).all()
    return [Creator(*row) for row in rows]


def find_creators(conn: Connection, names: Iterable[str]) -> dict[str, Creator]:
    """The register's records creators among ``names``, by ``name_key``."""
    keys = sorted({name_key(n) for n in names})
    if not keys:
        return {}
    cols = [s.creators.c[k] for k in FIELDS]
    rows = conn.execute(select(s.creators.c.name_key, *cols).where(s.creators.c.name_key.in_(keys)))
    return {row[0]: Creator(*row[1:]) for row in rows}


def export_bytes(creators: Sequence[Creator], suffix: str) -> bytes:
    """The records creators as a sheet (``.csv`` or ``.xlsx``) that ``read_creators`` reads back."""
    from arkivlucka.files.tables import table_bytes

    rows = [[getattr(c, k) or "" for k in FIELDS] for c in creators]
    return table_bytes(HEADERS, rows, suffix)
