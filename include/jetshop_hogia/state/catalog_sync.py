"""Repository of the ``catalog_sync`` table: stored hashes for delta writes, versions for stock order.

Not part of :class:`~jetshop_hogia.state.store.StateTransaction` (kept separate so the catalog streams
add no code to the shared store): build it on a transaction's connection,
``CatalogSyncRepository(tx.connection, store.now)``. Reads are one query per (stream, shop) — a 50,000
article catalog is one SELECT — and writes are batched upserts of the confirmed items only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from jetshop_hogia.state.catalog_models import CatalogSyncRow, catalog_sync

UPSERT_CHUNK = 500


@dataclass(frozen=True)
class SyncedItem:
    """What the target confirmed for one item: the payload's hash and (stock) the source version."""

    pushed_hash: str | None
    source_version: int | None = None


class CatalogSyncRepository:
    """Confirmed catalog writes of one transaction."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def load(self, tenant_id: str, stream: str, shop_id: str) -> dict[str, SyncedItem]:
        """Every confirmed item of one stream key and shop, by item key."""
        row = CatalogSyncRow
        statement = select(row.item_key, row.pushed_hash, row.source_version).where(
            row.tenant_id == tenant_id, row.stream == stream, row.shop_id == shop_id
        )
        return {
            key: SyncedItem(pushed_hash, version)
            for key, pushed_hash, version in self._connection.execute(statement)
        }

    def confirm(self, tenant_id: str, stream: str, shop_id: str, items: Mapping[str, SyncedItem]) -> int:
        """Store what the target confirmed (insert or overwrite); returns the number of items."""
        now = self._now()
        rows = [
            {
                "tenant_id": tenant_id,
                "stream": stream,
                "shop_id": shop_id,
                "item_key": key,
                "pushed_hash": item.pushed_hash,
                "source_version": item.source_version,
                "updated_at": now,
            }
            for key, item in items.items()
        ]
        for start in range(0, len(rows), UPSERT_CHUNK):
            self._connection.execute(_upsert(self._connection), rows[start : start + UPSERT_CHUNK])
        return len(rows)

    def forget(self, tenant_id: str, stream: str, shop_id: str, item_keys: Iterable[str]) -> int:
        """Drop stored hashes so the next run sends these items again (auto-heal, a human's resend)."""
        keys = list(item_keys)
        removed = 0
        row = CatalogSyncRow
        for start in range(0, len(keys), UPSERT_CHUNK):
            chunk = keys[start : start + UPSERT_CHUNK]
            result: Any = self._connection.execute(
                delete(catalog_sync).where(
                    row.tenant_id == tenant_id,
                    row.stream == stream,
                    row.shop_id == shop_id,
                    tuple_(row.item_key).in_([(key,) for key in chunk]),
                )
            )
            removed += int(result.rowcount or 0)
        return removed


def _upsert(connection: Connection) -> Any:
    """``INSERT … ON CONFLICT (key) DO UPDATE`` for the connection's dialect (executemany-ready)."""
    dialect = connection.dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite if dialect == "sqlite" else None
    if module is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"the state store does not support {dialect!r}")
    statement = module.insert(catalog_sync)
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "stream", "shop_id", "item_key"],
        set_={
            "pushed_hash": statement.excluded.pushed_hash,
            "source_version": statement.excluded.source_version,
            "updated_at": statement.excluded.updated_at,
        },
    )
