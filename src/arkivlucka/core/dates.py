"""Core date helpers: the last day of a month or of an ISO partial date, stated once."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year`` (leap years included)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def last_day(value: str) -> date:
    """The last day an ISO partial date can mean: ``2023`` → 2023-12-31, ``2023-02`` → 02-28."""
    parts = [int(p) for p in value[:10].split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return month_end(parts[0], parts[1])
    return date(parts[0], parts[1], parts[2])
