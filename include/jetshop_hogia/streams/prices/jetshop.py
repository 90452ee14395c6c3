"""The Jetshop side of the prices stream: send rows through ``PriceList_UpdateArticleIncVAT``, read back.

Reading back: no operation lists a price list's rows (FACT), so only the shop's *default* price list —
the first channel's, whose prices ``Product_Get`` shows — can be compared; rows of other price lists are
confirmed by their per-row ``Success`` only (see docs/CATALOG.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from jetshop_hogia.apimodel.jetshop_products import PriceListRow
from jetshop_hogia.catalog.prices import actual_view
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item, Outcome
from jetshop_hogia.streams.prices.planning import split_key


def _moment(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def price_list_row(payload: dict[str, Any]) -> PriceListRow:
    """The wire row of a planned payload."""
    return PriceListRow(
        article_number=payload["article_number"],
        price_list_id=payload["price_list_id"],
        price_inc_vat=payload["price_inc_vat"],
        discounted_price_inc_vat=payload["campaign_inc_vat"],
        use_discount_date_span=payload["use_span"],
        discount_start_date=_moment(payload["start"]),
        discount_end_date=_moment(payload["end"]),
    )


def send_rows(jetshop: Any, items: list[Item]) -> list[Outcome]:
    """One call for the chunk; one outcome per row (the service's own message when refused)."""
    rows = [price_list_row(item.payload) for item in items]
    results = jetshop.price_list_update_inc_vat(rows, batch_size=max(1, len(rows)))
    if len(results) != len(items):
        raise RuntimeError(f"{len(results)} price results for {len(items)} rows")
    outcomes = []
    for item, result in zip(items, results, strict=True):
        if result.article_number != item.payload["article_number"]:
            raise RuntimeError(f"price result for {result.article_number} answers row {item.key}")
        problem = "; ".join(result.problems) if result.problems else None
        outcomes.append(Outcome(item.key, problem, "price_refused"))
    return outcomes


def default_price_list(run: StreamRun, scope: str) -> str:
    """The shop's default price list (its first channel's), lower case."""
    return str(run.tenant.shop(scope).channels[0].price_list).lower()


def read_default_list(run: StreamRun, scope: str, keys: Iterable[str]) -> dict[str, Any]:
    """Views of the default price list's rows among ``keys`` (one ``Product_Get`` per article)."""
    jetshop = run.resources.jetshop(scope)
    default = default_price_list(run, scope)
    views: dict[str, Any] = {}
    for key in keys:
        article, price_list = split_key(key)
        if price_list != default:
            continue
        product = jetshop.product_get(article)
        if product is not None:
            views[key] = actual_view(product.price, product.discounted_price)
    return views
