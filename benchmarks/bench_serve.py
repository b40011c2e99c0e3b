"""Benchmark the workbench: the review page and a preview of an incident with 200 lost records.

Usage: python benchmarks/bench_serve.py [--records N] [--repeat R] [--pairs N] [--quick]

Each page is fetched over HTTP from a server on 127.0.0.1 (as a browser would), ``--repeat``
times per run. The reference, run in pairs with it (A B A B ..., each run a fresh fork;
benchlib.py), is the library work the page rests on: ``review_incident`` for the review page
(read, load, check, plan suggestions) and ``preview_entries`` for the preview (make and
validate the entries). Prints median, min and max of the ratio page/reference (how much the
web layer adds), peak memory (of A: the client's; the server runs in the benchmark's own
process), load, and the targets (review < 200 ms, preview update < 300 ms
a page: the median time of a run divided by ``--repeat``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

from arkivlucka.core.context import RunContext
from arkivlucka.entries.review import preview_entries, review_incident
from arkivlucka.incident.load import load_incident
from arkivlucka.retention.schedule import read_plan
from arkivlucka.web.routes import create_app
from arkivlucka.web.server import Server
from benchlib import pairs, report

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="pages fetched in one run")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per comparison")
    parser.add_argument("--quick", action="store_true", help="3 pairs")
    args = parser.parse_args()
    runs = args.pairs or (3 if args.quick else 5)
    reps = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        shutil.copyfile(PLAN, ws / "dokumenthanteringsplan.csv")
        (ws / "bench.yaml").write_text(incident_text(args.records), encoding="utf-8")
        path = ws / "bench.yaml"

        def ref_review() -> None:
            for _ in range(reps):
                review_incident(path, read_plan(PLAN))

        def ref_preview() -> None:
            for _ in range(reps):
                preview_entries(load_incident(path), CTX, read_plan(PLAN))

        server = Server(create_app(ws, lambda: CTX, token="bench")).start()
        try:
            with httpx.Client(base_url=server.base, timeout=60) as client:
                client.get("/?token=bench")  # the session cookie every run's client gets
                cookies = dict(client.cookies)

            def page(where: str) -> None:
                # a new client in each forked run (a pool must not cross a fork); the server
                # thread runs in this process while it waits for the run
                with httpx.Client(base_url=server.base, timeout=60, cookies=cookies) as c:
                    for _ in range(reps):
                        r = c.get(where)
                        assert r.status_code == 200, r.text[:500]

            for name, where, ref, ref_label, target in (
                ("review page", "/i/bench", ref_review, "review_incident", 0.2),
                ("preview page", "/i/bench/preview", ref_preview, "preview_entries", 0.3),
            ):
                result = pairs(lambda where=where: page(where), ref, runs)
                per_page = statistics.median(r.seconds for r in result.a) / reps
                verdict = "within" if per_page < target else "OVER"
                report(
                    f"workbench: {name}, {args.records} lost records (×{reps})",
                    f"GET {where}",
                    ref_label,
                    result,
                    f"< {target * 1000:.0f} ms a page",
                )
                print(f"  {per_page * 1000:.1f} ms a page ({verdict} {target * 1000:.0f} ms)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
