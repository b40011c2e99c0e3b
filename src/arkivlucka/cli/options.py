"""Command-line layer: the options several commands share, and the one RunContext builder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from arkivlucka.core.context import RunContext

created_option = click.option(
    "--created",
    help="Creation time (ISO 8601; without a time zone it is taken as UTC) for reproducible "
    "output; default SOURCE_DATE_EPOCH or now.",
)
tool_version_option = click.option(
    "--tool-version", help="Version recorded as the creating software (default: installed)."
)


def run_context(
    created: str | None,
    tool_version: str | None = None,
    by_role: str | None = None,
    include_names: bool = False,
) -> RunContext:
    """The run context from the shared options: creation time, tool version, author role."""
    from arkivlucka.core.context import RunContext, default_version, resolve_created

    return RunContext(
        created=resolve_created(created),
        tool_version=tool_version or default_version(),
        by_role=by_role,
        include_names=include_names,
    )
