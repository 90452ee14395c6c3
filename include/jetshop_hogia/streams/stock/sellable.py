"""The optional sellable stock: units on the tenant's shop orders not yet invoiced, read in ``fetch``.

Off by default (``catalog.stock_sellable: hogia_stock``): then nothing is read and nothing subtracted.
When on, the state store's order quantities joined with the ledger are written to a run file, so the
plan stays a pure function of the run's files (a retry plans from the same numbers).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jetshop_hogia.config.catalog import SellableStock
from jetshop_hogia.kernel.stream import StreamRun


def subtracts_orders(run: StreamRun) -> bool:
    """Whether this tenant's stock level is reduced by uninvoiced shop orders."""
    return run.tenant.catalog.stock_sellable is SellableStock.SUBTRACT_UNINVOICED_ORDERS


def fetch_uninvoiced(run: StreamRun, stream: str) -> str | None:
    """Units per article on orders the ledger knows are not invoiced, to a file; None when off."""
    if not subtracts_orders(run):
        return None
    from jetshop_hogia.state.order_quantities import OrderQuantityRepository

    store = run.resources.state()
    with store.transaction() as tx:
        totals = OrderQuantityRepository(tx.connection, store.now).uninvoiced_by_article(run.tenant.tenant_id)
    return run.write_json(f"catalog/{stream}/uninvoiced_orders.json", {k: str(v) for k, v in totals.items()})


def read_uninvoiced(run: StreamRun, fetched: dict[str, Any]) -> dict[str, Decimal]:
    """The file written by :func:`fetch_uninvoiced` (empty when the option is off)."""
    location = fetched.get("uninvoiced")
    if location is None:
        return {}
    return {article: Decimal(units) for article, units in run.read_json(location).items()}
