"""Benchmark describe + validation against a floor of plain lxml, and CLI start-up time.

Usage: python benchmarks/bench_describe.py [--incidents N] [--creators K]

The floor rebuilds the very same trees with bare lxml calls (no model, no rules, no prose),
serialises and validates them, in the same run. Prints ratios (targets: describe <= 2x the
floor; `arkivlucka --help` <= 1.5x `python -c "import click"`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import make_documents
from arkivlucka.incident.load import load_incident_text
from arkivlucka.xmldoc.schemas import bundled_schema_path, load_schema

ROOT = Path(__file__).resolve().parents[1]
CTX = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "bench", by_role="kommunarkivarie")


def incident_text(i: int, creators: int) -> str:
    base = (ROOT / "samples" / "digframe" / "incident.yaml").read_text(encoding="utf-8")
    head, _, _ = base.partition("records_creators:")
    rest = base.split("records_creators:", 1)[1].split("\nextracts:", 1)[1]
    lines = [f"  - name: Nämnd {i}-{k}\n    department: Förvaltning {k}" for k in range(creators)]
    return (
        head.replace("Trelleborgs kommun", f"Kommun {i}")
        + "records_creators:\n"
        + "\n".join(lines)
        + "\n\nextracts:"
        + rest
    )


def ops_of(root: etree._Element) -> list[tuple[int, str, dict[str, str], str | None]]:
    out = []
    for el in root.iter():
        depth = len(list(el.iterancestors()))
        out.append((depth, el.tag, dict(el.attrib), el.text))
    return out


def rebuild(ops: list[tuple[int, str, dict[str, str], str | None]]) -> etree._Element:
    stack: list[etree._Element] = []
    for depth, tag, attrib, text in ops:
        del stack[depth:]
        el = etree.Element(tag, attrib) if not stack else etree.SubElement(stack[-1], tag, attrib)
        el.text = text
        stack.append(el)
    return stack[0]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def startup(cmd: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--creators", type=int, default=5)
    args = parser.parse_args()
    loaded = [load_incident_text(incident_text(i, args.creators)) for i in range(args.incidents)]
    schema = load_schema(str(bundled_schema_path("arkivlucka-arkivredovisning-1.0.xsd")))

    def ours() -> None:
        for item in loaded:
            make_documents(item, CTX)

    trees = []
    for item in loaded:
        for data in make_documents(item, CTX).documents.values():
            trees.append(ops_of(etree.fromstring(data)))

    def floor() -> None:
        for ops in trees:
            root = rebuild(ops)
            assert schema.validate(root)
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    floor()
    ours()
    t_floor = best(floor, 3)
    t_ours = best(ours, 3)
    docs = len(trees)
    print(
        f"describe+validate: {args.incidents} incidents x {args.creators} creators = {docs} documents"
    )
    print(
        f"  arkivlucka {t_ours:.3f} s   floor (bare lxml build+serialise+validate) {t_floor:.3f} s"
    )
    print(f"  ratio {t_ours / t_floor:.2f}x (target <= 2.0x)")
    exe = Path(sys.executable).with_name("arkivlucka")
    t_cli = startup([str(exe), "--help"])
    t_click = startup([sys.executable, "-c", "import click"])
    print(
        f"start-up: arkivlucka --help {t_cli * 1000:.0f} ms   python -c 'import click' {t_click * 1000:.0f} ms"
    )
    print(f"  ratio {t_cli / t_click:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
