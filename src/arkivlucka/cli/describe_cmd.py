"""Command-line layer: ``arkivlucka describe``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.options import created_option, run_context, tool_version_option
from arkivlucka.cli.output import report_findings


@click.command()
@click.argument("incident", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the entries to (one sub-folder per records creator).",
)  # fmt: skip
@click.option("--by", "by_role", help="Role of whoever makes the entries, e.g. kommunarkivarie.")
@created_option
@tool_version_option
@click.option(
    "--with-names", is_flag=True, help="Include the reporter's name and e-mail (personal data)."
)
@click.option("-q", "--quiet", is_flag=True, help="Do not list missing facts.")
@click.option(
    "--force", "overwrite", is_flag=True,
    help="Replace the entries already in OUTDIR, as a whole set: the folder of a records "
    "creator no longer in the incident is removed.",
)  # fmt: skip
@click.option(
    "--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Retention schedule (.csv/.xlsx) to assess each lost record against.",
)  # fmt: skip
@click.option(
    "--plan-meta", multiple=True, metavar="KEY=VALUE",
    help="Plan metadata overriding the plan file (repeatable), see 'plan check --help'.",
)  # fmt: skip
@click.option(
    "--register/--no-register", "use_register", default=None,
    help="Record the incident in the register (default: when --db or $ARKIVLUCKA_DB names one).",
)  # fmt: skip
@click.option(
    "--db", metavar="PATH|URL",
    help="The register (SQLite file or postgresql://...; default $ARKIVLUCKA_DB, else ./arkivlucka.db).",
)  # fmt: skip
def describe(
    incident: Path, outdir: Path, by_role: str | None, created: str | None,
    tool_version: str | None, with_names: bool, quiet: bool, overwrite: bool,
    plan_file: Path | None, plan_meta: tuple[str, ...], use_register: bool | None,
    db: str | None,
) -> None:  # fmt: skip
    """Write arkivbeskrivning and arkivförteckning entries for INCIDENT.

    For each records creator (arkivbildare) in the incident file, writes
    OUTDIR/<creator>/arkivbeskrivning.xml and OUTDIR/<creator>/arkivforteckning.xml,
    each validated before anything is written. Facts missing from the report are left
    empty and listed as warnings on stderr. With --plan, each lost record is matched to a
    record type of the retention schedule (by its plan_code, or its exact record_type in
    its process) and the entries state what the plan says; unmatched records are listed
    with the closest candidates, and nothing is written. Existing entries are replaced
    only with --force; nothing is written through a symbolic link.
    """
    if plan_meta and plan_file is None:
        raise click.UsageError("--plan-meta needs --plan")
    from arkivlucka.entries.describe import describe as run
    from arkivlucka.register import configured

    ctx = run_context(created, tool_version, by_role, with_names)
    if use_register is False and db:
        raise click.UsageError("--db names a register, --no-register says not to use one")
    meta: dict[str, str] = {}
    if plan_meta:  # only with --plan: the plan stage is loaded only then
        from arkivlucka.retention.schedule import parse_meta

        meta = parse_meta(plan_meta)
    if use_register or (use_register is None and configured(db)):
        from arkivlucka.register.pipeline import describe_recorded

        recorded = describe_recorded(incident, outdir, ctx, db, plan_file, meta, overwrite)
        result = recorded.result
        result.findings += recorded.findings
    else:
        result = run(incident, outdir, ctx, plan_file, meta, overwrite=overwrite)
    if not quiet:
        report_findings(result.findings)
    for path in result.written:
        click.echo(str(path))
