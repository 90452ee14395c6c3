"""The Hogia MODEL codecs shared by simulator and hook: amounts, rounding, OCR, wire conventions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jetshop_hogia.apimodel.hogia_smart import (
    Article,
    BusinessError,
    ContactFields,
    CustomerInvoiceCreate,
    InvoiceLine,
    InvoiceLineCreate,
    ProblemDetails,
    RoundingMode,
    compute_totals,
    ex_vat_price,
    is_valid_ocr,
    line_amounts,
    make_ocr,
    parse_error_body,
    price_line,
    vat_code_periods,
    vat_percent,
)


def luhn_ok(digits: str) -> bool:
    """An independent Luhn check (sum of digits with every second from the right doubled)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value // 10 + value % 10
    return total % 10 == 0


@pytest.mark.parametrize("number", [1, 7, 10001, 10002, 99999, 1234567890])
def test_ocr_is_number_then_length_digit_then_luhn_digit(number: int) -> None:
    ocr = make_ocr(number)
    assert ocr.startswith(str(number))
    assert len(ocr) == len(str(number)) + 2
    assert int(ocr[-2]) == len(ocr) % 10
    assert luhn_ok(ocr)
    assert is_valid_ocr(ocr)


@given(st.integers(min_value=0, max_value=10**12), st.data())
def test_ocr_detects_any_single_digit_error(number: int, data: st.DataObject) -> None:
    ocr = make_ocr(number)
    position = data.draw(st.integers(min_value=0, max_value=len(ocr) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != ocr[position]]))
    assert is_valid_ocr(ocr)
    assert not is_valid_ocr(ocr[:position] + wrong + ocr[position + 1 :])


def test_line_amounts_round_half_up_per_line_in_decimal() -> None:
    assert line_amounts(Decimal(1), Decimal("2.675"), Decimal(0), Decimal(25)) == (
        Decimal("2.68"),
        Decimal("0.67"),
    )
    assert line_amounts(Decimal(3), Decimal("0.335"), Decimal(0), Decimal(6)) == (
        Decimal("1.01"),
        Decimal("0.06"),
    )
    # a credit mirrors its invoice: half-up is away from zero
    assert line_amounts(Decimal(-1), Decimal("2.675"), Decimal(0), Decimal(25)) == (
        Decimal("-2.68"),
        Decimal("-0.67"),
    )
    assert line_amounts(Decimal(2), Decimal("100"), Decimal("10.50"), Decimal(12)) == (
        Decimal("189.50"),
        Decimal("22.74"),
    )


def test_ex_vat_price_is_inc_vat_divided_by_one_plus_rate_in_oere() -> None:
    assert ex_vat_price(Decimal("89.90"), Decimal(12)) == Decimal("80.27")
    assert ex_vat_price(Decimal("89.90"), Decimal(6)) == Decimal("84.81")
    assert ex_vat_price(Decimal("135.00"), Decimal(25)) == Decimal("108.00")


line_strategy = st.builds(
    lambda q, p, r: price_line(
        InvoiceLineCreate(article_number="x", quantity=q, unit_price=p, vat_percent=r)
    ),
    st.integers(min_value=-5, max_value=20).map(Decimal),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(25), Decimal(12), Decimal(6), Decimal(0)]),
)


@given(st.lists(line_strategy, min_size=1, max_size=8))
def test_totals_add_up_and_whole_krona_rounds_only_the_gross_total(lines: list[InvoiceLine]) -> None:
    plain = compute_totals(lines, RoundingMode.NONE)
    rounded = compute_totals(lines, RoundingMode.WHOLE_KRONA)
    assert plain.net_amount == sum(line.line_amount for line in lines)
    assert plain.vat_amount == sum(line.vat_amount for line in lines)
    assert plain.rounding_amount == 0
    assert plain.gross_amount == plain.net_amount + plain.vat_amount
    assert (rounded.net_amount, rounded.vat_amount) == (plain.net_amount, plain.vat_amount)
    assert rounded.gross_amount == rounded.gross_amount.to_integral_value()
    assert abs(rounded.rounding_amount) <= Decimal("0.50")
    assert rounded.gross_amount == plain.gross_amount + rounded.rounding_amount
    assert sum(d.net_amount for d in plain.vat_distributions) == plain.net_amount
    assert sum(d.amount for d in plain.vat_distributions) == plain.vat_amount
    assert len({d.percent for d in plain.vat_distributions}) == len(plain.vat_distributions)


def test_whole_krona_rounds_half_up() -> None:
    def gross(unit_price: str, mode: RoundingMode) -> tuple[Decimal, Decimal]:
        line = price_line(
            InvoiceLineCreate(article_number="x", quantity=1, unit_price=Decimal(unit_price), vat_percent=0)
        )
        totals = compute_totals([line], mode)
        return totals.gross_amount, totals.rounding_amount

    assert gross("10.50", RoundingMode.WHOLE_KRONA) == (Decimal(11), Decimal("0.50"))
    assert gross("10.49", RoundingMode.WHOLE_KRONA) == (Decimal(10), Decimal("-0.49"))
    assert gross("10.49", RoundingMode.NONE) == (Decimal("10.49"), Decimal(0))


def test_vat_codes_follow_the_dated_table() -> None:
    assert vat_percent("MP2", date(2026, 3, 31)) == 12
    assert vat_percent("MP2", date(2026, 4, 1)) == 6
    assert vat_percent("MP2", date(2027, 12, 31)) == 6
    assert vat_percent("MP2", date(2028, 1, 1)) == 12
    assert vat_percent("MP1", date(2026, 4, 1)) == 25
    assert vat_percent("MF", date(2026, 4, 1)) == 0
    with pytest.raises(KeyError):
        vat_percent("XX", date(2026, 4, 1))
    assert vat_percent("MP2R", date(2026, 4, 1)) == 12  # hotels and restaurants keep 12 % in the food cut
    assert {row[0] for row in vat_code_periods()} == {"MP1", "MP2", "MP2R", "MP3", "MF"}


def test_numbers_sent_as_strings_are_accepted_and_sent_back_as_numbers() -> None:
    article = Article.model_validate(
        {
            "id": "3f2b0c1e-0000-4000-8000-000000000001",
            "version": "2",
            "rowVersion": "17",
            "createdDate": "2026-03-29T01:30:00",
            "updatedDate": "2026-03-29T03:30:00",
            "number": "4100",
            "name": "Kaffe",
            "prices": [{"price": "84.81", "currencyCode": "SEK"}],
            "stockBalance": "12.5",
        }
    )
    assert article.prices[0].price == Decimal("84.81")
    assert article.row_version == 17
    wire = json.loads(article.model_dump_json(by_alias=True))
    assert wire["prices"][0]["price"] == 84.81
    assert wire["stockBalance"] == 12.5
    assert wire["rowVersion"] == 17


def test_times_are_aware_utc_inside_and_naive_stockholm_on_the_wire() -> None:
    article = Article(
        id="x",
        row_version=1,
        created_date=datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30 CET, before the DST switch
        updated_date=datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30 CEST, after it
        number="1",
        name="n",
    )
    wire = article.wire()
    assert wire["createdDate"] == "2026-03-29T01:30:00"
    assert wire["updatedDate"] == "2026-03-29T03:30:00"
    back = Article.model_validate(wire)
    assert back.created_date == article.created_date
    assert back.updated_date.tzinfo is not None


def test_snake_case_in_python_camel_case_on_the_wire() -> None:
    contact = ContactFields(given_name="Åsa", sur_name="Öberg", organisation_number=None)
    assert set(contact.wire()) >= {"givenName", "surName", "organisationNumber", "isCompany", "countryCode"}
    assert ContactFields.model_validate({"givenName": "Åsa"}).given_name == "Åsa"
    with pytest.raises(ValueError, match="companyName or givenName"):
        ContactFields(email="a@example.se")


def test_invoice_create_body_rules() -> None:
    body = {
        "sequenceId": 1,
        "customerInvoice": {
            "customerNumber": "1001",
            "invoiceDate": "2026-05-01",
            "currency": {"code": "SEK"},
        },
        "invoiceLines": [
            {"articleNumber": "4100", "quantity": 2},
            {"lineType": "text", "description": "Hej"},
        ],
    }
    parsed = CustomerInvoiceCreate.model_validate(body)
    assert parsed.invoice_lines[0].unit_price is None
    with pytest.raises(ValueError, match="articleNumber and quantity"):
        InvoiceLineCreate.model_validate({"lineType": "article", "articleNumber": "4100"})
    with pytest.raises(ValueError, match="at least 1"):
        CustomerInvoiceCreate.model_validate({**body, "invoiceLines": []})
    with pytest.raises(ValueError, match="decimal places"):
        InvoiceLineCreate.model_validate({"articleNumber": "x", "quantity": 1, "discountAmount": "1.005"})


def test_error_bodies_are_classified_into_the_three_shapes() -> None:
    assert parse_error_body("Entity not found") == "Entity not found"
    array = parse_error_body([{"errorCode": "X", "errorScopeId": None, "message": "m", "sequentialId": 1}])
    assert isinstance(array, list)
    assert isinstance(array[0], BusinessError)
    problem = parse_error_body({"title": "t", "status": 400, "errors": {"a": ["b"]}, "traceId": "00-1"})
    assert isinstance(problem, ProblemDetails)
    assert problem.errors == {"a": ["b"]}
    assert parse_error_body({"unexpected": True}) is None
