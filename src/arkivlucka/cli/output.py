"""Command-line layer: writing findings and errors to the right stream."""

from __future__ import annotations

import click

from arkivlucka.errors import ArkivluckaError
from arkivlucka.findings import Finding
from arkivlucka.render import as_json, human_lines, one_line

#: What to do when the official schemas are missing or changed.
INSTALL_HINT = (
    "hint: install the official schemas with `arkivlucka schemas install` "
    "(offline: `arkivlucka schemas install --from WHEELDIR`); `arkivlucka schemas` lists them"
)


def report_findings(findings: list[Finding], *, json_mode: bool = False) -> None:
    """Findings as JSON alone on stdout (``json_mode``), else one line each on stderr."""
    if json_mode:
        click.echo(as_json(findings))
        return
    for line in human_lines(findings):
        click.echo(line, err=True)


def report_error(exc: ArkivluckaError, *, json_mode: bool = False) -> None:
    """Render an error: its findings (or its message when it has none)."""
    if json_mode:
        click.echo(as_json(exc.findings))
        if not exc.findings:
            click.echo(one_line(f"error: {exc.message}"), err=True)
        return
    if exc.findings:
        report_findings(exc.findings)
    else:
        click.echo(one_line(f"error: {exc.message}"), err=True)
    from arkivlucka.official import OfficialSchemasError

    if isinstance(exc, OfficialSchemasError):
        click.echo(INSTALL_HINT, err=True)
