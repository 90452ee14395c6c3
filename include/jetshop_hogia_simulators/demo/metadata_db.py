"""The demo's Airflow metadata database (SQLite) set up so concurrent components do not trip over locks.

``airflow standalone`` on SQLite runs the scheduler, the dag-processor, the API server and the task
processes against one file. With SQLite's default rollback journal a reader blocks the writer, and
Python's default 5 s busy timeout turns any longer wait into ``sqlite3.OperationalError: database is
locked`` — which is what a full-day backfill hit. Two settings fix that for the demo:

- WAL journal mode (persistent in the file): readers no longer block the writer;
- a 60 s busy timeout on every connection (``[database] sql_alchemy_connect_args`` names
  :data:`CONNECT_ARGS`): a writer waits for the lock instead of failing.

A production deployment uses PostgreSQL for the metadata database; this is only for the demo.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

CONNECT_ARGS: dict[str, object] = {"timeout": 60}
"""``sqlite3.connect`` arguments Airflow's engine uses (import path in :data:`CONNECT_ARGS_PATH`)."""
CONNECT_ARGS_PATH = f"{__name__}.CONNECT_ARGS"


def enable_wal(database: Path) -> str:
    """Switch the SQLite file to WAL (it stays so); returns the journal mode now in force."""
    with closing(sqlite3.connect(database, timeout=60)) as connection:
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    return str(mode)


def environment(home: Path) -> dict[str, str]:
    """Airflow settings for a SQLite metadata database under ``home`` with the busy timeout."""
    return {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": CONNECT_ARGS_PATH,
    }
