"""Quarantine: records that cannot be synced without a human, with a reason code and a readable text.

One row per record (tenant, stream, shop, record key): quarantining the same record again updates the
reason and counts the occurrence instead of piling up duplicates, and reopens it if it had been
resolved. Store the record key and the reason; a payload is optional and should hold only what a human
needs to fix the record — it is personal data otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from jetshop_hogia.state.models import TENANT_WIDE, QuarantineRow, quarantine
from jetshop_hogia.state.records import QuarantineEntry
from jetshop_hogia.state.sqlhelpers import insert_if_absent, rowcount

_KEY_COLUMNS = ["tenant_id", "stream", "shop_id", "record_key"]


def _to_entry(row: Row[Any]) -> QuarantineEntry:
    return QuarantineEntry(
        id=row.id,
        tenant_id=row.tenant_id,
        stream=row.stream,
        shop_id=row.shop_id,
        record_key=row.record_key,
        reason_code=row.reason_code,
        reason_text=row.reason_text,
        payload=row.payload,
        occurrences=row.occurrences,
        run_id=row.run_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        resolved_at=row.resolved_at,
    )


class QuarantineRepository:
    """Quarantine entries of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def _where_key(self, tenant_id: str, stream: str, shop_id: str, record_key: str) -> list[Any]:
        return [
            QuarantineRow.tenant_id == tenant_id,
            QuarantineRow.stream == stream,
            QuarantineRow.shop_id == shop_id,
            QuarantineRow.record_key == record_key,
        ]

    def put(
        self,
        tenant_id: str,
        stream: str,
        record_key: str,
        reason_code: str,
        reason_text: str,
        *,
        shop_id: str = TENANT_WIDE,
        payload: Any | None = None,
        run_id: str | None = None,
    ) -> QuarantineEntry:
        """Quarantine a record, or update (and reopen) its existing entry."""
        now = self._now()
        reason = {
            "reason_code": reason_code,
            "reason_text": reason_text,
            "payload": payload,
            "run_id": run_id,
        }
        inserted = insert_if_absent(
            self._connection,
            quarantine,
            {
                "tenant_id": tenant_id,
                "stream": stream,
                "shop_id": shop_id,
                "record_key": record_key,
                **reason,
                "occurrences": 1,
                "created_at": now,
                "updated_at": now,
                "resolved_at": None,
            },
            _KEY_COLUMNS,
        )
        if not inserted:
            self._connection.execute(
                update(quarantine)
                .where(*self._where_key(tenant_id, stream, shop_id, record_key))
                .values(
                    **reason,
                    occurrences=QuarantineRow.occurrences + 1,
                    updated_at=now,
                    resolved_at=None,
                )
            )
        entry = self.get(tenant_id, stream, record_key, shop_id=shop_id)
        assert entry is not None
        return entry

    def get(
        self, tenant_id: str, stream: str, record_key: str, *, shop_id: str = TENANT_WIDE
    ) -> QuarantineEntry | None:
        """The entry of one record (open or resolved), if it was ever quarantined."""
        row = self._connection.execute(
            select(quarantine).where(*self._where_key(tenant_id, stream, shop_id, record_key))
        ).one_or_none()
        return _to_entry(row) if row else None

    def resolve(self, tenant_id: str, stream: str, record_key: str, *, shop_id: str = TENANT_WIDE) -> bool:
        """Mark an open entry resolved; False when there was no open entry."""
        result = self._connection.execute(
            update(quarantine)
            .where(
                *self._where_key(tenant_id, stream, shop_id, record_key), QuarantineRow.resolved_at.is_(None)
            )
            .values(resolved_at=self._now(), updated_at=self._now())
        )
        return rowcount(result) == 1

    def open_entries(
        self,
        tenant_id: str,
        *,
        stream: str | None = None,
        shop_id: str | None = None,
        limit: int | None = None,
    ) -> list[QuarantineEntry]:
        """Open entries, oldest first (what a human should look at)."""
        statement = select(quarantine).where(
            QuarantineRow.tenant_id == tenant_id, QuarantineRow.resolved_at.is_(None)
        )
        if stream is not None:
            statement = statement.where(QuarantineRow.stream == stream)
        if shop_id is not None:
            statement = statement.where(QuarantineRow.shop_id == shop_id)
        statement = statement.order_by(QuarantineRow.created_at, QuarantineRow.id).limit(limit)
        return [_to_entry(row) for row in self._connection.execute(statement)]

    def count_open(self, tenant_id: str, *, stream: str | None = None) -> int:
        """How many records of a tenant (optionally one stream) wait for a human."""
        statement = (
            select(func.count())
            .select_from(quarantine)
            .where(QuarantineRow.tenant_id == tenant_id, QuarantineRow.resolved_at.is_(None))
        )
        if stream is not None:
            statement = statement.where(QuarantineRow.stream == stream)
        return int(self._connection.execute(statement).scalar_one())
