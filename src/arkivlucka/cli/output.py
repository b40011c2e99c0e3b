"""Command-line layer: writing findings and errors to the right stream."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # imported with the first finding or error (a faster start without them)
    from arkivlucka.core.errors import ArkivluckaError
    from arkivlucka.core.findings import Finding

#: What to do when the official schemas are missing or changed.
INSTALL_HINT = (
    "hint: install the official schemas with `arkivlucka schemas install` "
    "(offline: `arkivlucka schemas install --from WHEELDIR`); `arkivlucka schemas` lists them"
)


def option_names(command: click.Command | None) -> dict[str, str]:
    """Parameter name → the flag that sets it, for ``command`` and (a group's) subcommands."""
    out: dict[str, str] = {}
    todo = [command] if command else []
    while todo:
        cmd = todo.pop()
        for param in cmd.params:
            if isinstance(param, click.Option) and param.name:
                longest = max(param.opts, key=len)
                out.setdefault(param.name, longest)
        if isinstance(cmd, click.Group):
            todo.extend(cmd.commands.values())
    return out


def with_flags(findings: Iterable[Finding], flags: Callable[[str], str | None]) -> list[Finding]:
    """The findings with each one's parameter shown as its flag: ``message (--flag)``."""
    out = []
    for f in findings:
        flag = flags(f.param) if f.param else None
        if flag:
            from dataclasses import replace

            f = replace(f, message=f"{f.message} ({flag})")
        out.append(f)
    return out


def report_findings(
    findings: Iterable[Finding], *, json_mode: bool = False, command: click.Command | None = None
) -> None:
    """Findings as JSON alone on stdout (``json_mode``), else one line each on stderr.

    A finding about a parameter names it by its flag on ``command`` (default: the command
    now running).
    """
    if command is None:
        ctx = click.get_current_context(silent=True)
        command = ctx.command if ctx else None
    shown = with_flags(findings, option_names(command).get)
    if not shown and not json_mode:
        return  # nothing to render (the renderers are not even imported: a faster start)
    from arkivlucka.core.render import as_json, human_lines

    if json_mode:
        click.echo(as_json(shown))
        return
    for line in human_lines(shown):
        click.echo(line, err=True)


def report_error(
    exc: ArkivluckaError, *, json_mode: bool = False, command: click.Command | None = None
) -> None:
    """Render an error's findings, naming each parameter by its flag on ``command``."""
    report_findings(exc.findings, json_mode=json_mode, command=command)
    from arkivlucka.xmldoc.official import OfficialSchemasError

    if isinstance(exc, OfficialSchemasError) and not json_mode:
        click.echo(INSTALL_HINT, err=True)
