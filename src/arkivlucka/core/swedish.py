"""Core Swedish wording helpers, shared by the stages that write Swedish text.

Dates in words, facts as phrases inside a sentence, and lists joined with "och". The
entries' prose and the retention assessment both build on these; neither owns them.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def swedish_date(day: date) -> str:
    """Return ``19 oktober 2023``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_END = re.compile(r"(?:(?<=[^\W\d_]{4})\.|(?<=\d)\.|[,;:])+$")


def phrase(text: str) -> str:
    """A fact as a phrase inside a sentence: spaces collapsed, no sentence-ending full stop.

    ``Protokoll.`` becomes ``Protokoll`` (else ``protokoll. (2019)`` would read badly) and
    ``2.1.`` becomes ``2.1``; a trailing comma, semicolon or colon goes too; an abbreviation
    such as ``m.fl.`` or ``osv.`` is kept.
    """
    text = re.sub(r"\s+", " ", text).strip()
    return _END.sub("", text).rstrip() or text


def join(items: list[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
