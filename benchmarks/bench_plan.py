"""Benchmark: reading, checking and matching against a large retention schedule.

Pairs (A B A B ...) against floors measured in the same run: a bare ``csv.reader`` pass over
the same CSV (targets: read CSV <= 5x, check <= 2x), openpyxl's own read-only iteration of
the same XLSX (target: read XLSX <= 3x), and for 50 suggestions against 10,000 rows the
target is an absolute <= 1 s (printed against the CSV floor). Usage:
python benchmarks/bench_plan.py [--quick] [--pairs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

from arkivlucka.files.tables import table_bytes
from arkivlucka.incident import model as m
from arkivlucka.retention.assess import apply_plan
from arkivlucka.retention.check import check_plan
from arkivlucka.retention.schedule import read_plan
from benchlib import pairs, report

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 rows, 20 records, 3 pairs")
    parser.add_argument("--pairs", type=int, default=None)
    args = parser.parse_args()
    n = 2_000 if args.quick else 10_000
    records = 20 if args.quick else 50
    runs = args.pairs or (3 if args.quick else 5)
    rows = make_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "plan.csv"
        xlsx_path = Path(tmp) / "plan.xlsx"
        csv_path.write_bytes(table_bytes(rows[0], rows[1:], ".csv"))
        xlsx_path.write_bytes(table_bytes(rows[0], rows[1:], ".xlsx"))
        plan = read_plan(csv_path)
        incident = m.Incident(
            lost_records=tuple(
                m.LostRecord(f"r{i}", f"Handling {i}", record_type=f"{WORDS[i % 8]} okänd {i}")
                for i in range(records)
            )
        )

        def csv_floor() -> None:
            data = csv_path.read_bytes().decode("utf-8-sig")
            list(csv.reader(io.StringIO(data), delimiter=";"))

        def xlsx_floor() -> None:
            import openpyxl

            book = openpyxl.load_workbook(xlsx_path, read_only=True)
            list(book.active.iter_rows(values_only=True))
            book.close()

        def suggestions() -> None:
            apply_plan(incident, plan)

        cases = [
            (f"plan: read CSV ({n:,} rows)", lambda: read_plan(csv_path), csv_floor, "csv.reader pass", "≤ 5×"),
            (f"plan: read XLSX ({n:,} rows)", lambda: read_plan(xlsx_path), xlsx_floor, "openpyxl read-only iteration", "≤ 3×"),
            (f"plan: check ({n:,} rows)", lambda: check_plan(plan), csv_floor, "csv.reader pass", "≤ 2×"),
            (f"plan: {records} suggestions against {n:,} rows", suggestions, csv_floor, "csv.reader pass", "≤ 1 s absolute"),
        ]  # fmt: skip
        for name, ours, floor, floor_label, target in cases:
            report(name, "arkivlucka", floor_label, pairs(ours, floor, runs), target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
