"""Small dialect-aware SQL helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_if_absent(
    connection: Connection, table: Table, values: Mapping[str, Any], conflict_columns: list[str] | None = None
) -> bool:
    """Insert a row unless it would violate a unique constraint; True when this call inserted.

    ``conflict_columns`` names the one constraint to watch; None watches every unique constraint.

    ``INSERT … ON CONFLICT DO NOTHING`` instead of catching IntegrityError: on PostgreSQL a failed
    statement poisons the whole transaction, and a concurrent inserter simply waits and then skips.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement: Any = (
            postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
        )
    elif dialect == "sqlite":
        statement = (
            sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported and tested
        raise NotImplementedError(f"the state store does not support {dialect!r}")
    result = cast(CursorResult[Any], connection.execute(statement))
    return result.rowcount == 1


def rowcount(result: Any) -> int:
    """Rows touched by an UPDATE/DELETE (typed helper: ``execute`` is declared to return ``Result``)."""
    return cast(CursorResult[Any], result).rowcount
