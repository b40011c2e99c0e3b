"""Command-line layer: a thin click group; each command lives in its own module, loaded lazily.

Exit codes: 0 success, 1 invalid input or failed run, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

#: command name → ("module:attribute", short help). A module is imported only when its
#: command runs or its own --help is asked for, which keeps `arkivlucka --help` fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "describe": (
        "arkivlucka.cli.describe_cmd:describe",
        "Write arkivbeskrivning and arkivförteckning entries for an incident.",
    ),
    "import": (
        "arkivlucka.cli.import_cmd:import_",
        "Read filled-in incident forms (.txt, .pdf, .docx) into incident files.",
    ),
    "inventory": (
        "arkivlucka.cli.inventory_cmd:inventory",
        "Keep a whole archive inventory: import, export (CSV, XLSX, EAD3), merge losses.",
    ),
    "package": (
        "arkivlucka.cli.package_cmd:package",
        "Build an E-ARK SIP 2.1.0 package (FGS Paketstruktur 2.0) for the e-archive.",
    ),
    "plan": (
        "arkivlucka.cli.plan_cmd:plan",
        "Check a retention schedule (dokumenthanteringsplan).",
    ),
    "report": (
        "arkivlucka.cli.report_cmd:report",
        "Print a records creator's entries as a report (PDF/A or HTML) to file and sign.",
    ),
    "schemas": (
        "arkivlucka.cli.schemas_cmd:schemas",
        "List the official schemas (METS, PREMIS, EAD3, …) or install them.",
    ),
    "serve": (
        "arkivlucka.cli.serve_cmd:serve",
        "Start the workbench: review, confirm and file incidents in the browser (local).",
    ),
    "register": (
        "arkivlucka.cli.register_cmd:register",
        "Keep one register of records creators, incidents and losses; ask it what is missing.",
    ),
    "validate": (
        "arkivlucka.cli.validate_cmd:validate",
        "Validate XML documents against the schema their root calls for.",
    ),
    "verify": (
        "arkivlucka.cli.verify_cmd:verify",
        "Check any E-ARK CSIP/SIP package (folder or zip) against METS and the rules.",
    ),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs or is listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command name, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command called ``cmd_name``."""
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attr = entry[0].split(":")
        __import__(module)
        command = getattr(sys.modules[module], attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their short help, without importing them."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an ``ArkivluckaError`` on stderr and exit 1."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # errors are imported only when there is one (a faster start)
            from arkivlucka.cli.output import report_error
            from arkivlucka.core.errors import ArkivluckaError

            if isinstance(exc, ArkivluckaError):
                name = ctx.invoked_subcommand
                command = self.get_command(ctx, name) if name else None
                report_error(exc, json_mode=bool(ctx.meta.get("arkivlucka.json")), command=command)
                ctx.exit(EXIT_FAILED)
            # a write error from a library, or a bug: a finding, no traceback
            from arkivlucka.core.findings import error

            msg = f"unexpected {type(exc).__name__}: {exc}; nothing more was done"
            report_error(
                ArkivluckaError(msg, [error("unexpected-error", msg)]),
                json_mode=bool(ctx.meta.get("arkivlucka.json")),
            )
            ctx.exit(EXIT_FAILED)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arkivlucka")
def cli() -> None:
    """Document unrecoverable information loss (gallring) in archival records.

    Turns an incident report into arkivbeskrivning and arkivförteckning entries for every
    affected records creator (arkivbildare), as FGS-style XML validated against XSD.

    Exit codes: 0 success, 1 invalid input or failed run, 2 usage error.
    """


def terminal_width() -> int:
    """The help width click would pick (``shutil.get_terminal_size``), without importing shutil.

    ``$COLUMNS`` first, then the terminal of stdout, else 80; at most 80, at least 50.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def main() -> NoReturn:
    """Console-script entry point: run the command, then leave the process at once (``leave``)."""
    try:
        cli(prog_name="arkivlucka", terminal_width=terminal_width())
    except SystemExit as exc:
        leave(exc.code)
    leave(EXIT_OK)  # pragma: no cover  (click's standalone mode always raises SystemExit)


def leave(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` does, without taking the interpreter apart first.

    A finished command needs none of the freeing of every object and module that a normal
    exit does (some 15 ms after a verify of 10,000 files, a few ms after any command). The
    exit handlers (``atexit``) still run, then the output is flushed. Objects are not
    finalised: clean-up that matters is never left to a finaliser here. It is the normal exit
    where that is not plainly enough: another thread still running, a profiler or tracer
    (cProfile, coverage) that reports when the program ends, ``ARKIVLUCKA_NORMAL_EXIT`` set to
    anything, an exit message or a code outside 0-255 (``sys.exit`` has its own rules for
    those), output that cannot be flushed.
    """
    import atexit
    import threading

    if (
        threading.active_count() > 1
        or sys.gettrace() is not None
        or sys.getprofile() is not None
        or os.environ.get("ARKIVLUCKA_NORMAL_EXIT")
        or not (code is None or (isinstance(code, int) and 0 <= code <= 255))
    ):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code or 0)
