from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select, text

from arkivlucka.register import schema as s
from arkivlucka.register.db import open_register, transaction
from arkivlucka.register.record import file_sha256
from support.register_fixtures import write_incident

WRITER = textwrap.dedent("""
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from arkivlucka.core.context import RunContext
    from arkivlucka.register import pipeline

    db, go, out, *files = sys.argv[1:]
    if go == "--stall":  # stop inside the transaction, after everything was written in it
        real = pipeline.store_incident

        def stalled(conn, rec):
            done = real(conn, rec)
            print("inside", flush=True)
            time.sleep(300)
            return done

        pipeline.store_incident = stalled
    else:
        while not Path(go).exists():
            time.sleep(0.005)
    ctx = RunContext(created=datetime(2024, 3, 1, tzinfo=UTC), tool_version="t", by_role="arkivarie")
    for f in files:
        pipeline.describe_recorded(f, Path(out) / Path(f).stem, ctx, db, overwrite=True)
""")


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "writer.py"
    path.write_text(WRITER, encoding="utf-8")
    return path


def _counts(db: str) -> dict[str, int]:
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (s.creators, s.incidents, s.incident_creators, s.losses, s.extracts)
            }
    finally:
        reg.close()


def _creators(n: int) -> list[dict[str, str]]:
    return [{"name": "Kommunstyrelsen"}, {"name": "Socialnämnden"}, {"name": f"Nämnd {n % 3}"}]


def test_two_writers_at_once_lose_nothing(db: str, tmp_path: Path) -> None:
    files = {n: write_incident(tmp_path, n, creators=_creators(n)) for n in [*range(1, 17), 100]}
    go = tmp_path / "go"
    script = _script(tmp_path)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                db,
                str(go),
                str(tmp_path / f"out{k}"),
                *[str(files[n]) for n in (*range(1 + 8 * k, 9 + 8 * k), 100)],
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in (0, 1)
    ]
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    counts = _counts(db)
    assert counts == {"creators": 5, "incidents": 17, "incident_creators": 17 * 3,
                      "losses": 17 * 4, "extracts": 17 * 2}  # fmt: skip
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            times = conn.execute(
                select(s.incidents.c.times_recorded).where(
                    s.incidents.c.incident_id == "incident-ks-2024-100"
                )
            ).scalar_one()
    finally:
        reg.close()
    assert times == 2  # recorded by both, kept once


def test_a_describe_killed_inside_its_transaction_leaves_the_register_consistent(
    db: str, tmp_path: Path
) -> None:
    incident = write_incident(tmp_path, 1, creators=_creators(1))
    script = _script(tmp_path)
    (tmp_path / "go").touch()  # the plain runs start at once
    first = subprocess.run([sys.executable, str(script), db, str(tmp_path / "go"), str(tmp_path / "o"),
                            str(incident)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before, sha = _counts(db), file_sha256(incident)
    write_incident(tmp_path, 1, creators=[*_creators(1), {"name": "Kulturnämnden"}],
                   lost=[{"id": "ny", "title": "Ny handling"}])  # fmt: skip
    proc = subprocess.Popen([sys.executable, str(script), db, "--stall", str(tmp_path / "o"),
                             str(incident)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "inside"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _counts(db) == before  # nothing of the killed run, everything of the first
    reg = open_register(db)
    try:
        with transaction(reg) as conn:
            assert conn.execute(select(s.incidents.c.file_sha256)).scalar_one() == sha
            assert sorted(conn.execute(select(s.losses.c.record_id)).scalars()) == [
                "aktivitetsbeskrivningar", "forvaltningsobjekt", "nyttokalkyleringar", "tidplaner"]  # fmt: skip
            if reg.dialect == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        reg.close()
    again = subprocess.run([sys.executable, str(script), db, str(tmp_path / "go"), str(tmp_path / "o"),
                            str(incident)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr  # the register is usable: no lock was left behind
    assert _counts(db)["creators"] == before["creators"] + 1
