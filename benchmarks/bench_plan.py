"""Benchmark: reading, checking and matching against a large retention schedule.

Prints each stage's time and its ratio to a floor measured in the same run (parsing the
same CSV with the standard csv module). Usage: python benchmarks/bench_plan.py [--quick]
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

from arkivlucka.files.tables import table_bytes
from arkivlucka.incident import model as m
from arkivlucka.retention.assess import apply_plan
from arkivlucka.retention.check import check_plan
from arkivlucka.retention.schedule import read_plan

WORDS = [
    "utredningar",
    "kartläggningar",
    "tidplaner",
    "protokoll",
    "avtal",
    "fakturor",
    "rapporter",
    "beslut",
]
PERIODS = ["Bevaras", "2 år", "vid inaktualitet", "5 år efter sista anteckning", "10 år"]


def make_rows(n: int) -> list[list[str]]:
    rows = [["Plan", "Benchmarkplan"], ["Version", "1"], ["Beslutad av", "KS"]]
    rows.append(["Nr", "Klass", "Process", "Handlingstyp", "Gallringsfrist", "Förvaring"])
    for i in range(n):
        rt = f"{WORDS[i % 8].capitalize()} {WORDS[(i // 8) % 8]} nr {i}"
        rows.append(
            [
                f"{i // 50}.{i % 50}.{i}",
                f"{i // 50}.{i % 50}",
                "Process",
                rt,
                PERIODS[i % 5],
                "Arkiv",
            ]
        )
    return rows


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    quick = "--quick" in sys.argv
    n = 2_000 if quick else 10_000
    records = 20 if quick else 50
    rows = make_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "plan.csv"
        xlsx_path = Path(tmp) / "plan.xlsx"
        csv_path.write_bytes(table_bytes(rows[0], rows[1:], ".csv"))
        xlsx_path.write_bytes(table_bytes(rows[0], rows[1:], ".xlsx"))
        data = csv_path.read_bytes().decode("utf-8-sig")
        floor = best(lambda: list(csv.reader(io.StringIO(data), delimiter=";")))
        plan = read_plan(csv_path)
        incident = m.Incident(
            lost_records=tuple(
                m.LostRecord(f"r{i}", f"Handling {i}", record_type=f"{WORDS[i % 8]} okänd {i}")
                for i in range(records)
            )
        )
        stages = {
            f"read csv ({n} rows)": lambda: read_plan(csv_path),
            f"read xlsx ({n} rows)": lambda: read_plan(xlsx_path),
            "check": lambda: check_plan(plan),
            f"match+assess {records} unmatched records": lambda: apply_plan(incident, plan),
        }
        print(f"floor: csv.reader on the same file: {floor * 1000:.1f} ms")
        for name, fn in stages.items():
            t = best(fn, 1 if "xlsx" in name else 3)
            print(f"{name}: {t * 1000:.1f} ms = {t / floor:.1f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
