"""Command-line layer: ``arkivlucka plan`` (retention schedules) and ``plan check``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.output import report_findings

PLAN_META_HELP = (
    "Plan metadata as KEY=VALUE, overriding the file (repeatable): name, version, "
    "decided_by, date, paragraph, reference, creator, valid_from (Swedish labels work too, "
    "e.g. Beslutsdatum=2022-03-01)."
)


@click.group()
def plan() -> None:
    """Retention schedules (dokumenthanteringsplan / informationshanteringsplan)."""


@plan.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan-meta", "plan_meta", multiple=True, metavar="KEY=VALUE", help=PLAN_META_HELP)
@click.option("--json", "json_mode", is_flag=True, help="Print the findings as JSON on stdout.")
@click.pass_context
def check(ctx: click.Context, plan_file: Path, plan_meta: tuple[str, ...], json_mode: bool) -> None:
    """Check a retention schedule PLAN (.csv or .xlsx) and list its findings.

    Reports unknown columns, duplicate codes, record types with neither keep nor cull,
    culling periods that do not parse and a missing decision reference. Exit 0 when the
    plan has no errors (warnings allowed), 1 when it has.
    """
    from arkivlucka.retention.check import check_plan_file
    from arkivlucka.retention.schedule import parse_meta

    ctx.meta["arkivlucka.json"] = json_mode
    report = check_plan_file(plan_file, parse_meta(plan_meta))
    report_findings(report.findings, json_mode=json_mode)
    errors = sum(f.is_error for f in report.findings)
    if not json_mode:
        name = report.plan.meta.name or "(no name)"
        from arkivlucka.core.render import one_line

        click.echo(
            one_line(
                f"{plan_file}: {name}: {len(report.plan.rows)} record type(s), "
                f"{errors} error(s), {len(report.findings) - errors} warning(s)"
            ),
            err=True,
        )
    if errors:
        ctx.exit(1)
