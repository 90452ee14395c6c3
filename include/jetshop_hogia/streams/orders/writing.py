"""Write: every eligible draft becomes exactly one Hogia invoice, recorded in the ledger around the call.

Per order, following the ledger's push protocol (``jetshop_hogia.state.ledger``):

1. ``claim_for_push`` in its own committed transaction — another run holding a live claim means skip
   (a live claim of this same run is a dead earlier try of this task: the ledger hands it over);
2. :func:`~.pushing.push_invoice` — with a look-up first whenever an earlier attempt
   exists (a retry, a backfill, a claim that expired or was taken over after a crash between the call and
   the commit: ``claim.outcome_unknown``);
3. one short transaction recording exactly what is known: pushed (with the invoice id), definitely not
   created (back to eligible, or quarantined when Hogia refuses the content), or outcome unknown.

Fencing against zombie tries (``jetshop_hogia.state.fencing``): before the claim the writer takes the
order's push fence (a PostgreSQL advisory lock on a connection of its own, held across steps 1–3 and
released after the outcome is recorded), so no other try — not even a zombie of the same run — looks up
or creates the same order meanwhile; an order whose fence another try holds is reported ``fenced`` and
left to that try. Before every create the try checks that it still holds the fence and that its claim
token is still the ledger's (the fencing token); a try that lost either stops without sending.

No transaction is open during an HTTP call. One order's failure never stops the others: the loop records
it and goes on; :attr:`WriteReport.unsettled` tells the caller to fail the task afterwards so Airflow
retries what a retry can fix. Anything that is not about one order (authentication, configuration) is
raised at once, after the order in hand is released.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoiceCreate
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.errors import PermanentError
from jetshop_hogia.mapping import InvoiceDraft
from jetshop_hogia.state import Claim, ClaimLostError, OrderKey, OrderRecord, OrderState, StateStore
from jetshop_hogia.state.fencing import PushFence
from jetshop_hogia.streams.orders.contacts import ContactApi, CustomerFailure, ensure_customers
from jetshop_hogia.streams.orders.pushing import InvoiceApi, InvoiceRef, Outcome, PushResult, push_invoice
from jetshop_hogia.streams.orders.reference import HogiaReference

log = logging.getLogger(__name__)

FENCED = "fenced"
"""Another try held the order's push fence: it is writing that order right now (a retry settles it)."""
DONE_STATES = frozenset({OrderState.PUSHED, OrderState.QUARANTINED, OrderState.IGNORED, OrderState.SEEN})
"""Drafts in these states are not pushed: done, parked for a human, or not judged by this run."""


class HogiaApi(InvoiceApi, ContactApi, Protocol):
    """Everything the writer calls on the Hogia hook."""


@dataclass(frozen=True)
class OrderWrite:
    """What happened to one order in this write (one line of ``orders/written.json``)."""

    shop_id: str
    order_number: str
    outcome: str
    invoice_id: str | None = None
    error: str | None = None


@dataclass
class WriteReport:
    """Counts by outcome and one line per order; ``retry_needed`` when a task retry could still help."""

    orders: list[OrderWrite] = field(default_factory=list)
    customers_created: int = 0
    customers_found: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Orders per outcome."""
        return dict(Counter(line.outcome for line in self.orders))

    @property
    def unsettled(self) -> list[OrderWrite]:
        """Orders this write could not settle: left eligible for a transient reason, outcome unknown, a
        claim lost, or blocked. A task retry (or a later run) is what settles them."""
        open_outcomes = {
            Outcome.NOT_CREATED.value,
            Outcome.UNKNOWN.value,
            "customer_pending",
            "claim_lost",
            "blocked",
            FENCED,
        }
        return [line for line in self.orders if line.outcome in open_outcomes]

    @property
    def books(self) -> str:
        """The batch's books in one line: in = written + quarantined + ignored + unsettled."""
        counts = self.counts
        written = sum(counts.get(o.value, 0) for o in (Outcome.CREATED, Outcome.FOUND, Outcome.DUPLICATES))
        quarantined = counts.get(Outcome.REJECTED.value, 0)
        ignored = counts.get("skipped", 0) + counts.get("held_elsewhere", 0)
        unsettled = len(self.unsettled)
        if written + quarantined + ignored + unsettled != len(self.orders):  # a new outcome nobody booked
            raise AssertionError(f"write books do not balance: {counts}")
        return (
            f"{len(self.orders)} in = {written} written + {quarantined} quarantined + {ignored} ignored "
            f"(done before or another run's) + {unsettled} not settled yet"
        )

    def add(
        self, draft: InvoiceDraft, outcome: str, invoice_id: str | None = None, error: str | None = None
    ) -> None:
        """Record one order's outcome."""
        self.orders.append(OrderWrite(draft.key.shop_id, draft.key.order_number, outcome, invoice_id, error))

    def to_dict(self) -> dict[str, Any]:
        """JSON data for the run directory."""
        return {
            "counts": self.counts,
            "customers_created": self.customers_created,
            "customers_found": self.customers_found,
            "orders": [line.__dict__ for line in self.orders],
        }


def invoice_ref(draft: InvoiceDraft, tenant: TenantConfig) -> InvoiceRef:
    """The order's invoice key; the channel tag joins it when several shops share the Hogia company."""
    invoice = draft.invoice
    number = str(invoice.get("customerOrderNumber") or draft.key.order_number)
    tag = invoice.get("channelTag") if len(tenant.shops) > 1 else None
    return InvoiceRef(number, str(tag) if tag is not None else None)


def write_drafts(
    *,
    tenant: TenantConfig,
    drafts: Sequence[InvoiceDraft],
    reference: HogiaReference,
    hogia: HogiaApi,
    store: StateStore,
    run_id: str,
    look_first: bool = False,
) -> WriteReport:
    """Push every draft still owed to Hogia (see the module docstring).

    ``look_first`` looks each order up in Hogia before a first create too (manual replays and re-drives).
    """
    report = WriteReport()
    records = _records(store, drafts)
    pending = []
    for draft in drafts:
        record = records.get(OrderKey(*draft.key))
        if record is None or record.state in DONE_STATES:
            report.add(draft, "skipped", record.hogia_invoice_id if record else None)
        else:
            pending.append(draft)
    ready = ensure_customers([d for d in pending if not d.is_bound], reference, hogia)
    report.customers_created, report.customers_found = ready.created, ready.found
    bound = {draft.key: draft for draft in ready.drafts}
    with store.push_fence() as fence:
        for draft in pending:
            key = OrderKey(*draft.key)
            if not fence.acquire(key):
                log.warning(
                    "order %s: another try is writing it right now; left to that try", key.order_number
                )
                report.add(draft, FENCED)
                continue
            try:
                one = bound.get(draft.key, draft)
                _write_one(one, ready.failures, tenant, hogia, store, run_id, report, fence, look_first)
            finally:
                fence.release(key)
    return report


def _records(store: StateStore, drafts: Sequence[InvoiceDraft]) -> dict[OrderKey, OrderRecord]:
    with store.transaction() as tx:
        found = (tx.ledger.get(OrderKey(*draft.key)) for draft in drafts)
        return {record.key: record for record in found if record is not None}


def _write_one(
    draft: InvoiceDraft,
    customer_failures: dict[str, CustomerFailure],
    tenant: TenantConfig,
    hogia: HogiaApi,
    store: StateStore,
    run_id: str,
    report: WriteReport,
    fence: PushFence,
    look_first: bool = False,
) -> None:
    key = OrderKey(*draft.key)
    if not draft.is_bound:
        failure = customer_failures.get(draft.customer_key, CustomerFailure(True, "customer not bound"))
        if failure.retryable:
            report.add(draft, "customer_pending", error=failure.message)
        elif _quarantine_unsent(store, key, "customer_rejected", failure.message, run_id):
            report.add(draft, Outcome.REJECTED.value, error=failure.message)
        else:
            report.add(draft, "blocked", error=failure.message)
        return
    try:
        body = CustomerInvoiceCreate.model_validate(dict(draft.body))
    except ValidationError as exc:
        message = f"invoice body does not fit Hogia's model: {exc.error_count()} problem(s)"
        quarantined = _quarantine_unsent(store, key, "invalid_invoice_body", message, run_id)
        report.add(draft, Outcome.REJECTED.value if quarantined else "blocked", error=message)
        return
    claim = store.claim_for_push(key, run_id=run_id)
    if claim is None:
        report.add(draft, "held_elsewhere")
        return
    try:
        result = push_invoice(
            hogia,
            body,
            invoice_ref(draft, tenant),
            look_first=look_first or claim.attempt > 1,
            earlier_outcome_unknown=claim.outcome_unknown,
            may_send=lambda: may_still_send(store, claim, fence),
        )
    except PermanentError as exc:  # a refused create that is not about this order (auth, configuration)
        with store.transaction() as tx:
            tx.ledger.record_push_failure(claim, f"run stopped: {exc}", retryable=True)
        raise
    except Exception as exc:  # unexpected: the call may have gone through, so the next claim looks first
        with store.transaction() as tx:
            tx.ledger.record_push_outcome_unknown(claim, f"run stopped: {type(exc).__name__}")
        raise
    _record(store, claim, draft, result, report)


def may_still_send(store: StateStore, claim: Claim, fence: PushFence) -> bool:
    """Checked before every create: the claim is live, the fence still held, the claim token current.

    The token check is the fencing token: a try whose claim another try took over (a zombie and its
    retry) sees a different token in the ledger and stops without sending.
    """
    if not claim.is_live(store.now()) or not fence.holds(claim.key):
        return False
    with store.transaction() as tx:
        current = tx.ledger.get(claim.key)
    return current is not None and current.state is OrderState.PUSHING and current.claim_token == claim.token


def _quarantine_unsent(store: StateStore, key: OrderKey, code: str, text: str, run_id: str) -> bool:
    """Park an order that was never sent; False when the ledger has it ``pushing`` (not ours to park)."""
    with store.transaction() as tx:
        if tx.ledger.require(key).state is not OrderState.ELIGIBLE:
            return False
        tx.ledger.quarantine(key, code, text, run_id=run_id, payload={"codes": [code]})
        return True


def _record(
    store: StateStore, claim: Claim, draft: InvoiceDraft, result: PushResult, report: WriteReport
) -> None:
    """Report the push outcome on the claim; a claim lost meanwhile is logged, never overwritten."""
    number = draft.key.order_number
    try:
        with store.transaction() as tx:
            if result.outcome in (Outcome.CREATED, Outcome.FOUND, Outcome.DUPLICATES):
                assert result.invoice_id is not None
                tx.ledger.mark_pushed(claim, result.invoice_id, payload_hash=draft.payload_hash)
            elif result.outcome is Outcome.NOT_CREATED:
                tx.ledger.record_push_failure(claim, result.error or "not created", retryable=True)
            elif result.outcome is Outcome.REJECTED:
                tx.ledger.record_push_failure(claim, result.error or "refused", retryable=False)
            else:
                tx.ledger.record_push_outcome_unknown(claim, result.error or "outcome unknown")
    except ClaimLostError as exc:
        log.error("order %s: %s — another run owns it now; check Hogia for a second invoice", number, exc)
        report.add(draft, "claim_lost", result.invoice_id, str(exc))
        return
    if result.outcome is Outcome.DUPLICATES:
        log.error(
            "order %s already has %d invoices in Hogia (%s): none created; cancel the extra ones",
            number,
            len(result.invoice_ids),
            ", ".join(result.invoice_ids),
        )
    elif result.outcome in (Outcome.CREATED, Outcome.FOUND):
        log.info("order %s → invoice %s (%s)", number, result.invoice_id, result.outcome.value)
    else:
        log.warning("order %s not invoiced (%s): %s", number, result.outcome.value, result.error)
    report.add(draft, result.outcome.value, result.invoice_id, result.error)
