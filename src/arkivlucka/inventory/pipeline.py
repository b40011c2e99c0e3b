"""Pipeline for inventory import and export: spreadsheet → XML, XML → spreadsheet or EAD3."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from arkivlucka.core.collector import paused
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import ArkivluckaError, InputError, InvalidOutputError, OutputError
from arkivlucka.core.findings import Finding, error
from arkivlucka.files.tables import table_bytes
from arkivlucka.files.write import atomic_write, write_error
from arkivlucka.inventory.model import build_xml, read_xml
from arkivlucka.inventory.sheet import ImportOptions, read_inventory_table, sheet_table
from arkivlucka.inventory.xmlfile import load_inventory, require_regular_file, serialise_new
from arkivlucka.xmldoc.validate import validate_tree

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
    from arkivlucka.inventory.sheet import xml_unsafe

    msg, param = None, None
    if not options.creator.strip():
        msg, param = "the records creator must not be empty", "creator"
    for option, value in (
        ("creator", options.creator), ("department", options.department),
        ("creator_code", options.creator_code), ("archive_name", options.archive_name),
        ("archive_code", options.archive_code),
    ):  # fmt: skip
        bad = xml_unsafe(value or "")
        if msg is None and bad is not None:
            msg = f"holds the control character U+{ord(bad):04X}, which XML cannot hold"
            param = option
    if msg:
        raise InputError(msg, [error("inventory-option", msg, param=param)])


def _check_output(source: Path, output: Path, overwrite: bool, hint: str) -> None:
    """Refuse to write over the input (even with ``overwrite``) or, without it, any existing file."""
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
        msg = f"the output file exists; not overwritten unless told to overwrite ({hint})"
        finding = error("output-exists", msg, file=str(output), param="overwrite")
        raise OutputError(f"{output}: {msg}", [finding])


def import_spreadsheet(
    source: str | Path,
    output: str | Path,
    options: ImportOptions,
    ctx: RunContext,
    *,
    overwrite: bool = False,
) -> ImportResult:
    """Read a spreadsheet inventory and write it as an ``Arkivforteckning`` XML document.

    Bad cells are warnings (the import goes on) or, with ``options.strict``, errors (nothing is
    written). The result is validated before it is written, atomically.
    """
    source, output = Path(source), Path(output)
    _check_options(options)
    require_regular_file(source)
    _check_output(source, output, overwrite, "or merge into it")
    with paused():  # a sheet becomes many objects and no cycles
        inv, findings = read_inventory_table(source, options)
        if any(f.is_error for f in findings):
            raise InputError(f"{source}: the spreadsheet cannot be imported", findings)
        root = build_xml(inv, ctx.created_iso(), (ctx.tool_name, ctx.tool_version))
        groups, units = len(inv.groups), sum(len(g.children) for g in inv.groups)
        del inv  # freed while paused: the collector then finds no backlog of young objects
    data = serialise_new(root)  # indents the tree as written: the tree validated is the file
    problems = validate_tree(root.getroottree(), str(output))
    del root  # the written bytes are all that is needed from here
    if problems:
        raise InvalidOutputError(f"{output}: the inventory would not be valid", problems)
    atomic_write(output, data, overwrite=overwrite)
    return ImportResult(output, findings, groups, units)


def export_format(output: Path, fmt: str | None) -> str:
    """The export format: given, else from the output's suffix (.csv, .xlsx, .xml = EAD3)."""
    if fmt:
        return fmt
    suffix = output.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    if suffix == ".xml":
        return "ead"
    msg = f"cannot tell the format from '{output.name}'; use .csv, .xlsx or name the format"
    raise InputError(msg, [error("export-format", msg, file=str(output), param="fmt")])


def export_bytes(
    inventory: Path, fmt: str, ctx: RunContext, findings: list[Finding] | None = None,
    agency_code: str | None = None,
) -> bytes:  # fmt: skip
    """Read and validate the inventory; return it as CSV, XLSX, EAD3 or apeEAD bytes.

    ``findings`` gets a warning for each kind of content a spreadsheet cannot hold;
    ``agency_code`` (ISIL) is needed for apeEAD.
    """
    if fmt == "apeead":
        from arkivlucka.inventory.apeead import check_agency_code

        check_agency_code(agency_code)  # before reading: the refusal does not depend on it
    root = load_inventory(inventory).getroot()
    inv = read_xml(root)
    if fmt == "apeead":
        from arkivlucka.inventory.apeead import apeead_bytes

        return apeead_bytes(inv, ctx, agency_code)
    if fmt != "ead" and findings is not None:
        from arkivlucka.inventory.cells import not_in_sheet

        findings += not_in_sheet(root, str(inventory))
    if fmt == "ead":
        from arkivlucka.inventory.ead import ead_bytes

        return ead_bytes(inv, ctx)
    headers, rows = sheet_table(inv)
    return table_bytes(headers, rows, f".{fmt}")


def export_inventory(
    inventory: str | Path, output: str | Path, fmt: str | None, ctx: RunContext, *,
    overwrite: bool = False, findings: list[Finding] | None = None,
    agency_code: str | None = None,
) -> Path:  # fmt: skip
    """Export the inventory to ``output`` (written atomically); return the path written.

    An existing ``output`` is replaced only with ``overwrite``; the inventory itself never.
    ``findings`` gets warnings for what a spreadsheet cannot hold (``export-not-in-sheet``).
    """
    inventory, output = Path(inventory), Path(output)
    _check_output(inventory, output, overwrite, "or choose another name")
    fmt = export_format(output, fmt)
    try:
        data = export_bytes(inventory, fmt, ctx, findings, agency_code)
    except ArkivluckaError:
        raise
    except Exception as exc:  # openpyxl/lxml write temporary files: IO_EFBIG, ENOSPC, ...
        raise write_error(output, exc) from None
    return atomic_write(output, data, overwrite=overwrite)
