"""Benchmark: `arkivlucka package` and `verify` against a floor measured in the same run.

Package floor: copy the payload (`cp -r`) and compute every file's SHA-256 with
`openssl dgst -sha256`. Verify floor: `openssl dgst -sha256` over every file of the package.
Targets: package <= 1.3x (without format identification, `--no-identify`; with it the PRONOM
identification of every payload file by siegfried is timed too, informative), a .zip package
<= 1.3x (`--zip`), verify <= 1.2x. Default payload 1 GB (a few large files and thousands of
small ones); `--size MB` or `--quick` (128 MB) for a shorter run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def files_of(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def openssl_sha256(files: list[str]) -> None:
    for start in range(0, len(files), 2000):
        subprocess.run(
            ["openssl", "dgst", "-sha256", *files[start : start + 2000]],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Best of ``runs``, each after an untimed `sync` (earlier writes flushed)."""
    times = []
    for _ in range(runs):
        subprocess.run(["sync"], check=True)
        times.append(timed(fn))
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1024, help="payload size in MB (default 1024)")
    parser.add_argument("--quick", action="store_true", help="128 MB payload")
    parser.add_argument("--runs", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument(
        "--small-kb",
        type=int,
        default=16,
        help="largest small file in KB (default 16: ~18,000 files per GB)",
    )
    parser.add_argument("--zip", action="store_true", help="also time a .zip package (informative)")
    args = parser.parse_args()
    size = (128 if args.quick else args.size) << 20
    work = Path(tempfile.mkdtemp(prefix="bench-package-", dir=os.environ.get("BENCH_DIR")))
    try:
        payload = work / "uttag"
        count, total = make_payload(payload, size, small_kb=args.small_kb)
        entries = work / "entries"
        incident = REPO / "samples" / "digframe" / "incident.yaml"
        subprocess.run([str(BIN), "describe", str(incident), "-o", str(entries), "-q"], check=True)
        src_files = files_of(payload)
        openssl_sha256(src_files)  # warm the page cache for everyone

        # Every run writes to a fresh folder and nothing is deleted until the end: deleting
        # a 1 GB tree makes the next file creations on ext4 (discard) many times slower,
        # which would measure the disk's housekeeping, not the programs.
        runs = iter(range(1000))

        def floor_package() -> None:
            subprocess.run(
                ["cp", "-r", str(payload), str(work / f"floor-{next(runs)}")], check=True
            )
            openssl_sha256(src_files)

        def run_package(target: Path, *extra: str) -> None:
            cmd = [
                str(BIN),
                "package",
                str(incident),
                "--entries",
                str(entries),
                "--payload",
                str(payload),
                "-o",
                str(target),
                "-q",
                *extra,
            ]  # official schemas: the installed ones (`arkivlucka schemas install`)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

        t_floor = t_pkg = float("inf")
        for n in range(args.runs):  # interleaved, so disk state affects both alike
            t_floor = min(t_floor, best(floor_package, 1))
            pkg = work / f"leverans-{n}"
            t_pkg = min(t_pkg, best(lambda: run_package(pkg, "--no-identify"), 1))  # noqa: B023
        pkg_files = files_of(pkg)
        verify_cmd = [str(BIN), "verify", str(pkg)]
        t_vfloor = best(lambda: openssl_sha256(pkg_files), args.runs)
        t_verify = best(
            lambda: subprocess.run(verify_cmd, check=True, stderr=subprocess.DEVNULL), args.runs
        )
        mb = total / (1 << 20)
        print(f"payload: {count} files, {mb:.0f} MB")
        print(
            f"package: {t_pkg:6.2f} s   floor (cp -r + openssl dgst -sha256): {t_floor:6.2f} s   ratio {t_pkg / t_floor:.2f}x (target <= 1.3x)"
        )
        print(
            f"verify:  {t_verify:6.2f} s   floor (openssl dgst -sha256):         {t_vfloor:6.2f} s   ratio {t_verify / t_vfloor:.2f}x (target <= 1.2x)"
        )
        t_ident = best(lambda: run_package(work / "leverans-identify"), 1)
        print(
            f"package with format identification: {t_ident:6.2f} s   ratio {t_ident / t_floor:.2f}x (informative)"
        )
        if args.zip:
            zips = iter(range(1000))
            t_zip = min(
                best(lambda: run_package(work / f"leverans-{next(zips)}.zip", "--no-identify"), 1)
                for _ in range(args.runs)
            )
            print(
                f"package .zip: {t_zip:6.2f} s   ratio {t_zip / t_floor:.2f}x the folder floor (target <= 1.3x)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
