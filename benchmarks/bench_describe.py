"""Benchmark `describe` against a floor of PyYAML's C loader and bare lxml, and start-up time.

Usage: python benchmarks/bench_describe.py [--quick] [--pairs N]

describe: read an incident file with N lost records, check it and make, validate and serialise
its two documents, against the floor of loading the same file with ``yaml.CSafeLoader`` and
parsing, validating and serialising the same two output documents with lxml (targets <= 1.5x,
for 10 and for 10,000 lost records). Start-up: `arkivlucka --help` against
`python -c "import click"` (target <= 1.1x) and `arkivlucka validate` of a tiny file against
the same (target <= 1.3x).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import make_documents
from arkivlucka.incident.load import load_incident
from arkivlucka.xmldoc.schemas import bundled_schema_path, load_schema
from benchlib import pairs, report

ROOT = Path(__file__).resolve().parents[1]
CTX = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "bench", by_role="kommunarkivarie")


def incident_text(records: int) -> str:
    """The sample incident with ``records`` lost records in place of its four."""
    base = (ROOT / "samples" / "digframe" / "incident.yaml").read_text(encoding="utf-8")
    head, _, tail = base.partition("lost_records:\n")
    rest = tail[tail.index("\nsystems:") :]
    items = [
        f"  - id: post-{i}\n"
        f"    title: Handling {i} om digitaliseringsprojekt\n"
        f"    period: {{start: {2000 + i % 20}, end: {2021 + i % 3}}}\n"
        "    extent: partial\n"
        '    record_type: "Producerat material: Utredningar, kartläggningar"\n'
        '    process: "2.2"\n'
        "    system: Digframe\n"
        for i in range(records)
    ]
    return head + "lost_records:\n" + "".join(items) + rest


def describe_pair(path: Path, reps: int) -> tuple[object, object]:
    """Side A (describe in-process) and side B (C loader + lxml) for one incident file."""
    outputs = list(make_documents(load_incident(path), CTX).documents.values())
    schema = load_schema(str(bundled_schema_path("arkivlucka-arkivredovisning-1.0.xsd")))

    def ours() -> None:
        for _ in range(reps):
            make_documents(load_incident(path), CTX)

    def floor() -> None:
        for _ in range(reps):
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for data in outputs:
                root = etree.fromstring(data)
                assert schema.validate(root)
                etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    return ours, floor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer pairs, 2,000 records")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per comparison")
    args = parser.parse_args()
    runs = args.pairs or (3 if args.quick else 7)
    big = 2_000 if args.quick else 10_000
    exe = Path(sys.executable).with_name("arkivlucka")
    with tempfile.TemporaryDirectory() as tmp:
        for records, reps in ((10, 20), (big, 1)):
            path = Path(tmp) / f"incident-{records}.yaml"
            path.write_text(incident_text(records), encoding="utf-8")
            ours, floor = describe_pair(path, reps)
            result = pairs(ours, floor, runs)
            report(
                f"describe, {records:,} lost records" + (f" (×{reps})" if reps > 1 else ""),
                "describe in-process",
                "CSafeLoader + lxml parse, validate, serialise",
                result,
                "≤ 1.5×",
            )
        tiny = Path(tmp) / "entry.xml"
        made = make_documents(load_incident(Path(tmp) / "incident-10.yaml"), CTX)
        tiny.write_bytes(next(iter(made.documents.values())))
        # click comes with its bytecode from pip; ours too when installed from a wheel, but not
        # in an editable checkout under PYTHONDONTWRITEBYTECODE: compile it, as an install does
        import arkivlucka

        package_dir = str(Path(arkivlucka.__file__).parent)
        subprocess.run([sys.executable, "-m", "compileall", "-q", package_dir], check=True)
        click = [sys.executable, "-c", "import click"]
        start_runs = max(21, runs * 5)  # a start-up is short: more pairs against the noise
        report(
            "start-up: `arkivlucka --help`",
            "`arkivlucka --help`",
            "`python -c 'import click'`",
            pairs([str(exe), "--help"], click, start_runs),
            "≤ 1.1×",
        )
        report(
            "start-up: `arkivlucka validate` of a tiny file",
            "`arkivlucka validate entry.xml`",
            "`python -c 'import click'`",
            pairs([str(exe), "validate", str(tiny)], click, start_runs),
            "≤ 1.3×",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
