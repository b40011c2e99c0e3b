"""Command-line layer: ``arkivlucka inventory import|export|merge``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.options import created_option, run_context, tool_version_option
from arkivlucka.cli.output import report_findings


@click.group()
def inventory() -> None:
    """Maintain a whole archive inventory (arkivförteckning) as XML.

    import: spreadsheet → inventory XML; export: inventory → CSV, XLSX or EAD3;
    merge: add the gaps of an arkivförteckning entry (from describe) to an inventory.
    """


_json = click.option("--json", "json_mode", is_flag=True, help="Print findings as JSON on stdout.")


@inventory.command("import")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Inventory XML file to write.",
)  # fmt: skip
@click.option(
    "--arkivbildare", "creator", required=True, help="Records creator, e.g. Kommunstyrelsen."
)
@click.option("--forvaltning", "department", help="Department serving the records creator.")
@click.option("--arkivbildare-kod", "creator_code", help="Code of the records creator.")
@click.option("--arkiv", "archive_name", help="Name of the archive.")
@click.option("--referenskod", "archive_code", help="Reference code of the archive.")
@click.option(
    "--strict", is_flag=True, help="Bad cells are errors: report them all and write nothing."
)
@click.option("--force", "overwrite", is_flag=True, help="Overwrite OUTPUT if it exists.")
@created_option
@tool_version_option
@_json
@click.pass_context
def import_(
    ctx: click.Context, source: Path, output: Path, creator: str, department: str | None,
    creator_code: str | None, archive_name: str | None, archive_code: str | None,
    strict: bool, overwrite: bool, created: str | None, tool_version: str | None, json_mode: bool,
) -> None:  # fmt: skip
    """Read the spreadsheet SOURCE (.csv or .xlsx) and write it as inventory XML.

    Columns: Referenskod/Signum/Klass, Rubrik/Serierubrik, Volym, Tid/Datering, Innehåll,
    Anmärkning, Placering (headers matched loosely). Bad cells are reported by row and column;
    the import goes on (warnings) unless --strict (errors, nothing written).
    """
    from arkivlucka.inventory.pipeline import import_spreadsheet
    from arkivlucka.inventory.sheet import ImportOptions

    ctx.meta["arkivlucka.json"] = json_mode
    options = ImportOptions(creator, department, creator_code, archive_name, archive_code, strict)
    result = import_spreadsheet(
        source, output, options, run_context(created, tool_version), overwrite=overwrite
    )
    report_findings(result.findings, json_mode=json_mode)
    if not json_mode:
        click.echo(
            f"{output}: {result.groups} class(es)/series, {result.units} unit(s) and gap(s)",
            err=True,
        )


@inventory.command("export")
@click.argument("inventory_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .csv, .xlsx, or .xml (EAD3).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "ead", "apeead"]),
    help="Output format (default: from the suffix of OUTPUT; ead = EAD3, apeead = apeEAD, "
    "the Archives Portal Europe EAD 2002 profile).",
)  # fmt: skip
@click.option(
    "--agency-code", metavar="ISIL",
    help="Repository agency code for apeEAD's eadid/@mainagencycode (e.g. SE-RA).",
)  # fmt: skip
@click.option("--force", "overwrite", is_flag=True, help="Overwrite OUTPUT if it exists.")
@created_option
@tool_version_option
def export(
    inventory_file: Path, output: Path, fmt: str | None, agency_code: str | None,
    overwrite: bool, created: str | None, tool_version: str | None,
) -> None:  # fmt: skip
    """Write INVENTORY_FILE as a spreadsheet (the imported columns), EAD3 or apeEAD."""
    from arkivlucka.core.findings import Finding
    from arkivlucka.inventory.pipeline import export_inventory

    notes: list[Finding] = []
    written = export_inventory(
        inventory_file, output, fmt, run_context(created, tool_version), overwrite=overwrite,
        findings=notes, agency_code=agency_code,
    )  # fmt: skip
    report_findings(notes)
    click.echo(str(written))


@inventory.command("merge")
@click.argument("entry", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("inventory_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing.")
@click.option(
    "--allow-other-creator", is_flag=True,
    help="Merge even if the entry is for another records creator than the inventory.",
)  # fmt: skip
@_json
@click.pass_context
def merge(
    ctx: click.Context, entry: Path, inventory_file: Path, dry_run: bool,
    allow_other_creator: bool, json_mode: bool,
) -> None:  # fmt: skip
    """Add the gaps of ENTRY (an ArkivforteckningPost) to INVENTORY_FILE, in place.

    Each gap goes to its class or series; storage units whose period overlaps get a note;
    gaps that match nowhere go to the review section (Granskning). Idempotent; keeps the
    previous version as INVENTORY_FILE.bak; refuses to write an invalid result.
    """
    from arkivlucka.inventory.merge import merge_file

    ctx.meta["arkivlucka.json"] = json_mode
    report = merge_file(
        entry, inventory_file, dry_run=dry_run, allow_other_creator=allow_other_creator
    )
    report_findings(report.findings, json_mode=json_mode)
    if report.diff is not None:
        click.echo(report.diff, nl=False, err=json_mode)  # stdout holds only JSON with --json
    if json_mode:
        return
    for handling_id, code in report.placed:
        click.echo(f"placed: {handling_id} → {code}", err=True)
    for handling_id in report.review:
        click.echo(f"for review: {handling_id} → Granskning", err=True)
    for handling_id in report.present:
        click.echo(f"already there: {handling_id}", err=True)
    if report.unit_notes:
        click.echo(f"notes added to {report.unit_notes} storage unit(s)", err=True)
    if report.written:
        click.echo(f"{report.written} updated (previous version: {report.backup})", err=True)
    elif not report.changed:
        click.echo(f"{inventory_file}: nothing to change", err=True)
    elif dry_run:
        click.echo("dry run: nothing written", err=True)
