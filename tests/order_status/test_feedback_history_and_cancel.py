"""Historical runs are quiet; cancellations cancel or credit; unknown orders are quarantined, not guessed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from orders_helpers import SimResources
from status_helpers import (
    captures,
    clocks_to,
    hogia_status,
    invoiced_orders,
    live_window,
    mails,
    run_status_steps,
    shop_order,
    status_run,
)

from jetshop_hogia.apimodel.hogia_invoice_status import ReferenceKind
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.order_status import ORDER_STATUS_STREAM
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

WEEK_START = datetime(2026, 11, 24, tzinfo=UTC)


def test_a_backfill_of_a_week_changes_statuses_without_mail_or_capture(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    jetshop_sim, hogia_sim = sims
    orders = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 7)
    for day, item in enumerate(orders):  # one delivery a day, each at noon of its day
        clocks_to(jetshop_sim, hogia_sim, WEEK_START + timedelta(days=day, hours=12))
        hogia_status(hogia_sim, item["invoice_id"], delivered=True, trackingNumber=f"W{day}")
    before_mails, before_captures = len(mails(jetshop_sim)), len(captures(jetshop_sim))
    caplog.set_level(logging.INFO, logger="jetshop_hogia.streams.order_status")
    for day in range(7):
        window = RunWindow(WEEK_START + timedelta(days=day), WEEK_START + timedelta(days=day + 1))
        run = status_run(tenant, resources, tmp_path, window, run_id=f"backfill__2026-11-{24 + day}")
        steps = run_status_steps(run)
        assert steps["transform"]["effects"] == {
            "mail": False,
            "capture": False,
            "historical": True,
            "reason": steps["transform"]["effects"]["reason"],
        }
        assert steps["transform"]["counts"]["events"]["suppressed_capture"] == 1
    for day, item in enumerate(orders):
        order = shop_order(jetshop_sim, item["order_id"])
        assert order.status_id == 3
        assert order.tracking_number == f"W{day}"
        assert order.payment_status == "Authorized"
    assert len(mails(jetshop_sim)) == before_mails
    assert len(captures(jetshop_sim)) == before_captures
    assert "customer e-mail off, payment capture off: historical run" in caplog.text


def test_a_past_window_mails_only_when_the_run_parameter_says_so(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    (item,) = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 1)
    clocks_to(jetshop_sim, hogia_sim, WEEK_START + timedelta(hours=12))
    hogia_status(hogia_sim, item["invoice_id"], delivered=True)
    before_mails = len(mails(jetshop_sim))
    window = RunWindow(WEEK_START, WEEK_START + timedelta(days=1))
    params = {"notify_customers": True}
    steps = run_status_steps(
        status_run(tenant, resources, tmp_path, window, run_id="manual__x", params=params)
    )
    assert steps["transform"]["effects"]["mail"] is True
    assert steps["transform"]["effects"]["reason"] == "run parameter notify_customers=true"
    assert len(mails(jetshop_sim)) == before_mails + 1
    assert shop_order(jetshop_sim, item["order_id"]).payment_status == "Captured"


def test_cancelled_before_booking_cancels_after_booking_credits_once(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    unbooked, booked = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 2)
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    hogia_status(hogia_sim, booked["invoice_id"], billed=True)
    for item in (unbooked, booked):
        jetshop_sim.admin("POST", f"orders/alpha/{item['order_id']}/status", {"status_id": 6})
    # the credit's answer is lost once: the retry reads the original's link instead of posting again
    hogia_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["customerinvoices.credit"]})
    window = live_window()
    run = status_run(tenant, resources, tmp_path, window)
    from jetshop_hogia.streams.order_status import steps

    transformed = steps.transform(run, steps.fetch(run))
    written = steps.write(run, transformed)
    hogia_sim.admin("PUT", "faults", {})
    assert written["counts"]["cancellations"] == {"invoice_cancelled": 1, "invoice_credited": 1}
    assert steps.reconcile(run, written)["status"] == "ok"
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")["invoices"]
    by_id = {row["id"]: row for row in overview}
    assert by_id[unbooked["invoice_id"]]["isCanceled"] is True
    original = hogia_sim.api("GET", f"customerinvoices/{booked['invoice_id']}").json()
    links = original["customerInvoiceReferences"]
    assert [link["kind"] for link in links] == [ReferenceKind.CREDITED_BY.value]
    credit = hogia_sim.api("GET", f"customerinvoices/{links[0]['invoiceId']}").json()
    assert credit["customerInvoiceReferences"][0]["invoiceId"] == booked["invoice_id"]
    assert credit["grossAmount"] == -original["grossAmount"]
    credits = [row for row in overview if row["grossAmount"].startswith("-")]
    assert [row["id"] for row in credits] == [links[0]["invoiceId"]]  # one credit, despite the lost answer
    assert {unbooked["invoice_id"], booked["invoice_id"]} <= set(by_id)  # nothing deleted

    # the Hogia cancellation event comes back as status 6 (already shown): nothing is mailed again
    before_mails = len(mails(jetshop_sim))
    again = run_status_steps(status_run(tenant, resources, tmp_path, window, run_id="manual__again"))
    assert again["write"]["counts"]["cancellations"] == {"already_done": 2}, again
    assert len(mails(jetshop_sim)) == before_mails
    assert shop_order(jetshop_sim, unbooked["order_id"]).status_id == 6
    assert shop_order(jetshop_sim, booked["order_id"]).status_id == 6  # "invoiced" never un-cancels it


def test_an_event_for_an_order_the_ledger_does_not_know_is_quarantined(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    body = {
        "customerInvoice": {
            "customerNumber": "1001",
            "invoiceDate": "2026-11-23",
            "customerOrderNumber": "X999",
        },
        "invoiceLines": [{"articleNumber": "7300", "quantity": 1}],
    }
    stranger = hogia_sim.api("POST", "customerinvoices", json=body).json()  # made by hand in Hogia
    hogia_status(hogia_sim, stranger, delivered=True)
    before_calls = jetshop_sim.admin("GET", "calls")["calls"].get("Order_SetStatus", 0)
    steps = run_status_steps(status_run(tenant, resources, tmp_path, live_window()))
    assert steps["transform"]["counts"]["events"]["quarantined"] == 1
    assert steps["reconcile"]["quarantined"] == 1
    assert jetshop_sim.admin("GET", "calls")["calls"].get("Order_SetStatus", 0) == before_calls
    with store.transaction() as tx:
        (entry,) = tx.quarantine.open_entries(tenant.tenant_id, stream=ORDER_STATUS_STREAM)
    assert entry.reason_code == "unknown_order"
    assert stranger in entry.reason_text


def test_paid_but_not_captured_is_flagged_for_a_person(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    (item,) = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 1)
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    hogia_status(hogia_sim, item["invoice_id"], billed=True, paid=True)  # paid, never delivered
    run = status_run(tenant, resources, tmp_path, live_window())
    steps = run_status_steps(run)
    assert steps["reconcile"]["needs_person"] == 1
    with store.transaction() as tx:
        latest = tx.reconciliation.latest(tenant.tenant_id, ORDER_STATUS_STREAM)
    assert latest is not None
    assert [flag["code"] for flag in latest.details["needs_person"]] == ["paid_not_captured"]
    assert latest.details["needs_person"][0]["order_number"] == item["order_number"]
