"""Read stage, first step: YAML or JSON text into a small node tree that remembers lines.

The YAML is read with YAML 1.2-style resolution on purpose: ``yes``/``no``/``on``/``off``
stay strings, ``08:50`` is not a sexagesimal number, an unquoted ``2024-02-07`` is not a
timestamp, and every scalar keeps its raw text (so ``code: 2.10`` stays ``"2.10"``).
Anchors and aliases are refused (no alias bombs), as are duplicate keys and nesting deeper
than ``MAX_DEPTH``. With libyaml present the text is read by its C parser (``yamltree_events``);
anything that parser cannot settle alone (anchors, aliases, several documents, any syntax
error) is read again by PyYAML's pure-Python parser, so findings and messages are the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import Finding, error

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100  # nested collections; an incident file needs about five

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
KNOWN_TAGS = {_BOOL, _INT, _FLOAT, _NULL, _STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_QUOTED = ("'", '"', "|", ">")
_DROPPED = {_BOOL, _INT, _FLOAT, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"}
_DROPPED |= {"tag:yaml.org,2002:value"}  # "=" and "<<" are plain text, not YAML 1.1 types


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema resolution (no 1.1 booleans, no sexagesimals)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


#: first character → the resolvers to try, in PyYAML's order (those for any character last)
_ANY_FIRST: list[Any] = list(_Loader.yaml_implicit_resolvers.get(None) or [])
_BY_FIRST: dict[Any, list[Any]] = {
    first: [*resolvers, *_ANY_FIRST] for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def resolve_scalar(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag ``_Loader`` gives an untagged scalar (PyYAML's ``resolve``, without paths)."""
    if implicit[0]:
        for tag, regexp in _BY_FIRST.get(value[0] if value else "", _ANY_FIRST):
            if regexp.match(value):
                return str(tag)
    return _STR


@dataclass(slots=True)
class Scalar:
    """A scalar value with its raw text and line (1-based, None when unknown)."""

    value: Any
    raw: str
    line: int | None = None
    quoted: bool = False


@dataclass(slots=True)
class Seq:
    """A sequence node."""

    items: list[Any]
    line: int | None = None


@dataclass(slots=True)
class Map:
    """A mapping node; ``key_lines`` gives the line of each key."""

    items: dict[str, Any]
    line: int | None = None
    key_lines: dict[str, int | None] = field(default_factory=dict)


Node = Scalar | Seq | Map


def parse_pure(text: str, file: str) -> Node:
    """The reference reading: PyYAML's pure-Python composer, then ``_convert``."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise too_deep(file) from None
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        message = f"character U+{exc.character:04X} is not allowed in YAML text"
        raise InputError(
            f"{file}:{at}: {message}", [error("yaml-syntax", message, file=file, line=at)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        where = f"{file}:{line}" if line else file
        raise InputError(
            f"{where}: YAML syntax error: {problem}",
            [error("yaml-syntax", f"YAML syntax error: {problem}", file=file, line=line)],
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"{file}: YAML error: {exc}", [error("yaml-syntax", str(exc), file=file)]
        ) from None
    if root is None:
        return Map({}, 1)
    findings: list[Finding] = []
    try:
        tree = _convert(root, file, findings, set(), 1)
    except RecursionError:
        raise too_deep(file) from None
    if findings:
        raise InputError(f"{file}: {findings[0].message}", findings)
    return tree


def too_deep(file: str) -> InputError:
    """The error for text nested deeper than the format can be (or Python can follow)."""
    message = "the file is nested too deeply to be an incident file"
    return InputError(f"{file}: {message}", [error("too-deep", message, file=file)])


def tag_finding(tag: str, file: str, line: int) -> Finding:
    """The finding for a node whose tag is not part of the format."""
    return error(
        "yaml-tag",
        f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not part of the format; remove it",
        file=file,
        line=line,
    )


def _convert(
    node: yaml.Node, file: str, findings: list[Finding], seen: set[int], depth: int
) -> Node:
    line = node.start_mark.line + 1
    if id(node) in seen:
        findings.append(
            error("yaml-alias", "anchors and aliases are not allowed", file=file, line=line)
        )
        return Scalar(None, "", line)
    seen.add(id(node))
    if node.tag not in KNOWN_TAGS:
        findings.append(tag_finding(node.tag, file, line))
        return Scalar(None, "", line)
    if isinstance(node, yaml.ScalarNode):
        return make_scalar(str(node.value), node.style, node.tag, line)
    if depth > MAX_DEPTH:
        raise too_deep(file)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(child, file, findings, seen, depth + 1) for child in node.value], line)
    if isinstance(node, yaml.MappingNode):
        result = Map({}, line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                findings.append(
                    error("yaml-key", "mapping keys must be plain text", file=file, line=key_line)
                )
                continue
            key = unicodedata.normalize("NFC", str(key_node.value))
            if key in result.items:
                findings.append(
                    error("duplicate-key", f"key '{key}' is given twice", file=file, line=key_line)
                )
                continue
            result.items[key] = _convert(value_node, file, findings, seen, depth + 1)
            result.key_lines[key] = key_line
        return result
    return Scalar(None, "", line)  # pragma: no cover - PyYAML has no other node kinds


def make_scalar(text: str, style: str | None, tag: str, line: int) -> Scalar:
    """A scalar node from the parser's text, style and resolved tag."""
    # NFC, so that an å typed as a + combining ring (macOS, some PDFs) is the same å
    raw = text if text.isascii() else unicodedata.normalize("NFC", text)
    quoted = style in _QUOTED
    value: Any
    if tag == _NULL and not quoted:
        value = None
    elif tag == _BOOL:
        value = raw.lower() == "true"
    elif tag == _INT:
        value = int(raw) if len(raw) <= 100 else raw  # absurd digit counts stay text
    elif tag == _FLOAT:
        value = float(raw)
    else:
        value = raw
    return Scalar(value, raw, line, quoted)


def plain(node: Node | None) -> Any:
    """Turn a node tree back into plain Python data (for dumping or comparing)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    return {key: plain(value) for key, value in node.items.items()}
