"""Helpers for the report tests: entries made with the library's describe, PDF text."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import yaml

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import describe
from support.helpers import SAMPLES

CTX = RunContext(
    created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="0.1.0", by_role="kommunarkivarie"
)
PLAN = SAMPLES / "digframe" / "dokumenthanteringsplan.csv"
FOOTER = re.compile(r"^Sida \d+ av \d+$")


def digframe_entries(out: Path, *, plan: bool = True) -> Path:
    """The Digframe sample's entries written by describe into ``out``."""
    describe(SAMPLES / "digframe" / "incident.yaml", out, CTX, PLAN if plan else None)
    return out


def many_types_incident(path: Path) -> Path:
    """The Digframe incident with more record types, periods to the month and more extracts."""
    data = yaml.safe_load((SAMPLES / "digframe" / "incident.yaml").read_text("utf-8"))
    data["lost_records"] += [
        {"id": "protokoll", "title": "Protokoll från styrgruppen", "extent": "complete",
         "period": {"start": "2021-03", "end": "2022-06"}, "process": "2.2", "system": "Digframe",
         "series": "A1"},
        {"id": "avtal", "title": "Avtal", "extent": "unknown", "period": {"end": "2020-12-31"},
         "system": "Stratsys"},
    ]  # fmt: skip
    data["extracts"].append(
        {"title": "Uttag av protokoll", "period": {"start": "2021-03", "end": "2021-09"},
         "kept_in": "W3D3", "reference": "KS 2024/117"}
    )  # fmt: skip
    data["reference"] = "KS 2024/112"
    data["records_creators"].append({"name": "Socialnämnden", "department": "Socialförvaltningen"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed (Debian package poppler-utils)"
    return found


def pdf_text(pdf: Path) -> str:
    """The PDF's text in content order, page footers removed, NFKC-normalised."""
    raw = subprocess.run(
        [tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    lines = [ln for ln in raw.splitlines() if not FOOTER.match(ln.strip())]
    return unicodedata.normalize("NFKC", "\n".join(lines))


def squeeze(text: str) -> str:
    """Text without any white space, so line breaks in the PDF do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split())
