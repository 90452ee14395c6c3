"""Initial sync Hogia → Jetshop against the simulators: 5,000 articles (size variants as their own
numbers, as Hogia has no variant structure), then the scheduled products stream sends nothing again."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from catalog_helpers import SimResources, add_hogia_articles, connect, make_run, run_stream
from sync_helpers import empty_catalogs, options, stored_report, sync, sync_run

from jetshop_hogia.initial_sync.options import SyncDirection
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


def test_5000_hogia_articles_become_jetshop_products_once(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    tenant = connect(monkeypatch, *sims, flow="erp_led", streams=["products_to_jetshop"], company=company)
    empty_catalogs(jetshop_sim, "gamma", hogia_sim, company)
    numbers = [f"T{n:04d}-{size}" for n in range(1, 1001) for size in ("S", "M", "L")]
    numbers += [f"A{n:04d}" for n in range(1, 2001)]
    add_hogia_articles(hogia_sim, company, numbers)
    resources = SimResources(tenant, store)
    try:
        run = sync_run(tenant, resources, tmp_path, "initial")
        batches, counts = sync(run, options(SyncDirection.HOGIA_TO_JETSHOP, batch_size=1000))

        assert [b["label"].split(":")[0] for b in batches] == [f"shop gamma #{n}" for n in range(1, 6)]
        assert counts["created"] == 5000
        with jetshop_sim.simulator.lock:
            products = dict(jetshop_sim.simulator.state.shops["gamma"].products)
        assert sorted(products) == sorted(numbers)
        assert {p.vat for p in products.values()} == {Decimal("0.25")}
        assert products["T0001-M"].texts["sv-SE"].name == "Artikel T0001-M"
        report = stored_report(store, tenant.tenant_id, "initial")
        assert report is not None
        assert len(report["articles"]["created"]) == 5000

        scheduled = run_stream(
            "products_to_jetshop", make_run(tenant, resources, tmp_path, run_id="scheduled")
        )
        assert scheduled["transform"]["scopes"]["gamma"]["changed_count"] == 0
    finally:
        resources.close()
