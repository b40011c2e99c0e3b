"""The libyaml fast path of yamltree reads every text exactly as the pure-Python reading does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from arkivlucka.core.errors import InputError
from arkivlucka.incident import yamlread, yamltree
from arkivlucka.incident.yamltree_events import compose_fast

ROOT = Path(__file__).resolve().parents[2]

SNIPPETS = {
    "plain-map": "a: 1\nb: two\n",
    "yaml11-words": "a: yes\nb: no\nc: on\nd: off\ne: y\nf: ~\ng: null\nh: Null\n",
    "numbers": "a: 2.10\nb: 08:50\nc: 0x1F\nd: 1e3\ne: -7\nf: +.5\ng: .inf\nh: 1_000\n",
    "dates-stay-text": "a: 2024-02-07\nb: 2024-02-07T08:50\nc: '2024'\n",
    "booleans": "a: true\nb: False\nc: TRUE\nd: tRue\n",
    "huge-int": "a: " + "9" * 150 + "\n",
    "quoted-styles": "a: 'x'\nb: \"y\"\nc: |\n  lit\n  eral\nd: >-\n  fol\n  ded\ne: ''\nf: \"null\"\n",
    "empty-values": "a:\nb: []\nc: {}\nd: ''\n",
    "flow": "a: [1, two, {b: c, d: [e, f]}]\ng: {h: i}\n",
    "nested-seq": "- - - a\n  - b\n- c: d\n  e: f\n",
    "indentless": "a:\n- b: c\n  d:\n  - e\n",
    "comments": "# head\na: 1 # tail\n# mid\nb: [1, # in flow\n  2]\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n",
    "bom": "\ufeffa: 1\n",
    "nfd": "na\u0308mn: a\u030a\n",
    "explicit-doc": "---\na: 1\n...\n",
    "empty": "",
    "only-comment": "# nothing\n",
    "scalar-root": "just text\n",
    "null-root": "~\n",
    "seq-root": "- 1\n- 2\n",
    "duplicate-key": "a: 1\nb: 2\na: 3\n",
    "duplicate-key-nested": "a:\n  b: 1\n  b: {c: 1, c: 2}\n",
    "duplicate-skips-value": "a: 1\na: [!!binary x, {q: 1, q: 2}]\nb: !!set {}\n",
    "complex-key": "? [k]\n: v\nb: 1\n",
    "complex-key-map": "{a: 1}: v\nb: !!python/object x\n",
    "tag-known": "a: !!str 2.10\nb: !!int 3\nc: !!null ''\nd: !!seq [1]\ne: !!map {x: 1}\n",
    "tag-unknown": "a: !!timestamp 2024-01-01\nb: !foo x\nc: !!set {x: 1, x: 2}\nd: !!omap [1]\n",
    "tag-on-key": "!!binary k: 1\n",
    "non-specific-tag": "a: ! 12\nb: ! [1]\n",
    "merge-key": "<<: x\n=: y\n",
    "anchor": "a: &x 1\nb: *x\n",
    "anchor-unused": "a: &x 1\nb: 2\n",
    "alias-undefined": "a: *x\n",
    "anchor-duplicate": "a: &x 1\nb: &x 2\n",
    "anchor-in-key": "? &k key\n: v\nother: *k\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "syntax-error": "a: [1, 2\nb: 3\n",
    "syntax-mapping": "a: b: c\n",
    "syntax-indent": "a:\n  b: 1\n c: 2\n",
    "tab-indent": "a:\n\tb: 1\n",
    "control-character": "a: b\x07c\n",
    "lone-surrogate": "a: \ud800\n",
    "nul": "a: \x00\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "tag-directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "multiline-plain": "a: first\n  second\n\n  third\nb: 1\n",
    "key-with-colon": "'a: b': 1\n\"c\": 2\n",
    "long-key": "? long\n  key\n: 1\n",
    "deep-ok": "a: " + "[" * 99 + "]" * 99 + "\n",
    "deep-refused": "a: " + "[" * 150 + "]" * 150 + "\n",
    "deep-then-syntax-error": "a: " + "[" * 150 + "]" * 150 + "\nb: [\n",
    "deep-in-skipped-value": "a: 1\na: " + "[" * 150 + "]" * 150 + "\n",
    "very-deep": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep-block": "".join(" " * i + f"k{i}:\n" for i in range(120)) + " " * 120 + "v: 1\n",
}


def outcome(fn: Any, text: str) -> tuple[Any, ...]:
    try:
        return ("ok", dump(fn(text, "f.yaml")))
    except InputError as exc:
        return ("error", str(exc), [(f.code, f.line, f.message) for f in exc.findings])


def dump(node: Any) -> Any:
    if isinstance(node, yamltree.Scalar):
        return ("scalar", node.value, type(node.value).__name__, node.raw, node.line, node.quoted)
    if isinstance(node, yamltree.Seq):
        return ("seq", node.line, [dump(item) for item in node.items])
    return ("map", node.line, [(k, node.key_lines[k], dump(v)) for k, v in node.items.items()])


def corpus_files() -> list[Path]:
    found = [*(ROOT / "tests" / "data").rglob("*"), *(ROOT / "samples").rglob("*")]
    return sorted(p for p in found if p.suffix in (".yaml", ".yml", ".json"))


def test_libyaml_is_present() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the incident file is read 4x slower"


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_fast_reading_equals_pure_reading(name: str) -> None:
    text = SNIPPETS[name]
    assert outcome(yamlread.parse_text, text) == outcome(yamltree.parse_pure, text)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_fast_reading_equals_pure_reading_on_files(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    assert outcome(yamlread.parse_text, text) == outcome(yamltree.parse_pure, text)


@pytest.mark.parametrize(
    ("name", "settled"),
    [
        ("plain-map", True),
        ("duplicate-key", True),
        ("tag-unknown", True),
        ("deep-ok", True),
        ("anchor", False),
        ("anchor-unused", False),
        ("two-documents", False),
        ("syntax-error", False),
        ("lone-surrogate", False),
    ],
)
def test_fast_path_settles_plain_text_and_hands_back_the_rest(name: str, settled: bool) -> None:
    assert (compose_fast(SNIPPETS[name], "f.yaml") is not None) is settled


@pytest.mark.parametrize("name", ["deep-refused", "very-deep", "deep-block"])
def test_too_deep_nesting_is_refused_with_a_finding(name: str) -> None:
    with pytest.raises(InputError) as caught:
        yamlread.parse_text(SNIPPETS[name], "f.yaml")
    assert [f.code for f in caught.value.findings] == ["too-deep"]


def test_syntax_error_after_deep_nesting_is_reported_as_syntax() -> None:
    with pytest.raises(InputError) as caught:
        yamlread.parse_text(SNIPPETS["deep-then-syntax-error"], "f.yaml")
    assert [f.code for f in caught.value.findings] == ["yaml-syntax"]


def test_lines_are_kept() -> None:
    tree = yamlread.parse_text("a: 1\nb:\n  - x\n  - {c: d}\n", "f.yaml")
    assert isinstance(tree, yamltree.Map)
    assert tree.key_lines == {"a": 1, "b": 2}
    seq = tree.items["b"]
    assert isinstance(seq, yamltree.Seq)
    assert [item.line for item in seq.items] == [3, 4]
