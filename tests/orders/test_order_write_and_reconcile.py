"""Write and reconcile on the simulators: refusals, customers, call counts, what reconcile catches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from orders_helpers import (
    SimResources,
    at_local,
    break_article,
    hogia_calls,
    invoice_counts,
    make_run,
    place_orders,
    run_steps,
    set_customer,
)

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia.streams.orders import files, steps
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


def test_returning_customers_cost_one_hogia_call_per_order_plus_four_per_run(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    known = jetshop_sim.simulator.world.customers[:3]  # the customers Hogia is seeded with
    for index, order in enumerate(place_orders(jetshop_sim, 12, at_local(8))):
        set_customer(jetshop_sim, order["order_id"], known[index % 3])
    before = hogia_calls(hogia_sim)

    run_steps(make_run(tenant, resources, tmp_path / "run"))

    calls = hogia_calls(hogia_sim) - before
    del calls["connect.token"]  # not rate limited, once per token lifetime
    assert calls == {
        "company.get": 1,
        "articles.list": 1,
        "contacts.list": 1,
        "customerinvoices.create": 12,
        "customerinvoices.list": 1,  # reconcile lists the day's invoices in one page
    }


def test_a_new_customer_is_created_once_for_all_their_orders(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    newcomer = jetshop_sim.simulator.world.customers[10].model_copy(update={"email": "ny.kund@example.se"})
    placed = place_orders(jetshop_sim, 3, at_local(12))
    for order in placed:
        set_customer(jetshop_sim, order["order_id"], newcomer)

    results = run_steps(make_run(tenant, resources, tmp_path / "run"))

    assert hogia_calls(hogia_sim)["contacts.create"] == 1
    [contact] = hogia_sim.api("GET", "contacts", params={"email": "ny.kund@example.se"}).json()
    invoices = hogia_sim.api("GET", "customerinvoices").json()
    numbers = {
        i["invoiceHeader"]["customerNumber"]
        for i in invoices
        if i["invoiceHeader"]["customerOrderNumber"] in {o["order_number"] for o in placed}
    }
    assert numbers == {contact["number"]}
    assert results["write"]["counts"] == {"created": 3}


def test_an_order_hogia_refuses_is_quarantined_with_its_answer_and_the_rest_go_on(
    sims: Sims, tenant: TenantConfig, resources: SimResources, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 4, at_local(13))
    break_article(jetshop_sim, placed[1]["order_id"], "9999")
    run = make_run(tenant, resources, tmp_path / "run")
    fetched = steps.fetch(run)
    reference = json.loads(Path(fetched["reference"].removeprefix("file://")).read_text())
    reference["articles"].append("9999")  # the snapshot believes in an article Hogia does not have
    run.write_json(files.REFERENCE, reference)

    written = steps.write(run, steps.transform(run, fetched))
    reconciled = steps.reconcile(run, written)

    refused = placed[1]["order_number"]
    assert invoice_counts(hogia_sim) == {o["order_number"]: 1 for o in placed if o["order_number"] != refused}
    assert written["counts"] == {"created": 3, "rejected": 1}
    with store.transaction() as tx:
        assert tx.ledger.require(OrderKey(tenant.tenant_id, "alpha", refused)).state is OrderState.QUARANTINED
        entry = tx.quarantine.get(tenant.tenant_id, ORDERS_STREAM, refused, shop_id="alpha")
    assert entry is not None
    assert entry.reason_code == "push_rejected"
    assert "HTTP 422" in entry.reason_text
    assert (reconciled["status"], reconciled["matched"], reconciled["quarantined"]) == ("ok", 3, 1)


def test_reconcile_fails_on_a_second_invoice_and_names_both(
    sims: Sims, tenant: TenantConfig, resources: SimResources, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 3, at_local(15))
    run = make_run(tenant, resources, tmp_path / "run")
    written = run_steps(run)["write"]
    [first] = [
        i
        for i in hogia_sim.api("GET", "customerinvoices").json()
        if i["invoiceHeader"]["customerOrderNumber"] == placed[0]["order_number"]
    ]
    header = first["invoiceHeader"]
    duplicate = {  # someone books the same order again by hand
        "customerInvoice": {k: header[k] for k in ("customerNumber", "invoiceDate", "customerOrderNumber")},
        "invoiceLines": [{"articleNumber": "1092-10", "quantity": 1}],
    }
    assert hogia_sim.api("POST", "customerinvoices", json=duplicate).status_code == 201

    with pytest.raises(steps.ReconciliationFailed, match=rf"{placed[0]['order_number']} \(#\d+, #\d+\)"):
        steps.reconcile(run, written)

    with store.transaction() as tx:
        latest = tx.reconciliation.latest(tenant.tenant_id, ORDERS_STREAM)
    assert latest is not None
    assert latest.status.value == "failed"
    assert latest.counts.duplicates == 1
    [problem] = latest.details["orders"]
    assert (problem["order_number"], problem["verdict"]) == (placed[0]["order_number"], "duplicate")


def test_reconcile_fails_on_an_order_that_was_never_invoiced(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 2, at_local(16))
    run = make_run(tenant, resources, tmp_path / "run")
    transformed = steps.transform(run, steps.fetch(run))
    hogia_sim.admin("PUT", "faults", {"error_503_share": 1.0, "operations": ["customerinvoices.create"]})
    with pytest.raises(steps.OrdersNotSettled, match="2 of 2 orders are not settled"):
        steps.write(run, transformed)
    hogia_sim.admin("PUT", "faults", {})
    written = {
        "path": str(run.path(files.WRITTEN)),
        "drafts": {"alpha": transformed["shops"]["alpha"]["path"]},
    }

    with pytest.raises(steps.ReconciliationFailed, match="2 orders have no invoice in Hogia"):
        steps.reconcile(run, written)
    assert invoice_counts(hogia_sim).keys().isdisjoint(o["order_number"] for o in placed)


def test_reconcile_fails_when_hogia_rounds_otherwise_than_the_company_setting_read(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    place_orders(jetshop_sim, 6, at_local(17))
    run = make_run(tenant, resources, tmp_path / "run")
    transformed = steps.transform(run, steps.fetch(run))  # the run read whole-krona rounding …
    hogia_sim.admin(
        "PUT", f"company/{hogia_sim.company.organisation_id}", {"roundingMode": "none"}
    )  # … Hogia now books without

    written = steps.write(run, transformed)
    with pytest.raises(steps.ReconciliationFailed, match="from what the customer paid") as failure:
        steps.reconcile(run, written)

    assert "rounding: Hogia 0.00, shop order" in str(failure.value)
    recorded = json.loads(Path(str(run.path(files.RECONCILED))).read_text())
    assert str(failure.value) == f"{recorded['headline']}. {recorded['summary']}"
