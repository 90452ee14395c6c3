"""Plumbing of the order status tests: a feedback tenant, invoiced orders, Hogia events, run helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import SimResources, at_local, connect, make_run, place_orders, run_steps

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow, StreamRun
from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.streams.order_status import steps
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

FEEDBACK = {
    "enabled": True,
    "statuses": {
        "delivered": {
            "jetshop_status_id": 3,
            "send_mail": True,
            "send_tracking": True,
            "capture_payment": True,
        },
        "invoiced": {"jetshop_status_id": 4},
        "paid": {"jetshop_status_id": 5},
        "cancelled": {"jetshop_status_id": 6, "send_mail": True},
    },
}


def feedback_tenant(
    monkeypatch: pytest.MonkeyPatch, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> TenantConfig:
    """Tenant ``acme`` in flow erp_led, plan 200, with orders and order_status streams."""
    return connect(
        monkeypatch,
        jetshop_sim,
        hogia_sim,
        flow="erp_led",
        plan=200,
        streams=["orders", "order_status"],
        order_status_feedback=FEEDBACK,
    )


def invoiced_orders(
    jetshop_sim: JetshopSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    run_dir: Path,
    count: int,
    *,
    payment: str = "Klarna",
) -> list[dict[str, Any]]:
    """Place ``count`` orders (paid by ``payment``, authorised) and run the order stream: one invoice each.

    Returns ``{"order_id", "order_number", "invoice_id"}`` per order.
    """
    placed = place_orders(jetshop_sim, count, at_local(10))
    with jetshop_sim.simulator.lock:
        orders = jetshop_sim.simulator.state.shops["alpha"].orders
        for item in placed:
            order = orders[item["order_id"]]
            orders[item["order_id"]] = order.model_copy(
                update={"payment_method": payment, "payment_status": "Authorized"}
            )
    run_steps(make_run(tenant, resources, run_dir / "orders"))
    result = []
    with resources.store.transaction() as tx:
        for item in placed:
            record = tx.ledger.require(OrderKey(tenant.tenant_id, "alpha", item["order_number"]))
            result.append({**item, "invoice_id": record.hogia_invoice_id})
    return result


def clocks_to(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle, moment: datetime) -> None:
    """Move both simulators' clocks to ``moment`` (events and status changes are stamped with it)."""
    hogia_sim.simulator.core.clock.set(moment)
    jetshop_sim.simulator.core.clock.set(moment)


def hogia_status(hogia_sim: HogiaSimHandle, invoice_id: str, **change: Any) -> None:
    """The merchant changes an invoice's status in Hogia (admin driver)."""
    hogia_sim.admin("POST", f"invoices/{invoice_id}/status", change)


def live_window(minutes: int = 30) -> RunWindow:
    """A window ending just after the real now: a scheduled run, not a historical one."""
    now = datetime.now(UTC)
    return RunWindow(now - timedelta(minutes=minutes), now + timedelta(minutes=1))


def status_run(
    tenant: TenantConfig,
    resources: SimResources,
    run_dir: Path,
    window: RunWindow,
    *,
    run_id: str = "scheduled__status",
    params: dict[str, Any] | None = None,
) -> StreamRun:
    """A run of the order_status stream."""
    return StreamRun(
        tenant=tenant,
        window=window,
        run_id=run_id,
        run_dir=str(run_dir / run_id),
        resources=resources,
        params=params or {},
    )


def run_status_steps(run: StreamRun) -> dict[str, dict[str, Any]]:
    fetched = steps.fetch(run)
    transformed = steps.transform(run, fetched)
    written = steps.write(run, transformed)
    reconciled = steps.reconcile(run, written)
    return {"fetch": fetched, "transform": transformed, "write": written, "reconcile": reconciled}


def shop_order(jetshop_sim: JetshopSimHandle, order_id: int) -> Any:
    return jetshop_sim.simulator.state.shops["alpha"].orders[order_id]


def mails(jetshop_sim: JetshopSimHandle) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = jetshop_sim.admin("GET", "mails")
    return found


def captures(jetshop_sim: JetshopSimHandle) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = jetshop_sim.admin("GET", "captures")
    return found


def feedback_rows(store: StateStore, tenant: TenantConfig, run_id: str) -> list[Any]:
    with store.transaction() as tx:
        return tx.order_status.of_run(tenant.tenant_id, run_id)
