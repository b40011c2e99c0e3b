"""Render stage: a unified diff that stays fast on files of millions of lines.

``difflib`` is quadratic on long files with many equal lines (an inventory's closing tags).
Edits made by arkivlucka are nearly all insertions, so lines are aligned greedily: equal
lines advance both sides; at a difference the old line is looked for a little further on in
the new text (an insertion), else one line is replaced. The result is always a correct edit
script; it is minimal for insertions whose lines differ from the line they precede. Hunks are then formatted as
``diff -u`` does, with ``difflib``'s own grouping.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

LOOKAHEAD = 20_000
_Opcode = tuple[str, int, int, int, int]


class _Aligned(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """A SequenceMatcher whose opcodes come from the greedy alignment."""

    def __init__(self, codes: list[_Opcode]) -> None:
        super().__init__(None, [], [])
        self._codes = codes

    def get_opcodes(self) -> list[_Opcode]:  # type: ignore[override]
        """Return the precomputed opcodes."""
        return self._codes


def _resync(a: Sequence[str], b: Sequence[str], i: int, j: int) -> int | None:
    """Nearest k ≥ j with b[k] == a[i] (the end of an insertion), within the lookahead."""
    target = a[i]
    for k in range(j, min(len(b), j + LOOKAHEAD)):
        if b[k] == target:
            return k
    return None


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[_Opcode]:
    """Align ``a`` and ``b`` greedily; return difflib-style opcodes."""
    codes: list[_Opcode] = []

    def emit(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if codes and codes[-1][0] == tag:
            _, pi1, _, pj1, _ = codes[-1]
            codes[-1] = (tag, pi1, i2, pj1, j2)
        else:
            codes.append((tag, i1, i2, j1, j2))

    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            start_i, start_j = i, j
            while i < len(a) and j < len(b) and a[i] == b[j]:
                i += 1
                j += 1
            emit("equal", start_i, i, start_j, j)
            continue
        k = _resync(a, b, i, j)
        if k is not None:
            emit("insert", i, i, j, k)
            j = k
        else:
            emit("replace", i, i + 1, j, j + 1)
            i += 1
            j += 1
    if i < len(a):
        emit("delete", i, len(a), j, j)
    if j < len(b):
        emit("insert", i, i, j, len(b))
    return codes


def _range(start: int, length: int) -> str:
    beginning = start + 1
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def unified(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int = 3) -> str:
    """Return a unified diff of two lists of lines (each keeping its line end)."""
    return "".join(_lines(a, b, fromfile, tofile, n))


def _lines(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int) -> Iterator[str]:
    groups = list(_Aligned(opcodes(a, b)).get_grouped_opcodes(n))
    if not groups or (len(groups) == 1 and all(c[0] == "equal" for c in groups[0])):
        return
    yield f"--- {fromfile}\n"
    yield f"+++ {tofile}\n"
    for group in groups:
        first, last = group[0], group[-1]
        yield (
            f"@@ -{_range(first[1], last[2] - first[1])} "
            f"+{_range(first[3], last[4] - first[3])} @@\n"
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (_line(" ", line) for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from (_line("-", line) for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from (_line("+", line) for line in b[j1:j2])


def _line(mark: str, line: str) -> str:
    """One diff line; a last line without a line end is marked as ``diff -u`` does."""
    if line.endswith(("\n", "\r")):
        return mark + line
    return f"{mark}{line}\n\\ No newline at end of file\n"
