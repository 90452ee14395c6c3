"""A whole session of typed calls on both hooks, logged at DEBUG (urllib3 included), leaks nothing.

The session touches everything that carries secrets or personal data: token fetch, e-mail filters in
query strings, contacts with e-mail and phone, orders with the customer's e-mail and phone, refused
credentials, lost answers, per-item failures and a Sender fault. Then the captured log text and every
error message are scanned for the values that really went over the wire.
"""

from __future__ import annotations

import base64
import logging
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sim_connections import FAST_RETRY, hogia_connection, jetshop_connection

from jetshop_hogia.apimodel.hogia_smart import (
    ContactFields,
    CustomerInvoiceCreate,
    CustomerInvoiceHeaderCreate,
    InvoiceLineCreate,
)
from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate
from jetshop_hogia.apimodel.jetshop_products import PriceListRow
from jetshop_hogia.streams.orders.pushing import InvoiceRef, Outcome, push_invoice
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.jetshop_results import raise_for_failures
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle

NEW_EMAIL, NEW_PHONE = "sofia.lund@example.se", "+46 70 555 12 34"


def _hogia_session(hook: HogiaSmartHook, sim: HogiaSimHandle, errors: list[str]) -> list[str]:
    """Calls with personal data; returns the personal values used."""
    company = sim.simulator.state.company(sim.organisation_id)
    assert company is not None
    known = next(c for c in company.contacts.values() if c.email and c.phone)
    assert hook.test_connection()[0]
    assert hook.find_contact_by_email(known.email or "") == known
    sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["contacts.create"]})
    try:
        hook.create_contact(ContactFields(given_name="Sofia", email=NEW_EMAIL, phone=NEW_PHONE))
    except Exception as exc:
        errors.append(str(exc))
    contact_id = hook.create_contact_once(
        ContactFields(number="LOG-1", given_name="Sofia", email=NEW_EMAIL, phone=NEW_PHONE)
    )
    sim.admin("PUT", "faults", {})
    list(hook.iter_changes("contacts", 0))
    contact = hook.get_contact(contact_id)
    assert contact is not None
    article = next(a for a in company.articles.values() if a.send_to_web_shop)
    body = CustomerInvoiceCreate(
        customer_invoice=CustomerInvoiceHeaderCreate(
            customer_number=contact.number, invoice_date=date(2026, 11, 20), customer_order_number="LOG-W1"
        ),
        invoice_lines=[InvoiceLineCreate(article_number=article.number, quantity=Decimal(1))],
    )
    assert push_invoice(hook, body, InvoiceRef("LOG-W1"), look_first=True).outcome is Outcome.CREATED
    try:
        hook.create_invoice(
            body.model_copy(
                update={
                    "customer_invoice": body.customer_invoice.model_copy(
                        update={"customer_number": "no-such-customer"}
                    )
                }
            )
        )
    except Exception as exc:
        errors.append(str(exc))
    return [known.email or "", known.phone or "", NEW_EMAIL, NEW_PHONE]


def _jetshop_session(hook: JetshopHook, sim: JetshopSimHandle, errors: list[str]) -> list[str]:
    assert hook.test_connection()[0]
    headers = list(hook.iter_changed_orders(TEST_START - timedelta(days=90), TEST_START, page_size=5))
    personal: list[str] = []
    for header in headers[:4]:
        order = hook.get_order(header.order_id)
        assert order is not None
        personal += [order.customer.email or "", order.customer.phone or "", order.ship_to.mobile_phone or ""]
    hook.set_order_status(
        [OrderStatusUpdate(order_id=headers[0].order_id, status_id=2, send_mail_to_customer=True)]
    )
    try:
        raise_for_failures(
            "Order_SetStatus", hook.set_order_status([OrderStatusUpdate(order_id=1, status_id=2)])
        )
    except Exception as exc:
        errors.append(str(exc))
    shop = sim.simulator.state.shops["alpha"]
    row = PriceListRow(article_number="x", price_list_id=shop.default_price_list, price_inc_vat=1)
    try:
        hook.price_list_update_inc_vat(
            [row.model_construct(**{**row.model_dump(), "price_inc_vat": Decimal("1.5")})]
        )
    except Exception as exc:
        errors.append(str(exc))
    return [value for value in personal if value]


def test_a_session_of_calls_logs_no_secret_and_no_personal_data(
    hogia_sim: HogiaSimHandle,
    jetshop_sim: JetshopSimHandle,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hogia_sim.set_rate_limit(None)
    hogia_id = hogia_connection(monkeypatch, hogia_sim, "hogia_logs")
    jetshop_id = jetshop_connection(monkeypatch, jetshop_sim, "jetshop_logs")
    wrong_id = jetshop_connection(monkeypatch, jetshop_sim, "jetshop_wrong", password="wrong-pw-98765")
    user, password = jetshop_sim.credentials("alpha")
    errors: list[str] = []
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="urllib3"):
        with HogiaSmartHook(hogia_id, retry=FAST_RETRY) as hogia:
            personal = _hogia_session(hogia, hogia_sim, errors)
            access_token = hogia.tokens.get()
        with JetshopHook(jetshop_id, retry=FAST_RETRY) as jetshop:
            personal += _jetshop_session(jetshop, jetshop_sim, errors)
        ok, message = JetshopHook(wrong_id, retry=FAST_RETRY).test_connection()
        assert not ok
        errors.append(message)

    text = caplog.text + "\n" + "\n".join(errors)
    assert "urllib3" in caplog.text or any(r.name.startswith("urllib3") for r in caplog.records)
    assert len(errors) == 5, errors
    secrets = {
        "client secret": hogia_sim.client_secret,
        "jetshop password": password,
        "wrong password": "wrong-pw-98765",
        "access token": access_token,
        "basic credentials": base64.b64encode(f"{user}:{password}".encode()).decode(),
    }
    for name, value in secrets.items():
        assert value not in text, f"the {name} is in the logs"
    assert not re.search(r"(?i)authorization|bearer ", text)
    assert len(personal) >= 8
    for value in personal:
        assert value not in text, "personal data is in the logs"
        assert re.sub(r"\s", "", value) not in text, "personal data is in the logs"
