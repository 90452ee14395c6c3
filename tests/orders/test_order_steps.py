"""The four steps against the simulators, without Airflow: invoices, quarantine, files, re-runs."""

from __future__ import annotations

import json
from pathlib import Path

from orders_helpers import (
    SimResources,
    at_local,
    break_article,
    invoice_counts,
    make_run,
    place_orders,
    run_steps,
)

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import MAX_XCOM_BYTES
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def test_one_bad_order_is_quarantined_while_the_rest_are_invoiced_once(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 6, at_local(10, 15))
    bad = placed[2]
    break_article(jetshop_sim, bad["order_id"], "2201-xl")
    run = make_run(tenant, resources, tmp_path / "run")

    results = run_steps(run)

    good = {order["order_number"] for order in placed} - {bad["order_number"]}
    assert invoice_counts(hogia_sim) == dict.fromkeys(good, 1)
    with store.transaction() as tx:
        states = {
            r.key.order_number: r.state
            for r in tx.ledger.orders(tenant.tenant_id)
            if r.key.order_number in good | {bad["order_number"]}
        }
        entry = tx.quarantine.get(tenant.tenant_id, ORDERS_STREAM, bad["order_number"], shop_id="alpha")
        latest = tx.reconciliation.latest(tenant.tenant_id, ORDERS_STREAM)
    assert states == {**dict.fromkeys(good, OrderState.PUSHED), bad["order_number"]: OrderState.QUARANTINED}
    assert entry is not None
    assert entry.reason_code == "unknown_article"
    assert "2201-xl" in entry.reason_text
    assert entry.payload == {"codes": ["unknown_article"], "jetshop_order_id": bad["order_id"]}
    assert latest is not None
    assert latest.status.value == "ok"
    assert (latest.counts.expected, latest.counts.matched, latest.counts.quarantined) == (5, 5, 1)
    assert (
        "6 orders in 2026-11-23 00:00–24:00 (Europe/Stockholm): 5 invoiced once" in latest.details["summary"]
    )
    assert "No duplicates. Totals match." in latest.details["summary"]
    for result in results.values():
        assert len(json.dumps(result)) < MAX_XCOM_BYTES
    assert results["reconcile"]["status"] == "ok"


def test_running_the_same_window_again_creates_nothing(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 4, at_local(9))
    run_steps(make_run(tenant, resources, tmp_path / "first"))
    before = invoice_counts(hogia_sim)
    creates = hogia_sim.admin("GET", "calls")["calls"].get("customerinvoices.create", 0)

    again = run_steps(make_run(tenant, resources, tmp_path / "second", run_id="manual__again"))

    assert invoice_counts(hogia_sim) == before == {o["order_number"]: 1 for o in placed}
    assert hogia_sim.admin("GET", "calls")["calls"].get("customerinvoices.create", 0) == creates
    assert again["write"]["counts"] == {"skipped": 4}
    assert again["reconcile"]["matched"] == 4


def test_an_order_owed_by_the_ledger_is_sent_although_its_status_moved_on(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    jetshop_sim, hogia_sim = sims
    [order] = place_orders(jetshop_sim, 1, at_local(11))
    run = make_run(tenant, resources, tmp_path / "run")
    from jetshop_hogia.streams.orders import steps

    steps.fetch(run)  # seen in the window, then the run dies before it pushes
    jetshop_sim.admin("POST", f"orders/alpha/{order['order_id']}/status", {"status_id": 3})

    results = run_steps(make_run(tenant, resources, tmp_path / "rerun", run_id="manual__rerun"))

    assert invoice_counts(hogia_sim) == {order["order_number"]: 1}
    assert results["fetch"]["shops"]["alpha"]["owed"] == 1
    with store.transaction() as tx:
        record = tx.ledger.require(OrderKey(tenant.tenant_id, "alpha", order["order_number"]))
    assert record.state is OrderState.PUSHED
