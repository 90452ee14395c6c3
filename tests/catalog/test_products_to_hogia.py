"""products_to_hogia against the simulators: a product created in Jetshop appears in Hogia, only once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from catalog_helpers import SimResources, connect, make_run, run_stream, sim_window

from jetshop_hogia.apimodel.jetshop_products import ProductData
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


@pytest.fixture
def alpha(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    _, hogia_sim = sims
    tenant = connect(
        monkeypatch,
        *sims,
        flow="shop_led",
        streams=["products_to_hogia"],
        shops=("alpha",),
        company=hogia_sim.companies[0],
        plan=100,
        catalog={"send_to_web_shop": False},
    )
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def _hogia_article(hogia_sim: HogiaSimHandle, number: str, index: int = 0) -> object:
    company = hogia_sim.simulator.state.company(hogia_sim.companies[index].organisation_id)
    return company.article_by_number(number)


def test_a_product_created_in_jetshop_appears_in_hogia_and_unchanged_ones_cost_no_write(
    alpha, sims: Sims, tmp_path: Path
) -> None:
    tenant, resources = alpha
    jetshop_sim, hogia_sim = sims
    first = run_stream("products_to_hogia", make_run(tenant, resources, tmp_path, run_id="first"))
    hook = resources.jetshop("alpha")
    new = ProductData(article_number="9900-1", name="Krukväxt Fikus", vat=Decimal("0.25"))
    results = hook.product_add_update([new.model_copy(update={"culture": "sv-SE"})])
    assert results[0].created

    later = sim_window(jetshop_sim)
    second = run_stream(
        "products_to_hogia", make_run(tenant, resources, tmp_path, run_id="second", run_window=later)
    )

    assert first["transform"]["scopes"]["*"]["ignored"] == 3  # the three variant parents
    assert first["write"]["scopes"]["*"]["confirmed"] == first["transform"]["scopes"]["*"]["items"]
    created = _hogia_article(hogia_sim, "9900-1")
    assert (created.name, created.vat_code, created.send_to_web_shop) == ("Krukväxt Fikus", "MP1", False)
    assert second["write"]["scopes"]["*"]["sent"] == 1  # only the new product
    assert second["reconcile"]["scopes"]["*"]["status"] == "ok"
