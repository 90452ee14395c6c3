"""``make demo-scenario``: a quarantined order an ops person can fix and re-drive in the demo.

Runs the scenario commands against the simulators, then the order stream and the re-drive the way the
demo's DAGs call them: the order is quarantined as ``unknown_article``, stays so until the article exists
in Hogia, and the re-drive then invoices it exactly once.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from orders_helpers import SimResources, connect, invoice_counts, make_run, run_steps

from jetshop_hogia.apimodel.jetshop_orders import RowType
from jetshop_hogia.config import load_tenants
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.operations.quarantine import list_open
from jetshop_hogia.operations.redrive import redrive_quarantine
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.demo import scenarios
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle

REPO = Path(__file__).resolve().parents[2]


def test_the_scenario_matches_the_demo_tenant_file() -> None:
    """Shop, Hogia company, trigger status and currencies are Beta's: the order lands where it says."""
    loaded = load_tenants(REPO / "include" / "tenants", only=scenarios.TENANT)
    assert loaded.errors == []
    (tenant,) = loaded.tenants
    assert [shop.id for shop in tenant.shops] == [scenarios.SHOP]
    assert tenant.hogia.connection_id == f"hogia_{scenarios.HOGIA_CLIENT}"
    assert scenarios.PROCESSING in tenant.order_trigger_statuses
    assert sorted({c.currency for c in tenant.shops[0].channels}) == sorted(scenarios.CURRENCIES)
    assert tenant.flow.value == "erp_led"  # articles are made in Hogia, never from shop products


def test_quarantine_fix_and_redrive_invoice_the_order_once(
    monkeypatch: pytest.MonkeyPatch,
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
    store: StateStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    jetshop_sim, hogia_sim = sims
    urls = scenarios.Urls(jetshop=jetshop_sim.url, hogia=hogia_sim.url)
    monkeypatch.setattr(scenarios, "Urls", lambda: urls)
    beta = next(c for c in hogia_sim.companies if c.client_id == scenarios.HOGIA_CLIENT)
    tenant = connect(
        monkeypatch,
        jetshop_sim,
        hogia_sim,
        tenant_id=scenarios.TENANT,
        shops=("beta",),
        company=beta,
        plan=400,
    )

    assert scenarios.main(["quarantine-order"]) == 0
    printed = capsys.readouterr().out
    order = max(jetshop_sim.simulator.state.shops["beta"].orders.values(), key=lambda o: o.order_id)
    assert [row.article_number for row in order.rows if row.row_type is RowType.PRODUCT] == ["9100"]
    assert order.status_id == scenarios.PROCESSING
    for told in (order.order_number, scenarios.TENANT, "unknown_article", "9100", "fix-order"):
        assert told in printed
    assert 'make quarantine ARGS="list --tenant beta_erp_led"' in printed
    assert "redrive_quarantine" in printed

    # the next scheduled run: the order stream quarantines it, nothing reaches Hogia
    resources = SimResources(tenant, store)
    try:
        window = RunWindow(TEST_START, jetshop_sim.simulator.now() + timedelta(minutes=5))
        run_steps(make_run(tenant, resources, tmp_path / "run", window=window))
        entries = list_open(store, scenarios.TENANT)
        assert [(e.record_key, e.reason_code) for e in entries] == [(order.order_number, "unknown_article")]
        assert invoice_counts(hogia_sim, beta)[order.order_number] == 0

        assert scenarios.main(["fix-order"]) == 0
        assert "Created article 9100" in capsys.readouterr().out
        article = hogia_sim.admin("GET", f"articles/{beta.organisation_id}/9100")
        assert article["sendToWebShop"] is True
        assert {p["currencyCode"] for p in article["prices"]} == {"SEK", "NOK"}

        report = redrive_quarantine(
            tenant=tenant,
            jetshop_for=resources.jetshop,
            hogia=resources.hogia(),
            store=store,
            run_id="manual__redrive",
            order_numbers=[order.order_number],
        )
    finally:
        resources.close()
    assert report.counts == {"invoiced": 1}
    assert invoice_counts(hogia_sim, beta)[order.order_number] == 1
    assert list_open(store, scenarios.TENANT) == []


def test_the_next_scenario_order_uses_the_next_missing_article(
    sims: tuple[JetshopSimHandle, HogiaSimHandle],
) -> None:
    """After a fix, a second round needs a new article: 9100 now exists, so 9101 is the one Hogia lacks."""
    jetshop_sim, hogia_sim = sims
    urls = scenarios.Urls(jetshop=jetshop_sim.url, hogia=hogia_sim.url)
    session = hogia_sim.session
    assert scenarios.fix_order(session, urls, TEST_START.date()) == "9100"
    second = scenarios.quarantine_order(session, urls)
    assert second.article == "9101"
    assert second.order_number.startswith("B")
    created = hogia_sim.session.post(
        f"{hogia_sim.url}/_admin/articles/{hogia_sim.organisation_id}",
        json=scenarios.hogia_article("1092-10", TEST_START.date()),
        timeout=10,
    )
    assert created.status_code == 422  # an article number already taken is refused, as the API does
