"""Incident stage helpers: the incident file's dates and partial dates read from text."""

from __future__ import annotations

import re
from datetime import date, datetime

from arkivlucka.core.text import shown
from arkivlucka.incident import model as m

_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$", re.ASCII)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


def parse_time(value: str) -> datetime | date | str:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (local time); return an error text on failure."""
    match = _TIME.match(value.strip())
    if not match:
        if re.match(r"^\d{1,2}:\d{2}$", value.strip()):
            return f"'{value}' is a time without a date; write e.g. 2024-02-07T{value.strip()}"
        if re.search(r"(Z|[+-]\d{2}:?\d{2})$", value.strip()):
            return f"'{value}' has a time zone; give the local time without one (2024-02-07T08:50)"
        return f"'{shown(value)}' is not a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)"
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
        return f"'{shown(value)}' is not a year, year-month or date (2019, 2019-05, 2019-05-31)"
    y, mo, d = match.groups()
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError as exc:
        return f"'{value}' is not a valid date: {exc}"
    return m.PartialDate(int(y), int(mo) if mo else None, int(d) if d else None)
