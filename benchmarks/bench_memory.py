"""Benchmark: peak memory (RSS) against input size for describe, package, verify, merge, export.

Each command runs as its own child process (the installed ``arkivlucka``); its peak resident
set size is read from ``os.wait4`` (``ru_maxrss``, which includes the C libraries' memory and
any worker process it waited for). Inputs are made in separate processes, so that this one
stays small (a child's ``ru_maxrss`` starts from its parent's size at fork). The reference, measured in the same run, is the peak of
``arkivlucka --version`` (interpreter and start-up). Each line gives the peak in MB, its
ratio to the reference and, for the second size of a command, how much it grew.

Targets (issue 12), at the full sizes (``--full``):
  describe  10,000 lost records x 50 records creators <= 300 MB, not growing with creators
  package   50,000 files <= 150 MB (also with --no-identify, to show siegfried's share)
  verify    50,000 files <= 100 MB
  merge     200,000 units: --dry-run no more than the merge
  export    .xlsx linear in the units (time per unit flat), 20,000 units <= 10 s

The default run uses small sizes (a loaded 2-core machine finishes in about a minute);
``--scale F`` multiplies them, ``--full`` uses the target sizes. Usage:
  python benchmarks/bench_memory.py [--full | --scale F] [--only describe,package,...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent / "arkivlucka")
INCIDENT = REPO / "samples" / "digframe" / "incident.yaml"
FIXED = ["--created", "2024-03-01T10:00:00+01:00", "--tool-version", "bench"]


def peak(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (peak RSS in MB, wall seconds). A failing command stops the run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])}... failed ({proc.returncode}): {err.decode()[-2000:]}")
    return usage.ru_maxrss / 1024, took


def incident(path: Path, records: int, creators: int) -> Path:
    """The sample incident with ``records`` lost records and ``creators`` records creators."""
    base = INCIDENT.read_text(encoding="utf-8")
    head, rest = base.split("lost_records:\n", 1)
    tail = rest[rest.index("\nsystems:") :]
    lost = "".join(
        f"  - id: handling-{n}\n    title: Handling nummer {n} i modulen\n    extent: partial\n"
        f'    record_type: "Producerat material: Utredningar, kartläggningar"\n'
        f'    process: "2.2"\n    system: Digframe\n'
        for n in range(records)
    )
    before, after = tail.split("records_creators:\n", 1)
    after = after[after.index("\nextracts:") :]
    makers = "".join(
        f"  - name: Nämnd {k}\n    department: Förvaltning {k}\n" for k in range(creators)
    )
    path.write_text(
        head + "lost_records:\n" + lost + before + "records_creators:\n" + makers + after,
        encoding="utf-8",
    )
    return path


def payload(root: Path, files: int) -> Path:
    """``files`` small files in folders of 500."""
    for n in range(files):
        path = root / f"d{n // 500:03d}" / f"post-{n:06d}.txt"
        if n % 500 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * (100 + n % 900))
    return root


def inventory(path: Path, units: int) -> Path:
    """An inventory of ``units`` storage units, built in a child process.

    This process must stay small: a child's ``ru_maxrss`` starts from its parent's RSS at fork.
    """
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]); "
        "from bench_inventory import build; build(Path(sys.argv[1]), int(sys.argv[2]))"
    )
    script = [sys.executable, "-c", code, str(path), str(units), str(REPO / "benchmarks")]
    subprocess.run(script, check=True)
    return path


def report(name: str, size: str, mb: float, secs: float, ref: float, first: float | None) -> None:
    grew = f"  {mb / first:5.2f}x the smaller size" if first else ""
    print(f"{name:<16} {size:<26} {mb:8.1f} MB  {mb / ref:5.1f}x ref  {secs:7.1f} s{grew}")


def bench_describe(work: Path, scale: float, ref: float) -> None:
    records = max(10, int(1000 * scale))
    first = None
    for creators in (4, 50) if scale >= 10 else (4, 16):
        src = incident(work / f"incident-{creators}.yaml", records, creators)
        out = work / f"entries-{creators}"
        mb, secs = peak([BIN, "describe", str(src), "-o", str(out), "-q", *FIXED])
        report("describe", f"{records} records x {creators}", mb, secs, ref, first)
        first = first or mb
        shutil.rmtree(out)


def bench_package_verify(work: Path, scale: float, ref: float) -> None:
    entries = work / "entries"
    subprocess.run(
        [BIN, "describe", str(INCIDENT), "-o", str(entries), "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    firsts: dict[str, float] = {}
    for files in (max(200, int(5000 * scale)) // 5, max(1000, int(5000 * scale))):
        data = payload(work / f"payload-{files}", files)
        pkg = work / f"sip-{files}"
        cmd = [BIN, "package", str(INCIDENT), "--entries", str(entries), "--payload", str(data)]
        mb, secs = peak([*cmd, "-o", str(pkg), "-q", *FIXED])
        report("package", f"{files} files", mb, secs, ref, firsts.get("package"))
        firsts.setdefault("package", mb)
        bare = work / f"sip-bare-{files}"
        mb, secs = peak([*cmd, "-o", str(bare), "-q", "--no-identify", *FIXED])
        report("  --no-identify", f"{files} files", mb, secs, ref, firsts.get("bare"))
        firsts.setdefault("bare", mb)
        shutil.rmtree(bare)
        mb, secs = peak([BIN, "verify", str(pkg)])
        report("verify", f"{files} files", mb, secs, ref, firsts.get("verify"))
        firsts.setdefault("verify", mb)
        shutil.rmtree(pkg)
        shutil.rmtree(data)


def bench_merge(work: Path, scale: float, ref: float) -> None:
    units = max(2000, int(20_000 * scale))
    master = inventory(work / "master.xml", units)
    entry = work / "entry"
    subprocess.run(
        [BIN, "describe", str(INCIDENT), "-o", str(entry), "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    post = next(entry.rglob("arkivforteckning.xml"))
    merged = None
    for mode in ("merge", "merge --dry-run"):
        target = work / "inventory.xml"
        shutil.copyfile(master, target)
        extra = ["--dry-run"] if "dry" in mode else []
        mb, secs = peak([BIN, "inventory", "merge", str(post), str(target), *extra])
        report(mode, f"{units} units", mb, secs, ref, None)
        if merged is not None:
            print(f"{'':<16} dry run / merge: {mb / merged:.2f}x (target <= 1.0x)")
        merged = mb


def bench_export(work: Path, scale: float, ref: float) -> None:
    per_unit = None
    for units in (max(1000, int(2000 * scale)), max(4000, int(8000 * scale))):
        source = inventory(work / f"export-{units}.xml", units)
        out = work / f"export-{units}.xlsx"
        mb, secs = peak([BIN, "inventory", "export", str(source), "-o", str(out), *FIXED])
        report("export .xlsx", f"{units} units", mb, secs, ref, None)
        if per_unit is not None:
            print(f"{'':<16} time per unit vs the smaller size: {secs / units / per_unit:.2f}x")
        per_unit = secs / units


BENCHES: dict[str, Callable[[Path, float, float], None]] = {
    "describe": bench_describe,
    "package": bench_package_verify,
    "merge": bench_merge,
    "export": bench_export,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    parser.add_argument("--full", action="store_true", help="the target sizes (scale 10)")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated benches")
    args = parser.parse_args()
    scale = 10.0 if args.full else args.scale
    ref, _ = peak([BIN, "--version"])
    print(f"{'reference':<16} {'arkivlucka --version':<26} {ref:8.1f} MB")
    work = Path(tempfile.mkdtemp(prefix="bench-memory-", dir=os.environ.get("BENCH_DIR")))
    try:
        for name in args.only.split(","):
            BENCHES[name](work, scale, ref)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
