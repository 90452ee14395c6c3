"""A run also sends the unsent orders of earlier failed windows, within the look-back, exactly once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from orders_helpers import (
    SimResources,
    at_local,
    invoice_counts,
    make_run,
    place_orders,
    run_steps,
)

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.streams.orders import steps
from jetshop_hogia.streams.orders.windows import healing_range
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


def hour_window(hour: int) -> RunWindow:
    return RunWindow(at_local(hour), at_local(hour + 1))


def test_healing_range_ends_where_the_window_starts_and_reaches_back_the_look_back() -> None:
    window = hour_window(10)

    assert healing_range(window, timedelta(days=7)) == (window.start - timedelta(days=7), window.start)
    assert healing_range(window, timedelta(0)) == (window.start, window.start)


def _fail_with_hogia_down(run_dir: Path, tenant: TenantConfig, resources: SimResources, hour: int) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the outage raises, the run fails
        steps.fetch(make_run(tenant, resources, run_dir, window=hour_window(hour), run_id=f"sched_{hour}"))


def test_the_first_healthy_run_sends_the_orders_of_two_failed_windows_once(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    placed = {o["order_number"] for o in place_orders(jetshop_sim, 3, at_local(8, 10))}
    placed |= {o["order_number"] for o in place_orders(jetshop_sim, 2, at_local(9, 20))}
    hogia_sim.admin("PUT", "faults", {"down": True})
    _fail_with_hogia_down(tmp_path / "r8", tenant, resources, 8)
    _fail_with_hogia_down(tmp_path / "r9", tenant, resources, 9)
    hogia_sim.admin("PUT", "faults", {})
    assert invoice_counts(hogia_sim) == {}

    result = run_steps(make_run(tenant, resources, tmp_path / "r10", window=hour_window(10), run_id="s10"))
    again = run_steps(make_run(tenant, resources, tmp_path / "r11", window=hour_window(11), run_id="s11"))

    assert result["fetch"]["count"] == len(placed)
    assert result["reconcile"]["status"] == "ok"
    assert again["fetch"]["count"] == 0  # nothing owed any more: sent exactly once
    assert dict(invoice_counts(hogia_sim)) == dict.fromkeys(placed, 1)


def test_orders_older_than_the_look_back_are_left_for_a_backfill(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    place_orders(jetshop_sim, 2, at_local(8, 10))
    hogia_sim.admin("PUT", "faults", {"down": True})
    _fail_with_hogia_down(tmp_path / "r8", tenant, resources, 8)
    hogia_sim.admin("PUT", "faults", {})
    short = tenant.model_copy(
        update={"operations": tenant.operations.model_copy(update={"max_catch_up_days": 0})}
    )

    result = run_steps(make_run(short, resources, tmp_path / "r10", window=hour_window(10), run_id="s10"))

    assert result["fetch"]["count"] == 0
    assert invoice_counts(hogia_sim) == {}
