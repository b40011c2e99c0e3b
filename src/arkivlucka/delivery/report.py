"""Verify stage, reporting: a verify result as a report E-ARK's commons-ip validator would write.

The same JSON shape (``header`` with the specifications, ``validation`` with one entry per
requirement: specification, id, name, location, description, cardinality, level, and
``testing`` with outcome PASSED / FAILED / SKIPPED and its issues, warnings and notes;
``summary`` with the counts and VALID / INVALID), so tools that read commons-ip reports can
read ours. Findings that are not about one requirement (schema validity, unlisted files, zip
safety) follow as entries of their own, specification ``arkivlucka``.
"""

from __future__ import annotations

from typing import Any

from arkivlucka.core.findings import Finding, Severity
from arkivlucka.delivery.requirements import REQUIREMENTS, SPEC_URLS, VERSION, Requirement
from arkivlucka.delivery.verify import VerifyResult

_SEVERITY_LEVEL = {Severity.ERROR: "MUST", Severity.WARNING: "SHOULD", Severity.INFO: "MAY"}
_BUCKET = {Severity.ERROR: "issues", Severity.WARNING: "warnings", Severity.INFO: "notes"}


def _text(f: Finding) -> str:
    where = f.file or ""
    if f.line:
        where += f":{f.line}"
    return f"{where}: {f.message}" if where else f.message


def _testing(found: list[Finding], outcome: str, detail: str = "") -> dict[str, Any]:
    testing: dict[str, Any] = {"outcome": outcome}
    if detail:
        testing["detail"] = detail
    for bucket in ("issues", "warnings", "notes"):
        testing[bucket] = [_text(f) for f in found if _BUCKET[f.severity] == bucket]
    return testing


def _outcome(req: Requirement, result: VerifyResult, found: list[Finding]) -> tuple[str, str]:
    if not req.checked:
        return "SKIPPED", req.how
    if req.id in result.skipped:
        return "SKIPPED", "not checked: " + (
            f"the package declares {result.version}" if result.version else "vocabulary not found"
        )
    if not result.checked and not req.id.startswith("CSIPSTR") and not found:
        return "SKIPPED", "not checked: the package METS could not be read"
    if any(f.severity is not Severity.INFO for f in found):
        return "FAILED", ""
    return "PASSED", ""


def commons_ip_report(result: VerifyResult, *, date: str, tool: str) -> dict[str, Any]:
    """The commons-ip-style report of ``result``; ``date`` and ``tool`` are injected."""
    by_code: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_code.setdefault(f.code, []).append(f)
    specs = ["CSIP", "SIP"] if result.sip else ["CSIP"]
    counts = dict.fromkeys(("success", "warnings", "errors", "skipped", "notes"), 0)
    entries: list[dict[str, Any]] = []
    for req in REQUIREMENTS.values():
        if req.spec not in specs:
            continue
        found = by_code.pop(req.id, [])
        outcome, detail = _outcome(req, result, found)
        _count(counts, outcome, found)
        entries.append(
            {
                "specification": f"{req.spec}-{VERSION}",
                "id": req.id,
                "name": req.name,
                "location": req.location,
                "description": req.how,
                "cardinality": req.cardinality,
                "level": req.level,
                "testing": _testing(found, outcome, detail),
            }
        )
    for code, found in by_code.items():
        worst = min(found, key=lambda f: list(Severity).index(f.severity)).severity
        outcome = "PASSED" if worst is Severity.INFO else "FAILED"
        _count(counts, outcome, found)
        entries.append(
            {
                "specification": "arkivlucka",
                "id": code,
                "name": code,
                "location": "",
                "description": "see docs/findings.md",
                "cardinality": "",
                "level": _SEVERITY_LEVEL[worst],
                "testing": _testing(found, outcome),
            }
        )
    header = {
        "title": "Validation Report",
        "specifications": [{"id": f"{s}-{VERSION}", "url": SPEC_URLS[s]} for s in specs],
        "version_commons_ip": tool,
        "date": date,
        "path": result.package,
    }
    summary = {**counts, "result": "VALID" if result.ok else "INVALID"}
    return {"header": header, "validation": entries, "summary": summary}


def _count(counts: dict[str, int], outcome: str, found: list[Finding]) -> None:
    if outcome == "SKIPPED":
        counts["skipped"] += 1
    elif outcome == "PASSED":
        counts["notes" if found else "success"] += 1
    elif any(f.is_error for f in found):
        counts["errors"] += 1
    else:
        counts["warnings"] += 1
