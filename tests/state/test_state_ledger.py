"""Order ledger behaviour: intake, the push protocol's claims and outcomes, and the queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import StatementError
from state_store_builders import RUN, START, FakeClock, bring_to, invoice_id_for, state_of

from jetshop_hogia.state import (
    BindingConflictError,
    BindingEntity,
    ClaimLostError,
    DuplicateInvoiceError,
    OrderKey,
    OrderState,
    StateStore,
    UncommittedClaimError,
)
from jetshop_hogia.state.ledger_intake import ORDERS_STREAM

S = OrderState


def test_record_seen_creates_then_refreshes_without_touching_state(store: StateStore, key: OrderKey) -> None:
    with store.transaction() as tx:
        first = tx.ledger.record_seen(key, run_id="run-1", payload_hash="a", order_changed_at=START)
        again = tx.ledger.record_seen(key, run_id="run-2", payload_hash="a", order_changed_at=START)
    assert first.created
    assert not again.created
    assert not again.payload_changed
    assert again.order.state is S.SEEN
    assert again.order.first_seen_run_id == "run-1"
    assert again.order.last_run_id == "run-2"
    assert again.order.idempotency_key == key.idempotency_key


def test_idempotency_key_is_deterministic_and_distinct_per_order(tenant: str) -> None:
    one = OrderKey(tenant, "shop-a", "1")
    assert one.idempotency_key == OrderKey(tenant, "shop-a", "1").idempotency_key
    assert one.idempotency_key != OrderKey(tenant, "shop-b", "1").idempotency_key
    assert one.idempotency_key != OrderKey(tenant, "shop-a", "2").idempotency_key


def test_changed_payload_is_noted_and_older_readings_are_ignored(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    later = START + timedelta(minutes=5)
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id="r1", payload_hash="a", order_changed_at=START)
    clock.advance(timedelta(minutes=1))
    with store.transaction() as tx:
        changed = tx.ledger.record_seen(key, run_id="r2", payload_hash="b", order_changed_at=later)
    assert changed.payload_changed
    assert changed.order.payload_hash == "b"
    assert changed.order.payload_changed_at == clock()
    with store.transaction() as tx:  # a slow run reports the old content afterwards
        stale = tx.ledger.record_seen(key, run_id="r-slow", payload_hash="a", order_changed_at=START)
    assert not stale.payload_changed
    assert stale.order.payload_hash == "b"
    assert stale.order.order_changed_at == later
    assert stale.order.last_run_id == "r-slow"


def test_claim_increments_attempts_and_records_the_run(store: StateStore, key: OrderKey) -> None:
    bring_to(store, key, S.ELIGIBLE)
    claim = store.claim_for_push(key, run_id="run-A")
    assert claim is not None
    assert claim.attempt == 1
    assert not claim.outcome_unknown
    assert claim.idempotency_key == key.idempotency_key
    assert store.claim_for_push(key, run_id="run-B") is None  # live claim: nobody else
    with store.transaction() as tx:
        record = tx.ledger.require(key)
    assert (record.state, record.attempts, record.last_run_id) == (S.PUSHING, 1, "run-A")


def test_claim_needs_a_positive_ttl(store: StateStore, key: OrderKey) -> None:
    bring_to(store, key, S.ELIGIBLE)
    with pytest.raises(ValueError, match="positive ttl"):
        store.claim_for_push(key, run_id=RUN, ttl=timedelta(0))
    assert state_of(store, key) is S.ELIGIBLE


def test_successful_push_records_invoice_and_binding(store: StateStore, key: OrderKey) -> None:
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.mark_pushed(claim, "inv-9", payload_hash="sent-hash")
        binding = tx.bindings.get_by_hogia(key.tenant_id, BindingEntity.ORDER, "inv-9")
    assert record.state is S.PUSHED
    assert record.hogia_invoice_id == "inv-9"
    assert record.pushed_run_id == RUN
    assert record.pushed_payload_hash == "sent-hash"
    assert record.claim_token is None
    assert binding is not None
    assert (binding.external_id, binding.last_pushed_hash) == (key.order_number, "sent-hash")
    with store.transaction() as tx:  # the same report again (a retried task) is harmless
        assert tx.ledger.mark_pushed(claim, "inv-9").state is S.PUSHED
    with pytest.raises(DuplicateInvoiceError, match="inv-10"), store.transaction() as tx:
        tx.ledger.mark_pushed(claim, "inv-10")


def test_outcome_in_the_claiming_transaction_is_refused(store: StateStore, key: OrderKey) -> None:
    """Claim + API call + report in one transaction would lose the claim on a crash: refused."""
    bring_to(store, key, S.ELIGIBLE)

    def claim_call_and_report_in_one_transaction() -> None:
        with store.transaction() as tx:
            claim = tx.ledger.claim_for_push(key, run_id=RUN)
            assert claim is not None
            tx.ledger.mark_pushed(claim, "inv-1")

    with pytest.raises(UncommittedClaimError):
        claim_call_and_report_in_one_transaction()
    assert state_of(store, key) is S.ELIGIBLE  # rolled back, nothing claimed


def test_expired_claim_is_taken_over_as_outcome_unknown(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    """A run crashed after claiming: after the TTL another run may claim, told to look the invoice up."""
    first = bring_to(store, key, S.PUSHING, ttl=timedelta(minutes=30))
    assert first is not None
    clock.advance(timedelta(minutes=29))
    assert store.claim_for_push(key, run_id="run-B") is None
    with store.transaction() as tx:
        assert tx.ledger.stuck_in_pushing(key.tenant_id) == []
        assert [r.key for r in tx.ledger.stuck_in_pushing(key.tenant_id, include_live_claims=True)] == [key]
    clock.advance(timedelta(minutes=1))
    with store.transaction() as tx:
        assert [r.key for r in tx.ledger.stuck_in_pushing(key.tenant_id)] == [key]
        assert tx.ledger.claimable(key.tenant_id) == [key]
    second = store.claim_for_push(key, run_id="run-B")
    assert second is not None
    assert second.outcome_unknown
    assert second.attempt == 2
    # the crashed run comes back to life: its claim is no longer the current one
    with pytest.raises(ClaimLostError), store.transaction() as tx:
        tx.ledger.mark_pushed(first, "inv-late")
    # run B looked the invoice up, found it, and records it
    with store.transaction() as tx:
        assert tx.ledger.mark_pushed(second, "inv-found").hogia_invoice_id == "inv-found"


def test_retryable_failure_returns_to_eligible_until_max_attempts(store: StateStore, key: OrderKey) -> None:
    bring_to(store, key, S.ELIGIBLE)
    for attempt in (1, 2):
        claim = store.claim_for_push(key, run_id=f"run-{attempt}")
        assert claim is not None
        with store.transaction() as tx:
            record = tx.ledger.record_push_failure(
                claim, f"HTTP 503 #{attempt}", retryable=True, max_attempts=3
            )
        assert record.state is S.ELIGIBLE
        assert record.last_error == f"HTTP 503 #{attempt}"
    claim = store.claim_for_push(key, run_id="run-3")
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.record_push_failure(claim, "HTTP 503 #3", retryable=True, max_attempts=3)
        entry = tx.quarantine.get(key.tenant_id, ORDERS_STREAM, key.order_number, shop_id=key.shop_id)
    assert (record.state, record.attempts, record.state_reason) == (S.QUARANTINED, 3, "max_attempts_exceeded")
    assert entry is not None
    assert entry.reason_code == "max_attempts_exceeded"
    assert "HTTP 503 #3" in entry.reason_text


def test_permanent_failure_quarantines_and_release_resolves_it(store: StateStore, key: OrderKey) -> None:
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.record_push_failure(claim, "422 unknown article", retryable=False)
        assert tx.quarantine.count_open(key.tenant_id, stream=ORDERS_STREAM) == 1
    assert record.state is S.QUARANTINED
    with store.transaction() as tx:
        tx.ledger.mark_eligible(key, run_id="operator")
        assert tx.quarantine.count_open(key.tenant_id) == 0
        entry = tx.quarantine.get(key.tenant_id, ORDERS_STREAM, key.order_number, shop_id=key.shop_id)
    assert entry is not None
    assert entry.resolved_at is not None


def test_unknown_outcome_keeps_pushing_until_retry_after(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.record_push_outcome_unknown(
            claim, "read timeout", retry_after=timedelta(minutes=10)
        )
    assert (record.state, record.last_error) == (S.PUSHING, "read timeout")
    clock.advance(timedelta(minutes=9))
    assert store.claim_for_push(key, run_id="run-B") is None
    clock.advance(timedelta(minutes=1))
    retry = store.claim_for_push(key, run_id="run-B")
    assert retry is not None
    assert retry.outcome_unknown


def test_long_errors_are_clipped(store: StateStore, key: OrderKey) -> None:
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.record_push_failure(claim, "x" * 100_000, retryable=True)
    assert record.last_error is not None
    assert len(record.last_error) <= 4000


def test_queries_by_window_state_and_counts(store: StateStore, tenant: str) -> None:
    times = [START + timedelta(hours=hour) for hour in range(4)]
    keys = [OrderKey(tenant, "shop-a", f"{n}") for n in range(4)]
    with store.transaction() as tx:
        for order_key, changed in zip(keys, times, strict=True):
            tx.ledger.record_seen(order_key, run_id=RUN, order_changed_at=changed)
        tx.ledger.record_seen(OrderKey(tenant, "shop-b", "x"), run_id=RUN, order_changed_at=times[0])
        tx.ledger.mark_eligible(keys[1], run_id=RUN)
        tx.ledger.mark_ignored(keys[2], run_id=RUN, reason="cancelled")
    with store.transaction() as tx:
        window = tx.ledger.orders(tenant, shop_id="shop-a", changed_from=times[1], changed_to=times[3])
        eligible = tx.ledger.orders(tenant, states=[S.ELIGIBLE])
        counts = tx.ledger.count_by_state(tenant)
        shop_b = tx.ledger.count_by_state(tenant, shop_id="shop-b")
    assert [record.key for record in window] == keys[1:3]
    assert [record.key for record in eligible] == [keys[1]]
    assert counts == {**dict.fromkeys(OrderState, 0), S.SEEN: 3, S.ELIGIBLE: 1, S.IGNORED: 1}
    assert shop_b[S.SEEN] == 1
    assert sum(shop_b.values()) == 1


def test_naive_timestamps_are_refused(store: StateStore, key: OrderKey) -> None:
    with pytest.raises(StatementError, match="timezone-aware"), store.transaction() as tx:
        tx.ledger.record_seen(key, run_id=RUN, order_changed_at=datetime(2026, 3, 2, 9, 0))
    with store.transaction() as tx:
        assert tx.ledger.get(key) is None


def test_timestamps_come_back_aware_utc(store: StateStore, key: OrderKey) -> None:
    stockholm_noon = datetime(2026, 3, 2, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    with store.transaction() as tx:
        record = tx.ledger.record_seen(key, run_id=RUN, order_changed_at=stockholm_noon).order
    assert record.order_changed_at == stockholm_noon
    assert record.order_changed_at is not None
    assert record.order_changed_at.utcoffset() == timedelta(0)
    assert record.created_at.tzinfo is not None


def test_invoice_bound_to_another_order_rolls_the_push_back(store: StateStore, tenant: str) -> None:
    first, second = OrderKey(tenant, "s", "1"), OrderKey(tenant, "s", "2")
    bring_to(store, first, S.PUSHED)
    claim = bring_to(store, second, S.PUSHING)
    assert claim is not None
    with pytest.raises(BindingConflictError, match="already bound"), store.transaction() as tx:
        tx.ledger.mark_pushed(claim, invoice_id_for(first))
    assert state_of(store, second) is S.PUSHING
