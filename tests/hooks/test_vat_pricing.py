"""``jetshop_hogia.vat_pricing`` (ex ⇄ inc VAT for the IncVAT call) and the product codec's write side.

Properties are checked against independent arithmetic and against the simulator's own ex-VAT storage
rule, so the hook's conversion and what Jetshop stores cannot drift apart unnoticed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from jetshop_hogia import soap, vat_pricing
from jetshop_hogia.apimodel import jetshop_products_xml as codec
from jetshop_hogia.apimodel.jetshop_products import (
    CategoryState,
    PriceListRow,
    ProductCategory,
    ProductData,
    StockData,
)
from jetshop_hogia_simulators.jetshop import product_xml
from jetshop_hogia_simulators.jetshop.seeding import ex_vat as simulator_ex_vat

RATES = st.sampled_from([Decimal("0.25"), Decimal("0.12"), Decimal("0.06"), Decimal("0")])
PRICES = st.decimals(min_value=Decimal(0), max_value=Decimal(1_000_000), places=2)


@given(PRICES, RATES)
def test_inc_vat_is_the_exact_price_rounded_half_up_to_whole_units(price: Decimal, rate: Decimal) -> None:
    whole = vat_pricing.price_inc_vat_whole(price, rate)
    assert isinstance(whole, int)
    assert whole == int((price * (1 + rate)).to_integral_value(ROUND_HALF_UP))
    assert abs(vat_pricing.rounding_difference(price, rate)) <= Decimal("0.5")


@given(PRICES, PRICES, RATES)
def test_rounding_keeps_price_order(first: Decimal, second: Decimal, rate: Decimal) -> None:
    low, high = sorted((first, second))
    assert vat_pricing.price_inc_vat_whole(low, rate) <= vat_pricing.price_inc_vat_whole(high, rate)


@given(st.integers(min_value=-1, max_value=10_000_000), RATES)
def test_stored_ex_vat_predicts_what_jetshop_stores(price_inc_vat: int, rate: Decimal) -> None:
    stored = vat_pricing.stored_ex_vat(price_inc_vat, rate)
    assert stored == simulator_ex_vat(Decimal(price_inc_vat), rate)
    expected_campaign = None if price_inc_vat == vat_pricing.NO_CAMPAIGN_INC_VAT else stored
    assert vat_pricing.campaign_from_stored(stored) == expected_campaign


def test_no_campaign_is_minus_one_and_reads_back_as_none() -> None:
    assert vat_pricing.campaign_inc_vat_whole(None, Decimal("0.25")) == -1
    assert vat_pricing.campaign_inc_vat_whole(Decimal("63.70"), Decimal("0.25")) == 80
    assert vat_pricing.stored_ex_vat(-1, Decimal("0.25")) == Decimal("-0.8000")  # the live quirk (FACT)
    for stored in (Decimal("-1.0000"), Decimal("-0.8000"), None):
        assert vat_pricing.campaign_from_stored(stored) is None
    assert vat_pricing.campaign_from_stored(Decimal("0")) == Decimal("0")
    assert vat_pricing.vat_rate_from_percent(25) == Decimal("0.25")


@pytest.mark.parametrize(
    ("price", "rate", "error"),
    [
        (99.5, Decimal("0.25"), TypeError),
        (Decimal("99.5"), 0.25, TypeError),
        (Decimal("99.5"), Decimal("25"), ValueError),
        (Decimal("-1"), Decimal("0.25"), ValueError),
        (Decimal("NaN"), Decimal("0.25"), ValueError),
    ],
)
def test_floats_percents_and_negative_prices_are_refused(price: object, rate: object, error: type) -> None:
    with pytest.raises(error):
        vat_pricing.price_inc_vat_whole(price, rate)  # type: ignore[arg-type]


def test_price_rows_take_whole_units_only() -> None:
    row = PriceListRow.from_ex_vat(
        "A-1", "bdd640fb-0667-4ad1-9c80-317fa3b1799d", price_ex_vat=Decimal("79.60"), vat_rate=Decimal("0.25")
    )
    assert (row.price_inc_vat, row.discounted_price_inc_vat) == (100, -1)
    with pytest.raises(ValidationError):
        PriceListRow(article_number="A-1", price_list_id=row.price_list_id, price_inc_vat=Decimal("99.5"))
    with pytest.raises(ValidationError):
        PriceListRow(article_number="A-1", price_list_id="not-a-guid", price_inc_vat=1)


def test_written_product_data_is_read_by_the_simulator_as_sent() -> None:
    delivery = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    product = ProductData(
        article_number="A-1",
        culture="nb-NO",
        name="Vase",
        price=Decimal("98.4"),
        discounted_price=Decimal("-1"),
        vat=Decimal("0.25"),
        hide_product=False,
        stock=StockData(new_stock_count=4, delivery_date=delivery),
        categories=(ProductCategory(category_id=151, state=CategoryState.DELETE_CONNECTION),),
        product_id=99,  # read-only: never sent
    )
    node = soap.children(codec.encode_products([product]), "ProductData")[0]
    assert soap.child(node, "ProductId") is None
    assert soap.text(node, "Vat") == "0.25000000"
    decoded = product_xml.decode_product(node)
    assert (decoded.article_number, decoded.culture, decoded.texts) == ("A-1", "nb-NO", {"name": "Vase"})
    assert decoded.price == {"price": Decimal("98.4"), "discounted_price": Decimal("-1")}
    assert decoded.product == {"vat": Decimal("0.25"), "hide_product": False}
    assert decoded.stock is not None
    assert (decoded.stock.new_stock_count, decoded.stock.delivery_date) == (4, delivery)
    assert [(c.category_id, c.delete) for c in decoded.categories] == [(151, True)]
    unset = soap.children(codec.encode_products([ProductData(article_number="A-2")]), "ProductData")[0]
    assert [soap.local_name(child) for child in unset] == ["ArticleNumber"], "only set fields are sent"
