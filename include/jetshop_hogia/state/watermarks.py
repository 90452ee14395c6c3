"""Watermarks: how far each stream has read, per tenant and scope (a shop, or ``TENANT_WIDE``).

A watermark only moves forward unless a caller explicitly rewinds it, so a backfill or a slow retry
that finishes after a newer run cannot drag the read position back: the result does not depend on the
order in which runs finish. (Re-reading is harmless, the ledger is idempotent; this keeps it cheap and
predictable.)

Values are an aware timestamp (Jetshop change dates), an integer (Hogia ``rowVersion``) or text (a
composite keyset cursor; compared as text, so encode it to sort correctly, e.g. zero-padded ISO parts).
A watermark keeps the kind it was created with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from jetshop_hogia.state.errors import WatermarkKindError
from jetshop_hogia.state.models import TENANT_WIDE, WatermarkRow, watermarks
from jetshop_hogia.state.records import Watermark, WatermarkValue
from jetshop_hogia.state.sqlhelpers import insert_if_absent, rowcount

_COLUMN_OF_KIND = {"timestamp": "value_ts", "integer": "value_int", "text": "value_text"}


def _kind_of(value: WatermarkValue) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"watermark timestamps must be timezone-aware, got {value!r}")
        return "timestamp"
    if isinstance(value, bool):
        raise TypeError("a watermark cannot be a bool")
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "text"
    raise TypeError(f"a watermark is a datetime, int or str, not {type(value).__name__}")


def _value_columns(value: WatermarkValue) -> dict[str, Any]:
    kind = _kind_of(value)
    columns: dict[str, Any] = {"value_kind": kind, "value_ts": None, "value_int": None, "value_text": None}
    columns[_COLUMN_OF_KIND[kind]] = value
    return columns


def _to_watermark(row: Row[Any]) -> Watermark:
    value = getattr(row, _COLUMN_OF_KIND[row.value_kind])
    return Watermark(
        tenant_id=row.tenant_id,
        stream=row.stream,
        scope=row.scope,
        value=value,
        run_id=row.run_id,
        updated_at=row.updated_at,
    )


class WatermarkRepository:
    """Watermarks of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def _where_key(self, tenant_id: str, stream: str, scope: str) -> list[Any]:
        return [
            WatermarkRow.tenant_id == tenant_id,
            WatermarkRow.stream == stream,
            WatermarkRow.scope == scope,
        ]

    def get(self, tenant_id: str, stream: str, *, scope: str = TENANT_WIDE) -> Watermark | None:
        """The current watermark, or None when the stream never advanced it."""
        row = self._connection.execute(
            select(watermarks).where(*self._where_key(tenant_id, stream, scope))
        ).one_or_none()
        return _to_watermark(row) if row else None

    def advance(
        self,
        tenant_id: str,
        stream: str,
        value: WatermarkValue,
        *,
        scope: str = TENANT_WIDE,
        run_id: str | None,
    ) -> bool:
        """Move the watermark to ``value`` if that is ahead of it; True when it moved.

        An equal or older value is a no-op (returns False). A value of another kind raises
        ``WatermarkKindError``. Atomic: concurrent advances end at the largest value.
        """
        columns = _value_columns(value)
        kind = columns["value_kind"]
        now = self._now()
        key = {"tenant_id": tenant_id, "stream": stream, "scope": scope}
        if insert_if_absent(
            self._connection,
            watermarks,
            {**key, **columns, "run_id": run_id, "updated_at": now},
            list(key),
        ):
            return True
        value_column = getattr(WatermarkRow, _COLUMN_OF_KIND[kind])
        result = self._connection.execute(
            update(watermarks)
            .where(
                *self._where_key(tenant_id, stream, scope),
                WatermarkRow.value_kind == kind,
                value_column < value,
            )
            .values(**{_COLUMN_OF_KIND[kind]: value}, run_id=run_id, updated_at=now)
        )
        if rowcount(result) == 1:
            return True
        current = self._connection.execute(
            select(WatermarkRow.value_kind).where(*self._where_key(tenant_id, stream, scope))
        ).scalar_one()
        if current != kind:
            raise WatermarkKindError(
                f"watermark {tenant_id}/{stream}/{scope} holds a {current} value, "
                f"cannot advance it with a {kind}"
            )
        return False

    def rewind(
        self,
        tenant_id: str,
        stream: str,
        value: WatermarkValue,
        *,
        scope: str = TENANT_WIDE,
        run_id: str | None,
    ) -> Watermark:
        """Set the watermark to ``value`` even if that is behind (an explicit re-sync; may change kind)."""
        columns = _value_columns(value)
        now = self._now()
        key = {"tenant_id": tenant_id, "stream": stream, "scope": scope}
        if not insert_if_absent(
            self._connection, watermarks, {**key, **columns, "run_id": run_id, "updated_at": now}, list(key)
        ):
            self._connection.execute(
                update(watermarks)
                .where(*self._where_key(tenant_id, stream, scope))
                .values(**columns, run_id=run_id, updated_at=now)
            )
        watermark = self.get(tenant_id, stream, scope=scope)
        assert watermark is not None
        return watermark

    def for_tenant(self, tenant_id: str, *, stream: str | None = None) -> list[Watermark]:
        """Every watermark of a tenant (optionally one stream), for status pages and tests."""
        statement = select(watermarks).where(WatermarkRow.tenant_id == tenant_id)
        if stream is not None:
            statement = statement.where(WatermarkRow.stream == stream)
        statement = statement.order_by(WatermarkRow.stream, WatermarkRow.scope)
        return [_to_watermark(row) for row in self._connection.execute(statement)]
