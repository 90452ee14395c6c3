"""``products_to_hogia``: Jetshop leads products (shop_led, combo) — each product (each variant) becomes
one Hogia article under the same article number.

- fetch: products changed since shortly before the window (everything on the first run, after a flow
  switch and on a full compare) from every shop, in every culture;
- transform: Hogia article fields (name from ``catalog.name_culture``, VAT code, "send to web shop" as
  configured, in shop_led also the ordinary price); variant parents ignored; unmappable quarantined;
- write: update the existing article (read-modify-write) or create it once; unchanged ones cost nothing;
- reconcile: read the Hogia register back; a full compare also names Hogia goods Jetshop does not have.
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
class ProductsToHogia(CatalogStream):
    """Jetshop products → Hogia articles."""

    name = "products_to_hogia"
    flows = frozenset({Flow.SHOP_LED, Flow.COMBO})
    direction = Direction.JETSHOP_TO_HOGIA
    description = "Jetshop products (each variant its own article) → Hogia articles, only what changed"
    reports_missing_in_source = True

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams.products_to_hogia import fetching

        return fetching.fetch(self, run)

    def plan(self, run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
        from jetshop_hogia.streams.products_to_hogia import planning

        return [planning.plan(run, fetched)]

    def send(self, run: StreamRun, scope: str, items: list[Item]) -> list[Outcome]:
        from jetshop_hogia.streams.products_to_hogia import hogia

        return hogia.write_articles(run, items)

    def read_target(self, run: StreamRun, scope: str, keys: Iterable[str], full: bool) -> dict[str, Any]:
        from jetshop_hogia.streams.products_to_hogia import hogia

        return hogia.read_articles(run, keys, full)

    def expected_view(self, payload: dict[str, Any]) -> dict[str, Any]:
        return dict(payload)
