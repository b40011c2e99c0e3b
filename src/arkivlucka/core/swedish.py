"""Core Swedish wording helpers, shared by the stages that write Swedish text.

Dates in words, facts as phrases inside a sentence, and lists joined with "och". The
entries' prose and the retention assessment both build on these; neither owns them.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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
    text = " ".join(text.split())  # the same as re.sub(r"\s+", " ", text).strip(), faster
    if not text or text[-1] not in ".,;:":  # nothing for _END to take (the common case)
        return text
    return _END.sub("", text).rstrip() or text


def join(items: list[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


#: word endings of a role that already is in the definite form
_DEFINITE = re.compile(r"(?:ien|aren|eren|orn|arn|ern|en|an)$")


def genitive(name: str) -> str:
    """The genitive of a name: ``Kommunstyrelsen`` → ``Kommunstyrelsens``.

    Swedish adds ``s`` to the last word, except after ``s``, ``x`` or ``z``, where nothing
    is added (``Miljöförvaltningens``, but ``Ungdomsrådets`` and ``Vård & omsorgs``).
    """
    name = name.strip()
    if not name or name[-1].lower() in "sxz" or not name[-1].isalpha():
        return name
    return name + "s"


def definite_role(role: str) -> str:
    """A role in the definite form for ``av ...``: ``kommunarkivarie`` → ``kommunarkivarien``.

    Only the first word (the head noun) is inflected, so ``arkivarie vid kommunarkivet``
    becomes ``arkivarien vid kommunarkivet``. A word that is already definite
    (``Kommunarkivarien``) only loses its capital; an abbreviation (``CISO``) or a word
    with digits is left as it is, and so is an adjective used as a noun (``arkivansvarig``),
    whose definite form depends on what it refers to.
    """
    role = re.sub(r"\s+", " ", role).strip()
    head, sep, rest = role.partition(" ")
    prefix, dash, last = head.rpartition("-")
    if not last.isalpha() or not last[1:].islower():
        return role  # CISO, IT-CISO, a code: not a noun to inflect
    if not prefix and last[:1].isupper():
        last = last[:1].lower() + last[1:]  # Kommunarkivarie(n) → kommunarkivarie(n)
    if last.endswith(("ig", "isk")):
        return prefix + dash + last + sep + rest
    if not _DEFINITE.search(last):
        if last.endswith(("e", "er", "el", "or")):
            last += "n"
        else:
            last += "en"
    return prefix + dash + last + sep + rest


def clock(at: datetime) -> str:
    """``kl. 02.40``: the Swedish way of writing a clock time in running text."""
    return f"kl. {at.hour:02d}.{at.minute:02d}"
