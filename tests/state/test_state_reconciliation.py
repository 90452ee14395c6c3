"""Reconciliation results: stored and read back intact, queried by window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from state_store_builders import FakeClock

from jetshop_hogia.state import ReconciliationCounts, ReconciliationStatus, StateStore

DAY = datetime(2026, 3, 2, tzinfo=UTC)


def test_round_trip(store: StateStore, tenant: str) -> None:
    counts = ReconciliationCounts(
        expected=10, matched=7, missing=1, duplicates=1, mismatched=0, quarantined=1
    )
    details = {"missing": ["100007"], "total": Decimal("1234.50"), "checked_at": DAY}
    with store.transaction() as tx:
        stored = tx.reconciliation.record(
            tenant, "orders", DAY, DAY + timedelta(days=1), counts,
            status=ReconciliationStatus.FAILED, scope="shop-a", run_id="r1", details=details,
        )  # fmt: skip
    with store.transaction() as tx:
        loaded = tx.reconciliation.latest(tenant, "orders")
    assert loaded == stored
    assert loaded.counts == counts
    assert loaded.status is ReconciliationStatus.FAILED
    assert (loaded.window_start, loaded.window_end) == (DAY, DAY + timedelta(days=1))
    assert loaded.details == {"missing": ["100007"], "total": "1234.50", "checked_at": DAY.isoformat()}


def test_history_by_window_and_status(store: StateStore, clock: FakeClock, tenant: str) -> None:
    with store.transaction() as tx:
        for day in range(3):
            clock.advance(timedelta(minutes=1))
            start = DAY + timedelta(days=day)
            status = ReconciliationStatus.OK if day != 1 else ReconciliationStatus.FAILED
            tx.reconciliation.record(
                tenant,
                "orders",
                start,
                start + timedelta(days=1),
                ReconciliationCounts(expected=day),
                status=status,
            )
        overlapping = tx.reconciliation.history(
            tenant, "orders", overlapping=(DAY + timedelta(hours=30), DAY + timedelta(days=3))
        )
        failed = tx.reconciliation.history(tenant, "orders", status=ReconciliationStatus.FAILED)
        latest = tx.reconciliation.latest(tenant, "orders")
        assert tx.reconciliation.latest(tenant, "articles") is None
    assert [result.counts.expected for result in overlapping] == [2, 1]  # newest first
    assert [result.counts.expected for result in failed] == [1]
    assert latest is not None
    assert latest.counts.expected == 2


def test_inverted_window_is_refused(store: StateStore, tenant: str) -> None:
    with pytest.raises(ValueError, match="before it starts"), store.transaction() as tx:
        tx.reconciliation.record(
            tenant,
            "orders",
            DAY,
            DAY - timedelta(days=1),
            ReconciliationCounts(),
            status=ReconciliationStatus.OK,
        )
