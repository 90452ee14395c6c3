"""Tenant-level refusals fail the write loudly; per-record refusals stay quarantined and green."""

from __future__ import annotations

from pathlib import Path

import pytest
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
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia.streams.orders import steps
from jetshop_hogia.streams.tenant_failures import Rejection, TenantSetupError, classify, from_refused_call
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
MODULE_OFF = (
    "customerinvoices.create HTTP 422 (attempt 1): refused; body: errorCode=ModuleNotActive; "
    "errorScopeId=company.modules; sequentialId=1"
)
"""How the Hogia hook words a 422 (codes and field names only, never the body's free text)."""


def test_a_known_setup_refusal_is_a_tenant_failure_even_for_one_record() -> None:
    failure = classify([Rejection("A1", "push_rejected", MODULE_OFF)], 10, what="orders")

    assert failure is not None
    assert failure.cause == "module_not_active"
    assert "Fakturering" in failure.message
    assert "1 of 10 orders" in failure.message
    assert failure.affected == ("A1",)


def test_every_record_refused_for_the_same_reason_is_a_tenant_failure() -> None:
    rejections = [Rejection(f"A{n}", "unknown_article", "article X9 not in Hogia") for n in range(3)]

    failure = classify(rejections, 3)

    assert failure is not None
    assert failure.cause == "same_reason_for_all"
    assert "unknown_article" in failure.message


def test_a_large_share_quarantined_is_a_tenant_failure_but_a_few_are_not() -> None:
    mixed = [Rejection(f"A{n}", code, "") for n, code in enumerate(["unknown_article", "vat_mismatch"] * 3)]

    assert classify(mixed[:2], 10) is None  # 2 of 10: per-record problems
    too_many = classify(mixed, 10, max_quarantined_share=0.5)
    assert too_many is not None
    assert too_many.cause == "too_many_quarantined"
    assert "6 of 10" in too_many.message
    assert classify(mixed, 10, max_quarantined_share=0.7) is None


def test_revoked_credentials_name_the_connection_to_fix() -> None:
    failure = from_refused_call(RuntimeError("customerinvoices.create HTTP 401 (attempt 1): refused"))

    assert failure is not None
    assert failure.cause == "authentication"
    assert "connection" in failure.message
    assert from_refused_call(RuntimeError("customerinvoices.create HTTP 409 (attempt 1)")) is None


def test_invoicing_module_switched_off_fails_the_write_and_the_orders_go_after_the_fix(
    sims: Sims, tenant: TenantConfig, resources: SimResources, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = {o["order_number"] for o in place_orders(jetshop_sim, 3, at_local(8))}
    company = f"company/{hogia_sim.organisation_id}"
    hogia_sim.admin("PUT", company, {"modules": ["Bokforing", "Kassaregister"]})
    run = make_run(tenant, resources, tmp_path / "run1")
    transformed = steps.transform(run, steps.fetch(run))

    with pytest.raises(TenantSetupError, match="Fakturering") as raised:
        steps.write(run, transformed)

    assert raised.value.failure.cause == "module_not_active"
    assert "3 of 3 orders" in str(raised.value)
    with store.transaction() as tx:  # not parked as bad data: waiting to be sent after the fix
        states = {tx.ledger.require(OrderKey("acme", "alpha", n)).state for n in placed}
        assert tx.quarantine.count_open("acme", stream=ORDERS_STREAM) == 0
    assert states == {OrderState.ELIGIBLE}

    hogia_sim.admin("PUT", company, {"modules": ["Bokforing", "Fakturering"]})
    run_steps(make_run(tenant, resources, tmp_path / "run2", run_id="manual__after_fix"))
    assert {n: invoice_counts(hogia_sim)[n] for n in placed} == dict.fromkeys(placed, 1)


def test_one_bad_order_stays_quarantined_and_the_run_stays_green(
    sims: Sims, tenant: TenantConfig, resources: SimResources, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, _ = sims
    placed = place_orders(jetshop_sim, 5, at_local(9))
    break_article(jetshop_sim, placed[0]["order_id"], "NO-SUCH-ARTICLE")

    result = run_steps(make_run(tenant, resources, tmp_path / "run"))

    assert result["reconcile"]["status"] == "ok"
    with store.transaction() as tx:
        open_entries = tx.quarantine.open_entries("acme", stream=ORDERS_STREAM)
    assert [entry.record_key for entry in open_entries] == [placed[0]["order_number"]]
