"""Conflict policies, a kill in the middle of a batch and its resume, a second trigger, a dry run.

Small catalogs (a few hundred articles) so each rule is seen on its own; the 5,000-article runs are in
``test_jetshop_to_hogia`` and ``test_hogia_to_jetshop``.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import SimResources, add_hogia_articles, connect, shop_product
from sync_helpers import empty_catalogs, hogia_numbers, options, seed_jetshop, stored_report, sync, sync_run

from jetshop_hogia.apimodel.jetshop_products import ProductData
from jetshop_hogia.initial_sync.engine import finish, plan_batches, run_batch
from jetshop_hogia.initial_sync.options import ConflictPolicy, SyncDirection
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.catalog_sync import CatalogSyncRepository
from jetshop_hogia.streams.products_to_hogia import ProductsToHogia
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
TO_JETSHOP = SyncDirection.HOGIA_TO_JETSHOP
TO_HOGIA = SyncDirection.JETSHOP_TO_HOGIA


@pytest.fixture
def erp_led(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    """An erp_led tenant on shop gamma: 20 Hogia articles; the shop has 5 of them alike, 5 with 12 % VAT."""
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    tenant = connect(monkeypatch, *sims, flow="erp_led", streams=["products_to_jetshop"], company=company)
    empty_catalogs(jetshop_sim, "gamma", hogia_sim, company)
    numbers = [f"H{n:03d}" for n in range(1, 21)]
    add_hogia_articles(hogia_sim, company, numbers)  # 25 % VAT (MP1)
    resources = SimResources(tenant, store)
    hook = resources.jetshop("gamma")
    existing = [ProductData(article_number=n, name=f"Shop {n}", vat=Decimal("0.25")) for n in numbers[:5]]
    existing += [ProductData(article_number=n, name=f"Shop {n}", vat=Decimal("0.12")) for n in numbers[5:10]]
    hook.product_add_update([p.model_copy(update={"culture": "sv-SE"}) for p in existing])
    yield tenant, resources, numbers
    resources.close()


def _bound(store: StateStore, tenant_id: str, key: str, scope: str) -> set[str]:
    with store.transaction() as tx:
        return set(CatalogSyncRepository(tx.connection, store.now).load(tenant_id, key, scope))


@pytest.mark.parametrize(
    ("policy", "outcome", "vat_after", "conflicts_bound"),
    [
        (ConflictPolicy.REPORT, "conflicting", Decimal("0.12"), False),
        (ConflictPolicy.SKIP, "skipped", Decimal("0.12"), True),
        (ConflictPolicy.OVERWRITE, "updated", Decimal("0.25"), True),
    ],
)
def test_each_conflict_policy(
    erp_led,
    sims: Sims,
    store: StateStore,
    tmp_path: Path,
    policy: ConflictPolicy,
    outcome: str,
    vat_after: Decimal,
    conflicts_bound: bool,
) -> None:
    tenant, resources, numbers = erp_led
    jetshop_sim, _ = sims
    run = sync_run(tenant, resources, tmp_path, f"policy-{policy.value}")

    _, counts = sync(run, options(TO_JETSHOP, policy=policy, batch_size=10))

    assert counts["matched"] == 5
    assert counts["created"] == 10
    assert counts[outcome] == 5
    report = stored_report(store, tenant.tenant_id, run.run_id)
    assert report is not None
    assert report["articles"][outcome] == [f"gamma:{n}" for n in numbers[5:10]]
    assert {shop_product(jetshop_sim, "gamma", n).vat for n in numbers[5:10]} == {vat_after}
    assert shop_product(jetshop_sim, "gamma", numbers[5]).texts["sv-SE"].name == f"Shop {numbers[5]}"
    bound = _bound(store, tenant.tenant_id, "products_to_jetshop@erp_led", "gamma")
    assert set(numbers[:5] + numbers[10:]) <= bound
    assert (set(numbers[5:10]) <= bound) is conflicts_bound


@pytest.fixture
def shop_led(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore):  # type: ignore[no-untyped-def]
    """A shop_led tenant on shop alpha with 40 products with 3 variants each and 140 plain ones (300)."""
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[0]
    tenant = connect(
        monkeypatch, *sims, flow="shop_led", streams=["products_to_hogia"], shops=("alpha",), company=company
    )
    empty_catalogs(jetshop_sim, "alpha", hogia_sim, company)
    sellable = seed_jetshop(jetshop_sim, "alpha", 40, 180)
    resources = SimResources(tenant, store)
    yield tenant, resources, company, sellable
    resources.close()


def test_a_kill_in_the_middle_resumes_where_it_stopped_and_creates_nothing_twice(
    shop_led, sims: Sims, store: StateStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, resources, company, sellable = shop_led
    _, hogia_sim = sims
    chosen = options(TO_HOGIA, batch_size=200)  # two batches; a batch is sent in chunks of 100
    run = sync_run(tenant, resources, tmp_path, "killed")
    batches = plan_batches(run, chosen)
    sent: list[list[str]] = []
    real_send = ProductsToHogia.send

    def dies_on_the_second_chunk(self: Any, run_: Any, scope: str, items: list[Any]) -> Any:
        sent.append([item.key for item in items])
        if len(sent) == 2:
            raise KeyboardInterrupt("killed")  # the worker dies mid-batch: no handler below runs
        return real_send(self, run_, scope, items)

    monkeypatch.setattr(ProductsToHogia, "send", dies_on_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        run_batch(run, chosen, batches[0])
    first_chunk = set(sent[0])
    assert len(hogia_numbers(hogia_sim, company)) == 100

    sent.clear()
    monkeypatch.setattr(
        ProductsToHogia,
        "send",
        lambda self, r, s, items: sent.append([i.key for i in items]) or real_send(self, r, s, items),
    )
    for batch in batches:  # the retry of the same run
        run_batch(run, chosen, batch)
    counts = finish(run, chosen, batches)

    assert first_chunk.isdisjoint(key for chunk in sent for key in chunk)  # resumed, not repeated
    assert counts["created"] == 300
    numbers = hogia_numbers(hogia_sim, company)
    assert sorted(numbers) == sorted(sellable)
    assert max(Counter(numbers).values()) == 1

    # triggered twice: a new run finds everything in place
    _, again = sync(sync_run(tenant, resources, tmp_path, "again"), chosen)
    assert (again["matched"], again["created"]) == (300, 0)
    assert len(hogia_numbers(hogia_sim, company)) == 300


def _snapshot(sims: Sims, store: StateStore, organisation_id: str) -> dict[str, Any]:
    jetshop_sim, hogia_sim = sims
    with jetshop_sim.simulator.lock:
        shops = {k: s.model_dump(mode="json") for k, s in jetshop_sim.simulator.state.shops.items()}
    register = hogia_sim.simulator.state.company(organisation_id)
    assert register is not None
    articles = sorted(
        json.dumps(a.model_dump(mode="json"), sort_keys=True) for a in register.articles.values()
    )
    tables: dict[str, Any] = {}
    with store.transaction() as tx:
        from sqlalchemy import inspect, text

        for table in inspect(tx.connection).get_table_names():
            rows = tx.connection.execute(text(f'SELECT * FROM "{table}"')).fetchall()  # noqa: S608
            tables[table] = sorted(repr(tuple(row)) for row in rows)
    return {"jetshop": shops, "hogia": articles, "state": tables}


def test_a_dry_run_changes_nothing_and_reports_what_it_would_do(
    erp_led, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources, numbers = erp_led
    organisation_id = sims[1].companies[2].organisation_id
    before = _snapshot(sims, store, organisation_id)
    run = sync_run(tenant, resources, tmp_path, "preview")

    _, counts = sync(run, options(TO_JETSHOP, dry_run=True, policy=ConflictPolicy.OVERWRITE, batch_size=10))

    assert (counts["matched"], counts["created"], counts["updated"]) == (5, 10, 5)
    assert counts["dry_run"] is True
    assert _snapshot(sims, store, organisation_id) == before
    report = run.read_json("initial_sync/dry_run/report.json")
    assert report["articles"]["created"] == [f"gamma:{n}" for n in numbers[10:]]
