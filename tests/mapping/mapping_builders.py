"""Small builders for hand-written Jetshop orders and mapping contexts (shared by tests/mapping).

Orders are built the way Jetshop builds them: a row's total is round(q × unit − discount, 2) and the
order total is the sum of the rows, so a test only spells out what it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from jetshop_hogia.apimodel.jetshop_orders import (
    DISCOUNT_ARTICLE,
    FREIGHT_ARTICLE,
    PAYMENT_FEE_ARTICLE,
    JetshopOrder,
    OrderCustomer,
    OrderRow,
    RowType,
    ShipTo,
)
from jetshop_hogia.mapping import ChannelConfig, InvoiceDraft, MappingContext
from jetshop_hogia_simulators.seed import generate_world

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PLACED = datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)
CENT = Decimal("0.01")
HELPERS = frozenset({FREIGHT_ARTICLE, PAYMENT_FEE_ARTICLE, DISCOUNT_ARTICLE})
ARTICLES = frozenset({"1092-10", "2201-60", "4100", "4500", "5200", "6000", "7300"}) | HELPERS
SEED_ARTICLES = frozenset(a.article_number for a in generate_world(1, orders_per_shop=0).articles) | HELPERS


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def row(
    article: str,
    quantity: str | int = 1,
    unit_inc_vat: str = "100.00",
    rate: str = "0.25",
    discount: str = "0",
    row_type: RowType = RowType.PRODUCT,
    name: str | None = None,
) -> OrderRow:
    """A row; ``row_id`` is renumbered by ``order``."""
    q, unit, vat, off = Decimal(quantity), Decimal(unit_inc_vat), Decimal(rate), Decimal(discount)
    return OrderRow(
        row_id=0,
        row_type=row_type,
        article_number=article,
        name=name or f"Artikel {article}",
        quantity=q,
        unit_price_inc_vat=unit,
        unit_price_ex_vat=(unit / (1 + vat)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        vat_rate=vat,
        discount_inc_vat=off,
        total_inc_vat=money(q * unit - off),
    )


def freight(amount: str = "49.00") -> OrderRow:
    return row(FREIGHT_ARTICLE, 1, amount, row_type=RowType.FREIGHT, name="Frakt")


def payment_fee(amount: str = "29.00") -> OrderRow:
    return row(PAYMENT_FEE_ARTICLE, 1, amount, row_type=RowType.PAYMENT_FEE, name="Fakturaavgift")


def order_discount(amount: str = "-20.00", rate: str = "0.25") -> OrderRow:
    return row(DISCOUNT_ARTICLE, 1, amount, rate, row_type=RowType.DISCOUNT, name="Rabattkod VÅR")


def private(email: str = "asa.oberg@example.se", number: str = "W5001", **changes: Any) -> OrderCustomer:
    fields: dict[str, Any] = {
        "customer_id": 5001,
        "customer_number": number,
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": email,
        "phone": "0701234567",
        "billing_address": "Storgatan 1",
        "billing_zip_code": "41104",
        "billing_city": "Göteborg",
        "billing_country_code": "SE",
    }
    return OrderCustomer(**{**fields, **changes})


def company(email: str = "inkop@blomsterhornan.se", number: str = "W7001", **changes: Any) -> OrderCustomer:
    fields: dict[str, Any] = {
        "customer_id": 7001,
        "customer_number": number,
        "is_company": True,
        "company_name": "Blomsterhörnan AB",
        "organisation_number": "5561234567",
        "vat_number": "SE556123456701",
        "first_name": "Göran",
        "last_name": "Sjögren",
        "email": email,
        "billing_address": "Kungsgatan 9",
        "billing_co": "Ekonomi",
        "billing_zip_code": "21120",
        "billing_city": "Malmö",
        "billing_country_code": "SE",
    }
    return OrderCustomer(**{**fields, **changes})


def order(
    number: str = "A1001",
    rows: tuple[OrderRow, ...] | None = None,
    *,
    customer: OrderCustomer | None = None,
    currency: str = "SEK",
    channel: int = 1,
    placed: datetime = PLACED,
    total: str | None = None,
    order_id: int | None = None,
    ship_to: ShipTo | None = None,
) -> JetshopOrder:
    """An order whose total is the sum of its rows unless ``total`` says otherwise."""
    rows = (row("1092-10", 2, "135.00"),) if rows is None else rows
    numbered = tuple(r.model_copy(update={"row_id": index}) for index, r in enumerate(rows, start=1))
    row_sum = sum((r.total_inc_vat for r in numbered), Decimal("0"))
    buyer = customer or private()
    return JetshopOrder(
        order_id=order_id if order_id is not None else int("".join(ch for ch in number if ch.isdigit()) or 1),
        order_number=number,
        channel_id=channel,
        order_date=placed,
        changed_date=placed,
        status_id=2,
        status_name="Processing",
        currency=currency,
        total_inc_vat=Decimal(total) if total is not None else row_sum,
        total_vat=Decimal("0"),
        customer_id=buyer.customer_id,
        email=buyer.email,
        customer=buyer,
        ship_to=ship_to
        or ShipTo(
            first_name=buyer.first_name,
            last_name=buyer.last_name,
            address="Ågatan 2",
            zip_code="90326",
            city="Umeå",
            country_code="SE",
        ),
        payment_method="Invoice",
        rows=numbered,
    )


def context(**changes: Any) -> MappingContext:
    """Tenant t1, shop alpha, channel 1 SEK "Sverige" and 2 NOK "Norge"."""
    base = MappingContext(
        tenant_id="t1",
        shop_id="alpha",
        channels={
            1: ChannelConfig(channel_id=1, currency="SEK", tag="Sverige"),
            2: ChannelConfig(channel_id=2, currency="NOK", tag="Norge"),
        },
        known_articles=ARTICLES,
    )
    return replace(base, **changes)


# --- plugins used by the plugin tests (importable as mapping_builders:…) -----------------------


def explode_for_order(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Raises for the order number in params, passes every other draft through."""
    if draft.key.order_number == params["order_number"]:
        raise RuntimeError("tenant rule crashed")
    return draft


def double_first_price(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Breaks the totals: the first line's price doubles."""
    first, *rest = draft.lines
    return draft.with_lines([{**first, "unitPrice": first["unitPrice"] * 2}, *rest])


def rename_order_number(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Changes the external reference (not allowed)."""
    return draft.with_invoice(customerOrderNumber="X" + draft.key.order_number)


def return_nothing(draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext) -> None:
    """Forgets to return the draft."""
    return None


def append_note(draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext) -> InvoiceDraft:
    """Adds a text line (changes the body, not the totals)."""
    return draft.with_lines([*draft.lines, {"lineType": "text", "description": params["text"]}])


def rename_without_declaring(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Renames the first article to one Hogia lacks, without an ``article_map`` declaration."""
    first, *rest = draft.lines
    return draft.with_lines([{**first, "articleNumber": "ghost"}, *rest])
