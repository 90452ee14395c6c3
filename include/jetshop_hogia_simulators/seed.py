"""Deterministic demo data for both simulators: shops, channels, articles, customers and orders.

The same seed always gives the same world (tested), so a failing test or a demo can be replayed. The
data is shaped to exercise what goes wrong in real integrations: variants, all four VAT rates, öre
prices, discounts, freight and payment-fee rows, private and company customers, and Swedish letters.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from jetshop_hogia.apimodel.jetshop_orders import (
    DISCOUNT_ARTICLE,
    FREIGHT_ARTICLE,
    PAYMENT_FEE_ARTICLE,
    JetshopOrder,
    OrderCustomer,
    OrderRow,
    OrderStatus,
    PaymentMethod,
    RowType,
    ShipTo,
)
from jetshop_hogia.vat import VatClass, vat_rate

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_START = datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)
CENT = Decimal("0.01")
CURRENCY_FACTOR = {"SEK": Decimal("1"), "NOK": Decimal("1.05"), "EUR": Decimal("0.088")}


def money(value: Decimal) -> Decimal:
    """Round to öre (2 decimals) half-up, the way Swedish prices are shown."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ChannelSpec:
    """A sales channel of a shop ("Kanal"), with its currency and price list."""

    channel_id: int
    name: str
    currency: str
    price_list_id: str
    culture: str


@dataclass(frozen=True)
class ShopSpec:
    """A Jetshop shop: one set of Basic credentials, one or more channels."""

    shop_id: str
    user: str
    password: str
    channels: tuple[ChannelSpec, ...]
    cultures: tuple[str, ...]


@dataclass(frozen=True)
class ArticleSpec:
    """An article of the shared catalogue; prices in SEK including VAT, whole öre."""

    article_number: str
    name: str
    vat_class: VatClass
    price_inc_vat: Decimal
    campaign_price_inc_vat: Decimal | None
    stock: int
    parent: str | None = None
    variant_value: str | None = None
    has_attributes: bool = False
    ean: str | None = None
    unit: str = "st"

    @property
    def sellable(self) -> bool:
        """Parents with attributes are not sold themselves; their variants are."""
        return not self.has_attributes


@dataclass(frozen=True)
class CompanySpec:
    """A Hogia Smart company (organisation) with its API client credentials."""

    organisation_id: str
    name: str
    organisation_number: str
    client_id: str
    client_secret: str
    rounding_mode: str
    modules: tuple[str, ...] = ("Bokforing", "Fakturering", "Kassaregister")


@dataclass
class World:
    """Everything both simulators start from."""

    seed: int
    shops: tuple[ShopSpec, ...]
    companies: tuple[CompanySpec, ...]
    articles: tuple[ArticleSpec, ...]
    customers: tuple[OrderCustomer, ...]
    orders: dict[str, list[JetshopOrder]] = field(default_factory=dict)
    next_order_id: int = 100_001


FIRST_NAMES = ("Åsa", "Björn", "Märta", "Örjan", "Göran", "Linnéa", "Sören", "Ingrid", "Håkan", "Lovisa")
LAST_NAMES = ("Ångström", "Öberg", "Sjögren", "Håkansson", "Bäckström", "Lindqvist", "Nordén", "Åkesson")
CITIES = (
    ("Göteborg", "41104"),
    ("Malmö", "21120"),
    ("Umeå", "90326"),
    ("Västerås", "72211"),
    ("Örebro", "70210"),
    ("Jönköping", "55318"),
    ("Luleå", "97231"),
)
STREETS = ("Storgatan", "Kungsgatan", "Drottninggatan", "Ågatan", "Östra Hamngatan", "Järnvägsgatan")
COMPANIES = ("Blomsterhörnan AB", "Trädgårdsmästarna HB", "Kaffekompaniet i Åre AB", "Växthuset Öst AB")

# (number, name, vat class, price inc VAT, variants)
CATALOGUE: tuple[tuple[str, str, VatClass, str, tuple[str, ...]], ...] = (
    ("1092-10", "Konstväxt Nigella", VatClass.STANDARD, "135.00", ()),
    ("2201", "Konstväxt Monstera", VatClass.STANDARD, "499.00", ("60", "90", "120")),
    ("2310", "Kruka Keramik", VatClass.STANDARD, "249.50", ("Vit", "Svart", "Grön")),
    ("3489-99-1", "Snittblomma Pion", VatClass.STANDARD, "123.00", ()),
    ("4100", "Kaffe Mörkrost 500 g", VatClass.FOOD, "89.90", ()),
    ("4101", "Te Earl Grey 100 g", VatClass.FOOD, "54.95", ()),
    ("5200", "Bok: Odla i kruka", VatClass.REDUCED, "199.00", ()),
    ("5201", "Tidning: Trädgårdsliv", VatClass.REDUCED, "79.00", ()),
    ("6000", "Presentkort 500 kr", VatClass.EXEMPT, "500.00", ()),
    ("7300", "Växtnäring Flytande", VatClass.STANDARD, "64.90", ()),
    ("7301", "Planteringsjord 40 l", VatClass.STANDARD, "119.00", ()),
    ("8800", "Vattenkanna Zink", VatClass.STANDARD, "349.00", ("5 l", "10 l")),
)


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _shops(rng: random.Random) -> tuple[ShopSpec, ...]:
    def channel(cid: int, name: str, currency: str, culture: str) -> ChannelSpec:
        return ChannelSpec(cid, name, currency, _guid(rng), culture)

    return (
        ShopSpec("alpha", "alpha", "alpha-jetshop", (channel(1, "Sverige", "SEK", "sv-SE"),), ("sv-SE",)),
        ShopSpec(
            "beta",
            "beta",
            "beta-jetshop",
            (channel(1, "Sverige", "SEK", "sv-SE"), channel(2, "Norge", "NOK", "nb-NO")),
            ("sv-SE", "nb-NO"),
        ),
        ShopSpec("gamma", "gamma", "gamma-jetshop", (channel(1, "Sverige", "SEK", "sv-SE"),), ("sv-SE",)),
        ShopSpec("delta", "delta", "delta-jetshop", (channel(3, "Outlet", "SEK", "sv-SE"),), ("sv-SE",)),
    )


def _companies(rng: random.Random) -> tuple[CompanySpec, ...]:
    return (
        CompanySpec(_guid(rng), "Alpha Trädgård AB", "556000-0001", "alpha", "alpha-hogia", "wholeKrona"),
        CompanySpec(_guid(rng), "Beta Växter AB", "556000-0002", "beta", "beta-hogia", "none"),
        CompanySpec(
            _guid(rng), "Gamma & Delta Handel AB", "556000-0003", "gamma", "gamma-hogia", "wholeKrona"
        ),
    )


def _articles(rng: random.Random) -> tuple[ArticleSpec, ...]:
    articles: list[ArticleSpec] = []
    for number, name, vat_class, price, variants in CATALOGUE:
        base_price = Decimal(price)
        campaign = money(base_price * Decimal("0.8")) if rng.random() < 0.25 else None
        ean = f"73{rng.randrange(10**10, 10**11)}"
        if not variants:
            articles.append(
                ArticleSpec(number, name, vat_class, base_price, campaign, rng.randrange(0, 200), ean=ean)
            )
            continue
        articles.append(ArticleSpec(number, name, vat_class, base_price, None, 0, has_attributes=True))
        for index, value in enumerate(variants):
            articles.append(
                ArticleSpec(
                    f"{number}-{value.replace(' ', '').lower()}",
                    f"{name} {value}",
                    vat_class,
                    money(base_price + Decimal(50 * index)),
                    campaign,
                    rng.randrange(0, 120),
                    parent=number,
                    variant_value=value,
                    ean=f"{ean[:-1]}{index}",
                )
            )
    return tuple(articles)


def _customers(rng: random.Random, count: int) -> tuple[OrderCustomer, ...]:
    customers: list[OrderCustomer] = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        city, zip_code = rng.choice(CITIES)
        is_company = index % 5 == 4
        company = rng.choice(COMPANIES) if is_company else None
        mail_name = f"{first}.{last}".lower().translate(str.maketrans("åäöé", "aaoe"))
        customers.append(
            OrderCustomer(
                customer_id=5000 + index,
                customer_number=f"W{5000 + index}",
                is_company=is_company,
                company_name=company,
                organisation_number=f"55{rng.randrange(10**7, 10**8)}" if is_company else None,
                vat_number=None,
                first_name=first,
                last_name=last,
                email=f"{mail_name}{index}@example.se",
                phone=f"070{rng.randrange(10**6, 10**7)}",
                billing_address=f"{rng.choice(STREETS)} {rng.randrange(1, 80)}",
                billing_zip_code=zip_code,
                billing_city=city,
                billing_country_code="SE",
            )
        )
    return tuple(customers)


def make_row(
    row_id: int, article: ArticleSpec, quantity: int, currency: str, on: datetime, discount: Decimal
) -> OrderRow:
    """An order row for ``article`` priced in ``currency`` on day ``on`` (campaign price if any)."""
    rate = vat_rate(article.vat_class, on.date())
    unit = article.campaign_price_inc_vat or article.price_inc_vat
    unit = money(unit * CURRENCY_FACTOR[currency])
    return OrderRow(
        row_id=row_id,
        row_type=RowType.PRODUCT,
        article_number=article.article_number,
        name=article.name,
        variant_value=article.variant_value,
        quantity=Decimal(quantity),
        unit_price_inc_vat=unit,
        unit_price_ex_vat=(unit / (1 + rate)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        vat_rate=rate,
        discount_inc_vat=discount,
        total_inc_vat=money(unit * quantity - discount),
    )


def _fee_row(row_id: int, row_type: RowType, number: str, name: str, amount: Decimal) -> OrderRow:
    rate = Decimal("0.25")
    return OrderRow(
        row_id=row_id,
        row_type=row_type,
        article_number=number,
        name=name,
        quantity=Decimal(1),
        unit_price_inc_vat=amount,
        unit_price_ex_vat=(amount / (1 + rate)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        vat_rate=rate,
        total_inc_vat=amount,
    )


def generate_order(
    rng: random.Random,
    world: World,
    shop: ShopSpec,
    placed_at: datetime,
    articles: Sequence[ArticleSpec] = (),
) -> JetshopOrder:
    """A new random order for ``shop`` placed at ``placed_at`` (aware); consumes ``world.next_order_id``.

    ``articles`` are the products in the basket when given (an article the catalogue does not have, for
    a demo scenario); by default 1–4 random sellable catalogue articles.
    """
    channel = rng.choice(shop.channels)
    customer = rng.choice(world.customers)
    sellable = [a for a in world.articles if a.sellable]
    rows: list[OrderRow] = []
    for article in articles or rng.sample(sellable, rng.randint(1, 4)):
        quantity = rng.randint(1, 3)
        discount = money(Decimal(rng.choice((5, 10, 25)))) if rng.random() < 0.2 else Decimal("0")
        rows.append(make_row(len(rows) + 1, article, quantity, channel.currency, placed_at, discount))
    goods = sum((r.total_inc_vat for r in rows), Decimal(0))
    if goods < 500:
        rows.append(_fee_row(len(rows) + 1, RowType.FREIGHT, FREIGHT_ARTICLE, "Frakt", Decimal("49.00")))
    payment = rng.choice(list(PaymentMethod))
    if payment is PaymentMethod.INVOICE:
        rows.append(
            _fee_row(
                len(rows) + 1, RowType.PAYMENT_FEE, PAYMENT_FEE_ARTICLE, "Fakturaavgift", Decimal("29.00")
            )
        )
    if rng.random() < 0.15:
        discount_row = _fee_row(
            len(rows) + 1, RowType.DISCOUNT, DISCOUNT_ARTICLE, "Rabattkod VÅR", Decimal("-20.00")
        )
        rows.append(discount_row)
    total = sum((r.total_inc_vat for r in rows), Decimal(0))
    vat = sum((r.total_inc_vat - r.total_inc_vat / (1 + r.vat_rate) for r in rows), Decimal(0))
    order_id = world.next_order_id
    world.next_order_id += 1
    placed_utc = placed_at.astimezone(UTC)
    return JetshopOrder(
        order_id=order_id,
        order_number=f"{shop.shop_id[:1].upper()}{order_id}",
        channel_id=channel.channel_id,
        order_date=placed_utc,
        changed_date=placed_utc,
        status_id=int(OrderStatus.NEW),
        status_name="New",
        currency=channel.currency,
        total_inc_vat=money(total),
        total_vat=money(vat),
        customer_id=customer.customer_id,
        email=customer.email,
        customer=customer,
        ship_to=ShipTo(
            company=customer.company_name,
            first_name=customer.first_name,
            last_name=customer.last_name,
            address=customer.billing_address,
            zip_code=customer.billing_zip_code,
            city=customer.billing_city,
            country_code=customer.billing_country_code,
            mobile_phone=customer.phone,
        ),
        payment_method=payment.value,
        payment_status="Authorized"
        if payment in (PaymentMethod.KLARNA, PaymentMethod.DIBS)
        else "NotApplicable",
        delivery_method="PostNord" if rng.random() < 0.7 else "DHL",
        rows=tuple(rows),
    )


def generate_world(
    seed: int = 42,
    *,
    start: datetime = DEFAULT_START,
    orders_per_shop: int = 12,
    days: int = 3,
    customers: int = 30,
) -> World:
    """The seeded world: orders are spread over the ``days`` before ``start``; some already moved on."""
    rng = random.Random(seed)
    world = World(
        seed=seed,
        shops=_shops(rng),
        companies=_companies(rng),
        articles=_articles(rng),
        customers=_customers(rng, customers),
    )
    for shop in world.shops:
        placed: list[JetshopOrder] = []
        for _ in range(orders_per_shop):
            when = start - timedelta(seconds=rng.randrange(0, days * 86_400))
            order = generate_order(rng, world, shop, when)
            if rng.random() < 0.6:
                status = OrderStatus.PROCESSING
                order = order.model_copy(update={"status_id": int(status), "status_name": "Processing"})
            placed.append(order)
        world.orders[shop.shop_id] = sorted(placed, key=lambda o: (o.changed_date, o.order_id))
    return world
