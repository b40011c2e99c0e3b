"""Edit stage: change an incident file in place, keeping its comments and key order.

The file stays the one source of truth: an edit reads it with a round-trip YAML parser
(ruamel.yaml), changes only the values named, and writes it back atomically. Each edit
names the version of the file it was made against (``sha256`` of its bytes); a file that
changed on disk since then is refused (``FileChangedError``) and nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from arkivlucka.core.errors import OutputError
from arkivlucka.core.findings import error
from arkivlucka.files.read import TooLarge, cannot_read, read_capped, too_large
from arkivlucka.incident.dump import ORDER
from arkivlucka.incident.yamltree import MAX_BYTES

Op = Literal["set", "confirm", "reject", "append"]
_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
_SOURCE = re.compile(r'^\s*#\s*proposed from "(.*)" \(([a-z_]+)\)\s*$')


class FileChangedError(OutputError):
    """The incident file changed on disk since it was read; nothing was written."""

    code = "file-changed"


@dataclass(frozen=True)
class Snapshot:
    """The text of an incident file and the ``sha256`` of its bytes, as read."""

    file: str
    text: str
    sha256: str


@dataclass(frozen=True)
class Edit:
    """One change to an incident file, at a contract path.

    ``set`` a value (``None`` removes the key), ``confirm`` or ``reject`` a proposal (``path``
    is the item, e.g. ``lost_records[2]``), ``append`` an item to a list.
    """

    op: Op
    path: str
    value: Any = None


def sha256_of(data: bytes) -> str:
    """The hex ``sha256`` of ``data``."""
    return hashlib.sha256(data).hexdigest()


def read_snapshot(path: str | Path) -> Snapshot:
    """Read an incident file for editing: its text and version."""
    name = str(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except TooLarge as exc:
        raise too_large(name, exc, "incident-too-large") from None
    except OSError as exc:
        raise cannot_read(name, exc) from None
    return Snapshot(name, data.decode("utf-8"), sha256_of(data))


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 92
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _steps(path: str) -> list[str | int]:
    out: list[str | int] = []
    for key, index in _STEP.findall(path):
        out.append(key if key else int(index))
    if not out:
        raise ValueError(f"not a field path: {path!r}")
    return out


def _section(steps: list[str | int]) -> str:
    """The ``ORDER`` section a map at the end of ``steps`` belongs to."""
    names = [s for s in steps if isinstance(s, str)]
    return names[-1] if names else ""


def _scalar(value: Any, old: Any) -> Any:
    """``value`` as YAML will write it so that the strict loader reads back the same."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        SingleQuotedScalarString,
    )

    if not isinstance(value, str):
        return value
    if isinstance(old, FoldedScalarString) or ("\n" in value or len(value) > 80):
        return FoldedScalarString(value.strip()) if value.strip() else value
    if isinstance(old, DoubleQuotedScalarString | SingleQuotedScalarString):
        return type(old)(value)  # the file's own quoting is kept
    import yaml

    try:
        same = yaml.safe_load(value) == value
    except yaml.YAMLError:
        same = False
    return value if same and value.strip() == value else DoubleQuotedScalarString(value)


def _insert(mapping: Any, key: str, value: Any, section: str) -> None:
    """Set ``key`` in ``mapping``; a new key goes where the contract order puts it."""
    if key in mapping:
        mapping[key] = _scalar(value, mapping[key])
        return
    order = ORDER.get(section, ())
    after = order[order.index(key) + 1 :] if key in order else ()
    keys = list(mapping)
    pos = next((i for i, k in enumerate(keys) if k in after), len(keys))
    mapping.insert(pos, key, _scalar(value, None))


def _container(root: Any, steps: list[str | int], create: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = root
    for i, step in enumerate(steps):
        if isinstance(step, int):
            node = node[step]
            continue
        if step not in node or node[step] is None:
            if not create:
                return None
            _insert(node, step, CommentedMap(), _section(steps[:i]))
        node = node[step]
    return node


def _plain(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _plain(v)
        return out
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        return CommentedSeq([_plain(v) for v in value])
    return value


def _trailing(node: Any) -> tuple[Any, Any]:
    """The last key of a mapping item and the comment after its value (what follows it)."""
    if not hasattr(node, "ca") or not hasattr(node, "keys") or not node:
        return None, None
    key = list(node)[-1]
    entry = node.ca.items.get(key)
    return key, entry


def _delete_key(mapping: Any, key: str) -> None:
    """Delete ``key``; the comment after its value (about what follows) moves up, not away.

    ruamel keeps a comment line with the value before it: the comment above the next key is
    the deleted key's. It goes after the previous value (the deepest last one of a nested
    mapping), after whatever comment is there already.
    """
    keys = list(mapping)
    at = keys.index(key)
    comment = _after(mapping.ca.items.pop(key, None))
    if comment is None:  # a nested mapping's comment is with its deepest last value
        holder, last = _trailing_deep(mapping, upto=key)
        if holder is not None and holder is not mapping:
            comment = _after(holder.ca.items.get(last))
    del mapping[key]
    if comment is None or at == 0:
        return
    holder, last = _trailing_deep(mapping, upto=keys[at - 1])
    if holder is None or last is None:
        return
    mine = holder.ca.items.get(last)
    if _after(mine) is not None:
        import copy

        merged = copy.copy(mine[2])
        merged.value = mine[2].value + comment.value.lstrip("\n")
        mine[2] = merged
    else:
        holder.ca.items[last] = [None, None, comment, None]


def _after(entry: Any) -> Any:
    """The comment after a value in ruamel's comment entry for its key (None when none)."""
    return entry[2] if entry is not None and len(entry) > 2 else None


def _trailing_deep(mapping: Any, upto: str | None = None) -> tuple[Any, Any]:
    """The mapping and key whose value ends where ``upto``'s value ends (the last key)."""
    key = upto if upto is not None else (list(mapping)[-1] if mapping else None)
    if key is None:
        return None, None
    value = mapping[key]
    if hasattr(value, "ca") and hasattr(value, "keys") and value:
        return _trailing_deep(value)
    if hasattr(value, "ca"):  # a sequence: its comments are its items' (left as they are)
        return None, None
    return mapping, key


def _delete_item(seq: Any, index: int, owner: Any, name: str) -> None:
    """Delete an item; the comment about the next item stays before the next item."""
    _, after = _trailing(seq[index])
    if index == 0:
        token = None
        if after is not None and after[2] is not None and len(seq) > 1:
            import copy

            token = copy.copy(after[2])
            token.value = token.value.lstrip()
        for holder in (seq.ca.comment, owner.ca.items.get(name)):
            if holder:
                holder[-1] = [token] if token is not None else None
        del seq[index]
        return
    if index > 0:
        key, _ = _trailing(seq[index - 1])
        if key is not None and not hasattr(seq[index - 1][key], "ca"):
            if after is None:
                seq[index - 1].ca.items.pop(key, None)
            else:
                seq[index - 1].ca.items[key] = after
    del seq[index]


def _apply(root: Any, edit: Edit) -> None:
    steps = _steps(edit.path)
    *head, last = steps
    if edit.op == "set":
        if edit.value is None or edit.value == "":
            parent = _container(root, head, create=False)
            if parent is not None and last in parent:
                if isinstance(last, str) and hasattr(parent, "ca"):
                    _delete_key(parent, last)
                else:
                    del parent[last]
            return
        parent = _container(root, head, create=True)
        if isinstance(last, int):
            parent[last] = _scalar(edit.value, parent[last])
        else:
            _insert(parent, last, _plain(edit.value), _section(head))
    elif edit.op == "confirm":
        item = _container(root, steps, create=False)
        if item is not None and "proposed" in item:
            _delete_key(item, "proposed")
    elif edit.op == "reject":
        seq = _container(root, head, create=False)
        if seq is not None and isinstance(last, int):
            _delete_item(seq, last, _container(root, head[:-1], create=False), str(head[-1]))
            if not seq:
                _delete_key(_container(root, head[:-1], create=False), str(head[-1]))
    elif edit.op == "append":
        from ruamel.yaml.comments import CommentedSeq

        parent = _container(root, head, create=True)
        if last not in parent or parent[last] is None:
            _insert(parent, str(last), CommentedSeq(), _section(head))
        parent[last].append(_plain(edit.value))


def apply_edits(text: str, edits: list[Edit], file: str = "<incident>") -> str:
    """The incident text with ``edits`` applied, comments and key order kept."""
    from ruamel.yaml.comments import CommentedMap

    from arkivlucka.incident.marks import drop_comments, mark_edited

    sets = [e for e in edits if e.op == "set"]
    removed = {e.path for e in sets if e.value is None or e.value == ""}
    y = _yaml()
    root = y.load(drop_comments(text, removed))  # no "read from" left above the next key
    if not isinstance(root, CommentedMap):
        raise OutputError(
            f"{file}: not an incident file (no mapping at the top)",
            [error("incident-not-mapping", "the file holds no mapping at the top", file=file)],
        )
    before = {e.path: _lookup(root, e.path) for e in sets if e.path not in removed}
    for edit in edits:
        try:
            _apply(root, edit)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise OutputError(
                f"{file}: cannot apply the change to {edit.path}",
                [error("edit-bad-path", f"{edit.path}: no such field ({exc})", file=file,
                       path=edit.path)],
            ) from None  # fmt: skip
    out = io.StringIO()
    y.dump(root, out)
    changed = {path for path, old in before.items() if _lookup(root, path) != old}
    return mark_edited(out.getvalue(), changed)


def _lookup(root: Any, path: str) -> Any:
    """The value at ``path`` (None when there is none)."""
    try:
        return _container(root, _steps(path), create=False)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def save_edits(path: str | Path, edits: list[Edit], expected_sha256: str) -> Snapshot:
    """Apply ``edits`` to the file at ``path`` and write it atomically; return the new version.

    Refuses with ``FileChangedError`` (nothing written) when the file is no longer the
    version ``expected_sha256`` names, e.g. because it was edited elsewhere meanwhile.
    """
    from arkivlucka.files.update import locked
    from arkivlucka.files.write import atomic_write

    target = Path(path)
    with locked(target):
        current = read_snapshot(target)
        if current.sha256 != expected_sha256:
            msg = "the file changed on disk since it was opened; nothing was written"
            raise FileChangedError(
                f"{target}: {msg}", [error("file-changed", msg, file=str(target))]
            )
        data = apply_edits(current.text, edits, str(target)).encode("utf-8")
        atomic_write(target, data, overwrite=True)  # in place, after the snapshot check
    return Snapshot(str(target), data.decode("utf-8"), sha256_of(data))


def proposal_sources(text: str) -> dict[str, str]:
    """Where each proposal came from, from the ``# proposed from "…" (field)`` comments.

    Keys are item paths (``lost_records[0]``); values say the form's words and their field.
    """
    out: dict[str, str] = {}
    section, index, pending = "", -1, None
    for line in text.splitlines():
        top = re.match(r"^([a-z_]+):", line)
        if top:
            section, index, pending = top.group(1), -1, None
            continue
        found = _SOURCE.match(line)
        if found:
            pending = f"»{found.group(1)}« ({found.group(2)})"
            continue
        if re.match(r"^\s{0,4}- ", line):
            index += 1
            if pending:
                out[f"{section}[{index}]"] = pending
            pending = None
    return out
