"""Repository of ``order_article_quantity``: what shop orders hold per article, and what is not invoiced.

The order stream's transform records each order's goods quantities per article (replacing what it
recorded before, so an edited order counts once, as it is now). The stock stream, with
``catalog.stock_sellable: subtract_uninvoiced_orders``, asks :meth:`uninvoiced_by_article`: the sum over
the tenant's orders the ledger holds in a state that means "sold in the shop, no Hogia invoice yet".
Pushed orders are invoiced (Hogia's balance already dropped), ignored ones were cancelled: neither counts.
Built like the catalog sync repository: ``OrderQuantityRepository(tx.connection, store.now)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, delete, func, insert, select

from jetshop_hogia.state.catalog_models import OrderArticleQuantityRow, order_article_quantity
from jetshop_hogia.state.models import order_ledger
from jetshop_hogia.state.transitions import OrderState

NOT_INVOICED = frozenset({OrderState.SEEN, OrderState.ELIGIBLE, OrderState.PUSHING, OrderState.QUARANTINED})
"""Ledger states of an order the shop sold but Hogia has not invoiced (so its stock is not yet drawn)."""


class OrderQuantityRepository:
    """Article quantities of shop orders within one transaction."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def record_order(
        self, tenant_id: str, shop_id: str, order_number: str, quantities: Mapping[str, Decimal]
    ) -> None:
        """Replace the recorded quantities of one order with ``quantities`` (article → units)."""
        row = OrderArticleQuantityRow
        self._connection.execute(
            delete(order_article_quantity).where(
                row.tenant_id == tenant_id, row.shop_id == shop_id, row.order_number == order_number
            )
        )
        now = self._now()
        rows = [
            {
                "tenant_id": tenant_id,
                "shop_id": shop_id,
                "order_number": order_number,
                "article_number": article,
                "quantity": quantity,
                "updated_at": now,
            }
            for article, quantity in quantities.items()
        ]
        if rows:
            self._connection.execute(insert(order_article_quantity), rows)

    def uninvoiced_by_article(self, tenant_id: str) -> dict[str, Decimal]:
        """Per article, the units on the tenant's orders (all shops) the ledger says are not invoiced."""
        row = OrderArticleQuantityRow
        ledger = order_ledger.c
        joined = order_article_quantity.join(
            order_ledger,
            and_(
                ledger.tenant_id == row.tenant_id,
                ledger.shop_id == row.shop_id,
                ledger.order_number == row.order_number,
            ),
        )
        statement = (
            select(row.article_number, func.sum(row.quantity))
            .select_from(joined)
            .where(row.tenant_id == tenant_id, ledger.state.in_([state.value for state in NOT_INVOICED]))
            .group_by(row.article_number)
        )
        return {article: Decimal(total) for article, total in self._connection.execute(statement)}
