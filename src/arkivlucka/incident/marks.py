"""Edit stage, provenance comments: what ``import`` wrote about each value stays true after edits.

``import`` writes ``# read from p. 1, l. 14`` (with ``; UNCERTAIN: why`` when the reading may
be wrong) above each value it read from the form. When a person changes such a value, the
comment would go on saying the value was read from the form; when a value is removed, its
comment would stay above the next key and say that key was read there. So an edit marks the
comment of a changed value ``; EDITED`` (the form's place is kept, so its words can still be
shown beside the new value; the doubt is dropped: a person set the value), and removes the
comment of a removed value before the file is rewritten.
"""

from __future__ import annotations

import re
from typing import Any

#: an ``import`` comment: where a value was read, whether the reading is doubtful, edited since
READ_COMMENT = re.compile(
    r"^(?P<head>\s*#\s*read from (?:p\. (?P<page>\d+), )?l\. (?P<line>\d+))"
    r"(?:; UNCERTAIN: (?P<why>.*?))?(?P<edited>; EDITED)?\s*$"
)
EDITED = "; EDITED"


def key_lines(node: Any, prefix: str = "", out: dict[int, str] | None = None) -> dict[int, str]:
    """The line of every key (and of every item) of a parsed incident tree, to its path."""
    from arkivlucka.incident.yamltree import Map, Seq

    out = {} if out is None else out
    if isinstance(node, Map):
        for key, value in node.items.items():
            path = f"{prefix}.{key}" if prefix else key
            line = node.key_lines.get(key)
            if line is not None:
                out.setdefault(line, path)
            key_lines(value, path, out)
    elif isinstance(node, Seq):
        for i, item in enumerate(node.items):
            path = f"{prefix}[{i}]"
            line = getattr(item, "line", None)
            if line is not None:
                out.setdefault(line, path)  # the item's line (its first key shares it)
            key_lines(item, path, out)
    return out


def comment_above(lines: list[str], number: int) -> int | None:
    """The index in ``lines`` of the ``# read from`` comment above line ``number`` (1-based).

    The comment may be separated from its key by further comment lines, not by anything else.
    """
    at = number - 2
    while at >= 0 and lines[at].lstrip().startswith("#"):
        if READ_COMMENT.match(lines[at]):
            return at
        at -= 1
    return None


def _comments_of(text: str, paths: set[str]) -> tuple[list[str], dict[str, int]]:
    """The lines of ``text`` and, per path in ``paths``, the index of its ``read from`` comment."""
    from arkivlucka.core.errors import ArkivluckaError
    from arkivlucka.incident.yamlread import parse_text

    lines = text.split("\n")
    try:
        tree = parse_text(text, "<incident>")
    except ArkivluckaError:
        return lines, {}
    found = {}
    for number, path in key_lines(tree).items():
        if path in paths and (at := comment_above(lines, number)) is not None:
            found[path] = at
    return lines, found


def drop_comments(text: str, paths: set[str]) -> str:
    """``text`` without the ``# read from`` comments of the values at ``paths``."""
    if not paths or "read from" not in text:
        return text
    lines, found = _comments_of(text, paths)
    for at in sorted(found.values(), reverse=True):
        del lines[at]
    return "\n".join(lines)


def mark_edited(text: str, paths: set[str]) -> str:
    """``text`` with the ``# read from`` comments of the values at ``paths`` marked edited."""
    if not paths or "read from" not in text:
        return text
    lines, found = _comments_of(text, paths)
    for at in found.values():
        match = READ_COMMENT.match(lines[at])
        if match is not None and not match.group("edited"):
            lines[at] = match.group("head") + EDITED
    return "\n".join(lines)
