"""Helpers that put an order into a given ledger state through the public API only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jetshop_hogia.state import Claim, OrderKey, OrderState, StateStore

RUN = "scheduled__2026-03-02T09:00:00+00:00"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """An aware UTC clock the test moves by hand (claims expire without waiting)."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        self.current += delta
        return self.current


def invoice_id_for(key: OrderKey) -> str:
    return f"inv-{key.shop_id}-{key.order_number}"


def bring_to(
    store: StateStore, key: OrderKey, state: OrderState, *, ttl: timedelta = timedelta(hours=1)
) -> Claim | None:
    """Record ``key`` and walk it to ``state``; returns the live claim when ``state`` is ``pushing``."""
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id=RUN, payload_hash="hash-1", jetshop_order_id=7, channel_id=1)
        if state is OrderState.SEEN:
            return None
        if state is OrderState.QUARANTINED:
            tx.ledger.quarantine(key, "missing_customer", "customer has no email", run_id=RUN)
            return None
        if state is OrderState.IGNORED:
            tx.ledger.mark_ignored(key, run_id=RUN, reason="cancelled")
            return None
        tx.ledger.mark_eligible(key, run_id=RUN)
    if state is OrderState.ELIGIBLE:
        return None
    claim = store.claim_for_push(key, run_id=RUN, ttl=ttl)
    assert claim is not None
    if state is OrderState.PUSHING:
        return claim
    assert state is OrderState.PUSHED
    with store.transaction() as tx:
        tx.ledger.mark_pushed(claim, invoice_id_for(key))
    return None


def state_of(store: StateStore, key: OrderKey) -> OrderState:
    with store.transaction() as tx:
        return tx.ledger.require(key).state
