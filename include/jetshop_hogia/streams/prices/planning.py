"""Plan the price rows of every shop: one item per article and channel price list.

An article the shop does not have is ignored (in combo Jetshop leads products; in erp_led the products
stream creates it and the next price run sends its prices). A price that cannot be sent is quarantined
with the rule's reason (see :mod:`jetshop_hogia.catalog.prices`).
"""

from __future__ import annotations

from typing import Any

from jetshop_hogia.catalog.prices import PriceProblem, price_row
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item, Problem, ScopePlan
from jetshop_hogia.streams._catalog.sources import read_hogia_articles, run_day


def row_key(article_number: str, price_list_id: str) -> str:
    """Item key of one row: article and price list (GUID in lower case)."""
    return f"{article_number}@{price_list_id.lower()}"


def split_key(key: str) -> tuple[str, str]:
    """``(article_number, price_list_id)`` of an item key."""
    article, _, price_list = key.rpartition("@")
    return article, price_list


def plan(run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
    """One plan per shop of the tenant."""
    articles = read_hogia_articles(run, fetched["articles"])
    day, tenant = run_day(run), run.tenant
    plans = []
    for shop in tenant.shops:
        info = fetched["shops"].get(shop.id, {})
        plan_ = ScopePlan(shop.id, error=info.get("error"))
        plans.append(plan_)
        if plan_.error:
            continue
        in_shop = set(run.read_json(info["numbers"]))
        for article in articles:
            if article.number not in in_shop:
                plan_.ignored.append(Problem(article.number, "not_in_shop", "the shop has no such product"))
                continue
            for channel in shop.channels:
                key = row_key(article.number, str(channel.price_list))
                try:
                    row = price_row(
                        article,
                        price_list_id=str(channel.price_list),
                        currency=channel.currency,
                        company_currency=fetched["currency"],
                        day=day,
                        timezone=tenant.timezone,
                        policy=tenant.catalog.ore_prices,
                    )
                except PriceProblem as problem:
                    plan_.quarantined.append(Problem(key, problem.code, problem.text))
                    continue
                plan_.items.append(Item(key, row.payload()))
                plan_.notes.extend(f"{key}: {note}" for note in row.roundings)
    return plans
