"""Hogia simulator conformance: company, VAT codes, contacts, articles, paging, rowversion, error shapes."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from jetshop_hogia.apimodel.hogia_smart import ex_vat_price, vat_code_for_class, vat_percent
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.seed import generate_world

ZONELESS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(autouse=True)
def _no_rate_limit(hogia_sim: HogiaSimHandle) -> None:
    """These tests make many calls quickly; the limit itself is tested with a small window elsewhere."""
    hogia_sim.set_rate_limit(None)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def all_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from all_keys(inner)


def new_contact(sim: HogiaSimHandle, **fields: Any) -> str:
    return str(
        ok(sim.api("POST", "contacts", json={"givenName": "Märta", "surName": "Öberg", **fields}), 201)
    )


def test_company_tells_modules_rounding_and_currency(hogia_sim: HogiaSimHandle) -> None:
    company = ok(hogia_sim.api("GET", "company"))
    assert company["id"] == hogia_sim.organisation_id
    assert company["name"] == "Alpha Trädgård AB"
    assert company["organisationNumber"] == "556000-0001"
    assert set(company["modules"]) == {"Bokforing", "Fakturering", "Kassaregister"}
    assert company["roundingMode"] == "wholeKrona"
    assert company["currencyCode"] == "SEK"
    assert ok(hogia_sim.api("GET", "company", company=hogia_sim.companies[1]))["roundingMode"] == "none"


def test_vat_codes_are_dated_and_food_is_12_then_6_then_12(hogia_sim: HogiaSimHandle) -> None:
    codes = ok(hogia_sim.api("GET", "vatcodes"))
    food = sorted((c for c in codes if c["code"] == "MP2"), key=lambda c: c["validFrom"])
    assert [(c["percent"], c["validFrom"], c["validTo"]) for c in food] == [
        (12, "1990-07-01", "2026-03-31"),
        (6, "2026-04-01", "2027-12-31"),
        (12, "2028-01-01", None),
    ]
    undated = {c["code"]: c["percent"] for c in codes if c["code"] != "MP2"}
    assert undated == {"MP1": 25, "MP2R": 12, "MP3": 6, "MF": 0}


def test_every_entity_has_id_version_rowversion_and_zoneless_times(hogia_sim: HogiaSimHandle) -> None:
    new_contact(hogia_sim)
    ok(
        hogia_sim.api(
            "POST",
            "customerinvoices",
            json={
                "customerInvoice": {"customerNumber": "1001", "invoiceDate": "2026-05-04"},
                "invoiceLines": [{"articleNumber": "7300", "quantity": 1}],
            },
        ),
        201,
    )
    local_now = hogia_sim.simulator.core.clock.local_now()
    entities = [ok(hogia_sim.api("GET", "company"))]
    for resource in ("vatcodes", "contacts", "articles", "customerinvoices"):
        rows = ok(hogia_sim.api("GET", resource))
        assert rows, resource
        entities += rows
    for entity in entities:
        assert uuid.UUID(entity["id"])
        assert isinstance(entity["version"], int)
        assert isinstance(entity["rowVersion"], int)
        assert entity["rowVersion"] > 0
        for stamp in ("createdDate", "updatedDate"):
            assert ZONELESS_TIME.match(entity[stamp]), entity[stamp]
            assert abs(datetime.fromisoformat(entity[stamp]) - local_now) < timedelta(minutes=5), "local time"
        assert all("_" not in key for key in all_keys(entity)), "camelCase only"
    invoice = entities[-1]
    assert PLAIN_DATE.match(invoice["invoiceHeader"]["invoiceDate"])
    assert PLAIN_DATE.match(invoice["invoiceHeader"]["invoiceExpirationDate"])


def test_contacts_create_answers_a_bare_guid_and_numbers_itself(hogia_sim: HogiaSimHandle) -> None:
    response = hogia_sim.api("POST", "contacts", json={"companyName": "Växthuset Öst AB", "isCompany": True})
    assert response.status_code == 201
    contact_id = response.json()
    assert isinstance(contact_id, str)
    assert uuid.UUID(contact_id)
    assert response.headers["Location"].endswith(contact_id)
    contact = ok(hogia_sim.api("GET", f"contacts/{contact_id}"))
    assert contact["number"] == "1004", "the seeded customers are 1001-1003"
    assert contact["companyName"] == "Växthuset Öst AB"
    assert contact["customer"] == {"paymentTerms": 30, "selectedCurrencyCode": "SEK"}
    ok(hogia_sim.api("POST", "contacts", json={"number": "1005", "givenName": "Sören"}), 201)
    third = ok(hogia_sim.api("GET", f"contacts/{new_contact(hogia_sim)}"))
    assert third["number"] == "1006", "numbers chosen by clients are skipped"


def test_contacts_duplicate_number_is_a_422_array(hogia_sim: HogiaSimHandle) -> None:
    new_contact(hogia_sim, number="W5000")
    response = hogia_sim.api("POST", "contacts", json={"number": "W5000", "givenName": "Björn"})
    assert response.status_code == 422
    errors = response.json()
    assert isinstance(errors, list)
    assert set(errors[0]) == {"errorCode", "errorScopeId", "message", "sequentialId"}
    assert errors[0]["errorCode"] == "DuplicateNumber"
    assert len(ok(hogia_sim.api("GET", "contacts", params={"number": "W5000"}))) == 1


def test_contacts_filters_number_email_and_organisation_number(hogia_sim: HogiaSimHandle) -> None:
    new_contact(hogia_sim, number="W1", email="Asa.Oberg@Example.se")
    new_contact(
        hogia_sim, number="W2", companyName="Kaffe AB", organisationNumber="556677-8899", isCompany=True
    )
    assert [c["number"] for c in ok(hogia_sim.api("GET", "contacts", params={"number": "W1"}))] == ["W1"]
    by_mail = ok(hogia_sim.api("GET", "contacts", params={"email": "asa.oberg@example.se"}))
    assert [c["number"] for c in by_mail] == ["W1"]
    by_org = ok(hogia_sim.api("GET", "contacts", params={"organisationNumber": "556677-8899"}))
    assert [c["number"] for c in by_org] == ["W2"]
    assert ok(hogia_sim.api("GET", "contacts", params={"number": "W"})) == [], "exact, not prefix"


def test_contacts_put_replaces_and_bumps_version_and_rowversion(hogia_sim: HogiaSimHandle) -> None:
    contact_id = new_contact(hogia_sim, number="W7", email="old@example.se")
    before = ok(hogia_sim.api("GET", f"contacts/{contact_id}"))
    after = ok(
        hogia_sim.api("PUT", f"contacts/{contact_id}", json={"givenName": "Märta", "email": "new@example.se"})
    )
    assert after["email"] == "new@example.se"
    assert after["number"] == "W7", "a PUT without number keeps it"
    assert after["version"] == before["version"] + 1
    assert after["rowVersion"] > before["rowVersion"]
    assert after["createdDate"] == before["createdDate"]
    clash = hogia_sim.api("PUT", f"contacts/{contact_id}", json={"number": "1001", "givenName": "Märta"})
    assert clash.status_code == 422


def test_validation_errors_are_problem_details_with_field_errors(hogia_sim: HogiaSimHandle) -> None:
    response = hogia_sim.api("POST", "contacts", json={"email": "nameless@example.se", "countryCode": "SWE"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "One or more validation errors occurred."
    assert problem["type"].startswith("https://")
    assert re.match(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", problem["traceId"])
    assert "countryCode" in problem["errors"]
    broken = hogia_sim.session.post(
        f"{hogia_sim.url}/{hogia_sim.organisation_id}/contacts",
        params={"api-version": "2025-06-01"},
        data=b"{not json",
        headers={"Authorization": f"Bearer {hogia_sim.token()}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert broken.status_code == 400
    assert "$" in broken.json()["errors"]


def test_not_found_is_a_bare_json_string(hogia_sim: HogiaSimHandle) -> None:
    for resource in ("contacts", "articles", "customerinvoices"):
        response = hogia_sim.api("GET", f"{resource}/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json() == "Entity not found"
    assert hogia_sim.api("GET", "nosuchresource").json() == "Not found"


def test_articles_are_seeded_from_the_shop_catalogue_variants_as_articles(hogia_sim: HogiaSimHandle) -> None:
    world = generate_world(42)
    today = hogia_sim.simulator.core.clock.local_now().date()
    articles = {a["number"]: a for a in ok(hogia_sim.api("GET", "articles", params={"pageSize": 500}))}
    for spec in world.articles:
        if not spec.sellable:
            assert spec.article_number not in articles, "parents with attributes are not articles"
            continue
        article = articles[spec.article_number]
        code = vat_code_for_class(spec.vat_class)
        assert article["vatCode"] == code
        price = ex_vat_price(spec.price_inc_vat, vat_percent(code, today))
        assert article["prices"] == [{"price": float(price), "currencyCode": "SEK"}]
        assert article["stockBalance"] == spec.stock
        assert article["sendToWebShop"] is True
        assert article["type"] == "goods"
        if spec.campaign_price_inc_vat is not None:
            campaign = ex_vat_price(spec.campaign_price_inc_vat, vat_percent(code, today))
            assert Decimal(str(article["campaignPrice"]["price"])) == campaign
    assert {"2201-60", "2201-90", "2201-120", "8800-5l"} <= set(articles)
    for helper in ("fraktavg", "expavg", "rabatt"):
        assert articles[helper]["type"] == "service"
        assert articles[helper]["sendToWebShop"] is False
    assert len(articles) == sum(1 for a in world.articles if a.sellable) + 3


def test_articles_filters_and_writes(hogia_sim: HogiaSimHandle) -> None:
    in_shop = ok(hogia_sim.api("GET", "articles", params={"sendToWebShop": "true", "pageSize": 500}))
    hidden = ok(hogia_sim.api("GET", "articles", params={"sendToWebShop": "false"}))
    assert {a["number"] for a in hidden} == {"fraktavg", "expavg", "rabatt"}
    assert all(a["sendToWebShop"] for a in in_shop)
    assert hogia_sim.api("GET", "articles", params={"sendToWebShop": "maybe"}).status_code == 400
    body = {
        "number": "9000",
        "name": "Sekatör",
        "vatCode": "MP1",
        "prices": [{"price": 199.2, "currencyCode": "SEK"}],
    }
    article_id = ok(hogia_sim.api("POST", "articles", json=body), 201)
    assert ok(hogia_sim.api("GET", "articles", params={"number": "9000"}))[0]["id"] == article_id
    assert hogia_sim.api("POST", "articles", json=body).json()[0]["errorCode"] == "DuplicateNumber"
    bad_code = hogia_sim.api("POST", "articles", json={**body, "number": "9001", "vatCode": "XX"})
    assert bad_code.json()[0]["errorCode"] == "UnknownVatCode"
    three_decimals = hogia_sim.api("POST", "articles", json={**body, "prices": [{"price": 1.005}]})
    assert three_decimals.status_code == 400
    renamed = ok(hogia_sim.api("PUT", f"articles/{article_id}", json={**body, "name": "Sekatör Pro"}))
    assert (renamed["name"], renamed["version"]) == ("Sekatör Pro", 2)
    stock = ok(hogia_sim.api("PATCH", f"articles/{article_id}/stock", json={"stockBalance": 7}))
    assert stock["stockBalance"] == 7
    assert stock["rowVersion"] > renamed["rowVersion"]


def test_paging_headers_and_the_500_maximum(hogia_sim: HogiaSimHandle) -> None:
    everything = ok(hogia_sim.api("GET", "articles", params={"pageSize": 500}))
    pages, seen = math.ceil(len(everything) / 4), []
    for page in range(1, pages + 1):
        response = hogia_sim.api("GET", "articles", params={"page": page, "pageSize": 4})
        assert response.headers["X-Pagination-Currentpage"] == str(page)
        assert response.headers["X-Pagination-Pagecount"] == str(pages)
        seen += [a["id"] for a in ok(response)]
    assert seen == [a["id"] for a in everything]
    assert ok(hogia_sim.api("GET", "articles", params={"page": pages + 1, "pageSize": 4})) == []
    for params in ({"pageSize": 501}, {"pageSize": 0}, {"page": 0}, {"page": "x"}):
        response = hogia_sim.api("GET", "articles", params=params)
        assert response.status_code == 400, params
        assert set(response.json()["errors"]) <= {"page", "pageSize"}


def test_rowversion_polling_returns_changes_after_n_in_ascending_order(hogia_sim: HogiaSimHandle) -> None:
    articles = ok(hogia_sim.api("GET", "articles", params={"pageSize": 500}))
    last_known = max(a["rowVersion"] for a in articles)
    assert ok(hogia_sim.api("GET", "articles/rowversion", params={"lastKnownRowVersion": last_known})) == []
    org = hogia_sim.organisation_id
    hogia_sim.admin("PATCH", f"articles/{org}/7301", {"stockBalance": 3})  # a till sale
    contact_id = new_contact(hogia_sim)  # another resource takes a row version from the same counter
    hogia_sim.admin("PATCH", f"articles/{org}/4100", {"price": 79.5})
    hogia_sim.admin(
        "PATCH", f"articles/{org}/5200", {"campaignPrice": {"price": 150, "validTo": "2026-12-31"}}
    )
    changed = ok(hogia_sim.api("GET", "articles/rowversion", params={"lastKnownRowVersion": last_known}))
    assert [a["number"] for a in changed] == ["7301", "4100", "5200"]
    versions = [a["rowVersion"] for a in changed]
    contact = ok(hogia_sim.api("GET", f"contacts/{contact_id}"))
    assert versions == sorted(versions)
    assert versions[0] < contact["rowVersion"] < versions[1], "one counter across resources"
    assert changed[1]["prices"][0]["price"] == 79.5
    assert changed[2]["campaignPrice"] == {"price": 150, "validFrom": None, "validTo": "2026-12-31"}
    after = ok(hogia_sim.api("GET", "articles/rowversion", params={"lastKnownRowVersion": versions[0]}))
    assert [a["number"] for a in after] == ["4100", "5200"]
    contacts = ok(hogia_sim.api("GET", "contacts/rowversion", params={"lastKnownRowVersion": versions[0]}))
    assert [c["id"] for c in contacts] == [contact_id]
    assert hogia_sim.api("GET", "articles/rowversion").status_code == 400, "lastKnownRowVersion is required"
