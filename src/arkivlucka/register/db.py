"""Register stage, connection: which database, the engine, the schema version, transactions.

``--db`` / ``$ARKIVLUCKA_DB`` name the register: a file path (or ``sqlite:///PATH``) for an
embedded SQLite file, or ``postgresql://…`` for a shared PostgreSQL server (driver psycopg 3).
Without either, the register is ``arkivlucka.db`` in the current folder. A fresh SQLite file is
created and migrated on first use; any other register at an older schema must be upgraded
explicitly (``upgrade``). SQLite connections turn foreign keys on and take the write lock when a
transaction begins (``BEGIN IMMEDIATE``), so concurrent writers wait for each other instead of
failing half-way; PostgreSQL runs each transaction at READ COMMITTED with row locks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from arkivlucka.core.errors import RegisterError
from arkivlucka.core.findings import error
from arkivlucka.register import configured

DEFAULT_FILE = "arkivlucka.db"
#: the newest migration shipped (a test checks it against the migrations folder)
HEAD = "0001"
#: key of the PostgreSQL advisory lock taken while migrating ("arkivluc" in ASCII)
_PG_LOCK = 0x61726B69766C7563 & 0x7FFFFFFFFFFFFFFF
SQLITE_BUSY_MS = 60_000


@dataclass(frozen=True)
class Register:
    """An opened register: its engine and the URL shown in messages (without password)."""

    engine: Engine
    shown: str

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def resolve_url(db: str | None, env: Mapping[str, str] | None = None) -> URL:
    """The SQLAlchemy URL of the register: ``db``, else ``$ARKIVLUCKA_DB``, else ./arkivlucka.db."""
    given = configured(db, env) or DEFAULT_FILE
    if "://" not in given:
        return URL.create("sqlite+pysqlite", database=str(Path(given).expanduser().resolve()))
    try:
        url = make_url(given)
    except ArgumentError:
        raise _fail("register-url", f"'{_hide(given)}' is not a database URL", "db") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        return url.set(drivername="sqlite+pysqlite")
    raise _fail(
        "register-url",
        f"'{_hide(given)}' is neither a SQLite file nor a postgresql:// URL",
        "db",
    )


def _hide(given: str) -> str:
    try:
        return make_url(given).render_as_string(hide_password=True)
    except ArgumentError:
        return given.split("@")[-1]


def _fail(code: str, message: str, parameter: str | None = None) -> RegisterError:
    return RegisterError(message, [error(code, message, path=parameter)])


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's is deferred)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_register(db: str | None = None, *, env: Mapping[str, str] | None = None,
                  upgrade_fresh: bool = True, check: bool = True) -> Register:  # fmt: skip
    """Open the register, creating and migrating a fresh SQLite file; check its schema version.

    Raises ``RegisterError`` when it cannot be reached, has no schema (PostgreSQL) or another
    schema version than this program's.
    """
    url = resolve_url(db, env)
    shown = url.render_as_string(hide_password=True)
    fresh = False
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not path.parent.is_dir():
            raise _fail("register-unreachable", f"{path.parent}: no such folder for the register")
        fresh = not path.exists() or path.stat().st_size == 0
        engine = create_engine(url)
        _sqlite_events(engine)
    else:
        engine = create_engine(url, pool_pre_ping=False, connect_args={"connect_timeout": 10})
    reg = Register(engine, shown)
    try:
        if check:
            with reg.engine.connect() as conn:
                current = schema_version(conn)
            if (
                current is None
                and (fresh or _is_empty(reg))
                and upgrade_fresh
                and reg.dialect == "sqlite"
            ):
                upgrade(reg)
            elif current != HEAD:
                reg.close()
                raise _version_error(shown, current)
    except SQLAlchemyError as exc:
        reg.close()
        raise db_error(exc, shown) from None
    return reg


def _is_empty(reg: Register) -> bool:
    with reg.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def _version_error(shown: str, current: str | None) -> RegisterError:
    if current is None:
        msg = f"{shown}: the register has no arkivlucka schema yet; upgrade it first"
    elif current > HEAD:
        msg = f"{shown}: the register is at schema {current}, newer than this arkivlucka ({HEAD})"
    else:
        msg = f"{shown}: the register is at schema {current}; upgrade it to {HEAD} first"
    return _fail("register-version", msg)


def schema_version(conn: Connection) -> str | None:
    """The Alembic revision the register is at (None: no schema yet)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def migrations_dir() -> Path:
    """The Alembic scripts shipped inside the package."""
    from importlib.resources import files

    return Path(str(files("arkivlucka.register") / "migrations"))


def alembic_config(conn: Connection | None = None) -> Any:
    """An Alembic ``Config`` for the shipped migrations, bound to ``conn`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def upgrade(reg: Register, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the register to ``revision`` in one transaction; return (before, after)."""
    from alembic import command

    try:
        with reg.engine.begin() as conn:
            if reg.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
            before = schema_version(conn)
            command.upgrade(alembic_config(conn), revision)
            after = schema_version(conn)
    except SQLAlchemyError as exc:
        raise db_error(exc, reg.shown) from None
    return before, after


@contextmanager
def transaction(reg: Register) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back on any error."""
    try:
        with reg.engine.begin() as conn:
            yield conn
    except SQLAlchemyError as exc:
        raise db_error(exc, reg.shown) from None


def db_error(exc: SQLAlchemyError, shown: str) -> RegisterError:
    """A ``RegisterError`` for a database failure; the register was left unchanged."""
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).strip().splitlines()[0]
    if isinstance(exc, IntegrityError):
        code, what = "register-constraint", "the register refused the change"
    elif isinstance(exc, DBAPIError) and exc.connection_invalidated:
        code, what = "register-unreachable", "the connection to the register was lost"
    else:
        code, what = "register-failed", "the register could not be used"
    msg = f"{shown}: {what} ({detail}); nothing was changed"
    return _fail(code, msg)
