"""Products per shop: plan, send with every culture's status checked, read back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jetshop_hogia.catalog.products import product_data, product_payload
from jetshop_hogia.config.catalog import JetshopOwnedField
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item, Outcome, ScopePlan
from jetshop_hogia.streams._catalog.sources import read_hogia_articles, run_day


def plan(run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
    """One plan per shop: every web-shop article, in the shop's cultures."""
    articles = read_hogia_articles(run, fetched["articles"])
    day = run_day(run)
    overwrite_name = JetshopOwnedField.NAME in run.tenant.catalog.overwrite_jetshop_fields
    plans = []
    for shop in run.tenant.shops:
        info = fetched["shops"].get(shop.id, {})
        result = ScopePlan(shop.id, error=info.get("error"))
        plans.append(result)
        if result.error:
            continue
        in_shop = set(run.read_json(info["numbers"]))
        for article in articles:
            payload = product_payload(
                article,
                cultures=info["cultures"],
                is_new=article.number not in in_shop,
                overwrite_name=overwrite_name,
                day=day,
            )
            result.items.append(Item(article.number, payload))
    return plans


def send_products(jetshop: Any, items: list[Item]) -> list[Outcome]:
    """One call for the chunk (all cultures of an article together); an article is confirmed only when
    every culture was written."""
    products = [product for item in items for product in product_data(item.payload)]
    results = jetshop.product_add_update(products, batch_size=max(1, len(products)))
    if [r.article_number for r in results] != [p.article_number for p in products]:
        raise RuntimeError("Product_AddUpdate results do not answer the products sent")
    problems: dict[str, list[str]] = {item.key: [] for item in items}
    for result in results:
        problems[result.article_number].extend(f"{result.key}: {p}" for p in result.problems)
    return [Outcome(item.key, "; ".join(problems[item.key]) or None, "product_refused") for item in items]


def read_products(jetshop: Any, keys: Iterable[str]) -> dict[str, Any]:
    """Views (VAT, name in the first culture) of the given articles."""
    views: dict[str, Any] = {}
    for key in keys:
        product = jetshop.product_get(key)
        if product is not None:
            views[key] = {"vat": product.vat, "name": product.name}
    return views
