"""Renderers: findings for people (stderr) and as JSON (stdout); no logic beyond layout."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no finding to render, no need to import them (a faster start)
    from arkivlucka.core.findings import Finding

# patterns, compiled (and cached by ``re``) when the first finding is rendered, not at start-up
_BREAK = r"\r\n|[\r\n]"
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"


def one_line(text: str) -> str:
    """``text`` safe for a terminal line: breaks shown as ⏎, control characters as hex escapes (xNN).

    A value quoted from a hostile file can then neither split a finding over several lines
    nor send escape sequences to the terminal.
    """
    text = re.sub(_BREAK, " ⏎ ", text)
    return re.sub(_CONTROL, lambda m: f"\\x{ord(m.group()):02x}", text)


def human(finding: Finding) -> str:
    """Return ``file:line: severity: message [code]``, always on one line."""
    where = finding.file or ""
    if finding.line is not None:
        where = f"{where}:{finding.line}"
    prefix = f"{where}: " if where else ""
    return one_line(f"{prefix}{finding.severity.value}: {finding.message} [{finding.code}]")


def human_lines(findings: Iterable[Finding]) -> list[str]:
    """Return one human line per finding."""
    return [human(f) for f in findings]


def as_json(findings: Iterable[Finding]) -> str:
    """Return the findings as a JSON list (stable key order, UTF-8 kept readable)."""
    import json  # only --json needs it: keeps start-up low

    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
