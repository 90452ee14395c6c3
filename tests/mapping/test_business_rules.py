"""The one-home business rules on their own: VAT rates on a day, and Hogia's invoice totals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jetshop_hogia.apimodel.hogia_amounts import LineFigures, RoundingMode, invoice_totals
from jetshop_hogia.vat import VAT_TABLE, VatClass, percents_on, rates_on, vat_rate

D = Decimal


def test_rates_on_gives_all_four_rates_on_every_day_of_the_food_cut_and_around_it() -> None:
    for day in (date(2026, 3, 31), date(2026, 4, 1), date(2027, 1, 15), date(2027, 12, 31), date(2028, 1, 1)):
        assert rates_on(day) == {D("0.25"), D("0.12"), D("0.06"), D("0")}
        assert percents_on(day) == {25, 12, 6, 0}
    assert vat_rate(VatClass.FOOD, date(2026, 4, 1)) == D("0.06")
    assert vat_rate(VatClass.HOSPITALITY, date(2026, 4, 1)) == D("0.12")


def test_rates_on_is_empty_before_the_table_and_only_gives_table_rates() -> None:
    assert rates_on(date(1990, 6, 30)) == frozenset()
    assert rates_on(date(1990, 7, 1)) == {D("0.25"), D("0.12"), D("0.06"), D("0")}


@given(st.dates(min_value=date(1990, 7, 1), max_value=date(2200, 12, 31)))
def test_rates_on_is_the_union_of_each_class_rate_that_day(day: date) -> None:
    assert rates_on(day) == {vat_rate(klass, day) for klass in {row[0] for row in VAT_TABLE}}
    assert rates_on(day) == rates_on(day + timedelta(0))  # cached answers are the same answers


def test_invoice_totals_rounds_each_line_then_sums_vat_per_rate() -> None:
    lines = [
        LineFigures(D(1), D("2.675"), D(0), D(25)),  # 2.68, VAT 0.67
        LineFigures(D(3), D("0.335"), D(0), D(25)),  # 1.01 (1.005 half-up), VAT 0.25
        LineFigures(D(2), D("100"), D("10.50"), D(12)),  # 189.50, VAT 22.74
        LineFigures(D(1), D("500"), D(0), D(0)),
    ]
    totals = invoice_totals(lines, RoundingMode.NONE)
    assert [(r.percent, r.net, r.vat) for r in totals.by_rate] == [
        (D(25), D("3.69"), D("0.92")),
        (D(12), D("189.50"), D("22.74")),
        (D(0), D("500.00"), D("0.00")),
    ]
    assert (totals.net, totals.vat, totals.rounding, totals.gross) == (
        D("693.19"),
        D("23.66"),
        D("0.00"),
        D("716.85"),
    )
    rounded = invoice_totals(lines, RoundingMode.WHOLE_KRONA)
    assert (rounded.rounding, rounded.gross) == (D("0.15"), D("717.00"))
    per_rate = invoice_totals(lines, RoundingMode.NONE, vat_per_rate=True)
    assert per_rate.by_rate[0].vat == D("0.92")  # round(3.69 × 0.25) = 0.9225 → 0.92


@given(
    st.lists(
        st.tuples(st.integers(-5, 30), st.integers(0, 10**7), st.sampled_from([25, 12, 6, 0])),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(list(RoundingMode)),
)
def test_invoice_totals_add_up_and_round_within_half_a_krona(
    raw: list[tuple[int, int, int]], mode: RoundingMode
) -> None:
    lines = [LineFigures(D(q), D(price).scaleb(-2), D(0), D(p)) for q, price, p in raw]
    totals = invoice_totals(lines, mode)
    assert totals.net == sum(r.net for r in totals.by_rate)
    assert totals.vat == sum(r.vat for r in totals.by_rate)
    assert totals.gross == totals.net + totals.vat + totals.rounding
    assert abs(totals.rounding) <= D("0.50")
    if mode is RoundingMode.WHOLE_KRONA:
        assert totals.gross == totals.gross.to_integral_value()
    else:
        assert totals.rounding == 0
