"""Articles in Hogia Smart: the register that is master of stock (and, in some flows, of prices).

Hogia has one ordinary price per currency and one campaign price, ex VAT (MODEL); there are no price
lists and no price endpoint, so :meth:`HogiaArticlesMixin.set_prices` reads the article and writes it
back whole (PUT). Stock has its own idempotent ``PATCH …/stock``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from enum import Enum
from typing import Final, Literal

from jetshop_hogia.apimodel.hogia_smart import (
    MAX_PAGE_SIZE,
    Article,
    ArticleFields,
    ArticlePrice,
    CampaignPrice,
    StockUpdate,
)
from jetshop_hogia_provider.hooks.hogia_rest import (
    DEFAULT_MAX_ATTEMPTS,
    HogiaRestCalls,
    create_once,
    entity_id,
    parse_model,
    parse_new_id,
    wire_body,
)

CREATE = "articles.create"


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""``set_prices(campaign_price=UNCHANGED)`` keeps the campaign; ``None`` ends it."""


class HogiaArticlesMixin(HogiaRestCalls):
    """Article calls of :class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`."""

    def iter_articles(
        self,
        *,
        send_to_web_shop: bool | None = None,
        number: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Article]:
        """Articles in number order; ``send_to_web_shop`` filters on the "send to web shop" flag."""
        params: dict[str, str] = {}
        if send_to_web_shop is not None:
            params["sendToWebShop"] = "true" if send_to_web_shop else "false"
        if number is not None:
            params["number"] = number
        return self.iter_models(Article, "articles", params=params, page_size=page_size)

    def get_article(self, article_id: str | uuid.UUID) -> Article | None:
        """One article by id, None when there is none."""
        return self.get_model_or_none(Article, "articles", article_id)

    def get_article_by_number(self, number: str) -> Article | None:
        """The article with this (unique) article number."""
        return next(self.iter_articles(number=number), None)

    def create_article(self, body: ArticleFields) -> str:
        """Create an article, return its id; a lost answer raises ``AmbiguousWriteError``."""
        payload = self.request_json(
            "POST", "articles", json_body=wire_body(body, omit_none=True), operation=CREATE
        )
        return parse_new_id(payload, operation=CREATE)

    def create_article_once(self, body: ArticleFields, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> str:
        """Create an article at most once, looking it up by its unique number after a lost answer."""

        def look_up() -> str | None:
            found = self.get_article_by_number(body.number)
            return found.id if found is not None else None

        return create_once(
            lambda: self.create_article(body), look_up, operation=CREATE, max_attempts=max_attempts
        )

    def update_article(self, article_id: str | uuid.UUID, body: ArticleFields) -> Article:
        """Replace an article (PUT, idempotent); returns the stored article."""
        path = f"articles/{entity_id(article_id)}"
        payload = self.request_json("PUT", path, json_body=wire_body(body), operation="articles.update")
        if payload is None:
            payload = self.request_json("GET", path, operation="articles.get")
        return parse_model(Article, payload, operation="articles.update")

    def set_stock(self, article_id: str | uuid.UUID, stock_balance: Decimal) -> Article:
        """Set the stock balance (an absolute value: idempotent, so retried after a lost answer)."""
        path = f"articles/{entity_id(article_id)}/stock"
        body = wire_body(StockUpdate(stock_balance=stock_balance))
        payload = self.request_json(
            "PATCH", path, json_body=body, idempotent=True, operation="articles.stock"
        )
        if payload is None:
            payload = self.request_json("GET", f"articles/{entity_id(article_id)}", operation="articles.get")
        return parse_model(Article, payload, operation="articles.stock")

    def set_prices(
        self,
        article_id: str | uuid.UUID,
        *,
        prices: Sequence[ArticlePrice] | None = None,
        campaign_price: CampaignPrice | Literal[_Unchanged.UNCHANGED] | None = UNCHANGED,
    ) -> Article:
        """Set ordinary prices (per currency; other currencies are kept) and/or the campaign price.

        Read-modify-write (GET + PUT): the API has no price endpoint and no version check on PUT, so a
        change made in Hogia between the two calls would be overwritten. Keep it short; do not batch.
        """
        if prices is None and campaign_price is UNCHANGED:
            raise ValueError("set_prices needs prices and/or campaign_price")
        article = self.get_article(article_id)
        if article is None:
            raise LookupError("no article with that id")
        fields = ArticleFields.model_validate(article.model_dump(include=set(ArticleFields.model_fields)))
        update: dict[str, object] = {}
        if prices is not None:
            given = {price.currency_code for price in prices}
            update["prices"] = [*prices, *(p for p in fields.prices if p.currency_code not in given)]
        if campaign_price is not UNCHANGED:
            update["campaign_price"] = campaign_price
        return self.update_article(article.id, fields.model_copy(update=update))

    def set_campaign_price(
        self, article_id: str | uuid.UUID, campaign_price: CampaignPrice | None
    ) -> Article:
        """Start, change or (with None) end the campaign price; the ordinary prices are kept."""
        return self.set_prices(article_id, campaign_price=campaign_price)
