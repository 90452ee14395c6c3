"""Re-drive of quarantined catalog items against the simulators (products_to_hogia, shop_led).

A product quarantined for a VAT rate no Hogia code has is fixed in Jetshop *without* a new change stamp
(a scheduled run would never read it again); the re-drive reads the whole shop, sends only that product
(one article created, nothing else of the catalog written), and a second re-drive sends nothing. A
product that is still broken stays open with its new reason; an unreachable Hogia fails the re-drive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import SimResources, connect, make_run, run_stream, sim_window

from jetshop_hogia.apimodel.jetshop_products import ProductData
from jetshop_hogia.operations.redrive_catalog import (
    CatalogRedriveIncomplete,
    CatalogRedriveReport,
    redrive_catalog,
)
from jetshop_hogia.state import StateStore
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
STREAM = "products_to_hogia"
FIXED, BROKEN = "9950-1", "9950-2"


@pytest.fixture
def alpha(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    _, hogia_sim = sims
    tenant = connect(
        monkeypatch,
        *sims,
        flow="shop_led",
        streams=["orders", STREAM],
        shops=("alpha",),
        company=hogia_sim.companies[0],
        plan=100,
    )
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def _register(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    """Article number → row version of the alpha company (any write changes it)."""
    with hogia_sim.simulator.state.lock:
        company = hogia_sim.simulator.state.company(hogia_sim.companies[0].organisation_id)
        assert company is not None
        return {article.number: article.row_version for article in company.articles.values()}


def _fix_quietly(jetshop_sim: JetshopSimHandle, article: str, **changes: Any) -> None:
    """Change a product with a change stamp two days old: no scheduled run's change list has it."""
    with jetshop_sim.simulator.lock:
        products = jetshop_sim.simulator.state.shops["alpha"].products
        stamp = jetshop_sim.simulator.now() - timedelta(days=2)
        products[article] = products[article].model_copy(update={**changes, "modified": stamp})


def _open(store: StateStore, tenant_id: str) -> dict[str, str]:
    with store.transaction() as tx:
        return {e.record_key: e.reason_code for e in tx.quarantine.open_entries(tenant_id, stream=STREAM)}


def _redrive(alpha: Any, sims: Sims, tmp_path: Path, run_id: str, **kw: Any) -> CatalogRedriveReport:
    tenant, resources = alpha
    return redrive_catalog(
        tenant=tenant,
        resources=resources,
        run_id=run_id,
        run_dir=str(tmp_path / run_id),
        now=sims[0].simulator.now(),
        **kw,
    )


@pytest.fixture
def quarantined(alpha, sims: Sims, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two new products quarantined by a first run: 7 % VAT, which no Hogia VAT code has."""
    tenant, resources = alpha
    jetshop_sim, _ = sims
    products = [
        ProductData(article_number=number, culture="sv-SE", name=f"Kruka {number}", vat=Decimal("0.07"))
        for number in (FIXED, BROKEN)
    ]
    assert all(result.created for result in resources.jetshop("alpha").product_add_update(products))
    first = make_run(tenant, resources, tmp_path, run_id="first", run_window=sim_window(jetshop_sim))
    run_stream(STREAM, first)
    return alpha


def test_a_fixed_product_is_sent_once_and_nothing_else_of_the_catalog(
    quarantined: Any, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = quarantined
    jetshop_sim, hogia_sim = sims
    quarantined_by_the_run = _open(store, tenant.tenant_id)
    _fix_quietly(jetshop_sim, FIXED, vat=Decimal("0.25"))
    _fix_quietly(jetshop_sim, BROKEN, vat=Decimal("0.25"), texts={})  # now it has no name at all
    scheduled = run_stream(
        STREAM, make_run(tenant, resources, tmp_path, run_id="scheduled", run_window=sim_window(jetshop_sim))
    )
    before = _register(hogia_sim)

    first = _redrive(quarantined, sims, tmp_path, "redrive_1")
    after_first = _register(hogia_sim)
    second = _redrive(quarantined, sims, tmp_path, "redrive_2")
    only_fixed = _redrive(quarantined, sims, tmp_path, "redrive_3", item_keys=[FIXED])

    assert quarantined_by_the_run == {FIXED: "unknown_vat_rate", BROKEN: "unknown_vat_rate"}
    assert scheduled["write"]["scopes"]["*"]["sent"] == 0  # the window's change list has neither fix
    assert (first.selected, first.counts) == (2, {"quarantined": 1, "sent": 1})
    lines = {line.key: (line.outcome, line.reason) for line in first.items}
    assert lines == {FIXED: ("sent", None), BROKEN: ("quarantined", "no_name")}
    changed = {number for number, version in after_first.items() if before.get(number) != version}
    assert changed == {FIXED}  # one article created, no other article of the catalog written
    with hogia_sim.simulator.state.lock:
        company = hogia_sim.simulator.state.company(hogia_sim.companies[0].organisation_id)
        assert company is not None
        article = company.article_by_number(FIXED)
    assert article is not None
    assert (article.name, article.vat_code) == (f"Kruka {FIXED}", "MP1")
    assert _open(store, tenant.tenant_id) == {BROKEN: "no_name"}  # still open, with its new reason
    assert (second.selected, second.counts) == (1, {"quarantined": 1})
    assert (only_fixed.selected, only_fixed.items) == (0, [])
    assert _register(hogia_sim) == after_first  # the re-drives after the first wrote nothing
    assert f"1 sent (products_to_hogia:{FIXED})" in first.headline(tenant.tenant_id)


def test_an_item_whose_payload_hogia_already_holds_is_closed_without_a_write(
    quarantined: Any, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, _ = quarantined
    jetshop_sim, hogia_sim = sims
    _fix_quietly(jetshop_sim, FIXED, vat=Decimal("0.25"))
    _redrive(quarantined, sims, tmp_path, "redrive_1", item_keys=[FIXED])
    with store.transaction() as tx:  # as if the article had been refused after all: the entry reopens
        tx.quarantine.put(tenant.tenant_id, STREAM, FIXED, "article_refused", "refused", shop_id="*")
    before = _register(hogia_sim)

    report = _redrive(quarantined, sims, tmp_path, "redrive_2", item_keys=[FIXED])

    assert [(line.key, line.outcome) for line in report.items] == [(FIXED, "unchanged")]
    assert _register(hogia_sim) == before
    assert _open(store, tenant.tenant_id) == {BROKEN: "unknown_vat_rate"}


def test_a_product_gone_from_the_shop_stays_open_and_an_unreachable_hogia_fails_the_redrive(
    quarantined: Any, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, _ = quarantined
    jetshop_sim, hogia_sim = sims
    with jetshop_sim.simulator.lock:
        del jetshop_sim.simulator.state.shops["alpha"].products[BROKEN]
    _fix_quietly(jetshop_sim, FIXED, vat=Decimal("0.25"))
    hogia_sim.admin("PUT", "faults", {"error_503_share": 1.0, "operations": ["articles.create"]})
    try:
        with pytest.raises(CatalogRedriveIncomplete) as failed:
            _redrive(quarantined, sims, tmp_path, "redrive_1")
    finally:
        hogia_sim.admin("PUT", "faults", {})
    healed = _redrive(quarantined, sims, tmp_path, "redrive_2")

    lines = {line.key: line.outcome for line in failed.value.report.items}
    assert lines == {FIXED: "not_written", BROKEN: "not_found_in_source"}
    assert "products_to_hogia" in str(failed.value)
    assert {line.key: line.outcome for line in healed.items} == {FIXED: "sent", BROKEN: "not_found_in_source"}
    assert _open(store, tenant.tenant_id) == {BROKEN: "unknown_vat_rate"}


def test_only_keys_keeps_the_named_items_and_an_ignored_article_of_a_named_price_row() -> None:
    from jetshop_hogia.kernel import REGISTRY
    from jetshop_hogia.streams._catalog.model import Item, Problem, ScopePlan
    from jetshop_hogia.streams._catalog.restrict import restrict

    prices = REGISTRY.get("prices")()
    assert isinstance(prices, CatalogStream)
    plan = ScopePlan(
        "gamma",
        items=[Item("1-1@pl", {"p": 1}), Item("1-2@pl", {"p": 2})],
        quarantined=[Problem("1-3@pl", "ore_price", "249.50"), Problem("1-4@pl", "ore_price", "9.90")],
        ignored=[Problem("1-5", "not_in_shop", "no such product"), Problem("1-6", "not_in_shop", "no")],
        notes=["1-1@pl: rounded", "1-2@pl: rounded"],
    )

    kept = restrict(prices, plan, {"1-1@pl", "1-3@pl", "1-5@pl"})

    assert [item.key for item in kept.items] == ["1-1@pl"]
    assert [problem.key for problem in kept.quarantined] == ["1-3@pl"]
    assert [problem.key for problem in kept.ignored] == ["1-5"]  # prices ignore the article, not the row
    assert kept.notes == ["1-1@pl: rounded"]
