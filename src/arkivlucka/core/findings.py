"""Findings: what every stage reports instead of a bare bool (code, severity, where, message)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is; only ``ERROR`` makes a command fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing a stage noticed about an input or output document.

    ``code`` is a stable, documented identifier (see ``docs/findings.md``), ``path`` is
    the field path (``lost_records[0].period.start``) or XML path (``/ns:Root/ns:Child[2]``)
    the finding is about, ``line`` is 1-based where known. ``param`` names the library
    parameter the finding is about (``overwrite``, ``tool_version``); renderers for a
    command line show it as that command's flag. It is not part of the JSON form.
    """

    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    param: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether this finding makes the input invalid."""
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict with a fixed key order."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return {k: data[k] for k in ("code", "severity", "file", "line", "path", "message")}

    def with_file(self, file: str) -> Finding:
        """Return a copy of this finding that names ``file``."""
        return replace(self, file=file)


def error(code: str, message: str, **where: Any) -> Finding:
    """Build an error finding."""
    return Finding(code, Severity.ERROR, message, **where)


def warning(code: str, message: str, **where: Any) -> Finding:
    """Build a warning finding."""
    return Finding(code, Severity.WARNING, message, **where)


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding in ``findings`` is an error."""
    return any(f.is_error for f in findings)
