"""Command-line layer: ``arkivlucka report``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.options import created_option, run_context, tool_version_option


@click.command()
@click.argument("entries_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--creator", required=True,
    help="Records creator (arkivbildare) whose entries to report: its name or its folder.",
)  # fmt: skip
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Report file to write: .pdf (PDF/A-2b) or .html.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "html"]),
    help="Output format (default: from the name of the output file).",
)  # fmt: skip
@click.option("--by", "by_role", help="Role of whoever makes the report, e.g. kommunarkivarie.")
@created_option
@tool_version_option
@click.option("--force", "overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--json", "json_mode", is_flag=True, help="Print errors as JSON findings on stdout.")
@click.pass_context
def report(
    ctx: click.Context, entries_dir: Path, creator: str, output: Path, fmt: str | None,
    by_role: str | None, created: str | None, tool_version: str | None, overwrite: bool,
    json_mode: bool,
) -> None:  # fmt: skip
    """Write a printable report of the entries of one records creator in ENTRIES_DIR.

    ENTRIES_DIR is the folder 'describe' wrote (one sub-folder per records creator). The
    entries are validated first. The report, in Swedish, holds every fact of the entries
    (missing facts shown as missing), a timeline figure and a block for date, name/role and
    decision. PDF output is PDF/A-2b with its fonts embedded. With --created (or
    SOURCE_DATE_EPOCH) and --tool-version fixed, two runs give identical files.
    """
    from arkivlucka.core.errors import ArkivluckaError
    from arkivlucka.report.render import format_for, write_report

    ctx.meta["arkivlucka.json"] = json_mode
    try:
        chosen = format_for(output, fmt)
    except ArkivluckaError as exc:
        raise click.BadParameter(exc.message, param_hint="'-o' / '--output'") from None
    run = run_context(created, tool_version, by_role)
    path = write_report(entries_dir, creator, output, run, chosen, overwrite=overwrite)
    if json_mode:
        click.echo("[]")
    click.echo(str(path), err=json_mode)
