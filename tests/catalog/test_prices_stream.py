"""The prices stream against the simulators: rows per channel, öre prices, campaigns, delta, drift."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import (
    STOCKHOLM,
    SimResources,
    change_article,
    connect,
    jetshop_calls,
    make_run,
    run_stream,
    shop_product,
)

from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


@pytest.fixture
def gamma(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    tenant = connect(monkeypatch, *sims, flow="combo", streams=["prices"])
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def _default_entry(jetshop_sim: JetshopSimHandle, article: str) -> object:
    product = shop_product(jetshop_sim, "gamma", article)
    shop = jetshop_sim.simulator.state.shops["gamma"]
    return product.prices[shop.default_price_list]


def test_first_run_sends_every_whole_price_and_quarantines_ore_prices(
    gamma, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = gamma
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    change_article(hogia_sim, company, "3489-99-1", price=Decimal("99.20"))  # 124.00 incl. 25 % VAT

    steps = run_stream("prices", make_run(tenant, resources, tmp_path))

    scope = steps["transform"]["scopes"]["gamma"]
    assert scope["changed_count"] == scope["items"] > 0
    assert scope["quarantined"] > 0  # seeded 249.50, 89.90 … have öre
    entry = _default_entry(jetshop_sim, "3489-99-1")
    assert entry.price == Decimal("99.2000")
    assert entry.discounted_price < 0  # -1 sent: "no campaign" (stored -0.8 by the quirk)
    with store.transaction() as tx:
        open_keys = {e.record_key: e.reason_code for e in tx.quarantine.open_entries(tenant.tenant_id)}
    pricelist = tenant.shops[0].channels[0].price_list
    assert open_keys[f"2310-vit@{pricelist}"] == "price_has_ore"
    assert steps["reconcile"]["scopes"]["gamma"]["status"] == "ok"


def test_only_changed_prices_are_sent_in_the_next_run(
    gamma, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = gamma
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    run_stream("prices", make_run(tenant, resources, tmp_path, run_id="first"))
    change_article(
        hogia_sim,
        company,
        "1092-10",
        price=Decimal("120.00"),
        campaignPrice={"price": "96.00", "validFrom": "2026-11-20", "validTo": "2026-11-30"},
    )
    before = jetshop_calls(jetshop_sim).get("PriceList_UpdateArticleIncVAT", 0)

    steps = run_stream("prices", make_run(tenant, resources, tmp_path, run_id="second", hour=11))

    scope = steps["write"]["scopes"]["gamma"]
    assert (scope["sent"], scope["confirmed"], scope["calls"]) == (1, 1, 1)
    assert jetshop_calls(jetshop_sim)["PriceList_UpdateArticleIncVAT"] - before == 1
    entry = _default_entry(jetshop_sim, "1092-10")
    assert (entry.price, entry.discounted_price) == (Decimal("120.0000"), Decimal("96.0000"))
    assert entry.use_discount_date_span is True
    assert entry.discount_start.astimezone(STOCKHOLM).isoformat() == "2026-11-20T00:00:00+01:00"
    assert steps["reconcile"]["scopes"]["gamma"]["compared"] == 1


def test_a_full_compare_reports_drift_and_auto_heal_resends_it_in_the_next_run(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, _ = sims
    tenant = connect(
        monkeypatch, *sims, flow="combo", streams=["prices"], catalog={"drift": {"auto_heal": True}}
    )
    resources = SimResources(tenant, store)
    run_stream("prices", make_run(tenant, resources, tmp_path, run_id="first"))
    jetshop_sim.admin("PATCH", "products/gamma/1092-10", {"price_inc_vat": "99"})  # edited in the shop

    compare = run_stream(
        "prices",
        make_run(tenant, resources, tmp_path, run_id="compare", hour=11, params={"full_compare": True}),
    )
    heal = run_stream("prices", make_run(tenant, resources, tmp_path, run_id="heal", hour=12))
    resources.close()

    assert compare["reconcile"]["full_compare"] is True
    assert compare["reconcile"]["scopes"]["gamma"]["drift"] == 1
    with store.transaction() as tx:
        result = tx.reconciliation.history(tenant.tenant_id, "prices", scope="gamma")[1]
    assert result.details["mode"] == "full_compare"
    assert result.details["healed"] == 1
    assert result.details["drift"][0]["fields"][0] == {
        "field": "price",
        "expected": "108.0000",
        "actual": "79.2000",
    }
    assert heal["write"]["scopes"]["gamma"]["sent"] == 1
    assert _default_entry(jetshop_sim, "1092-10").price == Decimal("108.0000")


def test_switching_flow_sends_everything_once(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    combo = connect(monkeypatch, *sims, flow="combo", streams=["prices"])
    erp = connect(monkeypatch, *sims, flow="erp_led", streams=["prices"])
    resources = SimResources(combo, store)
    first = run_stream("prices", make_run(combo, resources, tmp_path, run_id="first"))
    again = run_stream("prices", make_run(combo, resources, tmp_path, run_id="again", hour=11))
    switched = run_stream(
        "prices", make_run(erp, SimResources(erp, store), tmp_path, run_id="switched", hour=12)
    )
    resources.close()

    items = first["transform"]["scopes"]["gamma"]["items"]
    assert first["write"]["scopes"]["gamma"]["sent"] == items
    assert again["write"]["scopes"]["gamma"]["sent"] == 0
    assert switched["write"]["scopes"]["gamma"]["sent"] == items


def test_a_quarantined_price_is_resolved_once_a_whole_price_is_confirmed(
    gamma: Any, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = gamma
    jetshop_sim, hogia_sim = sims
    key = f"2310-vit@{tenant.shops[0].channels[0].price_list}"
    run_stream("prices", make_run(tenant, resources, tmp_path, run_id="first"))
    change_article(hogia_sim, hogia_sim.companies[2], "2310-vit", price=Decimal("200.00"))  # 250.00 incl.

    run_stream("prices", make_run(tenant, resources, tmp_path, run_id="fixed", hour=11))

    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant.tenant_id, "prices", key, shop_id="gamma")
    assert entry is not None
    assert entry.resolved_at is not None
    assert _default_entry(jetshop_sim, "2310-vit").price == Decimal("200.0000")
