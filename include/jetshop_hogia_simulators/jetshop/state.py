"""The Jetshop simulator's state: per shop a catalogue, price lists, stock, orders and statuses.

Plain pydantic models (mutable) so that the whole state dumps to JSON for ``/_admin/state`` and the
SQLite snapshot, and loads back unchanged. Keys that are GUIDs are stored lower case and compared
case-insensitively; the text a client sent is echoed from the request, never from here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder

NO_CAMPAIGN = Decimal("-1")
"""``DiscountedPrice`` meaning "no campaign price" (FACT)."""


class PriceEntry(BaseModel):
    """One article's row in one price list; prices are stored excluding VAT (FACT)."""

    price: Decimal = Decimal("0")
    discounted_price: Decimal = NO_CAMPAIGN
    hide_product: bool = False
    discounted_price_is_member_price: bool = False
    use_discount_date_span: bool = False
    discount_start: datetime | None = None
    discount_end: datetime | None = None


class CategoryLink(BaseModel):
    """A product's membership of a category (links are additive, FACT)."""

    category_id: int
    sort_order: int = 0
    is_canonical: bool = False


class ProductTexts(BaseModel):
    """The culture-specific texts of a product (one ``ProductData`` per culture, FACT)."""

    name: str = ""
    sub_name: str = ""
    short_description: str = ""
    product_description: str = ""


class Product(BaseModel):
    """A product of one shop; the article number is the key of everything (FACT)."""

    article_number: str
    product_id: int
    vat: Decimal = Decimal("0.25")
    texts: dict[str, ProductTexts] = Field(default_factory=dict)
    prices: dict[str, PriceEntry] = Field(default_factory=dict, description="price-list GUID (lower) → row")
    stock: int = 0
    delivery_date: datetime | None = None
    stock_status_id: int | None = None
    categories: dict[int, CategoryLink] = Field(default_factory=dict)
    template_id: int = 1
    ean_code: str | None = None
    manufacturer: str = ""
    weight: Decimal = Decimal("0")
    volume: Decimal = Decimal("0")
    has_attributes: bool = False
    hide_price: bool = False
    hide_product: bool = False
    images: list[str] = Field(default_factory=list)
    created: datetime
    modified: datetime


class Channel(BaseModel):
    """A sales channel and its price list (GUID as configured, lower case)."""

    channel_id: int
    name: str
    currency: str
    culture: str
    price_list_id: str


class ShopState(BaseModel):
    """Everything one shop (one set of Basic credentials) sees."""

    shop_id: str
    cultures: list[str]
    channels: list[Channel]
    statuses: dict[int, str]
    categories: dict[int, str]
    products: dict[str, Product] = Field(default_factory=dict)
    orders: dict[int, JetshopOrder] = Field(default_factory=dict)
    images: dict[str, int] = Field(default_factory=dict, description="uploaded image file name → bytes")
    next_product_id: int = 1001
    planted_answers: dict[int, Any] = Field(default_factory=dict, exclude=True)
    """Order id → ``planted.PlantedAnswer`` for ``Order_Get`` (tests only; never dumped or persisted)."""
    unreadable_articles: list[str] = Field(
        default_factory=list,
        description="test driver: a request carrying one of these articles faults as if ill-typed",
    )

    @property
    def default_culture(self) -> str:
        """The culture used when a request names none."""
        return self.cultures[0]

    @property
    def default_price_list(self) -> str:
        """The price list ``Product_Get``/``Product_AddUpdate`` prices belong to: the first channel's."""
        return self.channels[0].price_list_id

    def price_list_currency(self, price_list_id: str) -> str | None:
        """The currency of a configured price list (lower-case GUID), None when unknown."""
        return next((c.currency for c in self.channels if c.price_list_id == price_list_id), None)


class Mail(BaseModel):
    """A status mail the shop "sent" to a customer."""

    shop_id: str
    order_id: int
    order_number: str
    status_id: int
    email: str | None
    sent_at: datetime


class Capture(BaseModel):
    """A payment capture the shop performed at Klarna/DIBS."""

    shop_id: str
    order_id: int
    order_number: str
    payment_method: str
    amount: Decimal
    currency: str
    captured_at: datetime


class JetshopState(BaseModel):
    """The whole simulated service."""

    shops: dict[str, ShopState]
    mails: list[Mail] = Field(default_factory=list)
    captures: list[Capture] = Field(default_factory=list)
    next_order_id: int = 100_001

    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot (Decimals as strings, times as ISO-8601 with offset)."""
        return self.model_dump(mode="json")

    @classmethod
    def load(cls, snapshot: dict[str, Any]) -> JetshopState:
        """The state a :meth:`dump` was taken from."""
        return cls.model_validate(snapshot)
