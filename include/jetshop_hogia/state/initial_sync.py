"""Repository of the initial-sync checkpoints and reports (build it on a transaction's connection).

Like :class:`~jetshop_hogia.state.catalog_sync.CatalogSyncRepository` it is kept out of the shared
``StateTransaction``: ``InitialSyncRepository(tx.connection, store.now)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from jetshop_hogia.state.initial_sync_models import (
    InitialSyncItemRow,
    InitialSyncReportRow,
    initial_sync_items,
    initial_sync_reports,
)

CHUNK = 500


class InitialSyncRepository:
    """Checkpoints (one row per article and run) and the final report of an initial-sync run."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def record(
        self, tenant_id: str, run_id: str, scope: str, outcomes: Mapping[str, tuple[str, str | None]]
    ) -> None:
        """Store ``{article: (outcome, detail)}`` of one batch (insert or overwrite)."""
        now = self._now()
        rows = [
            {
                "tenant_id": tenant_id,
                "run_id": run_id,
                "scope": scope,
                "item_key": key,
                "outcome": outcome,
                "detail": detail,
                "updated_at": now,
            }
            for key, (outcome, detail) in outcomes.items()
        ]
        statement = _insert(self._connection, initial_sync_items)
        upsert = statement.on_conflict_do_update(
            index_elements=["tenant_id", "run_id", "scope", "item_key"],
            set_={
                "outcome": statement.excluded.outcome,
                "detail": statement.excluded.detail,
                "updated_at": statement.excluded.updated_at,
            },
        )
        for start in range(0, len(rows), CHUNK):
            self._connection.execute(upsert, rows[start : start + CHUNK])

    def done(self, tenant_id: str, run_id: str, scope: str) -> dict[str, str]:
        """``{article: outcome}`` already recorded for one run and scope."""
        row = InitialSyncItemRow
        statement = select(row.item_key, row.outcome).where(
            row.tenant_id == tenant_id, row.run_id == run_id, row.scope == scope
        )
        return {key: outcome for key, outcome in self._connection.execute(statement)}

    def outcomes(self, tenant_id: str, run_id: str) -> list[tuple[str, str, str, str | None]]:
        """Every ``(scope, article, outcome, detail)`` of one run, in a stable order."""
        row = InitialSyncItemRow
        statement = (
            select(row.scope, row.item_key, row.outcome, row.detail)
            .where(row.tenant_id == tenant_id, row.run_id == run_id)
            .order_by(row.scope, row.item_key)
        )
        return [(s, k, o, d) for s, k, o, d in self._connection.execute(statement)]

    def save_report(
        self,
        tenant_id: str,
        run_id: str,
        *,
        direction: str,
        policy: str,
        dry_run: bool,
        report: dict[str, Any],
    ) -> None:
        """Keep (or replace, when the report task is retried) the run's report."""
        self._connection.execute(
            delete(initial_sync_reports).where(
                InitialSyncReportRow.tenant_id == tenant_id, InitialSyncReportRow.run_id == run_id
            )
        )
        self._connection.execute(
            initial_sync_reports.insert().values(
                tenant_id=tenant_id,
                run_id=run_id,
                direction=direction,
                conflict_policy=policy,
                dry_run=dry_run,
                report=report,
                finished_at=self._now(),
            )
        )

    def report(self, tenant_id: str, run_id: str) -> dict[str, Any] | None:
        """The stored report of one run (None before it finished)."""
        row = InitialSyncReportRow
        found = self._connection.execute(
            select(row.report).where(row.tenant_id == tenant_id, row.run_id == run_id)
        ).scalar_one_or_none()
        return dict(found) if found is not None else None


def _insert(connection: Connection, table: Any) -> Any:
    dialect = connection.dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite if dialect == "sqlite" else None
    if module is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"the state store does not support {dialect!r}")
    return module.insert(table)
