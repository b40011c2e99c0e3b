"""Merge stage: which storage units of a class or series hold the lost record type.

A gap note goes on a storage unit only when the unit holds the records that were lost and
its period overlaps theirs. Whether it holds them:

- by **series**: the unit stands in the series the entry names (a series is one kind of
  records);
- by **content**: the unit says what it holds (Rubrik, Innehåll) and that names the lost
  records (a word of the gap's title or record type, inflected or in a compound:
  ``tidrapporter`` matches ``Registrerade tidrapporter``, not ``Lönelistor``);
- by **class**: a unit that does not say what it holds, in the class the entry names, may
  hold them; nothing tells otherwise.
"""

from __future__ import annotations

import re

from lxml import etree

from arkivlucka.core.text import norm_code
from arkivlucka.inventory.model import q

#: words of a record type that name no records in particular
_STOP = frozenset(
    [
        "och",
        "eller",
        "samt",
        "med",
        "för",
        "från",
        "till",
        "som",
        "ska",
        "inte",
        "detaljer",
        "handlingar",
        "handling",
        "material",
        "producerat",
        "övriga",
        "övrigt",
        "uppgifter",
        "information",
        "diverse",
        "allmänna",
        "elektroniska",
        "filer",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> set[str]:
    """The content words of ``text``, lower case (stop words and short words left out)."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in _STOP}


def _stem(word: str) -> str:
    """A crude Swedish stem: the word without a plural or definite ending."""
    return word[: max(5, len(word) - 3)] if len(word) > 6 else word


def _match(a: str, b: str) -> bool:
    return _stem(a) in b or _stem(b) in a


def names(unit_text: str, record_words: set[str]) -> bool:
    """Whether the unit's description names one of the lost records' words."""
    unit_words = words(unit_text)
    return any(_match(r, u) for r in record_words for u in unit_words)


def _owner(unit: etree._Element) -> etree._Element | None:
    parent = unit.getparent()
    while parent is not None and parent.tag not in (q("Klass"), q("Serie")):
        parent = parent.getparent()
    return parent


def holds_records(unit: etree._Element, serie: str | None, record_words: set[str]) -> bool:
    """Whether ``unit`` holds the lost records (by series, content or class; see above)."""
    owner = _owner(unit)
    if (
        serie
        and owner is not None
        and owner.tag == q("Serie")
        and norm_code(owner.get("Signum") or "") == norm_code(serie)
    ):
        return True
    described = " ".join(unit.findtext(q(tag)) or "" for tag in ("Rubrik", "Innehall")).strip()
    if not described:
        return True
    return names(described, record_words)
