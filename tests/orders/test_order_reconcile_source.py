"""Reconcile against the source: an invoice 1 öre off what the customer paid fails, named per order."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest
from orders_helpers import SimResources, at_local, make_run, place_orders, run_steps

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import ORDERS_STREAM, StateStore
from jetshop_hogia.streams.orders import steps
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
OERE = Decimal("0.01")


def _shift_vat_to_net(invoice: CustomerInvoice) -> str:
    """One öre of the highest rate's VAT booked as net instead (gross unchanged)."""
    top = invoice.vat_distributions[0]
    top.amount -= OERE
    top.net_amount += OERE
    invoice.vat_amount -= OERE
    invoice.net_amount += OERE
    return f"{int(top.percent)} % VAT: Hogia {top.amount:.2f}, shop order {top.amount + OERE:.2f}"


def _bill_one_oere_less(invoice: CustomerInvoice) -> str:
    """The customer is billed 1 öre less than they paid (the öre missing from the net)."""
    top = invoice.vat_distributions[0]
    top.net_amount -= OERE
    invoice.net_amount -= OERE
    invoice.gross_amount -= OERE
    return "gross before rounding: Hogia"


@pytest.mark.parametrize("tamper", [_shift_vat_to_net, _bill_one_oere_less])
def test_an_invoice_tampered_by_one_oere_fails_reconcile_and_names_the_order(
    tamper: object,
    sims: Sims,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = place_orders(jetshop_sim, 4, at_local(14))
    run = make_run(tenant, resources, tmp_path / "run")
    outcome = run_steps(run)
    written, untouched = outcome["write"], outcome["reconcile"]  # what was billed is what was paid
    assert (untouched["status"], untouched["matched"], untouched["mismatched"]) == ("ok", 4, 0)

    victim = placed[1]["order_number"]
    company = hogia_sim.simulator.state.company(hogia_sim.organisation_id)
    assert company is not None
    [invoice] = [i for i in company.invoices.values() if i.invoice_header.customer_order_number == victim]
    expected_text = tamper(invoice)  # type: ignore[operator]

    with caplog.at_level(logging.INFO), pytest.raises(steps.ReconciliationFailed) as failure:
        steps.reconcile(run, written)

    message = str(failure.value)
    assert f"shop alpha order {victim}:" in message
    assert expected_text in message
    assert [o["order_number"] for o in placed if f"order {o['order_number']}:" in message] == [victim]
    assert any(expected_text in record.getMessage() for record in caplog.records)
    with store.transaction() as tx:
        latest = tx.reconciliation.latest(tenant.tenant_id, ORDERS_STREAM)
    assert latest is not None
    assert latest.status.value == "failed"
    assert latest.counts.mismatched == 1
    [problem] = [o for o in latest.details["orders"] if o["verdict"] == "mismatched"]
    assert problem["order_number"] == victim
    assert any(expected_text in difference for difference in problem["differences"])
