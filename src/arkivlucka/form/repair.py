"""Parse-form stage, text repair: undo text-extraction damage in a field's value, read its dates.

A PDF's text layer breaks words and e-mail addresses across lines, leaves fill-in underscores
and stray spaces; these helpers turn a field's raw text back into what was typed. Dates are
read with python-dateutil after Swedish words (month names, "kl.") are made plain.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import date, datetime

from dateutil import parser as dateparser

from arkivlucka.form.words import Lexicon

_UNDERSCORES = re.compile(r"_{2,}|(?<!\S)_+(?!\S)")
_BULLET = re.compile(r"\s*(?:[-–•*▪]|\d{1,2}[.)])\s")
_SUSPENDED = ("och", "eller", "samt", "respektive", "resp", "till", "som", "&")
_HYPHEN_SPACE = re.compile(r"(?<=\w)- (?=([a-zåäöé]\w*))")
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]{4,}")
_ADDRESS_GOES_ON = re.compile(r"[\w.-]")
_WORD_START = re.compile(r"[\wåäö]+")
_NON_WORD = re.compile(r"\W")
MONTHS_SV = {
    "januari": "January", "februari": "February", "mars": "March", "april": "April",
    "maj": "May", "juni": "June", "juli": "July", "augusti": "August",
    "september": "September", "oktober": "October", "november": "November",
    "december": "December", "jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr",
    "jun": "Jun", "jul": "Jul", "aug": "Aug", "sep": "Sep", "sept": "Sep", "okt": "Oct",
    "nov": "Nov", "dec": "Dec",
}  # fmt: skip
_MONTH_RX = re.compile(
    r"\b(" + "|".join(sorted(MONTHS_SV, key=len, reverse=True)) + r")\b\.?", re.I
)
_NOISE = re.compile(
    r"\b(?:kl(?:ockan)?|ca|cirka|omkring|ungefär|den|mån|tis|ons|tors|fre|lör|sön)"
    r"(?:dag(?:en)?)?\b\.?|[(),;]",
    re.I,
)
_TIME = re.compile(r"(?<![\d-])(\d{1,2})[.:](\d{2})(?!\d)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")
_DEFAULTS = (datetime(1901, 1, 1, 0, 0), datetime(1902, 2, 2, 1, 1))


class Repairer:
    """Joins the lines of a value, knowing the document's words and its line-break habit.

    ``soft_marked``: the extraction ends a wrapped line with a space, so a line ending in a
    letter without one cut a word. ``vocabulary``: lower-case words seen in the document,
    to recognise ``Kommunledningsförv`` + ``altningen`` when line ends are not marked.
    """

    def __init__(self, lines: list[str], *, line_paragraphs: bool = False) -> None:
        """Learn the line-break habit and the words of the whole form.

        ``line_paragraphs``: every line is a paragraph of its own (a Word document).
        """
        self.line_paragraphs = line_paragraphs
        pairs = [(a, b) for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
        marked = sum(1 for a, _ in pairs if a.endswith(" "))
        self.soft_marked = bool(pairs) and marked / len(pairs) >= 0.5
        self.vocabulary = Counter(map(str.lower, _WORD.findall("\n".join(lines))))
        self.blank_lines = any(not ln.strip() for ln in lines)
        widths = sorted(len(ln.rstrip()) for ln in lines if ln.strip())
        self.width = widths[int(len(widths) * 0.9)] if widths else 0
        self._words: Lexicon | bool | None = False  # False: not loaded yet
        self.missing_words = False  # the word list was needed and is not installed

    def join_pair(self, a: str, b: str) -> str:
        """Return the separator between line ``a`` and the next line ``b``: "" or " "."""
        if a.endswith(" ") or not b:
            return " "
        last, first = a[-1], b[0]
        head, tail = _last_word(a), _first_word(b)
        if head and "@" in head and _ADDRESS_GOES_ON.match(first):
            return ""
        if last == "-" and len(a) > 1 and a[-2].isalpha() and first.islower():
            word = _WORD_START.match(b)
            return " " if word and word.group(0).lower() in _SUSPENDED else ""
        if last.isalnum() and first.isalnum() and first.islower():
            if self.soft_marked:
                return ""
            if head and tail:
                joined = _NON_WORD.sub("", head + tail).lower()
                alone = _NON_WORD.sub("", tail).lower()
                before = _NON_WORD.sub("", head).lower()
                if (
                    joined in self.vocabulary
                    and max(self.vocabulary[alone], self.vocabulary[before]) <= 1
                ):
                    return ""
                words = self.words()
                if words is not None and words.joins(head.strip(".,;:()"), tail.strip(".,;:()")):
                    return ""
        return " "

    def words(self) -> Lexicon | None:
        """The Swedish word list (loaded on first need); None, noted once, when it is missing."""
        if self._words is False:
            from arkivlucka.form import words as form_words

            self._words = form_words.load(form_words.DICTIONARY)
            if self._words is None:
                self.missing_words = True
        return self._words if isinstance(self._words, Lexicon) else None

    def paragraphs(self, raw: str) -> list[str]:
        """Split ``raw`` at blank lines and list items; repair each paragraph into one line."""
        raw = _UNDERSCORES.sub(" ", raw)
        out: list[str] = []
        current: list[str] = []
        for line in [*raw.split("\n"), ""]:
            if current and (
                self.line_paragraphs
                or not line.strip()
                or _BULLET.match(line)
                or self._ends(current[-1])
            ):
                self._flush(current, out)
                current = []
            if line.strip():
                current.append(line.lstrip())
        return out

    def _ends(self, line: str) -> bool:
        """Without blank lines in the text, a short line ending a sentence ends a paragraph."""
        body = line.rstrip()
        return not self.blank_lines and body[-1:] in ".!?:" and len(body) < 0.7 * self.width

    def _flush(self, lines: list[str], out: list[str]) -> None:
        text = lines[0]
        for nxt in lines[1:]:
            text = text.rstrip(" ") + self.join_pair(text, nxt) + nxt
        fixed = tidy(text)
        if fixed:
            out.append(fixed)

    def text(self, raw: str) -> str | None:
        """A multi-paragraph value: paragraphs joined with a newline, or None when empty."""
        paras = self.paragraphs(raw)
        return "\n".join(paras) or None

    def line(self, raw: str) -> str | None:
        """A one-line value (a name, a department): paragraphs joined with a space."""
        paras = self.paragraphs(raw)
        return " ".join(paras) or None


def _last_word(text: str) -> str | None:
    """The characters other than white space that ``text`` ends with (before a final newline).

    What a search for the last word with a pattern finds, without trying it at every offset of
    a long paragraph.
    """
    body = text[:-1] if text.endswith("\n") else text
    return body.rsplit(None, 1)[-1] if body and not body[-1].isspace() else None


def _first_word(text: str) -> str | None:
    """The characters other than white space that ``text`` starts with."""
    return text.split(None, 1)[0] if text and not text[0].isspace() else None


_WHITE = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r" ([,.;:!?)])(?=\s|$)")


def tidy(text: str) -> str:
    """Collapse spaces, close ``IT- säkerhet`` and spaces before punctuation."""
    text = _WHITE.sub(" ", text).strip()
    if "- " in text:
        text = _HYPHEN_SPACE.sub(lambda m: "- " if m.group(1).lower() in _SUSPENDED else "-", text)
    text = _SPACE_BEFORE_MARK.sub(r"\1", text)
    return text.replace("( ", "(")


def email(raw: str) -> str | None:
    """An e-mail address broken over lines or with stray spaces: all whitespace removed."""
    value = re.sub(r"\s+", "", _UNDERSCORES.sub(" ", raw)).strip(":;,.")
    return value or None


def parse_when(text: str) -> datetime | date | str:
    """Read a date with an optional time (Swedish words allowed); return an error text on failure.

    ``2024-02-07 kl. 08:50``, ``(2023-10-19, kl. 16:00)``, ``19 oktober 2023 kl 16.00``.
    A date without a day is refused: nothing is made up.
    """
    shown = re.sub(r"\s+", " ", text).strip()
    plain = _MONTH_RX.sub(lambda m: " " + MONTHS_SV[m.group(1).lower()] + " ", shown)
    plain = _TIME.sub(r" \1:\2 ", _NOISE.sub(" ", plain))
    plain = re.sub(r"\s+", " ", plain).strip()
    if not plain:
        return "no date is filled in"
    iso = _ISO.fullmatch(plain)
    if iso:
        y, mo, d, hh, mi = (int(g) if g else None for g in iso.groups())
        try:
            day = date(y or 0, mo or 0, d or 0)
            if hh is None or mi is None:
                return day
            return datetime(day.year, day.month, day.day, hh, mi)
        except ValueError as exc:
            return f"'{shown}' is not a valid date or time: {exc}"
    try:
        first, second = (dateparser.parse(plain, default=d, dayfirst=True) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return f"'{shown}' is not a date this tool can read (write e.g. 2024-02-07 kl. 08:50)"
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return f"'{shown}' does not give a full date (year, month and day)"
    if not 1900 <= first.year <= 2100:
        return f"'{shown}' has an unlikely year {first.year}"
    if (first.hour, first.minute) != (second.hour, second.minute):
        return first.date()
    return first.replace(second=0, microsecond=0)
