"""Migrations: from empty on both backends, idempotent, concurrent, and in agreement with the models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import column, inspect, select, table, text

from jetshop_hogia.state import StateStore
from jetshop_hogia.state.migrate import MIGRATIONS_DIR, VERSION_TABLE, alembic_config, head_revision
from jetshop_hogia.state.models import StateBase

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
TABLES = {"bindings", "order_ledger", "watermarks", "quarantine", "reconciliation_results"}


@pytest.mark.parametrize("empty_db_url", BACKENDS, indirect=True)
def test_migrate_from_empty_creates_every_table_and_is_idempotent(empty_db_url: str) -> None:
    with StateStore(empty_db_url) as store:
        assert store.current_revision() is None
        assert not store.is_up_to_date()

        assert store.migrate() == head_revision()
        tables = set(inspect(store.engine).get_table_names())
        assert tables >= TABLES | {VERSION_TABLE}

        assert store.migrate() == head_revision()  # second run: nothing to do, no error
        assert store.is_up_to_date()
        with store.engine.connect() as connection:
            versions: list[str] = list(
                connection.execute(select(column("version_num")).select_from(table(VERSION_TABLE)))
                .scalars()
                .all()
            )
        assert versions == [head_revision()]


@pytest.mark.parametrize("empty_db_url", BACKENDS, indirect=True)
def test_migrated_schema_matches_the_models(empty_db_url: str) -> None:
    """The hand-written migration and the declarative models describe the same schema."""
    with StateStore(empty_db_url) as store:
        store.migrate()
        with store.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
            )
            differences = compare_metadata(context, StateBase.metadata)
    assert differences == []


@pytest.mark.parametrize("empty_db_url", BACKENDS, indirect=True)
def test_downgrade_to_base_and_upgrade_again(empty_db_url: str) -> None:
    from alembic import command

    with StateStore(empty_db_url) as store:
        store.migrate()
        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(store.engine).get_table_names()) & TABLES == set()
        store.migrate()
        assert set(inspect(store.engine).get_table_names()) >= TABLES


@pytest.mark.parametrize("empty_db_url", BACKENDS, indirect=True)
def test_migrations_leave_another_applications_alembic_table_alone(empty_db_url: str) -> None:
    """Sharing a schema with e.g. Airflow's metadata (its own ``alembic_version``) must be harmless."""
    with StateStore(empty_db_url) as store:
        with store.engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version VALUES ('airflow_head')"))
        assert store.current_revision() is None
        store.migrate()
        with store.engine.connect() as connection:
            assert (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                == "airflow_head"
            )
        assert store.is_up_to_date()


def test_alembic_commands_work_from_a_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Developer use without ``StateStore``: online upgrade from a URL, and offline SQL generation."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    command.upgrade(alembic_config(url), "head", sql=True)
    assert "CREATE TABLE order_ledger" in capsys.readouterr().out
    assert not (tmp_path / "cli.db").exists()  # offline mode touched no database
    command.upgrade(alembic_config(url), "head")
    with StateStore(url) as store:
        assert store.is_up_to_date()


_MIGRATE_SCRIPT = """
import sys
from jetshop_hogia.state import StateStore
store = StateStore(sys.argv[1])
print(store.migrate())
"""


@pytest.mark.parametrize("empty_db_url", BACKENDS, indirect=True)
def test_concurrent_migrate_from_two_processes_is_safe(empty_db_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_SCRIPT, empty_db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, err
        assert out.strip() == head_revision()
    with StateStore(empty_db_url) as store:
        assert store.is_up_to_date()


def test_sqlite_runs_in_wal_mode_with_durable_commits(tmp_path: Path) -> None:
    with StateStore(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'state.db'}") as store:
        store.migrate()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000
    assert (tmp_path / "nested" / "dir" / "state.db").exists()


def test_package_ships_the_migration_environment() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("0001_*.py"))
