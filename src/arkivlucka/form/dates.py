"""Parse-form stage, dates: find a date (and time) anywhere in a field's text, Swedish styles.

Each style is a rule, not a sample: ISO (``2023-10-19``), dotted (``19.10.2023``), slashed
(``19/10/2023``, ``19/10-23``, ``2023/10/19``), written months (``19 oktober 2023``,
``den 7 feb. 2024``), each with an optional time (``kl. 16.00``, ``16:00``, ``kl 16``). A
date inside a sentence is found too. A vague date ("i mitten av oktober 2023", "oktober
2023") is read as an *estimate*: the day is the middle (or start, end) of the month, the
phrase is kept, and the reading is marked uncertain. Nothing without a year is completed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december",
)  # fmt: skip
_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH_WORD = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)\.?"
# a time is introduced by "kl"/"klockan" or written hh.mm / hh:mm; a bare number is not one
_TIME_RX = (
    r"(?:\s*,?\s*(?:kl(?:ockan)?\.?\s*(?P<hh>[01]?\d|2[0-3])(?:[.:](?P<mi>[0-5]\d))?"
    r"|(?P<hh2>[01]?\d|2[0-3])[.:](?P<mi2>[0-5]\d))(?![\d]))?"
)
_DATES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx + _TIME_RX, re.I))
    for name, rx in (
        ("ymd", r"(?<![\d.])(?P<y>(?:19|20)\d{2})[-/](?P<mo>[01]?\d)[-/](?P<d>[0-3]?\d)(?![\d])"),
        ("dmy", r"(?<![\d.:/-])(?P<d>[0-3]?\d)[./](?P<mo>[01]?\d)[./-](?P<y>(?:19|20)?\d{2})(?![\d])"),
        ("written", rf"(?<!\d)(?P<d>[0-3]?\d)(?::e|:a)?\s+(?P<mw>{_MONTH_WORD})\s+(?P<y>(?:19|20)\d{{2}})(?!\d)"),
    )
)  # fmt: skip
_VAGUE = re.compile(
    rf"(?:(?:i|under)\s+)?(?P<part>mitten|början|slutet|månadsskiftet)?\s*(?:av\s+)?"
    rf"(?P<mw>{_MONTH_WORD})\s+(?P<y>(?:19|20)\d{{2}})(?!\d)",
    re.I,
)
_PART_DAY = {"början": 1, "mitten": 15, None: 15}


@dataclass(frozen=True)
class When:
    """A date or date-time read from text, the phrase it came from, and how sure we are."""

    at: datetime | date
    phrase: str
    estimated: bool = False  # a vague phrase: the day (and time) are an estimate
    reason: str | None = None  # why the reading is uncertain, if it is

    def iso(self) -> str:
        """``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD``."""
        if isinstance(self.at, datetime):
            return self.at.strftime("%Y-%m-%dT%H:%M")
        return self.at.isoformat()


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _month(text: str) -> int:
    word = text.lower().rstrip(".")
    return (
        MONTHS.index(word) + 1
        if word in MONTHS
        else _ABBR[word[:4] if word == "sept" else word[:3]]
    )


def _build(mt: re.Match[str], name: str) -> datetime | date | str:
    g = mt.groupdict()
    try:
        mo = _month(g["mw"]) if name == "written" else int(g["mo"])
        day = date(_year(g["y"]), mo, int(g["d"]))
    except (ValueError, KeyError) as exc:
        return f"'{mt.group(0).strip()}' is not a valid date: {exc}"
    hh, mi = (g["hh"], g["mi"]) if g["hh"] is not None else (g["hh2"], g["mi2"])
    if hh is None:
        return day
    return datetime(day.year, day.month, day.day, int(hh), int(mi or 0))


def find_dates(text: str) -> list[tuple[datetime | date | str, re.Match[str]]]:
    """Every exact date (with its time, if given) in ``text``, in order, without overlaps."""
    hits: list[tuple[datetime | date | str, re.Match[str]]] = []
    for name, rx in _DATES:
        for mt in rx.finditer(text):
            if any(mt.start() < o.end() and o.start() < mt.end() for _, o in hits):
                continue
            hits.append((_build(mt, name), mt))
    return sorted(hits, key=lambda h: h[1].start())


def read_when(text: str) -> When | str:
    """The one date (and time) a field gives; an error text when none, several or invalid.

    An exact date wins over a vague one; two different exact dates are refused (which one
    is meant is a guess). A month with a year and no day is read as an estimate.
    """
    shown = " ".join(text.split())
    if not shown:
        return "no date is filled in"
    hits = find_dates(text)
    good = [(v, mt) for v, mt in hits if not isinstance(v, str)]
    if not good and hits:
        return str(hits[0][0])
    if good:
        values = {v for v, _ in good}
        if len({v.date() if isinstance(v, datetime) else v for v in values}) > 1:
            return f"'{shown}' gives more than one date"
        best = max(good, key=lambda h: isinstance(h[0], datetime))
        rest = text[best[1].end() :]
        if not isinstance(best[0], datetime) and re.match(
            r"\s*,?\s*kl(?:ockan)?\.?\s*\d", rest, re.I
        ):
            return f"'{shown}' has a time that is not a valid time of day"
        return When(best[0], " ".join(best[1].group(0).split()))
    vague = _VAGUE.search(text)
    if vague:
        return _vague(vague)
    if re.search(r"\d", shown):
        return f"'{shown}' is not a date this tool can read (write e.g. 2024-02-07 kl. 08:50)"
    return f"'{shown}' is not a date"


def _vague(mt: re.Match[str]) -> When:
    y, mo = int(mt.group("y")), _month(mt.group("mw"))
    part = (mt.group("part") or "").lower() or None
    if part == "slutet" or part == "månadsskiftet":
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        day = date.fromordinal(nxt.toordinal() - 1)
    else:
        day = date(y, mo, _PART_DAY.get(part, 15))
    phrase = " ".join(mt.group(0).split())
    return When(
        day, phrase, estimated=True,
        reason=f"estimated from '{phrase}' (the form gives the month, not the day)",
    )  # fmt: skip
