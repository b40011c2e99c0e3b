from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from arkivlucka.core.errors import RegisterError
from arkivlucka.register import db as regdb
from arkivlucka.register import schema


def test_head_constant_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(regdb.alembic_config()).get_current_head() == regdb.HEAD


def test_migrations_from_empty_make_the_schema_of_the_model(empty_db: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    reg = regdb.open_register(empty_db, check=False)
    try:
        assert regdb.upgrade(reg) == (None, regdb.HEAD)
        assert regdb.upgrade(reg) == (regdb.HEAD, regdb.HEAD)  # idempotent
        with reg.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
            assert diff == []
            assert regdb.schema_version(conn) == regdb.HEAD
    finally:
        reg.close()


def test_downgrade_to_empty_and_up_again(db: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    reg = regdb.open_register(db)
    try:
        with reg.engine.begin() as conn:
            command.downgrade(regdb.alembic_config(conn), "base")
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        assert regdb.upgrade(reg) == (None, regdb.HEAD)
    finally:
        reg.close()


def test_a_fresh_sqlite_file_is_created_on_first_use(tmp_path) -> None:
    path = tmp_path / "new.db"
    reg = regdb.open_register(str(path))
    reg.close()
    assert path.is_file()
    with regdb.open_register(str(path)).engine.connect() as conn:
        assert regdb.schema_version(conn) == regdb.HEAD


def test_a_postgresql_register_without_schema_must_be_upgraded(pg_server) -> None:
    url = pg_server.create_database()
    with pytest.raises(RegisterError) as info:
        regdb.open_register(url)
    assert info.value.findings[0].code == "register-version"
    assert "upgrade" in info.value.message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:secret@h/db", "postgresql+psycopg"),
        ("sqlite:////tmp/x.db", "sqlite+pysqlite"),
        ("reg.db", "sqlite+pysqlite"),
    ],
)
def test_urls_are_resolved(given: str, expected: str) -> None:
    assert regdb.resolve_url(given, env={}).drivername == expected


def test_the_environment_names_the_register_and_the_default_is_local(tmp_path) -> None:
    url = regdb.resolve_url(None, env={"ARKIVLUCKA_DB": "postgresql://x@/y"})
    assert url.drivername == "postgresql+psycopg"
    assert regdb.resolve_url(None, env={}).database.endswith("/arkivlucka.db")


@pytest.mark.parametrize("given", ["mysql://u@h/db", "sqlite://", "http://x"])
def test_other_databases_are_refused(given: str) -> None:
    with pytest.raises(RegisterError) as info:
        regdb.resolve_url(given, env={})
    assert info.value.findings[0].path == "db"


def test_a_password_never_shows_in_a_message() -> None:
    with pytest.raises(RegisterError) as info:
        regdb.open_register("postgresql://u:topsecret@/nodb?host=/nonexistent-dir")
    assert "topsecret" not in info.value.message
    assert info.value.findings[0].code in {"register-failed", "register-unreachable"}


def _incident(conn, **over) -> int:
    values = {"incident_id": "incident-x", "source_file": "x.yaml", "file_sha256": "a" * 64,
              "recorded_at": "2024-03-01T10:00:00+01:00"} | over  # fmt: skip
    return conn.execute(
        schema.incidents.insert().values(**values).returning(schema.incidents.c.id)
    ).scalar_one()


LOSS = {"position": 0, "record_id": "r", "title": "T", "extent": "partial",
        "culling_classification": "gallring-utan-beslut"}  # fmt: skip


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("losses", {"extent": "some"}),
        ("losses", {"title": "  "}),
        (
            "losses",
            {
                "period_start": "2022",
                "period_start_precision": "year",
                "period_end": "2019",
                "period_end_precision": "year",
            },
        ),
        ("losses", {"period_start": "2022", "period_start_precision": None}),
        ("losses", {"incident_pk": 999_999}),  # foreign key
        ("incidents", {"file_sha256": "abc"}),
        ("incidents", {"status": "done"}),
        ("incidents", {"package_objid": "SIP-1"}),  # a package needs the file's hash
        ("creators", {"org_number": "212000"}),
        ("creators", {"active_start": "2020", "active_end": "2019-12"}),
    ],
    ids=[
        "extent",
        "blank-title",
        "period-order",
        "precision",
        "foreign-key",
        "sha256",
        "status",
        "package-hash",
        "org-number",
        "active-order",
    ],
)
def test_the_database_itself_refuses_bad_rows(db: str, table: str, values: dict) -> None:
    reg = regdb.open_register(db)
    try:
        with pytest.raises(IntegrityError), reg.engine.begin() as conn:
            if table == "losses":
                pk = _incident(conn)
                conn.execute(schema.losses.insert().values(**({"incident_pk": pk} | LOSS | values)))
            elif table == "incidents":
                _incident(conn, **values)
            else:
                conn.execute(schema.creators.insert().values(name="N", name_key="n", **values))
        with reg.engine.connect() as conn:  # and the failed transaction left nothing
            assert conn.execute(text("SELECT count(*) FROM incidents")).scalar_one() == 0
    finally:
        reg.close()


def test_unique_keys_hold_in_the_database(db: str) -> None:
    reg = regdb.open_register(db)
    try:
        with pytest.raises(IntegrityError), reg.engine.begin() as conn:
            conn.execute(
                schema.creators.insert().values(name="Socialnämnden", name_key="socialnämnden")
            )
            conn.execute(
                schema.creators.insert().values(name="SOCIALNÄMNDEN", name_key="socialnämnden")
            )
        with pytest.raises(IntegrityError), reg.engine.begin() as conn:
            pk = _incident(conn)
            conn.execute(schema.losses.insert().values(incident_pk=pk, **LOSS))
            conn.execute(schema.losses.insert().values(incident_pk=pk, **(LOSS | {"position": 1})))
    finally:
        reg.close()


def test_cli_upgrade_from_empty_then_at_head(empty_db: str, runner) -> None:
    from arkivlucka.cli import cli

    first = runner.invoke(cli, ["register", "--db", empty_db, "upgrade"])
    assert first.exit_code == 0 and first.stdout.rstrip().endswith(f"schema (none) -> {regdb.HEAD}")
    again = runner.invoke(cli, ["register", "--db", empty_db, "upgrade"])
    assert again.stdout.rstrip().endswith(f"schema {regdb.HEAD} -> {regdb.HEAD}")
    assert "secret" not in first.stdout


def test_cli_refuses_a_register_of_another_kind(runner) -> None:
    from arkivlucka.cli import cli

    result = runner.invoke(cli, ["register", "--db", "mysql://u:secret@h/db", "losses", "--json"])
    assert result.exit_code == 1
    assert [f["code"] for f in __import__("json").loads(result.stdout)] == ["register-url"]
    assert "secret" not in result.output
