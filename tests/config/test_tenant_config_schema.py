"""Each kind of broken field yields an error that names the tenant, the field and what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tenant_files import shop, tenant_dict, write_tenant

from jetshop_hogia.config import (
    Flow,
    HogiaStatus,
    MatchOn,
    Plan,
    TenantConfigError,
    load_tenant_file,
)


def _error_for(tmp_path: Path, data: dict[str, Any] | str, name: str = "acme") -> TenantConfigError:
    path = write_tenant(tmp_path, data, name=name)
    with pytest.raises(TenantConfigError) as caught:
        load_tenant_file(path)
    return caught.value


def test_a_minimal_file_gets_the_documented_defaults(tmp_path: Path) -> None:
    config = load_tenant_file(write_tenant(tmp_path, tenant_dict()))

    assert config.tenant_id == "acme"
    assert config.dag_id == "sync_acme"
    assert config.flow is Flow.ERP_LED
    assert config.plan is Plan.P200
    assert config.timezone == "Europe/Stockholm"
    assert config.schedule == "*/15 * * * *"
    assert config.customer_matching.match_on is MatchOn.EMAIL
    assert config.customer_matching.create_missing is True
    assert config.order_status_feedback is None
    assert config.mapping_plugins == []
    assert (config.pool_slots.jetshop, config.pool_slots.hogia) == (2, 1)


def test_plugins_accept_the_short_and_the_long_form_in_order(tmp_path: Path) -> None:
    data = tenant_dict(
        plan=800,
        mapping_plugins=[
            "my_pkg.plugins:first",
            {"plugin": "my_pkg.plugins:second", "params": {"prefix": "B2B"}},
        ],
    )
    config = load_tenant_file(write_tenant(tmp_path, data))

    assert [p.plugin for p in config.mapping_plugins] == ["my_pkg.plugins:first", "my_pkg.plugins:second"]
    assert config.mapping_plugins[1].params == {"prefix": "B2B"}


def test_order_status_feedback_options_are_read_per_hogia_status(tmp_path: Path) -> None:
    feedback = {
        "statuses": {
            "delivered": {
                "jetshop_status_id": 3,
                "send_mail": True,
                "send_tracking": True,
                "capture_payment": True,
            },
            "cancelled": {"jetshop_status_id": 6},
        }
    }
    config = load_tenant_file(write_tenant(tmp_path, tenant_dict(order_status_feedback=feedback)))

    assert config.order_status_feedback is not None
    delivered = config.order_status_feedback.statuses[HogiaStatus.DELIVERED]
    assert (delivered.jetshop_status_id, delivered.send_mail, delivered.capture_payment) == (3, True, True)
    assert config.order_status_feedback.statuses[HogiaStatus.CANCELLED].send_mail is False


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"flow": "erp"}, "flow", "'shop_led', 'erp_led' or 'combo'"),
        ({"plan": 300}, "plan", "100, 200, 400 or 800"),
        ({"timezone": "Europe/Stokholm"}, "timezone", "unknown IANA time zone 'Europe/Stokholm'"),
        ({"schedule": "every 15 minutes"}, "schedule", "is not a cron expression"),
        ({"schedule": "@once"}, "schedule", "is not a cron expression"),
        ({"tenant_id": "Acme"}, "tenant_id", "got 'Acme'"),
        ({"tenant_id": "other"}, "tenant_id", "must equal the file name 'acme'"),
        ({"shops": []}, "shops", "at least 1 item"),
        ({"hogia": None}, "hogia", "Field required"),
        ({"order_trigger_statuses": []}, "order_trigger_statuses", "at least 1 item"),
        ({"order_trigger_statuses": [2, 2]}, "order_trigger_statuses", "[2] listed more than once"),
        ({"order_trigger_statuses": [0]}, "order_trigger_statuses[0]", "greater than or equal to 1"),
        ({"streams": ["orders", "orders"]}, "streams", "['orders'] listed more than once"),
        ({"streams": ["Orders"]}, "streams[0]", "got 'Orders'"),
        (
            {"customer_matching": {"match_on": "phone"}},
            "customer_matching.match_on",
            "'email' or 'customer_number'",
        ),
        ({"trigger_statuses": [2]}, "trigger_statuses", "unknown field"),
        (
            {"mapping_plugins": ["not a path"]},
            "mapping_plugins[0].plugin",
            "neither 'package.module:function'",
        ),
        ({"pool_slots": {"hogia": 0}}, "pool_slots.hogia", "greater than or equal to 1"),
        (
            {"order_status_feedback": {"statuses": {"shipped": {"jetshop_status_id": 3}}}},
            "order_status_feedback.statuses.shipped",
            "'delivered', 'invoiced', 'paid' or 'cancelled'",
        ),
    ],
)
def test_a_bad_top_level_field_is_named_with_its_problem(
    tmp_path: Path, overrides: dict[str, Any], field: str, problem: str
) -> None:
    error = _error_for(tmp_path, tenant_dict(**overrides))

    assert error.tenant == "acme"
    assert error.path.endswith("acme.yaml")
    matching = [p for p in error.problems if p.field == field]
    assert matching, f"no problem for {field!r} in {error.problems}"
    assert any(problem in p.message for p in matching), str(error)
    assert "tenant 'acme'" in str(error)
    assert f"field '{field}'" in str(error)


@pytest.mark.parametrize(
    ("channel", "field", "problem"),
    [
        ({"channel_id": 1, "currency": "sek"}, "shops[0].channels[0].currency", "got 'sek'"),
        (
            {"channel_id": 1, "currency": "SEK", "price_list": "abc"},
            "shops[0].channels[0].price_list",
            "UUID",
        ),
        (
            {"channel_id": 0, "currency": "SEK"},
            "shops[0].channels[0].channel_id",
            "greater than or equal to 1",
        ),
        ({"currency": "SEK"}, "shops[0].channels[0].channel_id", "Field required"),
    ],
)
def test_a_bad_channel_field_is_named_by_its_full_path(
    tmp_path: Path, channel: dict[str, Any], field: str, problem: str
) -> None:
    data = tenant_dict(shops=[{"id": "acme", "connection_id": "jetshop_acme", "channels": [channel]}])

    error = _error_for(tmp_path, data)

    assert any(p.field == field and problem in p.message for p in error.problems), str(error)


def test_duplicate_channels_and_shop_connections_are_refused(tmp_path: Path) -> None:
    twice = shop("acme", (1, "SEK"), (1, "NOK"))
    error = _error_for(tmp_path, tenant_dict(plan=400, shops=[twice]))
    assert any(p.field == "shops[0].channels" and "channel_id [1]" in p.message for p in error.problems)

    same_login = [shop("acme", (1, "SEK")), {**shop("other", (2, "SEK")), "connection_id": "jetshop_acme"}]
    error = _error_for(tmp_path, tenant_dict(plan=400, shops=same_login))
    assert any(p.field == "shops" and "connection_id ['jetshop_acme']" in p.message for p in error.problems)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    error = _error_for(tmp_path, tenant_dict(plan=300, timezone="Nowhere/City", schedule="x"))

    assert {p.field for p in error.problems} >= {"plan", "timezone", "schedule"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tenant_id: acme\nflow: [erp_led\n", "not valid YAML: line"),
        ("tenant_id: acme\nplan: 100\nplan: 800\n", "duplicate key 'plan'"),
        ("", "got an empty file"),
        ("- acme\n", "got list"),
    ],
)
def test_an_unreadable_file_says_where_and_why(tmp_path: Path, text: str, problem: str) -> None:
    error = _error_for(tmp_path, text)

    assert error.tenant == "acme"
    assert any(problem in p.message for p in error.problems), str(error)
