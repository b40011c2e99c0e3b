"""Command-line layer: ``arkivlucka serve`` (the archivist's workbench in the browser)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option(
    "--workspace", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Folder of incident files the workbench works in.",
)  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")  # fmt: skip
@click.option("--plan", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Retention schedule (default: dokumenthanteringsplan.csv/.xlsx in the workspace).")  # fmt: skip
@click.option("--register", "db", metavar="DB", help="Register of records creators and losses.")
@click.option(
    "--by", "by_role", metavar="ROLE", help="Who makes the entries, e.g. kommunarkivarie."
)
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
def serve(
    workspace: Path, port: int, plan: Path | None, db: str | None, by_role: str | None,
    no_browser: bool,
) -> None:  # fmt: skip
    """Start the workbench: a local web application in Swedish to review and file incidents.

    It binds to 127.0.0.1 only and prints its address, which carries a random token; only
    a browser given that address can use it. Stop it with Ctrl-C.

    Exit codes: 0 stopped, 1 failed to start, 2 usage.
    """
    from arkivlucka.web.server import run

    run(workspace, port, plan=plan, register=db, by_role=by_role, open_browser=not no_browser,
        announce=lambda url: click.echo(f"arkivlucka workbench: {url}", err=True))  # fmt: skip
