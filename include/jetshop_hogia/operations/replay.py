"""Replay one order: read it again from Jetshop and send it through the order stream's own steps.

An ops person re-sends the one order a merchant asks about. Nothing here is a second implementation:
the order is read with the stream's poison-proof intake (``read_batch`` + ``check_identity``, rejects
quarantined), recorded as seen, mapped by ``transform_shop`` and written by ``write_drafts`` — the same
ledger claim, PostgreSQL fence and push as the scheduled run, with a look-up in Hogia before any create
(``look_first``): an operator replays exactly the orders whose fate is in doubt.

Triggering a replay twice creates nothing new: the ledger has the order ``pushed`` after the first, the
transform leaves it alone and the writer skips it. An order already invoiced is reported as such.
:func:`resend_orders` is shared with the quarantine re-drive (``operations.redrive``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder
from jetshop_hogia.config import ShopConfig, TenantConfig
from jetshop_hogia.errors import SetupError
from jetshop_hogia.mapping import MatchOn
from jetshop_hogia.operations.settling import (
    ALREADY_INVOICED,
    INVOICED,
    NOT_FOUND,
    NOT_READY,
    QUARANTINED,
    UNSETTLED,
)
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderRecord, OrderState, StateStore
from jetshop_hogia.streams.intake import read_batch
from jetshop_hogia.streams.orders.fetching import OrderSource, record_seen
from jetshop_hogia.streams.orders.reading import check_identity, classify_order_error, quarantine_rejections
from jetshop_hogia.streams.orders.reference import ReferenceSource, read_reference
from jetshop_hogia.streams.orders.transforming import is_cancelled, transform_shop
from jetshop_hogia.streams.orders.writing import HogiaApi, write_drafts

log = logging.getLogger(__name__)


class Hogia(HogiaApi, ReferenceSource, Protocol):
    """The Hogia hook calls of a re-send: the reference snapshot and the writer's."""


class ReplayRequestError(SetupError):
    """The tenant, shop or order named in the trigger does not exist: fix the parameters, do not retry.

    A :class:`SetupError`, which the manual DAGs' retry policy lists as permanent: the run fails at once.
    """


@dataclass(frozen=True)
class OrderOutcome:
    """What became of one re-sent order."""

    shop_id: str
    order_number: str
    outcome: str
    invoice_id: str | None = None
    reason: str | None = None
    """The quarantine reason code (still quarantined) or the last error (not settled)."""

    def sentence(self) -> str:
        """One log line: ids and codes only."""
        detail = self.invoice_id or self.reason
        return f"order {self.order_number} (shop {self.shop_id}): {self.outcome}" + (
            f" ({detail})" if detail else ""
        )


@dataclass
class ResendReport:
    """Every re-sent order's outcome, and the counts per outcome."""

    orders: list[OrderOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Orders per outcome."""
        counts: dict[str, int] = {}
        for line in self.orders:
            counts[line.outcome] = counts.get(line.outcome, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The task result (XCom): counts and one small line per order."""
        return {"counts": self.counts, "orders": [line.__dict__ for line in self.orders]}


def check_shop(tenant: TenantConfig, shop_id: str) -> ShopConfig:
    """The tenant's shop ``shop_id``, or a permanent error naming the shops the tenant has."""
    try:
        return tenant.shop(shop_id)
    except KeyError:
        shops = ", ".join(shop.id for shop in tenant.shops)
        raise ReplayRequestError(
            f"tenant {tenant.tenant_id!r} has no shop {shop_id!r}; its shops: {shops}"
        ) from None


def jetshop_order_id(store: StateStore, key: OrderKey, given: int | None = None) -> int:
    """The Jetshop id of the order: given in the trigger, else the ledger's (Jetshop has no look-up by
    order number, so an order no run has seen needs its id)."""
    with store.transaction() as tx:
        record = tx.ledger.get(key)
    known = record.jetshop_order_id if record is not None else None
    if given is not None and known is not None and given != known:
        raise ReplayRequestError(
            f"order {key.order_number} is Jetshop order id {known} in the ledger, not {given}"
        )
    found = given if given is not None else known
    if found is None:
        raise ReplayRequestError(
            f"order {key.order_number} of shop {key.shop_id} is not in the ledger yet; give its Jetshop "
            "order id (param jetshop_order_id) or run its day first"
        )
    return found


def replay_order(
    *,
    tenant: TenantConfig,
    shop_id: str,
    order_number: str,
    jetshop: OrderSource,
    hogia: Hogia,
    store: StateStore,
    run_id: str,
    order_id: int | None = None,
) -> OrderOutcome:
    """Send one order again (see the module docstring); returns its outcome."""
    shop = check_shop(tenant, shop_id)
    key = OrderKey(tenant.tenant_id, shop.id, order_number)
    found_id = jetshop_order_id(store, key, order_id)
    report = resend_orders(
        tenant=tenant,
        shop=shop,
        orders={found_id: order_number},
        jetshop=jetshop,
        hogia=hogia,
        store=store,
        run_id=run_id,
    )
    outcome = report.orders[0]
    log.info("replay: %s", outcome.sentence())
    return outcome


def resend_orders(
    *,
    tenant: TenantConfig,
    shop: ShopConfig,
    orders: Mapping[int, str],
    jetshop: OrderSource,
    hogia: Hogia,
    store: StateStore,
    run_id: str,
) -> ResendReport:
    """Re-read ``orders`` (Jetshop id → order number) and send them with the order stream's steps."""
    before = _ledger(store, tenant.tenant_id, shop.id, orders.values())
    batch = read_batch(
        list(orders), jetshop.get_order, lambda oid, exc: classify_order_error(oid, orders.get(oid), exc)
    )
    fit, rejected = [], list(batch.rejected)
    for order_id, order in batch.read:
        mismatch = check_identity(order_id, orders.get(order_id), order)
        fit.append(order) if mismatch is None else rejected.append(mismatch)
    triggers = frozenset(tenant.order_trigger_statuses)
    skipped = {orders[oid]: NOT_FOUND for oid in batch.gone}
    skipped |= {o.order_number: NOT_READY for o in fit if not _ready(o, triggers, before)}
    fit = [order for order in fit if order.order_number not in skipped]
    record_seen(store, tenant.tenant_id, shop.id, fit, {}, triggers, run_id)
    quarantine_rejections(
        store, tenant.tenant_id, shop.id, rejected, changed_at={}, channel_of={}, run_id=run_id
    )
    for unreadable in batch.unreadable:  # transient: the order stays as it is; a later replay retries
        log.warning("order id %s could not be read now (%s)", unreadable.record_id, unreadable.operation)
    if fit:
        match_on = MatchOn(tenant.customer_matching.match_on.value)
        reference = read_reference(hogia, match_on)
        result = transform_shop(
            tenant=tenant, shop=shop, orders=fit, reference=reference, store=store, run_id=run_id
        )
        write_drafts(
            tenant=tenant,
            drafts=result.drafts,
            reference=reference,
            hogia=hogia,
            store=store,
            run_id=run_id,
            look_first=True,
        )
    after = _ledger(store, tenant.tenant_id, shop.id, orders.values())
    reasons = _open_reasons(store, tenant.tenant_id, shop.id, orders.values())
    report = ResendReport(
        [
            _outcome(
                shop.id,
                number,
                before.get(number),
                after.get(number),
                skipped.get(number),
                reasons.get(number),
            )
            for number in orders.values()
        ]
    )
    for line in report.orders:
        log.info("%s", line.sentence())
    return report


def _ready(order: JetshopOrder, triggers: frozenset[int], known: Mapping[str, OrderRecord]) -> bool:
    """May this order go on? In a trigger status, cancelled (to be ignored), or already in the ledger (a
    run saw it in a trigger status). A replay never invoices an order the shop has not released yet."""
    return order.status_id in triggers or is_cancelled(order, triggers) or order.order_number in known


def _ledger(
    store: StateStore, tenant_id: str, shop_id: str, numbers: Iterable[str]
) -> dict[str, OrderRecord]:
    with store.transaction() as tx:
        found = (tx.ledger.get(OrderKey(tenant_id, shop_id, number)) for number in numbers)
        return {record.key.order_number: record for record in found if record is not None}


def _open_reasons(store: StateStore, tenant_id: str, shop_id: str, numbers: Iterable[str]) -> dict[str, str]:
    """Order number → reason code of its open quarantine entry (the entry holds the latest reason)."""
    with store.transaction() as tx:
        entries = (tx.quarantine.get(tenant_id, ORDERS_STREAM, number, shop_id=shop_id) for number in numbers)
        return {e.record_key: e.reason_code for e in entries if e is not None and e.is_open}


def _outcome(
    shop_id: str,
    number: str,
    before: OrderRecord | None,
    after: OrderRecord | None,
    skipped: str | None,
    reason: str | None,
) -> OrderOutcome:
    """Compare the ledger before and after: already invoiced, invoiced now, quarantined, or not settled."""
    if before is not None and before.state is OrderState.PUSHED:
        return OrderOutcome(shop_id, number, ALREADY_INVOICED, before.hogia_invoice_id)
    if skipped is not None:
        return OrderOutcome(shop_id, number, skipped)
    if after is None:
        return OrderOutcome(shop_id, number, UNSETTLED, reason="not recorded (unreadable answer)")
    if after.state is OrderState.PUSHED:
        return OrderOutcome(shop_id, number, INVOICED, after.hogia_invoice_id)
    if after.state is OrderState.QUARANTINED:
        return OrderOutcome(shop_id, number, QUARANTINED, reason=reason or after.state_reason)
    return OrderOutcome(shop_id, number, after.state.value, reason=after.last_error or after.state_reason)
