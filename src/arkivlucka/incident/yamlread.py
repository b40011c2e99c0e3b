"""Incident stage, first step: YAML or JSON text into the node tree, by the fastest reader.

With libyaml present the text is read from its C parser's events (``yamltree_events``); what
that reading cannot settle alone, and every text when libyaml is missing, is read by the
pure-Python reference reading (``yamltree.parse_pure``): the same tree, the same findings.
"""

from __future__ import annotations

import json

import yaml

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.incident.yamltree import MAX_BYTES, Node, parse_pure, too_deep


def parse_text(text: str, file: str, *, json_first: bool = False) -> Node:
    """Parse YAML (or JSON, a subset) into a node tree; raise ``InputError`` with a finding.

    ``json_first`` makes a JSON syntax error be reported in JSON's terms.
    """
    # at most 4 bytes a character: only a text that could be too large is encoded to see
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(
            f"{file}: file is larger than {MAX_BYTES // (1024 * 1024)} MiB",
            [error("file-too-large", "file is too large for an incident file", file=file)],
        )
    if json_first:
        check_json(text, file)
    if yaml.__with_libyaml__:
        from arkivlucka.incident.yamltree_events import compose_fast

        fast = compose_fast(text, file)
        if fast is not None:
            tree, findings = fast
            if findings:
                raise InputError(f"{file}: {findings[0].message}", findings)
            return tree
    return parse_pure(text, file)


def check_json(text: str, file: str) -> None:
    """Refuse text that is not strict JSON (syntax, NaN/Infinity), in JSON's own terms."""

    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not a JSON value")

    try:
        json.loads(text, parse_int=len, parse_float=len, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{file}:{exc.lineno}: JSON syntax error: {exc.msg}",
            [error("json-syntax", f"JSON syntax error: {exc.msg}", file=file, line=exc.lineno)],
        ) from None
    except RecursionError:
        raise too_deep(file) from None
    except ValueError as exc:
        raise InputError(
            f"{file}: JSON syntax error: {exc}",
            [error("json-syntax", f"JSON syntax error: {exc}", file=file)],
        ) from None
