"""products_to_jetshop against the simulators: new products per culture, Jetshop's texts kept, one bad
article in 500 quarantined while 499 are applied, and a lost answer that repeats nothing confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import (
    SimResources,
    add_hogia_articles,
    change_article,
    connect,
    jetshop_calls,
    make_run,
    run_stream,
    shop_product,
)

from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.state import StateStore
from jetshop_hogia.streams._catalog.base import CatalogWriteIncomplete
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
ADD_UPDATE = "Product_AddUpdate"


@pytest.fixture
def beta(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    _, hogia_sim = sims
    tenant = connect(
        monkeypatch,
        *sims,
        flow="erp_led",
        streams=["products_to_jetshop"],
        shops=("beta",),
        company=hogia_sim.companies[1],
    )
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def test_new_articles_become_products_in_every_culture_and_jetshop_texts_are_kept(
    beta: Any, sims: Sims, tmp_path: Path
) -> None:
    tenant, resources = beta
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[1]
    add_hogia_articles(hogia_sim, company, ["9100"])
    first = run_stream("products_to_jetshop", make_run(tenant, resources, tmp_path, run_id="first"))
    change_article(hogia_sim, company, "9100", name="Nytt namn i Hogia")

    second = run_stream(
        "products_to_jetshop", make_run(tenant, resources, tmp_path, run_id="second", hour=11)
    )

    product = shop_product(jetshop_sim, "beta", "9100")
    assert {culture: texts.name for culture, texts in product.texts.items()} == {
        "sv-SE": "Artikel 9100",
        "nb-NO": "Artikel 9100",
    }
    existing = shop_product(jetshop_sim, "beta", "1092-10")
    assert existing.texts["sv-SE"].name == "Konstväxt Nigella"  # never overwritten by default
    assert first["reconcile"]["scopes"]["beta"]["status"] == "ok"
    assert second["write"]["scopes"]["beta"]["sent"] == 0  # the rename is Jetshop's text: nothing to send


def test_one_bad_article_in_500_is_quarantined_and_499_are_applied(
    beta: Any, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = beta
    jetshop_sim, hogia_sim = sims
    numbers = [f"95{i:03d}" for i in range(500)]
    add_hogia_articles(hogia_sim, hogia_sim.companies[1], numbers)
    jetshop_sim.admin("PUT", "products/beta/unreadable", {"articles": ["95137"]})

    steps = run_stream("products_to_jetshop", make_run(tenant, resources, tmp_path))

    scope = steps["write"]["scopes"]["beta"]
    assert scope["quarantined"] == 1
    assert scope["splits"] > 0
    assert shop_product(jetshop_sim, "beta", "95137") is None
    assert all(shop_product(jetshop_sim, "beta", n) is not None for n in numbers if n != "95137")
    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant.tenant_id, "products_to_jetshop", "95137", shop_id="beta")
    assert entry is not None
    assert entry.reason_code == "refused_whole_batch"
    assert "Sender fault" in entry.reason_text


class _LoseAnswersAfter:
    """Wraps a Jetshop hook: after ``good`` Product_AddUpdate calls, the simulator applies and drops."""

    def __init__(self, hook: Any, jetshop_sim: JetshopSimHandle, good: int) -> None:
        self.hook, self.sim, self.left = hook, jetshop_sim, good

    def __getattr__(self, name: str) -> Any:
        return getattr(self.hook, name)

    def product_add_update(self, products: Any, **options: Any) -> Any:
        if self.left == 0:
            self.sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": [ADD_UPDATE]})
        self.left -= 1
        return self.hook.product_add_update(products, **options)


def test_a_lost_answer_repeats_nothing_that_was_confirmed(
    beta: Any, sims: Sims, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, resources = beta
    jetshop_sim, hogia_sim = sims
    numbers = [f"96{i:03d}" for i in range(200)]  # 4 chunks of 50 new articles (+ the seeded ones)
    add_hogia_articles(hogia_sim, hogia_sim.companies[1], numbers)
    stream = REGISTRY.get("products_to_jetshop")()
    run = make_run(tenant, resources, tmp_path)
    transformed = stream.transform(run, stream.fetch(run))
    chunks = -(-transformed["scopes"]["beta"]["changed_count"] // tenant.catalog.batch_size)
    real = resources.jetshop("beta")
    losing = _LoseAnswersAfter(real, jetshop_sim, 2)
    monkeypatch.setattr(resources, "jetshop", lambda shop_id=None: losing)

    with pytest.raises(CatalogWriteIncomplete):
        stream.write(run, transformed)
    jetshop_sim.admin("PUT", "faults", {})
    monkeypatch.setattr(resources, "jetshop", lambda shop_id=None: real)
    before = jetshop_calls(jetshop_sim)[ADD_UPDATE]
    written = stream.write(run, transformed)  # the task's retry

    assert jetshop_calls(jetshop_sim)[ADD_UPDATE] - before == chunks - 2
    assert written["scopes"]["beta"]["already_confirmed"] == 2 * tenant.catalog.batch_size
    assert all(shop_product(jetshop_sim, "beta", n) is not None for n in numbers)


def test_a_culture_the_shop_refuses_quarantines_the_article_with_the_services_status(
    beta: Any, sims: Sims, store: StateStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import os

    tenant, resources = beta
    jetshop_sim, hogia_sim = sims
    conn = json.loads(os.environ["AIRFLOW_CONN_JETSHOP_BETA"])
    conn["extra"]["cultures"] = "sv-SE,nb-NO,da-DK"  # the shop has no Danish culture
    monkeypatch.setenv("AIRFLOW_CONN_JETSHOP_BETA", json.dumps(conn))
    add_hogia_articles(hogia_sim, hogia_sim.companies[1], ["9200"])

    steps = run_stream("products_to_jetshop", make_run(tenant, resources, tmp_path))

    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant.tenant_id, "products_to_jetshop", "9200", shop_id="beta")
    assert entry is not None
    assert entry.reason_text == "9200 [da-DK]: product not written (StatusMainProductCreateDelete=None)"
    assert steps["write"]["scopes"]["beta"]["confirmed"] == 0
    assert shop_product(jetshop_sim, "beta", "9200") is not None  # sv-SE and nb-NO were applied
