"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no time zones: a naive ``DateTime`` would silently hand back naive values and comparisons
with aware values would break. ``UtcDateTime`` insists on aware input, stores UTC, and always returns
aware UTC, so the rest of the code never sees a naive timestamp whatever the backend.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend; naive input is refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"timestamps in the state store must be timezone-aware, got {value!r}")
        value = value.astimezone(UTC)
        # SQLite stores text; drop the zone so every stored value has one comparable format.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_column_type() -> TypeEngine[Any]:
    """JSON everywhere, JSONB on PostgreSQL; Python None is SQL NULL (an absent payload, not JSON null)."""
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def _json_default(value: object) -> str:
    """Encode the non-JSON values a stream is likely to put in details: money and times."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)  # type: ignore[return-value]
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps_json(value: object) -> str:
    """The engine's JSON serialiser: Decimals become strings so money is never turned into floats."""
    return json.dumps(value, default=_json_default, sort_keys=True, ensure_ascii=False)
