"""``prices``: Hogia Smart leads prices (erp_led, combo) — ordinary and campaign price, per channel.

- fetch: Hogia's web-shop articles and company currency; each shop's article numbers;
- transform: one row per article and channel price list (integer inc VAT, -1 for no campaign, the
  campaign's date span); prices with öre quarantined or rounded by the tenant's ``catalog.ore_prices``;
- write: ``PriceList_UpdateArticleIncVAT`` in chunks, only rows whose hash changed;
- reconcile: read back the default price list through ``Product_Get`` and report drift.
Needs plan 400 ("Prisstrukturer").
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
class Prices(CatalogStream):
    """Hogia prices → Jetshop price lists (one per channel)."""

    name = "prices"
    flows = frozenset({Flow.ERP_LED, Flow.COMBO})
    direction = Direction.HOGIA_TO_JETSHOP
    requires = frozenset({Feature.PRICE_LISTS})
    description = "Hogia ordinary + campaign prices → one Jetshop price list per channel (inc VAT, delta)"

    @classmethod
    def config_problems(cls, tenant: Any) -> list[str]:
        missing = [
            f"{shop.id}/channel {channel.channel_id}"
            for shop in tenant.shops
            for channel in shop.channels
            if channel.price_list is None
        ]
        return (
            [f"every channel needs a price_list GUID for prices (missing: {', '.join(missing)})"]
            if missing
            else []
        )

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import sources

        articles = sources.fetch_hogia_articles(run, self.name)
        return {
            "articles": articles,
            "currency": sources.fetch_company_currency(run),
            "shops": sources.fetch_per_shop(run, self.name),
        }

    def plan(self, run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
        from jetshop_hogia.streams.prices import planning

        return planning.plan(run, fetched)

    def send(self, run: StreamRun, scope: str, items: list[Item]) -> list[Outcome]:
        from jetshop_hogia.streams.prices import jetshop

        return jetshop.send_rows(run.resources.jetshop(scope), items)

    def read_target(self, run: StreamRun, scope: str, keys: Iterable[str], full: bool) -> dict[str, Any]:
        from jetshop_hogia.streams.prices import jetshop

        return jetshop.read_default_list(run, scope, keys)

    def article_of(self, key: str) -> str:
        from jetshop_hogia.streams.prices.planning import split_key

        return split_key(key)[0]

    def verifiable_keys(self, run: StreamRun, scope: str, keys: Iterable[str]) -> list[str]:
        from jetshop_hogia.streams.prices.jetshop import default_price_list
        from jetshop_hogia.streams.prices.planning import split_key

        default = default_price_list(run, scope)
        return [key for key in keys if split_key(key)[1] == default]

    def expected_view(self, payload: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.catalog.prices import expected_view

        return expected_view(payload)
