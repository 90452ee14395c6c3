"""Plumbing of the initial-sync tests: empty catalogs, bulk seeding, the three steps without Airflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalog_helpers import SimResources

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.initial_sync.engine import finish, plan_batches, run_batch
from jetshop_hogia.initial_sync.options import ConflictPolicy, SyncDirection, SyncOptions
from jetshop_hogia.kernel import RunWindow, StreamRun
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def empty_catalogs(
    jetshop_sim: JetshopSimHandle, shop: str, hogia_sim: HogiaSimHandle, company: DemoCompany
) -> None:
    """Start from an empty shop and an empty article register (the going-live situation)."""
    with jetshop_sim.simulator.lock:
        jetshop_sim.simulator.state.shops[shop].products.clear()
    with hogia_sim.simulator.state.lock:
        register = hogia_sim.simulator.state.company(company.organisation_id)
        assert register is not None
        register.articles.clear()


def seed_jetshop(
    jetshop_sim: JetshopSimHandle, shop: str, parents: int, simple: int, variants: int = 3
) -> list[str]:
    """``parents`` products with ``variants`` variants each (``P0001-1`` …) and ``simple`` plain products;
    returns the sellable article numbers (variants and plain products, not the parents)."""
    from jetshop_hogia_simulators.jetshop.state import Product, ProductTexts

    simulator = jetshop_sim.simulator
    now = simulator.now()
    sellable: list[str] = []
    with simulator.lock:
        state = simulator.state.shops[shop]
        specs: list[tuple[str, bool]] = []
        for number in range(1, parents + 1):
            specs.append((f"P{number:04d}", True))
            specs += [(f"P{number:04d}-{v}", False) for v in range(1, variants + 1)]
        specs += [(f"S{number:05d}", False) for number in range(1, simple + 1)]
        for article_number, is_parent in specs:
            state.products[article_number] = Product(
                article_number=article_number,
                product_id=state.next_product_id,
                vat=Decimal("0.25"),
                texts={culture: ProductTexts(name=f"Produkt {article_number}") for culture in state.cultures},
                has_attributes=is_parent,
                created=now,
                modified=now,
            )
            state.next_product_id += 1
            if not is_parent:
                sellable.append(article_number)
    return sellable


def hogia_numbers(hogia_sim: HogiaSimHandle, company: DemoCompany) -> list[str]:
    """Every article number of the company, duplicates kept (so a double create would show)."""
    register = hogia_sim.simulator.state.company(company.organisation_id)
    assert register is not None
    return [article.number for article in register.articles.values()]


def sync_run(tenant: TenantConfig, resources: SimResources, tmp_path: Path, run_id: str) -> StreamRun:
    """A run as the DAG builds it: a one-minute window ending now, ``full_compare`` on."""
    end = datetime.now(UTC)
    return StreamRun(
        tenant=tenant,
        window=RunWindow(end - timedelta(minutes=1), end),
        run_id=run_id,
        run_dir=str(tmp_path / "runs" / run_id),
        resources=resources,
        params={"full_compare": "true"},
    )


def options(
    direction: SyncDirection,
    *,
    dry_run: bool = False,
    policy: ConflictPolicy = ConflictPolicy.REPORT,
    batch_size: int = 500,
) -> SyncOptions:
    """Sync options as the trigger form would give them."""
    return SyncOptions(direction, dry_run, policy, batch_size)


def sync(run: StreamRun, chosen: SyncOptions) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """plan → every batch → finish, as the DAG runs them; the batches and the returned counts."""
    batches = plan_batches(run, chosen)
    for batch in batches:
        run_batch(run, chosen, batch)
    return batches, finish(run, chosen, batches)


def stored_report(store: StateStore, tenant_id: str, run_id: str) -> dict[str, Any] | None:
    """The report the run kept in the state store."""
    from jetshop_hogia.state.initial_sync import InitialSyncRepository

    with store.transaction() as tx:
        return InitialSyncRepository(tx.connection, store.now).report(tenant_id, run_id)
