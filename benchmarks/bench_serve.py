"""Benchmark the workbench: the review page and a preview of an incident with 200 lost records.

Usage: python benchmarks/bench_serve.py [--records N] [--repeat R]

Each page is fetched over HTTP from a server on 127.0.0.1 (as a browser would). The reference,
measured in the same run, is the library work the page rests on: ``review_incident`` for the
review page (read, load, check, plan suggestions) and ``preview_entries`` for the preview
(make and validate the entries). Prints the medians, the ratio page/reference (how much the
web layer adds) and the targets (review < 200 ms, preview update < 300 ms).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from arkivlucka.core.context import RunContext
from arkivlucka.entries.review import preview_entries, review_incident
from arkivlucka.incident.load import load_incident
from arkivlucka.retention.schedule import read_plan
from arkivlucka.web.routes import create_app
from arkivlucka.web.server import Server

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "samples" / "digframe" / "dokumenthanteringsplan.csv"
CTX = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "bench", by_role="kommunarkivarie")


def incident_text(records: int) -> str:
    """The Digframe incident with ``records`` lost records, each with a period and a plan code."""
    base = (ROOT / "samples" / "digframe" / "incident.yaml").read_text(encoding="utf-8")
    head, _, rest = base.partition("lost_records:")
    tail = "\nsystems:" + rest.split("\nsystems:", 1)[1]
    items = [
        f"  - id: handling-{i}\n    title: Handling nummer {i}\n"
        f"    period: {{start: {2000 + i % 20}, end: {2001 + i % 20}}}\n    extent: partial\n"
        f'    record_type: "Producerat material: Utredningar, kartläggningar"\n'
        f'    process: "2.2"\n    system: Digframe'
        for i in range(records)
    ]
    return head + "lost_records:\n" + "\n".join(items) + "\n" + tail


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        shutil.copyfile(PLAN, ws / "dokumenthanteringsplan.csv")
        (ws / "bench.yaml").write_text(incident_text(args.records), encoding="utf-8")
        path = ws / "bench.yaml"
        ref_review = median_ms(lambda: review_incident(path, read_plan(PLAN)), args.repeat)
        ref_preview = median_ms(
            lambda: preview_entries(load_incident(path), CTX, read_plan(PLAN)), args.repeat
        )
        server = Server(create_app(ws, lambda: CTX, token="bench")).start()
        try:
            with httpx.Client(base_url=server.base, timeout=60) as client:
                client.get("/?token=bench")

                def page(where: str) -> None:
                    r = client.get(where)
                    assert r.status_code == 200, r.text[:500]

                review_ms = median_ms(lambda: page("/i/bench"), args.repeat)
                preview_ms = median_ms(lambda: page("/i/bench/preview"), args.repeat)
        finally:
            server.stop()
    print(f"incident with {args.records} lost records, median of {args.repeat}")
    print(f"review page   {review_ms:8.1f} ms  (target < 200 ms)  "
          f"= {review_ms / ref_review:.2f}x review_incident ({ref_review:.1f} ms)")  # fmt: skip
    print(f"preview page  {preview_ms:8.1f} ms  (target < 300 ms)  "
          f"= {preview_ms / ref_preview:.2f}x preview_entries ({ref_preview:.1f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
