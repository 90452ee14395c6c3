"""Test plumbing for the order stream: a tenant wired to the running simulators, real hooks, a run dir.

The steps are called the way the Airflow task calls them (a :class:`StreamRun` with resources), only
without Airflow: hooks read their connections from ``AIRFLOW_CONN_<ID>`` variables pointing at the
simulators, the state store is a SQLite file (or a PostgreSQL schema) of the test's own.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow, StreamRun
from jetshop_hogia.state import StateStore
from jetshop_hogia.streams.orders import steps
from jetshop_hogia.streams.orders.windows import local_day_window
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import RetryPolicy
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 11, 23)
"""A day after the simulator's seeded orders (they end 2026-11-20 12:00): the test's orders are alone."""
FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)


def connect(
    monkeypatch: pytest.MonkeyPatch,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    *,
    tenant_id: str = "acme",
    shops: tuple[str, ...] = ("alpha",),
    company: DemoCompany | None = None,
    client_rate_limit: int = 1000,
    **overrides: Any,
) -> TenantConfig:
    """A tenant on the simulators' shops and company, its connections defined as environment variables."""
    company = company or hogia_sim.company
    shop_configs = []
    for shop in shops:
        user, password = jetshop_sim.credentials(shop)
        state = jetshop_sim.simulator.state.shops[shop]
        conn = {
            "conn_type": "jetshop",
            "host": jetshop_sim.endpoint,
            "login": user,
            "password": password,
            "extra": {"shop_id": shop, "cultures": ",".join(state.cultures), "requests_per_second": 1000},
        }
        monkeypatch.setenv(f"AIRFLOW_CONN_JETSHOP_{shop.upper()}", json.dumps(conn))
        channels = [
            {"channel_id": c.channel_id, "currency": c.currency, "tag": c.name[:10]} for c in state.channels
        ]
        shop_configs.append({"id": shop, "connection_id": f"jetshop_{shop}", "channels": channels})
    hogia_conn = {
        "conn_type": "hogia_smart",
        "host": hogia_sim.url,
        "login": company.client_id,
        "password": company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": client_rate_limit},
    }
    monkeypatch.setenv(f"AIRFLOW_CONN_HOGIA_{tenant_id.upper()}", json.dumps(hogia_conn))
    data: dict[str, Any] = {
        "tenant_id": tenant_id,
        "flow": "shop_led",
        "plan": 400 if len(shops) > 1 else 100,
        "shops": shop_configs,
        "hogia": {"connection_id": f"hogia_{tenant_id}"},
        "order_trigger_statuses": [2],
        "streams": ["orders"],
        **overrides,
    }
    return TenantConfig.model_validate(data)


class SimResources:
    """``Resources`` with real hooks (fast retries) and the test's state store."""

    def __init__(self, tenant: TenantConfig, store: StateStore, retry: RetryPolicy = FAST_RETRY) -> None:
        self.tenant, self.store, self.retry = tenant, store, retry
        self._hooks: dict[str, Any] = {}

    def jetshop(self, shop_id: str | None = None) -> JetshopHook:
        shop = self.tenant.shop(shop_id) if shop_id else self.tenant.shops[0]
        if shop.id not in self._hooks:
            self._hooks[shop.id] = JetshopHook(shop.connection_id, retry=self.retry)
        hook: JetshopHook = self._hooks[shop.id]
        return hook

    def hogia(self) -> HogiaSmartHook:
        if "hogia" not in self._hooks:
            self._hooks["hogia"] = HogiaSmartHook(self.tenant.hogia.connection_id, retry=self.retry)
        hook: HogiaSmartHook = self._hooks["hogia"]
        return hook

    def state(self) -> StateStore:
        return self.store

    def close(self) -> None:
        for hook in self._hooks.values():
            hook.close()
        self._hooks.clear()


def make_run(
    tenant: TenantConfig,
    resources: SimResources,
    run_dir: Path,
    *,
    window: RunWindow | None = None,
    run_id: str = "manual__test",
) -> StreamRun:
    """A run of ``tenant`` over ``window`` (default: the local day :data:`DAY`)."""
    return StreamRun(
        tenant=tenant,
        window=window or local_day_window(DAY, tenant.timezone),
        run_id=run_id,
        run_dir=str(run_dir),
        resources=resources,
    )


def run_steps(run: StreamRun) -> dict[str, dict[str, Any]]:
    """fetch → transform → write → reconcile, returning each step's XCom dict."""
    fetched = steps.fetch(run)
    transformed = steps.transform(run, fetched)
    written = steps.write(run, transformed)
    reconciled = steps.reconcile(run, written)
    return {"fetch": fetched, "transform": transformed, "write": written, "reconcile": reconciled}


def place_orders(
    jetshop_sim: JetshopSimHandle, count: int, at: datetime, *, shop: str = "alpha", status_id: int = 2
) -> list[dict[str, Any]]:
    """Place ``count`` orders in ``shop`` at ``at`` (already in a trigger status)."""
    body = {"shop_id": shop, "count": count, "status_id": status_id, "placed_at": at.isoformat()}
    created: list[dict[str, Any]] = jetshop_sim.admin("POST", "orders", body)["orders"]
    return created


def at_local(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A local Stockholm time on ``day``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def break_article(jetshop_sim: JetshopSimHandle, order_id: int, article: str, *, shop: str = "alpha") -> None:
    """Give an order's first product row an article number Hogia does not have."""
    with jetshop_sim.simulator.lock:
        orders = jetshop_sim.simulator.state.shops[shop].orders
        order = orders[order_id]
        first, *rest = order.rows
        orders[order_id] = order.model_copy(
            update={"rows": (first.model_copy(update={"article_number": article}), *rest)}
        )


def invoice_counts(hogia_sim: HogiaSimHandle, company: DemoCompany | None = None) -> Counter[str]:
    """Invoices per ``customerOrderNumber`` in the simulator (admin view: no rate limit, no faults)."""
    company = company or hogia_sim.company
    overview = hogia_sim.admin("GET", f"invoices/{company.organisation_id}")
    return Counter({str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()})


def hogia_calls(hogia_sim: HogiaSimHandle) -> Counter[str]:
    """Calls per operation the Hogia simulator counted (the token endpoint included)."""
    return Counter(hogia_sim.admin("GET", "calls")["calls"])


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def later(moment: datetime, **delta: float) -> datetime:
    return moment + timedelta(**delta)


def connect_tenant_data(tenant_id: str) -> dict[str, Any]:
    """A valid one-shop tenant (shop alpha, channel 1) for tests that need no connections."""
    return {
        "tenant_id": tenant_id,
        "flow": "shop_led",
        "plan": 100,
        "shops": [
            {
                "id": "alpha",
                "connection_id": "jetshop_alpha",
                "channels": [{"channel_id": 1, "currency": "SEK"}],
            }
        ],
        "hogia": {"connection_id": f"hogia_{tenant_id}"},
        "order_trigger_statuses": [2],
        "streams": ["orders"],
    }


def set_customer(jetshop_sim: JetshopSimHandle, order_id: int, customer: Any, *, shop: str = "alpha") -> None:
    """Make ``customer`` (an ``OrderCustomer``) the buyer of an order already placed."""
    with jetshop_sim.simulator.lock:
        orders = jetshop_sim.simulator.state.shops[shop].orders
        orders[order_id] = orders[order_id].model_copy(update={"customer": customer, "email": customer.email})
