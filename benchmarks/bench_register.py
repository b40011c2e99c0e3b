"""Benchmark the register: a ``register losses`` question against the same SQL run directly.

Usage: python benchmarks/bench_register.py [--db URL] [--incidents 5000] [--losses 100000]
       [--creators 300]

Fills a register (a new SQLite file unless --db names an empty PostgreSQL database) with
synthetic incidents, then times, in the same run: the library's answer to a question
(``find_losses``: SQL, rows to dataclasses, the recovered extracts) against the very same two
SQL statements executed on the raw DB-API cursor; and recording one incident (one
transaction, as ``describe --register`` does after the entries are written), against
answering the first question directly. Every comparison runs in pairs (A B A B ..., each run a
fresh fork with its own connection; benchlib.py) and prints median, min and max ratio, peak
memory and load (targets: question <= 1.5x the direct SQL and < 50 ms; recording <= 20 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from arkivlucka.incident.load import load_incident
from arkivlucka.register import schema as s
from arkivlucka.register.db import open_register, upgrade
from arkivlucka.register.losses import LossQuery, find_losses, loss_select
from arkivlucka.register.model import name_key
from arkivlucka.register.record import incident_record, store_incident
from arkivlucka.retention.assess import CullingReport
from benchlib import pairs, report

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ["Personec", "Procapita", "Treserva", "W3D3", "Platina", "Digframe", "Visma"]
PROCESSES = ["1.1", "2.2", "2.2.1", "3.1", "3.2", "4.1", "5.3"]


def fill(conn: Any, incidents: int, losses: int, creators: int, rnd: random.Random) -> None:
    conn.execute(s.creators.insert(), [
        {"id": c + 1, "name": f"Nämnd {c}", "name_key": name_key(f"Nämnd {c}"), "kind": "nämnd"}
        for c in range(creators)
    ])  # fmt: skip
    per = losses // incidents
    inc_rows, links, loss_rows, extract_rows = [], [], [], []
    for i in range(1, incidents + 1):
        year = rnd.randint(2005, 2024)
        inc_rows.append({"id": i, "incident_id": f"incident-b{i}", "organisation": "Kommun",
                         "occurred": f"{year}-06-01T10:00", "occurred_precision": "estimated",
                         "source_file": f"/incidents/{i}.yaml", "file_sha256": "0" * 64,
                         "recorded_at": "2024-03-01T10:00:00+00:00"})  # fmt: skip
        for k, c in enumerate(rnd.sample(range(1, creators + 1), rnd.randint(1, 3))):
            links.append({"incident_pk": i, "creator_pk": c, "folder": f"f{k}",
                          "description_post_id": f"ab-{i}-{c}", "inventory_post_id": f"af-{i}-{c}"})  # fmt: skip
        for n in range(per):
            start = rnd.randint(year - 10, year)
            end = rnd.choice([None, rnd.randint(start, year)])
            system = rnd.choice(SYSTEMS)
            loss_rows.append({
                "incident_pk": i, "position": n, "record_id": f"r{n}", "title": f"Handling {n}",
                "record_type": f"Typ {n % 40}", "record_type_key": f"typ {n % 40}",
                "period_start": str(start), "period_start_precision": "year",
                "period_end": None if end is None else str(end),
                "period_end_precision": None if end is None else "year",
                "period_first": date(start, 1, 1), "period_last": None if end is None else date(end, 12, 31),
                "extent": "partial", "process": rnd.choice(PROCESSES), "system": system,
                "system_key": name_key(system), "culling_classification": "gallring-utan-beslut",
            })  # fmt: skip
        for n in range(2):
            extract_rows.append({"incident_pk": i, "position": n, "title": f"Uttag {n}",
                                 "kept_in": "W3D3", "series": "serie F2"})  # fmt: skip
    for table, rows in ((s.incidents, inc_rows), (s.incident_creators, links), (s.losses, loss_rows),
                        (s.extracts, extract_rows)):  # fmt: skip
        for k in range(0, len(rows), 5000):
            conn.execute(table.insert(), rows[k : k + 5000])
    if conn.dialect.name == "postgresql":  # explicit ids were given: move the sequences on
        from sqlalchemy import text

        for name in ("creators", "incidents", "losses", "extracts"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT max(id) FROM {name}))"))  # fmt: skip


def direct(conn: Any, q: LossQuery) -> tuple[list[Any], list[Any]]:
    """The same two statements, compiled once, run on the raw DB-API cursor."""
    dialect = conn.dialect
    compiled = loss_select(q).compile(dialect=dialect)
    cur = conn.connection.dbapi_connection.cursor()
    params = compiled.params
    args = tuple(params[k] for k in compiled.positiontup) if compiled.positiontup else params
    cur.execute(str(compiled), args)
    rows = cur.fetchall()
    pks = sorted({r[-2] for r in rows})
    if not pks:
        return rows, []
    from sqlalchemy import select

    x = s.extracts.c
    ex = select(x.incident_pk, x.title, x.period_start, x.period_end, x.period_text, x.kept_in,
                x.series, x.reference).where(x.incident_pk.in_(pks)).order_by(x.incident_pk, x.position)  # fmt: skip
    compiled = ex.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = tuple(params[k] for k in compiled.positiontup) if compiled.positiontup else params
    cur.execute(str(compiled), args)
    return rows, cur.fetchall()


def in_fork(reg: Any, fn: Any, reps: int) -> Any:
    """A benchmark side: ``fn(conn)`` ``reps`` times on a connection of the run's own."""

    def side() -> None:
        reg.engine.dispose(close=False)  # the parent's pooled connections are not this run's
        with reg.engine.connect() as conn:
            for _ in range(reps):
                fn(conn)

    return side


def per_run_ms(runs: list[Any], reps: int) -> float:
    """The median time of one call, in milliseconds."""
    return statistics.median(r.seconds for r in runs) / reps * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--incidents", type=int, default=5000)
    ap.add_argument("--losses", type=int, default=100_000)
    ap.add_argument("--creators", type=int, default=300)
    ap.add_argument("--runs", type=int, default=30, help="calls in one timed run")
    ap.add_argument("--pairs", type=int, default=5, help="pairs per comparison")
    ap.add_argument("--quick", action="store_true", help="a smaller register, 3 pairs")
    args = ap.parse_args()
    if args.quick:
        args.incidents, args.losses, args.pairs = 500, 10_000, 3
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        reg = open_register(db, check=False)
        upgrade(reg)
        t = time.perf_counter()
        with reg.engine.begin() as conn:
            fill(conn, args.incidents, args.losses, args.creators, random.Random(13))
        print(f"filled {args.incidents} incidents, {args.losses} losses, {args.creators} creators "
              f"({reg.dialect}) in {time.perf_counter() - t:.1f} s")  # fmt: skip
        q = LossQuery(creator="Nämnd 17", first=date(2022, 1, 1), last=date(2022, 12, 31))
        q2 = LossQuery(
            system="Personec", process="2.2", first=date(2019, 1, 1), last=date(2021, 12, 31)
        )
        with reg.engine.connect() as conn:
            answers = find_losses(conn, q)
            rows, _ex = direct(conn, q)
            assert len(answers) == len(rows), (len(answers), len(rows))
            assert sum(len(a.extracts) for a in answers) >= len({r[-2] for r in rows})
            n2 = len(find_losses(conn, q2))
        reps, reps2 = args.runs, max(3, args.runs // 10)
        sql = "the same SQL on the DB-API cursor"
        result = pairs(
            in_fork(reg, lambda c: find_losses(c, q), reps),
            in_fork(reg, lambda c: direct(c, q), reps),
            args.pairs,
        )
        report(f"register losses --creator --year: {len(answers)} answers (×{reps})",
               "find_losses", sql, result, "≤ 1.5×, < 50 ms")  # fmt: skip
        print(f"  {per_run_ms(result.a, reps):.2f} ms a question")
        result = pairs(
            in_fork(reg, lambda c: find_losses(c, q2), reps2),
            in_fork(reg, lambda c: direct(c, q2), reps2),
            args.pairs,
        )
        report(f"register losses --system --process --period: {n2} answers (×{reps2})",
               "find_losses", sql, result, "—")  # fmt: skip
        loaded = load_incident(ROOT / "samples" / "digframe" / "incident.yaml")
        base = incident_record(loaded, {"kommunstyrelsen": ("ab-x", "af-x")}, "1" * 64,
                               CullingReport(), datetime(2024, 3, 1, tzinfo=UTC).isoformat())  # fmt: skip
        counter = iter(range(10**6))

        def record_one(_conn: Any) -> None:
            n = f"{os.getpid()}-{next(counter)}"  # each run is a fork: its own ids
            rec = replace(base, incident_id=f"incident-rec{n}", creators=(
                replace(base.creators[0], description_post_id=f"ab-r{n}", inventory_post_id=f"af-r{n}"),))  # fmt: skip
            with reg.engine.begin() as conn:
                store_incident(conn, rec)

        result = pairs(in_fork(reg, record_one, reps), in_fork(reg, lambda c: direct(c, q), reps), args.pairs)  # fmt: skip
        report(f"register: recording one incident (4 losses, 2 extracts) (×{reps})",
               "store_incident, one transaction each", f"question --creator --year, {sql}",
               result, "≤ 20 ms an incident")  # fmt: skip
        print(f"  {per_run_ms(result.a, reps):.2f} ms an incident (target <= 20 ms)")
        reg.close()


if __name__ == "__main__":
    main()
