"""The Hogia side of ``products_to_hogia``: write articles one by one, read the register back.

An existing article is read fresh and written back whole (PUT: Hogia has no partial update), changing
only the fields the stream owns — name, VAT code, the "send to web shop" flag and (shop_led) the price in
the shop's currency; everything else the merchant keeps in Hogia (accounts, stock, campaign) stays. A
new article is created at most once (looked up by its unique number after a lost answer). A refusal of
one article (4xx) is that article's outcome; anything else (Hogia unreachable) stops the scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jetshop_hogia.apimodel.hogia_smart import ArticleFields, ArticlePrice
from jetshop_hogia.catalog.products import article_view
from jetshop_hogia.config import Flow
from jetshop_hogia.errors import PermanentError
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item, Outcome


def shop_currency(run: StreamRun) -> str:
    """The currency of the product master's (first shop's) first channel."""
    return run.tenant.shops[0].channels[0].currency


def article_fields(payload: dict[str, Any], base: ArticleFields | None, currency: str) -> ArticleFields:
    """The full article to write: ``base`` (what Hogia has) with the stream's fields replaced."""
    update: dict[str, Any] = {
        "name": payload["name"],
        "vat_code": payload["vatCode"],
        "send_to_web_shop": payload["sendToWebShop"],
    }
    prices = list(base.prices) if base is not None else []
    if "price" in payload:
        others = [p for p in prices if p.currency_code != currency]
        prices = [ArticlePrice(price=Decimal(payload["price"]), currency_code=currency), *others]
    update["prices"] = prices
    if base is None:
        return ArticleFields(number=payload["number"], **update)
    return base.model_copy(update=update)


def write_article(hogia: Any, payload: dict[str, Any], currency: str) -> None:
    """Update or create one article."""
    existing = hogia.get_article_by_number(payload["number"])
    if existing is None:
        hogia.create_article_once(article_fields(payload, None, currency))
        return
    base = ArticleFields.model_validate(existing.model_dump(include=set(ArticleFields.model_fields)))
    hogia.update_article(existing.id, article_fields(payload, base, currency))


def write_articles(run: StreamRun, items: list[Item]) -> list[Outcome]:
    """One outcome per article."""
    hogia, currency = run.resources.hogia(), shop_currency(run)
    outcomes = []
    for item in items:
        try:
            write_article(hogia, item.payload, currency)
        except PermanentError as error:
            outcomes.append(Outcome(item.key, f"Hogia refused the article: {error}", "article_refused"))
            continue
        outcomes.append(Outcome(item.key))
    return outcomes


def read_articles(run: StreamRun, keys: Iterable[str], full: bool) -> dict[str, Any]:
    """Views of Hogia's goods articles (all of them for a full compare, else only ``keys``)."""
    wanted = None if full else set(keys)
    with_price = run.tenant.flow is Flow.SHOP_LED
    currency = shop_currency(run)
    return {
        article.number: article_view(article, currency, with_price)
        for article in run.resources.hogia().iter_articles()
        if article.type == "goods" and (wanted is None or article.number in wanted)
    }
