"""The order stream against the Hogia simulator's real rate limit (25 requests per 5 s per client id).

Two figures, both for returning customers (every buyer already exists in Hogia, as most do in a running
shop), with both simulators in their own processes (see ``benchmarks.load``):

- ``order_stream write throughput``: orders/s the write step sustains, as a ratio of the limit's 5
  requests/s. Measured in steady state — from the end of the first full window to the end of the run — so
  the initial burst of 25 does not flatter it. Target ratio 0.9.
- ``order_stream Hogia calls/order``: every rate-limited Hogia call of a whole fetch → transform → write →
  reconcile over N orders, divided by N (the token call is not rate limited and is left out). The ideal is
  1.0 (the invoice itself); the run adds a fixed 4 (company, articles, contacts, one invoice-list page),
  so the figure is 1 + 4/N. "Lower is better", hence ratio = baseline / value: target ratio 0.95 means at
  most 1.05 calls per order.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

from benchmarks.load import server_process

LIMIT, WINDOW = 25, 5.0
CALLS_ORDERS = 100
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class _Resources:
    """Real hooks and a SQLite state store, as the Airflow task would have them."""

    def __init__(self, tenant: Any, store: Any) -> None:
        from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
        from jetshop_hogia_provider.hooks.jetshop import JetshopHook

        self.store = store
        self.shop = JetshopHook(tenant.shops[0].connection_id)
        self.ledger = HogiaSmartHook(tenant.hogia.connection_id)

    def jetshop(self, shop_id: str | None = None) -> Any:
        return self.shop

    def hogia(self) -> Any:
        return self.ledger

    def state(self) -> Any:
        return self.store


def _tenant(jetshop_url: str, hogia_url: str) -> Any:
    """Tenant ``bench`` on shop alpha and Hogia company alpha, connections as environment variables."""
    from jetshop_hogia.config import TenantConfig

    shop = next(
        s for s in requests.get(f"{jetshop_url}/_admin/shops", timeout=10).json() if s["shop_id"] == "alpha"
    )
    company = requests.get(f"{hogia_url}/_admin/companies", timeout=10).json()[0]
    os.environ["AIRFLOW_CONN_BENCH_JETSHOP"] = json.dumps(
        {
            "conn_type": "jetshop",
            "host": f"{jetshop_url}/Webservice20/v3.0/webservice.asmx",
            "login": shop["user"],
            "password": shop["password"],
            "extra": {"shop_id": "alpha", "requests_per_second": 1000},
        }
    )
    os.environ["AIRFLOW_CONN_BENCH_HOGIA"] = json.dumps(
        {
            "conn_type": "hogia_smart",
            "host": hogia_url,
            "login": company["clientId"],
            "password": company["clientSecret"],
            "extra": {"organisation_id": company["organisationId"]},  # default client limit: 25 per 5 s
        }
    )
    return TenantConfig.model_validate(
        {
            "tenant_id": "bench",
            "flow": "shop_led",
            "plan": 100,
            "shops": [
                {
                    "id": "alpha",
                    "connection_id": "bench_jetshop",
                    "channels": [{"channel_id": 1, "currency": "SEK"}],
                }
            ],
            "hogia": {"connection_id": "bench_hogia"},
            "order_trigger_statuses": [2],
            "streams": ["orders"],
        }
    )


def _make_every_customer_known(hogia: Any) -> None:
    """Create a Hogia contact for every customer of the seeded world (the returning-customer case)."""
    from jetshop_hogia.apimodel.hogia_smart import ContactFields
    from jetshop_hogia_simulators.seed import generate_world

    known = {contact.email for contact in hogia.iter_contacts()}
    for customer in generate_world(42).customers:
        if customer.email not in known:
            name = {"company_name": customer.company_name} if customer.is_company else {}
            hogia.create_contact_once(
                ContactFields(
                    given_name=customer.first_name, sur_name=customer.last_name, email=customer.email, **name
                )
            )
    time.sleep(WINDOW + 0.2)  # let the setup calls leave the rate-limit window


def _place(jetshop_url: str, count: int, day: date) -> None:
    placed_at = datetime(day.year, day.month, day.day, 10, tzinfo=STOCKHOLM).isoformat()
    for start in range(0, count, 500):
        body = {"shop_id": "alpha", "count": min(500, count - start), "status_id": 2, "placed_at": placed_at}
        requests.post(f"{jetshop_url}/_admin/orders", json=body, timeout=30).raise_for_status()


def _run(tenant: Any, resources: Any, day: date, run_dir: Path) -> Any:
    from jetshop_hogia.kernel import StreamRun
    from jetshop_hogia.streams.orders.windows import local_day_window

    return StreamRun(tenant, local_day_window(day, tenant.timezone), f"bench__{day}", str(run_dir), resources)


def _calls(hogia_url: str) -> dict[str, int]:
    calls: dict[str, int] = requests.get(f"{hogia_url}/_admin/calls", timeout=10).json()["calls"]
    return calls


def _calls_per_order(
    tenant: Any, resources: Any, hogia_url: str, jetshop_url: str, work: Path
) -> dict[str, Any]:
    from jetshop_hogia.streams.orders import steps

    day = date(2026, 12, 1)
    _place(jetshop_url, CALLS_ORDERS, day)
    before = _calls(hogia_url)
    run = _run(tenant, resources, day, work / "calls")
    steps.reconcile(run, steps.write(run, steps.transform(run, steps.fetch(run))))
    after = _calls(hogia_url)
    spent = {op: after.get(op, 0) - before.get(op, 0) for op in after if op != "connect.token"}
    value = sum(spent.values()) / CALLS_ORDERS
    return {
        "name": "order_stream Hogia calls/order",
        "value": value,
        "unit": "calls/order (returning customers)",
        "baseline": 1.0,
        "ratio": 1.0 / value,
        "target_ratio": 0.95,
        "notes": (
            f"N={CALLS_ORDERS}: {', '.join(f'{op} {n}' for op, n in sorted(spent.items()) if n)}; "
            "ratio = 1.0/value (lower is better), target 0.95 = at most 1.05 calls per order"
        ),
    }


def _write_throughput(
    tenant: Any, resources: Any, jetshop_url: str, work: Path, duration_s: float
) -> dict[str, Any]:
    from jetshop_hogia.streams.orders import steps

    windows = max(2, math.ceil(duration_s / WINDOW))
    count = LIMIT * (windows + 1)
    day = date(2026, 12, 2)
    _place(jetshop_url, count, day)
    run = _run(tenant, resources, day, work / "throughput")
    transformed = steps.transform(run, steps.fetch(run))
    done: list[float] = []
    hook = resources.hogia()
    create = hook.create_invoice

    def timed_create(body: Any) -> str:
        invoice_id: str = create(body)
        done.append(time.perf_counter())
        return invoice_id

    hook.create_invoice = timed_create
    try:
        steps.write(run, transformed)
    finally:
        del hook.create_invoice
    steady = (len(done) - LIMIT) / (done[-1] - done[LIMIT - 1])  # after the first full window
    limit_rate = LIMIT / WINDOW
    return {
        "name": "order_stream write throughput",
        "value": steady,
        "unit": "orders/s at Hogia's 25 req/5 s",
        "baseline": limit_rate,
        "ratio": steady / limit_rate,
        "target_ratio": 0.9,
        "notes": f"{len(done)} invoices, steady state after the first {LIMIT}; one rate-limited call each",
    }


def run(duration_s: float) -> list[dict[str, Any]]:
    """Start both simulators (Hogia with its default rate limit) and measure both figures."""
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="bench-airflow-"))
    from jetshop_hogia.state import StateStore

    for noisy in ("jetshop_hogia", "jetshop_hogia_provider", "alembic"):  # one line per call otherwise
        logging.getLogger(noisy).setLevel(logging.WARNING)

    with (
        server_process("jetshop_hogia_simulators.jetshop") as jetshop_url,
        server_process("jetshop_hogia_simulators.hogia") as hogia_url,
        tempfile.TemporaryDirectory(prefix="bench-orders-") as scratch,
    ):
        work = Path(scratch)
        tenant = _tenant(jetshop_url, hogia_url)
        with StateStore(f"sqlite:///{work / 'state.db'}") as store:
            store.migrate()
            resources = _Resources(tenant, store)
            _make_every_customer_known(resources.hogia())
            calls = _calls_per_order(tenant, resources, hogia_url, jetshop_url, work)
            time.sleep(WINDOW + 0.2)
            throughput = _write_throughput(tenant, resources, jetshop_url, work, duration_s)
    return [throughput, calls]


if __name__ == "__main__":
    started = datetime.now(UTC)
    for result in run(5.0):
        print(result)
    print(f"took {(datetime.now(UTC) - started) / timedelta(seconds=1):.1f} s")
