"""Engine construction: the connection settings that make the store safe to share between processes.

SQLite (the default for a single Airflow machine) needs care to be shared by several task processes:
WAL so readers never block the writer, a busy timeout so a writer waits instead of failing, ``BEGIN
IMMEDIATE`` so a transaction takes the write lock up front (a deferred transaction that reads and then
writes can fail with "database is locked" without waiting), and ``synchronous=FULL`` so a committed
claim survives a power cut — a lost claim could let an order be invoiced twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from jetshop_hogia.state.sqltypes import dumps_json

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def _prepare_sqlite_file(url: URL) -> None:
    """Create the directory of a file database (the default lives in $AIRFLOW_HOME, maybe not yet made)."""
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_hooks(engine: Engine, busy_timeout_seconds: float) -> None:
    busy_ms = int(busy_timeout_seconds * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; we emit BEGIN IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_state_engine(
    url: str | URL, *, sqlite_busy_timeout_seconds: float = SQLITE_BUSY_TIMEOUT_SECONDS, echo: bool = False
) -> Engine:
    """An engine for the state store at ``url`` (any SQLAlchemy URL; SQLite and PostgreSQL are tested).

    For PostgreSQL a dedicated schema can be chosen in the URL itself, e.g.
    ``postgresql+psycopg2://u@h/db?options=-csearch_path%3Dsync_state``.
    """
    parsed = make_url(url)
    connect_args: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _prepare_sqlite_file(parsed)
        connect_args["timeout"] = sqlite_busy_timeout_seconds
    engine = create_engine(
        parsed,
        pool_pre_ping=True,
        json_serializer=dumps_json,
        connect_args=connect_args,
        echo=echo,
    )
    if is_sqlite:
        _install_sqlite_hooks(engine, sqlite_busy_timeout_seconds)
    return engine
