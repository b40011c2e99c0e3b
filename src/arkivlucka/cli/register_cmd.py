"""Command-line layer: ``arkivlucka register`` (records creators, incidents and losses)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from arkivlucka.cli.options import created_option, run_context
from arkivlucka.cli.output import report_findings

_json = click.option(
    "--json", "json_mode", is_flag=True, help="Print the result as JSON on stdout."
)


def _db(ctx: click.Context) -> str | None:
    value = ctx.find_root().meta.get("arkivlucka.db")
    return value if isinstance(value, str) else None


@click.group()
@click.option(
    "--db", envvar="ARKIVLUCKA_DB", metavar="PATH|URL",
    help="The register: a SQLite file, or postgresql://user@host/dbname (default: "
    "$ARKIVLUCKA_DB, else ./arkivlucka.db, created on first use).",
)  # fmt: skip
@click.pass_context
def register(ctx: click.Context, db: str | None) -> None:
    """Keep one register of records creators, incidents and losses, and ask it questions.

    describe --register records each incident (and package --register its package) in it.
    """
    ctx.find_root().meta["arkivlucka.db"] = db


@register.command("upgrade")
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Create the register's tables, or migrate them to this version's schema."""
    from arkivlucka.register.service import upgrade_register

    where, before, after = upgrade_register(_db(ctx))
    click.echo(f"{where}: schema {before or '(none)'} -> {after}")


@register.group("creators")
def creators() -> None:
    """Records creators (arkivbildare) and their identification codes."""


@creators.command("import")
@click.argument("sheet", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_json
@click.pass_context
def creators_import(ctx: click.Context, sheet: Path, json_mode: bool) -> None:
    """Add or replace the records creators of SHEET (.csv or .xlsx); all rows or none.

    Columns (Swedish or English headers): Namn, Typ (nämnd, styrelse, bolag, förbund ...),
    Förvaltning, Organisationsnummer, HSA-id, NAD-kod, Verksam från, Verksam till.
    """
    from arkivlucka.register.service import import_creators_file

    ctx.meta["arkivlucka.json"] = json_mode
    result, findings = import_creators_file(_db(ctx), sheet)
    if json_mode:
        data = {"added": result.added, "updated": result.updated, "unchanged": result.unchanged,
                "findings": [f.to_dict() for f in findings]}  # fmt: skip
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    report_findings(findings)
    click.echo(f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged")


@creators.command("export")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.pass_context
def creators_export(ctx: click.Context, output: Path, force: bool) -> None:
    """Write every records creator to OUTPUT (.csv or .xlsx), in the columns import reads."""
    from arkivlucka.register.service import export_creators_file

    click.echo(str(export_creators_file(_db(ctx), output, force)))


@register.command("incidents")
@_json
@click.pass_context
def incidents(ctx: click.Context, json_mode: bool) -> None:
    """List the recorded incidents; report each whose incident file changed since it was recorded."""
    from dataclasses import asdict

    from arkivlucka.register.service import incident_states

    ctx.meta["arkivlucka.json"] = json_mode
    states, findings = incident_states(_db(ctx))
    if json_mode:
        data = {
            "incidents": [asdict(x) for x in states],
            "findings": [f.to_dict() for f in findings],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    report_findings(findings)
    for x in states:
        click.echo(f"{x.incident_id}\t{x.state}\t{x.package_objid or '-'}\t{x.source_file}")


@register.command("losses")
@click.option("--creator", help="Records creator (arkivbildare), e.g. Socialnämnden.")
@click.option("--year", type=int, help="Losses whose lost period overlaps this year.")
@click.option("--period", help="Losses whose lost period overlaps this one: 2019/2021, 2019-05/.")
@click.option("--record-type", help="Record type (handlingstyp), as in the incident file.")
@click.option("--system", help="System the records were kept in, e.g. Personec.")
@click.option("--process", help="Process code; 2.2 also finds 2.2.1.")
@click.option("--incident", help="Incident id (incident-...).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the answers to this .csv file.")  # fmt: skip
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the answers to this .xlsx file.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite the --csv/--xlsx file if it exists.")
@_json
@click.pass_context
def losses(
    ctx: click.Context, creator: str | None, year: int | None, period: str | None,
    record_type: str | None, system: str | None, process: str | None, incident: str | None,
    csv_file: Path | None, xlsx_file: Path | None, force: bool, json_mode: bool,
) -> None:  # fmt: skip
    """Which records are missing, from which incident, and what was recovered and where.

    Every option given must hold. A loss whose lost period is open or unknown is listed
    when it cannot be excluded from --year/--period, marked as a possible match.
    """
    from arkivlucka.register.losses import LossQuery, parse_when
    from arkivlucka.register.service import query_losses, write_answers
    from arkivlucka.register.tables import text_table

    ctx.meta["arkivlucka.json"] = json_mode
    if csv_file and csv_file.suffix.lower() != ".csv":
        raise click.BadParameter("the file name must end in .csv", param_hint="--csv")
    if xlsx_file and xlsx_file.suffix.lower() != ".xlsx":
        raise click.BadParameter("the file name must end in .xlsx", param_hint="--xlsx")
    first, last = parse_when(year, period)
    query = LossQuery(creator, first, last, record_type, system, process, incident)
    answers = query_losses(_db(ctx), query)
    for path, name in ((csv_file, "csv"), (xlsx_file, "xlsx")):
        if path is not None:
            write_answers(answers, path, name, force)
    if json_mode:
        click.echo(
            json.dumps({"losses": [a.to_dict() for a in answers]}, ensure_ascii=False, indent=2)
        )
    elif answers:
        click.echo(text_table(answers), nl=False)
    else:
        click.echo("no recorded loss answers the question", err=True)


@register.command("report")
@click.option("--creator", required=True, help="Records creator (arkivbildare).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write, .pdf (PDF/A-2b) or .html (default: HTML on stdout).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]),
              help="Output format (default: from the suffix of OUTPUT).")  # fmt: skip
@click.option("--by", "by_role", help="Role of whoever signs the appendix, e.g. kommunarkivarie.")
@created_option
@click.option("--force", "overwrite", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.pass_context
def report(
    ctx: click.Context, creator: str, output: Path | None, fmt: str | None,
    by_role: str | None, created: str | None, overwrite: bool,
) -> None:  # fmt: skip
    """All losses of one records creator across incidents: the appendix to its arkivbeskrivning."""
    from arkivlucka.register.service import appendix_bytes, creator_losses, write_appendix

    run = run_context(created, None, by_role)
    found = creator_losses(_db(ctx), creator)
    if output is None:
        if fmt == "pdf":
            raise click.UsageError("a PDF needs an output file (-o FILE.pdf)")
        click.echo(appendix_bytes(found, run, "html").decode("utf-8"), nl=False)
    else:
        click.echo(str(write_appendix(found, output, run, fmt, overwrite)))
