"""Reconcile: does the shop show what Hogia said, and what needs a person?

Checked after the run's feedback, per order touched (one ``Order_Get`` each) and for a bounded set of
older orders:

- *disagreement*: the shop's status is not the one the order's last event of this run mapped to;
- *paid but not captured*: a ``paid`` event for a Klarna/DIBS order whose payment is still only
  authorised (or whose capture failed);
- *authorisation close to expiry*: invoiced orders first seen ``authorization_days`` minus
  ``authorization_warning_days`` ago or more (Klarna: 28 days), still not captured;
- *cancelled after booking without its credit*: a shop cancellation whose booked invoice has no credit;
- actions settled as ``needs_person``, and events quarantined because no order in the ledger has them.

Disagreements and unsettled actions fail the run; everything else is a flag in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from jetshop_hogia.apimodel.hogia_invoice_status import ReferenceKind
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.order_status import FeedbackRecord, FeedbackState

CAPTURABLE = ("Klarna", "DIBS")


@dataclass
class Findings:
    """What reconcile found, as short JSON-ready items (ids and codes only, no personal data)."""

    checked: int = 0
    matched: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    unsettled: list[dict[str, Any]] = field(default_factory=list)
    needs_person: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.disagreements or self.unsettled)

    def flag(self, code: str, shop_id: str, order_number: str, **extra: Any) -> None:
        self.needs_person.append({"code": code, "shop_id": shop_id, "order_number": order_number, **extra})


def _last_status_actions(records: list[FeedbackRecord]) -> dict[tuple[str, str], FeedbackRecord]:
    last: dict[tuple[str, str], FeedbackRecord] = {}
    for record in records:
        if record.action.kind != "shop_cancel" and record.state is FeedbackState.DONE:
            last[(record.action.shop_id, record.action.order_number)] = record
    return last


def check_statuses(jetshop_for: Any, records: list[FeedbackRecord], findings: Findings) -> None:
    """Shop status against the last event of each order; paid-but-not-captured."""
    paid = {(r.action.shop_id, r.action.order_number) for r in records if r.action.kind == "paid"}
    for (shop_id, number), record in _last_status_actions(records).items():
        findings.checked += 1
        snapshot = jetshop_for(shop_id).order_status_snapshot(record.action.jetshop_order_id)
        if snapshot is None or snapshot.status_id != record.action.target_status_id:
            shown = snapshot.status_id if snapshot is not None else None
            findings.disagreements.append(
                {
                    "shop_id": shop_id,
                    "order_number": number,
                    "expected": record.action.target_status_id,
                    "shop": shown,
                }
            )
            continue
        findings.matched += 1
        if (shop_id, number) in paid and snapshot.payment_method in CAPTURABLE and not snapshot.captured:
            findings.flag("paid_not_captured", shop_id, number, payment_method=snapshot.payment_method)
        if record.capture_result == "Failed":
            findings.flag("capture_failed", shop_id, number)


def check_cancellations(hogia: Any, records: list[FeedbackRecord], findings: Findings) -> None:
    """Every shop cancellation of a booked invoice has its credit; an unbooked one is cancelled."""
    for record in records:
        if record.action.kind != "shop_cancel" or record.state is not FeedbackState.DONE:
            continue
        findings.checked += 1
        invoice = hogia.get_invoice(record.action.invoice_id)
        credited = invoice is not None and any(
            ref.kind is ReferenceKind.CREDITED_BY for ref in invoice.customer_invoice_references
        )
        if invoice is not None and (invoice.is_canceled or credited):
            findings.matched += 1
        else:
            findings.flag(
                "cancelled_after_booking_without_credit", record.action.shop_id, record.action.order_number
            )


def check_states(records: list[FeedbackRecord], findings: Findings) -> None:
    """Actions left unknown (fail) or needing a person (flag)."""
    for record in records:
        where = (record.action.shop_id, record.action.order_number)
        if record.state in (FeedbackState.UNKNOWN, FeedbackState.CLAIMED):
            findings.unsettled.append(
                {"shop_id": where[0], "order_number": where[1], "action": record.action.action_key}
            )
        elif record.state is FeedbackState.NEEDS_PERSON:
            findings.flag("action_refused", *where, action=record.action.action_key, kind=record.action.kind)


def check_authorisations(
    tenant: TenantConfig, jetshop_for: Any, store: StateStore, findings: Findings, now: datetime | None = None
) -> None:
    """Invoiced, not captured, first seen within the warning band before the authorisation runs out."""
    feedback = tenant.order_status_feedback
    if feedback is None:
        return
    moment = now or datetime.now(UTC)
    expires = timedelta(days=feedback.authorization_days)
    band_end = moment - expires + timedelta(days=feedback.authorization_warning_days)
    with store.transaction() as tx:
        candidates = tx.order_status.pushed_orders_first_seen(tenant.tenant_id, moment - expires, band_end)
    for key, order_id in candidates:
        if order_id is None:
            continue
        snapshot = jetshop_for(key.shop_id).order_status_snapshot(order_id)
        if (
            snapshot is not None
            and snapshot.payment_method in CAPTURABLE
            and snapshot.payment_status == "Authorized"
        ):
            findings.flag(
                "authorization_expiring",
                key.shop_id,
                key.order_number,
                payment_method=snapshot.payment_method,
            )
