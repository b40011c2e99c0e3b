"""Parse-form stage, checkboxes: which boxes are checked in a group, and their options.

A box may be printed before its option (``☒Nej``) or after it (``Exakt tid ☒``); the
reading that matches more of the group's known options wins.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from arkivlucka.form.read import CHECKED, UNCHECKED
from arkivlucka.form.repair import tidy

GLYPH = re.compile(f"[{CHECKED}{UNCHECKED}]")

#: one-choice checkbox groups: value → the option wordings it may be printed as
CHOICES: dict[str, dict[Any, tuple[str, ...]]] = {
    "kind": {"confirmed": ("Konstaterad incident", "Konstaterad", "Confirmed incident", "Confirmed"), "suspected": ("Misstänkt incident", "Misstänkt", "Suspected incident", "Suspected")},
    "status": {"ongoing": ("Pågående", "Ongoing"), "aborted": ("Avbruten", "Aborted"), "closed": ("Avslutad", "Closed")},
    "precision": {"estimated": ("Uppskattad tid", "Uppskattad", "Estimated time", "Estimated"), "exact": ("Exakt tid", "Exakt", "Exact time", "Exact")},
    "disruption": {"limited": ("Begränsad", "Liten", "Limited"), "large": ("Stor", "Large"), "very_large": ("Mycket stor", "Very large"), "unknown": ("Okänd", "Unknown")},
    "yesno": {True: ("Ja", "Yes"), False: ("Nej", "No")},
    "restored": {True: ("Återställt", "Återställd", "Helt återställt", "Ja", "Restored", "Yes"), False: ("Ej återställt", "Inte återställt", "Ej återställd", "Nej", "Not restored", "No"), "partial": ("Delvis återställt", "Delvis återställd", "Delvis", "Partially restored", "Partly restored")},
    "risk": {"yes": ("Ja", "Yes"), "no": ("Nej", "No"), "unknown": ("Risken kan ej bedömas", "Risken kan inte bedömas", "Kan ej bedömas", "Vet ej", "Cannot be assessed")},
}  # fmt: skip


def choose(raw: str, group: str, note: Any) -> Any:
    """Read a one-choice checkbox group; report no box, several boxes, or no options."""
    picked = checked_options(raw, CHOICES[group])
    if picked is None:
        word = word_choice(raw, CHOICES[group])
        if word is not _NONE:
            return word
        note("checkbox-unreadable", "no checkboxes with the expected options were found")
        return None
    if not picked:
        note("checkbox-empty", "no box is checked")
        return None
    if len(set(picked)) > 1:
        shown = ", ".join(_first(CHOICES[group][v]) for v in picked)
        note("checkbox-conflict", f"several boxes are checked in a one-choice group ({shown})")
        return None
    return picked[0]


def word_choice(raw: str, options: dict[Any, tuple[str, ...]]) -> Any:
    """The option a value names as a word, without boxes ("Ja", "Delvis återställt")."""
    first = _norm(next((ln for ln in raw.split("\n") if ln.strip()), "").strip(" ,;"))
    for value, words in options.items():
        if first and any(_norm(w) == first for w in words):
            return value
    return _NONE


def _first(options: tuple[str, ...]) -> str:
    return options[0]


def checked_options(raw: str, options: dict[Any, tuple[str, ...]]) -> list[Any] | None:
    """The values whose box is checked, or None when no option with a box is found.

    The box may stand before its option (``☒Nej``) or after it (``Exakt tid ☒``); the
    reading that matches more options wins.
    """
    parts = GLYPH.split(raw)
    glyphs = GLYPH.findall(raw)
    if not glyphs:
        return None
    texts = [_norm(p) for p in parts]
    best: list[tuple[Any, bool]] = []
    for owned, after in ((texts[1:], False), (texts[:-1], True)):  # box before / after option
        got = []
        for glyph, text in zip(glyphs, owned, strict=True):
            value = _match(text, options, after)
            if value is not _NONE:
                got.append((value, glyph == CHECKED))
        if len(got) > len(best):
            best = got
    if not best:
        return None
    return [value for value, on in best if on]


_NONE = object()


def _match(text: str, options: dict[Any, tuple[str, ...]], after: bool) -> Any:
    hits = []
    for value, words in options.items():
        for word in words:
            w = _norm(word)
            ok = (
                text == w or text.endswith(" " + w)
                if after
                else text == w or text.startswith(w + " ")
            )
            if ok:
                hits.append((len(w), value))
    return max(hits, key=lambda h: h[0])[1] if hits else _NONE


_PUNCT = str.maketrans("_:?.,;", "      ")


_MARKS = str.maketrans("åäöÅÄÖ", "aaoAAO")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    """An option's text for comparing: no punctuation, spaces folded, lower case.

    å/ä/ö count as a/a/o (OCR drops the marks; no two options differ only by them).
    """
    return " ".join(text.translate(_PUNCT).translate(_MARKS).split()).lower()


def categories(sections: list[str]) -> list[str]:
    """Every checked box in the category sections' text, labelled as printed."""
    out: list[str] = []
    for section in sections:
        lines = section.split("\n")
        for i, line in enumerate(lines):
            if not GLYPH.search(line):
                continue
            body = line.strip()
            parts = GLYPH.split(body)
            glyphs = GLYPH.findall(body)
            owned = parts[1:] if body[0] in (CHECKED, UNCHECKED) else parts[:-1]
            for j, (glyph, label) in enumerate(zip(glyphs, owned, strict=True)):
                nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
                last = j == len(glyphs) - 1 and body[0] in (CHECKED, UNCHECKED)
                if (
                    last
                    and nxt
                    and not GLYPH.search(nxt)
                    and (not label.strip() or nxt[0].islower())
                ):
                    label = f"{label} {nxt}"
                name = tidy(re.sub(r"_+", " ", label)).rstrip(":").strip()
                if glyph == CHECKED and name and name not in out:
                    out.append(name)
    return out
