"""Plan and flow rules (seed: the package matrix and the three flows), each pointing at the field to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tenant_files import shop, tenant_dict, write_tenant

from jetshop_hogia.config import (
    Feature,
    Flow,
    StreamRequirements,
    TenantConfig,
    TenantConfigError,
    load_tenant_file,
)

ALL_FLOWS = frozenset(Flow)
CATALOG = {
    "orders": StreamRequirements(flows=ALL_FLOWS),
    "products_to_jetshop": StreamRequirements(flows=frozenset({Flow.ERP_LED})),
    "stock": StreamRequirements(
        flows=frozenset({Flow.ERP_LED, Flow.COMBO}), requires=frozenset({Feature.STOCK})
    ),
    "order_status": StreamRequirements(
        flows=frozenset({Flow.ERP_LED, Flow.COMBO}),
        requires=frozenset({Feature.ORDER_STATUS}),
        check=lambda tenant: [] if tenant.order_status_feedback else ["needs an order_status_feedback block"],
    ),
}
FEEDBACK = {"statuses": {"delivered": {"jetshop_status_id": 3}}}


def _load(tmp_path: Path, data: dict[str, Any], catalog: Any = None) -> TenantConfig:
    return load_tenant_file(write_tenant(tmp_path, data), catalog=catalog)


def _problems(tmp_path: Path, data: dict[str, Any], catalog: Any = None) -> dict[str, str]:
    with pytest.raises(TenantConfigError) as caught:
        _load(tmp_path, data, catalog)
    return {p.field: p.message for p in caught.value.problems}


def test_combo_is_multishop_and_needs_plan_400(tmp_path: Path) -> None:
    problems = _problems(tmp_path, tenant_dict(flow="combo", plan=200))
    assert "plan" in problems
    assert "400" in problems["plan"]
    assert "multishop" in problems["plan"]

    assert _load(tmp_path, tenant_dict(flow="combo", plan=400)).flow is Flow.COMBO


@pytest.mark.parametrize(
    "shops",
    [
        [shop("acme", (1, "SEK")), shop("outlet", (3, "SEK"))],  # two shops into one Hogia company
        [shop("acme", (1, "SEK"), (2, "NOK"))],  # two channels: Jetshop's "native multishop"
    ],
)
def test_several_shops_or_channels_need_plan_400(tmp_path: Path, shops: list[dict[str, Any]]) -> None:
    problems = _problems(tmp_path, tenant_dict(flow="shop_led", plan=200, shops=shops))
    assert "multishop" in problems["shops"]
    assert "plan is 200" in problems["shops"]

    assert len(_load(tmp_path, tenant_dict(flow="shop_led", plan=400, shops=shops)).shops) == len(shops)


def test_mapping_plugins_need_plan_800(tmp_path: Path) -> None:
    data = tenant_dict(plan=400, mapping_plugins=["my_pkg.plugins:fix"])
    assert "800" in _problems(tmp_path, data)["mapping_plugins"]

    assert _load(tmp_path, {**data, "plan": 800}).mapping_plugins[0].plugin == "my_pkg.plugins:fix"


def test_order_status_feedback_is_not_part_of_the_shop_led_flow(tmp_path: Path) -> None:
    problems = _problems(tmp_path, tenant_dict(flow="shop_led", order_status_feedback=FEEDBACK))
    assert "not part of flow 'shop_led'" in problems["order_status_feedback"]

    switched_off = {**FEEDBACK, "enabled": False}
    assert (
        _load(tmp_path, tenant_dict(flow="shop_led", order_status_feedback=switched_off)).flow
        is Flow.SHOP_LED
    )


def test_order_status_feedback_needs_plan_200(tmp_path: Path) -> None:
    problems = _problems(tmp_path, tenant_dict(plan=100, order_status_feedback=FEEDBACK))
    assert "200" in problems["order_status_feedback"]


def test_enabled_feedback_must_map_a_status_and_capture_only_on_delivered(tmp_path: Path) -> None:
    empty = _problems(tmp_path, tenant_dict(order_status_feedback={"enabled": True}))
    assert "map at least one of delivered" in empty["order_status_feedback.statuses"]

    capture_on_paid = {"statuses": {"paid": {"jetshop_status_id": 5, "capture_payment": True}}}
    problems = _problems(tmp_path, tenant_dict(order_status_feedback=capture_on_paid))
    assert (
        "only be captured on 'delivered'" in problems["order_status_feedback.statuses.paid.capture_payment"]
    )


def test_streams_are_checked_against_the_catalog_only_when_one_is_given(tmp_path: Path) -> None:
    data = tenant_dict(streams=["orders", "invoices"])
    assert _load(tmp_path, data).streams == ["orders", "invoices"]

    problems = _problems(tmp_path, data, CATALOG)
    assert "unknown stream 'invoices'" in problems["streams[1]"]
    assert "order_status, orders, products_to_jetshop, stock" in problems["streams[1]"]


def test_a_stream_outside_the_tenants_flow_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, tenant_dict(flow="shop_led", plan=100, streams=["products_to_jetshop"]), CATALOG
    )
    assert "not part of flow 'shop_led' (only: erp_led)" in problems["streams[0]"]


def test_a_stream_above_the_tenants_plan_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, tenant_dict(plan=100, streams=["orders", "stock"]), CATALOG)
    assert problems["streams[1]"] == "stream 'stock' needs plan 200 or higher for 'stock' (plan is 100)"

    assert _load(tmp_path, tenant_dict(plan=200, streams=["orders", "stock"]), CATALOG).streams[1] == "stock"


def test_a_streams_own_configuration_check_is_reported_on_its_entry(tmp_path: Path) -> None:
    problems = _problems(tmp_path, tenant_dict(streams=["order_status"]), CATALOG)
    assert problems["streams[0]"] == "stream 'order_status': needs an order_status_feedback block"

    ok = tenant_dict(streams=["order_status"], order_status_feedback=FEEDBACK)
    assert _load(tmp_path, ok, CATALOG).order_status_feedback is not None
