"""The stock stream against the simulators: levels, never negative, delivery dates, status, run order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from catalog_helpers import (
    STOCKHOLM,
    SimResources,
    change_article,
    connect,
    make_run,
    run_stream,
    shop_product,
)

from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
RULES = {"stock_status": {"in_stock": 1, "out_of_stock": 2, "coming": 9, "by_hogia_status": {"Utgått": 3}}}


@pytest.fixture
def gamma(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    tenant = connect(monkeypatch, *sims, flow="combo", streams=["stock"], catalog=RULES)
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def test_stock_changes_in_hogia_reach_jetshop_never_negative_with_status_and_date(
    gamma, sims: Sims, tmp_path: Path
) -> None:
    tenant, resources = gamma
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    run_stream("stock", make_run(tenant, resources, tmp_path, run_id="first"))
    change_article(hogia_sim, company, "1092-10", stockBalance=Decimal("-3"), deliveryDate="2026-12-05")
    change_article(hogia_sim, company, "7301", stockBalance=Decimal("12.5"))
    change_article(hogia_sim, company, "5200", stockStatus="Utgått")

    steps = run_stream("stock", make_run(tenant, resources, tmp_path, run_id="second", hour=11))

    assert steps["write"]["scopes"]["gamma"]["sent"] == 3
    negative = shop_product(jetshop_sim, "gamma", "1092-10")
    assert (negative.stock, negative.stock_status_id) == (0, 9)  # nothing in stock, date known: coming
    assert negative.delivery_date.astimezone(STOCKHOLM).isoformat() == "2026-12-05T00:00:00+01:00"
    assert shop_product(jetshop_sim, "gamma", "7301").stock == 12  # whole units, rounded down
    assert shop_product(jetshop_sim, "gamma", "5200").stock_status_id == 3
    assert steps["reconcile"]["scopes"]["gamma"]["status"] == "ok"


def test_an_older_run_never_overwrites_a_newer_level(gamma, sims: Sims, tmp_path: Path) -> None:
    tenant, resources = gamma
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    stream = REGISTRY.get("stock")()
    run_stream("stock", make_run(tenant, resources, tmp_path, run_id="first"))
    change_article(hogia_sim, company, "7300", stockBalance=Decimal("5"))
    late = make_run(tenant, resources, tmp_path, run_id="late", hour=11)
    late_plan = stream.transform(late, stream.fetch(late))  # read level 5, then stalls
    change_article(hogia_sim, company, "7300", stockBalance=Decimal("4"))  # a sale
    run_stream("stock", make_run(tenant, resources, tmp_path, run_id="newer", hour=12))

    written = stream.write(late, late_plan)  # the stalled run goes on

    assert written["scopes"]["gamma"]["sent"] == 0
    assert shop_product(jetshop_sim, "gamma", "7300").stock == 4
