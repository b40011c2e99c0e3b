"""Command-line layer: ``arkivlucka validate``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.output import report_findings


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "json_mode", is_flag=True, help="Print the findings as JSON on stdout.")
@click.option(
    "--schemas", "schema_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of official schemas to use (default: $ARKIVLUCKA_SCHEMAS, else the installed ones).",
)  # fmt: skip
@click.pass_context
def validate(
    ctx: click.Context, files: tuple[Path, ...], json_mode: bool, schema_dir: Path | None
) -> None:
    """Validate FILES against the schema their namespace and root element call for.

    Knows our entries and inventories and, with the official schemas, METS, PREMIS 3, EAD3,
    EAC-CPF and apeEAD; validates offline. Prints every finding as file:line: message (or a
    JSON list with --json). Exit 0 when all are valid, 1 when any is not or could not be
    validated.
    """
    from arkivlucka.xmldoc.validate import validate_files

    ctx.meta["arkivlucka.json"] = json_mode
    findings = validate_files(files, external_dir=schema_dir)
    report_findings(findings, json_mode=json_mode)
    if any(f.is_error for f in findings):
        ctx.exit(1)
    if not json_mode:
        click.echo(f"{len(files)} file(s) valid", err=True)
