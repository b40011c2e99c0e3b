"""Incident stage: the incident file's contract — its format id and every key, stated once.

The loader (``load``) accepts exactly these keys, the writer (``dump``) writes them in this
order, and the form importer produces them; the enumerations and their Swedish words are in
``enums``. Documented field by field in ``docs/incident-format.md``.
"""

from __future__ import annotations

import re
from typing import Any

FORMAT = "arkivlucka-incident/1"

TOP_KEYS = (
    "format", "reference", "organisation", "reported_by", "department", "unit", "kind",
    "status", "summary", "discovered", "occurred", "categories", "consequences",
    "actions_taken", "actions_planned", "scope", "valuation", "culling_notes",
    "police_report", "personal_data_risk", "reports", "affected", "lost_records", "systems",
    "processes", "records_creators", "extracts", "culling_rationale", "source",
)  # fmt: skip
TEXT_KEYS = (
    "organisation", "reference", "department", "unit", "summary", "actions_taken",
    "actions_planned", "scope", "valuation", "culling_notes", "culling_rationale", "source",
)  # fmt: skip
LOST_RECORD_KEYS = (
    "id", "title", "period", "extent", "record_type", "process", "classification", "series",
    "system", "description", "plan_code", "proposed",
)  # fmt: skip

#: the keys of each section (mapping or list item), in the order they are written
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "": TOP_KEYS,
    "reported_by": ("name", "title", "email"),
    "discovered": ("at", "precision"),
    "occurred": ("at", "precision"),
    "consequences": ("disruption", "business_critical", "restored"),
    "affected": ("records", "persons"),
    "reports": ("to", "date", "reference"),
    "lost_records": LOST_RECORD_KEYS,
    "systems": ("name", "role", "supplier", "proposed"),
    "processes": ("code", "title", "scheme"),
    "records_creators": ("name", "department", "code", "proposed"),
    "extracts": ("title", "period", "kept_in", "series", "reference", "proposed"),
    "period": ("start", "end", "text"),
}


_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def value_at(data: Any, path: str) -> Any:
    """The value at a contract path (``lost_records[0].period.start``) of plain data, or None."""
    node = data
    for key, index in _STEP.findall(path):
        if key:
            node = node.get(key) if isinstance(node, dict) else None
        else:
            i = int(index)
            node = node[i] if isinstance(node, list) and i < len(node) else None
        if node is None:
            return None
    return node
