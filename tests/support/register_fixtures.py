"""Fixtures for the register suite: every test runs on SQLite and on a throwaway PostgreSQL server.

The server is Debian's ``postgresql`` (binaries under /usr/lib/postgresql/*/bin): a session
fixture makes a cluster with ``initdb``, starts it with ``pg_ctl`` listening only on a unix
socket in a temporary folder, and stops and removes it at the end. As root, the server runs
as the ``postgres`` system user (``runuser``), since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import copy
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.helpers import SAMPLES

BACKENDS = ["sqlite", "postgresql"]
_COUNTER = itertools.count()


def _bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        pytest.fail("PostgreSQL is not installed (Debian package postgresql); the register "
                    "suite needs its initdb and pg_ctl")  # fmt: skip
    return Path(found[-1]).parent


class PgServer:
    """A running throwaway cluster: make databases on it and give their URLs."""

    def __init__(self, base: Path, user: str | None) -> None:
        self.base, self.user = base, user
        self.sock = base / "sock"

    def run(self, *cmd: str) -> None:
        full = ["runuser", "-u", self.user, "--", *cmd] if self.user else list(cmd)
        subprocess.run(full, check=True, capture_output=True, timeout=120)

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.sock}"

    def create_database(self) -> str:
        import psycopg

        name = f"reg{os.getpid()}_{next(_COUNTER)}"
        with psycopg.connect(
            f"host={self.sock} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _bindir()
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                "running as root needs the 'postgres' system user (Debian's postgresql makes it)"
            )
        user = "postgres"
    base = Path(tempfile.mkdtemp(prefix="arkivlucka-pg-"))  # short: a socket path has a limit
    server = PgServer(base, user)
    data, log = base / "data", base / "server.log"
    server.sock.mkdir()
    if user:
        info = pwd.getpwnam(user)
        for p in (base, server.sock):
            os.chown(p, info.pw_uid, info.pw_gid)
    try:
        server.run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                   "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        opts = f"-k {server.sock} -c listen_addresses='' -F -c max_connections=50"
        server.run(
            str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "start"
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"cannot start PostgreSQL: {exc.stderr.decode(errors='replace')}")
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            server.run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def empty_db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The --db value of an empty register (a new SQLite file, or a new PostgreSQL database)."""
    monkeypatch.delenv("ARKIVLUCKA_DB", raising=False)
    if request.param == "sqlite":
        return str(tmp_path / "register.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def db(empty_db: str) -> str:
    """The --db value of a register at the newest schema."""
    from arkivlucka.register.service import upgrade_register

    upgrade_register(empty_db)
    return empty_db


def sample_data() -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / "digframe" / "incident.yaml").read_text(encoding="utf-8"))


def write_incident(folder: Path, n: int, *, creators: list[dict[str, Any]] | None = None,
                   lost: list[dict[str, Any]] | None = None, **changes: Any) -> Path:  # fmt: skip
    """An incident file made from the Digframe sample, with its own reference ``KS 2024/<n>``."""
    data = copy.deepcopy(sample_data())
    data["reference"] = f"KS 2024/{n}"
    if creators is not None:
        data["records_creators"] = creators
    if lost is not None:
        data["lost_records"] = lost
    data.update(changes)
    path = folder / f"incident-{n}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
