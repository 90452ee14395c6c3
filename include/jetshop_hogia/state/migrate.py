"""Running the shipped alembic migrations from code, safely when several processes start at once.

Every Airflow task may call ``StateStore.migrate()`` on start-up, so two of them can race. The whole
upgrade runs in one transaction that first takes a lock: a PostgreSQL advisory transaction lock (keyed
by the target schema), or on SQLite the write lock ``BEGIN IMMEDIATE`` takes. The loser waits, then sees
the schema already at head and does nothing. DDL is transactional on both, so a crash leaves no half
migration behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from jetshop_hogia.state.engine import create_state_engine
from jetshop_hogia.state.errors import MigrationError

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
VERSION_TABLE = "jetshop_hogia_state_version"
"""Our own alembic version table: never ``alembic_version``, which Airflow's metadata database (or any
other alembic user sharing the schema) already owns."""
_LOCK_NAMESPACE = "jetshop_hogia.state.migrate:"


def alembic_config(url: str | None = None) -> Config:
    """An alembic ``Config`` built in code, pointing at the migrations shipped in this package.

    Developers add a revision with ``alembic.command.revision(alembic_config(url), "message")``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision shipped with this package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise MigrationError("the package ships no migrations")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    return MigrationContext.configure(
        connection, opts={"version_table": VERSION_TABLE}
    ).get_current_revision()


def take_migration_lock(connection: Connection) -> None:
    """Serialise migrations per schema until the surrounding transaction ends.

    SQLite needs nothing here: the engine begins every transaction with ``BEGIN IMMEDIATE``.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:namespace || current_schema()))"),
            {"namespace": _LOCK_NAMESPACE},
        )


@contextmanager
def locked_migration_connection(url: str) -> Iterator[Connection]:
    """A connection inside a committed-on-success transaction holding the migration lock (CLI use)."""
    engine = create_state_engine(url)
    try:
        with engine.begin() as connection:
            take_migration_lock(connection)
            yield connection
    finally:
        engine.dispose()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database behind ``engine`` to ``revision``; returns the revision it is at afterwards."""
    with engine.begin() as connection:
        take_migration_lock(connection)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        return current_revision(connection)
