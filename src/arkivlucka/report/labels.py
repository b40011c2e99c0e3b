"""Report stage, wording: Swedish words for the schema's codes, dates and missing facts.

A code the table does not know is shown as it stands, never dropped or reworded.
"""

from __future__ import annotations

import re

MISSING = "uppgift saknas"

KIND = {"konstaterad": "konstaterad", "misstankt": "misstänkt"}
STATUS = {"pagaende": "pågående", "avbruten": "avbruten", "avslutad": "avslutad"}
PRECISION = {"exakt": "exakt tid", "uppskattad": "uppskattad tid"}
EXTENT = {"helt": "helt förlorad", "delvis": "delvis förlorad", "okand": "omfattning okänd"}
DISRUPTION = {
    "begransad": "begränsad", "stor": "stor", "mycket-stor": "mycket stor", "okand": "okänd",
}  # fmt: skip
PERSONAL_DATA = {"ja": "ja", "nej": "nej", "kan-ej-bedomas": "kan inte bedömas"}
MATCHING = {"kod": "planens kod", "handlingstyp": "handlingstypen"}
CULLING_BASIS = {"gallring-utan-beslut": "gallring utan gallringsbeslut"}
LOSS_CLASS = {
    "gallring-utan-beslut-av-bevarandehandlingar":
        "gallring utan beslut av handlingar som skulle bevaras",
    "gallring-utan-beslut-fore-fristens-utgang":
        "gallring utan beslut före gallringsfristens utgång",
    "gallringsbar-enligt-plan-frist-utgangen":
        "gallringsbar enligt planen, gallringsfristen har gått ut",
    "gallring-utan-beslut-frist-kan-ej-beraknas":
        "gallring utan beslut, gallringsfristen kan inte beräknas",
}  # fmt: skip

TABLES: dict[str, dict[str, str]] = {
    "kind": KIND, "status": STATUS, "precision": PRECISION, "extent": EXTENT,
    "disruption": DISRUPTION, "personal_data": PERSONAL_DATA, "matching": MATCHING,
    "culling_basis": CULLING_BASIS, "loss_class": LOSS_CLASS,
}  # fmt: skip


def label(table: str, code: str | None) -> str | None:
    """The Swedish words for ``code`` in ``table``; an unknown code as it stands; None for None."""
    if code is None:
        return None
    return TABLES[table].get(code, code)


def yes_no(value: bool | None) -> str | None:
    """``ja``/``nej``, or None when the entry does not say."""
    return None if value is None else ("ja" if value else "nej")


def timepoint(value: str, precision: str | None = None) -> str:
    """``2023-10-19 kl. 16:00 (uppskattad tid)`` from ``2023-10-19T16:00``."""
    day, _, time = value.partition("T")
    text = f"{day} kl. {time[:5]}" if time else day
    words = label("precision", precision)
    return f"{text} ({words})" if words else text


def created(value: str) -> str:
    """``2024-03-01 kl. 10:00`` from an xs:dateTime such as ``2024-03-01T10:00:00+01:00``."""
    day, _, time = value.partition("T")
    if not time:
        return day
    zone = re.search(r"(Z|[+-]\d\d:\d\d)$", time)
    if zone is None:
        return f"{day} kl. {time[:5]}"
    offset = "" if zone.group() == "Z" else zone.group()
    return f"{day} kl. {time[:5]} (UTC{offset})"
