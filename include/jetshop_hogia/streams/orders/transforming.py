"""Transform: one shop's fetched orders → invoice drafts, with every judgement recorded in the ledger.

The mapping itself is :func:`jetshop_hogia.mapping.transform_orders` (vectorised, pure); this module
wires it to the tenant configuration and the run's Hogia reference snapshot, and records the outcome:
drafts become ``eligible``, orders that cannot be invoiced are quarantined with their reason codes (the
batch goes on), cancelled orders are ignored. Orders already ``pushing``/``pushed`` are never moved back:
their drafts still go to the drafts file (the writer skips them, reconciliation checks their totals).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, OrderStatus
from jetshop_hogia.config import ShopConfig, TenantConfig
from jetshop_hogia.mapping import (
    CustomerRule,
    InvoiceDraft,
    MappingContext,
    PluginSpec,
    QuarantinedOrder,
    transform_orders,
)
from jetshop_hogia.state import OrderKey, OrderState, StateStore, StateTransaction
from jetshop_hogia.streams.orders.reference import HogiaReference

log = logging.getLogger(__name__)

JUDGEABLE = frozenset({OrderState.SEEN, OrderState.ELIGIBLE, OrderState.QUARANTINED, OrderState.IGNORED})
"""States a transform may move an order out of; ``pushing`` and ``pushed`` belong to the writer."""
CANCELLED_NAMES = frozenset({"cancelled", "canceled", "makulerad"})


def mapping_context(tenant: TenantConfig, shop: ShopConfig, reference: HogiaReference) -> MappingContext:
    """The mapping's view of one shop of the tenant, as of this run's reference snapshot."""
    return MappingContext(
        tenant_id=tenant.tenant_id,
        shop_id=shop.id,
        channels={channel.channel_id: channel for channel in shop.channels},
        known_articles=reference.articles,
        customer_rule=CustomerRule(
            match_on=tenant.customer_matching.match_on,
            create_missing=tenant.customer_matching.create_missing,
        ),
        existing_customers=MappingProxyType(dict(reference.customers)),
        rounding_mode=reference.rounding_mode,
        plugins=tuple(PluginSpec(p.plugin, MappingProxyType(dict(p.params))) for p in tenant.mapping_plugins),
        timezone=tenant.timezone,
    )


def is_cancelled(order: JetshopOrder, trigger_statuses: frozenset[int]) -> bool:
    """A cancelled order is never invoiced, even when the ledger owes it from an earlier window."""
    if order.status_id in trigger_statuses:
        return False
    return order.status_id == OrderStatus.CANCELLED or order.status_name.strip().lower() in CANCELLED_NAMES


@dataclass(frozen=True)
class ShopTransform:
    """What the transform decided for one shop."""

    drafts: tuple[InvoiceDraft, ...]
    """Every draft built (including orders already pushed: their totals are reconciled)."""
    eligible: int
    quarantined: int
    ignored: int
    already_handled: int
    """Drafts of orders already pushing/pushed; left to the writer's ledger checks."""
    attention: tuple[str, ...]
    """Sentences for the operator: orders that changed or were cancelled after they were invoiced."""


def transform_shop(
    *,
    tenant: TenantConfig,
    shop: ShopConfig,
    orders: Iterable[JetshopOrder],
    reference: HogiaReference,
    store: StateStore,
    run_id: str,
) -> ShopTransform:
    """Map one shop's orders and record each outcome in the ledger (one short transaction)."""
    triggers = frozenset(tenant.order_trigger_statuses)
    batch = list(orders)
    cancelled = [order for order in batch if is_cancelled(order, triggers)]
    to_map = [order for order in batch if not is_cancelled(order, triggers)]
    result = transform_orders(to_map, mapping_context(tenant, shop, reference))
    judge = _Judge(tenant.tenant_id, shop.id, run_id)
    with store.transaction() as tx:
        for draft in result.drafts:
            judge.draft(tx, draft)
        for quarantined in result.quarantined:
            judge.quarantine(tx, quarantined)
        for order in cancelled:
            judge.cancelled(tx, order)
        record_quantities(tx, store, tenant.tenant_id, shop.id, batch)  # for the sellable stock (issue 9)
    for sentence in judge.attention:
        log.warning("shop %s: %s", shop.id, sentence)
    return ShopTransform(
        drafts=result.drafts,
        eligible=judge.eligible,
        quarantined=judge.quarantined,
        ignored=judge.ignored,
        already_handled=judge.already_handled,
        attention=tuple(judge.attention),
    )


def record_quantities(
    tx: StateTransaction, store: StateStore, tenant_id: str, shop_id: str, orders: Iterable[JetshopOrder]
) -> None:
    """Each order's goods units per article, for ``catalog.stock_sellable`` (the ledger keeps no lines)."""
    from jetshop_hogia.catalog.stock import goods_quantities
    from jetshop_hogia.state.order_quantities import OrderQuantityRepository

    repository = OrderQuantityRepository(tx.connection, store.now)
    for order in orders:
        repository.record_order(tenant_id, shop_id, order.order_number, goods_quantities(order))


class _Judge:
    """Applies the transform's verdicts to the ledger within one transaction, counting as it goes."""

    def __init__(self, tenant_id: str, shop_id: str, run_id: str) -> None:
        self.tenant_id, self.shop_id, self.run_id = tenant_id, shop_id, run_id
        self.eligible = self.quarantined = self.ignored = self.already_handled = 0
        self.attention: list[str] = []

    def _state(self, tx: StateTransaction, key: OrderKey, payload_hash: str | None = None) -> OrderState:
        seen = tx.ledger.record_seen(key, run_id=self.run_id, payload_hash=payload_hash)
        return seen.order.state

    def draft(self, tx: StateTransaction, draft: InvoiceDraft) -> None:
        key = OrderKey(*draft.key)
        state = self._state(tx, key, draft.payload_hash)
        if state in JUDGEABLE:
            tx.ledger.mark_eligible(key, run_id=self.run_id)
            self.eligible += 1
            return
        self.already_handled += 1
        record = tx.ledger.require(key)
        if record.changed_since_push:
            self.attention.append(
                f"order {key.order_number} changed in Jetshop after it was invoiced "
                f"({record.hogia_invoice_id}); adjust the invoice in Hogia by hand"
            )

    def quarantine(self, tx: StateTransaction, order: QuarantinedOrder) -> None:
        if not order.order_number:  # unreadable order number: nothing to key it on; the log is the record
            self.attention.append(f"an order without a readable number was refused: {order.describe()}")
            return
        key = OrderKey(self.tenant_id, self.shop_id, order.order_number)
        state = self._state(tx, key)
        codes = sorted(code.value for code in order.codes)
        if state not in JUDGEABLE:
            self.already_handled += 1
            self.attention.append(
                f"order {key.order_number} is {state.value} in the ledger but no longer maps "
                f"({', '.join(codes)}); check the invoice in Hogia"
            )
            return
        payload = {"codes": codes, "jetshop_order_id": order.order_id}  # no personal data
        first = order.reasons[0].code.value
        tx.ledger.quarantine(key, first, order.describe(), run_id=self.run_id, payload=payload)
        self.quarantined += 1

    def cancelled(self, tx: StateTransaction, order: JetshopOrder) -> None:
        key = OrderKey(self.tenant_id, self.shop_id, order.order_number)
        state = self._state(tx, key)
        if state in JUDGEABLE:
            reason = f"cancelled in Jetshop (status {order.status_id} {order.status_name})"
            tx.ledger.mark_ignored(key, run_id=self.run_id, reason=reason)
            self.ignored += 1
            return
        self.already_handled += 1
        if state is OrderState.PUSHED:
            self.attention.append(
                f"order {key.order_number} was cancelled in Jetshop after it was invoiced; "
                "credit the invoice in Hogia"
            )
