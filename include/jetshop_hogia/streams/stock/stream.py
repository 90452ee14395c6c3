"""``stock``: Hogia Smart leads stock (erp_led, combo; combo also "lagerstatus") — needs plan 200.

- fetch: Hogia's web-shop articles; each shop's article numbers;
- fetch (option ``catalog.stock_sellable: subtract_uninvoiced_orders``, off by default): per article the
  units on the tenant's shop orders the ledger knows are not yet invoiced;
- transform: per shop and article the stock count (less those units when the option is on; never
  negative), the delivery date when Hogia knows
  one, and in combo the stock status by the tenant's rules; each item carries the article's Hogia
  ``rowVersion``, and a level older than the one already confirmed is never sent;
- write: ``Product_AddUpdate`` with ``StockData`` only (FACT: no separate stock call), in chunks;
- reconcile: read the stock back through ``Product_Get``.

``serial_runs``: each step runs in one run at a time, and a level older than the one confirmed is never
sent, so two runs never write levels out of order; a failed run does not hold up the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jetshop_hogia.config import Feature, Flow
from jetshop_hogia.kernel.registry import register_stream
from jetshop_hogia.kernel.stream import Direction, StreamRun
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.model import Item, Outcome, ScopePlan


@register_stream
class Stock(CatalogStream):
    """Hogia stock → Jetshop stock count, delivery date and (combo) stock status."""

    name = "stock"
    flows = frozenset({Flow.ERP_LED, Flow.COMBO})
    direction = Direction.HOGIA_TO_JETSHOP
    requires = frozenset({Feature.STOCK})
    serial_runs = True
    description = "Hogia stock (never negative; status in combo) → Jetshop, newest level wins, delta"

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import sources
        from jetshop_hogia.streams.stock import sellable

        return {
            "articles": sources.fetch_hogia_articles(run, self.name),
            "shops": sources.fetch_per_shop(run, self.name),
            "uninvoiced": sellable.fetch_uninvoiced(run, self.name),
        }

    def plan(self, run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
        from jetshop_hogia.streams.stock import jetshop

        return jetshop.plan(run, fetched)

    def send(self, run: StreamRun, scope: str, items: list[Item]) -> list[Outcome]:
        from jetshop_hogia.streams.stock import jetshop

        return jetshop.send_stock(run.resources.jetshop(scope), items)

    def read_target(self, run: StreamRun, scope: str, keys: Iterable[str], full: bool) -> dict[str, Any]:
        from jetshop_hogia.streams.stock import jetshop

        return jetshop.read_stock(run.resources.jetshop(scope), keys)

    def expected_view(self, payload: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.catalog.stock import expected_view

        return expected_view(payload)
