"""Renderers: findings for people (stderr) and as JSON (stdout); no logic beyond layout."""

from __future__ import annotations

import json
from collections.abc import Iterable

from arkivlucka.findings import Finding


def human(finding: Finding) -> str:
    """Return ``file:line: severity: message [code]``."""
    where = finding.file or ""
    if finding.line is not None:
        where = f"{where}:{finding.line}"
    prefix = f"{where}: " if where else ""
    return f"{prefix}{finding.severity.value}: {finding.message} [{finding.code}]"


def human_lines(findings: Iterable[Finding]) -> list[str]:
    """Return one human line per finding."""
    return [human(f) for f in findings]


def as_json(findings: Iterable[Finding]) -> str:
    """Return the findings as a JSON list (stable key order, UTF-8 kept readable)."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
