"""Alembic environment of the state store.

Normally run by ``jetshop_hogia.state.migrate.upgrade``, which passes an open connection (already inside
the transaction and, on PostgreSQL, holding the migration lock) in ``config.attributes["connection"]``.
For ad-hoc use from the alembic CLI a URL in ``sqlalchemy.url`` or ``-x url=...`` is accepted too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from jetshop_hogia.state.migrate import VERSION_TABLE, locked_migration_connection
from jetshop_hogia.state.models import StateBase

config = context.config
target_metadata = StateBase.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table inside the transaction.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url_from_config() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass -x url=... or set sqlalchemy.url")
    return url


def run() -> None:
    """Run the migrations on the given connection, a new engine, or as SQL text (offline mode)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
    elif context.is_offline_mode():
        context.configure(
            url=_url_from_config(),
            target_metadata=target_metadata,
            literal_binds=True,
            version_table=VERSION_TABLE,
        )
        with context.begin_transaction():
            context.run_migrations()
    else:
        with locked_migration_connection(_url_from_config()) as connection:
            _configure_and_run(connection)


run()
