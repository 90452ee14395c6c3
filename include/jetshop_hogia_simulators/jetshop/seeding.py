"""Turning the shared seeded :class:`~jetshop_hogia_simulators.seed.World` into Jetshop state.

Every shop gets the same catalogue (``world.articles``) with the same ProductIds, a price list per
channel (prices ex VAT, converted to the channel's currency), the seven MODEL order statuses and its own
orders from ``world.orders``. Product modification times are spread in groups that share a timestamp, so
keyset paging of ``Product_GetChangedList`` is exercised from the first call.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from jetshop_hogia.apimodel.jetshop_orders import OrderStatus
from jetshop_hogia.vat import vat_rate
from jetshop_hogia_simulators.jetshop.state import (
    NO_CAMPAIGN,
    CategoryLink,
    Channel,
    JetshopState,
    PriceEntry,
    Product,
    ProductTexts,
    ShopState,
)
from jetshop_hogia_simulators.seed import CURRENCY_FACTOR, ArticleSpec, ShopSpec, World

FOUR_PLACES = Decimal("0.0001")
FIRST_PRODUCT_ID = 1001
STATUS_NAMES: dict[int, str] = {
    int(OrderStatus.NEW): "New",
    int(OrderStatus.PROCESSING): "Processing",
    int(OrderStatus.DELIVERED): "Delivered",
    int(OrderStatus.INVOICED): "Invoiced",
    int(OrderStatus.PAID): "Paid",
    int(OrderStatus.CANCELLED): "Cancelled",
    int(OrderStatus.ON_HOLD): "OnHold",
}
CATEGORIES: dict[int, str] = {
    150: "Produkter",
    151: "Snittblommor & Kvistar",
    160: "Krukväxter",
    170: "Kaffe & Te",
    180: "Böcker & Tidningar",
    190: "Presentkort",
    200: "Trädgård",
}
_GROUP_CATEGORY = {"1": 151, "2": 160, "3": 151, "4": 170, "5": 180, "6": 190, "7": 200, "8": 200}


def ex_vat(price_inc_vat: Decimal, vat: Decimal) -> Decimal:
    """A price including VAT divided by (1 + VAT), 4 decimals half-up: how Jetshop stores prices."""
    return (price_inc_vat / (1 + vat)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _product(index: int, article: ArticleSpec, shop: ShopSpec, epoch: datetime) -> Product:
    vat = vat_rate(article.vat_class, epoch.date())
    stamp = epoch - timedelta(days=30) + timedelta(minutes=index // 3)
    prices: dict[str, PriceEntry] = {}
    for channel in shop.channels:
        factor = CURRENCY_FACTOR[channel.currency]
        campaign = article.campaign_price_inc_vat
        prices[channel.price_list_id.lower()] = PriceEntry(
            price=ex_vat(article.price_inc_vat * factor, vat),
            discounted_price=ex_vat(campaign * factor, vat) if campaign is not None else NO_CAMPAIGN,
            discount_start=stamp,
            discount_end=stamp,
        )
    group = _GROUP_CATEGORY.get(article.article_number[:1], 150)
    return Product(
        article_number=article.article_number,
        product_id=FIRST_PRODUCT_ID + index,
        vat=vat,
        texts={culture: ProductTexts(name=article.name) for culture in shop.cultures},
        prices=prices,
        stock=article.stock,
        categories={150: CategoryLink(category_id=150), group: CategoryLink(category_id=group)},
        ean_code=article.ean,
        has_attributes=article.has_attributes,
        created=stamp,
        modified=stamp,
    )


def seed_shop(world: World, shop: ShopSpec, epoch: datetime) -> ShopState:
    """One shop's state from the world."""
    products = {a.article_number: _product(i, a, shop, epoch) for i, a in enumerate(world.articles)}
    return ShopState(
        shop_id=shop.shop_id,
        cultures=list(shop.cultures),
        channels=[
            Channel(
                channel_id=c.channel_id,
                name=c.name,
                currency=c.currency,
                culture=c.culture,
                price_list_id=c.price_list_id.lower(),
            )
            for c in shop.channels
        ],
        statuses=dict(STATUS_NAMES),
        categories=dict(CATEGORIES),
        products=products,
        orders={order.order_id: order for order in world.orders.get(shop.shop_id, [])},
        next_product_id=FIRST_PRODUCT_ID + len(world.articles),
    )


def seed_state(world: World, epoch: datetime) -> JetshopState:
    """The whole simulator state for ``world``; ``epoch`` (aware) anchors product timestamps."""
    return JetshopState(
        shops={shop.shop_id: seed_shop(world, shop, epoch) for shop in world.shops},
        next_order_id=world.next_order_id,
    )
