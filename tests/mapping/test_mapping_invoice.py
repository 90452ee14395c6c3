"""Invoice drafts: lines, VAT rates, discounts, freight and fees, currency, channel tag, rounding."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mapping_builders import (
    STOCKHOLM,
    company,
    context,
    freight,
    order,
    order_discount,
    payment_fee,
    row,
)

from jetshop_hogia.mapping import (
    CustomerCreate,
    RoundingMode,
    VatRounding,
    hogia_totals,
    transform_orders,
)


def _only_draft(*orders, **context_changes):  # type: ignore[no-untyped-def]
    result = transform_orders(list(orders), context(**context_changes))
    assert not result.quarantined, [q.describe() for q in result.quarantined]
    return result.drafts[0] if len(result.drafts) == 1 else result.drafts


def _line_amount(line: dict) -> Decimal:  # type: ignore[type-arg]
    return (line["quantity"] * line["unitPrice"] - line["discountAmount"]).quantize(Decimal("0.01"))


def test_header_carries_order_number_dates_references_currency_and_tag() -> None:
    placed = datetime(2026, 11, 30, 23, 50, tzinfo=STOCKHOLM)
    draft = _only_draft(
        order("A1001", placed=placed), our_reference="Webbshop", payment_terms_days=20, sequence_id="S1"
    )

    assert draft.body["sequenceId"] == "S1"
    assert draft.invoice == {
        "customerNumber": "",
        "invoiceDate": "2026-11-30",
        "invoiceExpirationDate": "2026-12-20",
        "customerOrderNumber": "A1001",
        "yourReference": "Åsa Öberg",
        "ourReference": "Webbshop",
        "currency": {"code": "SEK"},
        "channelTag": "alpha/Sverige",
    }
    assert draft.key == ("t1", "alpha", "A1001")
    assert draft.order_id == 1001


def test_the_four_rates_become_lines_with_their_percent_and_exact_totals() -> None:
    rows = (
        row("1092-10", 2, "135.00", "0.25"),
        row("4100", 3, "89.90", "0.12"),
        row("5200", 1, "199.00", "0.06"),
        row("6000", 1, "500.00", "0"),
    )
    draft = _only_draft(order("A1001", rows, placed=datetime(2026, 3, 31, 23, 30, tzinfo=STOCKHOLM)))

    assert [(line["articleNumber"], line["vatPercent"], line["quantity"]) for line in draft.lines] == [
        ("1092-10", 25, 2),
        ("4100", 12, 3),
        ("5200", 6, 1),
        ("6000", 0, 1),
    ]
    by_rate = {rate.percent: rate for rate in draft.expected.vat_by_rate}
    assert set(by_rate) == {25, 12, 6, 0}
    assert by_rate[25].net + by_rate[25].vat == Decimal("270.00")
    assert by_rate[12].net + by_rate[12].vat == Decimal("269.70")
    assert by_rate[6].net + by_rate[6].vat == Decimal("199.00")
    assert (by_rate[0].net, by_rate[0].vat) == (Decimal("500.00"), 0)
    assert draft.expected.gross_before_rounding == draft.order_total == Decimal("1238.70")
    assert all(line["unitPrice"] == line["unitPrice"].quantize(Decimal("0.01")) for line in draft.lines)


def test_food_is_invoiced_at_six_percent_from_april_2026() -> None:
    before = order(
        "A1", (row("4100", 1, "89.90", "0.12"),), placed=datetime(2026, 3, 31, 22, tzinfo=STOCKHOLM)
    )
    after = order(
        "A2", (row("4100", 1, "84.80", "0.06"),), placed=datetime(2026, 4, 1, 0, 30, tzinfo=STOCKHOLM)
    )
    first, second = _only_draft(before, after)

    assert (first.invoice["invoiceDate"], first.lines[0]["vatPercent"]) == ("2026-03-31", 12)
    assert (second.invoice["invoiceDate"], second.lines[0]["vatPercent"]) == ("2026-04-01", 6)
    assert first.expected.gross_before_rounding == Decimal("89.90")
    assert second.expected.gross_before_rounding == Decimal("84.80")


def test_freight_fee_and_order_discount_use_the_helper_articles() -> None:
    rows = (row("1092-10", 1, "135.00"), freight("49.00"), payment_fee("29.00"), order_discount("-20.00"))
    draft = _only_draft(order("A1001", rows))

    freight_line, fee_line, discount_line = draft.lines[1:]
    assert (freight_line["articleNumber"], freight_line["description"], freight_line["unitPrice"]) == (
        "fraktavg",
        "Frakt",
        Decimal("39.20"),
    )
    assert (fee_line["articleNumber"], fee_line["unitPrice"]) == ("expavg", Decimal("23.20"))
    # a discount is a credit of the rabatt article: negative quantity, positive price ex VAT
    assert (discount_line["articleNumber"], discount_line["quantity"], discount_line["unitPrice"]) == (
        "rabatt",
        -1,
        Decimal("16.00"),
    )
    assert discount_line["discountAmount"] == 0
    assert draft.expected.gross_before_rounding == Decimal("193.00")


def test_a_row_discount_shows_as_the_line_discount_ex_vat() -> None:
    draft = _only_draft(order("A1001", (row("1092-10", 2, "135.00", discount="25.00"),)))

    (line,) = draft.lines
    assert line["unitPrice"] == Decimal("108.00")  # the list price ex VAT
    assert line["discountAmount"] == Decimal("20.00")  # 25.00 incl. VAT
    assert _line_amount(line) == Decimal("196.00")
    assert draft.expected.gross_before_rounding == Decimal("245.00")


def test_unit_prices_that_do_not_divide_put_the_remainder_in_the_discount() -> None:
    """3 × 54.99 incl. 6 % = 164.97 = net 155.63 + VAT 9.34; 155.63 / 3 is not whole öre."""
    draft = _only_draft(
        order("A1001", (row("4101", 3, "54.99", "0.06"),)), known_articles=frozenset({"4101"})
    )

    (line,) = draft.lines
    assert (line["quantity"], line["unitPrice"], line["discountAmount"]) == (
        3,
        Decimal("51.88"),
        Decimal("0.01"),
    )
    assert _line_amount(line) == Decimal("155.63")
    assert draft.expected.vat == Decimal("9.34")
    assert draft.expected.gross_before_rounding == Decimal("164.97")


def test_norwegian_channel_invoices_in_nok_with_its_tag() -> None:
    draft = _only_draft(order("A1001", (row("1092-10", 1, "141.75"),), currency="NOK", channel=2))

    assert draft.invoice["currency"] == {"code": "NOK"}
    assert draft.invoice["channelTag"] == "alpha/Norge"
    assert draft.expected.currency == "NOK"
    assert isinstance(draft.customer, CustomerCreate)
    assert draft.customer.contact["customer"]["selectedCurrencyCode"] == "NOK"


def test_multishop_tags_follow_the_shop_and_channel() -> None:
    drafts = _only_draft(
        order("A1", channel=1),
        order("A2", (row("1092-10", 1, "141.75"),), currency="NOK", channel=2),
        shop_id="beta",
    )

    assert [d.invoice["channelTag"] for d in drafts] == ["beta/Sverige", "beta/Norge"]
    assert [d.key.shop_id for d in drafts] == ["beta", "beta"]


def test_whole_krona_rounding_follows_the_company_setting() -> None:
    rows = (row("1092-10", 1, "412.49"),)
    none = _only_draft(order("A1", rows))
    whole = _only_draft(order("A1", rows), rounding_mode=RoundingMode.WHOLE_KRONA)
    half = _only_draft(order("A2", (row("1092-10", 1, "412.50"),)), rounding_mode=RoundingMode.WHOLE_KRONA)
    euro = _only_draft(
        order("A3", rows), rounding_mode=RoundingMode.WHOLE_KRONA, rounding_currencies=frozenset({"NOK"})
    )

    assert (none.expected.rounding_amount, none.expected.gross) == (0, Decimal("412.49"))
    assert (whole.expected.rounding_amount, whole.expected.gross) == (Decimal("-0.49"), Decimal("412.00"))
    assert (half.expected.rounding_amount, half.expected.gross) == (Decimal("0.50"), Decimal("413.00"))
    assert euro.expected.rounding_amount == 0


def test_company_invoice_references_the_buyer() -> None:
    draft = _only_draft(order("A1001", customer=company()))
    assert draft.invoice["yourReference"] == "Göran Sjögren"
    no_person = _only_draft(order("A1002", customer=company(first_name=None, last_name=None)))
    assert no_person.invoice["yourReference"] == "Blomsterhörnan AB"


def test_expected_totals_are_what_hogia_computes_from_the_body_in_both_vat_modes() -> None:
    rows = (
        row("1092-10", 3, "33.33"),
        row("7300", 7, "64.90", discount="3.33"),
        row("4100", 2, "89.99", "0.06"),
        freight("49.00"),
        order_discount("-12.34"),
    )
    for mode in VatRounding:
        draft = _only_draft(order("A1001", rows), vat_rounding=mode, rounding_mode=RoundingMode.WHOLE_KRONA)
        assert draft.expected == hogia_totals(
            draft.lines, currency="SEK", whole_krona=True, vat_rounding=mode
        )
        assert abs(draft.expected.gross_before_rounding - draft.order_total) <= Decimal("0.01")
        assert draft.expected.as_hogia()["grossAmount"] == draft.expected.gross


def test_payload_hash_is_stable_and_changes_with_the_content() -> None:
    first = _only_draft(order("A1001"))
    again = _only_draft(order("A1001"))
    changed = _only_draft(order("A1001", (row("1092-10", 3, "135.00"),)))

    assert first.payload_hash == again.payload_hash
    assert len(first.payload_hash) == 64
    assert changed.payload_hash != first.payload_hash
