"""Benchmark: one report rendered (read + validate entries, HTML, PDF/A), in pairs.

Each stage runs in pairs (A B A B ..., each run a fresh fork; benchlib.py) against a floor
measured in the same run: WeasyPrint rendering a one-page PDF/A of plain text with the same
font. Prints the median, min and max ratio, each side's peak memory and the load average. The
issue's target is one report rendered in at most 2 s (the PDF/A stage, which renders the HTML
itself, plus reading the entries). Usage: python benchmarks/bench_report.py [--quick] [--pairs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import describe
from arkivlucka.report.model import LossLine
from arkivlucka.report.read import load_entries
from arkivlucka.report.render import html_to_pdf, render_losses_appendix, render_report
from benchlib import pairs, report

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "digframe" / "incident.yaml"
CTX = RunContext(created=datetime(2024, 3, 1, 9, tzinfo=UTC), tool_version="bench")


def bigger(tmp: Path, records: int) -> Path:
    """The sample with ``records`` more lost records, each with a period."""
    data = yaml.safe_load(SAMPLE.read_text("utf-8"))
    data["lost_records"] += [
        {"id": f"r{i}", "title": f"Handlingsslag nummer {i}", "extent": "partial",
         "period": {"start": 2000 + i % 20, "end": 2001 + i % 20 + i % 3}, "process": "2.2",
         "system": "Digframe"}
        for i in range(records)
    ]  # fmt: skip
    path = tmp / f"incident-{records}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 pairs")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per comparison")
    args = parser.parse_args()
    runs = args.pairs or (2 if args.quick else 3)
    floor_html = (
        b"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>t</title></head>"
        b"<body><p>Informationsf\xc3\xb6rlust i Digframe.</p></body></html>"
    )
    html_to_pdf(floor_html)  # warm up here, so every fork starts with the fonts and imports

    def floor() -> None:
        html_to_pdf(floor_html)

    floor_label = "WeasyPrint one-page PDF/A of one paragraph"
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for label, incident in (
            ("Digframe sample", SAMPLE),
            ("+100 lost records", bigger(tmp, 100)),
        ):
            out = tmp / label.replace(" ", "-")
            describe(incident, out, CTX)
            entries = load_entries(out, "Kommunstyrelsen")
            stages = {
                "read + validate entries": lambda out=out: load_entries(out, "Kommunstyrelsen"),
                "HTML": lambda e=entries: render_report(e, CTX, "html"),
                "PDF/A (from entries)": lambda e=entries: render_report(e, CTX, "pdf"),
            }
            total = 0.0
            for name, fn in stages.items():
                target = "one report ≤ 2 s (read + PDF/A)" if name != "HTML" else "—"
                result = pairs(fn, floor, runs)
                report(f"report, {label}: {name}", name, floor_label, result, target)
                if name != "HTML":  # the PDF stage renders the HTML itself
                    total += statistics.median(r.seconds for r in result.a)
            verdict = "within" if total <= 2.0 else "OVER"
            print(f"{label}: one report rendered: {total * 1000:.0f} ms ({verdict} the 2 s target)")
        appendix(runs, floor, floor_label)
    return 0


def appendix(runs: int, floor: object, floor_label: str) -> None:
    """The register's appendix for one records creator: 100,000 losses / 300 creators ≈ 333."""
    lines = [
        LossLine(incident_id=f"incident-{i // 20}", registry_number=f"KS 2024/{i // 20}",
                 title=f"Handlingsslag {i}", period=f"{2000 + i % 20}–{2001 + i % 20}",
                 extent="delvis", system="Personec", process="3.1", plan_code=f"3.1.{i % 9}",
                 recovered="Uttag" if i % 3 else None, kept_in="W3D3" if i % 3 else None)
        for i in range(333)
    ]  # fmt: skip
    for fmt in ("html", "pdf"):
        report(
            f"report: appendix of {len(lines)} losses, {fmt}",
            f"losses appendix ({fmt})",
            floor_label,
            pairs(
                lambda fmt=fmt: render_losses_appendix("Socialnämnden", lines, CTX, fmt),
                floor,
                runs,
            ),  # type: ignore[arg-type]
            "—",
        )


if __name__ == "__main__":
    sys.exit(main())
