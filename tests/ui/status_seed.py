"""A small, known sync history in a state store, written through the store's public API only.

Used by the read-model tests and the browser tests: a few pushed orders, one waiting, one quarantined with
a reason, and reconciliation results over several local days — including a window that failed and was
re-run green, and one day whose invoices drift from the orders by a known amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from jetshop_hogia.state import (
    OrderKey,
    ReconciliationCounts,
    ReconciliationStatus,
    StateStore,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
QUARANTINED_ORDER = "Q-1001"
QUARANTINE_REASON = "unknown_article"
QUARANTINE_TEXT = "article SKU-404 does not exist in Hogia"
DRIFT = Decimal("-12.50")


@dataclass(frozen=True)
class Seeded:
    """What was written, so tests can compare the page with it."""

    tenant_id: str
    shop_id: str
    quarantined: OrderKey
    waiting: OrderKey
    last_ok_end: datetime
    latest_end: datetime
    day_orders: dict[str, int]
    """Local day (ISO) → orders expected on that day (standing verdicts)."""


def _window(day_start: datetime, hour: int) -> tuple[datetime, datetime]:
    start = day_start + timedelta(hours=hour)
    return start, start + timedelta(hours=1)


def seed_tenant(store: StateStore, tenant_id: str, shop_id: str, now: datetime, *, days: int = 3) -> Seeded:
    """Seed ``tenant_id``: orders in every backlog state and ``days`` local days of reconciliation."""
    run = "manual__seed"
    quarantined = OrderKey(tenant_id, shop_id, QUARANTINED_ORDER)
    waiting = OrderKey(tenant_id, shop_id, "W-2001")
    with store.transaction() as tx:
        for number in ("P-1", "P-2", "P-3"):
            tx.ledger.record_seen(OrderKey(tenant_id, shop_id, number), run_id=run, payload_hash="h")
        tx.ledger.record_seen(waiting, run_id=run, payload_hash="h")
        tx.ledger.mark_eligible(waiting, run_id=run)
        tx.ledger.record_seen(quarantined, run_id=run, payload_hash="h")
        tx.ledger.quarantine(quarantined, QUARANTINE_REASON, QUARANTINE_TEXT, run_id=run)
    today = now.astimezone(STOCKHOLM).replace(hour=0, minute=0, second=0, microsecond=0)
    day_orders: dict[str, int] = {}
    last_ok_end = latest_end = today
    for back in range(days - 1, -1, -1):
        day_start = today - timedelta(days=back)
        orders = 4 + back
        day_orders[day_start.date().isoformat()] = orders
        start, end = _window(day_start, 1)
        drift = DRIFT if back == 1 else Decimal(0)
        expected = Decimal(orders) * Decimal("100.00")
        amounts = {"SEK": {"expected": str(expected), "invoiced": str(expected + drift)}}
        with store.transaction() as tx:
            if back == 0:  # today's window failed first, then its re-run passed
                tx.reconciliation.record(
                    tenant_id,
                    "orders",
                    start,
                    end,
                    ReconciliationCounts(expected=orders, matched=orders - 1, missing=1),
                    status=ReconciliationStatus.FAILED,
                    run_id=f"scheduled__{start.isoformat()}",
                    details={"amounts": amounts},
                )
            tx.reconciliation.record(
                tenant_id,
                "orders",
                start,
                end,
                ReconciliationCounts(
                    expected=orders,
                    matched=orders - (1 if drift else 0),
                    mismatched=1 if drift else 0,
                    quarantined=1,
                ),
                status=ReconciliationStatus.OK,
                run_id=f"scheduled__{start.isoformat()}",
                details={"amounts": amounts},
            )
        last_ok_end = latest_end = end
    return Seeded(tenant_id, shop_id, quarantined, waiting, last_ok_end, latest_end, day_orders)
