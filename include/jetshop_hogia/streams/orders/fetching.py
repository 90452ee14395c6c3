"""Fetch: the orders one shop owes a run window, read from Jetshop and recorded in the ledger.

Two sources, merged by Jetshop order id:

1. the change list ``[window.start - overlap, window.end)`` in the tenant's trigger statuses and the shop's
   channels (keyset paging lives in the hook) — what became ready for invoicing in the window. When the
   shop's watermark (``orders`` / shop id) shows intervals no run was made for, the list starts there
   (``windows.catch_up_from``); the watermark moves to ``window.end`` once everything is recorded;
2. the ledger: every order already recorded for this window (a re-run or backfill of the window must
   re-send what is still missing even when the order's status has moved past the trigger statuses since),
   and every push whose claim expired with an unknown outcome, from any window (its owner crashed between
   the Hogia call and the commit; the next run looks the invoice up before anything is sent again).

Every order read is recorded as seen before anything else happens to it, in one short transaction after
all Jetshop calls (never an HTTP call inside a transaction), so an order that was ever read is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, OrderHeader
from jetshop_hogia.config import ShopConfig, TenantConfig
from jetshop_hogia.kernel.stream import RunWindow
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia.streams.orders.windows import (
    DEFAULT_OVERLAP,
    MAX_CATCH_UP,
    fetch_range,
    healing_range,
    sighting_time,
)

log = logging.getLogger(__name__)

UNSENT = (OrderState.SEEN, OrderState.ELIGIBLE)
"""Ledger states of orders an earlier run recorded but did not send (it failed, or was cut short)."""


class OrderSource(Protocol):
    """The Jetshop hook calls fetch uses."""

    def iter_changed_orders(
        self,
        window_from: datetime,
        window_to: datetime,
        status_ids: Any = (),
        channel_ids: Any = (),
        page_size: int = ...,
    ) -> Iterable[OrderHeader]: ...

    def get_order(self, order_id: int) -> JetshopOrder | None: ...


@dataclass(frozen=True)
class FetchedShop:
    """One shop's share of a run: the orders read and where they came from."""

    shop_id: str
    orders: tuple[JetshopOrder, ...]
    listed: int
    """Distinct orders in the change list."""
    owed: int
    """Orders added from the ledger (window re-runs, expired pushes) that the change list did not show."""
    vanished: tuple[str, ...]
    """Ledger order numbers Jetshop no longer returns (deleted in the shop?)."""


def _watermark(store: StateStore, tenant_id: str, shop_id: str) -> datetime | None:
    """How far the shop's change list has been read by earlier runs (None: never)."""
    with store.transaction() as tx:
        mark = tx.watermarks.get(tenant_id, ORDERS_STREAM, scope=shop_id)
    return mark.value if mark is not None and isinstance(mark.value, datetime) else None


def owed_by_ledger(
    store: StateStore, tenant_id: str, shop_id: str, window: RunWindow, max_catch_up: timedelta = MAX_CATCH_UP
) -> dict[int, str]:
    """Jetshop order id → order number of the ledger's orders for ``window``, expired pushes, and unsent
    orders of earlier windows (``windows.healing_range``)."""
    with store.transaction() as tx:
        records = tx.ledger.orders(
            tenant_id, shop_id=shop_id, changed_from=window.start, changed_to=window.end
        )
        records += tx.ledger.stuck_in_pushing(tenant_id, shop_id=shop_id)
        healing_from, healing_to = healing_range(window, max_catch_up)
        unsent = tx.ledger.orders(
            tenant_id, shop_id=shop_id, states=UNSENT, changed_from=healing_from, changed_to=healing_to
        )
    if unsent:
        log.warning(
            "shop %s: %d orders of earlier windows (since %s, look-back %s) were never sent; this run "
            "sends them: %s",
            shop_id,
            len(unsent),
            unsent[0].order_changed_at.isoformat() if unsent[0].order_changed_at else "?",
            max_catch_up,
            ", ".join(record.key.order_number for record in unsent[:10]),
        )
    records += unsent
    return {
        record.jetshop_order_id: record.key.order_number
        for record in records
        if record.jetshop_order_id is not None
    }


def fetch_shop(
    *,
    tenant: TenantConfig,
    shop: ShopConfig,
    jetshop: OrderSource,
    store: StateStore,
    window: RunWindow,
    run_id: str,
    overlap: timedelta = DEFAULT_OVERLAP,
) -> FetchedShop:
    """Read the shop's orders for ``window`` (see the module docstring) and record them as seen."""
    triggers = frozenset(tenant.order_trigger_statuses)
    listed: dict[int, datetime] = {}
    fetched_until = _watermark(store, tenant.tenant_id, shop.id)
    max_catch_up = timedelta(days=tenant.operations.max_catch_up_days)
    window_from, window_to = fetch_range(window, overlap, fetched_until, max_catch_up)
    if fetched_until is not None and fetched_until < window.start:
        log.warning(
            "shop %s: nothing was read between %s and %s (no run for those intervals); reading from %s",
            shop.id,
            fetched_until.isoformat(),
            window.start.isoformat(),
            (window_from + overlap).isoformat(),
        )
    for header in jetshop.iter_changed_orders(
        window_from,
        window_to,
        status_ids=sorted(triggers),
        channel_ids=[channel.channel_id for channel in shop.channels],
    ):
        listed[header.order_id] = header.changed_date  # the latest header wins (keyset order)
    owed = owed_by_ledger(store, tenant.tenant_id, shop.id, window, max_catch_up)
    orders: list[JetshopOrder] = []
    vanished: list[str] = []
    for order_id in [*listed, *(oid for oid in owed if oid not in listed)]:
        order = jetshop.get_order(order_id)
        if order is None:
            number = owed.get(order_id, f"id {order_id}")
            log.warning("shop %s: Jetshop no longer returns order %s; it is left as it is", shop.id, number)
            vanished.append(number)
            continue
        orders.append(order)
    record_seen(store, tenant.tenant_id, shop.id, orders, listed, triggers, run_id)
    with store.transaction() as tx:  # only now is everything before window.end read
        tx.watermarks.advance(tenant.tenant_id, ORDERS_STREAM, window.end, scope=shop.id, run_id=run_id)
    return FetchedShop(
        shop_id=shop.id,
        orders=tuple(orders),
        listed=len(listed),
        owed=sum(1 for oid in owed if oid not in listed),
        vanished=tuple(vanished),
    )


def record_seen(
    store: StateStore,
    tenant_id: str,
    shop_id: str,
    orders: Iterable[JetshopOrder],
    listed: dict[int, datetime],
    triggers: frozenset[int],
    run_id: str,
) -> None:
    """Record every order read, with the window it belongs to (see ``windows.sighting_time``)."""
    with store.transaction() as tx:
        for order in orders:
            tx.ledger.record_seen(
                OrderKey(tenant_id, shop_id, order.order_number),
                run_id=run_id,
                jetshop_order_id=order.order_id,
                channel_id=order.channel_id,
                order_changed_at=sighting_time(
                    order.status_id, order.changed_date, listed.get(order.order_id), triggers
                ),
            )
