"""``products_to_jetshop``: Hogia Smart leads products (erp_led).

- fetch: Hogia's articles flagged "send to web shop"; each shop's article numbers and cultures;
- transform: per shop and article one item = one ``ProductData`` per configured culture: article number,
  VAT, and the name only for a new product (or always, when ``catalog.overwrite_jetshop_fields`` lists
  ``name``); categories, texts and images are Jetshop's and never sent;
- write: ``Product_AddUpdate`` in chunks; every culture's status is checked (``SuccessNew``,
  ``SuccessUpdate``, ``Success`` confirm; ``None`` and failed sub-results quarantine the article with
  the service's words); a chunk refused whole is split until the bad article stands alone;
- reconcile: ``Product_Get`` read-back (VAT, and the name where Hogia owns it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jetshop_hogia.config import Flow
from jetshop_hogia.kernel.registry import register_stream
from jetshop_hogia.kernel.stream import Direction, StreamRun
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.model import Item, Outcome, ScopePlan


@register_stream
class ProductsToJetshop(CatalogStream):
    """Hogia articles → Jetshop products (one ProductData per culture)."""

    name = "products_to_jetshop"
    flows = frozenset({Flow.ERP_LED})
    direction = Direction.HOGIA_TO_JETSHOP
    description = (
        "Hogia articles marked for the web shop → Jetshop products per culture (Jetshop's fields kept)"
    )

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import sources

        shops = sources.fetch_per_shop(run, self.name)
        for shop_id, info in shops.items():
            if "error" not in info:
                info["cultures"] = list(run.resources.jetshop(shop_id).cultures)
        return {"articles": sources.fetch_hogia_articles(run, self.name), "shops": shops}

    def plan(self, run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
        from jetshop_hogia.streams.products_to_jetshop import jetshop

        return jetshop.plan(run, fetched)

    def send(self, run: StreamRun, scope: str, items: list[Item]) -> list[Outcome]:
        from jetshop_hogia.streams.products_to_jetshop import jetshop

        return jetshop.send_products(run.resources.jetshop(scope), items)

    def read_target(self, run: StreamRun, scope: str, keys: Iterable[str], full: bool) -> dict[str, Any]:
        from jetshop_hogia.streams.products_to_jetshop import jetshop

        return jetshop.read_products(run.resources.jetshop(scope), keys)

    def expected_view(self, payload: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.catalog.products import product_view

        return product_view(payload)
