"""Core text helpers: XML-safe characters, stable identifiers, values quoted in messages."""

from __future__ import annotations

import re
import unicodedata

#: characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_unsafe(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, or None."""
    bad = NOT_XML.search(text)
    return bad.group() if bad else None


#: letters that do not decompose into a base letter and accents
_SLUG_TABLE = str.maketrans({"æ": "ae", "ø": "o", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})


def slug(text: str) -> str:
    """Return a stable ASCII identifier for ``text`` (å/ä→a, ö→o, é→e, æ→ae, others dropped).

    Accents are removed after canonical decomposition, so a precomposed å and an a followed
    by a combining ring (as macOS writes file names) give the same identifier.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SLUG_TABLE))
    lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")[:60].strip("-")


def shown(value: str, limit: int = 60) -> str:
    """``value`` cut to ``limit`` characters (with …) for quoting in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def norm_code(code: str) -> str:
    """A class code, signum or plan code for comparison: no case, spaces or trailing dot."""
    return re.sub(r"\s+", "", code).casefold().rstrip(".")


def loose(text: str) -> str:
    """``text`` for comparison by words: runs of white space as one space, no case."""
    return " ".join(text.split()).casefold()
