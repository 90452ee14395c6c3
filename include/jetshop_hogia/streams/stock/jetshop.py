"""Stock items per shop, their ``Product_AddUpdate`` writes and the read-back.

Only articles the shop already has are written: ``Product_AddUpdate`` creates an unknown article
(FACT: ``SuccessNew``), and a stock write must never create a product. With no delivery date in Hogia
the date is sent as ``xsi:nil`` (clears a stale one); never as an empty element, which faults the batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from jetshop_hogia.apimodel.jetshop_products import ProductData, StockData
from jetshop_hogia.catalog.stock import stock_payload
from jetshop_hogia.config import Flow
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item, Outcome, Problem, ScopePlan
from jetshop_hogia.streams._catalog.sources import read_hogia_articles
from jetshop_hogia.streams.stock.sellable import read_uninvoiced


def plan(run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
    """One plan per shop; the Hogia ``rowVersion`` is each item's version."""
    articles = read_hogia_articles(run, fetched["articles"])
    rules = run.tenant.catalog.stock_status if run.tenant.flow is Flow.COMBO else None
    uninvoiced = read_uninvoiced(run, fetched)
    plans = []
    for shop in run.tenant.shops:
        info = fetched["shops"].get(shop.id, {})
        result = ScopePlan(shop.id, error=info.get("error"))
        plans.append(result)
        if result.error:
            continue
        in_shop = set(run.read_json(info["numbers"]))
        for article in articles:
            if article.number not in in_shop:
                result.ignored.append(Problem(article.number, "not_in_shop", "the shop has no such product"))
                continue
            held = uninvoiced.get(article.number, Decimal(0))
            payload, clamped = stock_payload(
                article, timezone=run.tenant.timezone, rules=rules, uninvoiced=held
            )
            if clamped:
                result.notes.append(
                    f"{article.number}: Hogia balance {article.stock_balance} less {held} on "
                    "uninvoiced orders sent as 0"
                    if held
                    else f"{article.number}: Hogia balance {article.stock_balance} sent as 0"
                )
            result.items.append(Item(article.number, payload, article.row_version))
    return plans


def product_for(payload: dict[str, Any], culture: str) -> ProductData:
    """A ``ProductData`` carrying only the stock of one article."""
    when = payload.get("delivery_date")
    stock = StockData(
        new_stock_count=payload["count"],
        delivery_date=datetime.fromisoformat(when) if when else None,
        clear_delivery_date=when is None,
        stock_status_id=payload.get("status_id"),
    )
    return ProductData(article_number=payload["article_number"], culture=culture, stock=stock)


def send_stock(jetshop: Any, items: list[Item]) -> list[Outcome]:
    """One call for the chunk (stock is per product, so one culture suffices); one outcome per article."""
    products = [product_for(item.payload, jetshop.cultures[0]) for item in items]
    results = jetshop.product_add_update(products, batch_size=max(1, len(products)))
    if [r.article_number for r in results] != [item.key for item in items]:
        raise RuntimeError("Product_AddUpdate results do not answer the stock items sent")
    outcomes = []
    for item, result in zip(items, results, strict=True):
        problems = list(result.problems)
        if result.created:
            problems.append("a stock write created the product (it was deleted in Jetshop meanwhile)")
        outcomes.append(Outcome(item.key, "; ".join(problems) or None, "stock_refused"))
    return outcomes


def read_stock(jetshop: Any, keys: Iterable[str]) -> dict[str, Any]:
    """Stock views of the given articles (one ``Product_Get`` each)."""
    views: dict[str, Any] = {}
    for key in keys:
        product = jetshop.product_get(key)
        if product is not None and product.stock is not None:
            views[key] = {"count": product.stock.new_stock_count, "status_id": product.stock.stock_status_id}
    return views
