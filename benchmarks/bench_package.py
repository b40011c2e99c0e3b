"""Benchmark: `arkivlucka package` and `verify` against floors, in pairs (A B A B ...).

Package floor: copy the payload (`cp -r`) and compute every file's SHA-256 with
`openssl dgst -sha256`. Verify floor: `openssl dgst -sha256` over every file of the package.
Targets: package <= 1.3x (into a folder and into a .zip), verify <= 1.2x for the mixed payload; for many small files
(`--small N`: N files of 2-6 KB) <= 2x at 1,000 files and <= 1.5x at 10,000. Default: a
mixed 1 GB payload (a few large files, thousands of small ones), then 1,000 and 10,000 small
files; `--quick`: 128 MB mixed and 1,000 small files, 3 pairs. For small files, verify is
also timed against the least any verify on this stack does (`stack_floor.py`), and that floor
against openssl. `--identify`: instead, the
cost of PRONOM identification: `package` against `package --no-identify`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import pairs, report

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "arkivlucka"


def make_payload(root: Path, total: int, seed: int = 6, small_kb: int = 16) -> tuple[int, int]:
    """A mixed payload: 60% in 4 large files, 25% in mid-size files, 15% in 1 KB..small_kb files."""
    rng = random.Random(seed)
    count = 0
    large = total * 60 // 100
    for n in range(4):
        path = root / "stora" / f"databas-{n}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            left = large // 4
            while left > 0:
                step = min(left, 8 << 20)
                fh.write(rng.randbytes(step))
                left -= step
        count += 1
    mid, n = total * 25 // 100, 0
    while mid > 0:
        size = min(mid, rng.randint(256 << 10, 4 << 20))
        path = root / "mellan" / f"d{n // 50:02d}" / f"fil-{n:04d}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
        mid -= size
        n += 1
        count += 1
    small, n = total * 15 // 100, 0
    while small > 0:
        size = min(small, rng.randint(1 << 10, small_kb << 10))
        path = root / "sma" / f"d{n // 200:03d}" / f"post-{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size // 2).hex().encode()[:size])
        small -= size
        n += 1
        count += 1
    return count, total


def make_small(root: Path, count: int, seed: int = 6) -> None:
    """``count`` text files of 2-6 KB, 200 to a folder."""
    rng = random.Random(seed)
    for n in range(count):
        path = root / "sma" / f"d{n // 200:03d}" / f"post-{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        size = rng.randint(2 << 10, 6 << 10)
        path.write_bytes(rng.randbytes(size // 2).hex().encode()[:size])


def hash_cmd(folder: Path) -> str:
    return f"find '{folder}' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null"


def identify_cost(work: Path, payload: Path, label: str, runs: int) -> None:
    """`package` with PRONOM identification (the default) against `--no-identify`, in pairs."""
    entries = work / "entries"
    incident = REPO / "samples" / "digframe" / "incident.yaml"
    if not entries.exists():
        subprocess.run([str(BIN), "describe", str(incident), "-o", str(entries), "-q"], check=True)
    pkg = work / "leverans"
    base = [str(BIN), "package", str(incident), "--entries", str(entries), "--payload",
            str(payload), "-o", str(pkg), "-q"]  # fmt: skip
    report(f"identification, {label}", "`package` (identifying)", "`package --no-identify`",
           pairs(base, [*base, "--no-identify"], runs, before=lambda: shutil.rmtree(pkg, ignore_errors=True)),
           "as close to 1× as the overlap allows")  # fmt: skip
    shutil.rmtree(pkg, ignore_errors=True)


def compare(work: Path, payload: Path, label: str, runs: int) -> None:
    """Package and verify ``payload`` against their floors, in pairs."""
    entries = work / "entries"
    if not entries.exists():
        incident = REPO / "samples" / "digframe" / "incident.yaml"
        subprocess.run([str(BIN), "describe", str(incident), "-o", str(entries), "-q"], check=True)
    incident = REPO / "samples" / "digframe" / "incident.yaml"
    schemas: list[str] = []  # the installed official schemas (the usual lookup)
    pkg, copy = work / "leverans", work / "floor-copy"
    subprocess.run(["sh", "-c", hash_cmd(payload)], check=True)  # warm the page cache

    def clean() -> None:
        shutil.rmtree(pkg, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["sync"], check=True)

    package = [str(BIN), "package", str(incident), "--entries", str(entries), "--payload",
               str(payload), "-o", str(pkg), "-q", "--no-identify", *schemas]  # fmt: skip
    floor = ["sh", "-c", f"cp -r '{payload}' '{copy}' && {hash_cmd(payload)}"]
    report(f"package, {label}", "`arkivlucka package` (folder)", "`cp -r` + `openssl dgst -sha256`",
           pairs(package, floor, runs, before=clean), "≤ 1.3× (small files: ≤ 2× at 1,000, ≤ 1.5× at 10,000)")  # fmt: skip
    if "small files" in label:  # what part of the distance to the floor is the interpreter's
        started = [
            "sh",
            "-c",
            f"{sys.executable} -c 'import click, lxml.etree, yaml' && {floor[2]}",
        ]
        report(f"package, {label}, against a floor that starts Python", "`arkivlucka package` (folder)",
               "`python -c 'import click, lxml.etree, yaml'` + `cp -r` + `openssl dgst -sha256`",
               pairs(package, started, runs, before=clean), "— (for reading the row above)")  # fmt: skip
    zipped = [
        *package[: package.index("-o") + 1],
        str(pkg) + ".zip",
        *package[package.index("-o") + 2 :],
    ]

    def clean_zip() -> None:
        clean()
        Path(str(pkg) + ".zip").unlink(missing_ok=True)

    report(f"package .zip, {label}", "`arkivlucka package` (.zip)", "`cp -r` + `openssl dgst -sha256`",
           pairs(zipped, floor, runs, before=clean_zip), "≤ 1.3×")  # fmt: skip
    clean_zip()
    subprocess.run(package, check=True)
    verify = [str(BIN), "verify", str(pkg), *schemas]
    report(f"verify, {label}", "`arkivlucka verify` (folder)", "`openssl dgst -sha256`",
           pairs(verify, ["sh", "-c", hash_cmd(pkg)], runs), "≤ 1.2× (small files: ≤ 2× at 1,000, ≤ 1.5× at 10,000)")  # fmt: skip
    if "small files" in label:  # what part of the distance to the floor is the interpreter's
        started = f"{sys.executable} -c 'import click, lxml.etree' && {hash_cmd(pkg)}"
        report(f"verify, {label}, against a floor that starts Python", "`arkivlucka verify` (folder)",
               "`python -c 'import click, lxml.etree'` + `openssl dgst -sha256`",
               pairs(verify, ["sh", "-c", started], runs), "— (for reading the row above)")  # fmt: skip
        # the least any verify on this stack does (stack_floor.py): ours against it, it against openssl
        floor_cmd = [sys.executable, str(Path(__file__).with_name("stack_floor.py")), str(pkg)]
        report(f"verify, {label}, against the stack's floor", "`arkivlucka verify` (folder)",
               "`stack_floor.py`: Python, click, lxml; METS files and metadata documents validated, files hashed, on 2 processes",
               pairs(verify, floor_cmd, runs), "— (for reading the row above)")  # fmt: skip
        report(f"the stack's floor for verify, {label}", "`stack_floor.py`", "`openssl dgst -sha256`",
               pairs(floor_cmd, ["sh", "-c", hash_cmd(pkg)], runs), "— (what the stack alone costs)")  # fmt: skip
    clean()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1024, help="mixed payload in MB (0: none)")
    parser.add_argument("--small", type=int, action="append", help="N small files (repeatable)")
    parser.add_argument("--quick", action="store_true", help="128 MB mixed, 1,000 small files")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per comparison")
    parser.add_argument(
        "--small-kb", type=int, default=16, help="largest small file of the mixed payload"
    )
    parser.add_argument(
        "--identify", action="store_true", help="only: identifying against --no-identify"
    )
    args = parser.parse_args()
    size = 128 if args.quick else args.size
    smalls = args.small or ([1_000] if args.quick else [1_000, 10_000])
    runs = args.pairs or (3 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="bench-package-", dir=os.environ.get("BENCH_DIR")))
    try:
        if size:
            payload = work / "uttag"
            count, total = make_payload(payload, size << 20, small_kb=args.small_kb)
            what = f"mixed payload: {count:,} files, {total >> 20} MB"
            (identify_cost if args.identify else compare)(work, payload, what, runs)
            shutil.rmtree(payload)
        for count in smalls:
            payload = work / f"sma-{count}"
            make_small(payload, count)
            what = f"{count:,} small files of 2–6 KB"
            (identify_cost if args.identify else compare)(work, payload, what, runs)
            shutil.rmtree(payload)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
