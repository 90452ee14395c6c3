"""Hogia simulator conformance: a transform draft is booked to the öre of what the customer paid.

The money rule's field cases (docs/MONEY.md) sent through the real transform and the simulator over HTTP;
split from test_hogia_invoices.py, whose ``create`` helper it uses.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from test_hogia_invoices import create

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, OrderCustomer, OrderRow, RowType
from jetshop_hogia.mapping import ChannelConfig, MappingContext, transform_orders
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle


@pytest.fixture(autouse=True)
def _no_rate_limit(hogia_sim: HogiaSimHandle) -> None:
    hogia_sim.set_rate_limit(None)


def _row(article: str, quantity: int, unit: str, rate: str, row_type: RowType = RowType.PRODUCT) -> OrderRow:
    price = Decimal(unit)
    return OrderRow(
        row_id=1,
        row_type=row_type,
        article_number=article,
        name=article,
        quantity=Decimal(quantity),
        unit_price_inc_vat=price,
        unit_price_ex_vat=(price / (1 + Decimal(rate))).quantize(Decimal("0.0001")),
        vat_rate=Decimal(rate),
        total_inc_vat=price * quantity,
    )


def _order(number: str, rows: tuple[OrderRow, ...]) -> JetshopOrder:
    placed = datetime(2026, 5, 4, 10, tzinfo=UTC)
    return JetshopOrder(
        order_id=1,
        order_number=number,
        channel_id=1,
        order_date=placed,
        changed_date=placed,
        status_id=2,
        status_name="Processing",
        currency="SEK",
        total_inc_vat=sum((r.total_inc_vat for r in rows), Decimal(0)),
        total_vat=Decimal(0),
        customer=OrderCustomer(first_name="Test", last_name="Kund", email="kund@example.se"),
        payment_method="Invoice",
        rows=rows,
    )


MONEY_CASES = {
    "M1": ((_row("7300", 9, "434.93", "0.25"),), Decimal("3914.37"), {25: Decimal("782.87")}),
    "M2": (
        (
            _row("5200", 3, "79.00", "0.06"),
            _row("fraktavg", 1, "49.00", "0.25", RowType.FREIGHT),
            _row("expavg", 1, "29.00", "0.25", RowType.PAYMENT_FEE),
        ),
        Decimal("315.00"),
        {25: Decimal("15.60"), 6: Decimal("13.42")},
    ),
}


@pytest.mark.parametrize("number", list(MONEY_CASES))
def test_a_transform_draft_is_booked_to_the_oere_of_what_was_paid(
    hogia_sim: HogiaSimHandle, number: str
) -> None:
    """The simulator books the money rule's lines: 9 × 434.93 = 3,914.37 (once billed 3,914.36) and
    3 × 79.00 at 6 % beside 25 % freight and fee (6 % VAT 13.42, once 13.41)."""
    rows, paid, vat_by_rate = MONEY_CASES[number]
    articles = frozenset({"7300", "5200", "fraktavg", "expavg", "rabatt"})
    context = MappingContext(
        "t1", "alpha", {1: ChannelConfig(channel_id=1, currency="SEK", tag="Sverige")}, articles
    )
    [draft] = transform_orders([_order(number, rows)], context).drafts
    body = json.loads(
        json.dumps(
            {**draft.body, "customerInvoice": {**draft.invoice, "customerNumber": "1001"}}, default=str
        )
    )

    invoice = create(hogia_sim, body)  # the first demo company rounds to whole kronor

    assert invoice.gross_amount - invoice.rounding_amount == paid
    assert {int(d.percent): d.amount for d in invoice.vat_distributions} == vat_by_rate
    assert invoice.rounding_amount == paid.quantize(Decimal(1), rounding=ROUND_HALF_UP) - paid
