"""Simulators and hooks of order status feedback: Hogia's event log, cancel, credit; Jetshop's status once.

The Hogia event log is read by cursor and by window through the real hook; credit invoices link both
ways; the Jetshop status write with mail and capture is counted by the simulator, and a lost answer
surfaces as ``AmbiguousWriteError`` instead of a blind resend.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from jetshop_hogia.apimodel.hogia_invoice_status import InvoiceEventKind, ReferenceKind
from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import AmbiguousWriteError, RetryPolicy, UnprocessableError
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

FAST = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)


def _invoice(sim: HogiaSimHandle, order: str) -> str:
    body = {
        "customerInvoice": {
            "customerNumber": "1001",
            "invoiceDate": "2026-11-23",
            "customerOrderNumber": order,
        },
        "invoiceLines": [{"articleNumber": "7300", "quantity": 2}],
    }
    response = sim.api("POST", "customerinvoices", json=body)
    assert response.status_code == 201, response.text
    invoice_id: str = response.json()
    return invoice_id


def _status(sim: HogiaSimHandle, invoice_id: str, **change: Any) -> None:
    sim.admin("POST", f"invoices/{invoice_id}/status", change)


@pytest.fixture
def hogia(monkeypatch: pytest.MonkeyPatch, hogia_sim: HogiaSimHandle) -> HogiaSmartHook:
    hogia_sim.set_rate_limit(None)
    company = hogia_sim.company
    conn = {
        "conn_type": "hogia_smart",
        "host": hogia_sim.url,
        "login": company.client_id,
        "password": company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000},
    }
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_STATUS", json.dumps(conn))
    return HogiaSmartHook("hogia_status", retry=FAST)


def test_events_by_cursor_and_window(hogia_sim: HogiaSimHandle, hogia: HogiaSmartHook) -> None:
    first, second = _invoice(hogia_sim, "S1"), _invoice(hogia_sim, "S2")
    start = hogia_sim.simulator.core.clock.now().replace(microsecond=0)
    _status(hogia_sim, first, delivered=True, trackingNumber="PKG1")
    _status(hogia_sim, first, delivered=True)  # no change: no new event
    hogia_sim.simulator.core.clock.set(start + timedelta(hours=2))
    _status(hogia_sim, second, billed=True, paid=True)
    events = list(hogia.iter_status_events(after_event_id=0))
    assert [(e.customer_order_number, e.kind) for e in events] == [
        ("S1", InvoiceEventKind.DELIVERED),
        ("S2", InvoiceEventKind.INVOICED),
        ("S2", InvoiceEventKind.PAID),
    ]
    assert events[0].tracking_number == "PKG1"
    assert [e.event_id for e in hogia.iter_status_events(after_event_id=events[0].event_id)] == [
        events[1].event_id,
        events[2].event_id,
    ]
    window = list(hogia.iter_status_events(occurred_from=start, occurred_to=start + timedelta(hours=1)))
    assert [e.customer_order_number for e in window] == ["S1"]
    with pytest.raises(ValueError, match="full scan"):
        list(hogia.iter_status_events())


def test_cancel_before_booking_and_credit_after(hogia_sim: HogiaSimHandle, hogia: HogiaSmartHook) -> None:
    unbooked, booked = _invoice(hogia_sim, "C1"), _invoice(hogia_sim, "C2")
    cancelled = hogia.cancel_invoice(unbooked)
    assert cancelled.is_canceled
    _status(hogia_sim, booked, billed=True)
    with pytest.raises(UnprocessableError):
        hogia.cancel_invoice(booked)
    with pytest.raises(UnprocessableError):
        hogia.credit_invoice(unbooked, cancelled.invoice_header.invoice_date)
    credit_id = hogia.credit_invoice(booked, cancelled.invoice_header.invoice_date)
    original, credit = hogia.get_invoice(booked), hogia.get_invoice(credit_id)
    assert original is not None
    assert credit is not None
    assert [(r.kind, r.invoice_id) for r in original.customer_invoice_references] == [
        (ReferenceKind.CREDITED_BY, credit_id)
    ]
    assert [(r.kind, r.invoice_id) for r in credit.customer_invoice_references] == [
        (ReferenceKind.CREDITS, booked)
    ]
    assert credit.gross_amount == -original.gross_amount
    assert credit.invoice_header.invoice_number != original.invoice_header.invoice_number
    assert hogia.find_invoice_for_order("C2") is not None  # the credit does not make the order ambiguous
    kinds = [(e.customer_order_number, e.kind) for e in hogia.iter_status_events(after_event_id=0)]
    assert ("C1", InvoiceEventKind.CANCELLED) in kinds


def _jetshop(monkeypatch: pytest.MonkeyPatch, sim: JetshopSimHandle) -> JetshopHook:
    user, password = sim.credentials("alpha")
    conn = {
        "conn_type": "jetshop",
        "host": sim.endpoint,
        "login": user,
        "password": password,
        "extra": {"shop_id": "alpha", "requests_per_second": 1000},
    }
    monkeypatch.setenv("AIRFLOW_CONN_JETSHOP_STATUS", json.dumps(conn))
    return JetshopHook("jetshop_status", retry=FAST)


def test_status_once_reports_a_lost_answer(
    monkeypatch: pytest.MonkeyPatch, jetshop_sim: JetshopSimHandle
) -> None:
    hook = _jetshop(monkeypatch, jetshop_sim)
    order = next(
        o for o in jetshop_sim.simulator.state.shops["alpha"].orders.values() if o.payment_method == "Klarna"
    )
    update = OrderStatusUpdate(
        order_id=order.order_id,
        status_id=3,
        send_mail_to_customer=True,
        tracking_number="T1",
        capture_payment=True,
    )
    jetshop_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["Order_SetStatus"]})
    with pytest.raises(AmbiguousWriteError):
        hook.send_status_once(update)
    jetshop_sim.admin("PUT", "faults", {})
    snapshot = hook.order_status_snapshot(order.order_id)
    assert snapshot is not None
    assert snapshot.status_id == 3
    assert snapshot.captured
    assert snapshot.tracking_number == "T1"
    assert len(jetshop_sim.admin("GET", "mails")) == 1
    assert len(jetshop_sim.admin("GET", "captures")) == 1
    assert hook.order_status_snapshot(10**9) is None
