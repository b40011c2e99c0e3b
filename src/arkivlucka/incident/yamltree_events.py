"""Read stage, first step (fast path): libyaml's event stream into the ``yamltree`` node tree.

libyaml's parser is iterative, so even absurd nesting cannot exhaust the stack while it
reads; this module builds the tree from its events with an explicit stack, refuses more than
``MAX_DEPTH`` nested collections and keeps the line of every node. It mirrors
``yamltree._convert`` exactly (same findings in the same order, the same skipped subtrees),
and hands back ``None`` for everything it does not settle itself: anchors and aliases, more
than one document, any error of the parser. The caller then reads the text with the
pure-Python parser, whose findings and messages are the reference.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from arkivlucka.core.findings import Finding, error
from arkivlucka.incident.yamltree import (
    _ANY_FIRST,
    _BY_FIRST,
    _STR,
    KNOWN_TAGS,
    MAX_DEPTH,
    Map,
    Node,
    Scalar,
    Seq,
    _Loader,
    make_scalar,
    resolve_scalar,
    tag_finding,
    too_deep,
)

_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_EXPECT_KEY = object()  # a mapping frame waiting for its next key
_KEY_SKIPPED = object()  # a mapping frame whose key was refused: its value is skipped too
_KEY_DONE = object()  # what a skipped key collection places when it ends (nothing)


class _CLoader(yaml.CSafeLoader):
    """libyaml's parser with the resolvers of ``yamltree._Loader`` (only its events are used)."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


class _Fallback(Exception):
    """The text needs the pure-Python reading (anchors, several documents, parser errors)."""


def compose_fast(text: str, file: str) -> tuple[Node, list[Finding]] | None:
    """The node tree and its findings, or ``None`` when the pure-Python reading must decide.

    Raises ``InputError`` (``too-deep``) for nesting deeper than ``MAX_DEPTH``, and only
    when the whole text parses (a syntax error is reported as the pure reading reports it).
    """
    try:
        builder = _Builder(file)
        loader = _CLoader(text)
        try:
            _read(builder, loader.get_event)
        finally:
            loader.dispose()
    except (_Fallback, yaml.YAMLError, ValueError):  # ValueError: lone surrogates
        return None
    if builder.too_deep:
        raise too_deep(file)
    root = builder.root
    return (Map({}, 1) if root is None else root), builder.findings


def _read(builder: _Builder, next_event: Any) -> None:
    """Feed every event to ``builder``, placing most scalars here without a call.

    The plain scalars of mappings and lists (most events by far) are placed as
    ``_Builder._scalar`` would place them; every other event goes to ``_Builder.feed``.
    """
    feed, stack = builder.feed, builder.stack
    while (event := next_event()) is not None:  # None after the stream's end
        kind = type(event)  # (not narrowed: the C parser's events carry their marks)
        if kind is not ScalarEvent or event.anchor is not None or builder.skip or not stack:
            feed(event)
            continue
        frame = stack[-1]
        value = event.value
        if len(frame) != 1:  # a mapping
            if frame[1] is _EXPECT_KEY:
                key = value if value.isascii() else unicodedata.normalize("NFC", value)
                if key in frame[0].items:
                    feed(event)  # a duplicate: ``_key`` reports it
                else:
                    frame[1], frame[2] = key, event.start_mark.line + 1
                continue
            if frame[3]:
                feed(event)
                continue
        if event.tag is not None:
            feed(event)
            continue
        implicit = event.implicit
        if implicit[0] and (not value or _ANY_FIRST or value[0] in _BY_FIRST):
            tag = resolve_scalar(value, implicit)
        else:
            tag = _STR
        if tag not in KNOWN_TAGS:  # no resolver gives one, but ``_scalar`` would report it
            feed(event)
            continue
        node = make_scalar(value, event.style, tag, event.start_mark.line + 1)
        if len(frame) == 1:
            frame[0].items.append(node)
        else:
            key = frame[1]
            frame[0].items[key] = node
            frame[0].key_lines[key] = frame[2]
            frame[1] = _EXPECT_KEY


class _Builder:
    """Turns events into nodes; frames are ``[Seq]`` or ``[Map, key, key_line, skip_value]``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.stack: list[list[Any]] = []
        self.root: Node | None = None
        self.documents = 0
        self.skip = 0  # depth inside a subtree that is consumed but not converted
        self.skip_result: Any = None
        self.too_deep = False

    def feed(self, event: Any) -> None:
        """Take one parser event."""
        kind = type(event)
        if kind is ScalarEvent:  # most events: checked first
            if event.anchor is not None:
                raise _Fallback
            if not self.skip:
                self._scalar(event)
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            if event.anchor is not None:
                raise _Fallback
            if self.skip:
                self.skip += 1
            else:
                self._start(event, kind is MappingStartEvent)
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            if self.skip:
                self.skip -= 1
                if not self.skip and self.skip_result is not _KEY_DONE:
                    self._place(self.skip_result)
            else:
                frame = self.stack.pop()
                self._place(frame[0])
        elif kind is AliasEvent:
            raise _Fallback
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _Fallback

    def _place(self, node: Node | None) -> None:
        """Attach a finished node to its parent (``None``: a skipped value)."""
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        if len(frame) == 1:
            frame[0].items.append(node)
            return
        if not frame[3]:
            key = frame[1]
            frame[0].items[key] = node
            frame[0].key_lines[key] = frame[2]
        frame[1] = _EXPECT_KEY
        frame[3] = False

    def _role(self) -> str:
        """Whether the next node is a ``key``, a skipped ``value`` or a ``node`` to convert."""
        if not self.stack:
            return "node"
        frame = self.stack[-1]
        if len(frame) == 1:
            return "node"
        if frame[1] is _EXPECT_KEY:
            return "key"
        return "value" if frame[3] else "node"

    def _scalar(self, event: Any) -> None:
        line = event.start_mark.line + 1
        value = event.value
        frame = self.stack[-1] if self.stack else None
        if frame is not None and len(frame) != 1:  # in a mapping: what ``_role`` says, inline
            if frame[1] is _EXPECT_KEY:
                self._key(value, line)
                return
            if frame[3]:
                self._place(None)
                return
        tag = event.tag
        if tag is None or tag == "!":
            # text whose first character no resolver takes is text: no resolving to do
            if event.implicit[0] and (not value or _ANY_FIRST or value[0] in _BY_FIRST):
                tag = resolve_scalar(value, event.implicit)
            else:
                tag = _STR
        if tag not in KNOWN_TAGS:
            self.findings.append(tag_finding(tag, self.file, line))
            self._place(Scalar(None, "", line))
            return
        node = make_scalar(value, event.style, tag, line)
        if frame is None:
            self.root = node
        elif len(frame) == 1:
            frame[0].items.append(node)
        else:  # a mapping's value (``_place``, inline)
            key = frame[1]
            frame[0].items[key] = node
            frame[0].key_lines[key] = frame[2]
            frame[1] = _EXPECT_KEY

    def _key(self, text: str, line: int) -> None:
        frame = self.stack[-1]
        key = text if text.isascii() else unicodedata.normalize("NFC", text)  # ASCII is NFC
        if key in frame[0].items:
            message = f"key '{key}' is given twice"
            self.findings.append(error("duplicate-key", message, file=self.file, line=line))
            frame[1], frame[3] = _KEY_SKIPPED, True
        else:
            frame[1], frame[2] = key, line

    def _start(self, event: Any, mapping: bool) -> None:
        line = event.start_mark.line + 1
        role = self._role()
        if role == "key":
            message = "mapping keys must be plain text"
            self.findings.append(error("yaml-key", message, file=self.file, line=line))
            frame = self.stack[-1]
            frame[1], frame[3] = _KEY_SKIPPED, True
            self.skip, self.skip_result = 1, _KEY_DONE
            return
        if role == "value":
            self.skip, self.skip_result = 1, None
            return
        tag = event.tag
        if tag is None or tag == "!":
            tag = _MAP_TAG if mapping else _SEQ_TAG
        if tag not in KNOWN_TAGS:
            self.findings.append(tag_finding(tag, self.file, line))
            self.skip, self.skip_result = 1, Scalar(None, "", line)
            return
        if len(self.stack) >= MAX_DEPTH:
            self.too_deep = True  # read on: a syntax error further down is reported first
            self.skip, self.skip_result = 1, None
            return
        self.stack.append([Map({}, line), _EXPECT_KEY, None, False] if mapping else [Seq([], line)])
