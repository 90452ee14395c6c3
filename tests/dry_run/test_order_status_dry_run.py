"""A dry run of order_status moves no shop order, sends no mail, captures nothing, records no feedback
state — and previews exactly the actions the real run then sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from orders_helpers import SimResources
from snapshots import dry_run_stream, simulators, state_tables
from status_helpers import (
    clocks_to,
    feedback_tenant,
    hogia_status,
    invoiced_orders,
    live_window,
    run_status_steps,
    status_run,
)

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


@pytest.fixture
def sims(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle) -> Sims:
    hogia_sim.set_rate_limit(None)
    return jetshop_sim, hogia_sim


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


def test_status_dry_run_changes_nothing_and_previews_the_actions_the_real_run_sends(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    tenant: TenantConfig = feedback_tenant(monkeypatch, *sims)
    resources = SimResources(tenant, store)
    try:
        first, second = invoiced_orders(jetshop_sim, tenant, resources, tmp_path, 2)
        clocks_to(jetshop_sim, hogia_sim, datetime.now(UTC))
        hogia_status(hogia_sim, first["invoice_id"], delivered=True, trackingNumber="PKG-1")
        hogia_status(hogia_sim, first["invoice_id"], billed=True, paid=True)
        hogia_status(hogia_sim, second["invoice_id"], billed=True)
        window = live_window()
        before = (simulators(jetshop_sim, hogia_sim), state_tables(store))

        dry = status_run(
            tenant, resources, tmp_path, window, run_id="scheduled__dry", params={"dry_run": True}
        )
        results = dry_run_stream("order_status", dry)

        assert (simulators(jetshop_sim, hogia_sim), state_tables(store)) == before
        real = run_status_steps(status_run(tenant, resources, tmp_path, window))
        after = (simulators(jetshop_sim, hogia_sim), state_tables(store))
        assert after[0] != before[0]  # the snapshot sees the real run's status changes …
        assert after[1] != before[1]  # … and what it records
    finally:
        resources.close()
    would_be = json.loads(Path(results["write"]["would_be"]).read_text(encoding="utf-8"))
    written = json.loads(Path(real["write"]["path"]).read_text(encoding="utf-8"))["lines"]
    previewed = sorted((w["payload"]["action_key"], w["item_id"]) for w in would_be)
    sent = sorted((line["action_key"], line["order_number"]) for line in written)
    assert previewed == sent
    assert real["write"]["counts"]["status"] == {"sent": len(sent)}
    assert len(sent) == 4  # delivered, invoiced and paid of the first order, invoiced of the second
    moves = [w for w in would_be if w["diff"].get("status_id")]
    assert {w["item_id"] for w in moves} == {first["order_number"], second["order_number"]}
