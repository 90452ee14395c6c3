"""Hogia simulator conformance: customer invoices — creation, no idempotency, numbers, OCR, VAT, rounding."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from jetshop_hogia.apimodel.hogia_smart import Company, CustomerInvoice, missing_modules
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle


@pytest.fixture(autouse=True)
def _no_rate_limit(hogia_sim: HogiaSimHandle) -> None:
    """Many calls per test; the limit is tested with a small window in test_hogia_auth."""
    hogia_sim.set_rate_limit(None)


def invoice_body(
    lines: list[dict[str, Any]], *, order: str = "A1001", day: str = "2026-05-04"
) -> dict[str, Any]:
    return {
        "sequenceId": 1,
        "customerInvoice": {
            "customerNumber": "1001",
            "invoiceDate": day,
            "customerOrderNumber": order,
            "yourReference": "Märta",
            "currency": {"code": "SEK"},
            "channelTag": "webshop",
        },
        "invoiceLines": lines,
    }


def create(sim: HogiaSimHandle, body: dict[str, Any], company: DemoCompany | None = None) -> CustomerInvoice:
    response = sim.api("POST", "customerinvoices", json=body, company=company)
    assert response.status_code == 201, response.text
    invoice_id = response.json()
    assert isinstance(invoice_id, str)
    read = sim.api("GET", f"customerinvoices/{invoice_id}", company=company)
    assert read.status_code == 200
    return CustomerInvoice.model_validate(read.json())


def article_price(sim: HogiaSimHandle, number: str) -> Decimal:
    [article] = sim.api("GET", "articles", params={"number": number}).json()
    return Decimal(str(article["prices"][0]["price"]))


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value // 10 + value % 10
    return total % 10 == 0


def test_create_answers_a_bare_guid_and_the_read_model_has_everything(hogia_sim: HogiaSimHandle) -> None:
    response = hogia_sim.api(
        "POST", "customerinvoices", json=invoice_body([{"articleNumber": "7300", "quantity": 2}])
    )
    assert response.status_code == 201
    assert uuid.UUID(response.json())
    raw = hogia_sim.api("GET", f"customerinvoices/{response.json()}").json()
    assert set(raw["invoiceHeader"]) >= {
        "invoiceNumber",
        "ocr",
        "customerNumber",
        "customerOrderNumber",
        "invoiceDate",
        "invoiceExpirationDate",
        "currencyCode",
        "channelTag",
    }
    assert set(raw) >= {
        "invoiceLines",
        "netAmount",
        "vatAmount",
        "roundingAmount",
        "grossAmount",
        "vatDistributions",
        "isDelivered",
        "deliveredDate",
        "trackingNumber",
        "isBilled",
        "isCustomerPaid",
        "isCanceled",
        "isClosed",
        "amountLeftToPay",
        "statusChangedDate",
    }
    assert set(raw["invoiceLines"][0]) >= {"lineAmount", "vatAmount", "unitPrice", "vatPercent", "quantity"}
    assert isinstance(raw["grossAmount"], int | float), "money is a JSON number"
    invoice = CustomerInvoice.model_validate(raw)
    assert invoice.invoice_header.customer_order_number == "A1001"
    assert invoice.invoice_header.channel_tag == "webshop"
    assert str(invoice.invoice_header.invoice_expiration_date) == "2026-06-03", "invoice date + 30 days terms"
    flags = (invoice.is_billed, invoice.is_customer_paid, invoice.is_canceled, invoice.is_closed)
    assert flags == (False, False, False, False)
    assert invoice.amount_left_to_pay == invoice.gross_amount


def test_no_idempotency_the_same_body_twice_makes_two_invoices(hogia_sim: HogiaSimHandle) -> None:
    body = invoice_body([{"articleNumber": "7300", "quantity": 1}], order="A2002")
    first, second = create(hogia_sim, body), create(hogia_sim, body)
    assert first.id != second.id
    assert second.invoice_header.invoice_number == first.invoice_header.invoice_number + 1
    found = hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": "A2002"}).json()
    assert [i["id"] for i in found] == [first.id, second.id]
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.organisation_id}")
    assert overview["duplicates"] == {"A2002": 2}
    assert overview["count"] == 2


def test_customer_order_number_filter_is_exact(hogia_sim: HogiaSimHandle) -> None:
    for order in ("A1", "A10", "a1", "A1"):
        create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}], order=order))
    found = hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": "A1"}).json()
    assert [i["invoiceHeader"]["customerOrderNumber"] for i in found] == ["A1", "A1"]
    assert hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": "B1"}).json() == []
    assert len(hogia_sim.api("GET", "customerinvoices").json()) == 4


def test_invoice_date_range_filter_is_inclusive_and_validated(hogia_sim: HogiaSimHandle) -> None:
    days = (("D1", "2026-05-03"), ("D2", "2026-05-04"), ("D3", "2026-05-05"), ("D4", "2026-05-06"))
    for order, day in days:
        create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}], order=order, day=day))
    params = {"invoiceDateFrom": "2026-05-04", "invoiceDateTo": "2026-05-05"}
    found = hogia_sim.api("GET", "customerinvoices", params=params).json()
    assert [i["invoiceHeader"]["customerOrderNumber"] for i in found] == ["D2", "D3"]
    only_from = hogia_sim.api("GET", "customerinvoices", params={"invoiceDateFrom": "2026-05-06"}).json()
    assert [i["invoiceHeader"]["customerOrderNumber"] for i in only_from] == ["D4"]
    bad = hogia_sim.api("GET", "customerinvoices", params={"invoiceDateFrom": "05/04/2026"})
    assert bad.status_code == 400
    assert "invoiceDateFrom" in bad.json()["errors"]


def test_invoice_numbers_run_in_one_series_per_company_with_luhn_ocr(hogia_sim: HogiaSimHandle) -> None:
    alpha, beta = hogia_sim.companies[0], hogia_sim.companies[1]
    body = invoice_body([{"articleNumber": "7300", "quantity": 1}])
    alpha_numbers = [create(hogia_sim, body, alpha).invoice_header for _ in range(3)]
    beta_first = create(hogia_sim, body, beta).invoice_header
    numbers = [h.invoice_number for h in alpha_numbers]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert beta_first.invoice_number == numbers[0], "each company has its own series"
    for header in [*alpha_numbers, beta_first]:
        digits = str(header.invoice_number)
        assert header.ocr[: len(digits)] == digits
        assert int(header.ocr[len(digits)]) == (len(digits) + 2) % 10, "length digit"
        assert len(header.ocr) == len(digits) + 2
        assert luhn_ok(header.ocr)


def test_lines_with_only_article_and_quantity_take_price_and_vat_from_the_article(
    hogia_sim: HogiaSimHandle,
) -> None:
    lines = [
        {"articleNumber": "7300", "quantity": 3},
        {
            "articleNumber": "2201-90",
            "quantity": 1,
            "unitPrice": 400,
            "vatPercent": 25,
            "description": "Egen text",
        },
        {"lineType": "text", "description": "Tack för din beställning!"},
    ]
    invoice = create(hogia_sim, invoice_body(lines))
    taken, given, text = invoice.invoice_lines
    assert taken.unit_price == article_price(hogia_sim, "7300")
    assert taken.vat_percent == 25
    assert taken.description == "Växtnäring Flytande"
    assert taken.line_amount == (3 * taken.unit_price).quantize(Decimal("0.01"))
    assert (given.unit_price, given.description) == (Decimal(400), "Egen text")
    assert (text.line_type, text.line_amount) == ("text", 0)


def test_campaign_price_is_used_while_the_campaign_runs(hogia_sim: HogiaSimHandle) -> None:
    campaign = {"price": 40, "validFrom": "2026-05-01", "validTo": "2026-05-31"}
    hogia_sim.admin("PATCH", f"articles/{hogia_sim.organisation_id}/7300", {"campaignPrice": campaign})
    during = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}], day="2026-05-31"))
    after = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}], day="2026-06-01"))
    assert during.invoice_lines[0].unit_price == 40
    assert after.invoice_lines[0].unit_price == article_price(hogia_sim, "7300")


@pytest.mark.parametrize(
    ("day", "percent"), [("2026-03-31", 12), ("2026-04-01", 6), ("2027-12-31", 6), ("2028-01-01", 12)]
)
def test_food_vat_comes_from_the_dated_table_on_the_invoice_date(
    hogia_sim: HogiaSimHandle, day: str, percent: int
) -> None:
    invoice = create(hogia_sim, invoice_body([{"articleNumber": "4100", "quantity": 1}], day=day))
    line = invoice.invoice_lines[0]
    assert line.vat_percent == percent
    assert line.vat_amount == (line.line_amount * percent / 100).quantize(Decimal("0.01"))


def test_vat_distributions_per_rate(hogia_sim: HogiaSimHandle) -> None:
    lines = [
        {"articleNumber": "7300", "quantity": 2},  # 25 %
        {"articleNumber": "fraktavg", "quantity": 1, "unitPrice": "39.20"},  # 25 %
        {"articleNumber": "4100", "quantity": 1},  # food, 6 % in May 2026
        {"articleNumber": "5200", "quantity": 1},  # book, 6 %
        {"articleNumber": "6000", "quantity": 1},  # gift card, 0 %
    ]
    invoice = create(hogia_sim, invoice_body(lines))
    by_percent: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in invoice.invoice_lines:
        net, vat = by_percent.get(line.vat_percent, (Decimal(0), Decimal(0)))
        by_percent[line.vat_percent] = (net + line.line_amount, vat + line.vat_amount)
    distributions = {d.percent: (d.net_amount, d.amount) for d in invoice.vat_distributions}
    assert distributions == by_percent
    assert set(distributions) == {25, 6, 0}
    assert invoice.net_amount == sum(line.line_amount for line in invoice.invoice_lines)
    assert invoice.vat_amount == sum(line.vat_amount for line in invoice.invoice_lines)


def test_rounding_whole_krona_versus_none(hogia_sim: HogiaSimHandle) -> None:
    alpha, beta = hogia_sim.companies[0], hogia_sim.companies[1]
    assert (alpha.rounding_mode, beta.rounding_mode) == ("wholeKrona", "none")
    body = invoice_body([{"articleNumber": "4100", "quantity": 1, "unitPrice": "80.2679", "vatPercent": 12}])
    rounded, exact = create(hogia_sim, body, alpha), create(hogia_sim, body, beta)
    assert (exact.net_amount, exact.vat_amount) == (Decimal("80.27"), Decimal("9.63"))
    assert (exact.gross_amount, exact.rounding_amount) == (Decimal("89.90"), 0)
    assert (rounded.gross_amount, rounded.rounding_amount) == (Decimal(90), Decimal("0.10"))
    assert rounded.amount_left_to_pay == 90
    hogia_sim.admin("PUT", f"company/{beta.organisation_id}", {"roundingMode": "wholeKrona"})
    down = create(
        hogia_sim, invoice_body([{"articleNumber": "7301", "quantity": 1, "unitPrice": "9.95"}]), beta
    )
    assert (down.gross_amount, down.rounding_amount) == (Decimal(12), Decimal("-0.44"))  # 9.95 + 2.49 = 12.44


def test_a_negative_quantity_credits_and_mirrors_the_rounding(hogia_sim: HogiaSimHandle) -> None:
    invoice = create(
        hogia_sim, invoice_body([{"articleNumber": "4100", "quantity": 1, "unitPrice": "80.2679"}])
    )
    credit = create(
        hogia_sim, invoice_body([{"articleNumber": "4100", "quantity": -1, "unitPrice": "80.2679"}])
    )
    assert credit.net_amount == -invoice.net_amount
    assert credit.gross_amount == -invoice.gross_amount
    assert credit.rounding_amount == -invoice.rounding_amount


def test_unknown_customer_or_article_is_a_422_and_uses_no_number(hogia_sim: HogiaSimHandle) -> None:
    before = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))
    body = invoice_body([{"articleNumber": "7300", "quantity": 1}, {"articleNumber": "nope", "quantity": 1}])
    body["customerInvoice"]["customerNumber"] = "99999"
    response = hogia_sim.api("POST", "customerinvoices", json=body)
    assert response.status_code == 422
    errors = response.json()
    assert [e["errorCode"] for e in errors] == ["CustomerNotFound", "ArticleNotFound"]
    assert [e["sequentialId"] for e in errors] == [1, 2]
    assert errors[1]["errorScopeId"] == "invoiceLines[1].articleNumber"
    after = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))
    assert after.invoice_header.invoice_number == before.invoice_header.invoice_number + 1
    assert len(hogia_sim.api("GET", "customerinvoices").json()) == 2


def test_a_currency_without_an_article_price_is_a_422(hogia_sim: HogiaSimHandle) -> None:
    body = invoice_body([{"articleNumber": "7300", "quantity": 1}])
    body["customerInvoice"]["currency"] = {"code": "NOK"}
    response = hogia_sim.api("POST", "customerinvoices", json=body)
    assert response.json()[0]["errorCode"] == "PriceMissing"
    body["invoiceLines"][0]["unitPrice"] = 55
    assert create(hogia_sim, body).invoice_header.currency_code == "NOK"


def test_an_invalid_body_is_a_400_with_field_paths(hogia_sim: HogiaSimHandle) -> None:
    body = invoice_body([{"articleNumber": "7300"}, {"articleNumber": "7300", "quantity": "many"}])
    del body["customerInvoice"]["customerNumber"]
    response = hogia_sim.api("POST", "customerinvoices", json=body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"customerInvoice.customerNumber", "invoiceLines[0]", "invoiceLines[1].quantity"} <= set(errors)
    bad_vat = invoice_body([{"articleNumber": "7300", "quantity": 1, "vatPercent": 13}])
    assert (
        hogia_sim.api("POST", "customerinvoices", json=bad_vat).json()[0]["errorCode"] == "InvalidVatPercent"
    )
    assert hogia_sim.api("POST", "customerinvoices", json={**body, "invoiceLines": []}).status_code == 400


def test_merchant_status_changes_show_in_rowversion_polling(hogia_sim: HogiaSimHandle) -> None:
    invoice = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))
    org = hogia_sim.organisation_id
    changed = hogia_sim.admin(
        "POST", f"invoices/{org}/{invoice.id}/status", {"delivered": True, "trackingNumber": "PN1"}
    )
    assert changed["isDelivered"] is True
    assert changed["trackingNumber"] == "PN1"
    assert changed["deliveredDate"] == str(hogia_sim.simulator.core.clock.local_now().date())
    assert changed["statusChangedDate"]
    polled = hogia_sim.api(
        "GET", "customerinvoices/rowversion", params={"lastKnownRowVersion": invoice.row_version}
    )
    assert [(i["id"], i["isDelivered"]) for i in polled.json()] == [(invoice.id, True)]
    billed = hogia_sim.admin("POST", f"invoices/{invoice.id}/status", {"billed": True})  # the short form
    paid = hogia_sim.admin("POST", f"invoices/{org}/{invoice.id}/status", {"paid": True})
    assert (billed["isBilled"], billed["isClosed"]) == (True, False)
    assert (paid["isCustomerPaid"], paid["isClosed"], paid["amountLeftToPay"]) == (True, True, 0)
    assert paid["rowVersion"] > billed["rowVersion"] > changed["rowVersion"]
    refused = hogia_sim.session.post(
        f"{hogia_sim.url}/_admin/invoices/{org}/{invoice.id}/status", json={"canceled": True}, timeout=10
    )
    assert refused.status_code == 422, "a booked invoice is credited, not cancelled"
    other = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))
    cancelled = hogia_sim.admin("POST", f"invoices/{org}/{other.id}/status", {"canceled": True})
    assert (cancelled["isCanceled"], cancelled["isClosed"], cancelled["amountLeftToPay"]) == (True, True, 0)
    assert len(hogia_sim.api("GET", "customerinvoices").json()) == 2, "a cancelled invoice keeps its number"


def test_invoices_are_never_deleted(hogia_sim: HogiaSimHandle) -> None:
    invoice = create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))
    response = hogia_sim.api("DELETE", f"customerinvoices/{invoice.id}")
    assert response.status_code == 405
    assert hogia_sim.api("GET", f"customerinvoices/{invoice.id}").status_code == 200


def test_module_check_fakturering_is_needed_to_invoice(hogia_sim: HogiaSimHandle) -> None:
    org = hogia_sim.organisation_id
    hogia_sim.admin("PUT", f"company/{org}", {"modules": ["Bokforing", "Kassaregister"]})
    company = Company.model_validate(hogia_sim.api("GET", "company").json())
    assert missing_modules(company) == ["Fakturering"]
    response = hogia_sim.api(
        "POST", "customerinvoices", json=invoice_body([{"articleNumber": "7300", "quantity": 1}])
    )
    assert response.status_code == 422
    assert response.json()[0]["errorCode"] == "ModuleNotActive"
    hogia_sim.admin("PUT", f"company/{org}", {"modules": ["Bokforing", "Fakturering"]})
    assert missing_modules(Company.model_validate(hogia_sim.api("GET", "company").json())) == []
    create(hogia_sim, invoice_body([{"articleNumber": "7300", "quantity": 1}]))


def test_a_percent_not_valid_on_the_invoice_date_is_a_422_and_12_stays_in_the_food_cut(
    hogia_sim: HogiaSimHandle,
) -> None:
    twelve = [{"articleNumber": "7300", "quantity": 1, "unitPrice": "100.00", "vatPercent": 12}]
    for day in ("2026-03-31", "2026-04-01", "2027-06-30", "2028-01-01"):  # hotels, restaurants: 12 %
        assert create(hogia_sim, invoice_body(twelve, day=day)).vat_amount == Decimal("12.00")
    before_table = hogia_sim.api("POST", "customerinvoices", json=invoice_body(twelve, day="1989-12-31"))
    assert before_table.status_code == 422
    assert "not a VAT rate on 1989-12-31" in before_table.text
