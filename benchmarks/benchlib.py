"""Shared harness of the benchmark scripts: paired runs, ratios, load and peak memory.

Every comparison runs its two sides in pairs (A B A B ...), each run in a fresh process (a
fork for in-process work, the command itself for programs), and prints the median, min and
max of the per-pair ratio, each side's median time and peak memory, and the load average
before and after; also the per-pair ratio of CPU time, which other jobs on the machine shake
less than the wall time (a cross-check under load; the table keeps the wall time). With
``BENCH_RESULTS=FILE`` in the environment every comparison also
appends a Markdown table row to FILE (``make bench`` builds benchmarks/RESULTS.md that way).

``python benchmarks/benchlib.py header`` prints the heading of that file (machine, Python).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

Side = Callable[[], object] | Sequence[str]


@dataclass
class Run:
    """One run of one side: wall time in seconds, peak memory in bytes, CPU seconds."""

    seconds: float
    peak: int
    #: user + system CPU time of the run (less shaken by other jobs than the wall time)
    cpu: float = 0.0


@dataclass
class Pairs:
    """The runs of both sides, pair by pair, and the load average around them."""

    a: list[Run] = field(default_factory=list)
    b: list[Run] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def ratios(self) -> list[float]:
        """Per-pair ratio A / B."""
        return [x.seconds / y.seconds for x, y in zip(self.a, self.b, strict=True)]

    @property
    def cpu_ratios(self) -> list[float]:
        """Per-pair ratio of CPU time A / B (empty when a side's CPU time is unknown)."""
        if any(r.cpu <= 0 for r in (*self.a, *self.b)):
            return []
        return [x.cpu / y.cpu for x, y in zip(self.a, self.b, strict=True)]


def _rss_kb(field_name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc), so a run's peak is its own.

    A forked run starts with a copy of this process's heap; what the parent freed is still
    resident there, and a run that reuses it would show almost no added memory.
    """
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the peak is a lower bound
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _in_child(fn: Callable[[], object]) -> Run:
    """Run ``fn`` in a forked child; its peak is the resident memory it added to the fork."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        code = 0
        try:
            _release_free_memory()  # else the run reuses the parent's free heap unseen
            try:
                with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
                    fh.write("5")  # reset the high-water mark to the current RSS
            except OSError:
                pass
            start_kb = _rss_kb("VmRSS")
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            seconds = time.perf_counter() - start
            cpu = time.process_time() - start_cpu
            peak = max(0, _rss_kb("VmHWM") - start_kb) * 1024
            os.write(write_end, json.dumps([seconds, peak, cpu]).encode())
        except BaseException as exc:  # report, never return into the parent's code
            os.write(write_end, json.dumps(["error", repr(exc)]).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = json.loads(fh.read() or b'["error", "no result"]')
    os.waitpid(pid, 0)
    if data[0] == "error":
        raise RuntimeError(f"benchmark side failed: {data[1]}")
    return Run(float(data[0]), int(data[1]), float(data[2]))


def _command(cmd: Sequence[str]) -> Run:
    """Run a program; its peak is its maximum resident set size.

    Measured by GNU time where present: a child forked from this (large) process would
    report this process's size as its own maximum.
    """
    gnu_time = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".rss", encoding="ascii") as rss:
        wrapped = [str(gnu_time), "-f", "%M", "-o", rss.name, *cmd] if gnu_time.exists() else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(list(wrapped), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"benchmark command failed: {' '.join(cmd)}")
        text = rss.read().strip().splitlines()
    peak_kb = int(text[-1]) if text and text[-1].isdigit() else usage.ru_maxrss
    return Run(seconds, peak_kb * 1024, usage.ru_utime + usage.ru_stime)


def run_side(side: Side) -> Run:
    """One run of a side (a function or a command line)."""
    return _in_child(side) if callable(side) else _command(side)


def pairs(
    a: Side, b: Side, runs: int, before: Callable[[], object] | None = None, warm: bool = True
) -> Pairs:
    """Run A and B alternately ``runs`` times each (after one untimed warm-up of each)."""
    if warm:
        for side in (a, b):
            if before is not None:
                before()
            run_side(side)
    result = Pairs(load_before=os.getloadavg()[0])
    for _ in range(runs):
        for side, runs_of in ((a, result.a), (b, result.b)):
            if before is not None:
                before()
            runs_of.append(run_side(side))
    result.load_after = os.getloadavg()[0]
    return result


def mb(n: int) -> str:
    """Bytes as MB for the tables."""
    return f"{n / (1 << 20):.0f} MB"


def seconds(t: float) -> str:
    """Seconds, in ms below one second."""
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def report(name: str, a_label: str, b_label: str, result: Pairs, target: str) -> None:
    """Print one comparison and append it to ``$BENCH_RESULTS`` as a table row."""
    ratios = result.ratios
    med, lo, hi = statistics.median(ratios), min(ratios), max(ratios)
    ta = statistics.median(r.seconds for r in result.a)
    tb = statistics.median(r.seconds for r in result.b)
    pa, pb = max(r.peak for r in result.a), max(r.peak for r in result.b)
    load = f"{result.load_before:.2f} → {result.load_after:.2f}"
    print(f"{name}")
    print(f"  A {a_label}: median {seconds(ta)}, peak {mb(pa)}")
    print(f"  B {b_label}: median {seconds(tb)}, peak {mb(pb)}")
    print(
        f"  A/B over {len(ratios)} pairs: median {med:.2f}x (min {lo:.2f}x, max {hi:.2f}x);"
        f" target {target}; load {load}"
    )
    cpu = result.cpu_ratios
    if cpu:
        print(
            f"  CPU time A/B: median {statistics.median(cpu):.2f}x (min {min(cpu):.2f}x,"
            f" max {max(cpu):.2f}x)"
        )
    out = os.environ.get("BENCH_RESULTS")
    if out:
        row = (
            f"| {name} | {a_label} | {b_label} | **{med:.2f}×** ({lo:.2f}–{hi:.2f}, "
            f"{len(ratios)} pairs) | {seconds(ta)} / {seconds(tb)} | {mb(pa)} / {mb(pb)} "
            f"| {target} | {load} |\n"
        )
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(row)


def header() -> str:
    """The heading of RESULTS.md: when, on what machine, how to read the table."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text(encoding="ascii").split()[1])
        mem = f", {total_kb / (1 << 20):.1f} GiB RAM"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "# Benchmark results\n\n"
        f"Written by `make bench` on {when}: {os.cpu_count()} × {cpu}{mem}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average at the start {os.getloadavg()[0]:.2f}.\n\n"
        "Each row runs side A (arkivlucka) and side B (the floor) in pairs, A B A B …, each "
        "run in a fresh process; the ratio is A/B per pair: median (min–max). Times are "
        "medians; peak is the most resident memory one run added (in-process work, after the "
        "parent's free heap is handed back) or the program's maximum resident set (commands). Load is the 1-minute load average "
        "before → after the row.\n\n"
        "| benchmark | A | B (floor) | A/B | time A / B | peak A / B | target | load |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["header"]:
        sys.stdout.write(header())
    else:
        sys.exit("usage: benchlib.py header")
