"""Benchmark: merge an entry into a large inventory, against an lxml floor in the same run.

Builds an inventory of N storage units (default 200,000) in classes and series, then runs
each variant in its own subprocess and reads that process's peak RSS (VmHWM from /proc, so
lxml's C memory is included; ru_maxrss where /proc is missing) and wall time:

  floor  lxml parse + serialise + XSD validate of the same file
  merge  arkivlucka inventory merge (safe parse, place gaps, note units, validate, backup,
         atomic write)
  remerge  the same merge again (idempotent: validates, writes nothing)

Targets: merge ≤ 2× floor time, peak memory ≤ 1.5× floor. Usage:
  python benchmarks/bench_inventory.py [--units N] [--quick] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PRELUDE = r"""
import resource, sys, time
def peak_kb():
    # VmHWM is this process's own peak RSS (ru_maxrss would include the parent's before exec)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

FLOOR = (
    PRELUDE
    + r"""
from lxml import etree
from arkivlucka.xmldoc import schemas
path = sys.argv[1]
schema = schemas.schema_for(schemas.lookup(schemas.NS_ARKIVFORTECKNING, "Arkivforteckning"))
t0 = time.perf_counter()
tree = etree.parse(path)
data = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
ok = schema.validate(tree)
t = time.perf_counter() - t0
print(t, peak_kb(), ok)
"""
)

MERGE = (
    PRELUDE
    + r"""
from pathlib import Path
from arkivlucka.xmldoc import schemas
from arkivlucka.inventory.merge import merge_file
schemas.schema_for(schemas.lookup(schemas.NS_ARKIVFORTECKNING, "Arkivforteckning"))
t0 = time.perf_counter()
report = merge_file(Path(sys.argv[1]), Path(sys.argv[2]))
t = time.perf_counter() - t0
print(t, peak_kb(), report.changed)
"""
)


def build(path: Path, units: int) -> None:
    from arkivlucka.inventory.model import Group, Inventory, Tid, Unit, build_xml
    from arkivlucka.inventory.xmlfile import serialise_new

    inv = Inventory("Kommunstyrelsen", "Kommunledningsförvaltningen", archive_name="Bench")
    per_group = 400
    groups = max(1, units // per_group)
    codes = [f"{1 + i // 90}.{1 + i % 90}" for i in range(groups // 2)]
    codes[0:0] = ["2.2"] if "2.2" not in codes else []
    codes += [f"F{i + 1}" for i in range(groups - len(codes))]
    made = 0
    for code in codes:
        kind = "Serie" if code.startswith("F") else "Klass"
        group = Group(kind, code, rubrik=f"Rubrik {code}")
        count = min(per_group, units - made)
        for n in range(count):
            year = 1990 + n % 34
            group.children.append(
                Unit(
                    str(n + 1),
                    tid=Tid(str(year), str(year)),
                    innehall=f"Handlingar {code} volym {n + 1}",
                    placering=f"Hylla {n % 50}",
                )
            )
        made += count
        inv.groups.append(group)
    path.write_bytes(serialise_new(build_xml(inv, "2024-03-01T10:00:00+00:00", ("bench", "0"))))


def make_entry(folder: Path) -> Path:
    from arkivlucka.core.context import RunContext
    from arkivlucka.entries.describe import describe

    repo = Path(__file__).resolve().parents[1]
    ctx = RunContext(created=datetime(2024, 3, 1, tzinfo=UTC), tool_version="bench")
    describe(repo / "samples" / "digframe" / "incident.yaml", folder / "entries", ctx)
    return next((folder / "entries").rglob("arkivforteckning.xml"))


def run(code: str, *args: str) -> tuple[float, int, str]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), out[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 units")
    parser.add_argument("--repeat", type=int, default=2, help="runs per variant (best kept)")
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args()
    units = 20_000 if opts.quick else opts.units
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = folder / "master.xml"
        t0 = time.perf_counter()
        build(master, units)
        built = time.perf_counter() - t0
        entry = make_entry(folder)
        results: dict[str, tuple[float, int]] = {}
        for name in ("floor", "merge", "remerge"):
            best_t, best_m = float("inf"), 0
            for _ in range(opts.repeat):
                target = folder / "inventory.xml"
                if name != "remerge" or not target.exists():
                    shutil.copyfile(master, target)
                if name == "remerge":
                    run(MERGE, str(entry), str(target))
                if name == "floor":
                    t, m, ok = run(FLOOR, str(target))
                    assert ok == "True", "the built inventory is not valid"
                else:
                    t, m, changed = run(MERGE, str(entry), str(target))
                    assert changed == ("True" if name == "merge" else "False")
                best_t, best_m = min(best_t, t), max(best_m, m)
            results[name] = (best_t, best_m)
        size = master.stat().st_size
    floor_t, floor_m = results["floor"]
    summary = {
        "units": units,
        "file_mb": round(size / 1e6, 1),
        "build_s": round(built, 2),
        **{
            name: {
                "time_s": round(t, 3),
                "peak_rss_mb": round(m / 1024, 1),
                "time_ratio": round(t / floor_t, 2),
                "memory_ratio": round(m / floor_m, 2),
            }
            for name, (t, m) in results.items()
        },
        "targets": {"time_ratio": 2.0, "memory_ratio": 1.5},
    }
    if opts.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"inventory: {units} units, {summary['file_mb']} MB (built in {built:.1f} s)")
    for name, (t, m) in results.items():
        print(
            f"{name:8s} {t:7.3f} s  ×{t / floor_t:4.2f}   peak RSS {m / 1024:7.1f} MB  ×{m / floor_m:4.2f}"
        )
    merge_t, merge_m = results["merge"]
    ok = merge_t <= 2 * floor_t and merge_m <= 1.5 * floor_m
    print(f"targets (merge ≤ 2× time, ≤ 1.5× memory): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
