"""Read stage helpers: dates, partial dates and stable identifiers from text."""

from __future__ import annotations

import re
from datetime import date, datetime

from arkivlucka import model as m

_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_time(value: str) -> datetime | date | str:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (local time); return an error text on failure."""
    match = _TIME.match(value.strip())
    if not match:
        if re.match(r"^\d{1,2}:\d{2}$", value.strip()):
            return f"'{value}' is a time without a date; write e.g. 2024-02-07T{value.strip()}"
        if re.search(r"(Z|[+-]\d{2}:?\d{2})$", value.strip()):
            return f"'{value}' has a time zone; give the local time without one (2024-02-07T08:50)"
        return f"'{value}' is not a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)"
    y, mo, d, hh, mi, ss = match.groups()
    try:
        if hh is None:
            return date(int(y), int(mo), int(d))
        if ss not in (None, "00"):
            return f"'{value}' has seconds; give the time to the minute"
        return datetime(int(y), int(mo), int(d), int(hh), int(mi))
    except ValueError as exc:
        return f"'{value}' is not a valid date or time: {exc}"


def parse_partial_date(value: str) -> m.PartialDate | str:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; return an error text on failure."""
    match = _PARTIAL.match(value.strip())
    if not match:
        return f"'{value}' is not a year, year-month or date (2019, 2019-05, 2019-05-31)"
    y, mo, d = match.groups()
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError as exc:
        return f"'{value}' is not a valid date: {exc}"
    return m.PartialDate(int(y), int(mo) if mo else None, int(d) if d else None)


def slug(text: str) -> str:
    """Return a stable ASCII identifier for ``text`` (å/ä→a, ö→o, others dropped)."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "ae", "ø": "o"})
    lowered = text.lower().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")[:60].strip("-")
