"""HogiaSmartHook's typed methods against the running Hogia simulator (every method, real answers).

Expected values come from the simulator's own state (``hogia_sim.simulator.state``), never from
constants. The simulator's rate limit is switched off here; tests/hooks/test_hogia_resilience.py covers
rate limits, faults and exactly-once creation.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date
from decimal import Decimal

import pytest
from sim_connections import FAST_RETRY, hogia_connection

from jetshop_hogia.apimodel.hogia_smart import (
    ArticleFields,
    ArticlePrice,
    CampaignPrice,
    ContactFields,
    CustomerInvoiceCreate,
    CustomerInvoiceHeaderCreate,
    InvoiceLineCreate,
)
from jetshop_hogia_provider.hooks.hogia_articles import UNCHANGED
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.transport import UnprocessableError
from jetshop_hogia_simulators.hogia.state import CompanyStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle


@pytest.fixture
def hook(hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch) -> HogiaSmartHook:
    hogia_sim.set_rate_limit(None)
    with HogiaSmartHook(hogia_connection(monkeypatch, hogia_sim), retry=FAST_RETRY) as hook:
        yield hook  # type: ignore[misc]


def store(sim: HogiaSimHandle) -> CompanyStore:
    company = sim.simulator.state.company(sim.organisation_id)
    assert company is not None
    return company


def invoice_body(customer_number: str, article_number: str, order_number: str) -> CustomerInvoiceCreate:
    return CustomerInvoiceCreate(
        customer_invoice=CustomerInvoiceHeaderCreate(
            customer_number=customer_number,
            invoice_date=date(2026, 11, 20),
            customer_order_number=order_number,
        ),
        invoice_lines=[InvoiceLineCreate(article_number=article_number, quantity=Decimal("2"))],
    )


def test_company_and_vat_codes_are_the_simulators(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    company = hook.company()
    assert company == store(hogia_sim).company
    codes = hook.vat_codes()
    assert {(c.code, c.percent, c.valid_from) for c in codes} == {
        (c.code, c.percent, c.valid_from) for c in store(hogia_sim).vat_codes
    }


def test_test_connection_names_a_missing_required_module(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    ok, message = hook.test_connection()
    assert ok, message
    assert store(hogia_sim).company.name in message
    hogia_sim.admin("PUT", f"company/{hogia_sim.organisation_id}", {"modules": ["Bokforing", "Fakturering"]})
    assert hook.test_connection()[0], "Kassaregister is optional"
    hogia_sim.admin(
        "PUT", f"company/{hogia_sim.organisation_id}", {"modules": ["Bokforing", "Kassaregister"]}
    )
    ok, message = hook.test_connection()
    assert not ok
    assert "Fakturering" in message
    assert "Bokforing, Kassaregister" not in message


def test_test_connection_reports_bad_credentials_without_the_secret(
    hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn_id = hogia_connection(monkeypatch, hogia_sim, "hogia_wrong", password="not-the-secret-4711")
    ok, message = HogiaSmartHook(conn_id, retry=FAST_RETRY).test_connection()
    assert not ok
    assert "token request refused" in message
    assert "not-the-secret-4711" not in message


def test_contacts_are_listed_across_pages_and_filtered(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    expected = sorted(store(hogia_sim).contacts.values(), key=lambda c: int(c.number))
    assert list(hook.iter_contacts(page_size=1)) == expected
    second = expected[1]
    assert second.email is not None
    assert hook.find_contact_by_email(second.email.upper()) == second
    assert hook.find_contact_by_number(second.number) == second
    assert hook.find_contact_by_number("no-such-number") is None
    if second.organisation_number:
        assert second in hook.iter_contacts(organisation_number=second.organisation_number)


def test_contact_create_get_update(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    body = ContactFields(number="C-77", given_name="Ines", sur_name="Berg", email="ines@example.se")
    contact_id = hook.create_contact(body)
    stored = hook.get_contact(contact_id)
    assert stored is not None
    assert stored == store(hogia_sim).contacts[contact_id]
    assert (stored.number, stored.given_name) == ("C-77", "Ines")
    updated = hook.update_contact(contact_id, body.model_copy(update={"sur_name": "Lind"}))
    assert updated.sur_name == store(hogia_sim).contacts[contact_id].sur_name == "Lind"
    assert updated.row_version > stored.row_version
    with pytest.raises(UnprocessableError):
        hook.create_contact(body)  # number taken: a business-rule refusal, never retried
    assert hook.get_contact(uuid.uuid4()) is None


def test_ids_that_are_not_guids_are_refused_before_any_call(hook: HogiaSmartHook) -> None:
    with pytest.raises(ValueError, match="GUID"):
        hook.get_contact("../company")
    with pytest.raises(ValueError, match="GUID"):
        hook.set_stock("1 OR 1=1", Decimal(1))


def test_articles_filtered_by_the_web_shop_flag(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    articles = store(hogia_sim).articles.values()
    for flag in (True, False):
        listed = list(hook.iter_articles(send_to_web_shop=flag, page_size=4))
        assert {a.id for a in listed} == {a.id for a in articles if a.send_to_web_shop is flag}
        assert all(isinstance(a.stock_balance, Decimal) for a in listed)
    assert len(list(hook.iter_articles())) == len(articles)
    one = next(iter(articles))
    assert hook.get_article_by_number(one.number) == one
    assert hook.get_article(one.id) == one
    assert hook.get_article_by_number("no-such-article") is None


def test_article_create_update_stock_and_prices(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    body = ArticleFields(
        number="NEW-100",
        name="Vas",
        prices=[
            ArticlePrice(price=Decimal("80.00")),
            ArticlePrice(price=Decimal("95.00"), currency_code="NOK"),
        ],
    )
    article_id = hook.create_article(body)
    assert hook.update_article(article_id, body.model_copy(update={"name": "Stor vas"})).name == "Stor vas"
    assert hook.set_stock(article_id, Decimal("12.5")).stock_balance == Decimal("12.5")
    before = store(hogia_sim).articles[article_id].row_version
    campaign = CampaignPrice(
        price=Decimal("64.00"), valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 24)
    )
    after = hook.set_prices(
        article_id, prices=[ArticlePrice(price=Decimal("79.20"))], campaign_price=campaign
    )
    stored = store(hogia_sim).articles[article_id]
    assert after == stored
    assert stored.price_in("SEK") == Decimal("79.20")
    assert stored.price_in("NOK") == Decimal("95.00"), "other currencies are kept"
    assert stored.campaign_price == campaign
    assert stored.stock_balance == Decimal("12.5")
    assert stored.name == "Stor vas"
    assert stored.row_version > before
    kept = hook.set_prices(
        article_id, prices=[ArticlePrice(price=Decimal("81.00"))], campaign_price=UNCHANGED
    )
    assert kept.campaign_price == campaign
    assert hook.set_campaign_price(article_id, None).campaign_price is None


def test_changes_since_a_row_version_per_resource(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    company = store(hogia_sim)
    for resource, rows in (("contacts", company.contacts), ("articles", company.articles)):
        changed = list(hook.iter_changes(resource, 0, page_size=3))  # type: ignore[call-overload]
        assert [r.id for r in changed] == [r.id for r in sorted(rows.values(), key=lambda r: r.row_version)]
    watermark = max(a.row_version for a in company.articles.values())
    assert list(hook.iter_changes("articles", watermark)) == []
    article = next(iter(company.articles.values()))
    hook.set_stock(article.id, Decimal(3))
    assert [a.id for a in hook.iter_changes("articles", watermark)] == [article.id]
    with pytest.raises(ValueError, match="change polling"):
        hook.iter_changes("vatcodes", 0)  # type: ignore[call-overload]


def test_change_polling_skips_nothing_when_rows_change_while_paging(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    company = store(hogia_sim)
    all_ids = {a.id for a in company.articles.values()}
    seen: list[str] = []
    for index, article in enumerate(hook.iter_changes("articles", 0, page_size=3)):
        seen.append(article.id)
        if index == 1:  # the merchant edits an article already yielded: every later row shifts
            hogia_sim.admin(
                "PATCH", f"articles/{hogia_sim.organisation_id}/{article.number}", {"stockBalance": 1}
            )
    assert set(seen) == all_ids
    assert seen.count(seen[1]) == 2, "the edited article comes again with its new row version"


def test_invoice_create_find_get_and_status(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    company = store(hogia_sim)
    customer = next(iter(company.contacts.values()))
    article = next(a for a in company.articles.values() if a.send_to_web_shop)
    invoice_id = hook.create_invoice(invoice_body(customer.number, article.number, "W-5001"))
    invoice = hook.get_invoice(invoice_id)
    assert invoice == company.invoices[invoice_id]
    assert hook.find_invoices_by_order_number("W-5001") == [invoice]
    assert hook.find_invoices_by_order_number("W-500") == [], "the filter is exact"
    status = hook.invoice_status(invoice_id)
    assert status is not None
    assert (status.delivered, status.billed, status.paid, status.canceled) == (False, False, False, False)
    watermark = status.row_version
    hogia_sim.admin("POST", f"invoices/{invoice_id}/status", {"delivered": True, "trackingNumber": "PKG-1"})
    hogia_sim.admin("POST", f"invoices/{invoice_id}/status", {"billed": True, "paid": True})
    status = hook.invoice_status(invoice_id)
    assert status is not None
    assert (status.delivered, status.tracking_number, status.billed, status.paid) == (
        True,
        "PKG-1",
        True,
        True,
    )
    assert status.closed
    assert status.amount_left_to_pay == 0
    assert status.status_changed_date is not None
    assert status.status_changed_date.tzinfo is not None
    assert status.status_changed_date.utcoffset() == UTC.utcoffset(None)
    assert status.status_changed_date == company.invoices[invoice_id].status_changed_date
    changes = list(hook.iter_invoice_status_changes(watermark))
    assert [c.invoice_id for c in changes] == [invoice_id]
    assert changes[0] == status
    assert hook.get_invoice(uuid.uuid4()) is None
    assert hook.invoice_status(uuid.uuid4()) is None
