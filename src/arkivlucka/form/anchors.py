"""Parse-form stage, anchors: where each label, heading and unknown label stands in the text.

A label counts at the start of a line (after an optional section number), or — for the
labels marked ``anywhere`` — mid-line after a space, before a capital. A bilingual label
("Förvaltning / Department") is one anchor. A numbered section heading ("5. Omfattning och
värdering") is an anchor that only ends the field before it. What looks like a label but is
not on the list ("Rapporterad av:", "Berörd part:") after a one-line field or a choice
group is an *unknown* anchor: it ends that field, and ``parse_form`` reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arkivlucka.form.boxes import CHOICES, GLYPH
from arkivlucka.form.labels import (
    LABELS,
    UNKNOWN,
    Label,
    is_heading,
    label_key,
    ocr_tolerant,
    pair_end,
)

HEADING_LABEL = Label("-heading", "", wanted=False)
UNKNOWN_LABEL = Label("?unknown", "", wanted=False)
AGAIN_LABEL = Label("?again", "", wanted=False)  # a second label of a field already found
_HEADING_WORDS = re.compile(
    r"\b(?:uppgifter|omfattning|övrigt|tidpunkt\w*|konsekvens\w*|åtgärd\w*|beskrivning\w*|"
    r"kontaktuppgifter|händelse\w*|incident\w*|kategori\w*|bedömning\w*|underskrift|anmälan|"
    r"rapportör\w*|värdering|personuppgift\w*|allmänt|bakgrund|inledning|details|contact|"
    r"information|informationen|general|other|signature|assessment)\b",
    re.I,
)
_OPTION_WORDS = {w.lower() for group in CHOICES.values() for ws in group.values() for w in ws}
# fields whose value is one line or one choice: an unknown label in them ends them
_SHORT = {"reference", "organisation", "board", "department", "unit", "name", "title", "email",
          "kind", "status", "discovered", "occurred", "disruption", "business_critical",
          "restored", "police_report", "personal_data_risk", "affected_records",
          "affected_persons", "+report"}  # fmt: skip


def _alternatives(anywhere_only: bool) -> str:
    return "|".join(
        f"(?P<g{i}>{ocr_tolerant(lab.pattern)})"
        for i, lab in enumerate(LABELS)
        if lab.anywhere or not anywhere_only
    )


# a label stands at the start of a line, or (some) mid-line after a space with a capital
_AT_START = re.compile(
    rf"^(?:\d{{1,2}}(?:\.\d{{1,2}})*[.)]?\s+)?(?:{_alternatives(False)})(?![\w-])", re.I | re.M
)
_MID_LINE = re.compile(rf"(?<= )(?=(?-i:[A-ZÅÄÖÉ]))(?:{_alternatives(True)})(?![\w-])", re.I)
# each label alone: at a place where one matched, every label is tried, the longest credible wins
_EACH = [
    re.compile(
        rf"(?:\d{{1,2}}(?:\.\d{{1,2}})*[.)]?\s+)?(?:{ocr_tolerant(lab.pattern)})(?![\w-])", re.I
    )
    for lab in LABELS
]


@dataclass
class Anchor:
    """A label found in the text, and the text up to the next label."""

    label: Label
    start: int
    end: int
    line: int
    value: str = ""
    tight: bool = False  # mid-line after a single space: where the value before ends is a guess


def find_anchors(text: str) -> list[Anchor]:
    """Locate each label's first credible place; every value runs to the next anchor."""
    found: list[Anchor] = []
    seen: set[str] = set()
    matches = sorted(
        [*_AT_START.finditer(text), *_MID_LINE.finditer(text)], key=lambda m: m.start()
    )
    done: set[int] = set()
    for first in matches:
        if first.start() in done:
            continue
        done.add(first.start())
        picked = _best(text, first.start(), seen)
        if picked is None:
            continue
        lab, mt = picked
        if not lab.key.startswith("+"):
            seen.add(lab.key)
        end = pair_end(text, mt.end(), lab.key)
        before = text[text.rfind("\n", 0, mt.start()) + 1 : mt.start()]
        tight = bool(before.strip()) and not before.endswith("  ") and text[end : end + 1] != ":"
        found.append(Anchor(lab, mt.start(), end, _line(text, mt.start()), tight=tight))
    found += _headings(text, found)
    anchors = _no_overlaps(found)
    _fill(text, anchors)
    extra = _unknown(text, anchors)
    if extra:
        anchors = _no_overlaps(anchors + extra)
        _fill(text, anchors)
    return anchors


def _best(text: str, pos: int, seen: set[str]) -> tuple[Label, re.Match[str]] | None:
    """The longest credible label starting at ``pos`` whose field is not found yet."""
    best: tuple[Label, re.Match[str]] | None = None
    for lab, rx in zip(LABELS, _EACH, strict=True):
        mt = rx.match(text, pos)
        if mt is None or lab.key in seen or not _credible(text, mt, lab):
            continue
        if best is None or mt.end() > best[1].end():
            best = (lab, mt)
    return best


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _no_overlaps(found: list[Anchor]) -> list[Anchor]:
    found.sort(key=lambda a: (a.start, -a.end))
    anchors: list[Anchor] = []
    for a in found:
        if anchors and a.start < anchors[-1].end:
            continue
        anchors.append(a)
    return anchors


def _fill(text: str, anchors: list[Anchor]) -> None:
    for a, nxt in zip(anchors, [*anchors[1:], None], strict=False):
        a.value = text[a.end : nxt.start if nxt else len(text)]


def _headings(text: str, labels: list[Anchor]) -> list[Anchor]:
    """Numbered section headings: a known heading word, or a label on the next line."""
    starts = {a.line for a in labels}
    out = []
    pos = 0
    lines = text.split("\n")
    for n, line in enumerate(lines, start=1):
        if is_heading(line) and n not in starts:
            nxt = next(
                (k for k in range(n + 1, min(n + 4, len(lines) + 1)) if lines[k - 1].strip()), 0
            )
            if _HEADING_WORDS.search(line) or nxt in starts:
                body = line.strip()
                start = pos + line.index(body)
                out.append(Anchor(HEADING_LABEL, start, start + len(body), n))
        pos += len(line) + 1
    return out


def _unknown(text: str, anchors: list[Anchor]) -> list[Anchor]:
    """Label-like phrases not on the list, inside one-line fields and choice groups."""
    out = []
    for a in anchors:
        if a.label.key not in _SHORT:
            continue
        for mt in UNKNOWN.finditer(a.value):
            label = mt.group("label")
            if label.lower() in _OPTION_WORDS:
                continue
            before = a.value[: mt.start()]
            if GLYPH.search(before[-3:]) or re.search(r"\bkl\.?\s*$", before, re.I):
                continue
            start = a.end + mt.start("label")
            kind = UNKNOWN_LABEL if label_key(label) is None else AGAIN_LABEL
            out.append(Anchor(kind, start, a.end + mt.end(), _line(text, start)))
            break
    return out


def _credible(text: str, mt: re.Match[str], lab: Label) -> bool:
    line_start = text.rfind("\n", 0, mt.start()) + 1
    before = text[line_start : mt.start()]
    line_end = text.find("\n", mt.end())
    rest = text[mt.end() : line_end if line_end >= 0 else len(text)].strip()
    if before.strip():
        if not (lab.anywhere and mt.group(0)[0].isupper() and before.endswith(" ")):
            return False
        if GLYPH.search(before[-3:]):  # a checkbox option, not a label
            return False
    if lab.key == "+categories":
        return not rest or rest[0] in ":/|("
    if lab.anywhere:
        return True
    return (
        not rest
        or rest[0] in ":(*/|"
        or rest[0].isupper()
        or rest[0].isdigit()
        or bool(GLYPH.match(rest))
    )
