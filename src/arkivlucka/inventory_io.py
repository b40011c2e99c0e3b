"""Pipeline for inventory import and export: spreadsheet → XML, XML → spreadsheet or EAD3."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from arkivlucka.context import RunContext
from arkivlucka.errors import ArkivluckaError, InputError, InvalidOutputError, OutputError
from arkivlucka.findings import Finding, error
from arkivlucka.inventory_model import build_xml, read_xml
from arkivlucka.inventory_sheet import ImportOptions, read_inventory_table, sheet_table
from arkivlucka.inventory_xml import load_inventory, require_regular_file, serialise_new
from arkivlucka.tabular import table_bytes
from arkivlucka.validate import validate_bytes
from arkivlucka.write import atomic_write, write_error

FORMATS = ("csv", "xlsx", "ead")


@dataclass
class ImportResult:
    """The written inventory and what was noticed on the way."""

    written: Path | None
    findings: list[Finding] = field(default_factory=list)
    groups: int = 0
    units: int = 0


def _check_options(options: ImportOptions) -> None:
    """Refuse an empty records creator and option values XML cannot hold."""
    from arkivlucka.inventory_sheet import xml_unsafe

    msg = None
    if not options.creator.strip():
        msg = "--arkivbildare: the records creator must not be empty"
    for option, value in (
        ("--arkivbildare", options.creator), ("--forvaltning", options.department),
        ("--arkivbildare-kod", options.creator_code), ("--arkiv", options.archive_name),
        ("--referenskod", options.archive_code),
    ):  # fmt: skip
        bad = xml_unsafe(value or "")
        if msg is None and bad is not None:
            msg = f"{option}: holds the control character U+{ord(bad):04X}, which XML cannot hold"
    if msg:
        raise InputError(msg, [error("inventory-option", msg)])


def _check_output(source: Path, output: Path, overwrite: bool, hint: str) -> None:
    """Refuse to write over the input (even with --force) or, without it, any existing file."""
    if not output.exists():
        return
    try:
        same = os.path.samefile(source, output)
    except OSError:
        same = False
    if same:
        msg = f"the output is the input file {source}; it would be lost; choose another name"
        raise OutputError(f"{output}: {msg}", [error("output-is-input", msg, file=str(output))])
    if not overwrite:
        msg = f"the output file exists; not overwritten (use --force, {hint})"
        raise OutputError(f"{output}: {msg}", [error("output-exists", msg, file=str(output))])


def import_spreadsheet(
    source: Path, output: Path, options: ImportOptions, ctx: RunContext, *, overwrite: bool = False
) -> ImportResult:
    """Read a spreadsheet inventory and write it as an ``Arkivforteckning`` XML document.

    Bad cells are warnings (the import goes on) or, with ``options.strict``, errors (nothing is
    written). The result is validated before it is written, atomically.
    """
    _check_options(options)
    require_regular_file(source)
    _check_output(source, output, overwrite, "or merge into it")
    inv, findings = read_inventory_table(source, options)
    if any(f.is_error for f in findings):
        raise InputError(f"{source}: the spreadsheet cannot be imported", findings)
    root = build_xml(inv, ctx.created_iso(), (ctx.tool_name, ctx.tool_version))
    data = serialise_new(root)
    problems = validate_bytes(data, str(output))
    if problems:
        raise InvalidOutputError(f"{output}: the inventory would not be valid", problems)
    atomic_write(output, data, force=overwrite)
    units = sum(len(g.children) for g in inv.groups)
    return ImportResult(output, findings, len(inv.groups), units)


def export_format(output: Path, fmt: str | None) -> str:
    """The export format: given, else from the output's suffix (.csv, .xlsx, .xml = EAD3)."""
    if fmt:
        return fmt
    suffix = output.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    if suffix == ".xml":
        return "ead"
    msg = f"cannot tell the format from '{output.name}'; use .csv, .xlsx or --format"
    raise InputError(msg, [error("export-format", msg, file=str(output))])


def export_bytes(inventory: Path, fmt: str, ctx: RunContext) -> bytes:
    """Read and validate the inventory; return it as CSV, XLSX or EAD3 bytes."""
    inv = read_xml(load_inventory(inventory).getroot())
    if fmt == "ead":
        from arkivlucka.inventory_ead import ead_bytes

        return ead_bytes(inv, ctx)
    headers, rows = sheet_table(inv)
    return table_bytes(headers, rows, f".{fmt}")


def export_inventory(
    inventory: Path, output: Path, fmt: str | None, ctx: RunContext, *, overwrite: bool = False
) -> Path:
    """Export the inventory to ``output`` (written atomically); return the path written.

    An existing ``output`` is replaced only with ``overwrite``; the inventory itself never.
    """
    _check_output(inventory, output, overwrite, "or choose another name")
    fmt = export_format(output, fmt)
    try:
        data = export_bytes(inventory, fmt, ctx)
    except ArkivluckaError:
        raise
    except Exception as exc:  # openpyxl/lxml write temporary files: IO_EFBIG, ENOSPC, ...
        raise write_error(output, exc) from None
    return atomic_write(output, data, force=overwrite)
