"""Command-line layer: ``arkivlucka verify``."""

from __future__ import annotations

from pathlib import Path

import click

from arkivlucka.cli.output import INSTALL_HINT, report_findings


@click.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option(
    "--schemas", "schema_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of official schemas to use (default: $ARKIVLUCKA_SCHEMAS, else the installed ones).",
)  # fmt: skip
@click.option("--json", "json_mode", is_flag=True, help="Print the findings as JSON on stdout.")
@click.option(
    "--report", "report", type=click.Choice(["commons-ip"]),
    help="Print a report in this format on stdout instead (commons-ip: the JSON of E-ARK's "
    "commons-ip validator, one entry per requirement).",
)  # fmt: skip
@click.option(
    "-q", "--quiet", is_flag=True,
    help="No progress bar (it is shown on stderr only when stderr is a terminal).",
)  # fmt: skip
@click.pass_context
def verify(
    ctx: click.Context, package: Path, schema_dir: Path | None, json_mode: bool,
    report: str | None, quiet: bool,
) -> None:  # fmt: skip
    """Verify a CSIP/E-ARK SIP PACKAGE (folder or zip, ours or another tool's).

    Checks the structure, that every file in METS is present and every present file listed,
    sizes and checksums, schema validity and the CSIP/SIP requirements (findings named by
    requirement id). An FGS Paketstruktur 1.2 package (sip.xml, or ESSArch's mets.xml) is
    checked by the 1.2 rules (FGS12-* findings), and against Riksarkivet's CSPackageMETS.xsd
    and CSPackageExtensionMETS.xsd when --schemas names a folder holding them. Zips are
    checked for unsafe members first and read in place.
    Exit 0 when the package passes, 1 when it does not, or when a check could not run
    because the official schemas are missing or changed ("not verified").
    A progress bar of the files read is shown on stderr when it is a terminal.
    """
    from arkivlucka.cli.progress import progress_bar
    from arkivlucka.delivery.verify import verify_package
    from arkivlucka.xmldoc.official import CODES as OFFICIAL_CODES

    ctx.meta["arkivlucka.json"] = json_mode or report is not None
    with progress_bar("verifying", quiet) as progress:
        result = verify_package(package, schema_dir, progress=progress)
    if report == "commons-ip":
        import json

        from arkivlucka.core.context import default_version, resolve_created
        from arkivlucka.delivery.report import commons_ip_report

        date = resolve_created(None).isoformat(timespec="seconds")
        data = commons_ip_report(result, date=date, tool=f"arkivlucka {default_version()}")
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        report_findings(result.findings, json_mode=json_mode)
    if not json_mode and report is None:
        counts = f"({result.files} file(s), {result.bytes} bytes checked)"
        skipped = result.not_verified
        others = any(f.is_error and f.code not in OFFICIAL_CODES for f in result.findings)
        need = "1 check needs" if skipped == 1 else f"{skipped} checks need"
        if skipped and not others:
            state = f"not verified: {need} the official schemas"
        elif skipped:
            state = f"NOT valid, and not verified: {need} the official schemas"
        else:
            state = "valid" if result.ok else "NOT valid"
        click.echo(f"{package}: {state} {counts}", err=True)
        if skipped:
            click.echo(INSTALL_HINT, err=True)
    if not result.ok:
        ctx.exit(1)
