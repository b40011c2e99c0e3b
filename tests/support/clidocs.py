"""Render every command's --help into docs/cli.md (run: make cli-docs); tests keep them equal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from arkivlucka.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HEADER = """# Command reference

Generated from `arkivlucka --help` by `make cli-docs`; a test fails when it drifts.

Exit codes, for every command: **0** success, **1** invalid input or a failed run,
**2** usage error (unknown option, missing argument). Findings and messages go to stderr;
with `--json`, the JSON document alone goes to stdout.
"""


def _commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
    out = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            out += _commands(command, [*prefix, name])
        elif command is not None:
            out.append([*prefix, name])
    return out


def render() -> str:
    """Return the whole docs/cli.md text."""
    runner = CliRunner()
    parts = [HEADER]
    for path in _commands(cli, []):
        result = runner.invoke(cli, [*path, "--help"], terminal_width=100)
        title = " ".join(["arkivlucka", *path])
        parts.append(f"\n## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
