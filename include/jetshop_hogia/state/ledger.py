"""The order ledger: every order seen, and an explicit, validated path to exactly one Hogia invoice.

Every state change is one compare-and-set ``UPDATE … WHERE state IN (allowed sources)``; the database
decides atomically, so two runs (retries, backfills, concurrent schedules) can never both move the same
order, and a refused move raises ``IllegalTransitionError`` naming both states.

The push protocol, which is what makes "no invoice twice" hold across crashes:

1. ``claim = tx.ledger.claim_for_push(key, run_id=...)`` in its own transaction, committed.
   ``None`` means another run owns it (or it is done): skip it.
2. If ``claim.outcome_unknown``: look the invoice up in Hogia first (a previous attempt may have
   created it before crashing); if found, ``mark_pushed(claim, found_id)`` and stop.
3. Call Hogia (only while ``claim.is_live(now)``).
4. In a new transaction report exactly one outcome: ``mark_pushed`` (created),
   ``record_push_failure`` (definitely *not* created), or ``record_push_outcome_unknown`` (timeout,
   connection lost after sending: maybe created). A crash here leaves the order ``pushing``; the next
   claim comes back with ``outcome_unknown=True`` — step 2 — either from a retry of the *same* Airflow
   run (at once) or, once the claim expired, from any run.

Same-run takeover, and the assumption it rests on: Airflow starts a task's retry only after the previous
try has ended, and never runs two tries of one task instance at once. A live claim whose ``claim_run_id``
is the caller's ``run_id`` therefore belongs to a try that is dead (killed between claim and report), and
waiting out its TTL would only fail the run's reconcile for an hour. A *zombie* try (a worker Airflow lost
track of, still running) breaks that assumption: it may be between its own look-up and create while the
retry looks up and creates too. The writer therefore holds the order's push fence (``state.fencing``: a
PostgreSQL advisory lock that dies with its connection) from before the claim until the outcome is
recorded, so a live zombie keeps its retry out of that order; on SQLite there is no such lock and the
residual risk remains (docs/ORDER_STREAM.md). A claim released with ``record_push_outcome_unknown`` has
no owner any more (``claim_run_id`` NULL), so its ``retry_after`` wait — for a request that may still be
in flight — holds for the same run too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, update

from jetshop_hogia.state.bindings import BindingEntity, BindingRepository
from jetshop_hogia.state.errors import ClaimLostError, DuplicateInvoiceError, UncommittedClaimError
from jetshop_hogia.state.ledger_intake import ORDERS_STREAM, LedgerIntake, clip
from jetshop_hogia.state.ledger_queries import L, key_filter
from jetshop_hogia.state.models import order_ledger
from jetshop_hogia.state.quarantine import QuarantineRepository
from jetshop_hogia.state.records import Claim, OrderKey, OrderRecord
from jetshop_hogia.state.sqlhelpers import rowcount
from jetshop_hogia.state.transitions import OrderState, declare_sources

S = OrderState
DEFAULT_CLAIM_TTL = timedelta(hours=1)
"""How long a push claim protects an order. Must exceed the push task's ``execution_timeout``: a claim
that expires while its owner is still calling Hogia lets another run push the same order."""
DEFAULT_UNKNOWN_RETRY_AFTER = timedelta(minutes=10)
"""After an unknown outcome, wait this long (longer than any HTTP timeout, so a request still in flight
has landed) before another run may claim the order and look the invoice up."""

# The push protocol's moves (validated against transitions.ALLOWED_TRANSITIONS).
CLAIM_FROM = declare_sources(S.PUSHING, S.ELIGIBLE, S.PUSHING)
REPORT_FROM = {
    target: declare_sources(target, S.PUSHING) for target in (S.PUSHED, S.ELIGIBLE, S.QUARANTINED, S.PUSHING)
}


class OrderLedger(LedgerIntake):
    """The order ledger of one transaction (see ``StateStore.transaction``)."""

    def __init__(
        self,
        connection: Connection,
        now: Callable[[], datetime],
        quarantine: QuarantineRepository,
        bindings: BindingRepository,
    ) -> None:
        super().__init__(connection, now, quarantine)
        self._bindings = bindings
        self._claimed_in_this_transaction: set[str] = set()

    # -- the push ---------------------------------------------------------------------------------

    def claim_for_push(
        self, key: OrderKey, *, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL
    ) -> Claim | None:
        """Atomically take the right to push this order; None when this caller must not push it.

        Succeeds for an ``eligible`` order, or a ``pushing`` one whose claim expired or is held by an
        earlier try of this same run (``run_id``; see the module docstring for why that try is dead).
        A takeover always comes back with ``Claim.outcome_unknown`` true: look the invoice up before
        pushing. A live claim of any other run is respected (None). Increments ``attempts`` and records
        ``run_id`` as the claim's owner. Commit the transaction before calling Hogia.
        """
        if ttl <= timedelta(0):
            raise ValueError(f"a claim needs a positive ttl, got {ttl}")
        now = self._now()
        token = uuid.uuid4().hex
        values = {
            "state": S.PUSHING.value,
            "attempts": L.attempts + 1,
            "claim_token": token,
            "claim_expires_at": now + ttl,
            "claim_run_id": run_id,
            "last_run_id": run_id,
            "updated_at": now,
        }
        claim_eligible = update(order_ledger).where(*key_filter(key), L.state == S.ELIGIBLE.value)
        outcome_unknown = False
        if rowcount(self._connection.execute(claim_eligible.values(**values))) == 0:
            # one compare-and-set: the row decides, so a concurrent claimer cannot slip in between
            take_over = update(order_ledger).where(
                *key_filter(key),
                L.state == S.PUSHING.value,
                L.claim_expires_at.is_(None) | (L.claim_expires_at <= now) | (L.claim_run_id == run_id),
            )
            if rowcount(self._connection.execute(take_over.values(**values))) == 0:
                self.require(key)  # raises OrderNotFoundError for an unknown order
                return None
            outcome_unknown = True
        record = self.require(key)
        self._claimed_in_this_transaction.add(token)
        return Claim(
            key=key,
            token=token,
            run_id=run_id,
            attempt=record.attempts,
            idempotency_key=record.idempotency_key,
            expires_at=now + ttl,
            outcome_unknown=outcome_unknown,
        )

    def _report(self, claim: Claim, operation: str, target: OrderState, values: dict[str, Any]) -> bool:
        """Apply a push outcome if ``claim`` is still the current one; False when it is not."""
        if claim.token in self._claimed_in_this_transaction:
            raise UncommittedClaimError(claim.key)
        result = self._connection.execute(
            update(order_ledger)
            .where(
                *key_filter(claim.key),
                L.state.in_([state.value for state in REPORT_FROM[target]]),
                L.claim_token == claim.token,
            )
            .values(state=target.value, updated_at=self._now(), last_run_id=claim.run_id, **values)
        )
        return rowcount(result) == 1

    def _claim_lost(self, claim: Claim) -> ClaimLostError:
        current = self.require(claim.key)
        return ClaimLostError(claim.key, claim.token, f"the order is now {current.state.value!r}")

    def mark_pushed(self, claim: Claim, invoice_id: str, *, payload_hash: str | None = None) -> OrderRecord:
        """The invoice exists: record its id, and bind order number <-> invoice id.

        ``payload_hash`` is the hash of what was sent (defaults to the last seen one). Repeating the
        call with the same invoice id is a no-op; a different id for a pushed order raises
        ``DuplicateInvoiceError``.
        """
        before = self.require(claim.key)
        pushed_hash = payload_hash if payload_hash is not None else before.payload_hash
        values = {
            "hogia_invoice_id": invoice_id,
            "pushed_payload_hash": pushed_hash,
            "pushed_at": self._now(),
            "pushed_run_id": claim.run_id,
            "claim_token": None,
            "claim_expires_at": None,
            "claim_run_id": None,
            "last_error": None,
            "state_reason": None,
        }
        if not self._report(claim, "mark_pushed", S.PUSHED, values):
            current = self.require(claim.key)
            if current.state is S.PUSHED and current.hogia_invoice_id == invoice_id:
                return current
            if current.state is S.PUSHED and current.hogia_invoice_id is not None:
                raise DuplicateInvoiceError(claim.key, current.hogia_invoice_id, invoice_id)
            raise self._claim_lost(claim)
        self._bindings.put(
            claim.key.tenant_id,
            claim.key.shop_id,
            BindingEntity.ORDER,
            claim.key.order_number,
            invoice_id,
            last_pushed_hash=pushed_hash,
        )
        return self.require(claim.key)

    def record_push_failure(
        self, claim: Claim, error: str, *, retryable: bool, max_attempts: int | None = None
    ) -> OrderRecord:
        """Hogia definitely did not create the invoice (refused, or the request never left).

        Retryable: back to ``eligible`` — unless ``max_attempts`` is reached, then quarantined.
        Not retryable (e.g. a 422 business rule): quarantined with the error as reason.
        If the invoice *might* have been created, use ``record_push_outcome_unknown`` instead.
        """
        attempts = self.require(claim.key).attempts
        exhausted = max_attempts is not None and attempts >= max_attempts
        if retryable and not exhausted:
            moved = self._report(
                claim,
                "record_push_failure",
                S.ELIGIBLE,
                {
                    "last_error": clip(error),
                    "claim_token": None,
                    "claim_expires_at": None,
                    "claim_run_id": None,
                },
            )
            if not moved:
                raise self._claim_lost(claim)
            return self.require(claim.key)
        reason_code = "push_rejected" if not retryable else "max_attempts_exceeded"
        moved = self._report(
            claim,
            "record_push_failure",
            S.QUARANTINED,
            {
                "last_error": clip(error),
                "state_reason": reason_code,
                "claim_token": None,
                "claim_expires_at": None,
                "claim_run_id": None,
            },
        )
        if not moved:
            raise self._claim_lost(claim)
        self._quarantine.put(
            claim.key.tenant_id,
            ORDERS_STREAM,
            claim.key.order_number,
            reason_code,
            f"attempt {attempts}: {clip(error)}",
            shop_id=claim.key.shop_id,
            run_id=claim.run_id,
        )
        return self.require(claim.key)

    def record_push_outcome_unknown(
        self, claim: Claim, error: str, *, retry_after: timedelta = DEFAULT_UNKNOWN_RETRY_AFTER
    ) -> OrderRecord:
        """The push may or may not have created the invoice (timeout, connection lost after sending).

        The order stays ``pushing``; after ``retry_after`` the next claim is flagged ``outcome_unknown``
        so its owner looks the invoice up before pushing again. The try has reported, so the claim has
        no owner any more: not even a retry of the same run may take it over before ``retry_after``
        (the request may still be in flight). The token stays, so a late answer can still be recorded.
        """
        values = {
            "last_error": clip(error),
            "claim_expires_at": self._now() + retry_after,
            "claim_run_id": None,
        }
        if not self._report(claim, "record_push_outcome_unknown", S.PUSHING, values):
            raise self._claim_lost(claim)
        return self.require(claim.key)
