"""A dry run of the order stream records no order as seen, moves no watermark or ledger state, creates no
invoice — and its would-be payloads are exactly the invoice bodies the real run then sends."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import SimResources, at_local, break_article, connect, make_run, place_orders, run_steps
from snapshots import dry_run_stream, simulators, state_tables

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import StateStore
from jetshop_hogia_provider.hooks.hogia_rest import wire_body
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
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


@pytest.fixture
def tenant(monkeypatch: pytest.MonkeyPatch, sims: Sims) -> TenantConfig:
    return connect(monkeypatch, *sims)


def _record_invoices(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every invoice body the real write hands to the Hogia hook, as JSON."""
    original = HogiaSmartHook.create_invoice
    sent: list[dict[str, Any]] = []

    def recording(self: HogiaSmartHook, body: Any) -> str:
        sent.append(wire_body(body, omit_none=True))
        return original(self, body)

    monkeypatch.setattr(HogiaSmartHook, "create_invoice", recording)
    return sent


def test_order_dry_run_changes_nothing_and_lists_the_invoices_the_real_run_sends(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, tenant: TenantConfig, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    resources = SimResources(tenant, store)
    try:
        placed = place_orders(jetshop_sim, 4, at_local(10, 15))
        break_article(jetshop_sim, placed[1]["order_id"], "2201-xl")  # quarantined by a real run only
        before = (simulators(jetshop_sim, hogia_sim), state_tables(store))

        dry = dataclasses.replace(
            make_run(tenant, resources, tmp_path / "dry", run_id="dry"), params={"dry_run": True}
        )
        results = dry_run_stream("orders", dry)

        assert (simulators(jetshop_sim, hogia_sim), state_tables(store)) == before
        sent = _record_invoices(monkeypatch)
        real = run_steps(make_run(tenant, resources, tmp_path / "real", run_id="real"))
        assert (simulators(jetshop_sim, hogia_sim), state_tables(store)) != before  # not blind to writes
    finally:
        resources.close()
    would_be = json.loads(Path(results["write"]["would_be"]).read_text(encoding="utf-8"))
    creates = {w["item_id"]: w["payload"] for w in would_be if w["action"] == "create_invoice"}
    good = {order["order_number"] for order in placed} - {placed[1]["order_number"]}
    assert set(creates) == good
    assert real["write"]["counts"].get("created") == len(good)
    new_customers = {w["item_id"] for w in would_be if w["action"] == "create_customer"}
    by_number = {body["customerInvoice"]["customerOrderNumber"]: body for body in sent}
    assert set(by_number) == good
    for number, body in by_number.items():  # same lines, same amounts as previewed
        assert _comparable(body, number in new_customers) == _comparable(
            creates[number], number in new_customers
        )
    assert results["reconcile"]["status"] == "dry_run"


def _comparable(body: dict[str, Any], new_customer: bool) -> Any:
    """An invoice body as JSON; a customer the run creates has its number only after the create, so the
    preview cannot know it (its ``create_customer`` line says it comes)."""
    plain = json.loads(json.dumps(body, default=str), parse_int=str, parse_float=str)  # 25 == "25"
    if new_customer:
        plain["customerInvoice"].pop("customerNumber", None)
    return plain
