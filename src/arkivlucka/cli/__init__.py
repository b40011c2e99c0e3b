"""Command-line layer: a thin click group; each command lives in its own module, loaded lazily.

Exit codes: 0 success, 1 invalid input or failed run, 2 usage error.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from arkivlucka.errors import ArkivluckaError

#: command name → "module:attribute", imported only when the command is used.
COMMANDS: dict[str, str] = {
    "describe": "arkivlucka.cli.describe_cmd:describe",
    "validate": "arkivlucka.cli.validate_cmd:validate",
    "package": "arkivlucka.cli.package_cmd:package",
    "verify": "arkivlucka.cli.verify_cmd:verify",
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs or is listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command name, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command called ``cmd_name``."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an ``ArkivluckaError`` on stderr and exit 1."""
        try:
            return super().invoke(ctx)
        except ArkivluckaError as exc:
            from arkivlucka.cli.output import report_error

            report_error(exc, json_mode=bool(ctx.meta.get("arkivlucka.json")))
            ctx.exit(EXIT_FAILED)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arkivlucka")
def cli() -> None:
    """Document unrecoverable information loss (gallring) in archival records.

    Turns an incident report into arkivbeskrivning and arkivförteckning entries for every
    affected records creator (arkivbildare), as FGS-style XML validated against XSD.

    Exit codes: 0 success, 1 invalid input or failed run, 2 usage error.
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="arkivlucka")
