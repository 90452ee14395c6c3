"""Optional persistence of a simulator's state in one SQLite file.

The state is a JSON document (each simulator knows how to dump and load its own). It is written after
every change, so a simulator restarted with the same ``--state-file`` continues where it stopped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


class SqliteSnapshotStore:
    """Keeps the latest JSON snapshot of one simulator in a single-row SQLite table."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def load(self) -> dict[str, Any] | None:
        """The stored snapshot, or None when the file is new."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT body FROM snapshot WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else None

    def save(self, snapshot: dict[str, Any]) -> None:
        """Replace the stored snapshot."""
        body = json.dumps(snapshot, default=str)
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO snapshot (id, body) VALUES (1, ?)", (body,))
