from __future__ import annotations

import difflib
import random

import pytest

from arkivlucka.core.textdiff import unified


def _lines(n: int) -> list[str]:
    return [f"<x>{i % 7}</x>\n" if i % 3 else "</y>\n" for i in range(n)]


@pytest.mark.parametrize("seed", range(8))
def test_insertions_show_as_exactly_the_inserted_lines(seed):
    rnd = random.Random(seed)
    a = _lines(200)
    b = list(a)
    inserted = []
    for _ in range(rnd.randint(1, 5)):
        pos = rnd.randint(0, len(b))
        new = [f"<new>{rnd.random()}</new>\n" for _ in range(rnd.randint(1, 4))]
        inserted += new
        b[pos:pos] = new
    ours = unified(a, b, "a", "b")
    assert ours.startswith("--- a\n+++ b\n@@")
    body = [line for line in ours.splitlines(keepends=True)[2:] if not line.startswith("@@")]
    assert sorted(line[1:] for line in body if line.startswith("+")) == sorted(inserted)
    assert not [line for line in body if line.startswith("-")]


def test_agrees_with_difflib_on_a_simple_case():
    a = ["a\n", "b\n", "c\n", "d\n"]
    b = ["a\n", "b\n", "x\n", "c\n", "d\n"]
    assert unified(a, b, "a", "b") == "".join(difflib.unified_diff(a, b, "a", "b"))


def test_replacements_and_deletions():
    a = ["1\n", "2\n", "3\n", "4\n"]
    b = ["1\n", "two\n", "3\n"]
    d = unified(a, b, "a", "b")
    assert "-2\n+two\n" in d
    assert "-4\n" in d


def test_equal_texts_give_no_diff():
    assert unified(["a\n"], ["a\n"], "x", "y") == ""


def test_last_line_without_line_end_is_marked():
    """Like diff -u: the next diff line does not run on after a line missing its line end."""
    from arkivlucka.core.textdiff import unified

    out = unified(["a\n", "b"], ["a\n", "x\n", "b"], "f", "g")
    assert out.endswith(" b\n\\ No newline at end of file\n")
    assert all(line[:1] in " +-@\\" for line in out.splitlines())
