"""Edit stage, in memory: ``set`` edits applied to a parsed node tree (nothing written).

``edit_tree`` gives the tree the file would have after ``apply_edits`` and a re-read, without
the round-trip YAML library's slow read and write of the whole file (what a live preview of
unsaved edits needs on every keystroke). Each new value is written by ``apply_edits`` and
read back on its own, so its type and text are exactly those the file would hold; it keeps
the line of the value it replaces (a new key: the line of its mapping).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import error
from arkivlucka.incident.edit import Edit, _steps, apply_edits
from arkivlucka.incident.yamltree import Map, Node, Scalar, Seq


def _value_node(value: Any, line: int | None, file: str) -> Node:
    """``value`` as ``apply_edits`` writes it, read back by the strict reader."""
    from arkivlucka.incident.yamlread import parse_text

    text = apply_edits("v: x\n", [Edit("set", "v", value)], file)
    node = parse_text(text, file)
    assert isinstance(node, Map)
    out: Node = node.items["v"]
    if isinstance(out, Scalar):
        out.line = line
    return out


def _bad(edit: Edit, file: str, why: str) -> OutputError:
    return OutputError(
        f"{file}: cannot apply the change to {edit.path}",
        [error("edit-bad-path", f"{edit.path}: no such field ({why})", file=file, path=edit.path)],
    )


def _set(root: Node, edit: Edit, file: str) -> None:
    steps = _steps(edit.path)
    *head, last = steps
    remove = edit.value is None or edit.value == ""
    node: Node = root
    for step in head:
        if isinstance(step, int):
            if not isinstance(node, Seq) or step >= len(node.items):
                raise _bad(edit, file, f"no item {step}")
            node = node.items[step]
            continue
        if not isinstance(node, Map):
            raise _bad(edit, file, f"{step} is not in a mapping")
        child = node.items.get(step)
        if child is None or (isinstance(child, Scalar) and child.value is None):
            if remove:
                return
            child = Map({}, node.line)
            node.items[step], node.key_lines[step] = child, node.line
        node = child
    if isinstance(last, int):
        if not isinstance(node, Seq) or last >= len(node.items):
            raise _bad(edit, file, f"no item {last}")
        node.items[last] = _value_node(edit.value, getattr(node.items[last], "line", None), file)
        return
    if not isinstance(node, Map):
        raise _bad(edit, file, f"{last} is not in a mapping")
    if remove:
        node.items.pop(last, None)
        node.key_lines.pop(last, None)
        return
    old = node.items.get(last)
    line = getattr(old, "line", None) if old is not None else node.line
    node.items[last] = _value_node(edit.value, line, file)
    node.key_lines.setdefault(last, line)


def edit_tree(tree: Node, edits: Iterable[Edit], file: str = "<incident>") -> Node:
    """Apply ``set`` edits to ``tree`` in place and return it; other edits raise ``ValueError``.

    Raises ``OutputError`` (``edit-bad-path``) for a path the tree cannot hold, as
    ``apply_edits`` does.
    """
    for edit in edits:
        if edit.op != "set":
            raise ValueError(f"edit_tree applies set edits only, not {edit.op}")
        _set(tree, edit, file)
    return tree
