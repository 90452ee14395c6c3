"""Re-drive quarantine: read the quarantined orders of a tenant again and send those that now pass.

After someone fixed the cause (created the missing article in Hogia, corrected the order in Jetshop, set
up the tenant file), the ops person re-drives instead of releasing entries one by one. Each open order
entry (optionally only one reason code, or only some order numbers) is re-read from Jetshop and goes
through the order stream's own transform and look-up-first write (:func:`.replay.resend_orders`): what
now maps is invoiced exactly once (the ledger moves it out of quarantine and closes the entry); what still
fails is quarantined again with its *new* reason; nothing is released blindly.

Catalog items are re-driven by :mod:`.redrive_catalog` (the same DAG task runs both). Not all of them
clear by themselves: ``products_to_hogia`` reads only the products changed since its window, so a product
fixed without a new change stamp (or fixed on the Hogia side) is not read again before the next full
compare.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.operations.quarantine import list_open
from jetshop_hogia.operations.replay import Hogia, OrderOutcome, ResendReport, check_shop, resend_orders
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, QuarantineEntry, StateStore
from jetshop_hogia.streams.orders.fetching import OrderSource

log = logging.getLogger(__name__)


@dataclass
class RedriveReport:
    """Per shop what the re-drive did; entries it could not re-read (no Jetshop id known) listed apart."""

    selected: int = 0
    shops: dict[str, ResendReport] = field(default_factory=dict)
    without_id: list[str] = field(default_factory=list)

    def lines(self) -> list[OrderOutcome]:
        """Every re-sent order's outcome, over all shops."""
        return [line for report in self.shops.values() for line in report.orders]

    @property
    def counts(self) -> dict[str, int]:
        """Orders per outcome over every shop, plus ``without_jetshop_id``."""
        totals: dict[str, int] = {}
        for report in self.shops.values():
            for outcome, count in report.counts.items():
                totals[outcome] = totals.get(outcome, 0) + count
        if self.without_id:
            totals["without_jetshop_id"] = len(self.without_id)
        return totals

    def headline(self, tenant_id: str) -> str:
        """One line for the log and the task result."""
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.counts.items()))
        return f"re-drive of {tenant_id}: {self.selected} quarantined orders re-read: {counts or 'nothing'}"

    def to_dict(self, tenant_id: str) -> dict[str, Any]:
        """The task result (XCom): counts, the headline and the order lines."""
        return {
            "selected": self.selected,
            "counts": self.counts,
            "headline": self.headline(tenant_id),
            "orders": [line for report in self.shops.values() for line in report.to_dict()["orders"]],
            "without_jetshop_id": self.without_id,
        }


def select_entries(
    store: StateStore, tenant_id: str, *, reason: str | None = None, order_numbers: Collection[str] = ()
) -> list[QuarantineEntry]:
    """The open order entries to re-drive: all, or of one reason code, or of the given order numbers."""
    entries = list_open(store, tenant_id, stream=ORDERS_STREAM, reason=reason or None)
    wanted = {number.strip() for number in order_numbers if number.strip()}
    return [entry for entry in entries if not wanted or entry.record_key in wanted]


def jetshop_ids(
    store: StateStore, tenant_id: str, entries: list[QuarantineEntry]
) -> dict[str, dict[int, str]]:
    """Shop id → {Jetshop order id → order number}, from the entry's payload or the ledger.

    Entries whose Jetshop id is unknown, and entries keyed ``id <n>`` (Jetshop answered no readable order
    number: only a fix in Jetshop and a replay with the id help), are left out; the caller reports them.
    """
    found: dict[str, dict[int, str]] = {}
    with store.transaction() as tx:
        for entry in entries:
            if entry.record_key.startswith("id "):
                continue
            order_id = _entry_order_id(entry)
            if order_id is None:
                record = tx.ledger.get(OrderKey(tenant_id, entry.shop_id, entry.record_key))
                order_id = record.jetshop_order_id if record is not None else None
            if order_id is not None:
                found.setdefault(entry.shop_id, {})[order_id] = entry.record_key
    return found


def _entry_order_id(entry: QuarantineEntry) -> int | None:
    """The Jetshop id the entry's payload keeps (intake and transform rejections both store it)."""
    payload = entry.payload if isinstance(entry.payload, Mapping) else {}
    raw = payload.get("jetshop_order_id")
    return int(raw) if isinstance(raw, (int, str)) and str(raw).isdigit() else None


def redrive_quarantine(
    *,
    tenant: TenantConfig,
    jetshop_for: Any,
    hogia: Hogia,
    store: StateStore,
    run_id: str,
    reason: str | None = None,
    order_numbers: Collection[str] = (),
) -> RedriveReport:
    """Re-read and re-send the selected quarantined orders (see the module docstring).

    ``jetshop_for(shop_id)`` gives the shop's Jetshop hook (``Resources.jetshop``).
    """
    entries = select_entries(store, tenant.tenant_id, reason=reason, order_numbers=order_numbers)
    report = RedriveReport(selected=len(entries))
    by_shop = jetshop_ids(store, tenant.tenant_id, entries)
    covered = {(shop_id, number) for shop_id, orders in by_shop.items() for number in orders.values()}
    report.without_id = [e.record_key for e in entries if (e.shop_id, e.record_key) not in covered]
    for number in report.without_id:
        log.warning(
            "%s: quarantined without a known Jetshop id or number; fix it in Jetshop, then replay", number
        )
    for shop_id, orders in by_shop.items():
        jetshop: OrderSource = jetshop_for(shop_id)
        report.shops[shop_id] = resend_orders(
            tenant=tenant,
            shop=check_shop(tenant, shop_id),
            orders=orders,
            jetshop=jetshop,
            hogia=hogia,
            store=store,
            run_id=run_id,
        )
    log.info("%s", report.headline(tenant.tenant_id))
    return report
