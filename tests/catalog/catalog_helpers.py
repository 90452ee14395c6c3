"""Test plumbing of the catalog streams: a tenant on the simulators, real hooks, the four steps in order.

Steps run the way the Airflow task runs them (a ``StreamRun`` with resources), without Airflow. Hooks read
their connections from ``AIRFLOW_CONN_<ID>`` variables pointing at the simulators; the state store is a
SQLite file of the test.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import REGISTRY, RunWindow, StreamRun
from jetshop_hogia.state import StateStore
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import RetryPolicy
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 11, 24)
FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)


def connect(
    monkeypatch: pytest.MonkeyPatch,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    *,
    flow: str,
    streams: list[str],
    shops: tuple[str, ...] = ("gamma",),
    company: DemoCompany | None = None,
    tenant_id: str = "acme",
    catalog: dict[str, Any] | None = None,
    plan: int = 400,
) -> TenantConfig:
    """A tenant on the simulators' shops (channels with their real price lists) and a Hogia company."""
    company = company or hogia_sim.companies[2]
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
            {"channel_id": c.channel_id, "currency": c.currency, "price_list": c.price_list_id}
            for c in state.channels
        ]
        shop_configs.append({"id": shop, "connection_id": f"jetshop_{shop}", "channels": channels})
    hogia_conn = {
        "conn_type": "hogia_smart",
        "host": hogia_sim.url,
        "login": company.client_id,
        "password": company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000},
    }
    monkeypatch.setenv(f"AIRFLOW_CONN_HOGIA_{tenant_id.upper()}", json.dumps(hogia_conn))
    return TenantConfig.model_validate(
        {
            "tenant_id": tenant_id,
            "flow": flow,
            "plan": plan,
            "shops": shop_configs,
            "hogia": {"connection_id": f"hogia_{tenant_id}"},
            "order_trigger_statuses": [2],
            "streams": streams,
            "catalog": catalog or {},
        }
    )


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


def window(hour: int, day: date = DAY, minutes: int = 15) -> RunWindow:
    """A ``minutes`` window from local ``hour``:00 of ``day`` (no drift fire time inside by default)."""
    start = datetime.combine(day, time(hour), STOCKHOLM)
    return RunWindow(start, start + timedelta(minutes=minutes))


def sim_window(jetshop_sim: JetshopSimHandle, minutes: int = 15) -> RunWindow:
    """The ``minutes`` ending a minute after the Jetshop simulator's clock (its changes fall inside)."""
    end = jetshop_sim.simulator.now() + timedelta(minutes=1)
    return RunWindow(end - timedelta(minutes=minutes), end)


def make_run(
    tenant: TenantConfig,
    resources: SimResources,
    run_dir: Path,
    *,
    hour: int = 10,
    run_id: str = "manual__test",
    params: dict[str, Any] | None = None,
    run_window: RunWindow | None = None,
) -> StreamRun:
    """A run of ``tenant`` over ``run_window`` (default: a 15-minute window at ``hour`` on :data:`DAY`)."""
    return StreamRun(
        tenant=tenant,
        window=run_window or window(hour),
        run_id=run_id,
        run_dir=str(run_dir / run_id),
        resources=resources,
        params=params or {},
    )


def run_stream(name: str, run: StreamRun) -> dict[str, dict[str, Any]]:
    """fetch → transform → write → reconcile of one stream; each step's XCom dict."""
    stream = REGISTRY.get(name)()
    fetched = stream.fetch(run)
    transformed = stream.transform(run, fetched)
    written = stream.write(run, transformed)
    reconciled = stream.reconcile(run, written)
    return {"fetch": fetched, "transform": transformed, "write": written, "reconcile": reconciled}


def change_article(hogia_sim: HogiaSimHandle, company: DemoCompany, number: str, **change: Any) -> Any:
    """A change made in Hogia (admin: no rate limit, no faults); camelCase keys as on the wire."""
    body = {key: str(value) if isinstance(value, Decimal) else value for key, value in change.items()}
    return hogia_sim.admin("PATCH", f"articles/{company.organisation_id}/{number}", body)


def shop_product(jetshop_sim: JetshopSimHandle, shop: str, article: str) -> Any:
    """The simulator's stored product (or None)."""
    with jetshop_sim.simulator.lock:
        return jetshop_sim.simulator.state.shops[shop].products.get(article)


def jetshop_calls(jetshop_sim: JetshopSimHandle) -> dict[str, int]:
    """Calls per operation counted by the Jetshop simulator."""
    calls: dict[str, int] = jetshop_sim.admin("GET", "calls")["calls"]
    return dict(calls)


def add_hogia_articles(hogia_sim: HogiaSimHandle, company: DemoCompany, numbers: list[str]) -> None:
    """Articles for the web shop straight into the simulator's register (faster than 500 API calls):
    80.00 ex VAT at 25 % (100 kr incl.), stock 7."""
    from jetshop_hogia.apimodel.hogia_smart import Article, ArticlePrice

    simulator = hogia_sim.simulator
    with simulator.state.lock:
        store = simulator.state.company(company.organisation_id)
        assert store is not None
        now = simulator.core.clock.now()
        for number in numbers:
            article = Article(
                **store.new_entity_fields(now),
                number=number,
                name=f"Artikel {number}",
                vat_code="MP1",
                prices=[ArticlePrice(price=Decimal("80.00"), currency_code="SEK")],
                stock_balance=Decimal(7),
                send_to_web_shop=True,
            )
            store.articles[article.id] = article
