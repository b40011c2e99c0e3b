"""Report stage: printable reports (HTML, PDF/A) of the entries, one per records creator.

``write_report`` reads a records creator's entries and writes the report; ``render_report``
and ``render_losses_appendix`` return bytes. Nothing heavy is imported here: the renderers
import Jinja2, lxml and WeasyPrint when they run.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LossLine", "load_entries", "render_losses_appendix", "render_report", "write_report"]


def __getattr__(name: str) -> Any:
    """Load the public names lazily."""
    if name == "LossLine":
        from arkivlucka.report.model import LossLine

        return LossLine
    if name == "load_entries":
        from arkivlucka.report.read import load_entries

        return load_entries
    if name in ("render_losses_appendix", "render_report", "write_report"):
        from arkivlucka.report import render

        return getattr(render, name)
    raise AttributeError(name)
