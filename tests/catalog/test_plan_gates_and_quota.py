"""Plan gates of the catalog streams (absent from the DAG, the DAG doc says why; asking for one is a
config error of that tenant only) and the monthly order quota counted from the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from jetshop_hogia.config import Plan, TenantConfig, load_tenants
from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.state.order_quota import check_order_quota, month_bounds, quota_message

TENANTS = Path(__file__).resolve().parents[2] / "include" / "tenants"


def _tenant(name: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((TENANTS / f"{name}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_stock_below_plan_200_is_a_config_error_of_that_tenant_only(tmp_path: Path) -> None:
    cheap = _tenant("beta_erp_led", tenant_id="cheap", plan=200)
    (tmp_path / "cheap.yaml").write_text(yaml.safe_dump(cheap, allow_unicode=True), encoding="utf-8")
    tiny = _tenant("alpha_shop_led", tenant_id="tiny", streams=["orders", "products_to_hogia", "stock"])
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(tiny, allow_unicode=True), encoding="utf-8")
    good = _tenant("alpha_shop_led")
    (tmp_path / "alpha_shop_led.yaml").write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")

    loaded = load_tenants(tmp_path, catalog=REGISTRY.catalog())

    assert [t.tenant_id for t in loaded.tenants] == ["alpha_shop_led"]
    messages = " | ".join(str(error) for error in loaded.errors)
    assert "stream 'stock' is not part of flow 'shop_led'" in messages
    assert "needs plan 200 or higher for 'stock'" in messages
    assert "multishop" in messages  # cheap: two channels at plan 200


def test_the_dag_doc_names_each_stream_of_the_flow_left_out_and_why() -> None:
    from jetshop_hogia.orchestration.docs import tenant_doc_md

    data = _tenant("alpha_shop_led", streams=["orders"])
    tenant = TenantConfig.model_validate(data)
    low_erp = TenantConfig.model_validate(
        _tenant(
            "beta_erp_led",
            plan=100,
            shops=[
                {
                    "id": "beta",
                    "connection_id": "jetshop_beta",
                    "channels": [{"channel_id": 1, "currency": "SEK"}],
                }
            ],
            order_status_feedback=None,
            streams=["orders", "products_to_jetshop"],
        )
    )

    shop_doc = tenant_doc_md(tenant, {"orders": REGISTRY.get("orders")})
    erp_doc = tenant_doc_md(low_erp, {n: REGISTRY.get(n) for n in low_erp.streams})

    assert "| products_to_hogia | not enabled in the tenant file |" in shop_doc
    assert "| stock | needs plan 200 for 'stock' (plan is 100) |" in erp_doc
    assert "| prices | needs plan 400 for 'price_lists' (plan is 100) |" in erp_doc
    assert "products_to_jetshop |" not in erp_doc.split("## Streams not in this DAG")[1]


def test_quota_warnings_at_80_and_100_percent() -> None:
    assert quota_message(79, 100, "2026-11") is None
    assert quota_message(80, 100, "2026-11") == "order quota at 80 %: 80 of 100 orders transferred in 2026-11"
    reached = quota_message(401, 400, "2026-11")
    assert reached is not None
    assert reached.startswith("order quota reached: 401 orders transferred in 2026-11, the plan includes 400")


def test_month_bounds_follow_the_tenant_time_zone() -> None:
    start, end = month_bounds(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Stockholm")
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00")


def test_quota_counts_this_months_pushed_orders_from_the_ledger(tmp_path: Path) -> None:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as store:
        store.migrate()
        for number in range(81):
            key = OrderKey("acme", "alpha", str(100_000 + number))
            with store.transaction() as tx:
                tx.ledger.record_seen(
                    key, run_id="r", payload_hash="h", jetshop_order_id=number, channel_id=1
                )
                tx.ledger.mark_eligible(key, run_id="r")
            claim = store.claim_for_push(key, run_id="r")
            assert claim is not None
            with store.transaction() as tx:
                tx.ledger.mark_pushed(claim, f"inv-{number}")
        now = datetime.now(UTC)
        this_month = check_order_quota(store, "acme", Plan.P100, "Europe/Stockholm", now)
        next_month = check_order_quota(store, "acme", Plan.P100, "Europe/Stockholm", now + timedelta(days=32))

    assert (this_month.count, this_month.quota) == (81, 100)
    assert this_month.message is not None
    assert "81 of 100" in this_month.message
    assert (next_month.count, next_month.message) == (0, None)


@pytest.mark.parametrize("name", ["alpha_shop_led", "beta_erp_led", "gamma_combo"])
def test_every_demo_tenant_runs_every_catalog_stream_of_its_flow(name: str) -> None:
    tenant = TenantConfig.model_validate(_tenant(name))
    of_flow = {n for n, cls in REGISTRY.streams().items() if tenant.flow in cls.flows and n != "order_status"}
    assert of_flow <= set(tenant.streams)
