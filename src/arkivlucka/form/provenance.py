"""Form-import stage, provenance read back: where each value of an incident file came from.

``import`` writes a comment above each value it read (``# read from p. 1, l. 14`` or
``# read from l. 14; UNCERTAIN: why``) and above each item it proposed from the prose
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

_READ = re.compile(r"^\s*#\s*read from (?:p\. (\d+), )?l\. (\d+)(?:; UNCERTAIN: (.*))?\s*$")
_ITEM = re.compile(r"^[A-Za-z_]+\[\d+\]$")
#: how many lines of the form an excerpt shows at most
EXCERPT_LINES = 4


@dataclass(frozen=True)
class FieldSource:
    """One field's certainty and the form's words it came from (None when not known).

    ``certainty`` is one of ``read`` (read from the form), ``uncertain`` (read, but the
    reading may be wrong: ``reason``), ``estimated`` (a time the form gives as estimated),
    ``proposed`` (read from the prose, to confirm), ``confirmed`` (a proposal confirmed),
    ``unknown`` (a value whose source the file does not say) or ``missing`` (no value).
    """

    path: str
    certainty: str
    where: str | None = None
    words: str | None = None
    reason: str | None = None


def _paths(node: Any, prefix: str, out: dict[int, str]) -> None:
    """Map the line of every key (and of every item) below ``node`` to its path."""
    from arkivlucka.incident.yamltree import Map, Seq

    if isinstance(node, Map):
        for key, value in node.items.items():
            path = f"{prefix}.{key}" if prefix else key
            line = node.key_lines.get(key)
            if line is not None:
                out.setdefault(line, path)
            _paths(value, path, out)
    elif isinstance(node, Seq):
        for i, item in enumerate(node.items):
            path = f"{prefix}[{i}]"
            line = getattr(item, "line", None)
            if line is not None:
                out.setdefault(line, path)  # the item's line (its first key shares it)
            _paths(item, path, out)


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
    lines_to_paths: dict[int, str] = {}
    _paths(tree, "", lines_to_paths)
    lines = text.splitlines()
    out: dict[str, Source] = {}
    for number, line in enumerate(lines, 1):
        found = _READ.match(line)
        if not found:
            continue
        below = number + 1
        while below <= len(lines) and lines[below - 1].lstrip().startswith("#"):
            below += 1
        path = lines_to_paths.get(below)
        if path is not None and path not in out:
            page = int(found.group(1)) if found.group(1) else None
            out[path] = Source(int(found.group(2)), page, found.group(3) or None)
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
    words, where = excerpt(form_lines, src, value)
    certainty = "uncertain" if src.uncertain else ("estimated" if estimated else "read")
    return FieldSource(path, certainty, where, words, src.uncertain)


def _enclosing(path: str, read: dict[str, Source]) -> Source | None:
    """The source of a time's precision is that of its time (``occurred.at``)."""
    if path.endswith(".precision"):
        return read.get(path.removesuffix(".precision") + ".at")
    return None
