"""Concurrent runs on one database: separate engines (as separate Airflow task processes would have)
racing for the same orders. Exactly one push per order, whatever the interleaving."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from jetshop_hogia.state import OrderKey, OrderState, StateStore

T = TypeVar("T")


def _race(url: str, workers: int, job: Callable[[StateStore, int], T]) -> list[T]:
    """Run ``job`` in ``workers`` threads, each with its own store (engine), released together."""
    stores = [StateStore(url) for _ in range(workers)]
    for store in stores:  # connect up front so the barrier releases real contenders
        with store.transaction():
            pass
    barrier = threading.Barrier(workers)

    def run(index: int) -> T:
        barrier.wait(timeout=30)
        return job(stores[index], index)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(run, range(workers)))
    finally:
        for store in stores:
            store.dispose()


def _eligible_orders(url: str, tenant: str, count: int) -> list[OrderKey]:
    keys = [OrderKey(tenant, "shop", str(n)) for n in range(count)]
    with StateStore(url) as store, store.transaction() as tx:
        for key in keys:
            tx.ledger.record_seen(key, run_id="seed")
            tx.ledger.mark_eligible(key, run_id="seed")
    return keys


def test_claim_race_has_exactly_one_winner_per_order(migrated_url: str, tenant: str) -> None:
    keys = _eligible_orders(migrated_url, tenant, 25)

    def claim_all(store: StateStore, worker: int) -> list[OrderKey]:
        won = []
        for key in keys:
            if store.claim_for_push(key, run_id=f"run-{worker}") is not None:
                won.append(key)
        return won

    results = _race(migrated_url, 2, claim_all)
    winners = Counter(key for won in results for key in won)
    assert set(winners) == set(keys)
    assert set(winners.values()) == {1}
    with StateStore(migrated_url) as store, store.transaction() as tx:
        assert {record.attempts for record in tx.ledger.orders(tenant)} == {1}


def test_concurrent_push_runs_create_each_invoice_exactly_once(migrated_url: str, tenant: str) -> None:
    """Three runs work the same backlog with the full protocol against a fake Hogia."""
    keys = _eligible_orders(migrated_url, tenant, 30)
    invoices: Counter[OrderKey] = Counter()
    hogia_lock = threading.Lock()

    def push_backlog(store: StateStore, worker: int) -> int:
        pushed = 0
        while True:
            with store.transaction() as tx:
                candidates = tx.ledger.claimable(tenant)
            if not candidates:
                return pushed
            for key in candidates:
                claim = store.claim_for_push(key, run_id=f"run-{worker}")
                if claim is None:
                    continue
                with hogia_lock:
                    invoices[key] += 1
                with store.transaction() as tx:
                    tx.ledger.mark_pushed(claim, f"inv-{key.order_number}")
                pushed += 1

    per_worker = _race(migrated_url, 3, push_backlog)
    assert sum(per_worker) == len(keys)
    assert invoices == Counter(dict.fromkeys(keys, 1))
    with StateStore(migrated_url) as store, store.transaction() as tx:
        assert tx.ledger.count_by_state(tenant)[OrderState.PUSHED] == len(keys)


def test_concurrent_first_sighting_creates_one_row(migrated_url: str, tenant: str) -> None:
    key = OrderKey(tenant, "shop", "1")

    def see(store: StateStore, worker: int) -> bool:
        with store.transaction() as tx:
            return tx.ledger.record_seen(key, run_id=f"run-{worker}", payload_hash="h").created

    assert sorted(_race(migrated_url, 3, see)) == [False, False, True]


def test_concurrent_watermark_advances_end_at_the_maximum(migrated_url: str, tenant: str) -> None:
    base = datetime(2026, 3, 2, tzinfo=UTC)

    def advance(store: StateStore, worker: int) -> None:
        for step in range(10):
            with store.transaction() as tx:
                tx.watermarks.advance(
                    tenant, "orders", base + timedelta(minutes=step * 4 + worker), run_id=str(worker)
                )

    _race(migrated_url, 4, advance)
    with StateStore(migrated_url) as store, store.transaction() as tx:
        watermark = tx.watermarks.get(tenant, "orders")
    assert watermark is not None
    assert watermark.value == base + timedelta(minutes=9 * 4 + 3)
