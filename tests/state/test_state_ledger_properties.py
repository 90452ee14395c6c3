"""Property test of the push protocol: random interleavings of two runs, crashes, timeouts, clock jumps
and operator decisions never create a second invoice for an order and never lose an order.

A fake Hogia records created invoices. The runs follow the documented protocol (commit the claim, look
the invoice up when the claim says the outcome is unknown, call the API only while the claim is live);
everything else — when they crash, time out, report, or how far the clock jumps — is chosen by
Hypothesis. A run never claims an order it still has in flight (Airflow never runs two tries of one task
at once), but after a crash it may come straight back (a task retry) and take over its own dead claim.
The test keeps its own model of who owns each claim and checks every claim decision against it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import ClassVar

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from state_store_builders import START, FakeClock

from jetshop_hogia.state import (
    Claim,
    ClaimLostError,
    IllegalTransitionError,
    OrderKey,
    OrderState,
    StateStore,
)

S = OrderState
ORDERS = ["1", "2"]
RUNS = ["run-A", "run-B"]
TTL = timedelta(minutes=60)
DECISIONS = [None, "eligible", "eligible", "ignored", "quarantined"]


class PushProtocol(RuleBasedStateMachine):
    """Two runs and an operator against one tenant's ledger (the test binds ``store`` and ``clock``)."""

    store: ClassVar[StateStore]
    clock: ClassVar[FakeClock]

    def __init__(self) -> None:
        super().__init__()
        self.clock.current = START  # every example starts at the same instant: replays are exact
        self.tenant = f"prop-{uuid.uuid4().hex[:12]}"
        self.hogia: dict[str, list[str]] = {number: [] for number in ORDERS}
        self.seen: set[str] = set()
        # (run, order number) -> (claim, whether the API was called under it)
        self.in_flight: dict[tuple[str, str], tuple[Claim, bool]] = {}
        # order number -> (run owning the current claim, None once it reported; until when it protects)
        self.claims: dict[str, tuple[str | None, datetime]] = {}

    def key(self, number: str) -> OrderKey:
        return OrderKey(self.tenant, "shop", number)

    def state(self, number: str) -> OrderState | None:
        with self.store.transaction() as tx:
            record = tx.ledger.get(self.key(number))
        return record.state if record else None

    def create_invoice(self, number: str) -> str:
        invoice_id = f"inv-{number}-{len(self.hogia[number])}"
        self.hogia[number].append(invoice_id)
        return invoice_id

    # -- intake and operator decisions ----------------------------------------------------------------

    @rule(
        number=st.sampled_from(ORDERS),
        payload=st.sampled_from(["a", "b"]),
        decision=st.sampled_from(DECISIONS),
        seen_by=st.sampled_from(["intake", *RUNS]),
    )
    def intake(self, number: str, payload: str, decision: str | None, seen_by: str) -> None:
        # a run's fetch may see an order another run is pushing: seeing it must not give it the claim
        with self.store.transaction() as tx:
            tx.ledger.record_seen(self.key(number), run_id=seen_by, payload_hash=payload)
        self.seen.add(number)
        if decision is None:
            return
        before = self.state(number)
        try:
            with self.store.transaction() as tx:
                if decision == "eligible":
                    tx.ledger.mark_eligible(self.key(number), run_id="judge")
                elif decision == "ignored":
                    tx.ledger.mark_ignored(self.key(number), run_id="judge", reason="cancelled")
                else:
                    tx.ledger.quarantine(self.key(number), "bad", "bad data", run_id="judge")
        except IllegalTransitionError:
            # judgements never touch an order that may have (or has) an invoice
            assert before in {S.PUSHING, S.PUSHED}
            assert self.state(number) is before
        else:
            assert before not in {S.PUSHING, S.PUSHED}

    # -- the runs -------------------------------------------------------------------------------------

    @precondition(lambda self: bool(self.seen))
    @rule(run=st.sampled_from(RUNS), data=st.data())
    def claim(self, run: str, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.seen)))
        if (run, number) in self.in_flight:
            return
        before = self.state(number)
        claim = self.store.claim_for_push(self.key(number), run_id=run, ttl=TTL)
        self.check_claim_decision(number, run, before, claim)
        if claim is None:
            return
        self.claims[number] = (run, claim.expires_at)
        if claim.outcome_unknown and self.hogia[number]:  # protocol step 2: look it up first
            with self.store.transaction() as tx:
                tx.ledger.mark_pushed(claim, self.hogia[number][-1])
            return
        self.in_flight[(run, number)] = (claim, False)

    def check_claim_decision(
        self, number: str, run: str, before: OrderState | None, claim: Claim | None
    ) -> None:
        """Eligible: a fresh claim. Pushing: taken over (always "look first") only when the claim expired
        or its owner is this very run (a dead earlier try); otherwise refused. Anything else: refused."""
        if before is S.ELIGIBLE:
            assert claim is not None
            assert not claim.outcome_unknown
        elif before is S.PUSHING:
            owner, protected_until = self.claims[number]
            expected = protected_until <= self.clock() or owner == run
            assert (claim is not None) == expected, f"claim by {run} of {owner}'s claim: {claim}"
            assert claim is None or claim.outcome_unknown
        else:
            assert claim is None

    @precondition(lambda self: any(not called for _, called in self.in_flight.values()))
    @rule(data=st.data())
    def call_hogia(self, data: st.DataObject) -> None:
        run, number = data.draw(
            st.sampled_from(sorted(k for k, (_, called) in self.in_flight.items() if not called))
        )
        claim, _ = self.in_flight[(run, number)]
        if not claim.is_live(self.clock()):  # protocol step 3: never push under an expired claim
            del self.in_flight[(run, number)]
            return
        self.create_invoice(number)
        self.in_flight[(run, number)] = (claim, True)

    @precondition(lambda self: bool(self.in_flight))
    @rule(data=st.data(), outcome=st.sampled_from(["done", "retryable", "rejected", "unknown"]))
    def report(self, data: st.DataObject, outcome: str) -> None:
        run, number = data.draw(st.sampled_from(sorted(self.in_flight)))
        claim, called = self.in_flight.pop((run, number))
        try:
            with self.store.transaction() as tx:
                if called and outcome != "unknown":
                    tx.ledger.mark_pushed(claim, self.hogia[number][-1])
                elif outcome == "unknown":
                    tx.ledger.record_push_outcome_unknown(claim, "timeout", retry_after=timedelta(minutes=5))
                else:  # nothing was sent: a definite failure
                    tx.ledger.record_push_failure(claim, "refused", retryable=outcome != "rejected")
        except ClaimLostError:
            return  # another run took over after our claim expired; it owns the outcome now
        if outcome == "unknown":  # reported: no owner any more, protected while a request may be in flight
            self.claims[number] = (None, self.clock() + timedelta(minutes=5))

    @precondition(lambda self: bool(self.in_flight))
    @rule(run=st.sampled_from(RUNS))
    def crash(self, run: str) -> None:
        for in_flight_key in [k for k in self.in_flight if k[0] == run]:
            del self.in_flight[in_flight_key]

    @rule(minutes=st.sampled_from([1, 6, 30, 61]))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    # -- what must always hold ------------------------------------------------------------------------

    @invariant()
    def at_most_one_invoice_per_order(self) -> None:
        for number, invoices in self.hogia.items():
            assert len(invoices) <= 1, f"order {number} invoiced {len(invoices)} times"

    @invariant()
    def ledger_agrees_with_hogia(self) -> None:
        with self.store.transaction() as tx:
            records = {record.key.order_number: record for record in tx.ledger.orders(self.tenant)}
        assert set(records) == self.seen, "an order that was seen is missing from the ledger"
        for number, record in records.items():
            if record.state is S.PUSHED:
                assert self.hogia[number] == [record.hogia_invoice_id]
            elif self.hogia[number]:
                # an invoice exists but is not recorded yet: the order must stay claimed
                assert record.state is S.PUSHING

    def teardown(self) -> None:
        """Recovery: much later, one run drains everything pushable, following the protocol."""
        self.clock.advance(timedelta(days=1))
        for number in sorted(self.seen):
            claim = self.store.claim_for_push(self.key(number), run_id="recovery", ttl=TTL)
            if claim is None:
                assert self.state(number) in {S.PUSHED, S.IGNORED, S.QUARANTINED, S.SEEN}
                continue
            found = self.hogia[number][-1] if claim.outcome_unknown and self.hogia[number] else None
            with self.store.transaction() as tx:
                tx.ledger.mark_pushed(claim, found or self.create_invoice(number))
            assert len(self.hogia[number]) == 1, f"order {number} invoiced twice during recovery"
            assert self.state(number) is S.PUSHED


def test_push_protocol_never_double_invoices_nor_loses_orders(migrated_url: str) -> None:
    clock = FakeClock()
    is_postgres = migrated_url.startswith("postgresql")
    with StateStore(migrated_url, clock=clock) as store:
        run_state_machine_as_test(
            type("BoundPushProtocol", (PushProtocol,), {"store": store, "clock": clock}),
            settings=settings(
                max_examples=25 if is_postgres else 100,
                stateful_step_count=40,
                deadline=None,
                database=None,
            ),
        )
