"""The ledger's state machine: every legal transition through the API, and refusals of illegal ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from state_store_builders import RUN, FakeClock, bring_to, invoice_id_for, state_of

from jetshop_hogia.state import (
    ALLOWED_TRANSITIONS,
    ClaimLostError,
    IllegalTransitionError,
    OrderKey,
    OrderNotFoundError,
    OrderState,
    StateStore,
    StateTransaction,
)
from jetshop_hogia.state.transitions import declare_sources

S = OrderState


def test_state_machine_shape() -> None:
    assert ALLOWED_TRANSITIONS[S.PUSHED] == frozenset(), "pushed must be terminal"
    assert set(ALLOWED_TRANSITIONS) == set(OrderState)
    # the only way into pushed is from pushing: a pushed order always passed through a claim
    assert {start for start, targets in ALLOWED_TRANSITIONS.items() if S.PUSHED in targets} == {S.PUSHING}
    with pytest.raises(ValueError, match="pushed -> eligible"):
        declare_sources(S.ELIGIBLE, S.PUSHED)


def _perform(store: StateStore, clock: FakeClock, key: OrderKey, start: S, target: S) -> None:
    """Carry out the one API operation that moves ``start`` -> ``target``."""
    claim = bring_to(store, key, start)
    moves: dict[tuple[S, S], Callable[[], object]] = {}
    with store.transaction() as tx:
        ledger = tx.ledger
        for source in (S.SEEN, S.QUARANTINED, S.IGNORED):
            moves[(source, S.ELIGIBLE)] = lambda: ledger.mark_eligible(key, run_id="r2")
        for source in (S.SEEN, S.ELIGIBLE, S.QUARANTINED):
            moves[(source, S.IGNORED)] = lambda: ledger.mark_ignored(key, run_id="r2", reason="cancelled")
        for source in (S.SEEN, S.ELIGIBLE, S.IGNORED):
            moves[(source, S.QUARANTINED)] = lambda: ledger.quarantine(
                key, "bad_vat", "unknown rate", run_id="r2"
            )
        moves[(S.ELIGIBLE, S.PUSHING)] = lambda: ledger.claim_for_push(key, run_id="r2")
        if claim is not None:
            moves[(S.PUSHING, S.PUSHED)] = lambda: ledger.mark_pushed(claim, "inv-1")
            moves[(S.PUSHING, S.ELIGIBLE)] = lambda: ledger.record_push_failure(claim, "503", retryable=True)
            moves[(S.PUSHING, S.QUARANTINED)] = lambda: ledger.record_push_failure(
                claim, "422", retryable=False
            )

            def take_over() -> object:
                clock.advance(timedelta(hours=2))
                return ledger.claim_for_push(key, run_id="r2")

            moves[(S.PUSHING, S.PUSHING)] = take_over
        moves[(start, target)]()
    assert state_of(store, key) is target


LEGAL = [(start, target) for start, targets in ALLOWED_TRANSITIONS.items() for target in sorted(targets)]


@pytest.mark.parametrize(("start", "target"), LEGAL, ids=[f"{a.value}->{b.value}" for a, b in LEGAL])
def test_every_legal_transition(
    store: StateStore, clock: FakeClock, tenant: str, start: S, target: S
) -> None:
    _perform(store, clock, OrderKey(tenant, "shop", "1"), start, target)


JUDGEMENTS: dict[str, tuple[S, set[S]]] = {
    # operation: (target, states it succeeds from; staying put is an idempotent no-op)
    "mark_eligible": (S.ELIGIBLE, {S.SEEN, S.ELIGIBLE, S.QUARANTINED, S.IGNORED}),
    "mark_ignored": (S.IGNORED, {S.SEEN, S.ELIGIBLE, S.QUARANTINED, S.IGNORED}),
    "quarantine": (S.QUARANTINED, {S.SEEN, S.ELIGIBLE, S.IGNORED, S.QUARANTINED}),
}


@pytest.mark.parametrize("start", list(OrderState), ids=lambda s: s.value)
@pytest.mark.parametrize("operation", sorted(JUDGEMENTS))
def test_judgements_follow_the_state_machine(
    store: StateStore, tenant: str, start: S, operation: str
) -> None:
    key = OrderKey(tenant, "shop", "1")
    bring_to(store, key, start)
    target, allowed_from = JUDGEMENTS[operation]
    arguments = {
        "mark_eligible": {},
        "mark_ignored": {"reason": "cancelled"},
        "quarantine": {"reason_code": "bad", "reason_text": "bad data"},
    }[operation]
    if start in allowed_from:
        with store.transaction() as tx:
            record = getattr(tx.ledger, operation)(key, run_id="r2", **arguments)
        assert record.state is target
        return
    with pytest.raises(IllegalTransitionError) as refused, store.transaction() as tx:
        getattr(tx.ledger, operation)(key, run_id="r2", **arguments)
    assert refused.value.current is start
    assert refused.value.target is target
    assert f"from {start.value!r} to {target.value!r}" in str(refused.value)
    assert state_of(store, key) is start  # nothing changed


@pytest.mark.parametrize("start", [S.SEEN, S.PUSHED, S.QUARANTINED, S.IGNORED], ids=lambda s: s.value)
def test_claim_is_refused_outside_eligible_and_expired_pushing(
    store: StateStore, tenant: str, start: S
) -> None:
    key = OrderKey(tenant, "shop", "1")
    bring_to(store, key, start)
    assert store.claim_for_push(key, run_id="r2") is None
    assert state_of(store, key) is start


@pytest.mark.parametrize("start", [S.ELIGIBLE, S.QUARANTINED, S.IGNORED], ids=lambda s: s.value)
def test_push_outcomes_need_a_current_claim(store: StateStore, tenant: str, start: S) -> None:
    """Reporting an outcome for an order this caller does not hold a claim on is refused."""
    key = OrderKey(tenant, "shop", "1")
    stale_claim = bring_to(store, key, S.PUSHING)
    assert stale_claim is not None
    with store.transaction() as tx:  # the claim is released by a failure, then the order moves on
        tx.ledger.record_push_failure(stale_claim, "503", retryable=True)
        if start is not S.ELIGIBLE:
            tx.ledger.mark_ignored(key, run_id="r3", reason="cancelled")
            if start is S.QUARANTINED:
                tx.ledger.quarantine(key, "bad", "bad", run_id="r3")
    reports: list[Callable[[StateTransaction], object]] = [
        lambda tx: tx.ledger.mark_pushed(stale_claim, "inv-x"),
        lambda tx: tx.ledger.record_push_failure(stale_claim, "503", retryable=True),
        lambda tx: tx.ledger.record_push_outcome_unknown(stale_claim, "timeout"),
    ]
    for report in reports:
        with pytest.raises(ClaimLostError), store.transaction() as tx:
            report(tx)
    assert state_of(store, key) is start


def test_operations_on_an_unknown_order_raise_not_found(store: StateStore, tenant: str) -> None:
    key = OrderKey(tenant, "shop", "404")
    with store.transaction() as tx:
        assert tx.ledger.get(key) is None
        with pytest.raises(OrderNotFoundError, match="404"):
            tx.ledger.mark_eligible(key, run_id=RUN)
        with pytest.raises(OrderNotFoundError):
            tx.ledger.claim_for_push(key, run_id=RUN)


def test_pushed_is_terminal_even_for_record_seen(store: StateStore, tenant: str) -> None:
    key = OrderKey(tenant, "shop", "1")
    bring_to(store, key, S.PUSHED)
    with store.transaction() as tx:
        seen = tx.ledger.record_seen(key, run_id="later", payload_hash="hash-2")
    assert seen.order.state is S.PUSHED
    assert seen.payload_changed
    assert seen.order.changed_since_push
    assert seen.order.hogia_invoice_id == invoice_id_for(key)
