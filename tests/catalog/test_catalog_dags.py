"""Every demo tenant's DAG end to end under ``dag.test()``: the catalog streams of its flow against the
simulators. A price, campaign or stock change made in Hogia reaches Jetshop in the next run; a product
created in Jetshop appears in Hogia; a seeded difference is named by the full compare; a shop that fails
does not stop the other shop of a multishop tenant.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from catalog_helpers import change_article, shop_product

from jetshop_hogia.apimodel.jetshop_products import ProductData
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"


def _dag(dag_id: str) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags[dag_id]
    for task in dag.tasks:
        task.retries = 0
    return dag


def _run(dag: Any, jetshop_sim: JetshopSimHandle, number: int, **conf: Any) -> Any:
    """Run ``number`` of the test: a 15-minute window ending just after the simulators' clock."""
    end = jetshop_sim.simulator.now() + timedelta(minutes=1 + number)
    start = end - timedelta(minutes=15)
    logical = pendulum.instance(end) + timedelta(days=number)
    return dag.test(
        logical_date=logical,
        run_conf={"window_start": start.isoformat(), "window_end": end.isoformat(), **conf},
    )


def _states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def _entry(jetshop_sim: JetshopSimHandle, shop: str, article: str) -> Any:
    state = jetshop_sim.simulator.state.shops[shop]
    return shop_product(jetshop_sim, shop, article).prices[state.default_price_list]


def test_erp_led_hogia_price_campaign_and_stock_changes_reach_jetshop_in_the_next_run(
    demo_env: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    dag = _dag("sync_beta_erp_led")
    company = hogia_sim.companies[1]
    first = _run(dag, jetshop_sim, 1)
    change_article(hogia_sim, company, "1092-10", price=Decimal("112.00"))  # 140 incl. VAT
    change_article(
        hogia_sim, company, "3489-99-1", campaignPrice={"price": "80.00", "validFrom": "2026-11-01"}
    )
    change_article(hogia_sim, company, "7300", stockBalance=Decimal("3"))

    second = _run(dag, jetshop_sim, 2)

    assert first.state == "success", _states(first)
    assert second.state == "success", _states(second)
    streams = {t.split(".")[0] for t in _states(second)}
    assert streams == {"orders", "order_status", "products_to_jetshop", "prices", "stock"}
    assert _entry(jetshop_sim, "beta", "1092-10").price == Decimal("112.0000")
    assert _entry(jetshop_sim, "beta", "3489-99-1").discounted_price == Decimal("80.0000")
    assert shop_product(jetshop_sim, "beta", "7300").stock == 3


def test_combo_product_from_jetshop_reaches_hogia_and_stock_reaches_both_shops(
    demo_env: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    dag = _dag("sync_gamma_combo")
    company = hogia_sim.companies[2]
    first = _run(dag, jetshop_sim, 1)
    from jetshop_hogia_provider.hooks.jetshop import JetshopHook

    with JetshopHook("jetshop_gamma") as hook:
        hook.product_add_update(
            [ProductData(article_number="9700", culture="sv-SE", name="Ny vas", vat=Decimal("0.25"))]
        )
    change_article(hogia_sim, company, "7301", stockBalance=Decimal("42"))

    second = _run(dag, jetshop_sim, 2)

    assert first.state == "success", _states(first)
    assert second.state == "success", _states(second)
    store = hogia_sim.simulator.state.company(company.organisation_id)
    assert store is not None
    created = store.article_by_number("9700")
    assert created is not None
    assert created.name == "Ny vas"
    assert shop_product(jetshop_sim, "gamma", "7301").stock == 42
    assert shop_product(jetshop_sim, "delta", "7301").stock == 42


def test_combo_full_compare_names_a_seeded_drift(
    demo_env: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    dag = _dag("sync_gamma_combo")
    _run(dag, jetshop_sim, 1)
    jetshop_sim.admin("PATCH", "products/delta/1092-10", {"price_inc_vat": "99"})  # changed in the shop
    jetshop_sim.admin("PATCH", "products/gamma/7300", {"stock": 999})

    compare = _run(dag, jetshop_sim, 2, full_compare=True)

    assert compare.state == "success", _states(compare)
    url = str(demo_env.parent / "state.db")
    with StateStore(f"sqlite:///{url}") as store, store.transaction() as tx:
        prices = tx.reconciliation.latest("gamma_combo", "prices", scope="delta")
        stock = tx.reconciliation.latest("gamma_combo", "stock", scope="gamma")
    assert prices is not None
    assert stock is not None
    assert (prices.status.value, prices.details["mode"]) == ("failed", "full_compare")
    assert [d["key"].split("@")[0] for d in prices.details["drift"]] == ["1092-10"]
    assert [(d["key"], d["fields"][0]["actual"]) for d in stock.details["drift"]] == [("7300", "999")]


def test_multishop_a_failing_shop_does_not_stop_the_other(
    demo_env: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    dag = _dag("sync_gamma_combo")
    company = hogia_sim.companies[2]
    monkeypatch.setenv(
        "AIRFLOW_CONN_JETSHOP_DELTA",
        '{"conn_type": "jetshop", "host": "http://127.0.0.1:9", '
        '"login": "delta", "password": "x", "extra": {"shop_id": "delta", "cultures": "sv-SE"}}',
    )
    change_article(hogia_sim, company, "7301", stockBalance=Decimal("17"))

    run = _run(dag, jetshop_sim, 1)

    states = _states(run)
    assert run.state == "failed"
    assert states["stock.write"] == "failed"  # delta could not be reached: reported …
    assert shop_product(jetshop_sim, "gamma", "7301").stock == 17  # … and gamma was written anyway


def test_shop_led_product_created_in_jetshop_appears_in_hogia(
    demo_env: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    dag = _dag("sync_alpha_shop_led")
    from jetshop_hogia_provider.hooks.jetshop import JetshopHook

    with JetshopHook("jetshop_alpha") as hook:
        hook.product_add_update(
            [
                ProductData(
                    article_number="9800",
                    culture="sv-SE",
                    name="Sekatör",
                    vat=Decimal("0.25"),
                    price=Decimal("159.2"),
                )
            ]
        )

    run = _run(dag, jetshop_sim, 1)

    assert run.state == "success", _states(run)
    store = hogia_sim.simulator.state.company(hogia_sim.companies[0].organisation_id)
    assert store is not None
    created = store.article_by_number("9800")
    assert created is not None
    assert (created.name, created.price_in("SEK"), created.send_to_web_shop) == (
        "Sekatör",
        Decimal("159.20"),
        False,
    )
