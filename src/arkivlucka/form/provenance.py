"""Form-import stage, provenance read back: where each value of an incident file came from.

``import`` writes a comment above each value it read (``# read from p. 1, l. 14`` or
``# read from l. 14; UNCERTAIN: why``; an edit since marks it ``; EDITED``, ``incident.marks``)
and above each item it proposed from the prose
(``# proposed from "…" (field)``). ``read_provenance`` reads those comments back from the
file's text (no new keys: files without them stay valid and simply have no known source),
and ``field_sources`` says, for each field, its certainty and the form's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from arkivlucka.form.parse import Source
from arkivlucka.incident.contract import value_at
from arkivlucka.incident.marks import READ_COMMENT, comment_above, key_lines

_ITEM = re.compile(r"^[A-Za-z_]+\[\d+\]$")
#: how many lines of the form an excerpt shows at most
EXCERPT_LINES = 4


@dataclass(frozen=True)
class FieldSource:
    """One field's certainty and the form's words it came from (None when not known).

    ``certainty`` is one of ``read`` (read from the form), ``uncertain`` (read, but the
    reading may be wrong: ``reason``), ``estimated`` (a time the form gives as estimated),
    ``proposed`` (read from the prose, to confirm), ``confirmed`` (a proposal confirmed),
    ``edited`` (read from the form, then changed by a person: ``words`` are the form's),
    ``unknown`` (a value whose source the file does not say) or ``missing`` (no value).
    """

    path: str
    certainty: str
    where: str | None = None
    words: str | None = None
    reason: str | None = None


def read_provenance(text: str, file: str = "<incident>") -> dict[str, Source]:
    """Where ``import`` read each value of the incident text, from its ``# read from`` comments.

    A comment counts for the key on the line right below it (further comment lines between
    are allowed). A text that cannot be read as YAML has no known sources.
    """
    from arkivlucka.core.errors import ArkivluckaError
    from arkivlucka.incident.yamlread import parse_text

    if "read from" not in text:
        return {}  # a file without import comments (written by hand): nothing to read
    try:
        tree = parse_text(text, file)
    except ArkivluckaError:
        return {}
    lines = text.split("\n")
    out: dict[str, Source] = {}
    for number, path in sorted(key_lines(tree).items()):
        at = comment_above(lines, number)
        found = READ_COMMENT.match(lines[at]) if at is not None else None
        if found is not None:
            page = int(found["page"]) if found["page"] else None
            out[path] = Source(
                int(found["line"]), page, found["why"] or None, bool(found["edited"])
            )
    return out


def _squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


def excerpt(
    form_lines: Sequence[str], src: Source, value: Any = None
) -> tuple[str | None, str | None]:
    """The form's words at ``src`` and where they are (``l. 16–17``).

    Its line, and the lines after it that the text ``value`` goes on with (at most
    ``EXCERPT_LINES``, up to a blank line).

    The import keeps only the first line of a value, so a following line is shown only when
    its words are in the value (a value broken over lines), never just because it is near.
    ``(None, where)`` when the form's text does not reach the line (or is not at hand).
    """
    if src.line is None:
        return None, None
    first = src.line
    if not 0 < first <= len(form_lines):
        return None, src.where()
    whole = _squeeze(value) if isinstance(value, str) else ""
    taken = [" ".join(form_lines[first - 1].split())]
    for line in form_lines[first : first - 1 + EXCERPT_LINES]:
        words = _squeeze(line)
        if not words or not whole or words not in whole:
            break
        taken.append(" ".join(line.split()))
    last = first + len(taken) - 1
    where = src.where() if last == first else f"{src.where()}–{last}"
    return (" ".join(taken).strip() or None), where


def _item_of(path: str) -> str | None:
    head = path.split(".")[0]
    return head if _ITEM.match(head) else None


def field_sources(
    text: str, data: dict[str, Any], paths: Iterable[str], form_lines: Sequence[str] | None
) -> dict[str, FieldSource]:
    """Each path's certainty and the form's words in the incident ``data`` read from ``text``.

    ``paths`` are fields or items (``lost_records[0]``); what is not known is left out.

    ``form_lines``: the lines of the form it was imported from (``read_form``), or None when
    the form is not at hand (the location is still given). Nothing is guessed: a value the
    file gives no source for is ``unknown``.
    """
    from arkivlucka.incident.edit import proposal_sources

    read = read_provenance(text)
    proposals = proposal_sources(text)
    out = {}
    for path in paths:
        out[path] = _one(path, data, read, proposals, form_lines or ())
    return out


def _one(
    path: str,
    data: dict[str, Any],
    read: dict[str, Source],
    proposals: dict[str, str],
    form_lines: Sequence[str],
) -> FieldSource:
    value = value_at(data, path)
    if value is None or value == "":
        return FieldSource(path, "missing")
    item = _item_of(path)
    if item is not None and item in proposals:
        proposed = value_at(data, f"{item}.proposed") is True
        return FieldSource(path, "proposed" if proposed else "confirmed", words=proposals[item])
    src = read.get(path) or _enclosing(path, read)
    head = path.split(".")[0]
    estimated = (
        head in ("occurred", "discovered")
        and isinstance(data.get(head), dict)
        and data[head].get("precision") not in (None, "exact")
    )
    if src is None:
        return FieldSource(path, "estimated" if estimated else "unknown")
    if src.edited:  # the form's words at the place, not those of the value (it was changed)
        words, where = excerpt(form_lines, src)
        return FieldSource(path, "edited", where, words)
    words, where = excerpt(form_lines, src, value)
    certainty = "uncertain" if src.uncertain else ("estimated" if estimated else "read")
    return FieldSource(path, certainty, where, words, src.uncertain)


def _enclosing(path: str, read: dict[str, Source]) -> Source | None:
    """The source of a time's precision is that of its time (``occurred.at``)."""
    if path.endswith(".precision"):
        return read.get(path.removesuffix(".precision") + ".at")
    return None
