"""Initial sync Jetshop → Hogia against the simulators: 5,000 articles (variants included), then the
scheduled products stream starting from the bindings it made (a second trigger: the resume tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_helpers import SimResources, connect, make_run, run_stream
from sync_helpers import empty_catalogs, hogia_numbers, options, seed_jetshop, stored_report, sync, sync_run

from jetshop_hogia.initial_sync.options import SyncDirection
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
PARENTS, VARIANTS, SIMPLE = 1000, 3, 2000  # 3,000 variants + 2,000 plain products = 5,000 articles


@pytest.fixture
def shop_led(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[0]
    tenant = connect(
        monkeypatch, *sims, flow="shop_led", streams=["products_to_hogia"], shops=("alpha",), company=company
    )
    empty_catalogs(jetshop_sim, "alpha", hogia_sim, company)
    resources = SimResources(tenant, store)
    yield tenant, resources, company
    resources.close()


@pytest.mark.timeout(900)  # Hogia has no bulk write: 5,000 creates are ~10,000 calls (~3 min on a shared box)
def test_5000_articles_with_variants_reach_hogia_once_and_the_scheduled_stream_sends_none_again(
    shop_led, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources, company = shop_led
    jetshop_sim, hogia_sim = sims
    sellable = seed_jetshop(jetshop_sim, "alpha", PARENTS, SIMPLE, VARIANTS)
    assert len(sellable) == 5000

    first_run = sync_run(tenant, resources, tmp_path, "first")
    batches, counts = sync(first_run, options(SyncDirection.JETSHOP_TO_HOGIA, batch_size=1000))

    assert len(batches) == 5
    assert batches[0]["label"].startswith("Hogia #1: P0001-1…")
    assert counts["created"] == 5000
    assert counts["planned"] == 5000
    numbers = hogia_numbers(hogia_sim, company)
    assert sorted(numbers) == sorted(sellable)  # every variant its own article, no parent, none twice
    report = stored_report(store, tenant.tenant_id, "first")
    assert report is not None
    assert report["counts"]["created"] == 5000
    assert "P0001-2" in report["articles"]["created"]

    # the scheduled stream starts from the bindings: nothing is sent again
    scheduled = run_stream("products_to_hogia", make_run(tenant, resources, tmp_path, run_id="scheduled"))
    assert scheduled["transform"]["scopes"]["*"]["changed_count"] == 0
    assert scheduled["write"]["scopes"]["*"]["sent"] == 0
