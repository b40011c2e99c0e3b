"""Command-line layer: ``arkivlucka validate``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pathlib import Path

# the paths stay text (no pathlib, which costs ``validate`` a tenth of its start-up)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "json_mode", is_flag=True, help="Print the findings as JSON on stdout.")
@click.option(
    "--schemas", "schema_dir", type=click.Path(file_okay=False, exists=True),
    help="Folder of official schemas to use (default: $ARKIVLUCKA_SCHEMAS, else the installed ones).",
)  # fmt: skip
@click.pass_context
def validate(
    ctx: click.Context, files: tuple[str, ...], json_mode: bool, schema_dir: str | None
) -> None:
    """Validate FILES against the schema their namespace and root element call for.

    Knows our entries and inventories and, with the official schemas, METS, PREMIS 3, EAD3,
    EAC-CPF and apeEAD; validates offline. Prints every finding as file:line: message (or a
    JSON list with --json). Exit 0 when all are valid, 1 when any is not or could not be
    validated.
    """
    from arkivlucka.xmldoc.validate import validate_files

    ctx.meta["arkivlucka.json"] = json_mode
    external: Path | None = None
    if schema_dir is not None:
        from pathlib import Path

        external = Path(schema_dir)
    findings = validate_files(files, external_dir=external)
    if findings or json_mode:  # nothing to report for valid files: not even imported
        from arkivlucka.cli.output import report_findings

        report_findings(findings, json_mode=json_mode)
    if any(f.is_error for f in findings):
        ctx.exit(1)
    if not json_mode:
        click.echo(f"{len(files)} file(s) valid", err=True)
