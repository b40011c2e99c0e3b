"""Register stage, output shapes: answers as rows (CSV, XLSX, a text table) and an HTML appendix.

Every row says what is missing (record type, title, period), which incident (id, reference,
when it occurred), for which records creator, and what was recovered and where it is kept.
Headers are Swedish, as the archivists' sheets are.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from arkivlucka.register.model import CreatorLosses, ExtractInfo, LossAnswer

HEADERS = (
    "Arkivbildare", "Incident", "Diarienummer", "Inträffade", "Förlorad handling",
    "Handlingstyp", "Period", "Omfattning", "System", "Process", "Plankod",
    "Förlustklassning", "Räddat (uttag)", "Förvaras i", "Säker träff",
)  # fmt: skip
_EXTENT = {"complete": "helt", "partial": "delvis", "unknown": "okänd"}
#: columns shown in the text table on stdout (a subset of ``HEADERS``)
SHORT = ("Arkivbildare", "Incident", "Förlorad handling", "Period", "System", "Process",
         "Räddat (uttag)", "Förvaras i")  # fmt: skip

if TYPE_CHECKING:
    from arkivlucka.report.model import LossLine


def _extract(x: ExtractInfo) -> str:
    period = x.period.display()
    return f"{x.title} ({period})" if period else x.title


def _occurred(a: LossAnswer) -> str:
    if not a.occurred:
        return ""
    return f"{a.occurred} (uppskattad)" if a.occurred_precision == "estimated" else a.occurred


def answer_row(a: LossAnswer) -> list[str]:
    """One answer as the cells under ``HEADERS``."""
    process = " ".join(x for x in (a.process, a.process_title) if x)
    system = f"{a.system} ({a.supplier})" if a.system and a.supplier else a.system or ""
    return [
        a.creator, a.incident_id, a.incident_reference or "", _occurred(a), a.title,
        a.record_type or "", a.period.display() or "okänd", _EXTENT.get(a.extent, a.extent),
        system, process, a.plan_code or "", a.culling_classification,
        "; ".join(_extract(x) for x in a.extracts) or "inget",
        "; ".join(x.where() or "anges inte" for x in a.extracts),
        "ja" if a.match == "certain" else "möjlig (perioden är öppen eller okänd)",
    ]  # fmt: skip


def answer_rows(answers: Sequence[LossAnswer]) -> list[list[str]]:
    """Every answer as a row under ``HEADERS``."""
    return [answer_row(a) for a in answers]


def text_table(answers: Sequence[LossAnswer], width: int = 28) -> str:
    """The answers as an aligned text table of the ``SHORT`` columns, long cells wrapped."""
    index = [HEADERS.index(h) for h in SHORT]
    rows = [[row[i] for i in index] for row in answer_rows(answers)]
    cells = [[textwrap.wrap(c, width) or [""] for c in row] for row in [list(SHORT), *rows]]
    widths = [max(len(line) for row in cells for line in row[i]) for i in range(len(SHORT))]
    out = []
    for n, row in enumerate(cells):
        for k in range(max(len(c) for c in row)):
            parts = [
                (c[k] if k < len(c) else "").ljust(w) for c, w in zip(row, widths, strict=True)
            ]
            out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def loss_lines(found: CreatorLosses) -> list[LossLine]:
    """Every loss of one records creator as lines of the printable appendix (``report``)."""
    from arkivlucka.report.model import LossLine

    lines = []
    for a in found.losses:
        row = answer_row(a)
        lines.append(
            LossLine(
                incident_id=a.incident_id, title=a.title, registry_number=a.incident_reference,
                record_type=a.record_type, period=a.period.display() or None, extent=a.extent,
                system=row[8] or None, process=row[9] or None, plan_code=a.plan_code,
                classification=a.culling_classification,
                recovered="; ".join(_extract(x) for x in a.extracts) or None,
                kept_in="; ".join(x.where() for x in a.extracts if x.where()) or None,
            )
        )  # fmt: skip
    return lines
