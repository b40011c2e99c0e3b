"""Read stage helpers: the enum values of the incident contract, in English and in Swedish.

An archivist types the form's own words ("konstaterad", "avslutad", "mycket stor"); they
are read as the contract's English values, with or without å/ä/ö and in any case.
"""

from __future__ import annotations

import re

ENUMS: dict[str, tuple[str, ...]] = {
    "kind": ("confirmed", "suspected"),
    "status": ("ongoing", "aborted", "closed"),
    "precision": ("exact", "estimated"),
    "disruption": ("limited", "large", "very_large", "unknown"),
    "personal_data_risk": ("yes", "no", "unknown"),
    "extent": ("complete", "partial", "unknown"),
}
#: the Swedish words an archivist types for each enum value (the form's own labels)
SWEDISH: dict[str, dict[str, str]] = {
    "kind": {"konstaterad": "confirmed", "misstänkt": "suspected"},
    "status": {"pågående": "ongoing", "avbruten": "aborted", "avslutad": "closed"},
    "precision": {"exakt": "exact", "uppskattad": "estimated"},
    "disruption": {
        "begränsad": "limited", "stor": "large", "mycket stor": "very_large", "okänd": "unknown",
    },
    "personal_data_risk": {"ja": "yes", "nej": "no", "okänd": "unknown", "kan ej bedömas": "unknown"},
    "extent": {"helt": "complete", "delvis": "partial", "okänd": "unknown", "okänt": "unknown"},
}  # fmt: skip


def _enum_words(word: str) -> str:
    """``Mycket-stor``, ``mycket_stor`` → ``mycket stor``; å/ä/ö kept for the lookup below."""
    return re.sub(r"[\s_-]+", " ", word.strip().lower())


def _ascii(word: str) -> str:
    return word.translate(str.maketrans("åäö", "aao"))


def _swedish_value(value: str, swedish: dict[str, str]) -> str | None:
    """The English value a Swedish word stands for, with or without å/ä/ö; None if none."""
    word = _enum_words(value)
    for sv, en in swedish.items():
        if word in (sv, _ascii(sv)) or _ascii(word) == _ascii(sv):
            return en
    english = {en.replace("_", " "): en for en in swedish.values()}
    return english.get(word)


def read_enum(kind: str, value: str) -> str | None:
    """The contract value ``value`` stands for (English or Swedish), or None."""
    if value in ENUMS[kind]:
        return value
    return _swedish_value(value, SWEDISH[kind])


def choices(kind: str) -> str:
    """The allowed values with their Swedish words: ``ongoing (pågående), ...``."""
    swedish = SWEDISH[kind]
    return ", ".join(
        f"{v} ({'/'.join(sv for sv, en in swedish.items() if en == v)})" for v in ENUMS[kind]
    )
