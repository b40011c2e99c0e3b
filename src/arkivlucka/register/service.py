"""Register stage, operations: one library function per ``register`` command, each one transaction.

The command-line layer parses options and calls one of these; they open the register, do the
work inside a single transaction (so a failure changes nothing) and close it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import Finding, error, warning
from arkivlucka.register import schema as s
from arkivlucka.register.creators import (
    ImportResult,
    all_creators,
    export_bytes,
    import_creators,
    read_creators,
)
from arkivlucka.register.db import Register, open_register, transaction, upgrade
from arkivlucka.register.losses import LossQuery, find_losses, losses_of_creator
from arkivlucka.register.model import Creator, CreatorLosses, LossAnswer

SHEET_SUFFIXES = (".csv", ".xlsx")


def upgrade_register(db: str | None) -> tuple[str, str | None, str | None]:
    """Create or migrate the register to the newest schema; return (where, before, after)."""
    reg = open_register(db, check=False)
    try:
        before, after = upgrade(reg)
    finally:
        reg.close()
    return reg.shown, before, after


def _write(path: Path, data: bytes, overwrite: bool, parameter: str) -> Path:
    from arkivlucka.files.write import atomic_write

    if path.exists() and not overwrite:
        msg = f"{path}: already exists; nothing was written (overwrite it on purpose)"
        raise OutputError(msg, [error("output-exists", msg, file=str(path), path=parameter)])
    return atomic_write(path, data, overwrite=overwrite)


def _suffix(path: Path, parameter: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        msg = f"{path}: a sheet must end in .csv or .xlsx"
        raise OutputError(msg, [error("output-format", msg, file=str(path), path=parameter)])
    return suffix


def import_creators_file(db: str | None, path: Path) -> tuple[ImportResult, list[Finding]]:
    """Import a sheet of records creators; all rows or none."""
    creators, findings = read_creators(path)
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            return import_creators(conn, creators), findings
    finally:
        reg.close()


def export_creators_file(db: str | None, path: Path, overwrite: bool = False) -> Path:
    """Write every records creator to a ``.csv`` or ``.xlsx`` sheet (atomically)."""
    suffix = _suffix(path, "output")
    with _opened(db) as reg, transaction(reg) as conn:
        creators = all_creators(conn)
    return _write(path, export_bytes(creators, suffix), overwrite, "output")


class _opened:
    """``with _opened(db) as reg``: open the register, close it at the end."""

    def __init__(self, db: str | None) -> None:
        self.reg = open_register(db)

    def __enter__(self) -> Register:
        return self.reg

    def __exit__(self, *exc: object) -> None:
        self.reg.close()


def query_losses(db: str | None, query: LossQuery) -> list[LossAnswer]:
    """Answer a question about losses (see ``LossQuery``)."""
    with _opened(db) as reg, transaction(reg) as conn:
        return find_losses(conn, query)


def write_answers(
    answers: Sequence[LossAnswer], path: Path, parameter: str, overwrite: bool = False
) -> Path:
    """Write the answers as a ``.csv`` or ``.xlsx`` sheet (atomically)."""
    from arkivlucka.files.tables import table_bytes
    from arkivlucka.register.tables import HEADERS, answer_rows

    suffix = _suffix(path, parameter)
    return _write(path, table_bytes(HEADERS, answer_rows(answers), suffix), overwrite, parameter)


def creator_losses(db: str | None, name: str) -> CreatorLosses:
    """Every loss of one records creator (for its appendix and for reports)."""
    with _opened(db) as reg, transaction(reg) as conn:
        return losses_of_creator(conn, name)


def appendix_bytes(found: CreatorLosses, ctx: RunContext, fmt: str = "html") -> bytes:
    """The printable appendix listing every loss of one records creator (HTML or PDF/A)."""
    from arkivlucka.register.tables import loss_lines
    from arkivlucka.report.render import format_for, render_losses_appendix

    chosen = format_for(f"appendix.{fmt}")
    return render_losses_appendix(found.creator.name, loss_lines(found), ctx, chosen)


def write_appendix(
    found: CreatorLosses,
    path: str | Path,
    ctx: RunContext,
    fmt: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the appendix (``appendix_bytes``; format from ``fmt`` or the suffix) atomically."""
    from arkivlucka.report.render import format_for

    data = appendix_bytes(found, ctx, format_for(path, fmt))
    return _write(Path(path), data, overwrite, "output")


@dataclass(frozen=True)
class IncidentState:
    """A recorded incident and whether its file is still the one recorded."""

    incident_id: str
    source_file: str
    recorded_at: str
    times_recorded: int
    package_objid: str | None
    state: str  # unchanged, changed, missing, unchecked


def incident_states(
    db: str | None, check_files: bool = True
) -> tuple[list[IncidentState], list[Finding]]:
    """Every recorded incident; with ``check_files``, a warning for each whose file changed."""
    from arkivlucka.register.record import file_sha256

    i = s.incidents.c
    cols = (
        i.incident_id,
        i.source_file,
        i.recorded_at,
        i.times_recorded,
        i.package_objid,
        i.file_sha256,
    )
    with _opened(db) as reg, transaction(reg) as conn:
        rows = conn.execute(select(*cols).order_by(i.incident_id)).all()
    out, found = [], []
    for key, file, at, times, objid, sha in rows:
        state = "unchecked"
        if check_files:
            try:
                state = "unchanged" if file_sha256(file) == sha else "changed"
            except OSError:
                state = "missing"
        if state in ("changed", "missing"):
            what = (
                "changed since it was recorded" if state == "changed" else "is not there any more"
            )
            found.append(
                warning(
                    f"register-file-{state}",
                    f"{key}: the incident file {what} ({at}); describe it again",
                    file=file,
                )
            )
        out.append(IncidentState(key, file, at, times, objid, state))
    return out, found


def list_creators(db: str | None) -> list[Creator]:
    """Every records creator in the register, by name."""
    with _opened(db) as reg, transaction(reg) as conn:
        return all_creators(conn)


def add_creators(db: str | None, creators: list[Creator]) -> ImportResult:
    """Add records creators to the register (one by the same name, without case, is replaced)."""
    with _opened(db) as reg, transaction(reg) as conn:
        return import_creators(conn, creators)
