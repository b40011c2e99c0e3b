"""Command-line layer: ``arkivlucka package``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from arkivlucka.cli.options import created_option, run_context, tool_version_option
from arkivlucka.cli.output import report_error, report_findings


@click.command()
@click.argument("incident", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--entries", "entries_dir", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder written by `arkivlucka describe` (one sub-folder per records creator).",
)  # fmt: skip
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path),
    help="Package to make: a folder, or a zip when the name ends in .zip.",
)  # fmt: skip
@click.option(
    "--form",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The original incident form, kept under documentation/.",
)
@click.option(
    "--payload", "payloads", multiple=True, type=click.Path(exists=True, path_type=Path),
    help="Recovered extract (file or folder) for representations/rep1/data/; repeatable.",
)  # fmt: skip
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Package config file (YAML): agreement, reference code, agents.",
)
@click.option(
    "--profile", type=click.Choice(["fgs-2.0", "fgs-1.2"]), default=None,
    help="Package profile: fgs-2.0 (E-ARK SIP 2.1.0, the default) or fgs-1.2 (sip.xml).",
)  # fmt: skip
@click.option(
    "--delivery", "delivery", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Delivery profile of the receiving archive (YAML, same keys as --config); --config "
    "and options override it.",
)  # fmt: skip
@click.option(
    "--creator", metavar="NAME",
    help="Package only this records creator (name or folder key): one package per creator.",
)  # fmt: skip
@click.option("--objid", help="Package identifier (default: the output name without .zip).")
@click.option("--label", help="Package label (mets/@LABEL).")
@click.option(
    "--submission-agreement", help="Submission agreement (altRecordID SUBMISSIONAGREEMENT)."
)
@click.option("--reference-code", help="Archival reference code (altRecordID REFERENCECODE).")
@click.option(
    "--submitter",
    "submitter_name",
    help="Submitting organisation (default: the incident's organisation).",
)
@click.option("--submitter-id", help="Identification code of the submitting organisation.")
@click.option(
    "--anonymise",
    is_flag=True,
    help="Replace the reporter's name and e-mail with the role everywhere.",
)
@click.option(
    "--schemas", "schema_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of official schemas to use (default: $ARKIVLUCKA_SCHEMAS, else the installed ones).",
)  # fmt: skip
@click.option(
    "--no-official-schemas", "no_official", is_flag=True,
    help="Seal without validating METS and PREMIS against the official schemas (said in the package).",
)  # fmt: skip
@created_option
@tool_version_option
@click.option(
    "--force", "overwrite", is_flag=True, help="Replace an existing package of the same name."
)
@click.option(
    "--no-identify", "no_identify", is_flag=True,
    help="Do not identify payload formats (PRONOM, siegfried); MIME types from file names.",
)  # fmt: skip
@click.option(
    "-q", "--quiet", is_flag=True, help="Do not list missing facts or show the progress bar."
)
@click.option(
    "--register/--no-register", "use_register", default=None,
    help="Take agents' codes from the register and note the OBJID there (default: when "
    "--db or $ARKIVLUCKA_DB names one).",
)  # fmt: skip
@click.option(
    "--db", metavar="PATH|URL",
    help="The register (SQLite file or postgresql://...; default $ARKIVLUCKA_DB, else ./arkivlucka.db).",
)  # fmt: skip
def package(
    incident: Path, entries_dir: Path, output: Path, form: Path | None, payloads: tuple[Path, ...],
    config: Path | None, profile: str | None, delivery: Path | None, creator: str | None,
    objid: str | None, label: str | None, submission_agreement: str | None,
    reference_code: str | None, submitter_name: str | None, submitter_id: str | None,
    anonymise: bool, schema_dir: Path | None, no_official: bool, created: str | None,
    tool_version: str | None, overwrite: bool, no_identify: bool, quiet: bool, use_register: bool | None,
    db: str | None,
) -> None:  # fmt: skip
    """Build an E-ARK SIP 2.1.0 package (FGS Paketstruktur 2.0) for INCIDENT.

    With --profile fgs-1.2 (or profile: fgs-1.2 in the delivery profile) it builds an FGS
    Paketstruktur 1.2 package instead: sip.xml, content/ and metadata/.

    With a register (--register, --db or $ARKIVLUCKA_DB), each records creator without a
    code gets its identification code from the register, and the package's OBJID is noted
    on the incident there.

    The package holds METS.xml, the entries under metadata/descriptive/, PREMIS under
    metadata/preservation/, the incident file and form under documentation/, our XSD under
    schemas/ and the payload under representations/rep1/data/. Every XML is validated before
    the package is sealed; on failure nothing is left under the output name. On a terminal a
    progress bar on stderr counts the files written (not with --quiet). Without the
    official schemas (see `arkivlucka schemas`) it refuses to seal unless --no-official-schemas
    is given, which the output and the package's METS and PREMIS then state.
    """
    from arkivlucka.delivery.config import load_settings
    from arkivlucka.delivery.package import build_package

    settings = load_settings(config).over(load_settings(delivery)).merged(
        objid=objid, label=label, submission_agreement=submission_agreement,
        reference_code=reference_code, submitter_name=submitter_name, submitter_id=submitter_id,
    )  # fmt: skip
    ctx = run_context(created, tool_version)
    options: dict[str, Any] = dict(
        settings=settings, form=form, payloads=list(payloads), anonymise=anonymise,
        schema_dir=schema_dir, official_schemas=not no_official, overwrite=overwrite,
        profile=profile, creator=creator, identify=not no_identify,
    )  # fmt: skip
    if use_register is False and db:
        raise click.UsageError("--db names a register, --no-register says not to use one")
    from arkivlucka.cli.progress import progress_bar
    from arkivlucka.register import configured
    from arkivlucka.xmldoc.official import OfficialSchemasError

    try:
        with progress_bar("packaging", quiet) as progress:
            options["progress"] = progress
            if use_register or (use_register is None and configured(db)):
                from arkivlucka.register.pipeline import package_recorded

                result, noted = package_recorded(incident, entries_dir, output, ctx, db, **options)
                result.findings += noted
            else:
                result = build_package(incident, entries_dir, output, ctx, **options)
    except OfficialSchemasError as exc:
        report_error(exc)
        click.echo(
            "not sealed: METS and PREMIS must be validated against the official schemas; "
            "to seal without them, give --no-official-schemas",
            err=True,
        )
        raise SystemExit(1) from None
    skipped = [f for f in result.findings if f.code == "official-schemas-skipped"]
    if not quiet or skipped:
        report_findings(result.findings if not quiet else skipped)
    click.echo(str(result.path))
