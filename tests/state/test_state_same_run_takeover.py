"""A retry of the same Airflow run takes over the claim its dead earlier try left; other runs keep out.

Airflow starts a task's retry only after the previous try ended, so a live claim held by the caller's own
``run_id`` belongs to a try that was killed between claim and report. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from state_store_builders import RUN, FakeClock, bring_to, state_of

from jetshop_hogia.state import ClaimLostError, OrderKey, OrderState, StateStore

S = OrderState
OTHER_RUN = "scheduled__2026-03-02T09:15:00+00:00"


def test_the_same_run_takes_over_its_own_live_claim_as_outcome_unknown(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    dead_try = bring_to(store, key, S.PUSHING)
    assert dead_try is not None
    assert not dead_try.outcome_unknown
    clock.advance(timedelta(minutes=1))  # Airflow's retry, long before the hour-long TTL

    retry = store.claim_for_push(key, run_id=RUN)

    assert retry is not None
    assert retry.outcome_unknown  # the dead try may have created the invoice: look it up first
    assert retry.attempt == dead_try.attempt + 1
    assert retry.token != dead_try.token
    assert retry.expires_at == clock() + timedelta(hours=1)
    with store.transaction() as tx:
        record = tx.ledger.require(key)
    assert (record.state, record.attempts, record.claim_token) == (S.PUSHING, 2, retry.token)
    assert record.claim_run_id == RUN
    with pytest.raises(ClaimLostError), store.transaction() as tx:  # the dead try cannot report any more
        tx.ledger.mark_pushed(dead_try, "inv-from-the-dead")
    with store.transaction() as tx:
        assert tx.ledger.mark_pushed(retry, "inv-found").hogia_invoice_id == "inv-found"


def test_a_takeover_by_the_same_run_is_always_flagged_outcome_unknown(
    store: StateStore, key: OrderKey
) -> None:
    """Every takeover in a row looks first: any earlier try may be the one that created the invoice."""
    bring_to(store, key, S.PUSHING)
    for attempt in (2, 3, 4):
        claim = store.claim_for_push(key, run_id=RUN)
        assert claim is not None
        assert (claim.attempt, claim.outcome_unknown) == (attempt, True)


def test_a_live_claim_of_another_run_is_still_respected(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    held = bring_to(store, key, S.PUSHING)
    assert held is not None
    # the other run has seen the order too (fetch overwrites last_run_id): that gives it no claim
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id=OTHER_RUN, payload_hash="hash-1")
        assert tx.ledger.require(key).last_run_id == OTHER_RUN
    clock.advance(timedelta(minutes=59))

    assert store.claim_for_push(key, run_id=OTHER_RUN) is None

    with store.transaction() as tx:
        record = tx.ledger.require(key)
    assert (record.state, record.attempts, record.claim_token, record.claim_run_id) == (
        S.PUSHING,
        1,
        held.token,
        RUN,
    )
    with store.transaction() as tx:  # the owner is untouched and reports normally
        assert tx.ledger.mark_pushed(held, "inv-1").state is S.PUSHED


def test_a_pushed_order_is_never_claimed_again(store: StateStore, clock: FakeClock, key: OrderKey) -> None:
    bring_to(store, key, S.PUSHED)
    with store.transaction() as tx:
        before = tx.ledger.require(key)
    assert before.claim_run_id is None

    for _ in range(2):
        assert store.claim_for_push(key, run_id=RUN) is None
        assert store.claim_for_push(key, run_id=OTHER_RUN) is None
        clock.advance(timedelta(days=2))

    with store.transaction() as tx:
        after = tx.ledger.require(key)
    assert (after.state, after.attempts, after.hogia_invoice_id) == (S.PUSHED, 1, before.hogia_invoice_id)


def test_an_unknown_outcome_waits_its_retry_after_for_the_same_run_too(
    store: StateStore, clock: FakeClock, key: OrderKey
) -> None:
    """The try reported "maybe created": its request may still be in flight, so nobody looks yet."""
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        record = tx.ledger.record_push_outcome_unknown(
            claim, "read timeout", retry_after=timedelta(minutes=10)
        )
    assert record.claim_run_id is None
    clock.advance(timedelta(minutes=9))
    assert store.claim_for_push(key, run_id=RUN) is None
    clock.advance(timedelta(minutes=1))
    retry = store.claim_for_push(key, run_id=RUN)
    assert retry is not None
    assert retry.outcome_unknown


@pytest.mark.parametrize("outcome", ["pushed", "retryable", "rejected"])
def test_reporting_an_outcome_releases_the_claims_owner(
    store: StateStore, key: OrderKey, outcome: str
) -> None:
    claim = bring_to(store, key, S.PUSHING)
    assert claim is not None
    with store.transaction() as tx:
        if outcome == "pushed":
            tx.ledger.mark_pushed(claim, "inv-1")
        else:
            tx.ledger.record_push_failure(claim, "refused", retryable=outcome == "retryable")
        record = tx.ledger.require(key)
    assert record.claim_run_id is None
    if outcome == "retryable":  # back to eligible: a fresh claim, not a takeover
        again = store.claim_for_push(key, run_id=RUN)
        assert again is not None
        assert not again.outcome_unknown
    else:
        assert store.claim_for_push(key, run_id=RUN) is None
        assert state_of(store, key) is (S.PUSHED if outcome == "pushed" else S.QUARANTINED)
