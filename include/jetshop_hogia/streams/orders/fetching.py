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

Poison-proof (``streams.intake``, ``reading``): orders are read one by one and one bad order never stops
the batch. An order whose answer is readable but unusable (a field missing or ill-typed), whose answer is
another order, or whose number another order of the shop also has, is quarantined under its number with
the field and value at fault. An answer that cannot be read at all is retried in the next runs (a third
source: ``intake_attempts``) and quarantined after ``MAX_UNREADABLE_RUNS`` runs. The batch's books —
in = written + quarantined + ignored (vanished) + deferred — are logged per shop.
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
from jetshop_hogia.streams.intake import (
    DUPLICATE_KEY,
    MAX_UNREADABLE_RUNS,
    BatchTally,
    Rejection,
    find_duplicate_keys,
    forget_attempts,
    pending_ids,
    read_batch,
    settle_unreadable,
)
from jetshop_hogia.streams.orders.reading import check_identity, classify_order_error, quarantine_rejections
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
    tally: BatchTally | None = None
    """The batch's books: in = written + quarantined + ignored (vanished) + deferred."""


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


def _list_changed(
    jetshop: OrderSource,
    shop: ShopConfig,
    triggers: frozenset[int],
    window_from: datetime,
    window_to: datetime,
) -> dict[int, OrderHeader]:
    listed: dict[int, OrderHeader] = {}
    for header in jetshop.iter_changed_orders(
        window_from,
        window_to,
        status_ids=sorted(triggers),
        channel_ids=[channel.channel_id for channel in shop.channels],
    ):
        listed[header.order_id] = header  # the latest header wins (keyset order)
    return listed


def fetch_shop(
    *,
    tenant: TenantConfig,
    shop: ShopConfig,
    jetshop: OrderSource,
    store: StateStore,
    window: RunWindow,
    run_id: str,
    overlap: timedelta = DEFAULT_OVERLAP,
    max_unreadable_runs: int = MAX_UNREADABLE_RUNS,
) -> FetchedShop:
    """Read the shop's orders for ``window`` (see the module docstring) and record them as seen."""
    triggers = frozenset(tenant.order_trigger_statuses)
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
    headers = _list_changed(jetshop, shop, triggers, window_from, window_to)
    owed = owed_by_ledger(store, tenant.tenant_id, shop.id, window, max_catch_up)
    retried = {int(k): v for k, v in pending_ids(store, tenant.tenant_id, ORDERS_STREAM, shop.id).items()}
    labels: dict[int, str | None] = {**retried, **owed, **{oid: h.order_number for oid, h in headers.items()}}
    ids = list(dict.fromkeys([*headers, *owed, *retried]))
    batch = read_batch(
        ids, jetshop.get_order, lambda oid, exc: classify_order_error(oid, labels.get(oid), exc)
    )
    orders, screened_out = _screen(store, tenant.tenant_id, shop.id, batch.read, labels)
    rejected = [*batch.rejected, *screened_out]
    deferred, exhausted = settle_unreadable(
        store,
        tenant.tenant_id,
        ORDERS_STREAM,
        shop.id,
        batch.unreadable,
        run_id=run_id,
        max_runs=max_unreadable_runs,
    )
    rejected += exhausted
    vanished = [owed.get(oid) or f"id {oid}" for oid in batch.gone]
    for number in vanished:
        log.warning("shop %s: Jetshop no longer returns order %s; it is left as it is", shop.id, number)
    record_seen(
        store,
        tenant.tenant_id,
        shop.id,
        orders,
        {k: h.changed_date for k, h in headers.items()},
        triggers,
        run_id,
    )
    unread = {item.record_id for item in batch.unreadable}  # every other id got a readable answer
    forget_attempts(
        store, tenant.tenant_id, ORDERS_STREAM, shop.id, (str(i) for i in ids if str(i) not in unread)
    )
    quarantine_rejections(
        store,
        tenant.tenant_id,
        shop.id,
        rejected,
        changed_at={str(oid): h.changed_date for oid, h in headers.items()},
        channel_of={str(oid): h.channel_id for oid, h in headers.items()},
        run_id=run_id,
    )
    with store.transaction() as tx:  # only now is everything before window.end read (or tracked)
        tx.watermarks.advance(tenant.tenant_id, ORDERS_STREAM, window.end, scope=shop.id, run_id=run_id)
    tally = BatchTally(
        "orders",
        f"shop {shop.id}",
        received=len(ids),
        written=len(orders),
        ignored=len(vanished),
        quarantined=rejected,
        deferred=deferred,
    )
    tally.log()
    return FetchedShop(
        shop_id=shop.id,
        orders=tuple(orders),
        listed=len(headers),
        owed=sum(1 for oid in owed if oid not in headers),
        vanished=tuple(vanished),
        tally=tally,
    )


def _screen(
    store: StateStore,
    tenant_id: str,
    shop_id: str,
    read: list[tuple[int, JetshopOrder]],
    labels: dict[int, str | None],
) -> tuple[list[JetshopOrder], list[Rejection]]:
    """The orders fit to go on, and the rejections: wrong order answered, or a number claimed twice.

    Two orders with one number in one shop (in this batch, or one here and another one already in the
    ledger under a different Jetshop id) are all quarantined, never one silently dropped.
    """
    rejected: list[Rejection] = []
    fit: list[JetshopOrder] = []
    for order_id, order in read:
        mismatch = check_identity(order_id, labels.get(order_id), order)
        if mismatch is None:
            fit.append(order)
        else:
            rejected.append(mismatch)
    clashes = find_duplicate_keys(fit, key=lambda order: order.order_number)
    with store.transaction() as tx:
        for order in fit:
            known = tx.ledger.get(OrderKey(tenant_id, shop_id, order.order_number))
            if known is not None and known.jetshop_order_id not in (None, order.order_id):
                clashes.setdefault(order.order_number, []).append(order)
    for number, group in clashes.items():
        ids = ", ".join(str(order.order_id) for order in group)
        rejected += [
            Rejection(
                str(order.order_id),
                number,
                DUPLICATE_KEY,
                field="OrderNumber",
                value=repr(number),
                detail=f"claimed by more than one Jetshop order (ids {ids}; see the ledger for the first)",
            )
            for order in group
        ]
    return [order for order in fit if order.order_number not in clashes], rejected


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
