"""A current run: Hogia's delivered/paid events move the shop's orders with one e-mail and one capture."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

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

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.streams.order_status.steps import FeedbackNotSettled
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def test_delivered_and_paid_move_the_order_with_one_mail_and_one_capture(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    first, second = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 2)
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    before_mails, before_captures = len(mails(jetshop_sim)), len(captures(jetshop_sim))
    hogia_status(hogia_sim, first["invoice_id"], delivered=True, trackingNumber="PKG-1")
    hogia_status(hogia_sim, first["invoice_id"], billed=True, paid=True)
    hogia_status(hogia_sim, second["invoice_id"], billed=True)
    window = live_window()
    steps = run_status_steps(status_run(tenant, resources, tmp_path, window))
    assert steps["transform"]["effects"]["mail"] is True
    assert steps["write"]["counts"]["status"] == {"sent": 4}
    order = shop_order(jetshop_sim, first["order_id"])
    assert order.status_id == 5  # delivered → invoiced → paid, in event order
    assert order.tracking_number == "PKG-1"
    assert order.payment_status == "Captured"
    assert shop_order(jetshop_sim, second["order_id"]).status_id == 4
    new_mails = mails(jetshop_sim)[before_mails:]
    assert [(m["order_number"], m["status_id"]) for m in new_mails] == [(first["order_number"], 3)]
    assert [c["order_number"] for c in captures(jetshop_sim)[before_captures:]] == [first["order_number"]]
    assert steps["reconcile"]["status"] == "ok"
    assert steps["reconcile"]["matched"] == 2

    # the same window again (a re-run): every action is already done, nothing is sent twice
    again = run_status_steps(status_run(tenant, resources, tmp_path, window, run_id="manual__again"))
    assert again["write"]["counts"]["status"] == {"already_done": 4}
    assert len(mails(jetshop_sim)) == before_mails + 1
    assert len(captures(jetshop_sim)) == before_captures + 1


def test_lost_answers_on_status_and_capture_give_exactly_one_capture(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    orders = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 3)
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    before_mails, before_captures = len(mails(jetshop_sim)), len(captures(jetshop_sim))
    for item in orders:
        hogia_status(
            hogia_sim, item["invoice_id"], delivered=True, trackingNumber=f"T-{item['order_number']}"
        )
    run = status_run(tenant, resources, tmp_path, live_window())
    from jetshop_hogia.streams.order_status import steps

    transformed = steps.transform(run, steps.fetch(run))
    # half the calls are applied with their answer lost, the other half refused with 503 — status
    # writes and the read-backs after them alike — until Jetshop recovers after the second attempt
    jetshop_sim.admin("PUT", "faults", {"lost_response_share": 0.5, "error_503_share": 0.5, "seed": 7})
    attempts = 0
    while True:
        attempts += 1
        try:
            written = steps.write(run, transformed)
            break
        except FeedbackNotSettled:
            assert attempts < 5
            if attempts == 2:
                jetshop_sim.admin("PUT", "faults", {})  # Jetshop recovers
    assert attempts >= 2
    assert sum(written["counts"]["status"].values()) == 3
    for item in orders:
        assert shop_order(jetshop_sim, item["order_id"]).payment_status == "Captured"
    new_captures = [c["order_number"] for c in captures(jetshop_sim)[before_captures:]]
    assert sorted(new_captures) == sorted(item["order_number"] for item in orders)
    new_mails = [m["order_number"] for m in mails(jetshop_sim)[before_mails:]]
    assert sorted(new_mails) == sorted(item["order_number"] for item in orders)
    assert steps.reconcile(run, written)["status"] == "ok"


def test_a_lost_answer_is_confirmed_by_reading_the_order_not_by_resending(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    (item,) = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 1)
    clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
    hogia_status(hogia_sim, item["invoice_id"], delivered=True)
    jetshop_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["Order_SetStatus"]})
    before = jetshop_sim.admin("GET", "calls")["calls"].get("Order_SetStatus", 0)
    steps = run_status_steps(status_run(tenant, resources, tmp_path, live_window()))
    assert steps["write"]["counts"]["status"] == {"confirmed_after_lost_answer": 1}
    assert (
        jetshop_sim.admin("GET", "calls")["calls"]["Order_SetStatus"] == before + 1
    )  # sent once, not resent
    assert shop_order(jetshop_sim, item["order_id"]).payment_status == "Captured"
