"""Quarantine without a database client: list, show, release — and the released order is sent next run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from orders_helpers import (
    SimResources,
    at_local,
    break_article,
    invoice_counts,
    make_run,
    place_orders,
    run_steps,
)

from jetshop_hogia.__main__ import main
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.operations import quarantine as ops
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


def _quarantine_one(sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path) -> str:
    """Place 4 orders at 08:10, break one's article, run the 08:00 hour: that one is quarantined."""
    jetshop_sim, _ = sims
    placed = place_orders(jetshop_sim, 4, at_local(8, 10))
    bad = placed[0]
    with jetshop_sim.simulator.lock:
        original = jetshop_sim.simulator.state.shops["alpha"].orders[bad["order_id"]]
    break_article(jetshop_sim, bad["order_id"], "NO-SUCH-ARTICLE")
    run_steps(make_run(tenant, resources, tmp_path / "r8", window=RunWindow(at_local(8), at_local(9))))
    with jetshop_sim.simulator.lock:  # the merchant fixes the order in Jetshop
        jetshop_sim.simulator.state.shops["alpha"].orders[bad["order_id"]] = original
    return str(bad["order_number"])


def test_list_and_release_round_trip_and_the_next_run_sends_the_order(
    sims: Sims, tenant: TenantConfig, resources: SimResources, store: StateStore, tmp_path: Path
) -> None:
    bad = _quarantine_one(sims, tenant, resources, tmp_path)
    listed = ops.list_open(store, "acme")
    assert [(e.record_key, e.shop_id, e.stream) for e in listed] == [(bad, "alpha", ORDERS_STREAM)]
    reason = listed[0].reason_code
    assert ops.list_open(store, "acme", reason=reason) == listed
    assert ops.list_open(store, "acme", reason="no_such_reason") == []
    assert bad not in invoice_counts(sims[1])

    assert ops.release(store, tenant_id="acme", stream=ORDERS_STREAM, record_key=bad, shop_id="alpha")
    assert not ops.release(store, tenant_id="acme", stream=ORDERS_STREAM, record_key=bad, shop_id="alpha")
    assert ops.list_open(store, "acme") == []
    with store.transaction() as tx:
        assert tx.ledger.require(OrderKey("acme", "alpha", bad)).state is OrderState.ELIGIBLE

    next_hour = RunWindow(at_local(9), at_local(10))
    result = run_steps(make_run(tenant, resources, tmp_path / "r9", window=next_hour, run_id="s9"))
    assert invoice_counts(sims[1])[bad] == 1
    assert result["reconcile"]["status"] == "ok"


def test_the_cli_lists_shows_and_releases(
    sims: Sims,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = _quarantine_one(sims, tenant, resources, tmp_path)
    url = ["--state-url", str(store.engine.url)]

    assert main([*url, "quarantine", "list", "--tenant", "acme", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["record_key"] for entry in listed] == [bad]
    assert main([*url, "quarantine", "list", "--tenant", "acme"]) == 0
    code = listed[0]["reason_code"]
    table = capsys.readouterr().out
    assert table.startswith(f"1 open for acme: 1 {code}")
    assert table.splitlines()[1].count(code) == 1  # the text does not repeat the code column
    assert main([*url, "quarantine", "show", "--tenant", "acme", bad]) == 0
    assert json.loads(capsys.readouterr().out)["ledger"]["state"] == "quarantined"

    assert main([*url, "quarantine", "release", "--tenant", "acme", bad]) == 0
    assert "released" in capsys.readouterr().out
    assert main([*url, "quarantine", "release", "--tenant", "acme", bad]) == 1
    assert "no open entry" in capsys.readouterr().out
    assert main([*url, "quarantine", "list", "--tenant", "acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
