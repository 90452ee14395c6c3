"""Property tests: for any valid order the invoice adds up the way the shop and Hogia both expect."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mapping_builders import STOCKHOLM, context, freight, order, order_discount, payment_fee, private, row

from jetshop_hogia.apimodel.hogia_smart import InvoiceLineCreate, compute_totals, price_line
from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder
from jetshop_hogia.mapping import RoundingMode, VatRounding, hogia_totals, transform_orders
from jetshop_hogia.mapping.rounding import div_round_half_up, round_whole_krona
from jetshop_hogia.vat import VatClass, vat_rate

CENT = Decimal("0.01")
# each example is a whole batch (up to 8 orders, ~50 ms of pandas set-up): few examples, many orders
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ARTICLE_BY_CLASS = {
    VatClass.STANDARD: "1092-10",
    VatClass.FOOD: "4100",
    VatClass.HOSPITALITY: "4500",
    VatClass.REDUCED: "5200",
    VatClass.EXEMPT: "6000",
}


def _ore(value: int) -> str:
    return str(Decimal(value).scaleb(-2))


@st.composite
def product_rows(draw: st.DrawFn, on: date) -> Any:
    klass = draw(st.sampled_from(list(VatClass)))
    fractional = draw(st.booleans()) and draw(st.booleans())
    quantity = (
        Decimal(draw(st.integers(1, 20_000))).scaleb(-3) if fractional else Decimal(draw(st.integers(1, 25)))
    )
    unit = Decimal(draw(st.integers(1, 2_000_000))).scaleb(-2)
    gross = (quantity * unit).quantize(CENT, rounding=ROUND_HALF_UP)
    discount = (
        Decimal(draw(st.integers(0, int(gross * 100)))).scaleb(-2) if draw(st.booleans()) else Decimal(0)
    )
    return row(ARTICLE_BY_CLASS[klass], str(quantity), str(unit), str(vat_rate(klass, on)), str(discount))


@st.composite
def valid_orders(draw: st.DrawFn, number: str) -> JetshopOrder:
    placed = datetime(2025, 6, 1, tzinfo=STOCKHOLM) + timedelta(
        minutes=draw(st.integers(0, 3 * 365 * 24 * 60))
    )
    rows = draw(st.lists(product_rows(placed.date()), min_size=1, max_size=6))
    if draw(st.booleans()):
        rows.append(freight(_ore(draw(st.integers(0, 20_000)))))
    if draw(st.booleans()):
        rows.append(payment_fee(_ore(draw(st.integers(0, 5_000)))))
    goods_25 = sum((r.total_inc_vat for r in rows if r.vat_rate == Decimal("0.25")), Decimal(0))
    if goods_25 > 0 and draw(st.booleans()):
        rows.append(order_discount(_ore(-draw(st.integers(1, int(goods_25 * 100))))))
    total = sum((r.total_inc_vat for r in rows), Decimal(0)) + Decimal(
        draw(st.sampled_from([0, 0, 0, 1, -1]))
    ).scaleb(-2)
    norway = draw(st.booleans())
    return order(
        number,
        tuple(rows),
        placed=placed,
        currency="NOK" if norway else "SEK",
        channel=2 if norway else 1,
        total=str(total),
        customer=private(email=f"k{number}@example.se"),
    )


@st.composite
def batches(draw: st.DrawFn, largest: int = 8) -> list[JetshopOrder]:
    count = draw(st.integers(1, largest))
    return [draw(valid_orders(f"A{index}")) for index in range(count)]


@SETTINGS
@given(
    batch=batches(),
    rounding=st.sampled_from(list(RoundingMode)),
    vat_rounding=st.sampled_from(list(VatRounding)),
)
def test_drafts_add_up_to_the_order_total(
    batch: list[JetshopOrder], rounding: RoundingMode, vat_rounding: VatRounding
) -> None:
    ctx = context(rounding_mode=rounding, vat_rounding=vat_rounding)
    result = transform_orders(batch, ctx)

    assert not result.quarantined, [q.describe() for q in result.quarantined]
    assert [d.key.order_number for d in result.drafts] == [o.order_number for o in batch]
    for source, draft in zip(batch, result.drafts, strict=True):
        expected = draft.expected
        if vat_rounding is VatRounding.PER_LINE:  # the money rule (docs/MONEY.md): to the öre
            assert expected.gross_before_rounding == source.total_inc_vat
        assert abs(expected.gross_before_rounding - source.total_inc_vat) <= CENT
        assert expected == hogia_totals(
            draft.lines,
            currency=source.currency,
            whole_krona=rounding is RoundingMode.WHOLE_KRONA,
            vat_rounding=vat_rounding,
        )
        if vat_rounding is VatRounding.PER_LINE:  # the MODEL's own arithmetic (apimodel.hogia_smart)
            lines = [price_line(InvoiceLineCreate.model_validate(line)) for line in draft.lines]
            assert compute_totals(lines, rounding).gross_amount == expected.gross
        assert sum(r.vat for r in expected.vat_by_rate) == expected.vat
        assert sum(r.net for r in expected.vat_by_rate) == expected.net
        assert expected.net + expected.vat == expected.gross_before_rounding
        assert expected.gross == expected.gross_before_rounding + expected.rounding_amount
        if rounding is RoundingMode.WHOLE_KRONA:
            assert Decimal("-0.50") < expected.rounding_amount <= Decimal("0.50")
            assert expected.gross == round_whole_krona(
                source.total_inc_vat
            )  # the customer pays the same krona
        else:
            assert expected.rounding_amount == 0
        _assert_vat_close_to_exact(source, draft.expected, len(draft.lines), vat_rounding)
        for line in draft.lines:
            for field in ("unitPrice", "discountAmount"):
                assert line[field] >= 0
                assert line[field] == line[field].quantize(CENT)
            assert (line["quantity"] < 0) == (line["articleNumber"] == "rabatt")


def _assert_vat_close_to_exact(
    source: JetshopOrder, expected: Any, lines: int, vat_rounding: VatRounding
) -> None:
    """VAT per rate vs the exact VAT in the shop's totals: within an öre per rounding unit."""
    exact = sum((r.total_inc_vat * r.vat_rate / (1 + r.vat_rate) for r in source.rows), Decimal(0))
    units = len(expected.vat_by_rate) if vat_rounding is VatRounding.PER_RATE else lines
    assert abs(expected.vat - exact) <= CENT * units + CENT  # + the ≤ 1 öre order/rows gap


@settings(SETTINGS, max_examples=15)
@given(batch=batches(largest=4))
def test_a_batch_maps_each_order_as_if_it_were_alone(batch: list[JetshopOrder]) -> None:
    together = transform_orders(batch, context()).drafts
    alone = [transform_orders([one], context()).drafts[0] for one in batch]
    assert [d.body for d in together] == [d.body for d in alone]
    assert [d.expected for d in together] == [d.expected for d in alone]


@given(st.lists(st.tuples(st.integers(-(10**15), 10**15), st.integers(1, 10**6)), min_size=1, max_size=50))
def test_integer_half_up_division_matches_decimal(pairs: list[tuple[int, int]]) -> None:
    numerators = np.array([n for n, _ in pairs], dtype=np.int64)
    denominators = np.array([d for _, d in pairs], dtype=np.int64)
    expected = [int((Decimal(n) / Decimal(d)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for n, d in pairs]
    assert div_round_half_up(numerators, denominators).tolist() == expected
