"""The Sync status read models against a real state store (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from status_seed import DRIFT, QUARANTINE_REASON, STOCKHOLM, seed_tenant

from jetshop_hogia.operations.quarantine import list_open, release
from jetshop_hogia.state import OrderState, StateStore
from jetshop_hogia.status import TenantCatalog, overview_page, recent_days, tenant_health

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def test_health_counts_backlog_quarantine_and_the_standing_verdicts(status_store: StateStore) -> None:
    seeded = seed_tenant(status_store, "alpha_shop_led", "alpha", NOW)
    health = tenant_health(status_store, ["alpha_shop_led", "never_ran"])

    alpha = health["alpha_shop_led"]
    assert alpha.backlog == {
        OrderState.SEEN: 3,
        OrderState.ELIGIBLE: 1,
        OrderState.PUSHING: 0,
        OrderState.QUARANTINED: 1,
    }
    assert alpha.quarantine_by_stream == {"orders": 1}
    assert alpha.last_ok is not None
    assert alpha.last_ok.window_end == seeded.last_ok_end
    # today's window failed and was re-run green: the re-run is the standing verdict
    assert alpha.latest is not None
    assert alpha.latest.ok
    assert alpha.lag(NOW) == NOW - seeded.last_ok_end

    never = health["never_ran"]
    assert never.last_ok is None
    assert never.latest is None
    assert never.open_quarantine == 0
    assert never.lag(NOW) is None


def test_a_failed_newest_window_shows_as_latest_but_not_as_last_ok(status_store: StateStore) -> None:
    from jetshop_hogia.state import ReconciliationCounts, ReconciliationStatus

    seeded = seed_tenant(status_store, "beta", "beta", NOW, days=1)
    later = seeded.latest_end + timedelta(hours=1)
    with status_store.transaction() as tx:
        tx.reconciliation.record(
            "beta",
            "orders",
            seeded.latest_end,
            later,
            ReconciliationCounts(expected=2, matched=1, missing=1),
            status=ReconciliationStatus.FAILED,
            run_id="scheduled__later",
        )
    health = tenant_health(status_store, ["beta"])["beta"]
    assert health.latest is not None
    assert not health.latest.ok
    assert health.latest.run_id == "scheduled__later"
    assert health.last_ok is not None
    assert health.last_ok.window_end == seeded.latest_end


def test_days_take_the_standing_verdict_per_window_and_sum_amounts(status_store: StateStore) -> None:
    seeded = seed_tenant(status_store, "gamma", "gamma", NOW, days=3)
    days = recent_days(status_store, "gamma", "Europe/Stockholm", NOW, days=5)

    assert [d.day.isoformat() for d in days][-3:] == list(seeded.day_orders)
    assert [d.orders for d in days[-3:]] == list(seeded.day_orders.values())
    assert days[0].windows == 0
    assert days[0].orders == 0
    today = days[-1]
    assert today.windows == 1
    assert today.failed_windows == 0
    assert today.missing == 0
    yesterday = days[-2]
    assert yesterday.mismatched == 1
    assert yesterday.drift_orders == 1
    assert yesterday.amounts["SEK"].drift == DRIFT
    assert today.amounts["SEK"].drift == Decimal(0)
    assert today.amounts["SEK"].expected == Decimal(seeded.day_orders[today.day.isoformat()] * 100)


def test_release_makes_the_order_eligible_and_resolves_its_entry_once(status_store: StateStore) -> None:
    seeded = seed_tenant(status_store, "delta", "d1", NOW, days=1)
    entries = list_open(status_store, "delta")
    assert [(e.record_key, e.reason_code) for e in entries] == [("Q-1001", QUARANTINE_REASON)]
    assert list_open(status_store, "delta", reason="other") == []

    key = seeded.quarantined
    assert release(
        status_store, tenant_id="delta", stream="orders", record_key=key.order_number, shop_id="d1"
    )
    with status_store.transaction() as tx:
        assert tx.ledger.require(key).state is OrderState.ELIGIBLE
    assert list_open(status_store, "delta") == []
    # a second click finds nothing open
    assert not release(
        status_store, tenant_id="delta", stream="orders", record_key=key.order_number, shop_id="d1"
    )


def test_release_of_a_non_order_record_only_resolves_the_entry(status_store: StateStore) -> None:
    with status_store.transaction() as tx:
        tx.quarantine.put("eps", "products", "SKU-1", "no_vat_code", "no VAT code", shop_id="s")
    assert release(status_store, tenant_id="eps", stream="products", record_key="SKU-1", shop_id="s")
    assert list_open(status_store, "eps") == []


def test_overview_pages_filters_and_joins_tenant_files(status_store: StateStore, tmp_path: Path) -> None:
    folder = tmp_path / "tenants"
    shutil.copytree(REPO / "include" / "tenants", folder)
    seed_tenant(status_store, "beta_erp_led", "beta", NOW, days=1)
    catalog = TenantCatalog(folder)

    first = overview_page(status_store, catalog.snapshot(), page=1, per_page=2)
    assert first.total == 3
    assert first.pages == 2
    assert [s.tenant_id for s in first.items] == ["alpha_shop_led", "beta_erp_led"]
    beta = first.items[1]
    assert beta.flow == "erp_led"
    assert beta.plan == 400
    assert beta.dag_id == "sync_beta_erp_led"
    assert beta.health.open_quarantine == 1
    assert first.items[0].health.latest is None

    combo = overview_page(status_store, catalog.snapshot(), flow="combo")
    assert [s.tenant_id for s in combo.items] == ["gamma_combo"]
    assert overview_page(status_store, catalog.snapshot(), query="Växter").total == 1
    assert overview_page(status_store, catalog.snapshot(), page=99, per_page=2).page == 2


def test_catalog_parses_only_files_that_changed(tmp_path: Path) -> None:
    from jetshop_hogia.config import TenantConfig, load_tenant_file

    folder = tmp_path / "tenants"
    shutil.copytree(REPO / "include" / "tenants", folder)
    loads: list[str] = []

    def counting_loader(path: Path) -> TenantConfig:
        loads.append(path.name)
        return load_tenant_file(path)

    catalog = TenantCatalog(folder, loader=counting_loader, recheck_seconds=0)
    assert len(catalog.snapshot().tenants) == 3
    catalog.snapshot()
    assert len(loads) == 3
    (folder / "gamma_combo.yaml").unlink()
    assert [t.tenant_id for t in catalog.snapshot().tenants] == ["alpha_shop_led", "beta_erp_led"]
    assert len(loads) == 3  # a removed file costs no parse
    beta = folder / "beta_erp_led.yaml"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace("Beta Växter AB", "Beta Ny AB"), encoding="utf-8"
    )
    (folder / "broken.yaml").write_text("tenant_id: broken\n", encoding="utf-8")
    snapshot = catalog.snapshot()
    assert sorted(loads[3:]) == ["beta_erp_led.yaml", "broken.yaml"]
    assert [e.tenant for e in snapshot.errors] == ["broken"]
    assert snapshot.by_id("beta_erp_led") is not None
    assert "Beta Ny AB" in (snapshot.by_id("beta_erp_led").name or "")  # type: ignore[union-attr]


def test_local_days_follow_the_tenant_time_zone() -> None:
    from jetshop_hogia.status.days import local_day

    late_evening_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # 00:30 on the 30th in Stockholm
    assert local_day(late_evening_utc, STOCKHOLM).isoformat() == "2026-11-30"


def test_catalog_looks_at_the_folder_at_most_every_recheck_interval(tmp_path: Path) -> None:
    folder = tmp_path / "tenants"
    shutil.copytree(REPO / "include" / "tenants", folder)
    now = [100.0]
    catalog = TenantCatalog(folder, recheck_seconds=5, clock=lambda: now[0])
    assert len(catalog.snapshot().tenants) == 3
    (folder / "gamma_combo.yaml").unlink()
    now[0] += 4
    assert len(catalog.snapshot().tenants) == 3  # not looked at yet
    now[0] += 2
    assert len(catalog.snapshot().tenants) == 2
