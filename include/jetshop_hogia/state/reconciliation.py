"""Reconciliation results: the stored verdict of comparing a stream's window across Jetshop, the ledger
and Hogia. Kept as history (one row per reconciliation run), so a trend of missing or duplicate records
is visible and a failed window can be found again and re-checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from jetshop_hogia.state.models import TENANT_WIDE, ReconciliationResultRow, reconciliation_results
from jetshop_hogia.state.records import ReconciliationCounts, ReconciliationResult, ReconciliationStatus


def _to_result(row: Row[Any]) -> ReconciliationResult:
    return ReconciliationResult(
        id=row.id,
        tenant_id=row.tenant_id,
        stream=row.stream,
        scope=row.scope,
        window_start=row.window_start,
        window_end=row.window_end,
        run_id=row.run_id,
        status=ReconciliationStatus(row.status),
        counts=ReconciliationCounts(
            expected=row.expected,
            matched=row.matched,
            missing=row.missing,
            duplicates=row.duplicates,
            mismatched=row.mismatched,
            quarantined=row.quarantined,
        ),
        details=row.details,
        created_at=row.created_at,
    )


class ReconciliationRepository:
    """Reconciliation results of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def record(
        self,
        tenant_id: str,
        stream: str,
        window_start: datetime,
        window_end: datetime,
        counts: ReconciliationCounts,
        *,
        status: ReconciliationStatus,
        scope: str = TENANT_WIDE,
        run_id: str | None = None,
        details: Any | None = None,
    ) -> ReconciliationResult:
        """Store one reconciliation outcome; ``details`` is JSON (Decimals and datetimes become strings)."""
        if window_end < window_start:
            raise ValueError(f"reconciliation window ends ({window_end}) before it starts ({window_start})")
        result = self._connection.execute(
            insert(reconciliation_results).values(
                tenant_id=tenant_id,
                stream=stream,
                scope=scope,
                window_start=window_start,
                window_end=window_end,
                run_id=run_id,
                status=ReconciliationStatus(status).value,
                details=details,
                created_at=self._now(),
                **asdict(counts),
            )
        )
        inserted_key = result.inserted_primary_key
        assert inserted_key is not None
        new_id = inserted_key[0]
        row = self._connection.execute(
            select(reconciliation_results).where(ReconciliationResultRow.id == new_id)
        ).one()
        return _to_result(row)

    def latest(self, tenant_id: str, stream: str, *, scope: str | None = None) -> ReconciliationResult | None:
        """The most recently recorded result of a stream (optionally one scope)."""
        found = self.history(tenant_id, stream, scope=scope, limit=1)
        return found[0] if found else None

    def history(
        self,
        tenant_id: str,
        stream: str,
        *,
        scope: str | None = None,
        overlapping: tuple[datetime, datetime] | None = None,
        status: ReconciliationStatus | None = None,
        limit: int | None = None,
    ) -> list[ReconciliationResult]:
        """Results of a stream, newest first; optionally only windows overlapping ``[start, end)``."""
        row = ReconciliationResultRow
        statement = select(reconciliation_results).where(row.tenant_id == tenant_id, row.stream == stream)
        if scope is not None:
            statement = statement.where(row.scope == scope)
        if overlapping is not None:
            start, end = overlapping
            statement = statement.where(row.window_start < end, row.window_end > start)
        if status is not None:
            statement = statement.where(row.status == ReconciliationStatus(status).value)
        statement = statement.order_by(row.created_at.desc(), row.id.desc()).limit(limit)
        return [_to_result(found) for found in self._connection.execute(statement)]
