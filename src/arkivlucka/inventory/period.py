"""Model stage for inventories: the periods of a spreadsheet's Tid cell, and their overlap."""

from __future__ import annotations

import re
from datetime import date

from arkivlucka.core.dates import last_day

_PARTIAL = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_PARTIAL_RE = re.compile(_PARTIAL)
_RANGE = re.compile(rf"^({_PARTIAL})?\s*(?:--|[-–—/]|\s-\s)\s*({_PARTIAL})?$")


def valid_partial(text: str) -> bool:
    """Whether ``text`` is a real year, year-month or date in ISO 8601 form."""
    if not _PARTIAL_RE.fullmatch(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def parse_span(text: str) -> tuple[str | None, str | None]:
    """Parse a Tid/Datering cell: '2019', '2019-2021', '2019–2021', '2019-03-01–2019-12-31'.

    Returns (start, end) as partial ISO dates; a single date is both start and end; an open
    range ('2019-', '–2021') leaves one side None. Raises ``ValueError`` with the reason.
    """
    text = text.strip()
    if valid_partial(text):
        return text, text
    match = _RANGE.match(text)
    if not match or not (match.group(1) or match.group(2)):
        raise ValueError(f"'{text}' is not a year, a date or a range such as 2019–2021")
    start, end = match.group(1), match.group(2)
    for part in (start, end):
        if part and not valid_partial(part):
            raise ValueError(f"'{part}' in '{text}' is not a real date")
    if start and end and bounds(start, None)[0] > bounds(None, end)[1]:
        raise ValueError(f"'{text}' ends before it starts")
    return start, end


def format_span(start: str | None, end: str | None) -> str:
    """Return the Swedish way to write a period: '2019', '2019–2021', '2019–', '–2021'."""
    if start and end and start == end:
        return start
    return f"{start or ''}–{end or ''}" if (start or end) else ""


def bounds(start: str | None, end: str | None) -> tuple[date, date]:
    """Return the first and last day a period may cover (open sides are unbounded)."""
    lo = date.min
    hi = date.max
    if start:
        p = [int(x) for x in start.split("-")]
        lo = date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1)
    if end:
        hi = last_day(end)
    return lo, hi


def overlaps(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two periods (start, end) share at least one day."""
    alo, ahi = bounds(*a)
    blo, bhi = bounds(*b)
    return alo <= bhi and blo <= ahi
