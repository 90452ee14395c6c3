"""Quarantine: one entry per record, updated and reopened on recurrence, resolvable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from state_store_builders import FakeClock

from jetshop_hogia.state import StateStore
from jetshop_hogia.state.models import QuarantineRow


def test_requarantining_updates_instead_of_duplicating(
    store: StateStore, clock: FakeClock, tenant: str
) -> None:
    with store.transaction() as tx:
        first = tx.quarantine.put(
            tenant,
            "articles",
            "A-100",
            "missing_vat",
            "no VAT class",
            payload={"article": "A-100"},
            run_id="r1",
        )
    clock.advance(timedelta(hours=1))
    with store.transaction() as tx:
        second = tx.quarantine.put(tenant, "articles", "A-100", "bad_price", "negative price", run_id="r2")
        assert tx.quarantine.count_open(tenant) == 1
    assert second.id == first.id
    assert second.occurrences == 2
    assert (second.reason_code, second.reason_text, second.run_id) == ("bad_price", "negative price", "r2")
    assert second.payload is None  # the old payload is not kept around
    assert second.created_at == first.created_at
    assert second.updated_at == clock()


def test_resolve_and_reopen(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.quarantine.put(tenant, "articles", "A-1", "x", "x", shop_id="shop-a")
        tx.quarantine.put(tenant, "customers", "C-1", "y", "y")
        assert tx.quarantine.resolve(tenant, "articles", "A-1", shop_id="shop-a")
        assert not tx.quarantine.resolve(tenant, "articles", "A-1", shop_id="shop-a")
        assert [e.record_key for e in tx.quarantine.open_entries(tenant)] == ["C-1"]
        resolved = tx.quarantine.get(tenant, "articles", "A-1", shop_id="shop-a")
        assert resolved is not None
        assert not resolved.is_open
        reopened = tx.quarantine.put(tenant, "articles", "A-1", "x", "again", shop_id="shop-a")
        assert reopened.is_open
        assert reopened.occurrences == 2
        assert tx.quarantine.count_open(tenant, stream="articles") == 1
        assert [
            e.record_key for e in tx.quarantine.open_entries(tenant, stream="articles", shop_id="shop-a")
        ] == ["A-1"]


def test_absent_payload_is_sql_null(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.quarantine.put(tenant, "articles", "A-1", "x", "x")
        tx.quarantine.put(tenant, "articles", "A-2", "x", "x", payload={"price": "12.50", "rows": [1, 2]})
        rows = dict(
            tx.connection.execute(
                select(QuarantineRow.record_key, QuarantineRow.payload.is_(None)).where(
                    QuarantineRow.tenant_id == tenant
                )
            ).all()
        )
        entry = tx.quarantine.get(tenant, "articles", "A-2")
    assert rows == {"A-1": True, "A-2": False}
    assert entry is not None
    assert entry.payload == {"price": "12.50", "rows": [1, 2]}
